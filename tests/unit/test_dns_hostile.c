// SPDX-License-Identifier: GPL-2.0
/*
 * The DNS answer parser (kmod/dns_answer.c) on hostile messages built here
 * byte by byte: bad headers, compression pointer loops and bounds, too many
 * pointer hops, bad label types, record lengths that lie, and TCP framing.
 */
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "dns_msg.h"

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

/*
 * Queries (efw_dns_parse_query): what an answer must repeat to be taken
 * as theirs, read exactly as the answer's question is.
 */
TEST(queries)
{
	struct efw_dns_result r;
	struct efw_dns_query q;
	struct msg m = { .len = 0 };

	hdr(&m, 0x0100, 1, 0, 0, 0);	/* RD, a query */
	m.b[0] = 0xbe;
	m.b[1] = 0xef;
	question(&m, "X.Vendor.Example", 28);
	ASSERT_EQ(EFW_DNS_OK, efw_dns_parse_query(m.b, m.len, &q));
	EXPECT_EQ(0xbeef, q.id);
	EXPECT_EQ(28, q.qtype);
	EXPECT_EQ(1, q.qclass);
	EXPECT_STREQ("x.vendor.example", q.name);
	EXPECT_EQ(16, q.name_len);

	/* The same message as an answer: the same name, byte for byte. */
	m.b[2] |= 0x80;
	ASSERT_EQ(EFW_DNS_OK, parse(&m, &r));
	EXPECT_STREQ(q.name, r.names[0]);
	/* A response is not a query. */
	EXPECT_EQ(EFW_DNS_MALFORMED, efw_dns_parse_query(m.b, m.len, &q));
	m.b[2] &= 0x7f;
	/* Short by one byte of QCLASS; no question; two; another opcode. */
	EXPECT_EQ(EFW_DNS_MALFORMED, efw_dns_parse_query(m.b, m.len - 1, &q));
	EXPECT_EQ(EFW_DNS_MALFORMED, efw_dns_parse_query(m.b, 11, &q));
	m.b[5] = 0;
	EXPECT_EQ(EFW_DNS_MALFORMED, efw_dns_parse_query(m.b, m.len, &q));
	m.b[5] = 2;
	EXPECT_EQ(EFW_DNS_MALFORMED, efw_dns_parse_query(m.b, m.len, &q));
	m.b[5] = 1;
	m.b[2] |= 0x28;	/* opcode 5, UPDATE */
	EXPECT_EQ(EFW_DNS_MALFORMED, efw_dns_parse_query(m.b, m.len, &q));
}

TEST(query_names_as_answers_read_them)
{
	struct efw_dns_query q;
	struct msg m = { .len = 0 };

	/* A label holding a dot cannot be told from two labels: refused. */
	hdr(&m, 0x0100, 1, 0, 0, 0);
	put8(&m, 3);
	put(&m, "a.b", 3);
	put8(&m, 0);
	put16(&m, 1);
	put16(&m, 1);
	EXPECT_EQ(EFW_DNS_MALFORMED, efw_dns_parse_query(m.b, m.len, &q));
	/* A pointer in the question has nothing before it to point at. */
	m.len = 0;
	hdr(&m, 0x0100, 1, 0, 0, 0);
	put_ptr(&m, 12);
	put16(&m, 1);
	put16(&m, 1);
	EXPECT_EQ(EFW_DNS_MALFORMED, efw_dns_parse_query(m.b, m.len, &q));
}

TEST_HARNESS_MAIN
