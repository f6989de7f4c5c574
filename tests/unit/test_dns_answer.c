// SPDX-License-Identifier: GPL-2.0
/*
 * The DNS answer parser (kmod/dns_answer.c): real dnsmasq responses from
 * tests/data/dns (expected values in its MANIFEST, written from the zone
 * dnsmasq was given, see tests/data/capture-dns), hostile messages built
 * here byte by byte, every prefix of every capture, and a fixed-seed
 * mutation loop.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "dns_answer.h"

#define DATA "tests/data/dns/"

/* ---- message builder ------------------------------------------------ */

struct msg {
	u8 b[8192];
	size_t len;
};

static void put(struct msg *m, const void *p, size_t n)
{
	if (m->len + n > sizeof(m->b))
		abort();
	memcpy(m->b + m->len, p, n);
	m->len += n;
}

static void put8(struct msg *m, unsigned int v)
{
	u8 c = (u8)v;

	put(m, &c, 1);
}

static void put16(struct msg *m, unsigned int v)
{
	put8(m, v >> 8);
	put8(m, v);
}

static void put32(struct msg *m, u32 v)
{
	put16(m, v >> 16);
	put16(m, v & 0xffff);
}

/* Labels of a dotted name, without the terminating root label. */
static size_t put_labels(struct msg *m, const char *name)
{
	size_t start = m->len;

	while (*name) {
		const char *dot = strchr(name, '.');
		size_t n = dot ? (size_t)(dot - name) : strlen(name);

		put8(m, n);
		put(m, name, n);
		name += n;
		if (*name == '.')
			name++;
	}
	return start;
}

static size_t put_name(struct msg *m, const char *name)
{
	size_t start = put_labels(m, name);

	put8(m, 0);
	return start;
}

static void put_ptr(struct msg *m, size_t off)
{
	put16(m, 0xc000 | off);
}

#define F_RESP 0x8180	/* QR, RD, RA, opcode QUERY, NOERROR */

static void hdr(struct msg *m, unsigned int flags, unsigned int qd,
		unsigned int an, unsigned int ns, unsigned int ar)
{
	m->len = 0;
	put16(m, 0x1234);
	put16(m, flags);
	put16(m, qd);
	put16(m, an);
	put16(m, ns);
	put16(m, ar);
}

static void question(struct msg *m, const char *name, unsigned int qtype)
{
	put_name(m, name);
	put16(m, qtype);
	put16(m, 1);
}

static void fixed(struct msg *m, unsigned int type, unsigned int class,
		  u32 ttl, unsigned int rdlen)
{
	put16(m, type);
	put16(m, class);
	put32(m, ttl);
	put16(m, rdlen);
}

static void rr_a(struct msg *m, const char *owner, u32 ttl, u32 addr)
{
	put_name(m, owner);
	fixed(m, 1, 1, ttl, 4);
	put32(m, addr);
}

static void rr_aaaa(struct msg *m, const char *owner, u32 ttl, u8 last)
{
	u8 a[16] = { 0x20, 0x01, 0x0d, 0xb8 };

	a[15] = last;
	put_name(m, owner);
	fixed(m, 28, 1, ttl, 16);
	put(m, a, 16);
}

static void rr_cname(struct msg *m, const char *owner, const char *target,
		     u32 ttl)
{
	put_name(m, owner);
	fixed(m, 5, 1, ttl, strlen(target) + (*target ? 2 : 1));
	put_name(m, target);
}

static enum efw_dns_status parse(const struct msg *m, struct efw_dns_result *r)
{
	return efw_dns_parse(m->b, m->len, r);
}

static u32 addr4(const struct efw_dns_result *r, unsigned int i)
{
	return efw_get_be32(r->addrs[i].addr);
}

/* ---- captures ------------------------------------------------------- */

static u8 *load(const char *file, size_t *len)
{
	char path[256];
	u8 *buf = NULL;
	FILE *f;
	long n;

	snprintf(path, sizeof(path), DATA "%s", file);
	f = fopen(path, "rb");
	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 &&
	    fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc(n);
		if (buf && fread(buf, 1, n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		*len = n;
	}
	fclose(f);
	return buf;
}

static bool is_tcp(const char *file)
{
	size_t n = strlen(file);

	return n > 4 && !strcmp(file + n - 4, ".tcp");
}

static bool is_capture(const char *file)
{
	size_t n = strlen(file);

	return is_tcp(file) || (n > 4 && !strcmp(file + n - 4, ".bin"));
}

/* Invariants that hold for any input and any status. */
static bool sane(const struct efw_dns_result *r, enum efw_dns_status st)
{
	unsigned int i;

	if (st != EFW_DNS_OK)
		return r->n_names == 0 && r->n_addrs == 0;
	if (r->n_names < 1 || r->n_names > EFW_DNS_MAX_NAMES ||
	    r->n_addrs > EFW_DNS_MAX_ADDRS)
		return false;
	for (i = 0; i < r->n_names; i++) {
		const char *n = r->names[i];

		if (r->name_len[i] > EFW_NAME_MAX || n[r->name_len[i]] ||
		    strlen(n) != r->name_len[i])
			return false;
		for (; *n; n++)
			if (*n >= 'A' && *n <= 'Z')
				return false;
	}
	for (i = 0; i < r->n_addrs; i++)
		if (r->addrs[i].family != 4 && r->addrs[i].family != 6)
			return false;
	if (r->n_addrs == 0 && r->min_ttl != 0)
		return false;
	if (r->min_ttl & 0x80000000U)
		return false;
	return true;
}

struct manifest_line {
	char file[64];
	unsigned int id, qtype, rcode;
	char flags[8];
	u32 min_ttl;
	unsigned int n_addrs, dropped;
	char chain[1024];
	char addrs[2048];
};

static int read_manifest(struct manifest_line *lines, int max)
{
	char buf[4096];
	FILE *f = fopen(DATA "MANIFEST", "r");
	int n = 0;

	if (!f)
		return -1;
	while (n < max && fgets(buf, sizeof(buf), f)) {
		struct manifest_line *l = &lines[n];

		if (buf[0] == '#' || buf[0] == '\n')
			continue;
		if (sscanf(buf, "%63s %x %u %u %7s %u %u %u %1023s %2047s",
			   l->file, &l->id, &l->qtype, &l->rcode, l->flags,
			   &l->min_ttl, &l->n_addrs, &l->dropped, l->chain,
			   l->addrs) != 10) {
			n = -1;
			break;
		}
		n++;
	}
	fclose(f);
	return n;
}

/* Is the address @a (family @fam) in the comma list @list? */
static bool in_list(const char *list, int fam, const u8 *a)
{
	char copy[2048], *save = NULL, *tok;
	u8 want[16];

	snprintf(copy, sizeof(copy), "%s", list);
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (inet_pton(fam == 4 ? AF_INET : AF_INET6, tok, want) == 1 &&
		    !memcmp(want, a, fam == 4 ? 4 : 16))
			return true;
	}
	return false;
}

static int count_list(const char *list)
{
	int n = 1;

	if (!strcmp(list, "-"))
		return 0;
	for (; *list; list++)
		n += *list == ',';
	return n;
}

/*
 * The names of @r, joined by commas, must be @chain; its addresses must
 * be in the comma list @addrs, each once.
 */
static void expect_chain_addrs(struct __test_metadata *_metadata,
			       const char *what, const struct efw_dns_result *r,
			       const char *chain, const char *addrs)
{
	char got[EFW_DNS_MAX_NAMES * (EFW_NAME_MAX + 1) + 1] = "";
	unsigned int k, j;

	for (k = 0; k < r->n_names; k++) {
		if (k)
			strcat(got, ",");
		strcat(got, r->names[k]);
	}
	EXPECT_STREQ(chain, got) TH_LOG("%s", what);
	for (k = 0; k < r->n_addrs; k++) {
		EXPECT_TRUE(in_list(addrs, r->addrs[k].family, r->addrs[k].addr))
			TH_LOG("%s: address %u unexpected", what, k);
		for (j = 0; j < k; j++) {
			EXPECT_FALSE(r->addrs[j].family == r->addrs[k].family &&
				     !memcmp(r->addrs[j].addr, r->addrs[k].addr, 16))
				TH_LOG("%s: duplicate address", what);
		}
	}
}

#define MAX_LINES 64

TEST(captures_match_manifest)
{
	static struct manifest_line lines[MAX_LINES];
	static struct efw_dns_result r;
	int n = read_manifest(lines, MAX_LINES), i;

	ASSERT_GE(n, 16) TH_LOG("MANIFEST unreadable or short (%d)", n);
	for (i = 0; i < n; i++) {
		const struct manifest_line *l = &lines[i];
		enum efw_dns_status st;
		size_t len = 0, need = 0;
		u8 *buf = load(l->file, &len);

		ASSERT_NE(NULL, buf) TH_LOG("%s missing", l->file);
		if (is_tcp(l->file)) {
			st = efw_dns_parse_tcp(buf, len, &r, &need);
			EXPECT_EQ(len, need) TH_LOG("%s", l->file);
		} else {
			st = efw_dns_parse(buf, len, &r);
		}
		ASSERT_EQ(EFW_DNS_OK, st) TH_LOG("%s", l->file);
		ASSERT_TRUE(sane(&r, st)) TH_LOG("%s", l->file);
		EXPECT_EQ(l->id, r.id) TH_LOG("%s", l->file);
		EXPECT_EQ(l->qtype, r.qtype) TH_LOG("%s", l->file);
		EXPECT_EQ(l->rcode, r.rcode) TH_LOG("%s", l->file);
		EXPECT_EQ(!strcmp(l->flags, "tc") ? EFW_DNS_F_TRUNCATED : 0,
			  r.flags) TH_LOG("%s", l->file);
		EXPECT_EQ(l->min_ttl, r.min_ttl) TH_LOG("%s", l->file);
		EXPECT_EQ(l->n_addrs, r.n_addrs) TH_LOG("%s", l->file);
		EXPECT_EQ(l->dropped, r.addrs_dropped) TH_LOG("%s", l->file);
		expect_chain_addrs(_metadata, l->file, &r, l->chain, l->addrs);
		/* Nothing dropped: then every expected address came back. */
		if (!r.addrs_dropped && !(r.flags & EFW_DNS_F_TRUNCATED))
			EXPECT_EQ(count_list(l->addrs), r.n_addrs)
				TH_LOG("%s", l->file);
		free(buf);
	}
}

/* Every capture in the directory is described, so none goes unchecked. */
TEST(every_capture_in_manifest)
{
	static struct manifest_line lines[MAX_LINES];
	int n = read_manifest(lines, MAX_LINES), i, files = 0;
	struct dirent *e;
	DIR *d;

	ASSERT_GT(n, 0);
	d = opendir(DATA);
	ASSERT_NE(NULL, d);
	while ((e = readdir(d))) {
		bool found = false;

		if (!is_capture(e->d_name))
			continue;
		files++;
		for (i = 0; i < n; i++)
			found |= !strcmp(lines[i].file, e->d_name);
		EXPECT_TRUE(found) TH_LOG("%s not in MANIFEST", e->d_name);
	}
	closedir(d);
	EXPECT_EQ(n, files);
}

/* The captures do exercise compression: dnsmasq points back at names. */
TEST(captures_use_compression)
{
	static const char *const files[] = {
		"a.bin", "cname3-a.bin", "mixcase.bin", "many.tcp",
	};
	unsigned int i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		size_t len = 0;
		u8 *buf = load(files[i], &len);

		ASSERT_NE(NULL, buf);
		EXPECT_NE(NULL, memmem(buf, len, "\xc0\x0c", 2))
			TH_LOG("%s", files[i]);
		free(buf);
	}
}

/* cname3-a.bin: host.cdn.test's owner is a pointer into the CNAME RDATA. */
TEST(capture_pointer_into_rdata)
{
	static struct efw_dns_result r;
	size_t len = 0;
	u8 *buf = load("cname3-a.bin", &len);

	ASSERT_NE(NULL, buf);
	ASSERT_EQ(104, len);
	/* the last RR: 2-byte owner, 10 fixed, 4 RDATA */
	ASSERT_EQ(0xc0, buf[len - 16] & 0xc0);
	EXPECT_GT((size_t)(((buf[len - 16] & 0x3f) << 8) | buf[len - 15]),
		  (size_t)34);	/* beyond the question */
	ASSERT_EQ(EFW_DNS_OK, efw_dns_parse(buf, len, &r));
	EXPECT_STREQ("host.cdn.test", r.names[2]);
	free(buf);
}

/* Every strict prefix of every capture is refused, never misread. */
TEST(captures_truncated_everywhere)
{
	static struct efw_dns_result r;
	struct dirent *e;
	DIR *d = opendir(DATA);
	int files = 0;

	ASSERT_NE(NULL, d);
	while ((e = readdir(d))) {
		size_t len = 0, cut, need, mlen;
		const u8 *m;
		u8 *buf, *framed;

		if (!is_capture(e->d_name))
			continue;
		buf = load(e->d_name, &len);
		ASSERT_NE(NULL, buf);
		files++;
		m = is_tcp(e->d_name) ? buf + 2 : buf;
		mlen = is_tcp(e->d_name) ? len - 2 : len;
		for (cut = 0; cut < mlen; cut++) {
			u8 *copy = malloc(cut ? cut : 1);	/* ASan sees overreads */

			memcpy(copy, m, cut);
			ASSERT_EQ(EFW_DNS_MALFORMED, efw_dns_parse(copy, cut, &r))
				TH_LOG("%s cut at %zu", e->d_name, cut);
			ASSERT_TRUE(sane(&r, EFW_DNS_MALFORMED));
			free(copy);
		}
		/* The same message framed for TCP, fed a byte short each time. */
		framed = malloc(mlen + 2);
		framed[0] = mlen >> 8;
		framed[1] = mlen & 0xff;
		memcpy(framed + 2, m, mlen);
		for (cut = 0; cut < mlen + 2; cut++) {
			u8 *copy = malloc(cut ? cut : 1);

			memcpy(copy, framed, cut);
			need = 0;
			ASSERT_EQ(EFW_DNS_NEED_MORE,
				  efw_dns_parse_tcp(copy, cut, &r, &need))
				TH_LOG("%s cut at %zu", e->d_name, cut);
			EXPECT_EQ(cut < 2 ? 2 : mlen + 2, need);
			free(copy);
		}
		ASSERT_EQ(EFW_DNS_OK,
			  efw_dns_parse_tcp(framed, mlen + 2, &r, &need));
		EXPECT_EQ(mlen + 2, need);
		free(framed);
		free(buf);
	}
	closedir(d);
	EXPECT_GE(files, 16);
}

static u32 rnd_state = 0x2545f491;

static u32 rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

/* Fixed-seed mutations of every capture: no crash, invariants hold. */
TEST(captures_mutated)
{
	static struct efw_dns_result r;
	static const u8 interesting[] = { 0x00, 0x01, 0x3f, 0x40, 0x7f, 0x80,
					  0xc0, 0xc0, 0xff, 0x0c, 0x05, 0x1c };
	struct dirent *e;
	DIR *d = opendir(DATA);
	unsigned int runs = 0, ok = 0;

	ASSERT_NE(NULL, d);
	while ((e = readdir(d))) {
		size_t len = 0, need;
		u8 *buf;
		int it;

		if (!is_capture(e->d_name))
			continue;
		buf = load(e->d_name, &len);
		ASSERT_NE(NULL, buf);
		for (it = 0; it < 2000; it++) {
			size_t n = len, pos;
			u8 *copy = malloc(len + 1);
			unsigned int k, edits = 1 + rnd() % 6;
			enum efw_dns_status st;

			memcpy(copy, buf, len);
			for (k = 0; k < edits; k++) {
				pos = rnd() % len;
				switch (rnd() % 4) {
				case 0:
					copy[pos] = rnd();
					break;
				case 1:
					copy[pos] = interesting[rnd() % sizeof(interesting)];
					break;
				case 2:
					copy[pos] ^= 1u << (rnd() % 8);
					break;
				default:
					n = pos + 1;	/* truncate */
					break;
				}
			}
			if (is_tcp(e->d_name))
				st = efw_dns_parse_tcp(copy, n, &r, &need);
			else
				st = efw_dns_parse(copy, n, &r);
			ASSERT_TRUE(sane(&r, st))
				TH_LOG("%s iteration %d", e->d_name, it);
			ok += st == EFW_DNS_OK;
			runs++;
			free(copy);
		}
		free(buf);
	}
	closedir(d);
	EXPECT_GE(runs, 30000);
	/* The mutations are not all caught at the header: some still parse. */
	EXPECT_GT(ok, 100);
	TH_LOG("%u mutated messages, %u parsed", runs, ok);
}

/* ---- built messages: well-formed ------------------------------------ */

/* An answer record of a table; AAAA addresses are 2001:db8::@v. */
struct rec {
	unsigned int type;
	const char *owner, *target;	/* target: CNAME only */
	u32 ttl, v;			/* v: the A address, the AAAA last byte */
};

#define REC_A(owner, ttl, addr)		{ 1, owner, NULL, ttl, addr }
#define REC_AAAA(owner, ttl, last)	{ 28, owner, NULL, ttl, last }
#define REC_CNAME(owner, target, ttl)	{ 5, owner, target, ttl, 0 }

/*
 * A response to one question, with the header flags and section counts
 * given (the records follow in order), and the result it must give: the
 * chain and the addresses as comma lists, as in the MANIFEST.
 */
struct answer {
	const char *what;
	unsigned int hflags, an, ns, ar;
	const char *qname;
	unsigned int qtype;
	struct rec rr[4];
	const char *chain, *addrs;
	u32 min_ttl;
	unsigned int flags;
};

static void check_answers(struct __test_metadata *_metadata,
			  const struct answer *a, size_t n)
{
	static struct efw_dns_result r;
	static struct msg m;
	const struct rec *rr;

	for (; n; n--, a++) {
		hdr(&m, a->hflags, 1, a->an, a->ns, a->ar);
		question(&m, a->qname, a->qtype);
		for (rr = a->rr; rr < a->rr + a->an + a->ns + a->ar; rr++) {
			if (rr->type == 1)
				rr_a(&m, rr->owner, rr->ttl, rr->v);
			else if (rr->type == 28)
				rr_aaaa(&m, rr->owner, rr->ttl, rr->v);
			else
				rr_cname(&m, rr->owner, rr->target, rr->ttl);
		}
		ASSERT_EQ(EFW_DNS_OK, parse(&m, &r)) TH_LOG("%s", a->what);
		ASSERT_TRUE(sane(&r, EFW_DNS_OK)) TH_LOG("%s", a->what);
		EXPECT_EQ(0x1234, r.id) TH_LOG("%s", a->what);
		EXPECT_EQ(a->qtype, r.qtype) TH_LOG("%s", a->what);
		EXPECT_EQ(a->hflags & 0xf, r.rcode) TH_LOG("%s", a->what);
		EXPECT_EQ(a->flags, r.flags) TH_LOG("%s", a->what);
		EXPECT_EQ(a->min_ttl, r.min_ttl) TH_LOG("%s", a->what);
		EXPECT_EQ(count_list(a->addrs), r.n_addrs) TH_LOG("%s", a->what);
		expect_chain_addrs(_metadata, a->what, &r, a->chain, a->addrs);
	}
}

TEST(simple_a)
{
	static const struct answer a[] = {
		{ "one A record", F_RESP, 1, 0, 0, "Example.TEST", 1,
		  { REC_A("example.test", 77, 0xc0000201) },
		  "example.test", "192.0.2.1", 77, 0 },
	};

	check_answers(_metadata, a, ARRAY_SIZE(a));
}

TEST(root_question)
{
	static const struct answer a[] = {
		{ "the root, no answer", F_RESP, 0, 0, 0, "", 2, { },
		  "", "-", 0, 0 },
	};

	check_answers(_metadata, a, ARRAY_SIZE(a));
}

TEST(owner_case_insensitive)
{
	static const struct answer a[] = {
		{ "owners in another case", F_RESP, 2, 0, 0,
		  "www.example.test", 1,
		  { REC_CNAME("WWW.EXAMPLE.TEST", "Edge.CDN.test", 100),
		    REC_A("EDGE.cdn.TEST", 50, 0x0a000001) },
		  "www.example.test,edge.cdn.test", "10.0.0.1", 50, 0 },
	};

	check_answers(_metadata, a, ARRAY_SIZE(a));
}

/* RFC 2181 8: top bit set means 0; the largest legal value is kept. */
TEST(ttl_top_bit)
{
	static const struct answer a[] = {
		{ "top bit set", F_RESP, 1, 0, 0, "t.test", 1,
		  { REC_A("t.test", 0x80000000U, 0x0a000001) },
		  "t.test", "10.0.0.1", 0, 0 },
		{ "all bits set, after the largest", F_RESP, 2, 0, 0,
		  "t.test", 1,
		  { REC_A("t.test", 0x7fffffffU, 0x0a000001),
		    REC_A("t.test", 0xffffffffU, 0x0a000002) },
		  "t.test", "10.0.0.1,10.0.0.2", 0, 0 },
		{ "the largest alone", F_RESP, 1, 0, 0, "t.test", 1,
		  { REC_A("t.test", 0x7fffffffU, 0x0a000001) },
		  "t.test", "10.0.0.1", 0x7fffffffU, 0 },
		{ "a CNAME's, pulling the chain's to 0", F_RESP, 2, 0, 0,
		  "t.test", 1,
		  { REC_CNAME("t.test", "u.test", 0x80000001U),
		    REC_A("u.test", 500, 0x0a000001) },
		  "t.test,u.test", "10.0.0.1", 0, 0 },
	};

	check_answers(_metadata, a, ARRAY_SIZE(a));
}

/* The RFC allows any order; a chain written backwards is still followed. */
TEST(chain_out_of_order)
{
	static const struct answer a[] = {
		{ "a chain written backwards", F_RESP, 4, 0, 0, "a.test", 28,
		  { REC_AAAA("d.test", 70, 9),
		    REC_CNAME("c.test", "d.test", 80),
		    REC_CNAME("b.test", "c.test", 60),
		    REC_CNAME("a.test", "b.test", 90) },
		  "a.test,b.test,c.test,d.test", "2001:db8::9", 60, 0 },
	};

	check_answers(_metadata, a, ARRAY_SIZE(a));
}

/* 8 names (7 CNAMEs) fit; a 9th is cut and nothing is learned. */
TEST(chain_limit)
{
	static struct efw_dns_result r;
	static struct msg m;
	char a[32], b[32];
	int i;

	hdr(&m, F_RESP, 1, EFW_DNS_MAX_NAMES, 0, 0);
	question(&m, "n0.test", 1);
	for (i = 0; i < EFW_DNS_MAX_NAMES - 1; i++) {
		snprintf(a, sizeof(a), "n%d.test", i);
		snprintf(b, sizeof(b), "n%d.test", i + 1);
		rr_cname(&m, a, b, 100 + i);
	}
	rr_a(&m, b, 300, 0x0a000001);
	ASSERT_EQ(EFW_DNS_OK, parse(&m, &r));
	EXPECT_EQ(EFW_DNS_MAX_NAMES, r.n_names);
	EXPECT_STREQ("n7.test", r.names[EFW_DNS_MAX_NAMES - 1]);
	EXPECT_EQ(1, r.n_addrs);
	EXPECT_EQ(100, r.min_ttl);
	EXPECT_EQ(0, r.flags);

	hdr(&m, F_RESP, 1, EFW_DNS_MAX_NAMES + 1, 0, 0);
	question(&m, "n0.test", 1);
	for (i = 0; i < EFW_DNS_MAX_NAMES; i++) {
		snprintf(a, sizeof(a), "n%d.test", i);
		snprintf(b, sizeof(b), "n%d.test", i + 1);
		rr_cname(&m, a, b, 100);
	}
	rr_a(&m, b, 300, 0x0a000001);
	ASSERT_EQ(EFW_DNS_OK, parse(&m, &r));
	EXPECT_EQ(EFW_DNS_F_CHAIN_CUT, r.flags);
	EXPECT_EQ(EFW_DNS_MAX_NAMES, r.n_names);
	EXPECT_EQ(0, r.n_addrs);
	EXPECT_EQ(0, r.min_ttl);
}

TEST(chain_loop)
{
	/* Addresses for names of a loop must not be learned. */
	static const struct answer a[] = {
		{ "a -> b -> a", F_RESP, 4, 0, 0, "a.test", 1,
		  { REC_CNAME("a.test", "b.test", 10),
		    REC_CNAME("b.test", "a.test", 10),
		    REC_A("a.test", 10, 0x0a000001),
		    REC_A("b.test", 10, 0x0a000002) },
		  "a.test,b.test", "-", 0, EFW_DNS_F_CHAIN_LOOP },
		{ "a -> a", F_RESP, 1, 0, 0, "a.test", 1,
		  { REC_CNAME("a.test", "A.test", 10) },
		  "a.test", "-", 0, EFW_DNS_F_CHAIN_LOOP },
		{ "a -> b -> c -> b, written backwards (several passes)",
		  F_RESP, 3, 0, 0, "a.test", 1,
		  { REC_CNAME("c.test", "b.test", 10),
		    REC_CNAME("b.test", "c.test", 10),
		    REC_CNAME("a.test", "b.test", 10) },
		  "a.test,b.test,c.test", "-", 0, EFW_DNS_F_CHAIN_LOOP },
	};

	check_answers(_metadata, a, ARRAY_SIZE(a));
}

TEST(too_many_addresses)
{
	static struct efw_dns_result r;
	static struct msg m;
	unsigned int i;

	hdr(&m, F_RESP, 1, EFW_DNS_MAX_ADDRS + 9, 0, 0);
	question(&m, "many.test", 1);
	for (i = 0; i < EFW_DNS_MAX_ADDRS + 9; i++)
		rr_a(&m, "many.test", 1000 - i, 0x0a000000 + i);
	ASSERT_EQ(EFW_DNS_OK, parse(&m, &r));
	EXPECT_EQ(EFW_DNS_MAX_ADDRS, r.n_addrs);
	EXPECT_EQ(9, r.addrs_dropped);
	for (i = 0; i < EFW_DNS_MAX_ADDRS; i++)
		EXPECT_EQ(0x0a000000 + i, addr4(&r, i));
	/* the TTL of kept addresses only */
	EXPECT_EQ(1000 - EFW_DNS_MAX_ADDRS + 1, r.min_ttl);
}

TEST(duplicate_addresses_once)
{
	static const struct answer a[] = {
		{ "one A twice, TTLs differing", F_RESP, 3, 0, 0, "d.test", 1,
		  { REC_A("d.test", 100, 0x0a000001),
		    REC_A("d.test", 20, 0x0a000001),
		    REC_AAAA("d.test", 100, 1) },
		  "d.test", "10.0.0.1,2001:db8::1", 20, 0 },
	};

	check_answers(_metadata, a, ARRAY_SIZE(a));
}

/* Answers about other names are what an injected response looks like. */
TEST(unrelated_owner_ignored)
{
	static const struct answer a[] = {
		{ "other owners, one leading to the question", F_RESP, 3, 0, 0,
		  "good.test", 1,
		  { REC_A("bank.test", 100, 0x0a000001),
		    REC_A("good.test.evil", 100, 0x0a000002),
		    REC_CNAME("bank.test", "good.test", 100) },
		  "good.test", "-", 0, 0 },
	};

	check_answers(_metadata, a, ARRAY_SIZE(a));
}

/* Authority/additional records are never learned, even for the question. */
TEST(additional_glue_ignored)
{
	static const struct answer a[] = {
		{ "an answer, then authority and additional", F_RESP, 1, 1, 2,
		  "good.test", 1,
		  { REC_A("good.test", 100, 0x0a000001),
		    REC_A("good.test", 100, 0x0a000003),	/* authority */
		    REC_A("good.test", 100, 0x0a000002),	/* additional */
		    REC_A("bank.test", 100, 0x0a000004) },
		  "good.test", "10.0.0.1", 100, 0 },
		{ "glue alone, no answer", F_RESP, 0, 0, 1, "good.test", 1,
		  { REC_A("good.test", 100, 0x0a000002) },
		  "good.test", "-", 0, 0 },
	};

	check_answers(_metadata, a, ARRAY_SIZE(a));
}

/* Only the chain's last name owns addresses. */
TEST(intermediate_owner_ignored)
{
	static const struct answer a[] = {
		{ "an A for the question, which has a CNAME", F_RESP, 3, 0, 0,
		  "a.test", 1,
		  { REC_A("a.test", 100, 0x0a000001),
		    REC_CNAME("a.test", "b.test", 100),
		    REC_A("b.test", 100, 0x0a000002) },
		  "a.test,b.test", "10.0.0.2", 100, 0 },
	};

	check_answers(_metadata, a, ARRAY_SIZE(a));
}

/* Other classes and types: skipped, whatever their RDATA looks like. */
TEST(other_records_skipped)
{
	static struct efw_dns_result r;
	static struct msg m;

	hdr(&m, F_RESP, 1, 4, 0, 0);
	question(&m, "x.test", 1);
	put_name(&m, "x.test");		/* A in class CHAOS, 5 bytes */
	fixed(&m, 1, 3, 100, 5);
	put32(&m, 0x0a000009);
	put8(&m, 0);
	put8(&m, 3);			/* TXT owned by a label "a.b" */
	put(&m, "a.b", 3);
	put_name(&m, "test");
	fixed(&m, 16, 1, 100, 2);
	put16(&m, 0x0141);
	put_name(&m, "x.test");		/* CNAME in class CHAOS, not followed */
	fixed(&m, 5, 3, 100, 8);
	put_name(&m, "y.test");
	rr_a(&m, "x.test", 40, 0x0a000001);
	ASSERT_EQ(EFW_DNS_OK, parse(&m, &r));
	EXPECT_EQ(1, r.n_names);
	ASSERT_EQ(1, r.n_addrs);
	EXPECT_EQ(0x0a000001, addr4(&r, 0));
}

TEST(trailing_bytes_ignored)
{
	static struct efw_dns_result r;
	static struct msg m;

	hdr(&m, F_RESP, 1, 1, 0, 0);
	question(&m, "x.test", 1);
	rr_a(&m, "x.test", 40, 0x0a000001);
	put32(&m, 0xdeadbeef);
	ASSERT_EQ(EFW_DNS_OK, parse(&m, &r));
	EXPECT_EQ(1, r.n_addrs);
}

TEST(rcode_and_tc)
{
	static const struct answer a[] = {
		{ "NXDOMAIN with TC", F_RESP | 0x0200 | 3, 0, 0, 0, "x.test", 1,
		  { }, "x.test", "-", 0, EFW_DNS_F_TRUNCATED },
	};

	check_answers(_metadata, a, ARRAY_SIZE(a));
}

/* Names at the limits: 253 presentation bytes is fine, 254 is not. */
TEST(name_length_limits)
{
	static struct efw_dns_result r;
	static struct msg m;
	char name[300];
	size_t qoff;

	memset(name, 'a', sizeof(name));
	/* 63.63.63.61 = 253 */
	name[63] = name[127] = name[191] = '.';
	name[253] = '\0';
	hdr(&m, F_RESP, 1, 1, 0, 0);
	question(&m, name, 1);
	rr_a(&m, name, 5, 0x0a000001);
	ASSERT_EQ(EFW_DNS_OK, parse(&m, &r));
	EXPECT_EQ(253, r.name_len[0]);
	EXPECT_EQ(1, r.n_addrs);

	/* 63.63.63.62 = 254 */
	name[253] = 'a';
	name[254] = '\0';
	hdr(&m, F_RESP, 1, 0, 0, 0);
	question(&m, name, 1);
	EXPECT_EQ(EFW_DNS_MALFORMED, parse(&m, &r));

	/* 127 one-byte labels = 253; 128 = 255 */
	hdr(&m, F_RESP, 1, 0, 0, 0);
	for (qoff = 0; qoff < 127; qoff++)
		put_labels(&m, "b");
	put8(&m, 0);
	put32(&m, 0x00010001);
	ASSERT_EQ(EFW_DNS_OK, parse(&m, &r));
	EXPECT_EQ(253, r.name_len[0]);
	hdr(&m, F_RESP, 1, 0, 0, 0);
	for (qoff = 0; qoff < 128; qoff++)
		put_labels(&m, "b");
	put8(&m, 0);
	put32(&m, 0x00010001);
	EXPECT_EQ(EFW_DNS_MALFORMED, parse(&m, &r));

	/* too long only once decompressed: 200 + 1 + 60 */
	name[200] = '\0';
	hdr(&m, F_RESP, 1, 1, 0, 0);
	qoff = m.len;
	question(&m, name, 1);
	memset(name, 'c', 60);
	name[60] = '\0';
	put_labels(&m, name);
	put_ptr(&m, qoff);
	fixed(&m, 1, 1, 5, 4);
	put32(&m, 0x0a000001);
	EXPECT_EQ(EFW_DNS_MALFORMED, parse(&m, &r));
}

/* A legitimately compressed answer: owner and CNAME target use pointers. */
TEST(compression_ok)
{
	static struct efw_dns_result r;
	static struct msg m;
	size_t q, t;

	hdr(&m, F_RESP, 1, 2, 0, 0);
	q = m.len;
	question(&m, "www.example.test", 1);
	put_ptr(&m, q);				/* owner: www.example.test */
	fixed(&m, 5, 1, 100, 7);
	t = m.len;
	put_labels(&m, "edge");			/* edge.example.test */
	put_ptr(&m, q + 4);
	put_ptr(&m, t);				/* owner: edge.example.test */
	fixed(&m, 1, 1, 50, 4);
	put32(&m, 0x0a000001);
	ASSERT_EQ(EFW_DNS_OK, parse(&m, &r));
	ASSERT_EQ(2, r.n_names);
	EXPECT_STREQ("edge.example.test", r.names[1]);
	ASSERT_EQ(1, r.n_addrs);
	EXPECT_EQ(50, r.min_ttl);
}

/* ---- built messages: hostile ---------------------------------------- */

#define EXPECT_MALFORMED(m) do {					\
	static struct efw_dns_result r_;				\
	EXPECT_EQ(EFW_DNS_MALFORMED, parse(m, &r_));			\
	EXPECT_EQ(0, r_.n_names);					\
	EXPECT_EQ(0, r_.n_addrs);					\
} while (0)

/* Messages spelled out byte by byte, for tables. */
#define B16(v)		(((v) >> 8) & 0xff), ((v) & 0xff)
#define B32(v)		B16((v) >> 16), B16(v)
#define HDR(flags, qd, an, ns, ar) \
	B16(0x1234), B16(flags), B16(qd), B16(an), B16(ns), B16(ar)
#define QUESTION(name, qtype)	name, B16(qtype), B16(1)
#define RR(type, class, ttl, rdlen) \
	B16(type), B16(class), B32(ttl), B16(rdlen)
#define PTR(off)	(0xc0 | ((off) >> 8)), ((off) & 0xff)
#define X_TEST		1, 'x', 4, 't', 'e', 's', 't', 0
#define Y_TEST		1, 'y', 4, 't', 'e', 's', 't', 0
#define X_A(addr)	X_TEST, RR(1, 1, 5, 4), B32(addr)
#define A8		'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a'
#define A64		A8, A8, A8, A8, A8, A8, A8, A8
/* Where the first record starts, after HDR() and QUESTION(X_TEST, ...). */
#define AFTER_Q		24
#define MSG(...)	.b = { __VA_ARGS__ }, .len = sizeof((u8[]){ __VA_ARGS__ })

/*
 * A message (less its last @cut bytes) and what the parser must make of
 * it; n_names and n_addrs are 0 unless it is EFW_DNS_OK.
 */
struct raw {
	const char *what;
	enum efw_dns_status want;
	unsigned int n_names, n_addrs;
	u8 b[160];		/* the longest case is 147 bytes */
	size_t len, cut;
};

static void check_raw(struct __test_metadata *_metadata,
		      const struct raw *c, size_t n)
{
	static struct efw_dns_result r;

	for (; n; n--, c++) {
		size_t len = c->len - c->cut;
		u8 *copy = malloc(len ? len : 1);	/* ASan sees overreads */
		enum efw_dns_status st;

		ASSERT_NE(NULL, copy);
		memcpy(copy, c->b, len);
		st = efw_dns_parse(copy, len, &r);
		free(copy);
		EXPECT_EQ(c->want, st) TH_LOG("%s", c->what);
		EXPECT_EQ(len < 12 ? 0 : 0x1234, r.id) TH_LOG("%s", c->what);
		EXPECT_EQ(c->n_names, r.n_names) TH_LOG("%s", c->what);
		EXPECT_EQ(c->n_addrs, r.n_addrs) TH_LOG("%s", c->what);
	}
}

TEST(header_checks)
{
	static const struct raw c[] = {
		{ "a query: QR clear", EFW_DNS_NOT_RESPONSE,
		  MSG(HDR(0x0100, 1, 0, 0, 0), QUESTION(X_TEST, 1)) },
		{ "opcode STATUS", EFW_DNS_NOT_RESPONSE,
		  MSG(HDR(F_RESP | 2 << 11, 1, 0, 0, 0), QUESTION(X_TEST, 1)) },
		{ "opcode NOTIFY", EFW_DNS_NOT_RESPONSE,
		  MSG(HDR(F_RESP | 4 << 11, 1, 0, 0, 0), QUESTION(X_TEST, 1)) },
		{ "QDCOUNT 0", EFW_DNS_MALFORMED,
		  MSG(HDR(F_RESP, 0, 1, 0, 0), X_A(0x0a000001)) },
		{ "QDCOUNT 2", EFW_DNS_MALFORMED,
		  MSG(HDR(F_RESP, 2, 1, 0, 0), QUESTION(X_TEST, 1),
		      QUESTION(Y_TEST, 1), X_A(0x0a000001)) },
		{ "two questions and nothing else", EFW_DNS_MALFORMED,
		  MSG(HDR(F_RESP, 2, 0, 0, 0), QUESTION(X_TEST, 1),
		      QUESTION(Y_TEST, 1)) },
		{ "a short header", EFW_DNS_MALFORMED,
		  MSG(HDR(F_RESP, 2, 0, 0, 0)), .cut = 1 },
		{ "no bytes at all", EFW_DNS_MALFORMED,
		  MSG(HDR(F_RESP, 2, 0, 0, 0)), .cut = 12 },
		{ "a question short of QCLASS", EFW_DNS_MALFORMED,
		  MSG(HDR(F_RESP, 1, 0, 0, 0), QUESTION(X_TEST, 1)), .cut = 1 },
	};

	check_raw(_metadata, c, ARRAY_SIZE(c));
}

TEST(pointer_loops)
{
	static const struct raw c[] = {
		{ "the question a pointer to itself", EFW_DNS_MALFORMED,
		  MSG(HDR(F_RESP, 1, 0, 0, 0), PTR(12), B16(1), B16(1)) },
		{ "an owner pointing at itself", EFW_DNS_MALFORMED,
		  MSG(HDR(F_RESP, 1, 1, 0, 0), QUESTION(X_TEST, 1),
		      PTR(AFTER_Q), RR(1, 1, 5, 4), B32(0x0a000001)) },
		{ "a label, then a pointer back to it: a.a.a...",
		  EFW_DNS_MALFORMED,
		  MSG(HDR(F_RESP, 1, 1, 0, 0), QUESTION(X_TEST, 1),
		      1, 'a', PTR(AFTER_Q), RR(1, 1, 5, 4), B32(0x0a000001)) },
		{ "two owners pointing at each other", EFW_DNS_MALFORMED,
		  MSG(HDR(F_RESP, 1, 2, 0, 0), QUESTION(X_TEST, 1),
		      PTR(AFTER_Q + 12), RR(16, 1, 5, 0),
		      PTR(AFTER_Q), RR(16, 1, 5, 0)) },
		{ "a CNAME target pointing at itself", EFW_DNS_MALFORMED,
		  MSG(HDR(F_RESP, 1, 1, 0, 0), QUESTION(X_TEST, 1),
		      PTR(12), RR(5, 1, 5, 2), PTR(AFTER_Q + 12)) },
	};

	check_raw(_metadata, c, ARRAY_SIZE(c));
}

TEST(pointer_bounds)
{
	static const struct raw c[] = {
		{ "a forward pointer, to a valid name", EFW_DNS_MALFORMED,
		  MSG(HDR(F_RESP, 1, 1, 0, 0), QUESTION(X_TEST, 1),
		      PTR(AFTER_Q + 12), RR(16, 1, 5, 8), X_TEST) },
		{ "a pointer beyond the end", EFW_DNS_MALFORMED,
		  MSG(HDR(F_RESP, 1, 1, 0, 0), QUESTION(X_TEST, 1),
		      PTR(0x3fff), RR(1, 1, 5, 4), B32(0x0a000001)) },
		{ "a pointer into the header", EFW_DNS_MALFORMED,
		  MSG(HDR(F_RESP, 1, 1, 0, 0), QUESTION(X_TEST, 1),
		      PTR(4), RR(1, 1, 5, 4), B32(0x0a000001)) },
		{ "half a pointer at the end", EFW_DNS_MALFORMED,
		  MSG(HDR(F_RESP, 1, 1, 0, 0), QUESTION(X_TEST, 1), 0xc0) },
		{ "a pointer back into a CNAME's RDATA", EFW_DNS_OK, 2, 1,
		  MSG(HDR(F_RESP, 1, 2, 0, 0), QUESTION(X_TEST, 1),
		      PTR(12), RR(5, 1, 5, 8), Y_TEST,
		      PTR(AFTER_Q + 12), RR(1, 1, 5, 4), B32(0x0a000001)) },
	};

	check_raw(_metadata, c, ARRAY_SIZE(c));
}

/* A ladder of pointers, each one hop further back: bounded at 128. */
TEST(pointer_hops)
{
	static struct efw_dns_result r;
	static struct msg m;
	size_t prev;
	int i, steps;

	for (steps = 127; steps <= 129; steps++) {
		hdr(&m, F_RESP, 1, 0, 0, steps);
		prev = m.len;
		question(&m, "x.test", 1);
		for (i = 0; i < steps; i++) {
			size_t here = m.len;

			put_ptr(&m, prev);
			fixed(&m, 16, 1, 5, 0);
			prev = here;
		}
		/* record i's owner takes i + 1 hops */
		if (steps <= 128) {
			EXPECT_EQ(EFW_DNS_OK, parse(&m, &r)) TH_LOG("%d", steps);
		} else {
			EXPECT_MALFORMED(&m);
		}
	}
}

TEST(label_checks)
{
	static const struct raw c[] = {
		{ "a label running past the end", EFW_DNS_MALFORMED,
		  MSG(HDR(F_RESP, 1, 0, 0, 0), 5, 'a', 'b') },
		/*
		 * 0x40 (extended) and 0x80 (reserved) label types, followed
		 * by enough bytes to be read as a 65- or 129-byte label.
		 */
		{ "label type 0x40 in the question", EFW_DNS_MALFORMED,
		  MSG(HDR(F_RESP, 1, 0, 0, 0),
		      0x41, A64, 'a', 0, B16(1), B16(1)) },
		{ "label type 0x80 in the question", EFW_DNS_MALFORMED,
		  MSG(HDR(F_RESP, 1, 0, 0, 0),
		      0x81, A64, A64, 'a', 0, B16(1), B16(1)) },
		{ "label type 0x40 in a skipped owner", EFW_DNS_MALFORMED,
		  MSG(HDR(F_RESP, 1, 0, 0, 1), QUESTION(X_TEST, 1),
		      0x40, 0, RR(16, 1, 5, 0)) },
		{ "a dot inside a question label", EFW_DNS_MALFORMED,
		  MSG(HDR(F_RESP, 1, 0, 0, 0),
		      3, 'a', '.', 'b', 0, B16(1), B16(1)) },
		{ "a NUL inside an A owner's label", EFW_DNS_MALFORMED,
		  MSG(HDR(F_RESP, 1, 1, 0, 0), QUESTION(X_TEST, 1),
		      2, 'x', 0, 0, RR(1, 1, 5, 4), B32(0x0a000001)) },
	};

	check_raw(_metadata, c, ARRAY_SIZE(c));
}

TEST(record_lengths)
{
	static const struct raw c[] = {
		{ "RDLENGTH past the end", EFW_DNS_MALFORMED,
		  MSG(HDR(F_RESP, 1, 1, 0, 0), QUESTION(X_TEST, 1),
		      X_TEST, RR(1, 1, 5, 40), B32(0x0a000001)) },
		{ "ANCOUNT larger than the records present", EFW_DNS_MALFORMED,
		  MSG(HDR(F_RESP, 1, 3, 0, 0), QUESTION(X_TEST, 1),
		      X_A(0x0a000001), X_A(0x0a000002)) },
		{ "ARCOUNT larger than the records present", EFW_DNS_MALFORMED,
		  MSG(HDR(F_RESP, 1, 1, 0, 1), QUESTION(X_TEST, 1),
		      X_A(0x0a000001)) },
		{ "fixed fields cut short", EFW_DNS_MALFORMED,
		  MSG(HDR(F_RESP, 1, 1, 0, 0), QUESTION(X_TEST, 1),
		      X_TEST, B16(1), B16(1), B16(0)) },
		{ "A with 5 bytes of RDATA", EFW_DNS_MALFORMED,
		  MSG(HDR(F_RESP, 1, 1, 0, 0), QUESTION(X_TEST, 1),
		      X_TEST, RR(1, 1, 5, 5), B32(0x0a000001), 1) },
		{ "AAAA with 4", EFW_DNS_MALFORMED,
		  MSG(HDR(F_RESP, 1, 1, 0, 0), QUESTION(X_TEST, 28),
		      X_TEST, RR(28, 1, 5, 4), B32(0x0a000001)) },
		{ "CNAME RDATA longer than its name", EFW_DNS_MALFORMED,
		  MSG(HDR(F_RESP, 1, 1, 0, 0), QUESTION(X_TEST, 1),
		      X_TEST, RR(5, 1, 5, 9), Y_TEST, 0) },
		{ "CNAME RDATA shorter than its name", EFW_DNS_MALFORMED,
		  MSG(HDR(F_RESP, 1, 1, 0, 0), QUESTION(X_TEST, 1),
		      X_TEST, RR(5, 1, 5, 7), Y_TEST) },
	};

	check_raw(_metadata, c, ARRAY_SIZE(c));
}

TEST(tcp_framing)
{
	static struct efw_dns_result r;
	static struct msg m;
	static u8 stream[2 * sizeof(m.b)];
	size_t need, n;

	need = 0;
	EXPECT_EQ(EFW_DNS_NEED_MORE, efw_dns_parse_tcp(stream, 0, &r, &need));
	EXPECT_EQ(2, need);
	stream[0] = 0;
	EXPECT_EQ(EFW_DNS_NEED_MORE, efw_dns_parse_tcp(stream, 1, &r, &need));
	EXPECT_EQ(2, need);
	/* prefix shorter than a header: never NEED_MORE */
	stream[1] = 11;
	EXPECT_EQ(EFW_DNS_MALFORMED, efw_dns_parse_tcp(stream, 2, &r, &need));
	stream[1] = 0;
	EXPECT_EQ(EFW_DNS_MALFORMED, efw_dns_parse_tcp(stream, 2, &r, &need));

	/* two messages back to back: the first is parsed, need says where
	 * the second starts */
	hdr(&m, F_RESP, 1, 1, 0, 0);
	question(&m, "x.test", 1);
	rr_a(&m, "x.test", 5, 0x0a000001);
	stream[0] = m.len >> 8;
	stream[1] = m.len & 0xff;
	memcpy(stream + 2, m.b, m.len);
	n = 2 + m.len;
	memcpy(stream + n, stream, n);
	stream[n + 2] = 0x99;
	ASSERT_EQ(EFW_DNS_OK, efw_dns_parse_tcp(stream, 2 * n, &r, &need));
	EXPECT_EQ(n, need);
	EXPECT_EQ(0x1234, r.id);
	EXPECT_EQ(1, r.n_addrs);
	ASSERT_EQ(EFW_DNS_OK, efw_dns_parse_tcp(stream + need, n, &r, &need));
	EXPECT_EQ(0x9934, r.id);
	/* a query over TCP */
	stream[n + 4] = 0x01;
	EXPECT_EQ(EFW_DNS_NOT_RESPONSE,
		  efw_dns_parse_tcp(stream + n, n, &r, &need));
}

TEST_HARNESS_MAIN
