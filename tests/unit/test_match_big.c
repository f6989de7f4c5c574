// SPDX-License-Identifier: GPL-2.0
/*
 * The compiled matcher (kmod/match*.c) on big rule sets, for its table
 * paths: keys longer than a node entry holds inline, names of more labels
 * than one probe batch, a table full enough for cuckoo moves, crowded glob
 * nodes whose index heads are filtered, a node table past the huge-page
 * threshold, the memory it accounts, and the suffix hash at every length.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "match_rules.h"

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
