// SPDX-License-Identifier: GPL-2.0
/*
 * Address side of the matcher: IPv4 and IPv6 CIDR rules.
 *
 * Per family and per prefix length in use, a sorted array of the distinct
 * networks of that length, each with the chain (ascending ids, linked
 * through the per-rule next index) of the rules naming it. A lookup masks
 * the address to each length in use and binary-searches that length's
 * array. Longest-prefix-first would not do: the answer is the lowest rule
 * id whose ports cover the packet, and a shorter prefix listed earlier, or
 * one with the right ports, wins over a longer one. So every length in use
 * is searched, at most 33 (IPv4) or 129 (IPv6) binary searches; lists hold
 * few distinct lengths, and CIDR entries are a small part of them.
 */
#include "match_internal.h"

/* Host-order halves of an IPv6 address. */
static inline u64 get_be64(const u8 *p)
{
	return (u64)efw_get_be32(p) << 32 | efw_get_be32(p + 4);
}

static inline u32 mask4(u32 len)
{
	return len ? ~0U << (32 - len) : 0;
}

static inline void mask6(u32 len, u64 *hi, u64 *lo)
{
	if (len <= 64) {
		*hi = len ? ~0ULL << (64 - len) : 0;
		*lo = 0;
	} else {
		*hi = ~0ULL;
		*lo = ~0ULL << (128 - len);
	}
}

/* Build-time record, sorted by (len, network, rule). */
struct cidr_tmp {
	u64 hi, lo;	/* IPv4: the address in lo */
	u32 len;
	u32 rule;
};

static int cmp_tmp(const void *a, const void *b)
{
	const struct cidr_tmp *x = a, *y = b;

	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	if (x->hi != y->hi)
		return x->hi < y->hi ? -1 : 1;
	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	if (x->rule != y->rule)
		return x->rule < y->rule ? -1 : 1;
	return 0;
}

static int check_cidr(const struct efw_pattern *p, struct cidr_tmp *t)
{
	u64 mhi, mlo;

	if (p->kind == EFW_KIND_CIDR4) {
		if (p->prefix_len > 32)
			return -EINVAL;
		t->hi = 0;
		t->lo = efw_get_be32(p->addr);
		if (t->lo & ~(u64)mask4(p->prefix_len))
			return -EINVAL;
	} else {
		if (p->prefix_len > 128)
			return -EINVAL;
		t->hi = get_be64(p->addr);
		t->lo = get_be64(p->addr + 8);
		mask6(p->prefix_len, &mhi, &mlo);
		if ((t->hi & ~mhi) || (t->lo & ~mlo))
			return -EINVAL;
	}
	t->len = p->prefix_len;
	return 0;
}

/*
 * Turn the sorted records of one family into per-length arrays of
 * distinct networks with their rule chains.
 */
static int build_family(struct efw_matcher *m, struct cidr_tmp *t, u32 nt,
			bool v6)
{
	struct efw_cidrs *c = &m->cidrs;
	struct efw_cidr_len *lens;
	u32 i, nl = 0, ne = 0;

	efw_sort(t, nt, sizeof(*t), cmp_tmp);
	for (i = 0; i < nt; i++) {
		if (!i || t[i].len != t[i - 1].len)
			nl++;
		if (!i || t[i].len != t[i - 1].len || t[i].hi != t[i - 1].hi ||
		    t[i].lo != t[i - 1].lo)
			ne++;
	}

	lens = efw_match_alloc(m, (size_t)nl * sizeof(*lens), false);
	if (!lens)
		return -ENOMEM;
	if (v6) {
		c->lens6 = lens;
		c->n_lens6 = nl;
		c->v6 = efw_match_alloc(m, (size_t)ne * sizeof(*c->v6), true);
		if (!c->v6)
			return -ENOMEM;
	} else {
		c->lens4 = lens;
		c->n_lens4 = nl;
		c->v4 = efw_match_alloc(m, (size_t)ne * sizeof(*c->v4), false);
		if (!c->v4)
			return -ENOMEM;
	}

	nl = ne = 0;
	for (i = 0; i < nt; i++) {
		bool new_len = !i || t[i].len != t[i - 1].len;

		if (new_len) {
			lens[nl].len = t[i].len;
			lens[nl].off = ne;
			lens[nl].cnt = 0;
			nl++;
		}
		if (!new_len && t[i].hi == t[i - 1].hi &&
		    t[i].lo == t[i - 1].lo) {
			/* Same network: sorted by rule, so append. */
			m->rules[t[i - 1].rule].next = t[i].rule;
			continue;
		}
		if (v6) {
			c->v6[ne].hi = t[i].hi;
			c->v6[ne].lo = t[i].lo;
			c->v6[ne].head = t[i].rule;
		} else {
			c->v4[ne].net = (u32)t[i].lo;
			c->v4[ne].head = t[i].rule;
		}
		lens[nl - 1].cnt++;
		ne++;
	}
	return 0;
}

int efw_cidrs_build(struct efw_matcher *m, const struct efw_rule_spec *rules,
		    u32 n)
{
	struct cidr_tmp *t4 = NULL, *t6 = NULL;
	u32 n4 = 0, n6 = 0, i;
	int ret;

	for (i = 0; i < n; i++) {
		n4 += rules[i].pattern->kind == EFW_KIND_CIDR4;
		n6 += rules[i].pattern->kind == EFW_KIND_CIDR6;
	}
	ret = -ENOMEM;
	t4 = efw_alloc((size_t)(n4 ? n4 : 1) * sizeof(*t4));
	t6 = efw_alloc((size_t)(n6 ? n6 : 1) * sizeof(*t6));
	if (!t4 || !t6)
		goto out;

	n4 = n6 = 0;
	for (i = 0; i < n; i++) {
		const struct efw_pattern *p = rules[i].pattern;
		struct cidr_tmp *t;

		if (p->kind == EFW_KIND_CIDR4)
			t = &t4[n4++];
		else if (p->kind == EFW_KIND_CIDR6)
			t = &t6[n6++];
		else
			continue;
		ret = check_cidr(p, t);
		if (ret)
			goto out;
		t->rule = i;
	}
	ret = build_family(m, t4, n4, false);
	if (!ret)
		ret = build_family(m, t6, n6, true);
out:
	efw_free(t6);
	efw_free(t4);
	return ret;
}

void efw_cidrs_free(struct efw_cidrs *c)
{
	efw_free(c->v6);
	efw_free(c->v4);
	efw_free(c->lens6);
	efw_free(c->lens4);
}

/* Lower @best to the first rule of chain @r covering the port, if lower. */
static u32 chain_best(const struct efw_matcher *m, u32 r, u32 best,
		      u8 proto, u16 port)
{
	for (; r != EFW_NONE && r < best; r = m->rules[r].next)
		if (efw_rule_covers_fast(m, r, proto, port))
			return r;
	return best;
}

static u32 match4(const struct efw_matcher *m, const u8 *addr, u8 proto,
		  u16 port)
{
	const struct efw_cidrs *c = &m->cidrs;
	u32 a = efw_get_be32(addr), best = EFW_NONE, i;

	for (i = 0; i < c->n_lens4; i++) {
		const struct efw_cidr4_ent *e = c->v4 + c->lens4[i].off;
		u32 key = a & mask4(c->lens4[i].len);
		u32 lo = 0, hi = c->lens4[i].cnt;

		while (lo < hi) {
			u32 mid = lo + (hi - lo) / 2;

			if (e[mid].net < key)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < c->lens4[i].cnt && e[lo].net == key)
			best = chain_best(m, e[lo].head, best, proto, port);
	}
	return best;
}

static u32 match6(const struct efw_matcher *m, const u8 *addr, u8 proto,
		  u16 port)
{
	const struct efw_cidrs *c = &m->cidrs;
	u64 ahi = get_be64(addr), alo = get_be64(addr + 8), mhi, mlo;
	u32 best = EFW_NONE, i;

	for (i = 0; i < c->n_lens6; i++) {
		const struct efw_cidr6_ent *e = c->v6 + c->lens6[i].off;
		u32 lo = 0, hi = c->lens6[i].cnt;
		u64 khi, klo;

		mask6(c->lens6[i].len, &mhi, &mlo);
		khi = ahi & mhi;
		klo = alo & mlo;
		while (lo < hi) {
			u32 mid = lo + (hi - lo) / 2;

			if (e[mid].hi < khi || (e[mid].hi == khi && e[mid].lo < klo))
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < c->lens6[i].cnt && e[lo].hi == khi && e[lo].lo == klo)
			best = chain_best(m, e[lo].head, best, proto, port);
	}
	return best;
}

s32 efw_match_addr(const struct efw_matcher *m, int family, const u8 *addr,
		   u8 proto, u16 port)
{
	u32 best;

	if (!m || !addr)
		return -1;
	if (family == 4)
		best = match4(m, addr, proto, port);
	else if (family == 6)
		best = match6(m, addr, proto, port);
	else
		return -1;
	return best == EFW_NONE ? -1 : (s32)best;
}
