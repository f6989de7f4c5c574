// SPDX-License-Identifier: GPL-2.0
/*
 * Name matcher, globs: file every glob rule under its node, choose the
 * glob index of crowded nodes (a literal head or tail and its length) and
 * write the glob lists into the arena. The layout is described in
 * match_name.h.
 */
#include "match_name.h"

/* Hash of the first @gk bytes of a glob's head (at most EFW_GLOB_GK_MAX). */
static u64 head_hash(const struct efw_names *nm, const char *p, u32 gk)
{
	char buf[EFW_GLOB_GK_MAX + EFW_PAD] = { 0 };

	memcpy(buf, p, gk);
	return bytes_hash(buf, gk, nm->mul);
}

/* The glob index entry for (@node, @head), added if new. */
static struct efw_glob_ent *gidx_add(struct efw_names *nm, u32 node, u64 head)
{
	u32 idx = efw_reduce((u32)gidx_hash(nm, node, head), nm->gcap);
	struct efw_glob_ent *e;

	for (;;) {
		e = &nm->gidx[idx];
		if (e->node == EFW_NONE)
			break;
		if (e->node == node && e->head == head)
			return e;
		if (++idx == nm->gcap)
			idx = 0;
	}
	e->node = node;
	e->head = head;
	e->list = EFW_NONE;
	return e;
}
/* A glob's literal head and tail, for choosing its node's glob index. */
struct glob_rec {
	const char *head;	/* the glob part */
	const char *end;	/* its end */
	u32 hlen;		/* literal bytes before the first '*' */
	u32 tlen;		/* literal bytes after the last '*' */
	u32 node;
};

static int cmp_glob_head(const void *a, const void *b)
{
	const struct glob_rec *x = a, *y = b;
	u32 l = x->hlen < y->hlen ? x->hlen : y->hlen;
	int c;

	if (x->node != y->node)
		return x->node < y->node ? -1 : 1;
	c = memcmp(x->head, y->head, l);
	if (c)
		return c;
	return x->hlen < y->hlen ? -1 : x->hlen > y->hlen;
}

/* Tails compared from their last byte backwards. */
static int cmp_glob_tail(const void *a, const void *b)
{
	const struct glob_rec *x = a, *y = b;
	u32 l = x->tlen < y->tlen ? x->tlen : y->tlen, i;

	if (x->node != y->node)
		return x->node < y->node ? -1 : 1;
	for (i = 1; i <= l; i++)
		if (*(x->end - i) != *(y->end - i))
			return (u8)*(x->end - i) < (u8)*(y->end - i) ? -1 : 1;
	return x->tlen < y->tlen ? -1 : x->tlen > y->tlen;
}

/*
 * Best index length for the globs g[0, n) of one node, sorted by head (or
 * by tail when @tail): the cost of a lookup is about the globs whose head
 * (tail) is shorter than gk, always scanned, plus the biggest group sharing
 * their first (last) gk bytes, one list. In sorted order such a group is
 * a contiguous run. Returns the cost; *@best_gk is 0 if no gk helps.
 */
static u32 choose_gk(const struct glob_rec *g, u32 n, bool tail, u32 *best_gk)
{
	u32 gk, best_cost = n, i;

	*best_gk = 0;
	for (gk = 1; gk <= EFW_GLOB_GK_MAX; gk++) {
		u32 shorter = 0, run = 0, max_run = 0, prev = EFW_NONE;

		for (i = 0; i < n; i++) {
			u32 l = tail ? g[i].tlen : g[i].hlen;

			if (l < gk) {
				shorter++;
				continue;
			}
			if (prev != EFW_NONE &&
			    !(tail ? memcmp(g[prev].end - gk, g[i].end - gk, gk) :
				     memcmp(g[prev].head, g[i].head, gk)))
				run++;
			else
				run = 1;
			if (run > max_run)
				max_run = run;
			prev = i;
		}
		if (shorter + max_run < best_cost) {
			best_cost = shorter + max_run;
			*best_gk = gk;
		}
		if (!shorter && max_run == 1)
			break;
	}
	return best_cost;
}

/*
 * Pick each crowded node's glob index: by head or by tail, whichever
 * leaves less to scan, and its length, into @gks[slot]. The slot of every
 * name rule's node is in its rules[].next for now. *@nidx: the globs that
 * go into the index.
 */
static int choose_glob_index(struct efw_matcher *m,
			     const struct efw_rule_spec *rules, u32 n,
			     u32 nglobs, u8 *gks, u32 *nidx)
{
	struct glob_rec *g;
	u32 i, j, ng = 0;
	struct name_key k;

	*nidx = 0;
	if (nglobs <= EFW_GLOB_CHAIN)
		return 0;
	g = efw_alloc((size_t)nglobs * sizeof(*g));
	if (!g)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		const struct efw_pattern *p = rules[i].pattern;

		if (p->kind != EFW_KIND_GLOB)
			continue;
		efw_name_check(p, &k);
		g[ng].head = p->name;
		g[ng].end = p->name + k.key - 1;
		g[ng].hlen = k.star;
		g[ng].tlen = k.tail;
		g[ng].node = m->rules[i].next;
		ng++;
	}
	efw_sort(g, ng, sizeof(*g), cmp_glob_head);
	for (i = 0; i < ng; i = j) {
		u32 gk_h, gk_t, cost_h, cost_t, gk;
		bool tail;

		for (j = i; j < ng && g[j].node == g[i].node; j++)
			;
		if (j - i <= EFW_GLOB_CHAIN)
			continue;
		cost_h = choose_gk(g + i, j - i, false, &gk_h);
		efw_sort(g + i, j - i, sizeof(*g), cmp_glob_tail);
		cost_t = choose_gk(g + i, j - i, true, &gk_t);
		tail = cost_t < cost_h;
		gk = tail ? gk_t : gk_h;
		if (!gk)
			continue;
		gks[g[i].node] = (u8)(gk | (tail ? EFW_GK_TAIL : 0));
		for (; i < j; i++)
			*nidx += (tail ? g[i].tlen : g[i].hlen) >= gk;
	}
	efw_free(g);
	return 0;
}

/* Where a glob goes: its node's list or a glob index list. */
struct glob_ref {
	u32 node;	/* slot */
	u32 list;	/* 0: the node's own list, else glob index entry + 1 */
	u32 rule;
};

static int cmp_glob_ref(const void *a, const void *b)
{
	const struct glob_ref *x = a, *y = b;

	if (x->node != y->node)
		return x->node < y->node ? -1 : 1;
	if (x->list != y->list)
		return x->list < y->list ? -1 : 1;
	return x->rule < y->rule ? -1 : x->rule > y->rule;
}


/* Append glob rule @rule to the arena; returns its glob part's labels. */
static u32 put_glob(struct efw_matcher *m, const struct efw_pattern *p,
		    u32 rule, u32 glen)
{
	struct efw_names *nm = &m->names;
	struct efw_glob *g = (struct efw_glob *)(nm->arena + nm->arena_len);
	u32 labels = 1, i;

	for (i = 0; i < glen; i++)
		labels += p->name[i] == '.';
	g->rule = rule;
	g->ps = ps_hint(m, rule);
	g->len = (u8)glen;
	g->labels = (u8)labels;
	memcpy(g->part, p->name, glen);
	nm->arena_len += glob_size(glen);
	return labels;
}

/* Write the glob list refs[i, j) (one node); returns its arena offset. */
static u32 put_list(struct efw_matcher *m, const struct efw_rule_spec *rules,
		    const struct glob_ref *refs, u32 i, u32 j)
{
	struct efw_names *nm = &m->names;
	struct efw_node *nd = &nm->nodes[refs[i].node];
	u32 off = nm->arena_len, labels;
	struct name_key k;

	*(u32 *)(nm->arena + off) = j - i;
	nm->arena_len += 4;
	if (refs[i].rule < nd->glob_min)
		nd->glob_min = refs[i].rule;
	for (; i < j; i++) {
		const struct efw_pattern *p = rules[refs[i].rule].pattern;

		efw_name_check(p, &k);
		labels = put_glob(m, p, refs[i].rule, k.key - 1);
		nd->gmask |= 1U << ((labels < 8 ? labels : 8) - 1);
	}
	return off;
}

/*
 * File every glob: into the glob index of its node when it has one and the
 * glob's head (tail) is long enough, else onto the node's own list. Then,
 * node by node, write its extension, its own list and its index lists,
 * each list sorted by rule id.
 */
int efw_names_build_globs(struct efw_matcher *m, const struct efw_rule_spec *rules,
		       u32 n, u32 nglobs)
{
	struct efw_names *nm = &m->names;
	struct glob_ref *refs = NULL;
	struct name_key k;
	u32 nidx, i, j, x, ng = 0, klen;
	u8 *gks;
	int ret = -ENOMEM;

	gks = efw_zalloc((size_t)nm->nbuckets * 4);
	if (!gks)
		return -ENOMEM;
	ret = choose_glob_index(m, rules, n, nglobs, gks, &nidx);
	if (ret)
		goto out;
	ret = -ENOMEM;
	nm->gcap = nidx ? 2 * nidx : 1;
	nm->gidx = efw_match_alloc(m, (size_t)nm->gcap * sizeof(*nm->gidx),
				   false);
	refs = efw_alloc((size_t)(nglobs ? nglobs : 1) * sizeof(*refs));
	if (!nm->gidx || !refs)
		goto out;
	for (i = 0; i < nm->gcap; i++)
		nm->gidx[i].node = EFW_NONE;

	for (i = 0; i < n; i++) {
		const struct efw_pattern *p = rules[i].pattern;
		u32 node = m->rules[i].next, gk;

		if (p->kind != EFW_KIND_GLOB)
			continue;
		gk = gks[node] & ~EFW_GK_TAIL;
		efw_name_check(p, &k);
		refs[ng].node = node;
		refs[ng].list = 0;
		refs[ng].rule = i;
		if (gk && (gks[node] & EFW_GK_TAIL ? k.tail : k.star) >= gk) {
			const char *at = gks[node] & EFW_GK_TAIL ?
					 p->name + k.key - 1 - gk : p->name;

			refs[ng].list = 1 + (u32)(gidx_add(nm, node,
						head_hash(nm, at, gk)) - nm->gidx);
		}
		ng++;
	}
	efw_sort(refs, ng, sizeof(*refs), cmp_glob_ref);

	for (i = 0; i < ng; i = j) {
		struct efw_node *nd = &nm->nodes[refs[i].node];
		struct efw_node_ext *e;
		u32 lists = 0, fwords;

		for (j = i; j < ng && refs[j].node == refs[i].node; j++)
			lists += refs[j].list &&
				 (j == i || refs[j].list != refs[j - 1].list);
		/* 16 filter bits per index list keep false hits near 1/40. */
		fwords = lists ? (lists * 16 + 63) / 64 : 0;
		if (fwords > 0xffff)
			fwords = 0xffff;
		e = efw_name_ext_add(nm, nd, efw_name_rule_key(rules, refs[i].rule, &klen, &k),
			    fwords, gks[refs[i].node]);
		/* Own list first (list 0 sorts first), right after the extension. */
		for (x = i; x < j && !refs[x].list; x++)
			;
		if (x > i)
			e->globs = put_list(m, rules, refs, i, x);
		for (i = x; i < j; i = x) {
			struct efw_glob_ent *g = &nm->gidx[refs[i].list - 1];

			for (x = i; x < j && refs[x].list == refs[i].list; x++)
				;
			g->list = put_list(m, rules, refs, i, x);
			filter_bits(nm, e, g->head, true);
		}
	}
	/* Globs are not chained through rules[]. */
	for (i = 0; i < ng; i++)
		m->rules[refs[i].rule].next = EFW_NONE;
	ret = 0;
out:
	efw_free(refs);
	efw_free(gks);
	return ret;
}
