// SPDX-License-Identifier: GPL-2.0
/*
 * Name side of the matcher: exact names, "*.suffix" wildcards and globs.
 *
 * The cost of a lookup depends on the number of labels in the queried name,
 * not on the number of rules. Every rule is filed under one domain string,
 * its "node":
 *   central.sophos.com          under "central.sophos.com" (exact chain)
 *   *.sophos.com                under "sophos.com"         (wildcard chain)
 *   tf-*-bucket.s3.aws.com      under "s3.aws.com"         (glob list)
 * A glob's node is its longest suffix of whole literal labels; the labels
 * before it (the "glob part") are kept in the arena. A query can only be
 * matched by rules filed under itself (exact) or under one of its strict
 * suffixes at a label boundary (wildcards, globs), so a lookup probes one
 * hash table once per label boundary, and never for more labels than the
 * most any node has (max_labels), nor for a label count no node has
 * (lab_mask).
 *
 * A lookup makes one pass over the name, right to left, a word (8 bytes)
 * at a time: it checks every byte, lower-cases, finds the label
 * boundaries and hashes the suffix at each of them, so nothing scans the
 * name byte by byte, nor twice.
 *
 * Hashing: the words are aligned on the name's end, so the suffixes of a
 * query and the keys equal to them are cut into the same words. Going
 * left, full words are chained, S = (S ^ word) * mul mod 2^64 (random seed
 * and odd multiplier per matcher); the hash of the suffix right of a dot
 * is the running S closed with the bytes of the dot's own word right of
 * it, then finalised. So each suffix costs a shift, an xor and two
 * multiplies on top of the pass. The finalised bits pick the key's two
 * buckets (multiply-shift, so the table needs no power-of-two size) and
 * its 8-bit tag.
 *
 * The table (see struct efw_node) is a cuckoo hash table of 4-slot
 * buckets, filled to at most 90%: a key is in one of its two buckets, so a
 * probe tests the tags of both buckets' control words, 8 tags in one
 * 64-bit test and no loop. The control words are 1/64 of the table (about
 * 1 MB at a million rules), so they mostly stay in the cache while the
 * entries do not: a probe that misses (most do) costs a cached read or
 * two and nothing else, bar a false tag match (about 1 in 30) that costs
 * a key compare. A suffix that is a node costs one memory access, its
 * entry, whose line holds everything needed when its first rule covers
 * the port. The entry of every probe's first tag hit is prefetched as the
 * pass goes on, with no branch on the control words, and only examined
 * once the pass is over: the entries' misses overlap each other and the
 * rest of the pass.
 *
 * Chains are linked through the per-rule next index in ascending rule id,
 * so for efw_match_name() the first rule that covers the port is the
 * lowest of its chain, and chains whose head is already above the best
 * candidate are skipped. Exact and wildcard chains of all the suffixes
 * found are examined before any glob, and a node keeps the lowest id of its
 * globs and the label counts of their glob parts, so globs that cannot win
 * or cannot match are not even read.
 *
 * Globs: a node's globs are stored together in the arena as glob lists
 * (rule id, cached port set, label count and glob part; ascending ids),
 * right after the node's extension, so examining them reads consecutive
 * memory and never rules[]. Each is matched in one pass against the
 * query's labels left of the node, '*' never crossing a '.', so the cost
 * is linear in the globs examined. To keep that small when many globs share a node (S3 bucket patterns under
 * s3.<region>.amazonaws.com, "<word>*.com"), a node with more than
 * EFW_GLOB_CHAIN globs gets a glob index: the build picks, per node, the
 * literal head (text before the first '*') or tail (text after the last
 * '*') of the glob part, and a length gk (1..EFW_GLOB_GK_MAX), minimising
 * "globs whose head/tail is shorter than gk" + "largest group of globs
 * sharing its first/last gk bytes". Globs with a long enough head/tail are
 * filed in a list under (node, hash of those gk bytes), the others stay on
 * the node's own list. A query then examines the short ones plus the one
 * list selected by the first/last gk bytes of its own glob part: every name
 * a glob matches starts with its head and ends (left of the node) with its
 * tail. A small filter of the index heads in the node's extension skips
 * the index probe, a likely cache miss, for most heads with no list.
 * Worst case (globs with no literal head or tail, e.g. "*-*.example.com"
 * by the thousand) stays linear in the globs of that node.
 */
#include "match_internal.h"

/* Suffixes probed together: their memory reads overlap. */
#define EFW_BATCH 8
/* Nodes with at most this many globs just scan them. */
#define EFW_GLOB_CHAIN 4
/* Longest glob index prefix (or suffix). */
#define EFW_GLOB_GK_MAX 32
/* In efw_node_ext.gk: the index is keyed by the last gk bytes of the glob part. */
#define EFW_GK_TAIL 0x80
/* Readable bytes a hash or a key compare may load past what it looks at. */
#define EFW_PAD 8
/* The query: dots, the name, then zeros that word-at-a-time code may read. */
#define EFW_QBUF (EFW_PAD + EFW_NAME_MAX + 2 * EFW_PAD)

#define ONES 0x0101010101010101ULL
#define HIGHS (0x80 * ONES)
#define LOWS (0x7f * ONES)

_Static_assert(sizeof(struct efw_node) == 64, "a node entry is one cache line");
_Static_assert(EFW_BATCH <= 32, "flush() keeps a bit per probe in a u32");

static inline u32 reduce(u32 h, u32 n)
{
	return (u32)(((u64)h * n) >> 32);
}

/* Keep the first @l (1..8) bytes, in memory order, of an 8-byte load. */
static inline u64 tail_mask(u32 l)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return ~0ULL << (64 - 8 * l);
#else
	return ~0ULL >> (64 - 8 * l);
#endif
}

static inline u64 load64(const char *p)
{
	u64 v;

	memcpy(&v, p, 8);
	return v;
}

/* Byte i of memory in bits 8i..8i+7, whatever the byte order. */
static inline u64 load_le64(const void *p)
{
	u64 v;

	memcpy(&v, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}

static inline void store_le64(void *p, u64 v)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	memcpy(p, &v, 8);
}

/* The high bit of every byte of @x (each below 0x80) in [@lo, @hi]. */
static inline u64 bytes_in(u64 x, u32 lo, u32 hi)
{
	return (x + (u64)(0x80 - lo) * ONES) & ~(x + (u64)(0x7f - hi) * ONES) &
	       HIGHS;
}

/* The high bit of every byte of @x (each below 0x80) equal to @c. */
static inline u64 bytes_eq(u64 x, u32 c)
{
	return ~((x ^ (u64)c * ONES) + LOWS) & HIGHS;
}

/*
 * Hash @l (at least 1) bytes at @p, 8 at a time. The EFW_PAD bytes after
 * them are loaded but masked off, so callers keep them readable.
 */
static inline u64 bytes_hash(const char *p, u32 l, u64 mul)
{
	u64 h = l;

	for (; l > 8; p += 8, l -= 8)
		h = (h ^ load64(p)) * mul;
	return (h ^ (load64(p) & tail_mask(l))) * mul;
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

/*
 * The finaliser of a suffix hash: one multiply between two xor-shifts, so
 * that every bit of the (multiply-chained, weak in its low bits) input
 * reaches both halves. A bijection: distinct suffix hashes stay distinct.
 */
static inline u64 suffix_fin(u64 h)
{
	h ^= h >> 32;
	h *= 0xd6e8feb86659fd93ULL;
	return h ^ (h >> 32);
}

/*
 * The two buckets and the tag of a finalised suffix hash, from bits that
 * overlap little: multiply-shift keeps the top of its 32-bit input, so the
 * first bucket is mostly bits 14..31, the second bits 46..63, and the tag
 * is bits 0..7.
 */
static inline u32 bucket1(const struct efw_names *nm, u64 h)
{
	return reduce((u32)h, nm->nbuckets);
}

static inline u32 bucket2(const struct efw_names *nm, u64 h)
{
	return reduce((u32)(h >> 32), nm->nbuckets);
}

/* Never 0, which marks an empty slot. */
static inline u8 tag_of(u64 h)
{
	u8 t = (u8)h;

	return t ? t : 1;
}

/*
 * Bit 7 of every byte of @c equal to @tag, exactly (no borrow between
 * bytes). @c is the control words of a key's two buckets side by side,
 * bucket 1 in the low half, so one test covers its 8 possible slots.
 */
static inline u64 tag_hits(u64 c, u8 tag)
{
	u64 x = c ^ tag * ONES;

	return ~(((x & LOWS) + LOWS) | x | LOWS);
}

/* The control words of both buckets, as tag_hits() takes them. */
static inline u64 ctrl_pair(const struct efw_names *nm, u32 b1, u32 b2)
{
	return (u64)nm->ctrl[b2] << 32 | nm->ctrl[b1];
}

/* The slot of lane @lane (0..7) of a ctrl_pair(). */
static inline u32 lane_slot(u32 b1, u32 b2, u32 lane)
{
	return lane < 4 ? 4 * b1 + lane : 4 * b2 + lane - 4;
}

static inline u64 gidx_hash(const struct efw_names *nm, u32 node, u64 head)
{
	return hash_fin((head ^ nm->seed) + (u64)node * nm->mul2);
}

static inline struct efw_node_ext *ext_at(const struct efw_names *nm, u32 off)
{
	return (struct efw_node_ext *)(nm->arena + off);
}

static inline u32 glob_size(u32 len)
{
	return (u32)(sizeof(struct efw_glob) + len + 3) & ~3U;
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
static const char *rule_key(const struct efw_rule_spec *rules, u32 i,
			    u32 *klen, struct name_key *k)
{
	const struct efw_pattern *p = rules[i].pattern;

	check_name(p, k);
	*klen = p->name_len - k->key;
	return p->name + k->key;
}

static inline const char *ext_filter(const struct efw_node_ext *e)
{
	return (const char *)(e + 1);
}

static inline const char *ext_rest(const struct efw_node_ext *e)
{
	return ext_filter(e) + 8 * e->fwords;
}

/*
 * Give node @nd (key @key) its extension, with @fwords (zeroed) filter
 * words, index key length @gk and no glob list yet.
 */
static struct efw_node_ext *ext_add(struct efw_names *nm, struct efw_node *nd,
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

/* The filter bits of glob index head @head; true if all were set already. */
static bool filter_bits(const struct efw_names *nm, const struct efw_node_ext *e,
			u64 head, bool set)
{
	u64 f = hash_fin(head ^ nm->seed), w, bits;
	char *at = (char *)ext_filter(e) + 8 * (size_t)reduce((u32)f, e->fwords);

	bits = 1ULL << (f >> 58) | 1ULL << (f >> 52 & 63);
	w = load64(at);
	if (set) {
		w |= bits;
		memcpy(at, &w, 8);
	}
	return (w & bits) == bits;
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
		key = rule_key(rules, i, &klen, &k);
		h = node_hash(nm, key, klen);
		for (idx = reduce((u32)h, t->tcap);; idx = idx + 1 == t->tcap ? 0 : idx + 1) {
			j = t->tab[idx];
			if (j == EFW_NONE)
				break;
			if (t->hash[j] == h) {
				const char *k2 = rule_key(rules, t->first[j], &l2, &k);

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
		key = rule_key(rules, t->first[j], &klen, &k);
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
	e->list = EFW_NONE;
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

static u8 ps_hint(const struct efw_matcher *m, u32 rule)
{
	if (rule == EFW_NONE || m->rules[rule].pset >= EFW_PS_FAR)
		return EFW_PS_FAR;
	return (u8)m->rules[rule].pset;
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

		check_name(p, &k);
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
static int build_globs(struct efw_matcher *m, const struct efw_rule_spec *rules,
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
		check_name(p, &k);
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
		e = ext_add(nm, nd, rule_key(rules, refs[i].rule, &klen, &k),
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
		ret = check_name(p, &k);
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
	ret = build_globs(m, rules, n, nglobs);
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
			ext_add(nm, nd, rule_key(rules, i, &klen, &k), 0, 0);
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
	for (idx = reduce((u32)gidx_hash(nm, c->slot, head), nm->gcap);;) {
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
					u32 b1 = reduce((u32)f, nb);
					u32 b2 = reduce((u32)(f >> 32), nb);
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
