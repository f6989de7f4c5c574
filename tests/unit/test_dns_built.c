// SPDX-License-Identifier: GPL-2.0
/*
 * The DNS answer parser (kmod/dns_answer.c) on well-formed responses built
 * here record by record: CNAME chains in any order, at their limit and in
 * loops, TTLs, addresses kept once and up to their limit, the records it
 * must not learn from, names at their length limits, and compression.
 */
#include <stdio.h>
#include <string.h>

#include "kselftest_harness.h"
#include "dns_expect.h"
#include "dns_msg.h"
#include "dns_result.h"

static u32 addr4(const struct efw_dns_result *r, unsigned int i)
{
	return efw_get_be32(r->addrs[i].addr);
}

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

TEST_HARNESS_MAIN
