// SPDX-License-Identifier: GPL-2.0
/*
 * ClientHello parser tests on malformed input: what is no hello at all,
 * broken record framing, and hellos crafted from the captures with length
 * fields broken one at a time, vectors cut short, missing or misshapen;
 * then random bytes and random mutations of the captures.
 */
#include <string.h>

#include "kselftest_harness.h"
#include "tls_captures.h"

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
