// SPDX-License-Identifier: GPL-2.0
/*
 * Name matcher, lookup: one right-to-left pass over the queried name, a
 * probe per label boundary, then the chains and globs of the nodes found.
 * The layout is described in match_name.h.
 */
#include "match_name.h"

/*
 * A glob part against the query's labels left of the node, in one pass:
 * '*' matches any run of bytes but never a '.'. On a mismatch, the last
 * '*' swallows one more byte and the match resumes from there: a later
 * star can always absorb what an earlier one of the same label would have,
 * and once a '.' is matched the labels before it are settled (a star can
 * end only where its label does), so no deeper backtracking is needed.
 */
static bool glob_match(const char *p, u32 pl, const char *s, u32 sl)
{
	u32 pi = 0, si = 0, star = EFW_NONE, mark = 0;

	while (si < sl) {
		if (pi < pl && p[pi] == '*') {
			star = ++pi;
			mark = si;
		} else if (pi < pl && p[pi] == s[si]) {
			if (s[si] == '.')
				star = EFW_NONE;
			pi++;
			si++;
		} else if (star != EFW_NONE && s[mark] != '.') {
			pi = star;
			si = ++mark;
		} else {
			return false;
		}
	}
	while (pi < pl && p[pi] == '*')
		pi++;
	return pi == pl;
}

struct lookup {
	const struct efw_matcher *m;
	const char *q;		/* the query, lower-cased, no trailing dot */
	u32 len;
	u32 labels;		/* the query's */
	u8 proto;
	u16 port;
	u32 best;		/* efw_match_name(): lowest covering id yet */
	int (*fn)(void *ctx, u32 rule);	/* efw_match_name_each(), or NULL */
	void *ctx;
	int ret;
};

/* A suffix of the query probed for. */
struct cand {
	u64 hash;	/* finalised: its buckets and tag */
	u32 slot;	/* its first tag hit, or EFW_NONE; then its node */
	u8 start;	/* where it begins in the query */
	u8 depth;	/* its labels */
};

/* Walk an exact or wildcard chain; @ps is the cached port set of its head. */
static bool visit(struct lookup *lk, u32 r, u32 ps)
{
	const struct efw_matcher *m = lk->m;

	if (lk->fn) {
		for (; r != EFW_NONE; r = m->rules[r].next) {
			lk->ret = lk->fn(lk->ctx, r);
			if (lk->ret)
				return true;
		}
		return false;
	}
	/* best is at most EFW_NONE, so this ends at an empty chain too. */
	if (r >= lk->best)
		return false;
	if (ps != EFW_PS_FAR) {
		const struct efw_pset *p = &m->psets[ps];

		if (efw_ports_cover(m->ranges + p->off, p->n, lk->proto,
				    lk->port)) {
			lk->best = r;
			return false;
		}
		r = m->rules[r].next;
	}
	for (; r < lk->best; r = m->rules[r].next) {
		if (efw_rule_covers_fast(m, r, lk->proto, lk->port)) {
			lk->best = r;
			break;
		}
	}
	return false;
}

/*
 * Match the glob list at arena offset @off against the query's glob part,
 * q[0, @plen), of @labels labels. True when the visitor asked to stop.
 */
static bool visit_globs(struct lookup *lk, u32 off, u32 plen, u32 labels)
{
	const struct efw_matcher *m = lk->m;
	const char *p = m->names.arena + off;
	u32 n = *(const u32 *)p;

	for (p += 4; n; n--) {
		const struct efw_glob *g = (const struct efw_glob *)p;

		p += glob_size(g->len);
		/* Ascending ids: nothing further on can beat best. */
		if (!lk->fn && g->rule >= lk->best)
			return false;
		if (g->labels != labels ||
		    !glob_match(g->part, g->len, lk->q, plen))
			continue;
		if (lk->fn) {
			lk->ret = lk->fn(lk->ctx, g->rule);
			if (lk->ret)
				return true;
			continue;
		}
		if (g->ps != EFW_PS_FAR ?
		    efw_ports_cover(m->ranges + m->psets[g->ps].off,
				    m->psets[g->ps].n, lk->proto, lk->port) :
		    efw_rule_covers_fast(m, g->rule, lk->proto, lk->port)) {
			lk->best = g->rule;
			return false;
		}
	}
	return false;
}

/* The globs of node @nd (a strict suffix of the query, @c) that match. */
static bool globs(struct lookup *lk, const struct efw_node *nd,
		  const struct cand *c, u32 labels)
{
	const struct efw_names *nm = &lk->m->names;
	const struct efw_node_ext *e = ext_at(nm, nd->ext);
	u32 plen = c->start - 1, gk = e->gk & ~EFW_GK_TAIL, idx;
	const struct efw_glob_ent *g;
	u64 head;

	if (e->globs != EFW_NONE &&
	    visit_globs(lk, e->globs, plen, labels))
		return true;
	if (!gk || plen < gk)
		return false;
	/* lk->q has EFW_PAD readable bytes past its end. */
	if (e->gk & EFW_GK_TAIL)
		head = bytes_hash(lk->q + plen - gk, gk, nm->mul);
	else
		head = bytes_hash(lk->q, gk, nm->mul);
	if (!filter_bits(nm, e, head, false))
		return false;
	for (idx = efw_reduce((u32)gidx_hash(nm, c->slot, head), nm->gcap);;) {
		g = &nm->gidx[idx];
		if (g->node == EFW_NONE)
			return false;
		if (g->node == c->slot && g->head == head)
			return visit_globs(lk, g->list, plen, labels);
		if (++idx == nm->gcap)
			idx = 0;
	}
}

/* Is the key of @nd the @klen bytes at @key (EFW_PAD readable after)? */
static inline bool key_is(const struct efw_names *nm,
			  const struct efw_node *nd, const char *key, u32 klen)
{
	u32 n = klen < EFW_KEY_INLINE ? klen : EFW_KEY_INLINE, i;
	u64 d = 0;

	if (nd->len != klen)
		return false;
	/* The last word may take bytes after the key: within the entry. */
	for (i = 0; i + 8 <= n; i += 8)
		d |= load64(nd->key + i) ^ load64(key + i);
	if (n & 7)
		d |= (load64(nd->key + i) ^ load64(key + i)) & tail_mask(n & 7);
	if (d)
		return false;
	return klen <= EFW_KEY_INLINE ||
	       !memcmp(ext_rest(ext_at(nm, nd->ext)), key + EFW_KEY_INLINE,
		       klen - EFW_KEY_INLINE);
}

/* The slot of the suffix @c of the query, if a node; else EFW_NONE. */
static u32 find_node(const struct lookup *lk, const struct cand *c)
{
	const struct efw_names *nm = &lk->m->names;
	u32 b1 = bucket1(nm, c->hash), b2 = bucket2(nm, c->hash), slot;
	u64 hits = tag_hits(ctrl_pair(nm, b1, b2), tag_of(c->hash));

	for (; hits; hits &= hits - 1) {
		slot = lane_slot(b1, b2, (u32)__builtin_ctzll(hits) / 8);
		if (key_is(nm, &nm->nodes[slot], lk->q + c->start,
			   lk->len - c->start))
			return slot;
	}
	return EFW_NONE;
}

/*
 * Examine the probes c[0, @nc), whose entries (of their first tag hit)
 * were prefetched: find each one's node (past any other key with the same
 * tag) and walk its exact or wildcard chain; then, only where they can
 * still win, the globs.
 */
static bool flush(struct lookup *lk, struct cand *c, u32 nc)
{
	const struct efw_names *nm = &lk->m->names;
	const struct efw_node *nd;
	u32 i, withglobs = 0;

	for (i = 0; i < nc; i++) {
		u32 r;

		if (c[i].slot == EFW_NONE)
			continue;
		/* Almost always the entry prefetched; else, search. */
		nd = &nm->nodes[c[i].slot];
		if (!key_is(nm, nd, lk->q + c[i].start, lk->len - c[i].start)) {
			c[i].slot = find_node(lk, &c[i]);
			if (c[i].slot == EFW_NONE)
				continue;
			nd = &nm->nodes[c[i].slot];
		}
		/*
		 * Its globs may come next: start fetching them now. (The
		 * best only goes down: a node skipped here stays skipped.)
		 */
		if (c[i].start && nd->glob_min < lk->best) {
			__builtin_prefetch(nm->arena + nd->ext);
			withglobs |= 1U << i;
		}
		r = c[i].start ? nd->wild : nd->exact;
		if (r == EFW_NONE || (!lk->fn && r >= lk->best))
			continue;
		if (c[i].start ? visit(lk, r, nd->wild_ps) :
				 visit(lk, r, nd->exact_ps))
			return true;
	}
	for (; withglobs; withglobs &= withglobs - 1) {
		u32 left, l;

		i = (u32)__builtin_ctz(withglobs);
		left = lk->labels - c[i].depth;
		l = left < 8 ? left : 8;
		nd = &nm->nodes[c[i].slot];
		if ((!lk->fn && nd->glob_min >= lk->best) ||
		    !(nd->gmask >> (l - 1) & 1))
			continue;
		if (globs(lk, nd, &c[i], left))
			return true;
	}
	return false;
}

/*
 * One pass over the query @q (@len bytes, lower-cased in place), right to
 * left in 8-byte chunks aligned on its end, with EFW_PAD bytes of '.'
 * before it: check every byte and label, lower-case, and compute the hash
 * of each suffix at a label boundary as key_hash() would. The chunks
 * right of a label boundary are chained as they go by (h), and its own
 * chunk's bytes right of the dot close the chain, so a suffix costs a
 * shift, an xor and two multiplies. The byte before @q is the dot of the
 * first label.
 *
 * Probes, the suffixes worth looking up (a label count some node has),
 * are numbered from the right; those numbered [@from, @from + EFW_BATCH)
 * go into @c: each one's tags are tested and the entry of its first tag
 * hit prefetched at once. The control words (1/64 of the table) mostly
 * stay cached, and no branch depends on them, so the entries of all the
 * probes are on their way while the scan goes on. Returns how many probes
 * there are, 0 for a query that is not a host name; *@labels: its labels.
 *
 * Bytes are classified with carry-free byte arithmetic: with its top bit
 * set aside, a byte plus a constant below 0x80 never carries into the
 * next.
 */
static u32 scan(const struct efw_names *nm, char *q, u32 len, u32 from,
		struct cand *c, u32 *labels)
{
	/* Locals: the stores into @q could alias *nm for the compiler. */
	const u64 mul = nm->mul, lab_mask = nm->lab_mask;
	const u32 max_labels = nm->max_labels, nb = nm->nbuckets;
	const u32 *ctrl = nm->ctrl;
	const struct efw_node *nodes = nm->nodes;
	u64 h = nm->seed, bad = 0;
	s32 a, p, prev = (s32)len;
	u32 depth = 0, np = 0;

	for (a = (s32)len - 8;; a -= 8) {
		u64 w = load_le64(q + a), x = w & LOWS, alpha, dots, ok;

		/* Letters of either case, with 0x20 set: the lower case. */
		alpha = bytes_in(x | 0x20 * ONES, 'a', 'z');
		dots = bytes_eq(x, '.');
		ok = alpha | dots | bytes_in(x, '0', '9') | bytes_eq(x, '-') |
		     bytes_eq(x, '_');
		x |= alpha >> 2;
		store_le64(q + a, x);
		/* Bytes from 0x80 up are never part of a host name. */
		bad |= (~ok | w) & HIGHS;
		while (dots) {
			u32 top = 63 - (u32)__builtin_clzll(dots);

			dots ^= 1ULL << top;
			p = a + (s32)(top / 8);
			/* Labels of 1..EFW_LABEL_MAX bytes. */
			bad |= (u32)(prev - p - 2) >= EFW_LABEL_MAX;
			prev = p;
			depth++;
			if (depth < 63 ? lab_mask >> depth & 1 :
			    (lab_mask >> 63 & 1) && depth <= max_labels) {
				if (np - from < EFW_BATCH) {
					struct cand *cd = &c[np - from];
					u64 f = suffix_fin((h ^ (x >> 8 >> (top & ~7U))) * mul);
					u32 b1 = efw_reduce((u32)f, nb);
					u32 b2 = efw_reduce((u32)(f >> 32), nb);
					u64 hits = tag_hits((u64)ctrl[b2] << 32 | ctrl[b1],
							    tag_of(f));
					u32 lane = (u32)__builtin_ctzll(hits | 1ULL << 63) / 8;
					u32 none = -(u32)!hits, slot;

					/* Arithmetic, not branches: a miss is entry 0. */
					slot = 4 * (lane & 4 ? b2 : b1) + (lane & 3);
					__builtin_prefetch(&nodes[slot & ~none]);
					cd->slot = slot | none;
					cd->hash = f;
					cd->start = (u8)(p + 1);
					cd->depth = (u8)depth;
				}
				np++;
			}
			if (p < 0)
				goto done;
		}
		h = (h ^ x) * mul;
	}
done:
	*labels = depth;
	return bad ? 0 : np;
}

/* Returns false if the lookup was stopped by the visitor. */
static bool lookup(struct lookup *lk, const char *name, size_t len)
{
	const struct efw_names *nm = &lk->m->names;
	char buf[EFW_QBUF];
	struct cand c[EFW_BATCH];
	u32 np, from;

	if (!nm->max_labels || !name)
		return true;
	if (len && name[len - 1] == '.')
		len--;
	if (!len || len > EFW_NAME_MAX)
		return true;
	/* '.' before the name (scan's first dot), zeros after (key compares). */
	memset(buf, '.', EFW_PAD);
	memcpy(buf + EFW_PAD, name, len);
	memset(buf + EFW_PAD + len, 0, 2 * EFW_PAD);
	lk->q = buf + EFW_PAD;
	lk->len = (u32)len;

	/*
	 * Check and lower-case it all first (an invalid name matches
	 * nothing) while hashing the suffixes, testing their tags and
	 * prefetching the entries found; only then (flush) are the entries
	 * looked at, so that their memory reads are all in flight together.
	 * A query with more probes than a batch is scanned again for each
	 * further batch.
	 */
	np = scan(nm, buf + EFW_PAD, (u32)len, 0, c, &lk->labels);
	for (from = 0; from < np; from += EFW_BATCH) {
		if (from)
			scan(nm, buf + EFW_PAD, (u32)len, from, c, &lk->labels);
		if (flush(lk, c, np - from < EFW_BATCH ? np - from : EFW_BATCH))
			return false;
	}
	return true;
}

s32 efw_match_name(const struct efw_matcher *m, const char *name, size_t len,
		   u8 proto, u16 port)
{
	struct lookup lk = {
		.m = m, .proto = proto, .port = port, .best = EFW_NONE,
	};

	if (!m)
		return -1;
	lookup(&lk, name, len);
	return lk.best == EFW_NONE ? -1 : (s32)lk.best;
}

int efw_match_name_each(const struct efw_matcher *m, const char *name,
			size_t len, int (*fn)(void *ctx, u32 rule), void *ctx)
{
	struct lookup lk = { .m = m, .best = EFW_NONE, .fn = fn, .ctx = ctx };

	if (!m || !fn)
		return 0;
	lookup(&lk, name, len);
	return lk.ret;
}
