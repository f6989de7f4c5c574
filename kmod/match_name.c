// SPDX-License-Identifier: GPL-2.0
/*
 * Name side of the matcher: exact names, "*.suffix" wildcards and globs.
 *
 * The cost of a lookup depends on the number of labels in the queried name,
 * not on the number of rules. Every rule is filed under one domain string,
 * its "node":
 *   central.sophos.com          under "central.sophos.com" (exact chain)
 *   *.sophos.com                under "sophos.com"         (wildcard chain)
 *   tf-*-bucket.s3.aws.com      under "s3.aws.com"         (glob chain)
 * A glob's node is its longest suffix of whole literal labels; the labels
 * before it (the "glob part") are kept in the arena. A query can only be
 * matched by rules filed under itself (exact) or under one of its strict
 * suffixes at a label boundary (wildcards, globs), so a lookup probes one
 * open-addressing hash table once per label boundary, right to left, and
 * never more often than the most labels any node has (max_labels).
 *
 * Hashing: each label is hashed 8 bytes at a time, and the labels are
 * chained right to left, S = (S + hash(label)) * mul2 mod 2^64, with a
 * random seed and random odd multipliers per matcher. Walking the query from
 * its last label, the running S after each label is the hash of the suffix
 * made of the labels seen, so all the probes of a lookup cost one pass over
 * the name. A finaliser spreads the bits; its low half picks the slot
 * (multiply-shift, so the table needs no power-of-two size) and its high
 * half is the 32-bit tag kept in the 8-byte slot (with the arena offset of
 * the node record: key, chain heads, cached port sets of the heads), so a
 * probe that misses touches only the small slot array.
 *
 * Memory latency dominates at a million rules, so a lookup first computes
 * the hashes of a batch of suffixes and prefetches their slots, then finds
 * the tagged slots and prefetches their records, then checks keys and walks
 * chains: the cache misses of one round overlap instead of adding up. A
 * query that hits costs two dependent memory accesses (slot, record), one
 * that misses costs one.
 *
 * Chains are linked through the per-rule next index in ascending rule id,
 * so for efw_match_name() the first rule that covers the port is the
 * lowest of its chain, and chains whose head is already above the best
 * candidate are skipped.
 *
 * Globs: each glob examined is tested label by label against the labels of
 * the query left of the node (same label count required), so the cost is
 * linear in the globs examined. To keep that small when many globs share a
 * node (S3 bucket patterns under s3.<region>.amazonaws.com, "<word>*.com"),
 * a node with more than EFW_GLOB_CHAIN globs gets a glob index: the build
 * picks, per node, the literal head (text before the first '*') or tail
 * (text after the last '*') of the glob part, and a length gk
 * (1..EFW_GLOB_GK_MAX), minimising "globs whose head/tail is shorter than
 * gk" + "largest group of globs sharing its first/last gk bytes". Globs
 * with a long enough head/tail are filed under (node, hash of those gk
 * bytes), the others stay on the node's chain. A query then examines the
 * short ones plus the one bucket selected by the first/last gk bytes of its
 * own glob part: every name a glob matches starts with its head and ends
 * (left of the node) with its tail. Worst case (globs with no literal head
 * or tail, e.g. "*-*.example.com" by the thousand) stays linear in the
 * globs of that node.
 */
#include "match_internal.h"

/* Suffixes hashed and prefetched before they are examined. */
#define EFW_BATCH 8
/* Nodes with at most this many globs just scan them. */
#define EFW_GLOB_CHAIN 4
/* Longest glob index prefix (or suffix). */
#define EFW_GLOB_GK_MAX 32
/* In efw_node.gk: the index is keyed by the last gk bytes of the glob part. */
#define EFW_GK_TAIL 0x80
/* Readable bytes a hash may load past the end of what it hashes. */
#define EFW_PAD 8

static inline u32 reduce(u32 h, u32 n)
{
	return (u32)(((u64)h * n) >> 32);
}

/* Keep the first @l (1..7) bytes, in memory order, of an 8-byte load. */
static inline u64 tail_mask(u32 l)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return ~0ULL << (64 - 8 * l);
#else
	return ~0ULL >> (64 - 8 * l);
#endif
}

/*
 * Hash @l bytes at @p, 8 at a time. The EFW_PAD bytes after them are
 * loaded but masked off, so callers keep them readable.
 */
static inline u64 bytes_hash(const char *p, u32 l, u64 mul)
{
	u64 h = l, c;

	for (; l >= 8; p += 8, l -= 8) {
		memcpy(&c, p, 8);
		h = (h ^ c) * mul;
	}
	if (l) {
		memcpy(&c, p, 8);
		h = (h ^ (c & tail_mask(l))) * mul;
	}
	return h;
}

/* The polynomial's low bits are weak: mix all 64 bits into both halves. */
static inline u64 hash_fin(u64 h)
{
	h ^= h >> 32;
	h *= 0xd6e8feb86659fd93ULL;
	h ^= h >> 32;
	h *= 0xd6e8feb86659fd93ULL;
	h ^= h >> 32;
	return h;
}

static inline u32 slot_of(const struct efw_names *nm, u64 h)
{
	return reduce((u32)h, nm->cap);
}

static inline u32 tag_of(u64 h)
{
	u32 t = (u32)(h >> 32);

	return t ? t : 1;
}

static inline u64 gidx_hash(const struct efw_names *nm, u32 node, u64 head)
{
	return hash_fin((head ^ nm->seed) + (u64)node * nm->mul2);
}

/* 1: a host name byte other than '.', 2: '.', 0: never in a host name. */
static const u8 name_class[256] = {
	['0' ... '9'] = 1, ['A' ... 'Z'] = 1, ['a' ... 'z'] = 1,
	['-'] = 1, ['_'] = 1, ['.'] = 2,
};

/* Where a (checked) name pattern is filed. */
struct name_key {
	u32 key;	/* offset of the node in the pattern's name */
	u32 labels;	/* labels in the node */
	u32 star;	/* globs: offset of the first '*', its literal head */
	u32 tail;	/* globs: literal bytes after the last '*' */
};

/*
 * Check a canonical name pattern (the parser's output: lower case, no
 * trailing dot, "*." kept for wildcards) and find its node. The module
 * gets patterns over netlink, so nothing is taken on trust here.
 */
static int check_name(const struct efw_pattern *p, struct name_key *k)
{
	const char *s = p->name;
	u32 len = p->name_len, i, lab = 0, labels = 0, star_labels = 0;
	u32 star_end = 0, first_star = 0, last_star = 0;
	bool star_here = false, any_star = false;

	if (!len || len > EFW_NAME_MAX)
		return -EINVAL;
	for (i = 0; i <= len; i++) {
		char c = i < len ? s[i] : '.';

		if (c == '.') {
			if (i == lab || i - lab > EFW_LABEL_MAX)
				return -EINVAL;
			labels++;
			if (star_here) {
				star_end = i;
				star_labels = labels;
			}
			lab = i + 1;
			star_here = false;
		} else if (c == '*') {
			if (i && s[i - 1] == '*')
				return -EINVAL;
			if (!any_star)
				first_star = i;
			last_star = i;
			any_star = star_here = true;
		} else if (name_class[(u8)c] != 1 || (c >= 'A' && c <= 'Z')) {
			return -EINVAL;
		}
	}

	switch (p->kind) {
	case EFW_KIND_EXACT:
		if (any_star)
			return -EINVAL;
		k->key = 0;
		k->labels = labels;
		return 0;
	case EFW_KIND_WILDCARD:
		/* Exactly one '*', as the whole first label, and a rest. */
		if (len < 3 || s[0] != '*' || s[1] != '.' || star_end != 1)
			return -EINVAL;
		k->key = 2;
		k->labels = labels - 1;
		return 0;
	case EFW_KIND_GLOB:
		/* The last label must be literal: every glob has a node. */
		if (!any_star || star_end == len)
			return -EINVAL;
		k->key = star_end + 1;
		k->labels = labels - star_labels;
		k->star = first_star;
		k->tail = star_end - last_star - 1;
		return 0;
	}
	return -EINVAL;
}

/* Hash of the suffix @s (@len bytes, EFW_PAD readable after), finalised. */
static u64 key_hash(const struct efw_names *nm, const char *s, u32 len)
{
	u64 h = nm->seed;
	u32 end = len, dot;

	for (;;) {
		for (dot = end; dot && s[dot - 1] != '.'; dot--)
			;
		h = (h + bytes_hash(s + dot, end - dot, nm->mul)) * nm->mul2;
		if (!dot)
			return hash_fin(h);
		end = dot - 1;
	}
}

static inline struct efw_node *node_at(const struct efw_names *nm, u32 rec)
{
	return (struct efw_node *)(nm->arena + rec);
}

/* Bytes of a node record with a key of @klen bytes, rounded up to 4. */
static inline u32 node_size(u32 klen)
{
	return (u32)(offsetof(struct efw_node, key) + klen + 3) & ~3U;
}

/* The record of node @key, added (with empty chains) if new. */
static u32 node_add(struct efw_names *nm, const char *key, u32 klen)
{
	char buf[EFW_NAME_MAX + EFW_PAD];
	struct efw_name_slot *s;
	struct efw_node *nd;
	u32 tag, idx;
	u64 h;

	memcpy(buf, key, klen);
	memset(buf + klen, 0, EFW_PAD);
	h = key_hash(nm, buf, klen);
	tag = tag_of(h);
	idx = slot_of(nm, h);
	for (;;) {
		s = &nm->slots[idx];
		if (!s->tag)
			break;
		nd = node_at(nm, s->rec);
		if (s->tag == tag && nd->len == klen &&
		    !memcmp(nd->key, key, klen))
			return s->rec;
		if (++idx == nm->cap)
			idx = 0;
	}
	s->tag = tag;
	s->rec = nm->arena_len;
	nd = node_at(nm, s->rec);
	nd->exact = nd->wild = nd->glob = EFW_NONE;
	nd->exact_ps = nd->wild_ps = EFW_PS_FAR;
	nd->len = (u8)klen;
	nd->gk = 0;
	memcpy(nd->key, key, klen);
	nm->arena_len += node_size(klen);
	return s->rec;
}

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
	u32 idx = reduce((u32)gidx_hash(nm, node, head), nm->gcap);
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
	e->chain = EFW_NONE;
	return e;
}

static inline void push(struct efw_matcher *m, u32 *head, u32 rule)
{
	m->rules[rule].next = *head;
	*head = rule;
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
 * their first (last) gk bytes, one bucket. In sorted order such a group is
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
 * leaves less to scan, and its length. The node of every name rule is in
 * its rules[].next for now. *@nidx: the globs that go into the index.
 */
static int choose_glob_index(struct efw_matcher *m,
			     const struct efw_rule_spec *rules, u32 n,
			     u32 nglobs, u32 *nidx)
{
	struct efw_names *nm = &m->names;
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
		check_name(p, &k);
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
		node_at(nm, g[i].node)->gk = (u8)(gk | (tail ? EFW_GK_TAIL : 0));
		for (; i < j; i++)
			*nidx += (tail ? g[i].tlen : g[i].hlen) >= gk;
	}
	efw_free(g);
	return 0;
}

/* Move the arena into an allocation of its final size, if much smaller. */
static int arena_trim(struct efw_matcher *m, u32 alloc_len)
{
	struct efw_names *nm = &m->names;
	char *a;

	if (nm->arena_len + nm->arena_len / 8 >= alloc_len)
		return 0;
	a = efw_match_alloc(m, nm->arena_len, false);
	if (!a)
		return -ENOMEM;
	memcpy(a, nm->arena, nm->arena_len);
	efw_free(nm->arena);
	m->mem -= alloc_len ? alloc_len : 1;
	nm->arena = a;
	return 0;
}

static u16 ps_hint(const struct efw_matcher *m, u32 rule)
{
	if (rule == EFW_NONE || m->rules[rule].pset >= EFW_PS_FAR)
		return EFW_PS_FAR;
	return (u16)m->rules[rule].pset;
}

/* Cache the port sets of the chain heads in the node records. */
static void fill_hints(struct efw_matcher *m)
{
	struct efw_names *nm = &m->names;
	u32 i;

	for (i = 0; i < nm->cap; i++) {
		struct efw_node *nd;

		if (!nm->slots[i].tag)
			continue;
		nd = node_at(nm, nm->slots[i].rec);
		nd->exact_ps = ps_hint(m, nd->exact);
		nd->wild_ps = ps_hint(m, nd->wild);
	}
}

static u64 random_u64(void)
{
	return (u64)efw_random_u32() << 32 | efw_random_u32();
}

int efw_names_build(struct efw_matcher *m, const struct efw_rule_spec *rules,
		    u32 n)
{
	struct efw_names *nm = &m->names;
	u64 arena_max = 0;
	u32 nnames = 0, nglobs = 0, nidx, i;
	struct name_key k;
	int ret;

	for (i = 0; i < n; i++) {
		const struct efw_pattern *p = rules[i].pattern;

		if (p->kind > EFW_KIND_GLOB)
			continue;
		ret = check_name(p, &k);
		if (ret)
			return ret;
		nnames++;
		nglobs += p->kind == EFW_KIND_GLOB;
		/* The node, plus for globs the glob part and its length. */
		arena_max += node_size(p->name_len) + p->name_len + 1;
		if (k.labels > nm->max_labels)
			nm->max_labels = k.labels;
	}
	if (arena_max > 0xfff00000ULL)
		return -E2BIG;

	nm->seed = random_u64();
	nm->mul = random_u64() | 1;
	nm->mul2 = random_u64() | 1;
	/*
	 * At most one node per rule; a load factor of at most 1/2 keeps
	 * unsuccessful probes (most of them) to a slot or two.
	 */
	nm->cap = nnames ? 2 * nnames : 1;
	nm->slots = efw_match_alloc(m, (size_t)nm->cap * sizeof(*nm->slots),
				    true);
	/* Zeroed: records' alignment padding would otherwise be undefined. */
	nm->arena = efw_match_alloc(m, (size_t)arena_max, true);
	if (!nm->slots || !nm->arena)
		return -ENOMEM;

	/* Nodes first; each rule's node parked in its next field. */
	for (i = 0; i < n; i++) {
		const struct efw_pattern *p = rules[i].pattern;

		if (p->kind > EFW_KIND_GLOB)
			continue;
		check_name(p, &k);
		m->rules[i].next = node_add(nm, p->name + k.key,
					    p->name_len - k.key);
	}
	ret = choose_glob_index(m, rules, n, nglobs, &nidx);
	if (ret)
		return ret;
	nm->gcap = nidx ? 2 * nidx : 1;
	nm->gidx = efw_match_alloc(m, (size_t)nm->gcap * sizeof(*nm->gidx),
				   false);
	if (!nm->gidx)
		return -ENOMEM;
	for (i = 0; i < nm->gcap; i++)
		nm->gidx[i].node = EFW_NONE;

	/* Backwards, so that pushing on chain heads leaves them ascending. */
	for (i = n; i-- > 0;) {
		const struct efw_pattern *p = rules[i].pattern;
		u32 node = m->rules[i].next, glen, gk;
		struct efw_node *s;

		if (p->kind > EFW_KIND_GLOB)
			continue;
		s = node_at(nm, node);
		if (p->kind == EFW_KIND_EXACT) {
			push(m, &s->exact, i);
			continue;
		}
		if (p->kind == EFW_KIND_WILDCARD) {
			push(m, &s->wild, i);
			continue;
		}
		check_name(p, &k);
		glen = k.key - 1;
		m->rules[i].glob = nm->arena_len;
		nm->arena[nm->arena_len++] = (char)glen;
		memcpy(nm->arena + nm->arena_len, p->name, glen);
		nm->arena_len += glen;
		gk = s->gk & ~EFW_GK_TAIL;
		if (gk && (s->gk & EFW_GK_TAIL ? k.tail : k.star) >= gk) {
			const char *at = s->gk & EFW_GK_TAIL ?
					 p->name + glen - gk : p->name;
			struct efw_glob_ent *e;

			e = gidx_add(nm, node, head_hash(nm, at, gk));
			push(m, &e->chain, i);
		} else {
			push(m, &s->glob, i);
		}
	}
	fill_hints(m);
	return arena_trim(m, (u32)arena_max);
}

void efw_names_free(struct efw_names *nm)
{
	efw_free(nm->gidx);
	efw_free(nm->arena);
	efw_free(nm->slots);
}

/* One label of a glob: '*' matches any run of bytes (no '.' in a label). */
static bool glob_label(const char *p, u32 pl, const char *s, u32 sl)
{
	u32 pi = 0, si = 0, star = EFW_NONE, mark = 0;

	/*
	 * On a mismatch, let the last '*' swallow one more byte and retry
	 * from there: a later star can always absorb what an earlier one
	 * would have, so no deeper backtracking is ever needed.
	 */
	while (si < sl) {
		if (pi < pl && p[pi] == '*') {
			star = ++pi;
			mark = si;
		} else if (pi < pl && p[pi] == s[si]) {
			pi++;
			si++;
		} else if (star != EFW_NONE) {
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

/* A glob part against the query's labels left of the node, label by label. */
static bool glob_match(const char *p, u32 pl, const char *s, u32 sl)
{
	u32 pi = 0, si = 0, pe, se;

	for (;;) {
		for (pe = pi; pe < pl && p[pe] != '.'; pe++)
			;
		for (se = si; se < sl && s[se] != '.'; se++)
			;
		if (!glob_label(p + pi, pe - pi, s + si, se - si))
			return false;
		if (pe == pl || se == sl)
			return pe == pl && se == sl;
		pi = pe + 1;
		si = se + 1;
	}
}

struct lookup {
	const struct efw_matcher *m;
	const char *q;		/* the query, lower-cased, no trailing dot */
	u32 len;
	u8 proto;
	u16 port;
	u32 best;		/* efw_match_name(): lowest covering id yet */
	int (*fn)(void *ctx, u32 rule);	/* efw_match_name_each(), or NULL */
	void *ctx;
	int ret;
};

/*
 * Walk one chain; @ps is the cached port set of its head (or EFW_PS_FAR).
 * For globs, @start is where the node begins in the query, so the query's
 * glob part is q[0, start - 1). True when the visitor asked to stop.
 */
static bool visit(struct lookup *lk, u32 r, u32 ps, u32 start, bool glob)
{
	const struct efw_matcher *m = lk->m;

	if (r == EFW_NONE)
		return false;
	if (!lk->fn && ps != EFW_PS_FAR) {
		const struct efw_pset *p = &m->psets[ps];

		if (r >= lk->best)
			return false;
		if (efw_ports_cover(m->ranges + p->off, p->n, lk->proto,
				    lk->port)) {
			lk->best = r;
			return false;
		}
		r = m->rules[r].next;
	}
	for (; r != EFW_NONE; r = m->rules[r].next) {
		if (!lk->fn && r >= lk->best)
			return false;
		if (glob) {
			const u8 *g = (const u8 *)m->names.arena +
				      m->rules[r].glob;

			if (!glob_match((const char *)g + 1, g[0], lk->q,
					start - 1))
				continue;
		}
		if (lk->fn) {
			lk->ret = lk->fn(lk->ctx, r);
			if (lk->ret)
				return true;
		} else if (efw_rule_covers_fast(m, r, lk->proto, lk->port)) {
			lk->best = r;
			return false;
		}
	}
	return false;
}

/*
 * From slot @idx on, the first slot tagged like @h, without looking at
 * records: EFW_NONE if none. The caller checks the key.
 */
static u32 find_slot(const struct efw_names *nm, u64 h, u32 idx)
{
	u32 tag = tag_of(h);

	for (;;) {
		const struct efw_name_slot *s = &nm->slots[idx];

		if (!s->tag)
			return EFW_NONE;
		if (s->tag == tag)
			return idx;
		if (++idx == nm->cap)
			idx = 0;
	}
}

static inline bool node_is(const struct efw_node *nd, const char *key,
			   u32 klen)
{
	return nd->len == klen && !memcmp(nd->key, key, klen);
}

/* Rules of node @nd (equal to q[start, len)) that match the query. */
static bool examine(struct lookup *lk, const struct efw_node *nd, u32 start)
{
	const struct efw_names *nm = &lk->m->names;
	u32 rec = (u32)((const char *)nd - nm->arena), idx;
	u32 gk = nd->gk & ~EFW_GK_TAIL;
	const struct efw_glob_ent *e;
	u64 head;

	if (!start)
		return visit(lk, nd->exact, nd->exact_ps, 0, false);
	if (visit(lk, nd->wild, nd->wild_ps, start, false) ||
	    visit(lk, nd->glob, EFW_PS_FAR, start, true))
		return true;
	if (!gk || start - 1 < gk)
		return false;

	/* lk->q has EFW_PAD readable bytes past its end. */
	if (nd->gk & EFW_GK_TAIL)
		head = bytes_hash(lk->q + start - 1 - gk, gk, nm->mul);
	else
		head = bytes_hash(lk->q, gk, nm->mul);
	for (idx = reduce((u32)gidx_hash(nm, rec, head), nm->gcap);;) {
		e = &nm->gidx[idx];
		if (e->node == EFW_NONE)
			return false;
		if (e->node == rec && e->head == head)
			return visit(lk, e->chain, EFW_PS_FAR, start, true);
		if (++idx == nm->gcap)
			idx = 0;
	}
}

/*
 * Examine a batch of suffixes whose slots were prefetched, in two rounds
 * so that the node records of the whole batch are fetched at once: find
 * the tagged slots and prefetch their records, then check the keys and
 * walk the chains.
 */
static bool flush(struct lookup *lk, const u64 *hs, const u8 *st, u32 nb)
{
	const struct efw_names *nm = &lk->m->names;
	u32 cand[EFW_BATCH], i;

	for (i = 0; i < nb; i++) {
		const char *r;

		cand[i] = find_slot(nm, hs[i], slot_of(nm, hs[i]));
		if (cand[i] == EFW_NONE)
			continue;
		r = nm->arena + nm->slots[cand[i]].rec;
		__builtin_prefetch(r);
		__builtin_prefetch(r + node_size(lk->len - st[i]) - 1);
	}
	for (i = 0; i < nb; i++) {
		const char *key = lk->q + st[i];
		u32 klen = lk->len - st[i], idx = cand[i];
		const struct efw_node *nd;

		while (idx != EFW_NONE) {
			nd = node_at(nm, nm->slots[idx].rec);
			if (node_is(nd, key, klen)) {
				if (examine(lk, nd, st[i]))
					return true;
				break;
			}
			/* Another key with the same tag: probe on. */
			idx = find_slot(nm, hs[i], idx + 1 == nm->cap ? 0 : idx + 1);
		}
	}
	return false;
}

/* Returns false if the lookup was stopped by the visitor. */
static bool lookup(struct lookup *lk, const char *name, size_t len)
{
	const struct efw_names *nm = &lk->m->names;
	char buf[EFW_NAME_MAX + EFW_PAD];
	u32 i, nb = 0, lab = 0, nl = 0, end, dot;
	u64 hs[EFW_BATCH], h;
	u8 st[EFW_BATCH];

	if (!nm->max_labels || !name)
		return true;
	if (len && name[len - 1] == '.')
		len--;
	if (!len || len > EFW_NAME_MAX)
		return true;
	/* Check and lower-case it all first: an invalid name matches nothing. */
	for (i = 0; i < len; i++) {
		u8 cls = name_class[(u8)name[i]];

		if (cls == 1) {
			if (++lab > EFW_LABEL_MAX)
				return true;
		} else if (cls == 2 && lab) {
			lab = 0;
		} else {
			return true;
		}
		buf[i] = efw_lower(name[i]);
	}
	if (!lab)
		return true;
	memset(buf + len, 0, EFW_PAD);
	lk->q = buf;
	lk->len = (u32)len;

	/*
	 * Right to left, one label at a time: hash the suffix seen so far
	 * and prefetch its slot; examine the slots a batch at a time.
	 */
	h = nm->seed;
	for (end = (u32)len;; end = dot - 1) {
		for (dot = end; dot && buf[dot - 1] != '.'; dot--)
			;
		/* No node has more labels than max_labels. */
		if (++nl > nm->max_labels)
			break;
		h = (h + bytes_hash(buf + dot, end - dot, nm->mul)) * nm->mul2;
		if (nb == EFW_BATCH) {
			if (flush(lk, hs, st, nb))
				return false;
			nb = 0;
		}
		hs[nb] = hash_fin(h);
		__builtin_prefetch(&nm->slots[slot_of(nm, hs[nb])]);
		st[nb++] = (u8)dot;
		if (!dot)
			break;
	}
	return !flush(lk, hs, st, nb);
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
