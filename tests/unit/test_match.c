// SPDX-License-Identifier: GPL-2.0
/*
 * The compiled matcher (kmod/match*.c): every rule of the matching
 * semantics by hand, then randomized rule sets compared with a brute-force
 * reference that applies the semantics directly, rule by rule.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "match.h"

#define MAX_RULES 4096
#define MAX_PORTS 4

/* The rule set under construction (tests run one at a time). */
static struct efw_pattern pats[MAX_RULES];
static struct efw_rule_spec specs[MAX_RULES];
static struct efw_port_range ports[MAX_RULES][MAX_PORTS];
static unsigned int nrules;

static void reset(void)
{
	nrules = 0;
}

/* "tcp/443,udp/443,tcp/1000-2000", "" for no ports at all. */
static unsigned int parse_ports(const char *s, struct efw_port_range *r)
{
	unsigned int n = 0;

	while (*s && n < MAX_PORTS) {
		unsigned int lo, hi;
		int used = 0;

		r[n].proto = strncmp(s, "udp/", 4) ? EFW_PROTO_TCP : EFW_PROTO_UDP;
		s += 4;
		if (sscanf(s, "%u-%u%n", &lo, &hi, &used) != 2) {
			sscanf(s, "%u%n", &lo, &used);
			hi = lo;
		}
		r[n].lo = lo;
		r[n].hi = hi;
		n++;
		s += used;
		if (*s == ',')
			s++;
	}
	return n;
}

static unsigned int add(int kind, const char *name, const char *portspec)
{
	struct efw_pattern *p = &pats[nrules];

	memset(p, 0, sizeof(*p));
	p->kind = kind;
	p->name_len = strlen(name);
	memcpy(p->name, name, p->name_len + 1);
	specs[nrules].pattern = p;
	specs[nrules].ports = ports[nrules];
	specs[nrules].n_ports = parse_ports(portspec, ports[nrules]);
	return nrules++;
}

static unsigned int add_cidr(const char *addr, int len, const char *portspec)
{
	struct efw_pattern *p = &pats[nrules];

	memset(p, 0, sizeof(*p));
	if (strchr(addr, ':')) {
		p->kind = EFW_KIND_CIDR6;
		inet_pton(AF_INET6, addr, p->addr);
	} else {
		p->kind = EFW_KIND_CIDR4;
		inet_pton(AF_INET, addr, p->addr);
	}
	p->prefix_len = len;
	specs[nrules].pattern = p;
	specs[nrules].ports = ports[nrules];
	specs[nrules].n_ports = parse_ports(portspec, ports[nrules]);
	return nrules++;
}

static struct efw_matcher *build(void)
{
	int err = 0;
	struct efw_matcher *m = efw_matcher_build(specs, nrules, &err);

	if (!m)
		fprintf(stderr, "build failed: %d\n", err);
	return m;
}

static int q(const struct efw_matcher *m, const char *name, const char *pp)
{
	struct efw_port_range r;

	parse_ports(pp, &r);
	return efw_match_name(m, name, strlen(name), r.proto, r.lo);
}

static int qa(const struct efw_matcher *m, const char *addr, const char *pp)
{
	struct efw_port_range r;
	u8 a[16];

	parse_ports(pp, &r);
	if (strchr(addr, ':')) {
		inet_pton(AF_INET6, addr, a);
		return efw_match_addr(m, 6, a, r.proto, r.lo);
	}
	inet_pton(AF_INET, addr, a);
	return efw_match_addr(m, 4, a, r.proto, r.lo);
}

/* efw_match_name_each() collector: a bitmap of the rules reported. */
struct seen {
	unsigned char bit[MAX_RULES];
	unsigned int count;
	int stop_after;
};

static int collect(void *ctx, u32 rule)
{
	struct seen *s = ctx;

	if (rule < MAX_RULES)
		s->bit[rule]++;
	s->count++;
	if (s->stop_after && (int)s->count >= s->stop_after)
		return 7;
	return 0;
}

/* A rule of a table; for the CIDR kinds, @name is "address/length". */
struct rule {
	int kind;
	const char *name;
	const char *ports;
};

/* A query of a table and the rule id it must give, -1 for none. */
struct lookup {
	const char *query;	/* a name, or an address for qa() */
	const char *ports;
	int want;
	const char *what;
};

static void add_rules(const struct rule *r, size_t n)
{
	char addr[INET6_ADDRSTRLEN];

	for (; n; n--, r++) {
		const char *slash = strchr(r->name, '/');

		if (r->kind != EFW_KIND_CIDR4 && r->kind != EFW_KIND_CIDR6) {
			add(r->kind, r->name, r->ports);
			continue;
		}
		snprintf(addr, sizeof(addr), "%.*s", (int)(slash - r->name),
			 r->name);
		add_cidr(addr, atoi(slash + 1), r->ports);
	}
}

/*
 * Add @rules to those added so far, build, and expect each of @lookups
 * (by @look: q() or qa()). Returns the matcher for more checks.
 */
static struct efw_matcher *
check_table(struct __test_metadata *_metadata,
	    const struct rule *rules, size_t n_rules,
	    const struct lookup *l, size_t n_lookups,
	    int (*look)(const struct efw_matcher *, const char *, const char *))
{
	struct efw_matcher *m;

	add_rules(rules, n_rules);
	m = build();
	ASSERT_NE(NULL, m);
	for (; n_lookups; n_lookups--, l++) {
		EXPECT_EQ(l->want, look(m, l->query, l->ports))
			TH_LOG("%s: %s %s", l->what, l->query, l->ports);
	}
	return m;
}

TEST(exact)
{
	static const struct rule rules[] = {
		{ EFW_KIND_EXACT, "sophos.com", "tcp/443" },
		{ EFW_KIND_EXACT, "central.sophos.com", "tcp/443" },
	};
	static const struct lookup names[] = {
		{ "sophos.com", "tcp/443", 0, "the name" },
		{ "SOPHOS.COM.", "tcp/443", 0, "upper case, trailing dot" },
		{ "SoPhOs.CoM", "tcp/443", 0, "mixed case" },
		{ "central.sophos.com", "tcp/443", 1, "the longer name" },
		{ "Central.Sophos.Com.", "tcp/443", 1, "the longer, any case" },
		{ "evilsophos.com", "tcp/443", -1, "a longer first label" },
		{ "sophos.com.evil.com", "tcp/443", -1, "the name as a prefix" },
		{ "a.sophos.com", "tcp/443", -1, "a name below" },
		{ "sophos.co", "tcp/443", -1, "a byte short at the end" },
		{ "ophos.com", "tcp/443", -1, "a byte short in front" },
		{ "com", "tcp/443", -1, "the parent" },
		{ "sophos.com..", "tcp/443", -1, "two trailing dots" },
	};

	reset();
	efw_matcher_free(check_table(_metadata, rules, ARRAY_SIZE(rules),
				     names, ARRAY_SIZE(names), q));
}

TEST(wildcard)
{
	static const struct rule rules[] = {
		{ EFW_KIND_WILDCARD, "*.sophos.com", "tcp/443" },
	};
	static const struct lookup names[] = {
		{ "a.sophos.com", "tcp/443", 0, "one label below" },
		{ "a.b.sophos.com", "tcp/443", 0, "two labels below" },
		{ "x.y.z.SOPHOS.COM.", "tcp/443", 0, "any case, trailing dot" },
		{ "sophos.com", "tcp/443", -1, "the suffix itself" },
		{ "SOPHOS.COM.", "tcp/443", -1, "the suffix, any case" },
		{ "evilsophos.com", "tcp/443", -1, "not at a label boundary" },
		{ "a.evilsophos.com", "tcp/443", -1, "below a longer label" },
		{ "sophos.com.evil.com", "tcp/443", -1, "the suffix as a prefix" },
		{ ".sophos.com", "tcp/443", -1, "an empty label below" },
	};

	reset();
	efw_matcher_free(check_table(_metadata, rules, ARRAY_SIZE(rules),
				     names, ARRAY_SIZE(names), q));
}

TEST(wildcard_on_tld)
{
	static const struct rule rules[] = {
		{ EFW_KIND_WILDCARD, "*.com", "tcp/443" },
	};
	static const struct lookup names[] = {
		{ "a.com", "tcp/443", 0, "one label below" },
		{ "a.b.c.d.e.f.com", "tcp/443", 0, "six labels below" },
		{ "com", "tcp/443", -1, "the TLD itself" },
		{ "a.net", "tcp/443", -1, "another TLD" },
		{ "a.comm", "tcp/443", -1, "a longer TLD" },
	};

	reset();
	efw_matcher_free(check_table(_metadata, rules, ARRAY_SIZE(rules),
				     names, ARRAY_SIZE(names), q));
}

TEST(glob)
{
	static const struct rule rules[] = {
		{ EFW_KIND_GLOB,
		  "tf-presigned-url-eu-west-1-prod-*-bucket.s3.eu-west-1.amazonaws.com",
		  "tcp/443" },
		{ EFW_KIND_GLOB, "a*.com", "tcp/443" },
		{ EFW_KIND_GLOB, "x*y*z.example.org", "tcp/443" },
		{ EFW_KIND_GLOB, "p*.q*.net", "tcp/443" },
	};
	static const struct lookup names[] = {
		{ "tf-presigned-url-eu-west-1-prod-123456789-bucket.s3.eu-west-1.amazonaws.com",
		  "tcp/443", 0, "a run of digits" },
		{ "tf-presigned-url-eu-west-1-prod--bucket.s3.eu-west-1.amazonaws.com",
		  "tcp/443", 0, "zero-length star" },
		{ "TF-PRESIGNED-URL-EU-WEST-1-PROD-X-BUCKET.S3.EU-WEST-1.AMAZONAWS.COM.",
		  "tcp/443", 0, "upper case, trailing dot" },
		{ "tf-presigned-url-eu-west-1-prod-a.b-bucket.s3.eu-west-1.amazonaws.com",
		  "tcp/443", -1, "the star never crosses a dot" },
		{ "x.tf-presigned-url-eu-west-1-prod-1-bucket.s3.eu-west-1.amazonaws.com",
		  "tcp/443", -1, "a label in front" },
		{ "tf-presigned-url-eu-west-1-prod-1-bucket.s3.eu-west-2.amazonaws.com",
		  "tcp/443", -1, "the tail differs" },
		{ "tf-presigned-url-eu-west-1-prod-1-bucketx.s3.eu-west-1.amazonaws.com",
		  "tcp/443", -1, "a byte past the label's tail" },

		{ "a.com", "tcp/443", 1, "zero-length star" },
		{ "abc.com", "tcp/443", 1, "a star of two bytes" },
		{ "b.com", "tcp/443", -1, "the head differs" },
		{ "a.b.com", "tcp/443", -1, "a label more" },
		{ "x.a.com", "tcp/443", -1, "a label in front" },
		{ "com", "tcp/443", -1, "the tail alone" },

		{ "xyz.example.org", "tcp/443", 2, "two empty stars in a label" },
		{ "x123y456z.example.org", "tcp/443", 2, "two stars in a label" },
		{ "xzyzz.example.org", "tcp/443", 2, "a z before the y" },
		{ "xyyyz.example.org", "tcp/443", 2, "several y" },
		{ "xz.example.org", "tcp/443", -1, "no y" },
		{ "xyza.example.org", "tcp/443", -1, "a byte after the z" },
		{ "ayz.example.org", "tcp/443", -1, "the head differs" },

		/* Stars in several labels, same label count required. */
		{ "p.q.net", "tcp/443", 3, "empty stars in two labels" },
		{ "pp1.qq2.net", "tcp/443", 3, "stars in two labels" },
		{ "p.x.q.net", "tcp/443", -1, "a label more" },
		{ "q.p.net", "tcp/443", -1, "the labels swapped" },
	};

	reset();
	efw_matcher_free(check_table(_metadata, rules, ARRAY_SIZE(rules),
				     names, ARRAY_SIZE(names), q));
}

TEST(glob_index_and_short_heads)
{
	/* After 500 globs "bucket-%03d-*.s3.aws.com", ids 0 to 499. */
	static const struct rule rules[] = {
		{ EFW_KIND_GLOB, "b*.s3.aws.com", "tcp/22" },		/* 500 */
		{ EFW_KIND_GLOB, "bucket-0*.s3.aws.com", "tcp/25" },	/* 501 */
		{ EFW_KIND_GLOB, "bucket-0.x*.s3.aws.com", "tcp/25" },	/* 502 */
	};
	static const struct lookup names[] = {
		{ "bucket-000-.s3.aws.com", "tcp/443", 0, "indexed, empty star" },
		{ "bucket-123-foo.s3.aws.com", "tcp/443", 123, "indexed" },
		{ "BUCKET-499-X.s3.aws.com", "tcp/443", 499, "indexed, upper case" },
		{ "bucket-500-x.s3.aws.com", "tcp/443", -1, "no such head" },
		{ "bucket-500-x.s3.aws.com", "tcp/22", 500, "short head" },
		{ "b.s3.aws.com", "tcp/22", 500, "short head, empty star" },
		{ "bucket-012-x.s3.aws.com", "tcp/25", 501, "longer short head" },
		{ "bucket-112-x.s3.aws.com", "tcp/25", -1, "not that head" },
		{ "bucket-0.xyz.s3.aws.com", "tcp/25", 502, "star in label two" },
		{ "bucket-0.yz.s3.aws.com", "tcp/25", -1, "label two's head" },
		{ "bucket-12.s3.aws.com", "tcp/443", -1, "not an indexed head" },
	};
	char name[128];
	int i;

	/* Many globs on one node, long heads (indexed) and short (chained). */
	reset();
	for (i = 0; i < 500; i++) {
		snprintf(name, sizeof(name), "bucket-%03d-*.s3.aws.com", i);
		add(EFW_KIND_GLOB, name, "tcp/443");
	}
	efw_matcher_free(check_table(_metadata, rules, ARRAY_SIZE(rules),
				     names, ARRAY_SIZE(names), q));
}

/*
 * Table paths: keys longer than a node entry holds inline, names of more
 * labels than one probe batch, a table full enough for cuckoo moves, and
 * crowded glob nodes whose index heads are filtered.
 */
/*
 * Glob index tables: several crowded nodes, each with its own table, one
 * indexed by heads and one by tails, in the same arena. Every indexed
 * glob is found through its node's table, and a query whose head (tail)
 * has no list, on any of the nodes, matches none of them.
 */
TEST(glob_index_tables)
{
	struct efw_matcher *m;
	char name[128];
	int i, z;

	reset();
	for (z = 0; z < 3; z++)
		for (i = 0; i < 700; i++) {
			snprintf(name, sizeof(name), "h%dq*.zone%d.example", i, z);
			add(EFW_KIND_GLOB, name, "tcp/443");
		}
	for (i = 0; i < 700; i++) {
		snprintf(name, sizeof(name), "*-t%dq.tails.example", i);
		add(EFW_KIND_GLOB, name, "tcp/443");
	}
	ASSERT_NE(NULL, m = build());
	for (z = 0; z < 3; z++)
		for (i = 0; i < 700; i++) {
			snprintf(name, sizeof(name), "H%dQany.zone%d.example", i, z);
			EXPECT_EQ(z * 700 + i, q(m, name, "tcp/443")) TH_LOG("%s", name);
			snprintf(name, sizeof(name), "h%dr.zone%d.example", i, z);
			EXPECT_EQ(-1, q(m, name, "tcp/443")) TH_LOG("%s", name);
		}
	for (i = 0; i < 700; i++) {
		snprintf(name, sizeof(name), "x-y-t%dq.tails.example", i);
		EXPECT_EQ(2100 + i, q(m, name, "tcp/443")) TH_LOG("%s", name);
		snprintf(name, sizeof(name), "x-y-t%dr.tails.example", i);
		EXPECT_EQ(-1, q(m, name, "tcp/443")) TH_LOG("%s", name);
	}
	efw_matcher_free(m);
}

TEST(long_keys_deep_names_big_table)
{
	static const char long_sfx[] =
		"averyveryverylonglabelforthetest.another-long-label-here.example.com";
	struct efw_matcher *m;
	char name[256], deep[256];
	int i;

	reset();
	snprintf(name, sizeof(name), "%s", long_sfx);
	add(EFW_KIND_EXACT, name, "tcp/443");				/* 0 */
	snprintf(name, sizeof(name), "*.%s", long_sfx);
	add(EFW_KIND_WILDCARD, name, "tcp/443");			/* 1 */
	snprintf(name, sizeof(name), "x*y.%s", long_sfx);
	add(EFW_KIND_GLOB, name, "tcp/22");				/* 2 */
	/* Same first 44 bytes as rule 0's key, different end. */
	snprintf(name, sizeof(name), "%.*sX", (int)strlen(long_sfx) - 1, long_sfx);
	for (char *c = name; *c; c++)
		*c = *c == 'X' ? 'n' : *c;
	add(EFW_KIND_EXACT, name, "tcp/25");				/* 3 */
	add(EFW_KIND_EXACT, "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.com",
	    "tcp/443");							/* 4 */
	add(EFW_KIND_WILDCARD, "*.r.s.t.com", "tcp/22");		/* 5 */
	for (i = 0; i < 4000; i++) {
		snprintf(name, sizeof(name), "host%d.zone%d.example.net", i, i % 97);
		add(i % 3 ? EFW_KIND_EXACT : EFW_KIND_GLOB, i % 3 ? name :
		    strcat(strcpy(deep, "g*"), name), "tcp/443");
	}
	ASSERT_NE(NULL, m = build());
	EXPECT_EQ(0, q(m, long_sfx, "tcp/443"));
	EXPECT_EQ(-1, q(m, long_sfx, "tcp/25"));
	EXPECT_EQ(3, q(m, pats[3].name, "tcp/25"));
	EXPECT_EQ(-1, q(m, pats[3].name, "tcp/443"));
	snprintf(name, sizeof(name), "w.%s", long_sfx);
	EXPECT_EQ(1, q(m, name, "tcp/443"));
	snprintf(name, sizeof(name), "xABCy.%s", long_sfx);
	EXPECT_EQ(2, q(m, name, "tcp/22"));
	snprintf(name, sizeof(name), "xABCz.%s", long_sfx);
	EXPECT_EQ(-1, q(m, name, "tcp/22"));
	EXPECT_EQ(4, q(m, "A.B.C.D.E.F.G.H.I.J.K.L.M.N.O.P.Q.R.S.T.COM.", "tcp/443"));
	EXPECT_EQ(5, q(m, "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.com", "tcp/22"));
	EXPECT_EQ(5, q(m, "z.y.x.w.v.u.a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.com",
		       "tcp/22"));
	EXPECT_EQ(-1, q(m, "b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.com", "tcp/443"));
	for (i = 0; i < 4000; i += 7) {
		snprintf(name, sizeof(name), "%shost%d.zone%d.example.net",
			 i % 3 ? "" : "g-and-more", i, i % 97);
		EXPECT_EQ(6 + i, q(m, name, "tcp/443")) TH_LOG("%s", name);
		snprintf(name, sizeof(name), "host%dx.zone%d.example.net", i, i % 97);
		EXPECT_EQ(-1, q(m, name, "tcp/443")) TH_LOG("%s", name);
	}
	efw_matcher_free(m);
}

TEST(port_sets)
{
	static const struct rule rules[] = {
		{ EFW_KIND_EXACT, "a.example.com", "tcp/443" },
		{ EFW_KIND_EXACT, "b.example.com", "tcp/22" },
		{ EFW_KIND_EXACT, "c.example.com", "udp/443" },
		{ EFW_KIND_EXACT, "d.example.com", "tcp/1024-65535,udp/123" },
		{ EFW_KIND_EXACT, "e.example.com", "" },
	};
	static const struct lookup names[] = {
		{ "a.example.com", "tcp/443", 0, "its port" },
		{ "a.example.com", "tcp/22", -1, "another port" },
		{ "a.example.com", "udp/443", -1, "another protocol" },
		{ "b.example.com", "tcp/22", 1, "its port" },
		{ "b.example.com", "tcp/443", -1, "another port" },
		{ "c.example.com", "udp/443", 2, "its UDP port" },
		{ "c.example.com", "tcp/443", -1, "TCP on a UDP rule" },
		{ "d.example.com", "tcp/1024", 3, "range start" },
		{ "d.example.com", "tcp/65535", 3, "range end" },
		{ "d.example.com", "tcp/5000", 3, "in the range" },
		{ "d.example.com", "tcp/1023", -1, "below the range" },
		{ "d.example.com", "udp/123", 3, "its UDP port" },
		{ "d.example.com", "udp/124", -1, "the next UDP port" },
		{ "d.example.com", "udp/5000", -1, "the TCP range on UDP" },
		{ "e.example.com", "tcp/443", -1, "no ports at all" },
	};
	struct efw_matcher *m;

	reset();
	m = check_table(_metadata, rules, ARRAY_SIZE(rules),
			names, ARRAY_SIZE(names), q);
	EXPECT_TRUE(efw_rule_covers(m, 3, EFW_PROTO_TCP, 2000));
	EXPECT_FALSE(efw_rule_covers(m, 3, EFW_PROTO_UDP, 2000));
	EXPECT_FALSE(efw_rule_covers(m, 99, EFW_PROTO_TCP, 443));
	efw_matcher_free(m);
}

TEST(lowest_id_wins)
{
	static const struct rule rules[] = {
		{ EFW_KIND_EXACT, "x.a.example.com", "tcp/22" },		/* 0 */
		{ EFW_KIND_WILDCARD, "*.example.com", "tcp/443" },		/* 1 */
		{ EFW_KIND_EXACT, "x.a.example.com", "tcp/443" },		/* 2 */
		{ EFW_KIND_GLOB, "x.a*.example.com", "tcp/443,tcp/25" },	/* 3 */
		{ EFW_KIND_WILDCARD, "*.a.example.com", "tcp/25,tcp/22" },	/* 4 */
		{ EFW_KIND_WILDCARD, "*.example.com", "udp/443" },		/* 5 */
	};
	static const struct lookup names[] = {
		{ "x.a.example.com", "tcp/22", 0, "exact 0 before wildcard 4" },
		{ "x.a.example.com", "tcp/443", 1, "wildcard 1 before exact 2" },
		{ "x.a.example.com", "tcp/25", 3, "glob 3 before wildcard 4" },
		{ "y.a.example.com", "tcp/25", 4, "wildcard 4 alone" },
		{ "y.a.example.com", "tcp/22", 4, "its other port" },
		{ "x.a.example.com", "udp/443", 5, "the only UDP rule" },
		{ "example.com", "udp/443", -1, "its suffix" },
	};

	reset();
	efw_matcher_free(check_table(_metadata, rules, ARRAY_SIZE(rules),
				     names, ARRAY_SIZE(names), q));
}

TEST(duplicates_and_each)
{
	static const struct rule rules[] = {
		{ EFW_KIND_EXACT, "dup.example.com", "tcp/22" },	/* 0 */
		{ EFW_KIND_EXACT, "dup.example.com", "tcp/443" },	/* 1 */
		{ EFW_KIND_EXACT, "dup.example.com", "tcp/443" },	/* 2 */
		{ EFW_KIND_WILDCARD, "*.example.com", "tcp/25" },	/* 3 */
		{ EFW_KIND_WILDCARD, "*.example.com", "" },		/* 4 */
		{ EFW_KIND_GLOB, "d*p.example.com", "udp/443" },	/* 5 */
		{ EFW_KIND_GLOB, "d*p.example.com", "udp/443" },	/* 6 */
		{ EFW_KIND_WILDCARD, "*.com", "tcp/443" },		/* 7 */
		{ EFW_KIND_EXACT, "other.example.com", "tcp/443" },	/* 8 */
		{ EFW_KIND_GLOB, "d*.example.com", "tcp/443" },		/* 9 */
	};
	static const struct lookup names[] = {
		{ "dup.example.com", "tcp/443", 1, "the first of 1 and 2" },
		{ "DUP.example.com.", "tcp/22", 0, "any case" },
		{ "dup.example.com", "udp/443", 5, "the first of 5 and 6" },
	};
	/* efw_match_name_each(): what it returns, and the rules it visits. */
	static const struct {
		const char *name;
		int stop_after, ret;
		unsigned int count, rules;	/* a bit a rule, unless stopped */
		const char *what;
	} each[] = {
		{ "Dup.Example.Com.", 0, 0, 9, 0x3ff & ~(1u << 8),
		  "every rule but 8, once" },
		{ "dup.example.com", 2, 7, 2, 0,
		  "stopped early, the visitor's value" },
		{ "nothing.net", 0, 0, 0, 0, "no match" },
		{ "bad..example.com", 0, 0, 0, 0, "not a host name" },
	};
	struct efw_matcher *m;
	struct seen s;
	size_t i;
	int k;

	reset();
	m = check_table(_metadata, rules, ARRAY_SIZE(rules),
			names, ARRAY_SIZE(names), q);
	for (i = 0; i < ARRAY_SIZE(each); i++) {
		memset(&s, 0, sizeof(s));
		s.stop_after = each[i].stop_after;
		EXPECT_EQ(each[i].ret,
			  efw_match_name_each(m, each[i].name,
					      strlen(each[i].name), collect, &s))
			TH_LOG("%s: %s", each[i].what, each[i].name);
		EXPECT_EQ(each[i].count, s.count)
			TH_LOG("%s: %s", each[i].what, each[i].name);
		for (k = 0; !s.stop_after && k < 10; k++) {
			EXPECT_EQ((each[i].rules >> k) & 1, s.bit[k])
				TH_LOG("%s: %s, rule %d", each[i].what,
				       each[i].name, k);
		}
	}
	efw_matcher_free(m);
}

TEST(invalid_queries)
{
	static const struct rule rules[] = {
		{ EFW_KIND_WILDCARD, "*.com", "tcp/443" },
		{ EFW_KIND_EXACT, "a.com", "tcp/443" },
	};
	static const struct lookup names[] = {
		{ "a.com", "tcp/443", 0, "both match, the wildcard is first" },
		{ "b.com", "tcp/443", 0, "the wildcard" },
		{ "", "tcp/443", -1, "empty" },
		{ ".", "tcp/443", -1, "the root" },
		{ ".com", "tcp/443", -1, "an empty first label" },
		{ "a..com", "tcp/443", -1, "an empty label inside" },
		{ "a.com..", "tcp/443", -1, "two trailing dots" },
		{ "a b.com", "tcp/443", -1, "a space" },
		{ "a*.com", "tcp/443", -1, "a star" },
		{ "*.com", "tcp/443", -1, "a star label" },
		{ "a/b.com", "tcp/443", -1, "a slash" },
		{ "\xc3\xa9.com", "tcp/443", -1, "UTF-8" },
		{ "a_b-c.com", "tcp/443", 0, "underscore and dash are fine" },
	};
	struct efw_matcher *m;
	char name[400];

	reset();
	m = check_table(_metadata, rules, ARRAY_SIZE(rules),
			names, ARRAY_SIZE(names), q);
	EXPECT_EQ(-1, efw_match_name(m, "a.com\0x", 7, EFW_PROTO_TCP, 443));
	EXPECT_EQ(0, efw_match_name(m, "a.com\0x", 5, EFW_PROTO_TCP, 443));
	EXPECT_EQ(-1, efw_match_name(m, NULL, 0, EFW_PROTO_TCP, 443));

	/* Label of 63 bytes is fine, 64 is not. */
	memset(name, 'x', 63);
	strcpy(name + 63, ".com");
	EXPECT_EQ(0, q(m, name, "tcp/443"));
	memset(name, 'x', 64);
	strcpy(name + 64, ".com");
	EXPECT_EQ(-1, q(m, name, "tcp/443"));

	/* 253 bytes is fine (and 254 with a trailing dot), 254 is not. */
	memset(name, 'a', 63);
	name[63] = '.';
	memset(name + 64, 'b', 63);
	name[127] = '.';
	memset(name + 128, 'c', 63);
	name[191] = '.';
	memset(name + 192, 'd', 57);
	strcpy(name + 249, ".com");
	EXPECT_EQ(253, strlen(name));
	EXPECT_EQ(0, q(m, name, "tcp/443"));
	strcat(name, ".");
	EXPECT_EQ(0, q(m, name, "tcp/443"));
	memmove(name + 193, name + 192, strlen(name + 192) + 1);
	name[254] = '\0';	/* 58 d's: 254 bytes */
	EXPECT_EQ(254, strlen(name));
	EXPECT_EQ(-1, q(m, name, "tcp/443"));
	efw_matcher_free(m);
}

TEST(cidr4)
{
	static const struct rule rules[] = {
		{ EFW_KIND_CIDR4, "10.0.0.0/8", "tcp/22" },		/* 0 */
		{ EFW_KIND_CIDR4, "10.1.0.0/16", "tcp/443" },		/* 1 */
		{ EFW_KIND_CIDR4, "10.1.2.3/32", "tcp/25,tcp/22" },	/* 2 */
		{ EFW_KIND_CIDR4, "10.1.2.0/24", "udp/443" },		/* 3 */
		{ EFW_KIND_CIDR4, "0.0.0.0/0", "tcp/8080" },		/* 4 */
		{ EFW_KIND_CIDR4, "10.1.2.3/32", "tcp/25" },		/* 5 */
		{ EFW_KIND_CIDR4, "146.112.62.0/24", "tcp/443" },	/* 6 */
		{ EFW_KIND_EXACT, "a.com", "tcp/443" },			/* 7 */
	};
	static const struct lookup addrs[] = {
		{ "10.1.2.3", "tcp/22", 0, "the /8 before the /32" },
		{ "10.1.2.3", "tcp/443", 1, "the /16" },
		{ "10.1.2.3", "tcp/25", 2, "the first of two /32" },
		{ "10.1.2.4", "tcp/25", -1, "next to the /32" },
		{ "10.1.2.4", "udp/443", 3, "the /24" },
		{ "10.1.3.4", "udp/443", -1, "past the /24" },
		{ "10.1.255.255", "tcp/443", 1, "the end of the /16" },
		{ "10.2.0.0", "tcp/443", -1, "past the /16" },
		{ "10.255.255.255", "tcp/22", 0, "the end of the /8" },
		{ "11.0.0.0", "tcp/22", -1, "past the /8" },
		{ "1.2.3.4", "tcp/8080", 4, "the /0" },
		{ "255.255.255.255", "tcp/8080", 4, "the end of the /0" },
		{ "146.112.62.200", "tcp/443", 6, "another /24" },
		{ "146.112.63.0", "tcp/443", -1, "past that /24" },
		{ "2001:db8::1", "tcp/8080", -1, "IPv6 against an IPv4 /0" },
	};
	struct efw_matcher *m;

	reset();
	m = check_table(_metadata, rules, ARRAY_SIZE(rules),
			addrs, ARRAY_SIZE(addrs), qa);
	EXPECT_EQ(-1, efw_match_addr(m, 5, (const u8 *)"\0\0\0\0", EFW_PROTO_TCP, 8080));
	/* Names and addresses are separate worlds. */
	EXPECT_EQ(-1, q(m, "10.1.2.3", "tcp/22"));
	efw_matcher_free(m);
}

TEST(cidr6)
{
	static const struct rule rules[] = {
		{ EFW_KIND_CIDR6, "2a04:e4c7:ffff::/48", "tcp/443" },		/* 0 */
		{ EFW_KIND_CIDR6, "2001:db8::1/128", "tcp/22" },		/* 1 */
		{ EFW_KIND_CIDR6, "2001:db8::/32", "tcp/443,tcp/22" },		/* 2 */
		{ EFW_KIND_CIDR6, "::/0", "udp/53" },				/* 3 */
		{ EFW_KIND_CIDR6, "2001:db8:0:1::/64", "tcp/25" },		/* 4 */
		{ EFW_KIND_CIDR6, "2001:db8:0:1:8000::/65", "tcp/26" },	/* 5 */
		{ EFW_KIND_CIDR6, "2001:db8::/127", "tcp/27" },		/* 6 */
		{ EFW_KIND_CIDR4, "10.0.0.0/8", "udp/53" },			/* 7 */
	};
	static const struct lookup addrs[] = {
		{ "2a04:e4c7:ffff:1::5", "tcp/443", 0, "the /48" },
		{ "2a04:e4c7:fffe::5", "tcp/443", -1, "before the /48" },
		{ "2001:db8::1", "tcp/22", 1, "the /128 before the /32" },
		{ "2001:db8::2", "tcp/22", 2, "the /32" },
		{ "2001:db8::1", "tcp/443", 2, "the /32, its other port" },
		{ "fe80::1", "udp/53", 3, "the /0" },
		{ "::", "udp/53", 3, "the start of the /0" },
		{ "2001:db8:0:1:ffff::", "tcp/25", 4, "the /64" },
		{ "2001:db8:0:2::", "tcp/25", -1, "past the /64" },
		{ "2001:db8:0:1:8000::1", "tcp/26", 5, "the /65" },
		{ "2001:db8:0:1:7fff::1", "tcp/26", -1, "the other half, /65" },
		{ "2001:db8::1", "tcp/27", 6, "the /127, odd" },
		{ "2001:db8::", "tcp/27", 6, "the /127, even" },
		{ "2001:db8::2", "tcp/27", -1, "past the /127" },
		{ "10.9.9.9", "udp/53", 7, "IPv4: ::/0 is not for it" },
		{ "11.9.9.9", "udp/53", -1, "IPv4 past the /8" },
	};

	reset();
	efw_matcher_free(check_table(_metadata, rules, ARRAY_SIZE(rules),
				     addrs, ARRAY_SIZE(addrs), qa));
}

TEST(build_errors)
{
	/* One rule, or two; then the spec's pointers cleared if asked. */
	static const struct {
		struct rule rule[2];
		bool no_ports, no_pattern;
		const char *what;
	} refused[] = {
		{ { { 0, "a.com", "tcp/443" } }, .what = "kind 0" },
		{ { { 6, "a.com", "tcp/443" } }, .what = "kind 6" },
		{ { { EFW_KIND_EXACT, "a.com", "tcp/443" },
		    { EFW_KIND_EXACT, "A.com", "tcp/443" } },
		  .what = "upper case, in the second rule" },
		{ { { EFW_KIND_EXACT, "a*.com", "tcp/443" } },
		  .what = "a star in an exact name" },
		{ { { EFW_KIND_EXACT, "a..com", "tcp/443" } },
		  .what = "an empty label" },
		{ { { EFW_KIND_EXACT, "", "tcp/443" } },
		  .what = "an empty name" },
		{ { { EFW_KIND_WILDCARD, "a.com", "tcp/443" } },
		  .what = "a wildcard without its star" },
		{ { { EFW_KIND_WILDCARD, "*.a*.com", "tcp/443" } },
		  .what = "a wildcard with a second star" },
		{ { { EFW_KIND_GLOB, "a.com", "tcp/443" } },
		  .what = "a glob without a star" },
		{ { { EFW_KIND_GLOB, "a.c*", "tcp/443" } },
		  .what = "a glob with a star in the TLD" },
		{ { { EFW_KIND_GLOB, "a**b.com", "tcp/443" } },
		  .what = "a glob with two stars in a row" },
		{ { { EFW_KIND_CIDR4, "10.0.0.1/24", "tcp/443" } },
		  .what = "IPv4 host bits set" },
		{ { { EFW_KIND_CIDR4, "10.0.0.0/33", "tcp/443" } },
		  .what = "IPv4 prefix too long" },
		{ { { EFW_KIND_CIDR6, "2001:db8::1/64", "tcp/443" } },
		  .what = "IPv6 host bits set" },
		{ { { EFW_KIND_CIDR6, "::/129", "tcp/443" } },
		  .what = "IPv6 prefix too long" },
		{ { { EFW_KIND_EXACT, "a.com", "tcp/500-400" } },
		  .what = "a port range backwards" },
		{ { { EFW_KIND_EXACT, "a.com", "tcp/443" } }, .no_ports = true,
		  .what = "ports NULL" },
		{ { { EFW_KIND_EXACT, "a.com", "tcp/443" } }, .no_pattern = true,
		  .what = "pattern NULL" },
	};
	struct efw_matcher *m;
	struct efw_rule_spec bad;
	size_t i;
	int err;

	/* n = 0 works and matches nothing. */
	err = 0;
	m = efw_matcher_build(NULL, 0, &err);
	ASSERT_NE(NULL, m);
	EXPECT_EQ(0, efw_matcher_rules(m));
	EXPECT_LT(0, efw_matcher_memory(m));
	EXPECT_EQ(-1, efw_match_name(m, "a.com", 5, EFW_PROTO_TCP, 443));
	EXPECT_EQ(-1, efw_match_addr(m, 4, (const u8 *)"\1\2\3\4", EFW_PROTO_TCP, 443));
	efw_matcher_free(m);
	efw_matcher_free(NULL);

	for (i = 0; i < ARRAY_SIZE(refused); i++) {
		reset();
		add_rules(refused[i].rule, refused[i].rule[1].name ? 2 : 1);
		if (refused[i].no_ports)
			specs[0].ports = NULL;
		if (refused[i].no_pattern)
			specs[0].pattern = NULL;
		err = 0;
		m = efw_matcher_build(specs, nrules, &err);
		EXPECT_EQ(NULL, m) TH_LOG("%s", refused[i].what);
		EXPECT_EQ(-EINVAL, err) TH_LOG("%s", refused[i].what);
		efw_matcher_free(m);
	}

	/* Far too many rules: refused before any is looked at. */
	bad = (struct efw_rule_spec){ .ports = ports[0], .n_ports = 1 };
	err = 0;
	EXPECT_EQ(NULL, efw_matcher_build(&bad, EFW_MATCH_MAX_RULES + 1, &err));
	EXPECT_EQ(-E2BIG, err);
}

/* ---- randomized comparison with a brute-force reference ---- */

static u64 rng_state;

static u32 rnd(u32 n)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (u32)((rng_state * 0x2545f4914f6cdd1dULL) >> 32) % n;
}

/* The semantics, directly: '*' eats any run of non-dot bytes. */
static bool ref_glob(const char *p, const char *s)
{
	if (!*p)
		return !*s;
	if (*p == '*') {
		for (size_t k = 0;; k++) {
			if (ref_glob(p + 1, s + k))
				return true;
			if (!s[k] || s[k] == '.')
				return false;
		}
	}
	return *s == *p && ref_glob(p + 1, s + 1);
}

/* Canonical form of a query in @out, or false if not a host name. */
static bool ref_canon(const char *q, size_t len, char *out)
{
	size_t i, lab = 0;

	if (len && q[len - 1] == '.')
		len--;
	if (!len || len > 253)
		return false;
	for (i = 0; i < len; i++) {
		char c = q[i];

		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		if (c == '.') {
			if (!lab)
				return false;
			lab = 0;
		} else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
			   c == '-' || c == '_') {
			if (++lab > 63)
				return false;
		} else {
			return false;
		}
		out[i] = c;
	}
	out[len] = '\0';
	return lab > 0;
}

static bool ref_name(const struct efw_pattern *p, const char *c)
{
	size_t cl = strlen(c), sl;

	switch (p->kind) {
	case EFW_KIND_EXACT:
		return !strcmp(p->name, c);
	case EFW_KIND_WILDCARD:
		sl = p->name_len - 1;	/* ".suffix" */
		return cl > sl && !strcmp(c + cl - sl, p->name + 1);
	case EFW_KIND_GLOB:
		return ref_glob(p->name, c);
	}
	return false;
}

static bool ref_addr(const struct efw_pattern *p, int family, const u8 *a)
{
	int bits = p->prefix_len, i;

	if ((family == 4) != (p->kind == EFW_KIND_CIDR4) ||
	    (p->kind != EFW_KIND_CIDR4 && p->kind != EFW_KIND_CIDR6))
		return false;
	for (i = 0; i < bits; i++)
		if (((a[i / 8] ^ p->addr[i / 8]) >> (7 - i % 8)) & 1)
			return false;
	return true;
}

static const char *const vocab[] = {
	"a", "b", "ab", "ba", "aa", "com", "net", "s3", "x-y", "_t",
	"bucketbucket", "tf-presigned", "a1",
};
static const char *const gvocab[] = {
	"a*", "*a", "a*b", "*", "b*a*", "*-*", "ab*", "tf-presigned-*",
	"bucketbucket*", "bucketbu*ket", "bucket*", "*b*",
};
#define NV (sizeof(vocab) / sizeof(vocab[0]))
#define NG (sizeof(gvocab) / sizeof(gvocab[0]))

static const char *const portsets[] = {
	"tcp/443", "tcp/443", "tcp/443", "tcp/22", "udp/443",
	"tcp/443,udp/443", "tcp/20-30,tcp/443", "",
};
static const struct { u8 proto; u16 port; } qports[] = {
	{ EFW_PROTO_TCP, 443 }, { EFW_PROTO_TCP, 22 }, { EFW_PROTO_UDP, 443 },
	{ EFW_PROTO_TCP, 25 }, { EFW_PROTO_TCP, 80 },
};

static void rand_labels(char *out, int nl)
{
	out[0] = '\0';
	for (int i = 0; i < nl; i++) {
		if (i)
			strcat(out, ".");
		strcat(out, vocab[rnd(NV)]);
	}
}

static void rand_rule(void)
{
	char name[256], tail[200];
	int k = rnd(10);
	const char *ps = portsets[rnd(8)];

	if (k < 4) {
		rand_labels(name, 1 + rnd(4));
		add(EFW_KIND_EXACT, name, ps);
	} else if (k < 6) {
		strcpy(name, "*.");
		rand_labels(name + 2, 1 + rnd(3));
		add(EFW_KIND_WILDCARD, name, ps);
	} else if (k < 9) {
		/* One to three labels with stars, some literal, then a tail. */
		int ng = 1 + rnd(2), has = 0;

		name[0] = '\0';
		for (int i = 0; i < ng || !has; i++) {
			if (i)
				strcat(name, ".");
			if (rnd(3)) {
				strcat(name, gvocab[rnd(NG)]);
				has = 1;
			} else {
				strcat(name, vocab[rnd(NV)]);
			}
		}
		rand_labels(tail, 1 + rnd(2));
		strcat(name, ".");
		strcat(name, tail);
		/* A lone "*" label first and no other star: a wildcard. */
		if (!strncmp(name, "*.", 2) && !strchr(name + 2, '*'))
			add(EFW_KIND_WILDCARD, name, ps);
		else
			add(EFW_KIND_GLOB, name, ps);
	} else {
		struct efw_pattern *p;
		unsigned int r;

		if (rnd(2)) {
			static const int l4[] = { 0, 8, 16, 22, 24, 30, 31, 32 };
			char a[32];

			snprintf(a, sizeof(a), "10.%u.%u.%u", rnd(2), rnd(4), rnd(4));
			r = add_cidr(a, l4[rnd(8)], ps);
		} else {
			static const int l6[] = { 0, 32, 48, 64, 65, 120, 127, 128 };
			char a[64];

			snprintf(a, sizeof(a), "2001:db8:%x::%x:%x", rnd(3),
				 rnd(2) ? 0x8000 : 0, rnd(4));
			r = add_cidr(a, l6[rnd(8)], ps);
		}
		/* Clear the host bits. */
		p = &pats[r];
		for (int i = p->prefix_len; i < 128; i++)
			p->addr[i / 8] &= ~(0x80 >> (i % 8));
	}
}

/* A query: often an instance of a rule, sometimes mangled. */
static void rand_query(char *out)
{
	const struct efw_pattern *p = nrules ? &pats[rnd(nrules)] : NULL;
	char tmp[300];
	int k = rnd(10);

	if (p && p->kind <= EFW_KIND_GLOB && k < 7) {
		size_t o = 0;

		if (p->kind == EFW_KIND_WILDCARD && rnd(4)) {
			rand_labels(tmp, rnd(3));
			snprintf(out, 300, "%s%s", tmp, p->name + (*tmp ? 1 : 2));
		} else {
			for (const char *s = p->name; *s; s++) {
				if (*s != '*') {
					out[o++] = *s;
					continue;
				}
				for (int j = rnd(4); j > 0; j--)
					out[o++] = "ab-."[rnd(rnd(8) ? 3 : 4)];
			}
			out[o] = '\0';
		}
	} else {
		rand_labels(out, 1 + rnd(5));
	}
	/* Case, trailing dots, invalid bytes. */
	if (!rnd(4))
		for (char *s = out; *s; s++)
			if (rnd(2) && *s >= 'a' && *s <= 'z')
				*s -= 'a' - 'A';
	k = rnd(20);
	if (k == 0)
		strcat(out, ".");
	else if (k == 1)
		strcat(out, "..");
	else if (k == 2 && *out)
		out[rnd(strlen(out))] = "*. /"[rnd(4)];
	else if (k == 3)
		memmove(out + 1, out, strlen(out) + 1), out[0] = '.';
}

struct random_stats {
	unsigned long names, name_hits, each_hits, addrs, addr_hits;
};

static int cmp_u32(const void *a, const void *b)
{
	u32 x = *(const u32 *)a, y = *(const u32 *)b;

	return x < y ? -1 : x > y;
}

struct list {
	u32 v[MAX_RULES];
	unsigned int n;
};

static int collect_list(void *ctx, u32 rule)
{
	struct list *l = ctx;

	if (l->n < MAX_RULES)
		l->v[l->n++] = rule;
	return 0;
}

TEST(random_vs_reference)
{
	struct random_stats st = { 0 };
	static struct list got, want;
	char qn[300], canon[300];
	int set;

	rng_state = 0x1234567887654321ULL;
	for (set = 0; set < 300; set++) {
		unsigned int n, i, j;
		struct efw_matcher *m;
		int err = 0;

		/* Sizes spread over 1..2000, small ones more often. */
		n = 1 + rnd(set % 3 == 0 ? 2000 : set % 3 == 1 ? 200 : 20);
		reset();
		for (i = 0; i < n; i++)
			rand_rule();
		m = efw_matcher_build(specs, nrules, &err);
		for (i = 0; !m && i < nrules; i++) {
			struct efw_matcher *one = efw_matcher_build(&specs[i], 1, &err);

			if (!one)
				TH_LOG("rule %u kind %d '%s' /%d: %d", i,
				       pats[i].kind, pats[i].name,
				       pats[i].prefix_len, err);
			efw_matcher_free(one);
		}
		ASSERT_NE(NULL, m) TH_LOG("set %d: err %d", set, err);
		ASSERT_EQ(nrules, efw_matcher_rules(m));

		for (j = 0; j < 300; j++) {
			int proto_i = rnd(5), expect = -1, r;
			u8 proto = qports[proto_i].proto;
			u16 port = qports[proto_i].port;
			bool valid;

			rand_query(qn);
			valid = ref_canon(qn, strlen(qn), canon);
			want.n = 0;
			for (i = 0; valid && i < nrules; i++) {
				if (!ref_name(&pats[i], canon))
					continue;
				want.v[want.n++] = i;
				if (expect < 0 &&
				    efw_ports_cover(specs[i].ports,
						    specs[i].n_ports, proto, port))
					expect = i;
			}
			r = efw_match_name(m, qn, strlen(qn), proto, port);
			ASSERT_EQ(expect, r) TH_LOG("set %d query '%s' %u/%u",
						     set, qn, proto, port);
			got.n = 0;
			efw_match_name_each(m, qn, strlen(qn), collect_list, &got);
			qsort(got.v, got.n, sizeof(got.v[0]), cmp_u32);
			ASSERT_EQ(want.n, got.n) TH_LOG("set %d query '%s'", set, qn);
			for (i = 0; i < want.n; i++)
				ASSERT_EQ(want.v[i], got.v[i]);
			st.names++;
			st.name_hits += expect >= 0;
			st.each_hits += want.n > 0;
		}

		for (j = 0; j < 300; j++) {
			int proto_i = rnd(5), expect = -1, r, fam;
			u8 proto = qports[proto_i].proto;
			u16 port = qports[proto_i].port;
			u8 a[16] = { 0 };

			if (rnd(2)) {
				fam = 4;
				a[0] = 10;
				a[1] = rnd(3);
				a[2] = rnd(5);
				a[3] = rnd(5);
			} else {
				fam = 6;
				a[0] = 0x20; a[1] = 0x01; a[2] = 0x0d; a[3] = 0xb8;
				a[5] = rnd(4);
				a[8] = rnd(2) ? 0x80 : 0;
				a[13] = rnd(2);
				a[15] = rnd(5);
			}
			for (i = 0; i < nrules; i++)
				if (ref_addr(&pats[i], fam, a) &&
				    efw_ports_cover(specs[i].ports,
						    specs[i].n_ports, proto, port)) {
					expect = i;
					break;
				}
			r = efw_match_addr(m, fam, a, proto, port);
			ASSERT_EQ(expect, r) TH_LOG("set %d v%d", set, fam);
			st.addrs++;
			st.addr_hits += expect >= 0;
		}
		efw_matcher_free(m);
	}
	TH_LOG("%lu name queries (%lu matched with ports, %lu matched any), %lu address queries (%lu matched)",
	       st.names, st.name_hits, st.each_hits, st.addrs, st.addr_hits);
	/* The generator must actually exercise hits, or this proves little. */
	EXPECT_LT(st.names / 5, st.name_hits);
	EXPECT_LT(st.addrs / 10, st.addr_hits);
}

TEST(memory_accounting)
{
	struct efw_matcher *m;
	char name[64];
	size_t small, big;
	int i;

	reset();
	add(EFW_KIND_EXACT, "a.com", "tcp/443");
	ASSERT_NE(NULL, m = build());
	small = efw_matcher_memory(m);
	efw_matcher_free(m);

	reset();
	for (i = 0; i < 3000; i++) {
		snprintf(name, sizeof(name), "host%d.example.com", i);
		add(EFW_KIND_EXACT, name, i % 7 ? "tcp/443" : "tcp/22");
	}
	ASSERT_NE(NULL, m = build());
	big = efw_matcher_memory(m);
	EXPECT_LT(small, big);
	/* Names and per-rule data at least, under the benchmark's budget. */
	EXPECT_LE(3000 * 16, big);
	EXPECT_GE(3000 * 128, big);
	EXPECT_EQ(2999, q(m, "host2999.example.com", "tcp/443"));
	efw_matcher_free(m);
}

/*
 * Enough rules for a node table past the huge-page threshold (16 MiB):
 * the huge-page allocation is zeroed, fully used and accounted, rounded
 * up to whole 2 MiB pages.
 */
TEST(huge_table)
{
	const u32 n = 300000;
	static const struct efw_port_range p443 = { EFW_PROTO_TCP, 443, 443 };
	struct efw_pattern *p = calloc(n, sizeof(*p));
	struct efw_rule_spec *sp = calloc(n, sizeof(*sp));
	struct efw_matcher *m;
	char name[64];
	int err = 0;
	u32 i;

	ASSERT_NE(NULL, p);
	ASSERT_NE(NULL, sp);
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "%shost%u.zone%u.example.org",
			 i % 5 ? "" : "*.", i, i % 1000);
		p[i].kind = i % 5 ? EFW_KIND_EXACT : EFW_KIND_WILDCARD;
		p[i].name_len = strlen(name);
		memcpy(p[i].name, name, p[i].name_len + 1);
		sp[i].pattern = &p[i];
		sp[i].ports = &p443;
		sp[i].n_ports = 1;
	}
	m = efw_matcher_build(sp, n, &err);
	ASSERT_NE(NULL, m) TH_LOG("build failed: %d", err);
	/* 64-byte entries for 300k nodes at most 90% full: over 16 MiB. */
	EXPECT_LE((size_t)n * 64, efw_matcher_memory(m));
	EXPECT_GE((size_t)n * 128, efw_matcher_memory(m));
	for (i = 0; i < n; i += 997) {
		snprintf(name, sizeof(name), "%shost%u.zone%u.example.org",
			 i % 5 ? "" : "a.b.", i, i % 1000);
		EXPECT_EQ((int)i, q(m, name, "tcp/443")) TH_LOG("%s", name);
		snprintf(name, sizeof(name), "host%u.zone%u.example.org", i,
			 (i + 1) % 1000);
		EXPECT_EQ(-1, q(m, name, "tcp/443")) TH_LOG("%s", name);
	}
	efw_matcher_free(m);
	free(sp);
	free(p);
}

/*
 * The lookup hashes each suffix of the query in 8-byte chunks aligned on
 * the query's end, the build hashes each key on its own: both must agree
 * for every key length and every position of its dots in a chunk. Keys
 * of every length from 1 to EFW_NAME_MAX (labels of 1 to 9 bytes, so
 * dots fall at every offset), each an exact rule and, under it, a
 * wildcard; queried in upper case with a trailing dot, then with one byte
 * changed (never a match: the node table's 8-bit tags let about one
 * absent suffix in 30 through to a key compare).
 */
TEST(suffix_hash_every_length)
{
	static struct seen seen;
	struct efw_matcher *m;
	char name[EFW_NAME_MAX + 8], qn[EFW_NAME_MAX + 16];
	u32 len, i;

	reset();
	for (len = 1; len <= EFW_NAME_MAX; len++) {
		u32 lab = 0, nl = 0, o;

		/* Labels of 1 + (len + nl) % 9 bytes, the last one not empty. */
		for (o = 0; o < len; o++) {
			if (lab == 1 + (len + nl) % 9 && o + 1 < len) {
				name[o] = '.';
				lab = 0;
				nl++;
			} else {
				name[o] = "abcdefghijklmnopqrstuvwxyz0123456789-"[(o * 7 + len) % 36];
				lab++;
			}
		}
		name[len] = '\0';
		ASSERT_EQ(2 * (len - 1), add(EFW_KIND_EXACT, name, "tcp/443"));
		memmove(name + 2, name, len + 1);
		name[0] = '*';
		name[1] = '.';
		/* Past EFW_NAME_MAX, a placeholder that keeps the numbering. */
		add(EFW_KIND_WILDCARD, len + 2 <= EFW_NAME_MAX ? name : "*.unused",
		    "tcp/22");
	}
	ASSERT_NE(NULL, m = build());
	for (i = 0; i < nrules; i += 2) {
		const char *key = pats[i].name;
		u32 kl = pats[i].name_len;

		for (len = 0; len < kl; len++)
			qn[len] = key[len] >= 'a' && key[len] <= 'z' ?
				  key[len] - 32 : key[len];
		qn[kl] = '.';
		qn[kl + 1] = '\0';
		EXPECT_EQ((int)i, q(m, qn, "tcp/443")) TH_LOG("%s", qn);
		qn[kl] = '\0';
		if (kl + 2 <= EFW_NAME_MAX) {
			name[0] = 'Z';
			name[1] = '.';
			memcpy(name + 2, qn, kl + 1);
			/* A wildcard on a shorter suffix may come first. */
			memset(&seen, 0, sizeof(seen));
			efw_match_name_each(m, name, strlen(name), collect, &seen);
			EXPECT_EQ(1, seen.bit[i + 1]) TH_LOG("%s", name);
		}
		/* One byte off, anywhere: the key of no rule. */
		qn[(i * 13) % kl] = qn[(i * 13) % kl] == '_' ? 'x' : '_';
		EXPECT_EQ(-1, q(m, qn, "tcp/443")) TH_LOG("%s", qn);
	}
	efw_matcher_free(m);
}

TEST_HARNESS_MAIN
