// SPDX-License-Identifier: GPL-2.0
/*
 * The compiled matcher (kmod/match*.c) on randomized rule sets, compared
 * with a brute-force reference that applies the matching semantics
 * directly, rule by rule.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "match_rules.h"

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

TEST_HARNESS_MAIN
