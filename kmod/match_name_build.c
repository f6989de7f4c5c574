// SPDX-License-Identifier: GPL-2.0
/*
 * Name matcher, build: check each name pattern, find its node (the domain
 * string it is filed under), number the distinct nodes and place them in
 * the cuckoo table, chain the exact and wildcard rules, then hand the globs
 * to match_name_globs.c. The layout is described in match_name.h.
 */
#include "match_name.h"

/* 1: a host name byte other than '.', 2: '.', 0: never in a host name. */
static const u8 name_class[256] = {
	['0' ... '9'] = 1, ['A' ... 'Z'] = 1, ['a' ... 'z'] = 1,
	['-'] = 1, ['_'] = 1, ['.'] = 2,
};
/*
 * Check a canonical name pattern (the parser's output: lower case, no
 * trailing dot, "*." kept for wildcards) and find its node. The module
 * gets patterns over netlink, so nothing is taken on trust here.
 */
int efw_name_check(const struct efw_pattern *p, struct name_key *k)
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

/*
 * Hash of the key @s (@len bytes, EFW_PAD readable after), finalised: the
 * same value scan() computes for the suffix of a query equal to it. The
 * key is cut into 8-byte chunks aligned on its end; the full ones are
 * chained from the right, P = (P ^ chunk) * mul, and the bytes left of
 * them (the first len % 8, in the low bytes) close the chain.
 */
static u64 key_hash(const struct efw_names *nm, const char *s, u32 len)
{
	u64 h = nm->seed, part = 0;
	u32 r = len & 7;
	s32 a;

	for (a = (s32)len - 8; a >= 0; a -= 8)
		h = (h ^ load_le64(s + a)) * nm->mul;
	if (r)
		part = load_le64(s) & ((1ULL << 8 * r) - 1);
	return suffix_fin((h ^ part) * nm->mul);
}

/* The same for a key with nothing readable after it. */
static u64 node_hash(const struct efw_names *nm, const char *key, u32 klen)
{
	char buf[EFW_NAME_MAX + EFW_PAD];

	memcpy(buf, key, klen);
	memset(buf + klen, 0, EFW_PAD);
	return key_hash(nm, buf, klen);
}

/* The node key of (checked) name rule @i. */
const char *efw_name_rule_key(const struct efw_rule_spec *rules, u32 i,
			    u32 *klen, struct name_key *k)
{
	const struct efw_pattern *p = rules[i].pattern;

	efw_name_check(p, k);
	*klen = p->name_len - k->key;
	return p->name + k->key;
}
/*
 * Give node @nd (key @key) its extension, with @fwords (zeroed) filter
 * words, index key length @gk and no glob list yet.
 */
struct efw_node_ext *efw_name_ext_add(struct efw_names *nm, struct efw_node *nd,
				    const char *key, u32 fwords, u8 gk)
{
	u32 rlen = nd->len > EFW_KEY_INLINE ? nd->len - EFW_KEY_INLINE : 0;
	struct efw_node_ext *e;

	nd->ext = nm->arena_len;
	e = ext_at(nm, nd->ext);
	e->globs = EFW_NONE;
	e->gk = gk;
	e->fwords = (u16)fwords;
	memcpy((char *)ext_rest(e), key + EFW_KEY_INLINE, rlen);
	nm->arena_len += (u32)(sizeof(*e) + 8 * fwords + rlen + 3) & ~3U;
	return e;
}
/* Build-time tables, freed once the matcher is built. */
struct names_tmp {
	u32 *tab;	/* dedup table of node numbers; then node number -> slot */
	u32 tcap;
	u64 *hash;	/* per node number: its key's hash */
	u32 *first;	/* per node number: the first rule filed under it */
	u32 nnodes;
};

/*
 * Number the distinct nodes, so that the table can be sized from their
 * count (many globs may share a node); park each rule's node number in its
 * rules[].next.
 */
static int number_nodes(struct efw_matcher *m,
			const struct efw_rule_spec *rules, u32 n, u32 nnames,
			struct names_tmp *t)
{
	struct efw_names *nm = &m->names;
	struct name_key k;
	u32 i, j, idx, klen, l2;
	const char *key;
	u64 h;

	t->tcap = 2 * nnames + 1;
	t->tab = efw_alloc((size_t)t->tcap * sizeof(*t->tab));
	t->hash = efw_alloc((size_t)(nnames ? nnames : 1) * sizeof(*t->hash));
	t->first = efw_alloc((size_t)(nnames ? nnames : 1) * sizeof(*t->first));
	if (!t->tab || !t->hash || !t->first)
		return -ENOMEM;
	memset(t->tab, 0xff, (size_t)t->tcap * sizeof(*t->tab));

	for (i = 0; i < n; i++) {
		if (rules[i].pattern->kind > EFW_KIND_GLOB)
			continue;
		key = efw_name_rule_key(rules, i, &klen, &k);
		h = node_hash(nm, key, klen);
		for (idx = efw_reduce((u32)h, t->tcap);; idx = idx + 1 == t->tcap ? 0 : idx + 1) {
			j = t->tab[idx];
			if (j == EFW_NONE)
				break;
			if (t->hash[j] == h) {
				const char *k2 = efw_name_rule_key(rules, t->first[j], &l2, &k);

				if (l2 == klen && !memcmp(k2, key, klen))
					break;
			}
		}
		if (j == EFW_NONE) {
			j = t->nnodes++;
			t->hash[j] = h;
			t->first[j] = i;
			t->tab[idx] = j;
		}
		m->rules[i].next = j;
	}
	return 0;
}

/* Put node @j in a free slot of bucket @b, if there is one. */
static bool bucket_put(u32 *ctrl, u32 *who, u32 b, u32 j, u8 tag)
{
	u32 i;

	for (i = 0; i < 4; i++) {
		if (ctrl[b] >> (8 * i) & 0xff)
			continue;
		ctrl[b] |= (u32)tag << (8 * i);
		who[4 * b + i] = j;
		return true;
	}
	return false;
}

/*
 * Cuckoo placement of every node into @ctrl/@who (slot -> node number):
 * a node goes to either of its buckets if one has room, else it takes a
 * random slot of one and the node it evicts moves to its other bucket, and
 * so on. -EAGAIN if some node found no place after many moves: the caller
 * retries with more buckets.
 */
static int place_nodes(struct efw_names *nm, const struct names_tmp *t,
		       u32 *ctrl, u32 *who)
{
	u64 rnd = nm->seed | 1;
	u32 j, kicks;

	memset(ctrl, 0, (size_t)nm->nbuckets * sizeof(*ctrl));
	for (j = 0; j < t->nnodes; j++) {
		u32 cur = j, b = bucket1(nm, t->hash[j]);

		if (bucket_put(ctrl, who, b, j, tag_of(t->hash[j])) ||
		    bucket_put(ctrl, who, bucket2(nm, t->hash[j]), j,
			       tag_of(t->hash[j])))
			continue;
		for (kicks = 0; kicks < 500; kicks++) {
			u32 slot, lane, evicted, b1;
			u64 h;

			rnd ^= rnd << 13;
			rnd ^= rnd >> 7;
			rnd ^= rnd << 17;
			lane = (u32)(rnd >> 32) & 3;
			slot = 4 * b + lane;
			evicted = who[slot];
			h = t->hash[cur];
			ctrl[b] &= ~(0xffU << (8 * lane));
			ctrl[b] |= (u32)tag_of(h) << (8 * lane);
			who[slot] = cur;
			cur = evicted;
			h = t->hash[cur];
			b1 = bucket1(nm, h);
			b = b1 == b ? bucket2(nm, h) : b1;
			if (bucket_put(ctrl, who, b, cur, tag_of(h)))
				break;
		}
		if (kicks == 500)
			return -EAGAIN;
	}
	return 0;
}

/* Put every node in the table; t->tab then maps node numbers to slots. */
static int fill_table(struct efw_matcher *m, const struct efw_rule_spec *rules,
		      struct names_tmp *t)
{
	struct efw_names *nm = &m->names;
	struct name_key k;
	u32 *ctrl = NULL;
	u32 *who = NULL, j, slot, klen, tries;
	int ret = -ENOMEM;

	/*
	 * Two choices of 4 slots fill to about 97% before placements start
	 * to fail; 90% makes them rare, and quick.
	 */
	nm->nbuckets = (u32)(((u64)t->nnodes * 10 / 9 + 3) / 4) + 1;
	for (tries = 0;; tries++) {
		ctrl = efw_alloc((size_t)nm->nbuckets * sizeof(*ctrl));
		who = efw_alloc((size_t)nm->nbuckets * 4 * sizeof(*who));
		if (!ctrl || !who)
			goto out;
		ret = place_nodes(nm, t, ctrl, who);
		if (ret != -EAGAIN)
			break;
		/*
		 * Rare at 90%, and with 1/8 more buckets rarer still; only
		 * 9 keys sharing both buckets (a 64-bit hash) never fit.
		 */
		ret = -ENOMEM;
		if (tries == 8)
			goto out;
		efw_free(who);
		efw_free(ctrl);
		nm->nbuckets += nm->nbuckets / 8 + 1;
	}

	/*
	 * Entries and control words in one table, entries first (64-byte
	 * aligned), so that both lie in its huge pages, if any. Zeroed:
	 * keys are compared a word at a time, padding included.
	 */
	ret = -ENOMEM;
	nm->nodes_mem = efw_match_alloc_table(m, (size_t)nm->nbuckets *
			(4 * sizeof(*nm->nodes) + sizeof(*nm->ctrl)) + 63);
	if (!nm->nodes_mem)
		goto out;
	nm->nodes = (struct efw_node *)(((uintptr_t)nm->nodes_mem + 63) &
					~(uintptr_t)63);
	nm->ctrl = (u32 *)(nm->nodes + 4 * (size_t)nm->nbuckets);
	memcpy(nm->ctrl, ctrl, (size_t)nm->nbuckets * sizeof(*ctrl));

	for (slot = 0; slot < 4 * nm->nbuckets; slot++) {
		struct efw_node *nd = &nm->nodes[slot];
		const char *key;

		if (!(ctrl[slot / 4] >> (8 * (slot % 4)) & 0xff))
			continue;
		j = who[slot];
		key = efw_name_rule_key(rules, t->first[j], &klen, &k);
		nd->exact = nd->wild = nd->glob_min = nd->ext = EFW_NONE;
		nd->exact_ps = nd->wild_ps = EFW_PS_FAR;
		nd->len = (u8)klen;
		memcpy(nd->key, key, klen < EFW_KEY_INLINE ? klen : EFW_KEY_INLINE);
		nm->lab_mask |= 1ULL << (k.labels < 63 ? k.labels : 63);
		if (k.labels > nm->max_labels)
			nm->max_labels = k.labels;
		t->tab[j] = slot;
	}
	ret = 0;
out:
	efw_free(who);
	efw_free(ctrl);
	return ret;
}
static inline void push(struct efw_matcher *m, u32 *head, u32 rule)
{
	m->rules[rule].next = *head;
	*head = rule;
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

static u64 random_u64(void)
{
	return (u64)efw_random_u32() << 32 | efw_random_u32();
}

int efw_names_build(struct efw_matcher *m, const struct efw_rule_spec *rules,
		    u32 n)
{
	struct efw_names *nm = &m->names;
	struct names_tmp t = { 0 };
	u64 arena_max = 0;
	u32 nnames = 0, nglobs = 0, i, klen;
	struct name_key k;
	int ret;

	for (i = 0; i < n; i++) {
		const struct efw_pattern *p = rules[i].pattern;

		if (p->kind > EFW_KIND_GLOB)
			continue;
		ret = efw_name_check(p, &k);
		if (ret)
			return ret;
		nnames++;
		/*
		 * At most one node extension per rule: its key bytes and
		 * filter words (a word more than 2 bytes per glob).
		 */
		arena_max += sizeof(struct efw_node_ext) + 8 + 3 + p->name_len;
		if (p->kind == EFW_KIND_GLOB) {
			/* At most one list per glob, and its record. */
			nglobs++;
			arena_max += 4 + glob_size(p->name_len) + 2;
		}
	}
	if (arena_max > 0xfff00000ULL)
		return -E2BIG;

	nm->seed = random_u64();
	nm->mul = random_u64() | 1;
	nm->mul2 = random_u64() | 1;
	/* Zeroed: records' alignment padding would otherwise be undefined. */
	nm->arena = efw_match_alloc(m, (size_t)arena_max, true);
	if (!nm->arena)
		return -ENOMEM;

	ret = number_nodes(m, rules, n, nnames, &t);
	if (ret)
		goto out;
	ret = fill_table(m, rules, &t);
	if (ret)
		goto out;
	for (i = 0; i < n; i++)
		if (rules[i].pattern->kind <= EFW_KIND_GLOB)
			m->rules[i].next = t.tab[m->rules[i].next];

	/* Globs first: they need the node slots parked in rules[].next. */
	ret = efw_names_build_globs(m, rules, n, nglobs);
	if (ret)
		goto out;
	/* Long keys of nodes without globs. */
	for (i = 0; i < n; i++) {
		struct efw_node *nd;

		if (rules[i].pattern->kind != EFW_KIND_EXACT &&
		    rules[i].pattern->kind != EFW_KIND_WILDCARD)
			continue;
		nd = &nm->nodes[m->rules[i].next];
		if (nd->len > EFW_KEY_INLINE && nd->ext == EFW_NONE)
			efw_name_ext_add(nm, nd, efw_name_rule_key(rules, i, &klen, &k), 0, 0);
	}

	/* Backwards, so that pushing on chain heads leaves them ascending. */
	for (i = n; i-- > 0;) {
		const struct efw_pattern *p = rules[i].pattern;
		struct efw_node *nd;

		if (p->kind != EFW_KIND_EXACT && p->kind != EFW_KIND_WILDCARD)
			continue;
		nd = &nm->nodes[m->rules[i].next];
		push(m, p->kind == EFW_KIND_EXACT ? &nd->exact : &nd->wild, i);
	}
	/* Cache the port sets of the chain heads in the entries. */
	for (i = 0; i < 4 * nm->nbuckets; i++) {
		struct efw_node *nd = &nm->nodes[i];

		if (!(nm->ctrl[i / 4] >> (8 * (i % 4)) & 0xff))
			continue;
		nd->exact_ps = ps_hint(m, nd->exact);
		nd->wild_ps = ps_hint(m, nd->wild);
	}
	ret = arena_trim(m, (u32)arena_max);
out:
	efw_free(t.first);
	efw_free(t.hash);
	efw_free(t.tab);
	return ret;
}

void efw_names_free(struct efw_names *nm)
{
	efw_free(nm->gidx);
	efw_free(nm->arena);
	efw_free(nm->nodes_mem);
}
