// SPDX-License-Identifier: GPL-2.0
/*
 * The compiled matcher (kmod/match*.c): every rule of the matching
 * semantics by hand, in tables of rules and the lookups each must answer.
 * Randomized rule sets are in test_match_random.c, big ones in
 * test_match_big.c.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "match_rules.h"

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

TEST_HARNESS_MAIN
