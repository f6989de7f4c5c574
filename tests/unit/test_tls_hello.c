// SPDX-License-Identifier: GPL-2.0
/*
 * ClientHello parser tests, against real captures (tests/data/tls/NAME.bin,
 * listed with their expected SNI and flags in tests/data/tls/MANIFEST by
 * tests/data/capture-tls) and against hellos crafted from them: re-framed
 * into many records, SNI removed, replaced, duplicated, length fields
 * broken one at a time, and random mutations.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "tls_hello.h"

#define DATA_DIR "tests/data/tls/"
#define MAX_FILES 64
#define MAX_FILE (64 * 1024)

struct capture {
	char file[96];
	size_t size;
	unsigned int records;
	char sni[EFW_NAME_MAX + 2];	/* "" when the hello has none */
	u32 flags;
	u8 *data;
};

static struct capture caps[MAX_FILES];
static int ncaps = -1;

static u32 parse_flags(const char *s)
{
	u32 f = 0;

	if (strstr(s, "NO_SNI"))
		f |= EFW_TLS_F_NO_SNI;
	if (strstr(s, "ECH_INNER"))
		f |= EFW_TLS_F_ECH_INNER;
	if (strstr(s, "ECH"))
		f |= EFW_TLS_F_ECH;
	if (strstr(s, "MULTI_RECORD"))
		f |= EFW_TLS_F_MULTI_RECORD;
	return f;
}

static u8 *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	u8 *p;

	if (!f)
		return NULL;
	p = malloc(MAX_FILE);
	*len = fread(p, 1, MAX_FILE, f);
	fclose(f);
	return p;
}

/* Reads the manifest once; returns the number of captures (0 on error). */
static int load_captures(void)
{
	char line[1024], flags[128], path[160];
	FILE *f;

	if (ncaps >= 0)
		return ncaps;
	ncaps = 0;
	f = fopen(DATA_DIR "MANIFEST", "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f) && ncaps < MAX_FILES) {
		struct capture *c = &caps[ncaps];
		size_t got;

		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (sscanf(line, "%95s %zu %u %254s %127s", c->file, &c->size,
			   &c->records, c->sni, flags) != 5)
			continue;
		if (!strcmp(c->sni, "-"))
			c->sni[0] = '\0';
		c->flags = parse_flags(flags);
		snprintf(path, sizeof(path), DATA_DIR "%s", c->file);
		c->data = read_file(path, &got);
		if (!c->data || got != c->size) {
			fprintf(stderr, "# %s: missing or %zu bytes, manifest says %zu\n",
				path, got, c->size);
			free(c->data);
			c->data = NULL;
			continue;
		}
		ncaps++;
	}
	fclose(f);
	return ncaps;
}

static const struct capture *find_capture(const char *file)
{
	int i;

	for (i = 0; i < load_captures(); i++)
		if (!strcmp(caps[i].file, file))
			return &caps[i];
	return NULL;
}

static u32 rnd(u32 *s)
{
	/* xorshift32: a fixed seed makes every run test the same inputs. */
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/* A valid result: a name the matcher can take, consistent with flags. */
static bool sane_ok(const struct efw_tls_hello *h, size_t len)
{
	size_t i;

	if (h->consumed > len || h->consumed < 5 + 4 + 38)
		return false;
	if (h->sni_len > EFW_NAME_MAX || h->sni[h->sni_len] != '\0' ||
	    strlen(h->sni) != h->sni_len)
		return false;
	if (!!(h->flags & EFW_TLS_F_NO_SNI) != !h->sni_len)
		return false;
	for (i = 0; i < h->sni_len; i++) {
		char ch = h->sni[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
		      ch == '-' || ch == '_' || ch == '.'))
			return false;
	}
	return !h->sni_len || (h->sni[0] != '.' && h->sni[h->sni_len - 1] != '.');
}

/* ---- Handshake message helpers (test side, trusts known-good input) ---- */

struct msg {
	u8 p[MAX_FILE];
	size_t n;
};

/* Concatenate the record payloads of a capture: the handshake message. */
static void to_msg(const u8 *buf, size_t len, struct msg *m)
{
	size_t pos = 0, rl;

	m->n = 0;
	while (pos + 5 <= len) {
		rl = efw_get_be16(buf + pos + 3);
		memcpy(m->p + m->n, buf + pos + 5, rl);
		m->n += rl;
		pos += 5 + rl;
	}
}

/* Frame a handshake message into records of sizes[i % nsizes] bytes. */
static size_t frame(const struct msg *m, const size_t *sizes, size_t nsizes,
		    u8 *out, unsigned int *records)
{
	size_t pos = 0, o = 0, i = 0, n;

	*records = 0;
	while (pos < m->n) {
		n = sizes[i++ % nsizes];
		if (n > m->n - pos)
			n = m->n - pos;
		out[o++] = 22;
		out[o++] = 3;
		out[o++] = 1;
		out[o++] = (u8)(n >> 8);
		out[o++] = (u8)n;
		memcpy(out + o, m->p + pos, n);
		o += n;
		pos += n;
		(*records)++;
	}
	return o;
}

static size_t frame1(const struct msg *m, u8 *out)
{
	size_t whole = 16384;
	unsigned int r;

	return frame(m, &whole, 1, out, &r);
}

/* Offsets (in the handshake message) of its length fields. */
struct layout {
	size_t sid, cs, comp, exts;	/* the length bytes of each vector */
	size_t ext[64];			/* each extension's type field */
	int next;
	size_t sni_ext;			/* 0 if none */
};

static void map_msg(const struct msg *m, struct layout *l)
{
	size_t p = 4 + 2 + 32, end;

	memset(l, 0, sizeof(*l));
	l->sid = p;
	p += 1 + m->p[p];
	l->cs = p;
	p += 2 + efw_get_be16(m->p + p);
	l->comp = p;
	p += 1 + m->p[p];
	l->exts = p;
	if (p >= m->n)
		return;
	end = p + 2 + efw_get_be16(m->p + p);
	p += 2;
	while (p < end && l->next < 64) {
		if (efw_get_be16(m->p + p) == 0)
			l->sni_ext = p;
		l->ext[l->next++] = p;
		p += 4 + efw_get_be16(m->p + p + 2);
	}
}

static void put16(u8 *p, u32 v)
{
	p[0] = (u8)(v >> 8);
	p[1] = (u8)v;
}

static void put24(u8 *p, u32 v)
{
	p[0] = (u8)(v >> 16);
	p[1] = (u8)(v >> 8);
	p[2] = (u8)v;
}

/*
 * Replace @del bytes at @off in the extensions block with @ins (@n bytes)
 * and fix the block and message lengths around them.
 */
static void splice_ext(struct msg *m, size_t off, size_t del, const u8 *ins,
		       size_t n)
{
	struct layout l;
	long delta = (long)n - (long)del;

	map_msg(m, &l);
	memmove(m->p + off + n, m->p + off + del, m->n - off - del);
	if (n)
		memcpy(m->p + off, ins, n);
	m->n += delta;
	put16(m->p + l.exts, efw_get_be16(m->p + l.exts) + delta);
	put24(m->p + 1, efw_get_be24(m->p + 1) + delta);
}

/* A server_name extension with the given entries (type, name) */
static size_t sni_ext(u8 *out, const char *name, size_t name_len, int entries,
		      u8 name_type)
{
	size_t o = 4 + 2;
	int i;

	for (i = 0; i < entries; i++) {
		out[o++] = name_type;
		put16(out + o, name_len);
		o += 2;
		memcpy(out + o, name, name_len);
		o += name_len;
	}
	put16(out, 0);
	put16(out + 2, o - 4);
	put16(out + 4, o - 6);
	return o;
}

/* Give the hello of capture @c the SNI @name (or add one); frame in one record. */
static size_t with_name(const struct capture *c, const char *name,
			size_t name_len, int entries, u8 type, u8 *out)
{
	static struct msg m;
	struct layout l;
	u8 ext[1024];
	size_t n;

	to_msg(c->data, c->size, &m);
	map_msg(&m, &l);
	n = sni_ext(ext, name, name_len, entries, type);
	if (l.sni_ext)
		splice_ext(&m, l.sni_ext, 4 + efw_get_be16(m.p + l.sni_ext + 2),
			   ext, n);
	else
		splice_ext(&m, m.n, 0, ext, n);
	return frame1(&m, out);
}

static enum efw_tls_status parse(const u8 *buf, size_t len,
				 struct efw_tls_hello *h)
{
	/* Poison: the parser must set every field it reports. */
	memset(h, 0xa5, sizeof(*h));
	return efw_tls_parse_hello(buf, len, h);
}

static u8 work[MAX_FILE * 8];

/* ---- Tests ---- */

TEST(manifest_complete)
{
	const char *must[] = { "openssl.bin", "openssl-tls1_2.bin", "curl.bin",
			       "python.bin", "node.bin", "java17.bin",
			       "gnutls.bin", "chromium.bin" };
	const struct capture *c;
	size_t i;

	ASSERT_LE(10, load_captures());
	for (i = 0; i < sizeof(must) / sizeof(must[0]); i++) {
		c = find_capture(must[i]);
		ASSERT_NE(NULL, c) TH_LOG("%s missing from MANIFEST", must[i]);
	}
	/* Chrome sends GREASE ECH and a ~2 KB post-quantum ClientHello. */
	c = find_capture("chromium.bin");
	ASSERT_TRUE(c->flags & EFW_TLS_F_ECH);
	ASSERT_LT(1448, c->size);
}

TEST(captures_whole)
{
	struct efw_tls_hello h;
	int i;

	ASSERT_LT(0, load_captures());
	for (i = 0; i < ncaps; i++) {
		const struct capture *c = &caps[i];

		ASSERT_EQ(EFW_TLS_OK, parse(c->data, c->size, &h))
			TH_LOG("%s", c->file);
		EXPECT_STREQ(c->sni, h.sni) TH_LOG("%s", c->file);
		EXPECT_EQ(strlen(c->sni), h.sni_len) TH_LOG("%s", c->file);
		EXPECT_EQ(c->flags, h.flags) TH_LOG("%s", c->file);
		EXPECT_EQ(c->size, h.consumed) TH_LOG("%s", c->file);
		EXPECT_EQ(efw_get_be16(c->data + 1), h.record_version);
		EXPECT_EQ(0x0303, h.hello_version) TH_LOG("%s", c->file);
		EXPECT_TRUE(sane_ok(&h, c->size)) TH_LOG("%s", c->file);
	}
}

/* Trailing bytes (the next flight, early data) don't change the result. */
TEST(captures_with_trailing_data)
{
	static const u8 ccs[] = { 20, 3, 3, 0, 1, 1, 23, 3, 3, 0, 5 };
	struct efw_tls_hello h;
	int i;

	ASSERT_LT(0, load_captures());
	for (i = 0; i < ncaps; i++) {
		const struct capture *c = &caps[i];

		memcpy(work, c->data, c->size);
		memcpy(work + c->size, ccs, sizeof(ccs));
		ASSERT_EQ(EFW_TLS_OK, parse(work, c->size + sizeof(ccs), &h));
		EXPECT_STREQ(c->sni, h.sni);
		EXPECT_EQ(c->size, h.consumed);
	}
}

TEST(captures_every_prefix)
{
	struct efw_tls_hello h;
	enum efw_tls_status st;
	size_t l;
	int i;

	ASSERT_LT(0, load_captures());
	for (i = 0; i < ncaps; i++) {
		const struct capture *c = &caps[i];

		for (l = 0; l < c->size; l++) {
			st = parse(c->data, l, &h);
			ASSERT_EQ(EFW_TLS_NEED_MORE, st)
				TH_LOG("%s prefix %zu", c->file, l);
			ASSERT_LT(l, h.need) TH_LOG("%s prefix %zu", c->file, l);
			ASSERT_GE(c->size, h.need)
				TH_LOG("%s prefix %zu need %u", c->file, l, h.need);
			/* One record: the header, then the whole record. */
			if (c->records == 1)
				ASSERT_EQ(l < 5 ? 5 : c->size, h.need);
		}
	}
}

/* Bytes arrive in random pieces; the caller re-parses once ->need is met. */
TEST(captures_incremental)
{
	struct efw_tls_hello h;
	enum efw_tls_status st;
	size_t have, need, calls;
	u32 seed = 0x1234567;
	int i, round;

	ASSERT_LT(0, load_captures());
	for (i = 0; i < ncaps; i++) {
		const struct capture *c = &caps[i];

		for (round = 0; round < 50; round++) {
			have = 0;
			need = 1;
			calls = 0;
			st = EFW_TLS_NEED_MORE;
			while (st == EFW_TLS_NEED_MORE) {
				ASSERT_LT(have, c->size) TH_LOG("%s", c->file);
				have += 1 + rnd(&seed) % (round < 25 ? 8 : 1500);
				if (have > c->size)
					have = c->size;
				if (have < need)
					continue;
				st = parse(c->data, have, &h);
				calls++;
				if (st == EFW_TLS_NEED_MORE) {
					ASSERT_LT(have, h.need);
					ASSERT_GE(c->size, h.need);
					need = h.need;
				}
			}
			ASSERT_EQ(EFW_TLS_OK, st) TH_LOG("%s", c->file);
			ASSERT_EQ(c->size, have);
			ASSERT_STREQ(c->sni, h.sni);
			/* ->need never asks for less than a header or record. */
			ASSERT_GE(c->records * 2 + 1, calls) TH_LOG("%s", c->file);
		}
	}
}

TEST(reframed_records)
{
	static const size_t plans[][4] = {
		{ 1 }, { 2 }, { 3 }, { 4 }, { 5 }, { 7 }, { 100 }, { 1000 },
		{ 3, 1, 600, 16384 }, { 16384, 1 }, { 1, 16384 },
	};
	const size_t nplans = sizeof(plans) / sizeof(plans[0]);
	static struct msg m;
	struct efw_tls_hello h;
	size_t len, p, n, l, too_many, fit[4] = { 0 }, over[4] = { 0 };
	unsigned int recs;
	int i;

	ASSERT_LT(0, load_captures());
	for (i = 0; i < ncaps; i++) {
		const struct capture *c = &caps[i];
		u32 base = c->flags & ~EFW_TLS_F_MULTI_RECORD;

		to_msg(c->data, c->size, &m);
		/* The last two plans: records of one size, at most 64; more. */
		fit[0] = (m.n + EFW_TLS_MAX_RECORDS - 1) / EFW_TLS_MAX_RECORDS;
		over[0] = m.n / (EFW_TLS_MAX_RECORDS + 1);
		ASSERT_LT(0, over[0]) TH_LOG("%s", c->file);
		for (p = 0; p < nplans + 2; p++) {
			const size_t *plan = p < nplans ? plans[p] :
					     p == nplans ? fit : over;

			for (n = 0; n < 4 && plan[n]; n++)
				;
			len = frame(&m, plan, n, work, &recs);
			/* Where the parser meets a record too many, if any. */
			too_many = (size_t)EFW_TLS_MAX_RECORDS * (5 + plan[0]) + 5;
			if (p == nplans)
				ASSERT_GE(EFW_TLS_MAX_RECORDS, recs) TH_LOG("%s", c->file);
			if (p == nplans + 1)
				ASSERT_LT(EFW_TLS_MAX_RECORDS, recs) TH_LOG("%s", c->file);
			if (recs > EFW_TLS_MAX_RECORDS) {
				EXPECT_EQ(EFW_TLS_MALFORMED, parse(work, len, &h))
					TH_LOG("%s plan %zu: %u records", c->file, p, recs);
			} else {
				ASSERT_EQ(EFW_TLS_OK, parse(work, len, &h))
					TH_LOG("%s plan %zu", c->file, p);
				EXPECT_STREQ(c->sni, h.sni);
				EXPECT_EQ(base | (recs > 1 ? EFW_TLS_F_MULTI_RECORD : 0),
					  h.flags) TH_LOG("%s plan %zu", c->file, p);
				EXPECT_EQ(len, h.consumed);
			}
			if (p > 2 && p < nplans)
				continue;
			/*
			 * Records of one size: every prefix still asks for
			 * more, up to the record too many.
			 */
			for (l = 0; l < len; l++) {
				if (recs > EFW_TLS_MAX_RECORDS && l >= too_many) {
					ASSERT_EQ(EFW_TLS_MALFORMED, parse(work, l, &h))
						TH_LOG("%s plan %zu prefix %zu", c->file, p, l);
					continue;
				}
				ASSERT_EQ(EFW_TLS_NEED_MORE, parse(work, l, &h))
					TH_LOG("%s plan %zu prefix %zu", c->file, p, l);
				ASSERT_LT(l, h.need);
				ASSERT_GE(len, h.need);
			}
		}
	}
}

#define BYTES(s) { (const u8 *)(s), sizeof(s) - 1 }

TEST(not_tls)
{
	static const struct {
		const u8 *p;
		size_t n;
	} cases[] = {
		BYTES("GET / HTTP/1.1\r\nHost: central.sophos.com\r\n\r\n"),
		BYTES("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n"),
		BYTES("EHLO mail.example.com\r\n"),
		BYTES("G"), BYTES("\x16\x02"), BYTES("\x16\x04\x01"),
		BYTES("\x15\x03\x03\x00\x02\x02\x28"),	/* alert record first */
		BYTES("\x17\x03\x03\x00\x05hello"),	/* application data */
		BYTES("\x14\x03\x03\x00\x01\x01"),	/* change_cipher_spec */
		BYTES("\x16\x03\x01\x00\x05\x02\x00\x00\x01\x00"), /* server_hello */
		BYTES("\x16\x03\x01\x00\x05\x00"),	/* hello_request */
		BYTES("\x16\x03\x03\x00\x40\x0b"),	/* certificate */
		BYTES("\x80\x2e\x01\x00\x02\x00\x15\x00"), /* SSLv2 CLIENT-HELLO */
		BYTES("\x00"),
		BYTES("\xff\xff\xff\xff\xff\xff"),
	};
	struct efw_tls_hello h;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		EXPECT_EQ(EFW_TLS_NOT_TLS, parse(cases[i].p, cases[i].n, &h))
			TH_LOG("case %zu", i);
}

TEST(wrong_handshake_type_in_capture)
{
	const struct capture *c;
	struct efw_tls_hello h;

	c = find_capture("openssl.bin");
	ASSERT_NE(NULL, c);
	memcpy(work, c->data, c->size);
	work[5] = 2;
	EXPECT_EQ(EFW_TLS_NOT_TLS, parse(work, c->size, &h));
	work[5] = 11;
	EXPECT_EQ(EFW_TLS_NOT_TLS, parse(work, 6, &h));
	work[5] = 1;
	work[0] = 23;
	EXPECT_EQ(EFW_TLS_NOT_TLS, parse(work, c->size, &h));
}

TEST(record_limits)
{
	static const u8 zero[] = { 22, 3, 1, 0, 0, 1, 0, 0, 40 };
	static const u8 big[] = { 22, 3, 1, 0x40, 0x01, 1, 0, 0, 40 };
	static const u8 max[] = { 22, 3, 1, 0x40, 0x00, 1, 0, 0x40, 0 };
	static const u8 hs_big[] = { 22, 3, 1, 0, 4, 1, 0, 0x40, 0x01 };
	struct efw_tls_hello h;

	EXPECT_EQ(EFW_TLS_MALFORMED, parse(zero, sizeof(zero), &h));
	EXPECT_EQ(EFW_TLS_MALFORMED, parse(zero, 5, &h));
	EXPECT_EQ(EFW_TLS_MALFORMED, parse(big, sizeof(big), &h));
	EXPECT_EQ(EFW_TLS_MALFORMED, parse(big, 5, &h));
	/* A 16 KiB record carrying a 16 KiB - 4 hello: ask for all of it. */
	ASSERT_EQ(EFW_TLS_NEED_MORE, parse(max, sizeof(max), &h));
	EXPECT_EQ(5 + 16384, h.need);
	/* A handshake longer than the bound, with more records to come. */
	EXPECT_EQ(EFW_TLS_MALFORMED, parse(hs_big, sizeof(hs_big), &h));
}

/* A record that carries more than the hello is not a client's first flight. */
TEST(trailing_bytes_in_hello_record)
{
	const struct capture *c;
	struct efw_tls_hello h;

	c = find_capture("curl.bin");
	ASSERT_NE(NULL, c);
	memcpy(work, c->data, c->size);
	work[c->size] = 0;
	put16(work + 3, efw_get_be16(work + 3) + 1);
	EXPECT_EQ(EFW_TLS_MALFORMED, parse(work, c->size + 1, &h));
	/* Known as soon as the handshake header says how long the hello is. */
	EXPECT_EQ(EFW_TLS_NEED_MORE, parse(work, 8, &h));
	EXPECT_EQ(EFW_TLS_MALFORMED, parse(work, 9, &h));
}

TEST(interleaved_record)
{
	static struct msg m;
	static const size_t hundred = 100;
	const struct capture *c;
	struct efw_tls_hello h;
	unsigned int recs;
	size_t len;

	c = find_capture("chromium.bin");
	ASSERT_NE(NULL, c);
	to_msg(c->data, c->size, &m);
	len = frame(&m, &hundred, 1, work, &recs);
	ASSERT_EQ(EFW_TLS_OK, parse(work, len, &h));
	/* Second record turned into application data, alert, CCS. */
	work[105] = 23;
	EXPECT_EQ(EFW_TLS_MALFORMED, parse(work, len, &h));
	EXPECT_EQ(EFW_TLS_MALFORMED, parse(work, 106, &h));
	work[105] = 21;
	EXPECT_EQ(EFW_TLS_MALFORMED, parse(work, len, &h));
	work[105] = 20;
	EXPECT_EQ(EFW_TLS_MALFORMED, parse(work, len, &h));
	/* A CCS record inserted between two fragments. */
	work[105] = 22;
	memmove(work + 111, work + 105, len - 105);
	memcpy(work + 105, "\x14\x03\x03\x00\x01\x01", 6);
	EXPECT_EQ(EFW_TLS_MALFORMED, parse(work, len + 6, &h));
	/* Bad version or length in a later record header. */
	memmove(work + 105, work + 111, len - 105);
	work[106] = 2;
	EXPECT_EQ(EFW_TLS_MALFORMED, parse(work, len, &h));
	work[106] = 3;
	put16(work + 108, 0);
	EXPECT_EQ(EFW_TLS_MALFORMED, parse(work, len, &h));
	put16(work + 108, 16385);
	EXPECT_EQ(EFW_TLS_MALFORMED, parse(work, len, &h));
	put16(work + 108, 100);
	EXPECT_EQ(EFW_TLS_OK, parse(work, len, &h));
}

/*
 * Every length field of every capture, one at a time, +1, -1, all ones:
 * the parser may ask for more or refuse, but never report a name the
 * client did not send.
 */
TEST(length_fields_broken)
{
	static struct msg m;
	struct efw_tls_hello h;
	struct layout l;
	enum efw_tls_status st;
	size_t fields[80], widths[80], nf, f, len;
	int i, v, oks = 0, total = 0;

	ASSERT_LT(0, load_captures());
	for (i = 0; i < ncaps; i++) {
		const struct capture *c = &caps[i];

		to_msg(c->data, c->size, &m);
		map_msg(&m, &l);
		nf = 0;
		fields[nf] = 1; widths[nf++] = 3;	/* handshake length */
		fields[nf] = l.sid; widths[nf++] = 1;
		fields[nf] = l.cs; widths[nf++] = 2;
		fields[nf] = l.comp; widths[nf++] = 1;
		if (l.exts < m.n) {
			fields[nf] = l.exts; widths[nf++] = 2;
		}
		for (f = 0; f < (size_t)l.next && nf < 76; f++) {
			fields[nf] = l.ext[f] + 2; widths[nf++] = 2;
		}
		if (l.sni_ext) {
			fields[nf] = l.sni_ext + 4; widths[nf++] = 2;
			fields[nf] = l.sni_ext + 7; widths[nf++] = 2;
		}
		/* -1: the record length, on the framed message below */
		fields[nf] = (size_t)-1; widths[nf++] = 2;
		for (f = 0; f < nf; f++) {
			for (v = 0; v < 3; v++) {
				u32 old, val;
				u8 *p;

				len = frame1(&m, work);
				if (fields[f] == (size_t)-1)
					p = work + 3;
				else
					p = work + 5 + fields[f];
				old = widths[f] == 1 ? p[0] :
				      widths[f] == 2 ? efw_get_be16(p) :
				      efw_get_be24(p);
				val = v == 0 ? old + 1 : v == 1 ? old - 1 :
				      widths[f] == 1 ? 0xff : 0xffff;
				if (widths[f] == 1)
					p[0] = (u8)val;
				else if (widths[f] == 2)
					put16(p, val);
				else
					put24(p, val);
				st = parse(work, len, &h);
				total++;
				if (st == EFW_TLS_OK) {
					oks++;
					EXPECT_STREQ(c->sni, h.sni)
						TH_LOG("%s field %zu v %d", c->file, f, v);
					EXPECT_TRUE(sane_ok(&h, len));
				} else {
					EXPECT_NE(EFW_TLS_NOT_TLS, st)
						TH_LOG("%s field %zu v %d", c->file, f, v);
				}
			}
		}
	}
	/* A broken length must not pass unnoticed more than by rare luck. */
	TH_LOG("%d of %d broken lengths still parsed", oks, total);
	EXPECT_GT(total / 20, oks);
}

TEST(truncated_vectors)
{
	static struct msg m, mm;
	const struct capture *c;
	struct efw_tls_hello h;
	struct layout l;
	size_t n, len;

	/* Cut the message short anywhere and fix the outer lengths only. */
	c = find_capture("java17.bin");
	ASSERT_NE(NULL, c);
	to_msg(c->data, c->size, &m);
	map_msg(&m, &l);
	for (n = 4; n < m.n; n++) {
		mm = m;
		mm.n = n;
		put24(mm.p + 1, n - 4);
		len = frame1(&mm, work);
		/* Cut right before the extensions: a valid old-style hello. */
		EXPECT_EQ(n == l.exts ? EFW_TLS_OK : EFW_TLS_MALFORMED,
			  parse(work, len, &h))
			TH_LOG("cut at %zu", n);
	}
}

TEST(no_sni)
{
	static struct msg m;
	struct efw_tls_hello h;
	struct layout l;
	size_t len;
	int i;

	ASSERT_LT(0, load_captures());
	for (i = 0; i < ncaps; i++) {
		const struct capture *c = &caps[i];

		to_msg(c->data, c->size, &m);
		map_msg(&m, &l);
		if (!l.sni_ext)
			continue;
		splice_ext(&m, l.sni_ext, 4 + efw_get_be16(m.p + l.sni_ext + 2),
			   NULL, 0);
		len = frame1(&m, work);
		ASSERT_EQ(EFW_TLS_OK, parse(work, len, &h)) TH_LOG("%s", c->file);
		EXPECT_EQ(0, h.sni_len);
		EXPECT_STREQ("", h.sni);
		EXPECT_EQ((c->flags & ~EFW_TLS_F_MULTI_RECORD) | EFW_TLS_F_NO_SNI,
			  h.flags) TH_LOG("%s", c->file);
	}
}

/* A TLS 1.0-style hello may end after compression_methods. */
TEST(no_extensions)
{
	static struct msg m;
	const struct capture *c;
	struct efw_tls_hello h;
	struct layout l;
	size_t len;

	c = find_capture("openssl-tls1_2.bin");
	ASSERT_NE(NULL, c);
	to_msg(c->data, c->size, &m);
	map_msg(&m, &l);
	m.n = l.exts;
	put24(m.p + 1, m.n - 4);
	len = frame1(&m, work);
	ASSERT_EQ(EFW_TLS_OK, parse(work, len, &h));
	EXPECT_EQ(EFW_TLS_F_NO_SNI, h.flags);
	/* One stray byte where the extensions length would be. */
	m.p[m.n++] = 0;
	put24(m.p + 1, m.n - 4);
	len = frame1(&m, work);
	EXPECT_EQ(EFW_TLS_MALFORMED, parse(work, len, &h));
	/* An empty extensions block is fine too. */
	m.p[m.n++] = 0;
	put24(m.p + 1, m.n - 4);
	len = frame1(&m, work);
	ASSERT_EQ(EFW_TLS_OK, parse(work, len, &h));
	EXPECT_EQ(EFW_TLS_F_NO_SNI, h.flags);
}

/* Replace @del bytes at @off of the message with @n bytes of @ins. */
static void splice_msg(struct msg *m, size_t off, size_t del, const u8 *ins,
		       size_t n)
{
	long delta = (long)n - (long)del;

	memmove(m->p + off + n, m->p + off + del, m->n - off - del);
	if (n)
		memcpy(m->p + off, ins, n);
	m->n += delta;
	put24(m->p + 1, efw_get_be24(m->p + 1) + delta);
}

/* Vectors before the extensions, each broken while the framing stays right. */
TEST(fixed_part_rules)
{
	static struct msg m;
	const struct capture *c;
	struct efw_tls_hello h;
	struct layout l;
	size_t len;

	c = find_capture("java17.bin");
	ASSERT_NE(NULL, c);
#define RESET() do { to_msg(c->data, c->size, &m); map_msg(&m, &l); } while (0)
#define CHECK(want) do { len = frame1(&m, work); \
		EXPECT_EQ(want, parse(work, len, &h)); } while (0)
	RESET();
	ASSERT_EQ(32, m.p[l.sid]);
	CHECK(EFW_TLS_OK);
	/* legacy_session_id of 33 bytes */
	splice_msg(&m, l.sid + 1, 0, (const u8 *)"x", 1);
	m.p[l.sid] = 33;
	CHECK(EFW_TLS_MALFORMED);
	/* An empty session id is fine */
	RESET();
	splice_msg(&m, l.sid + 1, 32, NULL, 0);
	m.p[l.sid] = 0;
	CHECK(EFW_TLS_OK);
	/* cipher_suites: odd length, empty */
	RESET();
	splice_msg(&m, l.cs + 2, 0, (const u8 *)"x", 1);
	put16(m.p + l.cs, efw_get_be16(m.p + l.cs) + 1);
	CHECK(EFW_TLS_MALFORMED);
	RESET();
	splice_msg(&m, l.cs + 2, efw_get_be16(m.p + l.cs), NULL, 0);
	put16(m.p + l.cs, 0);
	CHECK(EFW_TLS_MALFORMED);
	/* compression_methods: empty */
	RESET();
	splice_msg(&m, l.comp + 1, m.p[l.comp], NULL, 0);
	m.p[l.comp] = 0;
	CHECK(EFW_TLS_MALFORMED);
	/* legacy_version not 3.x */
	RESET();
	m.p[4] = 2;
	CHECK(EFW_TLS_MALFORMED);
	RESET();
	m.p[4] = 3;
	m.p[5] = 1;
	len = frame1(&m, work);
	ASSERT_EQ(EFW_TLS_OK, parse(work, len, &h));
	EXPECT_EQ(0x0301, h.hello_version);
#undef RESET
#undef CHECK
}

/* The extensions block length must match the rest of the message. */
TEST(extensions_block_length)
{
	static struct msg m;
	struct efw_tls_hello h;
	struct layout l;
	size_t len;
	int i, d;

	ASSERT_LT(0, load_captures());
	for (i = 0; i < ncaps; i++) {
		for (d = -2; d <= 2; d++) {
			to_msg(caps[i].data, caps[i].size, &m);
			map_msg(&m, &l);
			put16(m.p + l.exts, efw_get_be16(m.p + l.exts) + d);
			len = frame1(&m, work);
			EXPECT_EQ(d ? EFW_TLS_MALFORMED : EFW_TLS_OK,
				  parse(work, len, &h))
				TH_LOG("%s %+d", caps[i].file, d);
		}
	}
}

TEST(sni_names)
{
	static const struct {
		const char *in, *out;	/* out NULL: MALFORMED */
	} cases[] = {
		{ "central.sophos.com", "central.sophos.com" },
		{ "Central.SOPHOS.Com", "central.sophos.com" },
		{ "central.sophos.com.", "central.sophos.com" },
		{ "a", "a" },
		{ "_dmarc.x-y.example", "_dmarc.x-y.example" },
		{ "xn--bcher-kva.example", "xn--bcher-kva.example" },
		{ "1.2.3.4", "1.2.3.4" },
		{ "", NULL },
		{ ".", NULL },
		{ "central.sophos.com..", NULL },
		{ ".central.sophos.com", NULL },
		{ "central..sophos.com", NULL },
		{ "central.sophos.com/x", NULL },
		{ "central sophos.com", NULL },
		{ "*.sophos.com", NULL },
		{ "central.sophos.com:443", NULL },
		{ "b\xc3\xbc" "cher.example", NULL },
		{ "[::1]", NULL },
	};
	const struct capture *c;
	struct efw_tls_hello h;
	enum efw_tls_status st;
	size_t i, len;

	c = find_capture("chromium.bin");
	ASSERT_NE(NULL, c);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		len = with_name(c, cases[i].in, strlen(cases[i].in), 1, 0, work);
		st = parse(work, len, &h);
		if (!cases[i].out) {
			EXPECT_EQ(EFW_TLS_MALFORMED, st) TH_LOG("'%s'", cases[i].in);
			continue;
		}
		ASSERT_EQ(EFW_TLS_OK, st) TH_LOG("'%s'", cases[i].in);
		EXPECT_STREQ(cases[i].out, h.sni);
		EXPECT_EQ(EFW_TLS_F_ECH, h.flags);
	}
	/* A NUL inside the name */
	len = with_name(c, "evil.com\0.sophos.com", 20, 1, 0, work);
	EXPECT_EQ(EFW_TLS_MALFORMED, parse(work, len, &h));
}

TEST(sni_lengths)
{
	char name[300];
	const struct capture *c;
	struct efw_tls_hello h;
	size_t len, i;

	c = find_capture("openssl.bin");
	ASSERT_NE(NULL, c);
	/* 63-byte labels: 4 labels of 63 + "a" = 253 bytes. */
	memset(name, 'a', sizeof(name));
	for (i = 63; i < 260; i += 64)
		name[i] = '.';
	len = with_name(c, name, 253, 1, 0, work);
	ASSERT_EQ(EFW_TLS_OK, parse(work, len, &h));
	EXPECT_EQ(253, h.sni_len);
	EXPECT_EQ(253, strlen(h.sni));
	/* 254 bytes: too long, unless the last is the root dot. */
	name[253] = 'a';
	len = with_name(c, name, 254, 1, 0, work);
	EXPECT_EQ(EFW_TLS_MALFORMED, parse(work, len, &h));
	name[253] = '.';
	len = with_name(c, name, 254, 1, 0, work);
	ASSERT_EQ(EFW_TLS_OK, parse(work, len, &h));
	EXPECT_EQ(253, h.sni_len);
	len = with_name(c, name, 255, 1, 0, work);
	EXPECT_EQ(EFW_TLS_MALFORMED, parse(work, len, &h));
	/* A 64-byte label */
	memset(name, 'b', 64);
	strcpy(name + 64, ".com");
	len = with_name(c, name, 68, 1, 0, work);
	EXPECT_EQ(EFW_TLS_MALFORMED, parse(work, len, &h));
	len = with_name(c, name + 1, 67, 1, 0, work);
	EXPECT_EQ(EFW_TLS_OK, parse(work, len, &h));
}

TEST(sni_list_shapes)
{
	static struct msg m;
	const struct capture *c;
	struct efw_tls_hello h;
	struct layout l;
	u8 ext[600];
	size_t len, n;

	c = find_capture("node.bin");
	ASSERT_NE(NULL, c);
	/* Two host_name entries in one list */
	len = with_name(c, "a.example", 9, 2, 0, work);
	EXPECT_EQ(EFW_TLS_MALFORMED, parse(work, len, &h));
	/* An unknown name type */
	len = with_name(c, "a.example", 9, 1, 1, work);
	EXPECT_EQ(EFW_TLS_MALFORMED, parse(work, len, &h));
	/* An empty list */
	len = with_name(c, "", 0, 0, 0, work);
	EXPECT_EQ(EFW_TLS_MALFORMED, parse(work, len, &h));

	/* A second server_name extension, same or different name */
	to_msg(c->data, c->size, &m);
	n = sni_ext(ext, "www.example.com", 15, 1, 0);
	splice_ext(&m, m.n, 0, ext, n);
	len = frame1(&m, work);
	EXPECT_EQ(EFW_TLS_MALFORMED, parse(work, len, &h));
	to_msg(c->data, c->size, &m);
	n = sni_ext(ext, "evil.example", 12, 1, 0);
	splice_ext(&m, m.n, 0, ext, n);
	len = frame1(&m, work);
	EXPECT_EQ(EFW_TLS_MALFORMED, parse(work, len, &h));

	/* An empty server_name extension (what servers send back) */
	to_msg(c->data, c->size, &m);
	map_msg(&m, &l);
	ASSERT_NE(0, l.sni_ext);
	splice_ext(&m, l.sni_ext, 4 + efw_get_be16(m.p + l.sni_ext + 2),
		   (const u8 *)"\0\0\0\0", 4);
	len = frame1(&m, work);
	EXPECT_EQ(EFW_TLS_MALFORMED, parse(work, len, &h));

	/*
	 * The list shorter than the extension, the bytes after it shaped
	 * like an empty padding extension: still one extension, refused.
	 */
	to_msg(c->data, c->size, &m);
	n = sni_ext(ext, "a.example", 9, 1, 0);
	memcpy(ext + n, "\x00\x15\x00\x00", 4);
	n += 4;
	put16(ext + 2, n - 4);
	map_msg(&m, &l);
	splice_ext(&m, l.sni_ext, 4 + efw_get_be16(m.p + l.sni_ext + 2), ext, n);
	len = frame1(&m, work);
	EXPECT_EQ(EFW_TLS_MALFORMED, parse(work, len, &h));
}

TEST(ech)
{
	static struct msg m;
	static const u8 inner[] = { 0xfe, 0x0d, 0, 1, 1 };
	static const u8 outer[] = { 0xfe, 0x0d, 0, 3, 0, 0, 1 };
	static const u8 empty[] = { 0xfe, 0x0d, 0, 0 };
	const struct capture *c;
	struct efw_tls_hello h;
	size_t len;

	c = find_capture("python.bin");
	ASSERT_NE(NULL, c);
	to_msg(c->data, c->size, &m);
	splice_ext(&m, m.n, 0, inner, sizeof(inner));
	len = frame1(&m, work);
	ASSERT_EQ(EFW_TLS_OK, parse(work, len, &h));
	EXPECT_EQ(EFW_TLS_F_ECH | EFW_TLS_F_ECH_INNER, h.flags);
	EXPECT_STREQ("www.example.com", h.sni);
	/* Twice */
	splice_ext(&m, m.n, 0, outer, sizeof(outer));
	len = frame1(&m, work);
	EXPECT_EQ(EFW_TLS_MALFORMED, parse(work, len, &h));

	to_msg(c->data, c->size, &m);
	splice_ext(&m, m.n, 0, outer, sizeof(outer));
	len = frame1(&m, work);
	ASSERT_EQ(EFW_TLS_OK, parse(work, len, &h));
	EXPECT_EQ(EFW_TLS_F_ECH, h.flags);

	to_msg(c->data, c->size, &m);
	splice_ext(&m, m.n, 0, empty, sizeof(empty));
	len = frame1(&m, work);
	EXPECT_EQ(EFW_TLS_MALFORMED, parse(work, len, &h));
}

TEST(random_bytes)
{
	struct efw_tls_hello h;
	enum efw_tls_status st;
	u32 seed = 42;
	size_t len, j;
	int i;

	for (i = 0; i < 20000; i++) {
		len = rnd(&seed) % 600;
		for (j = 0; j < len; j++)
			work[j] = (u8)rnd(&seed);
		/* Half the time, a plausible record and handshake header. */
		if (i & 1 && len >= 9) {
			work[0] = 22;
			work[1] = 3;
			work[5] = 1;
			work[6] = 0;
		}
		st = parse(work, len, &h);
		ASSERT_NE(EFW_TLS_OK, st) TH_LOG("iteration %d", i);
		if (st == EFW_TLS_NEED_MORE)
			ASSERT_LT(len, h.need);
	}
}

TEST(random_mutations)
{
	struct efw_tls_hello h;
	enum efw_tls_status st;
	u32 seed = 0xc0ffee;
	size_t len, pos;
	int i, k, n, oks = 0, counts[4] = { 0 };

	ASSERT_LT(0, load_captures());
	for (i = 0; i < 60000; i++) {
		const struct capture *c = &caps[rnd(&seed) % ncaps];

		memcpy(work, c->data, c->size);
		len = c->size;
		n = 1 + rnd(&seed) % 4;
		for (k = 0; k < n && len > 1; k++) {
			pos = rnd(&seed) % len;
			switch (rnd(&seed) % 5) {
			case 0:
				work[pos] ^= (u8)(1 << (rnd(&seed) & 7));
				break;
			case 1:
				work[pos] = (u8)rnd(&seed);
				break;
			case 2:		/* delete a byte */
				memmove(work + pos, work + pos + 1, len - pos - 1);
				len--;
				break;
			case 3:		/* insert a byte */
				memmove(work + pos + 1, work + pos, len - pos);
				work[pos] = (u8)rnd(&seed);
				len++;
				break;
			default:	/* truncate */
				len = pos + 1;
				break;
			}
		}
		st = parse(work, len, &h);
		counts[st]++;
		if (st == EFW_TLS_OK) {
			oks++;
			ASSERT_TRUE(sane_ok(&h, len)) TH_LOG("iteration %d", i);
		} else if (st == EFW_TLS_NEED_MORE) {
			ASSERT_LT(len, h.need);
		}
	}
	TH_LOG("ok %d need_more %d not_tls %d malformed %d", counts[0],
	       counts[1], counts[2], counts[3]);
	/* Some mutations hit bytes nobody checks (random, key shares). */
	EXPECT_LT(0, oks);
	EXPECT_LT(0, counts[EFW_TLS_MALFORMED]);
}

TEST_HARNESS_MAIN
