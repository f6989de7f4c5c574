/* SPDX-License-Identifier: GPL-2.0 */
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
 *
 * Three files share this private header (the model: nft_set_pipapo.h):
 * match_name_build.c checks the patterns and fills the node table,
 * match_name_globs.c files the globs into lists and glob indexes, and
 * match_name.c looks names up. Nothing else includes it.
 */
#ifndef EGRESSFW_MATCH_NAME_H
#define EGRESSFW_MATCH_NAME_H

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
	return efw_reduce((u32)h, nm->nbuckets);
}

static inline u32 bucket2(const struct efw_names *nm, u64 h)
{
	return efw_reduce((u32)(h >> 32), nm->nbuckets);
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

/* Where a (checked) name pattern is filed. */
struct name_key {
	u32 key;	/* offset of the node in the pattern's name */
	u32 labels;	/* labels in the node */
	u32 star;	/* globs: offset of the first '*', its literal head */
	u32 tail;	/* globs: literal bytes after the last '*' */
};

static inline const char *ext_filter(const struct efw_node_ext *e)
{
	return (const char *)(e + 1);
}

static inline const char *ext_rest(const struct efw_node_ext *e)
{
	return ext_filter(e) + 8 * e->fwords;
}

/* The filter bits of glob index head @head; true if all were set already. */
static inline bool filter_bits(const struct efw_names *nm, const struct efw_node_ext *e,
			u64 head, bool set)
{
	u64 f = hash_fin(head ^ nm->seed), w, bits;
	char *at = (char *)ext_filter(e) + 8 * (size_t)efw_reduce((u32)f, e->fwords);

	bits = 1ULL << (f >> 58) | 1ULL << (f >> 52 & 63);
	w = load64(at);
	if (set) {
		w |= bits;
		memcpy(at, &w, 8);
	}
	return (w & bits) == bits;
}

static inline u8 ps_hint(const struct efw_matcher *m, u32 rule)
{
	if (rule == EFW_NONE || m->rules[rule].pset >= EFW_PS_FAR)
		return EFW_PS_FAR;
	return (u8)m->rules[rule].pset;
}

/* match_name_build.c */
int efw_name_check(const struct efw_pattern *p, struct name_key *k);
const char *efw_name_rule_key(const struct efw_rule_spec *rules, u32 i,
			      u32 *klen, struct name_key *k);
struct efw_node_ext *efw_name_ext_add(struct efw_names *nm, struct efw_node *nd,
				      const char *key, u32 fwords, u8 gk);

/* match_name_globs.c */
int efw_names_build_globs(struct efw_matcher *m,
			  const struct efw_rule_spec *rules, u32 n, u32 nglobs);

#endif /* EGRESSFW_MATCH_NAME_H */
