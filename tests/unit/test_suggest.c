// SPDX-License-Identifier: GPL-2.0
/*
 * egressctl report --suggest: the Public Suffix List's algorithm
 * (tools/egressctl/publicsuffix.c: multi-label suffixes, wildcard and
 * exception rules, Unicode rules in punycode), and the lines made from a
 * report (tools/egressctl/suggest.c: wildcards over registrable domains
 * only, the apex kept, ports merged, addresses, odd names). Every line
 * written is read back by the list parser.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <uapi/linux/egressfw.h>

#include "kselftest_harness.h"
#include "list.h"
#include "publicsuffix.h"
#include "suggest.h"

/* The parts of the real list the tests lean on, and its rule shapes. */
static const char psl_text[] =
	"// ===BEGIN ICANN DOMAINS===\n"
	"com\n"
	"uk\n"
	"co.uk\n"
	"ac.uk\n"
	"// ck : https://en.wikipedia.org/wiki/.ck\n"
	"*.ck\n"
	"!www.ck\n"
	"jp\n"
	"*.kawasaki.jp\n"
	"!city.kawasaki.jp\n"
	"cn\n"
	"\xe5\x85\xac\xe5\x8f\xb8.cn\n"			/* 公司.cn */
	"\xe4\xb8\xad\xe5\x9b\xbd\n"			/* 中国 */
	"example\t// text after a blank is no part of the rule\n"
	"\r\n"
	"  // indented comment: not a rule either\n"
	"a.*.bad\n"					/* '*' not first: ignored */
	"bad..dots\n"
	"\xff\xfe.bad\n"				/* not UTF-8: ignored */
	"// ===END ICANN DOMAINS===\n"
	"// ===BEGIN PRIVATE DOMAINS===\n"
	"github.io\n"
	"cloudfront.net\n"
	"s3.amazonaws.com\n"
	"// ===END PRIVATE DOMAINS===";

static struct efw_psl *psl_fixture(void)
{
	return efw_psl_parse(psl_text, sizeof(psl_text) - 1);
}

/* The registrable domain of @name, or "-" when it has none. */
static const char *reg(const struct efw_psl *psl, const char *name)
{
	ssize_t off = efw_psl_registrable(psl, name, strlen(name));

	return off < 0 ? "-" : name + off;
}

TEST(psl_rules_read)
{
	struct efw_psl *psl = psl_fixture();

	ASSERT_NE(NULL, psl);
	/* com uk co.uk ac.uk ck(wild) www.ck(exc) jp kawasaki.jp city.kawasaki.jp
	 * cn xn--55qx5d.cn xn--fiqs8s example github.io cloudfront.net
	 * s3.amazonaws.com (the names they lie below are no rules) */
	EXPECT_EQ(16, efw_psl_count(psl));
	EXPECT_TRUE(efw_psl_has_below(psl, "amazonaws.com", 13));
	EXPECT_TRUE(efw_psl_has_below(psl, "uk", 2));
	EXPECT_TRUE(efw_psl_has_below(psl, "ck", 2));
	EXPECT_FALSE(efw_psl_has_below(psl, "example.com", 11));
	EXPECT_FALSE(efw_psl_has_below(psl, "bbc.co.uk", 9));
	efw_psl_free(psl);
}

TEST(psl_multi_label_suffixes)
{
	struct efw_psl *psl = psl_fixture();

	ASSERT_NE(NULL, psl);
	EXPECT_STREQ("example.com", reg(psl, "example.com"));
	EXPECT_STREQ("example.com", reg(psl, "a.b.example.com"));
	EXPECT_STREQ("bbc.co.uk", reg(psl, "www.bbc.co.uk"));
	EXPECT_STREQ("bbc.co.uk", reg(psl, "bbc.co.uk"));
	EXPECT_STREQ("ox.ac.uk", reg(psl, "www.ox.ac.uk"));
	/* uk is a suffix, so is co.uk; a name under uk directly is registrable */
	EXPECT_STREQ("gov2.uk", reg(psl, "x.gov2.uk"));
	EXPECT_STREQ("-", reg(psl, "co.uk"));
	EXPECT_STREQ("-", reg(psl, "uk"));
	EXPECT_STREQ("-", reg(psl, "com"));
	/* the private section counts: each tenant is its own domain */
	EXPECT_STREQ("alice.github.io", reg(psl, "www.alice.github.io"));
	EXPECT_STREQ("-", reg(psl, "github.io"));
	EXPECT_STREQ("d1.cloudfront.net", reg(psl, "d1.cloudfront.net"));
	/* no rule: the last label ("*") */
	EXPECT_STREQ("example.test", reg(psl, "a.example.test"));
	EXPECT_STREQ("-", reg(psl, "localhost"));
	/* the rule is "example", the text after its blank is not */
	EXPECT_STREQ("-", reg(psl, "example"));
	EXPECT_STREQ("a.example", reg(psl, "b.a.example"));
	efw_psl_free(psl);
}

TEST(psl_wildcard_and_exception_rules)
{
	struct efw_psl *psl = psl_fixture();

	ASSERT_NE(NULL, psl);
	/* *.ck: every second-level name is a suffix */
	EXPECT_STREQ("-", reg(psl, "ck"));
	EXPECT_STREQ("-", reg(psl, "co.ck"));
	EXPECT_STREQ("shop.co.ck", reg(psl, "shop.co.ck"));
	EXPECT_STREQ("shop.co.ck", reg(psl, "www.shop.co.ck"));
	/* !www.ck: but www.ck is registrable */
	EXPECT_STREQ("www.ck", reg(psl, "www.ck"));
	EXPECT_STREQ("www.ck", reg(psl, "a.www.ck"));
	/* *.kawasaki.jp with !city.kawasaki.jp */
	EXPECT_STREQ("-", reg(psl, "foo.kawasaki.jp"));
	EXPECT_STREQ("a.foo.kawasaki.jp", reg(psl, "b.a.foo.kawasaki.jp"));
	EXPECT_STREQ("city.kawasaki.jp", reg(psl, "www.city.kawasaki.jp"));
	EXPECT_STREQ("city.kawasaki.jp", reg(psl, "city.kawasaki.jp"));
	EXPECT_STREQ("kawasaki.jp", reg(psl, "kawasaki.jp"));
	/* rules with '*' elsewhere, empty labels or bad bytes were dropped */
	EXPECT_STREQ("b.bad", reg(psl, "a.b.bad"));
	EXPECT_STREQ("bad.dots", reg(psl, "bad.dots"));
	efw_psl_free(psl);
}

TEST(psl_unicode_rules_match_punycode_names)
{
	struct efw_psl *psl = psl_fixture();

	ASSERT_NE(NULL, psl);
	/* 公司.cn is xn--55qx5d.cn, 中国 is xn--fiqs8s */
	EXPECT_STREQ("-", reg(psl, "xn--55qx5d.cn"));
	EXPECT_STREQ("a.xn--55qx5d.cn", reg(psl, "www.a.xn--55qx5d.cn"));
	EXPECT_STREQ("b.xn--55qx5d.cn", reg(psl, "b.xn--55qx5d.cn"));
	EXPECT_STREQ("-", reg(psl, "xn--fiqs8s"));
	EXPECT_STREQ("xn--fiqs8s.xn--fiqs8s", reg(psl, "a.xn--fiqs8s.xn--fiqs8s") );
	efw_psl_free(psl);
}

TEST(punycode_labels)
{
	char out[64], big[200];
	int i;

	EXPECT_EQ(10, efw_psl_alabel("\xe5\x85\xac\xe5\x8f\xb8", 6, out, sizeof(out)));
	EXPECT_STREQ("xn--55qx5d", out);
	EXPECT_EQ(10, efw_psl_alabel("\xe4\xb8\xad\xe5\x9b\xbd", 6, out, sizeof(out)));
	EXPECT_STREQ("xn--fiqs8s", out);
	/* bücher: basic code points first, then a '-' */
	EXPECT_EQ(13, efw_psl_alabel("b\xc3\xbc" "cher", 7, out, sizeof(out)));
	EXPECT_STREQ("xn--bcher-kva", out);
	/* RFC 3492 7.1 (L), lower-cased: 3<nen>B<gumi><kinpachi><sensei> */
	EXPECT_EQ(28, efw_psl_alabel("3\xe5\xb9\xb4" "B\xe7\xb5\x84\xe9\x87\x91\xe5\x85\xab\xe5\x85\x88\xe7\x94\x9f",
				     20, out, sizeof(out)));
	EXPECT_STREQ("xn--3b-ww4c5e180e575a65lsy2b", out) {
		TH_LOG("got %s", out);
	}
	/* ASCII: copied, lower case */
	EXPECT_EQ(3, efw_psl_alabel("CoM", 3, out, sizeof(out)));
	EXPECT_STREQ("com", out);
	/* not UTF-8, empty, too long for a label, too small a buffer */
	EXPECT_EQ(-1, efw_psl_alabel("\xff", 1, out, sizeof(out)));
	EXPECT_EQ(-1, efw_psl_alabel("a\xc3", 2, out, sizeof(out)));
	EXPECT_EQ(-1, efw_psl_alabel("", 0, out, sizeof(out)));
	EXPECT_EQ(-1, efw_psl_alabel("\xe4\xb8\xad\xe5\x9b\xbd", 6, out, 8));
	memset(big, 'a', 64);
	EXPECT_EQ(-1, efw_psl_alabel(big, 64, out, sizeof(out)));
	EXPECT_EQ(63, efw_psl_alabel(big, 63, out, sizeof(out)));
	/* 60 three-byte code points: no A-label of 63 bytes holds them */
	for (i = 0; i < 60; i++)
		memcpy(big + 3 * i, "\xe4\xb8\xad", 3);
	EXPECT_EQ(-1, efw_psl_alabel(big, 180, out, sizeof(out)));
}

TEST(psl_odd_names)
{
	struct efw_psl *psl = psl_fixture();
	char name[300];
	size_t i;

	ASSERT_NE(NULL, psl);
	EXPECT_STREQ("-", reg(psl, ""));
	EXPECT_STREQ("-", reg(psl, "."));
	EXPECT_STREQ("-", reg(psl, "example.com."));
	EXPECT_STREQ("-", reg(psl, ".example.com"));
	EXPECT_STREQ("-", reg(psl, "a..example.com"));
	EXPECT_STREQ("-", reg(NULL, "example.com."));
	/* 253 bytes: 125 labels "a", then "bcc" */
	for (i = 0; i < 125; i++)
		memcpy(name + 2 * i, "a.", 2);
	strcpy(name + 250, "bcc");
	ASSERT_EQ(253, strlen(name));
	EXPECT_STREQ("a.bcc", reg(psl, name));
	EXPECT_EQ(248, efw_psl_registrable(psl, name, 253));
	EXPECT_EQ(248, efw_psl_registrable(NULL, name, 253));
	/* one byte more is no name */
	name[253] = 'c';
	name[254] = '\0';
	EXPECT_EQ(-1, efw_psl_registrable(psl, name, 254));
	/* a label of 64 bytes */
	memset(name, 'x', 64);
	strcpy(name + 64, ".com");
	EXPECT_EQ(-1, efw_psl_registrable(psl, name, strlen(name)));
	efw_psl_free(psl);
}

TEST(psl_fallback_last_two_labels)
{
	EXPECT_STREQ("example.com", reg(NULL, "a.b.example.com"));
	EXPECT_STREQ("co.uk", reg(NULL, "bbc.co.uk"));
	EXPECT_STREQ("-", reg(NULL, "com"));
}

TEST(psl_missing_file)
{
	errno = 0;
	EXPECT_EQ(NULL, efw_psl_load("/nonexistent/public_suffix_list.dat"));
	EXPECT_EQ(ENOENT, errno);
}

/* Debian's list, when installed: the same answers for the names above. */
TEST(psl_debian_list)
{
	struct efw_psl *psl = efw_psl_load(EFW_PSL_PATH);

	if (!psl)
		SKIP(return, "%s: %s (apt-get install publicsuffix)", EFW_PSL_PATH,
		     strerror(errno));
	EXPECT_LT(5000, efw_psl_count(psl));
	EXPECT_STREQ("bbc.co.uk", reg(psl, "www.bbc.co.uk"));
	EXPECT_STREQ("-", reg(psl, "co.uk"));
	EXPECT_STREQ("-", reg(psl, "com"));
	EXPECT_STREQ("example.com", reg(psl, "a.example.com"));
	EXPECT_STREQ("www.ck", reg(psl, "a.www.ck"));
	EXPECT_STREQ("-", reg(psl, "anything.ck"));
	EXPECT_STREQ("-", reg(psl, "github.io"));
	EXPECT_STREQ("alice.github.io", reg(psl, "x.alice.github.io"));
	/* s3.amazonaws.com and others are suffixes below amazonaws.com */
	EXPECT_TRUE(efw_psl_has_below(psl, "amazonaws.com", 13));
	EXPECT_STREQ("-", reg(psl, "xn--55qx5d.cn"));
	efw_psl_free(psl);
}

/* --- suggestions ------------------------------------------------------ */

#define NAME(n, pr, po) { .name = (char *)(n), .proto = (pr), .port = (po), \
			  .count = 1, .reason = EGRESSFW_DENY_NO_MATCH }
#define TCP(n, po) NAME(n, IPPROTO_TCP, po)
#define UDP(n, po) NAME(n, IPPROTO_UDP, po)

static struct efw_denial addr_entry(const char *text, u16 port)
{
	struct efw_denial d = { .proto = IPPROTO_TCP, .port = port, .count = 1,
				.reason = EGRESSFW_DENY_NO_MATCH };

	d.family = strchr(text, ':') ? 6 : 4;
	inet_pton(d.family == 4 ? AF_INET : AF_INET6, text, d.addr);
	return d;
}

struct run {
	char *out, *diag;
	int lines;
};

/*
 * efw_suggest() over @v, its output and diagnostics kept; every line of
 * the output is parsed as a list (no error, no warning).
 */
static struct run suggest(struct __test_metadata *_metadata,
			  const struct efw_denial *v, size_t n,
			  const struct efw_psl *psl)
{
	struct run r = { 0 };
	size_t olen = 0, dlen = 0;
	FILE *out = open_memstream(&r.out, &olen);
	FILE *diag = open_memstream(&r.diag, &dlen);
	struct efw_list list;

	r.lines = efw_suggest(v, n, psl, out, diag, "test");
	fclose(out);
	fclose(diag);
	efw_list_init(&list, stderr);
	EXPECT_EQ(0, efw_list_parse_buffer(&list, "suggested", r.out, olen)) {
		TH_LOG("not a valid list:\n%s", r.out);
	}
	EXPECT_EQ(0, list.warnings) TH_LOG("warnings for:\n%s", r.out);
	if (r.lines >= 0)
		EXPECT_EQ((u32)r.lines, list.n_rules);
	efw_list_free(&list);
	return r;
}

#define SUGGEST(psl_, want, ...) do {					\
	const struct efw_denial v_[] = { __VA_ARGS__ };			\
	struct run r_ = suggest(_metadata, v_, sizeof(v_) / sizeof(v_[0]), psl_); \
	EXPECT_STREQ(want, r_.out) TH_LOG("diagnostics: %s", r_.diag);	\
	free(r_.out);							\
	free(r_.diag);							\
} while (0)

FIXTURE(sg) {
	struct efw_psl *psl;
};

FIXTURE_SETUP(sg)
{
	self->psl = psl_fixture();
	ASSERT_NE(NULL, self->psl);
}

FIXTURE_TEARDOWN(sg)
{
	efw_psl_free(self->psl);
}

TEST_F(sg, one_name_stays_exact)
{
	SUGGEST(self->psl, "a.example.com tcp/443\n", TCP("a.example.com", 443));
	/* canonical: lower case, no trailing dot */
	SUGGEST(self->psl, "a.example.com tcp/443\n", TCP("A.Example.COM.", 443));
	/* the same name twice (two ports) is still one name */
	SUGGEST(self->psl, "a.example.com tcp/22,443\n", TCP("a.example.com", 443),
		TCP("a.example.com", 22));
}

/* *.amazonaws.com would let in every tenant of s3.amazonaws.com. */
TEST_F(sg, no_wildcard_over_a_domain_with_a_suffix_below)
{
	SUGGEST(self->psl, "a.amazonaws.com tcp/443\nb.amazonaws.com tcp/443\n",
		TCP("a.amazonaws.com", 443), TCP("b.amazonaws.com", 443));
	/* a tenant's own domain below the suffix still groups */
	SUGGEST(self->psl, "*.bob.s3.amazonaws.com tcp/443\n",
		TCP("a.bob.s3.amazonaws.com", 443), TCP("b.bob.s3.amazonaws.com", 443));
}

TEST_F(sg, two_names_below_one_domain_become_a_wildcard)
{
	SUGGEST(self->psl, "*.example.com tcp/443\n", TCP("a.example.com", 443),
		TCP("b.example.com", 443));
	/* at any depth, with the union of their ports */
	SUGGEST(self->psl, "*.example.com tcp/443,8443 udp/443\n",
		TCP("a.example.com", 443), TCP("x.y.example.com", 8443),
		UDP("a.example.com", 443));
	/* a multi-label suffix: the registrable domain is bbc.co.uk */
	SUGGEST(self->psl, "*.bbc.co.uk tcp/443\n", TCP("www.bbc.co.uk", 443),
		TCP("news.bbc.co.uk", 443));
	/* exception rule: www.ck is registrable */
	SUGGEST(self->psl, "*.www.ck tcp/443\n", TCP("a.www.ck", 443), TCP("b.www.ck", 443));
}

TEST_F(sg, apex_and_names_below)
{
	/* one name below: both exact */
	SUGGEST(self->psl, "example.com tcp/443\nwww.example.com tcp/443\n",
		TCP("example.com", 443), TCP("www.example.com", 443));
	/* two below: the wildcard does not cover the apex, which keeps its line and ports */
	SUGGEST(self->psl, "example.com tcp/80\n*.example.com tcp/443\n",
		TCP("a.example.com", 443), TCP("example.com", 80), TCP("b.example.com", 443));
	/* the apex twice with two ports: still one line */
	SUGGEST(self->psl, "example.com tcp/80,443\n*.example.com tcp/443\n",
		TCP("a.example.com", 443), TCP("example.com", 80), TCP("example.com", 443),
		TCP("b.example.com", 443));
}

TEST_F(sg, never_a_wildcard_over_a_public_suffix)
{
	/* distinct registrable domains under co.uk, com, github.io, *.ck */
	SUGGEST(self->psl, "a.co.uk tcp/443\nb.co.uk tcp/443\n",
		TCP("a.co.uk", 443), TCP("b.co.uk", 443));
	SUGGEST(self->psl, "one.com tcp/443\ntwo.com tcp/443\n",
		TCP("one.com", 443), TCP("two.com", 443));
	SUGGEST(self->psl, "alice.github.io tcp/443\nbob.github.io tcp/443\n",
		TCP("alice.github.io", 443), TCP("bob.github.io", 443));
	SUGGEST(self->psl, "a.co.ck tcp/443\nb.co.ck tcp/443\n",
		TCP("a.co.ck", 443), TCP("b.co.ck", 443));
	/* names that are public suffixes themselves stay exact */
	SUGGEST(self->psl, "github.io tcp/443\nco.uk tcp/443\n",
		TCP("co.uk", 443), TCP("github.io", 443));
	/* each tenant's names may still share its own wildcard */
	SUGGEST(self->psl, "*.alice.github.io tcp/443\nbob.github.io tcp/443\n",
		TCP("a.alice.github.io", 443), TCP("b.alice.github.io", 443),
		TCP("bob.github.io", 443));
}

TEST_F(sg, idn_names_are_left_as_they_are)
{
	SUGGEST(self->psl, "xn--bcher-kva.example tcp/443\n",
		TCP("xn--bcher-kva.example", 443));
	/* 公司.cn is a suffix: two names below it are two domains */
	SUGGEST(self->psl, "a.xn--55qx5d.cn tcp/443\nb.xn--55qx5d.cn tcp/443\n",
		TCP("a.xn--55qx5d.cn", 443), TCP("b.xn--55qx5d.cn", 443));
	/* but below one of them, a wildcard */
	SUGGEST(self->psl, "*.a.xn--55qx5d.cn tcp/443\n",
		TCP("x.a.xn--55qx5d.cn", 443), TCP("y.a.xn--55qx5d.cn", 443));
}

TEST_F(sg, addresses_are_host_entries)
{
	struct efw_denial v[] = {
		addr_entry("198.51.100.7", 22), addr_entry("2001:db8::7", 443),
		addr_entry("198.51.100.7", 443), addr_entry("10.0.0.1", 25),
		TCP("a.example.com", 443),
	};
	struct run r = suggest(_metadata, v, 5, self->psl);

	EXPECT_EQ(4, r.lines);
	EXPECT_STREQ("a.example.com tcp/443\n"
		     "10.0.0.1 tcp/25\n"
		     "198.51.100.7 tcp/22,443\n"
		     "2001:db8::7 tcp/443\n", r.out);
	free(r.out);
	free(r.diag);
}

TEST_F(sg, ports_merged_and_split)
{
	struct efw_denial v[200];
	struct run r;
	char *nl;
	size_t i;

	/* adjacent ports join into a range, as the parser would */
	SUGGEST(self->psl, "a.example.com tcp/8080-8082 udp/53,443\n",
		TCP("a.example.com", 8081), TCP("a.example.com", 8080),
		TCP("a.example.com", 8082), UDP("a.example.com", 443),
		UDP("a.example.com", 53));
	/* 100 ranges: 64 on the first line, 36 on a second */
	for (i = 0; i < 100; i++) {
		struct efw_denial d = TCP("a.example.com", 1000 + 2 * i);

		v[i] = d;
	}
	r = suggest(_metadata, v, 100, self->psl);
	EXPECT_EQ(2, r.lines);
	nl = strchr(r.out, '\n');
	ASSERT_NE(NULL, nl);
	EXPECT_EQ(0, strncmp(r.out, "a.example.com tcp/1000,1002,", 28));
	EXPECT_EQ(0, strncmp(nl - 5, ",1126", 5));
	EXPECT_EQ(0, strncmp(nl + 1, "a.example.com tcp/1128,", 23));
	free(r.out);
	free(r.diag);
}

TEST_F(sg, order_does_not_matter)
{
	const char *want = "example.com tcp/443\n*.example.com tcp/443\n"
			   "*.example.net tcp/22\nzzz.org tcp/443\n"
			   "192.0.2.1 tcp/443\n::1 tcp/443\n";
	struct efw_denial v[] = {
		TCP("zzz.org", 443), TCP("b.example.net", 22), addr_entry("::1", 443),
		TCP("a.example.com", 443), TCP("example.com", 443),
		addr_entry("192.0.2.1", 443), TCP("a.example.net", 22),
		TCP("b.example.com", 443),
	};
	size_t n = sizeof(v) / sizeof(v[0]), i, k;

	/* every rotation, forwards and backwards */
	for (k = 0; k < 2 * n; k++) {
		struct efw_denial w[sizeof(v) / sizeof(v[0])];
		struct run r;

		for (i = 0; i < n; i++)
			w[i] = v[k < n ? (i + k) % n : (n - 1 - i + k) % n];
		r = suggest(_metadata, w, n, self->psl);
		EXPECT_STREQ(want, r.out);
		free(r.out);
		free(r.diag);
	}
}

TEST_F(sg, only_no_match_is_suggested)
{
	struct efw_denial v[] = {
		TCP("a.example.com", 443), TCP("b.example.com", 443),
		TCP("c.example.org", 443), TCP("d.example.org", 443),
	};
	struct run r;

	v[2].reason = EGRESSFW_DENY_STRICT;
	v[3].reason = EGRESSFW_DENY_STRICT;
	v[1].reason = EGRESSFW_DENY_TIMEOUT;
	r = suggest(_metadata, v, 4, self->psl);
	EXPECT_STREQ("a.example.com tcp/443\n", r.out);
	EXPECT_NE(NULL, strstr(r.diag, "test: not suggested: 1 entry denied for timeout,"));
	EXPECT_NE(NULL, strstr(r.diag, "test: not suggested: 2 entries denied for strict,"));
	free(r.out);
	free(r.diag);
}

TEST_F(sg, odd_names_are_skipped_not_suggested)
{
	char long_name[300], label64[80];
	struct efw_denial v[] = {
		TCP("", 443), TCP(".", 443), TCP("*.com", 443), TCP("a*b.example.com", 443),
		TCP("1.2.3.4", 443), TCP("b\xc3\xbc" "cher.example", 443),
		TCP("bad..example.com", 443), TCP("evil\x1b[2J.example", 443),
		TCP("a.example.com", 0), NAME("a.example.com", 132, 9),
		TCP("ok.example.com", 443), TCP(long_name, 443), TCP(label64, 443),
		TCP("2001:db8::1", 443),
	};
	struct run r;
	size_t i, n;

	for (i = 0; i < 254; i += 2)
		memcpy(long_name + i, "a.", 2);
	long_name[253] = 'b';
	long_name[254] = '\0';	/* 254 bytes */
	memset(label64, 'x', 64);
	strcpy(label64 + 64, ".com");
	r = suggest(_metadata, v, sizeof(v) / sizeof(v[0]), self->psl);
	EXPECT_STREQ("ok.example.com tcp/443\n", r.out);
	/* one line for each of the 13 others */
	for (i = 0, n = 0; r.diag[i]; i++)
		n += r.diag[i] == '\n';
	EXPECT_EQ(13, n) TH_LOG("%s", r.diag);
	EXPECT_NE(NULL, strstr(r.diag, "not suggested: *.com tcp/443: a '*' in a name"));
	EXPECT_NE(NULL, strstr(r.diag, "not suggested: 1.2.3.4 tcp/443: an address where a name"));
	EXPECT_NE(NULL, strstr(r.diag, "not suggested: b\\xc3\\xbccher.example tcp/443:"));
	EXPECT_NE(NULL, strstr(r.diag, "not suggested: evil\\x1b[2J.example tcp/443:"));
	EXPECT_NE(NULL, strstr(r.diag, "not suggested: a.example.com tcp/0: no list line"));
	EXPECT_NE(NULL, strstr(r.diag, "not suggested: a.example.com proto 132/9: no list line"));
	EXPECT_NE(NULL, strstr(r.diag, "longer than a name may be"));
	EXPECT_EQ(NULL, strchr(r.diag, '\x1b'));
	free(r.out);
	free(r.diag);
}

TEST_F(sg, a_name_of_253_bytes)
{
	char a[254], b[254];
	struct efw_denial v[] = { TCP(a, 443), TCP(b, 443) };
	struct run r;
	size_t i;

	/* y.x.x....x.example.com: 253 bytes, and one differing in the first label */
	strcpy(a, "y.");
	for (i = 0; i < 120; i++)
		strcat(a, "x.");
	strcat(a, "example.com");
	ASSERT_EQ(253, strlen(a));
	strcpy(b, a);
	b[0] = 'z';
	r = suggest(_metadata, v, 2, self->psl);
	EXPECT_STREQ("*.example.com tcp/443\n", r.out);
	free(r.out);
	free(r.diag);
}

/* Without the list no wildcard: "*.co.uk" would look like any other. */
TEST(without_the_list_no_wildcard)
{
	SUGGEST(NULL, "a.example.com tcp/443\nb.example.com tcp/443\n",
		TCP("a.example.com", 443), TCP("b.example.com", 443));
	SUGGEST(NULL, "a.co.uk tcp/443\nb.co.uk tcp/443\n",
		TCP("a.co.uk", 443), TCP("b.co.uk", 443));
	/* a one-label name is never wildcarded */
	SUGGEST(NULL, "localhost tcp/443\n", TCP("localhost", 443));
}

TEST(empty_report)
{
	struct run r = suggest(_metadata, NULL, 0, NULL);

	EXPECT_EQ(0, r.lines);
	EXPECT_STREQ("", r.out);
	free(r.out);
	free(r.diag);
}

/* --- the report's order and its text ---------------------------------- */

TEST(report_order)
{
	struct efw_denial v[] = {
		TCP("b.example", 443), TCP("a.example", 443), TCP("c.example", 443),
		addr_entry("192.0.2.1", 22), TCP("d.example", 443),
	};

	v[0].count = 5; v[0].last = 100;
	v[1].count = 5; v[1].last = 100;
	v[2].count = 5; v[2].last = 200;
	v[3].count = 9; v[3].last = 1;
	v[4].count = 5; v[4].last = 100;
	v[4].port = 22;
	efw_denials_sort(v, 5);
	EXPECT_EQ(4, v[0].family);		/* most frequent */
	EXPECT_STREQ("c.example", v[1].name);	/* then most recent */
	EXPECT_STREQ("a.example", v[2].name);	/* then by name */
	EXPECT_STREQ("b.example", v[3].name);
	EXPECT_STREQ("d.example", v[4].name);
}

TEST(report_destination_text)
{
	struct efw_denial d = TCP("a\tb\x7f\xc3\xbc.example", 443);
	struct efw_denial a6 = addr_entry("2001:db8::7", 22);
	char buf[EFW_DEST_TEXT_MAX], small[64], big[300];

	efw_denial_dest(&d, buf, sizeof(buf));
	EXPECT_STREQ("a\\x09b\\x7f\\xc3\\xbc.example", buf);
	efw_denial_dest(&a6, buf, sizeof(buf));
	EXPECT_STREQ("2001:db8::7", buf);
	efw_denial_port(&a6, buf, sizeof(buf));
	EXPECT_STREQ("tcp/22", buf);
	/* cut to fit, never past the buffer */
	memset(big, '\x01', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	d.name = big;
	efw_denial_dest(&d, small, sizeof(small));
	EXPECT_GE(sizeof(small) - 1, strlen(small));
	EXPECT_EQ(0, strcmp(small + strlen(small) - 3, "..."));
}

TEST_HARNESS_MAIN
