/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Private layout of the compiled matcher, shared by match.c (build, free,
 * port sets), the name side (match_name.h and its three files) and
 * match_addr.c (CIDR tables and lookup). Nothing else includes this.
 *
 * Big arrays hold u32 indices rather than pointers: half the size on 64-bit,
 * and a matcher is a handful of flat allocations that are freed in one go.
 */
#ifndef EGRESSFW_MATCH_INTERNAL_H
#define EGRESSFW_MATCH_INTERNAL_H

#include "match.h"

/* "No rule" / "no entry" in every u32 index field. */
#define EFW_NONE 0xffffffffU

/* Per rule, indexed by rule id. */
struct efw_rule_ent {
	u32 next;	/* next rule with the same key, ascending ids */
	u32 pset;	/* index into efw_matcher.psets */
};

/* An interned port set: ranges[off .. off + n). */
struct efw_pset {
	u32 off;
	u32 n;
};

/* Port-set hint meaning "not cached, read rules[]". */
#define EFW_PS_FAR 0xff

/* Key bytes kept in the node entry itself; the rest go to its extension. */
#define EFW_KEY_INLINE 44

/*
 * A node: a domain string and the rules filed under it: exact rules equal
 * to it, wildcards "*.node", and globs whose literal suffix is the node.
 *
 * The name table is a bucketed cuckoo hash table: a key lives in one of
 * two buckets of 4 slots, both picked by its hash. Per bucket, one u32 of
 * control words (an 8-bit tag per slot, 0 = empty); per slot, one 64-byte,
 * cache line aligned entry, which holds the key itself (up to
 * EFW_KEY_INLINE bytes) and the chain heads. The control words are 1/64 of
 * the table, small enough to stay in the cache at a million rules, so a
 * probe that misses (most probes) reads two cached words and nothing else,
 * and one that hits costs exactly one memory access: the entry's own
 * line, where the key compare, the chain heads and the cached port sets of
 * the heads all are. Nothing else is read when the head rule covers the
 * port.
 */
struct efw_node {
	u32 exact;	/* chain heads (lowest id first) or EFW_NONE */
	u32 wild;
	u32 glob_min;	/* lowest id of the node's globs, EFW_NONE: no globs */
	u32 ext;	/* arena offset of the struct efw_node_ext, or EFW_NONE */
	char key[EFW_KEY_INLINE];	/* zero-padded */
	u8 exact_ps;	/* pset of the exact / wildcard head, or EFW_PS_FAR */
	u8 wild_ps;
	u8 len;		/* key length */
	u8 gmask;	/* bit min(l, 8) - 1: some glob's part has l labels */
};

/*
 * What only some nodes need, in the arena (4-byte aligned): for a node
 * with globs, its glob index key and head filter, then its own glob list
 * right after, so that one memory access (two adjacent lines) brings both.
 */
struct efw_node_ext {
	u32 globs;	/* arena offset of the node's own glob list, or EFW_NONE */
	u8 gk;		/* glob index key length (| EFW_GK_TAIL), 0: no index */
	u8 pad;
	u16 fwords;	/* u64 words of the filter of glob index heads */
	/*
	 * Then u64 filter[fwords] (unaligned): 2 bits per head of the node
	 * in the glob index, so that a query whose head has no list there
	 * skips the glob index probe; then the key bytes past EFW_KEY_INLINE.
	 */
};

/*
 * A glob list in the arena: a u32 count, then that many records in
 * ascending rule id, each 4-byte aligned. A node's globs are stored
 * together, so matching them reads consecutive memory and never rules[].
 */
struct efw_glob {
	u32 rule;
	u8 ps;		/* the rule's pset, or EFW_PS_FAR */
	u8 len;		/* bytes of the glob part (the pattern left of the node) */
	u8 labels;	/* labels in the glob part */
	u8 pad;
	char part[];
};

/*
 * Glob index: the globs of a crowded node (think hundreds of
 * "tf-presigned-url-*-bucket.s3.<region>.amazonaws.com") are filed under
 * (node, hash of the first gk bytes of their literal head), gk chosen per
 * node at build time; a query then examines one list instead of them all.
 * A hash collision only merges two lists (every glob is still matched in
 * full), so the key needs no string compare.
 */
struct efw_glob_ent {
	u64 head;	/* hash of the first gk bytes */
	u32 node;	/* slot of the node; EFW_NONE = empty */
	u32 list;	/* arena offset of the glob list */
};

struct efw_names {
	u32 *ctrl;		/* per bucket: 4 8-bit tags, slot i in bits 8i.. */
	struct efw_node *nodes;	/* 4 per bucket, 64-byte aligned */
	void *nodes_mem;	/* the allocation nodes and ctrl lie in */
	u32 nbuckets;		/* any value >= 1, reduced by multiply-shift */
	u32 max_labels;		/* most labels in any key: longer suffixes can't hit */
	u64 lab_mask;		/* bit min(l, 63): some key has l labels */
	char *arena;		/* node extensions and glob lists */
	u32 arena_len;
	struct efw_glob_ent *gidx;
	u32 gcap;
	u64 seed;		/* hash start value, random per matcher */
	u64 mul;		/* label hash multiplier, random odd */
	u64 mul2;		/* suffix hash multiplier, random odd */
};

/* Prefixes of one length: entries [off, off + cnt) sorted by network. */
struct efw_cidr_len {
	u32 len;
	u32 off;
	u32 cnt;
};

struct efw_cidr4_ent {
	u32 net;	/* host byte order */
	u32 head;
};

struct efw_cidr6_ent {
	u64 hi, lo;	/* host byte order halves of the address */
	u32 head;
	u32 pad;
};

struct efw_cidrs {
	struct efw_cidr_len *lens4, *lens6;
	u32 n_lens4, n_lens6;
	struct efw_cidr4_ent *v4;
	struct efw_cidr6_ent *v6;
};

struct efw_matcher {
	u32 n_rules;
	size_t mem;		/* every byte allocated, struct included */
	struct efw_rule_ent *rules;
	struct efw_pset *psets;
	struct efw_port_range *ranges;
	u32 n_psets;
	u32 n_ranges;
	struct efw_names names;
	struct efw_cidrs cidrs;
};

/* Multiply-shift range reduction: [0, 2^32) onto [0, n) without division. */
static inline u32 efw_reduce(u32 h, u32 n)
{
	return (u32)(((u64)h * n) >> 32);
}

/* Allocation that is accounted in m->mem; efw_free() as usual. */
void *efw_match_alloc(struct efw_matcher *m, size_t size, bool zero);
/* The same, zeroed, for a table read at random (huge pages when big). */
void *efw_match_alloc_table(struct efw_matcher *m, size_t size);

/* Build the name side from the EXACT/WILDCARD/GLOB rules (already checked). */
int efw_names_build(struct efw_matcher *m, const struct efw_rule_spec *rules,
		    u32 n);
void efw_names_free(struct efw_names *nm);

/* Build the CIDR side from the CIDR4/CIDR6 rules (already checked). */
int efw_cidrs_build(struct efw_matcher *m, const struct efw_rule_spec *rules,
		    u32 n);
void efw_cidrs_free(struct efw_cidrs *c);

static inline bool efw_rule_covers_fast(const struct efw_matcher *m, u32 rule,
					u8 proto, u16 port)
{
	const struct efw_pset *ps = &m->psets[m->rules[rule].pset];

	return efw_ports_cover(m->ranges + ps->off, ps->n, proto, port);
}

#endif /* EGRESSFW_MATCH_INTERNAL_H */
