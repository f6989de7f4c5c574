// SPDX-License-Identifier: GPL-2.0
/*
 * The compiled matcher: checking the rule specs, interning port sets,
 * building and freeing. The name tables live in match_name.c, the CIDR
 * tables in match_addr.c; the layout they share is in match_internal.h.
 *
 * Everything is sized from n, known up front, so no table ever grows: the
 * kernel's kvmalloc() has no realloc, and a build that cannot fail halfway
 * through a resize is easier to reason about.
 */
#include "match_internal.h"

void *efw_match_alloc(struct efw_matcher *m, size_t size, bool zero)
{
	void *p;

	/* Empty tables still get a pointer, so NULL always means -ENOMEM. */
	if (!size)
		size = 1;
	p = zero ? efw_zalloc(size) : efw_alloc(size);
	if (p)
		m->mem += size;
	return p;
}

/*
 * Tables of at least this size get huge pages: rounding them up to whole
 * huge pages (vmalloc_huge() does, and the rounded size is what is
 * accounted) wastes at most 1/8 of them.
 */
#define EFW_TABLE_HUGE (8 * EFW_HUGE_PAGE)

void *efw_match_alloc_table(struct efw_matcher *m, size_t size)
{
	void *p;

	if (size < EFW_TABLE_HUGE)
		return efw_match_alloc(m, size, true);
	size = (size + EFW_HUGE_PAGE - 1) & ~(size_t)(EFW_HUGE_PAGE - 1);
	p = efw_alloc_huge(size);
	if (p)
		m->mem += size;
	return p;
}

static u32 ports_hash(const struct efw_port_range *r, u32 n)
{
	u32 h = 0x811c9dc5U ^ n;
	u32 i;

	for (i = 0; i < n; i++) {
		h ^= ((u32)r[i].lo << 16 | r[i].hi) + r[i].proto * 0x9e3779b9U;
		h *= 0x85ebca6bU;
		h ^= h >> 13;
	}
	h *= 0xc2b2ae35U;
	return h ^ (h >> 16);
}

static bool ports_equal(const struct efw_port_range *a,
			const struct efw_port_range *b, u32 n)
{
	u32 i;

	/* Field by field: the struct has a padding byte memcmp would read. */
	for (i = 0; i < n; i++)
		if (a[i].proto != b[i].proto || a[i].lo != b[i].lo ||
		    a[i].hi != b[i].hi)
			return false;
	return true;
}

/*
 * Give every rule the index of its port set, storing each distinct set
 * once: a big list is mostly "tcp/443", so a rule costs 4 bytes here
 * instead of its own copy of the ranges.
 */
static int intern_ports(struct efw_matcher *m, const struct efw_rule_spec *rules,
			u32 n, u32 total)
{
	struct efw_port_range *tmp_r = NULL;
	struct efw_pset *tmp_ps = NULL;
	u32 *tab = NULL;
	u32 cap = 2 * n + 1, np = 0, nr = 0, i;
	int ret = -ENOMEM;

	tab = efw_alloc((size_t)cap * sizeof(*tab));
	tmp_ps = efw_alloc((size_t)(n ? n : 1) * sizeof(*tmp_ps));
	tmp_r = efw_alloc((size_t)(total ? total : 1) * sizeof(*tmp_r));
	if (!tab || !tmp_ps || !tmp_r)
		goto out;
	memset(tab, 0xff, (size_t)cap * sizeof(*tab));

	for (i = 0; i < n; i++) {
		const struct efw_rule_spec *r = &rules[i];
		u32 idx = efw_reduce(ports_hash(r->ports, r->n_ports), cap);

		while (tab[idx] != EFW_NONE) {
			const struct efw_pset *ps = &tmp_ps[tab[idx]];

			if (ps->n == r->n_ports &&
			    ports_equal(tmp_r + ps->off, r->ports, ps->n))
				break;
			if (++idx == cap)
				idx = 0;
		}
		if (tab[idx] == EFW_NONE) {
			tmp_ps[np].off = nr;
			tmp_ps[np].n = r->n_ports;
			if (r->n_ports)
				memcpy(tmp_r + nr, r->ports,
				       r->n_ports * sizeof(*tmp_r));
			nr += r->n_ports;
			tab[idx] = np++;
		}
		m->rules[i].pset = tab[idx];
	}

	m->psets = efw_match_alloc(m, (size_t)np * sizeof(*m->psets), false);
	m->ranges = efw_match_alloc(m, (size_t)nr * sizeof(*m->ranges), false);
	if (!m->psets || !m->ranges)
		goto out;
	if (np)
		memcpy(m->psets, tmp_ps, (size_t)np * sizeof(*m->psets));
	if (nr)
		memcpy(m->ranges, tmp_r, (size_t)nr * sizeof(*m->ranges));
	m->n_psets = np;
	m->n_ranges = nr;
	ret = 0;
out:
	efw_free(tmp_r);
	efw_free(tmp_ps);
	efw_free(tab);
	return ret;
}

/* The checks common to every kind; names and CIDRs check the rest. */
static int check_specs(const struct efw_rule_spec *rules, u32 n, u32 *total)
{
	u64 sum = 0;
	u32 i, j;

	if (n && !rules)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		const struct efw_rule_spec *r = &rules[i];

		if (!r->pattern || r->pattern->kind < EFW_KIND_EXACT ||
		    r->pattern->kind > EFW_KIND_CIDR6)
			return -EINVAL;
		if (r->n_ports && !r->ports)
			return -EINVAL;
		for (j = 0; j < r->n_ports; j++)
			if (r->ports[j].lo > r->ports[j].hi)
				return -EINVAL;
		sum += r->n_ports;
	}
	if (sum > EFW_MATCH_MAX_RULES * 16ULL)
		return -E2BIG;
	*total = (u32)sum;
	return 0;
}

struct efw_matcher *efw_matcher_build(const struct efw_rule_spec *rules, u32 n,
				      int *err)
{
	struct efw_matcher *m = NULL;
	u32 total_ports = 0, i;
	int ret;

	ret = -E2BIG;
	if (n > EFW_MATCH_MAX_RULES)
		goto fail;
	ret = check_specs(rules, n, &total_ports);
	if (ret)
		goto fail;

	ret = -ENOMEM;
	m = efw_zalloc(sizeof(*m));
	if (!m)
		goto fail;
	m->mem = sizeof(*m);
	m->n_rules = n;
	m->rules = efw_match_alloc(m, (size_t)n * sizeof(*m->rules), false);
	if (!m->rules)
		goto fail;
	for (i = 0; i < n; i++)
		m->rules[i].next = EFW_NONE;

	ret = intern_ports(m, rules, n, total_ports);
	if (ret)
		goto fail;
	ret = efw_names_build(m, rules, n);
	if (ret)
		goto fail;
	ret = efw_cidrs_build(m, rules, n);
	if (ret)
		goto fail;
	return m;

fail:
	efw_matcher_free(m);
	if (err)
		*err = ret;
	return NULL;
}

void efw_matcher_free(struct efw_matcher *m)
{
	if (!m)
		return;
	efw_cidrs_free(&m->cidrs);
	efw_names_free(&m->names);
	efw_free(m->ranges);
	efw_free(m->psets);
	efw_free(m->rules);
	efw_free(m);
}

size_t efw_matcher_memory(const struct efw_matcher *m)
{
	return m ? m->mem : 0;
}

u32 efw_matcher_rules(const struct efw_matcher *m)
{
	return m ? m->n_rules : 0;
}

bool efw_rule_covers(const struct efw_matcher *m, u32 rule, u8 proto, u16 port)
{
	if (!m || rule >= m->n_rules)
		return false;
	return efw_rule_covers_fast(m, rule, proto, port);
}
