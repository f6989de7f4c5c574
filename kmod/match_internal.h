/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Private layout of the compiled matcher, shared by match.c (build, free,
 * port sets), match_name.c (name tables and lookup) and match_addr.c (CIDR
 * tables and lookup). Nothing outside those three files includes this.
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
	u32 glob;	/* globs: arena offset of the glob part, else EFW_NONE */
};

/* An interned port set: ranges[off .. off + n). */
struct efw_pset {
	u32 off;
	u32 n;
};

/*
 * The name table is split in two so that a probe that misses (most probes)
 * touches only a small array that stays in the cache even at a million
 * rules: slots of 8 bytes, a 32-bit hash tag and the arena offset of the
 * node record. The record holds the key and the chains, so a probe that
 * hits costs one more memory access, which answers the common case: the
 * record also caches the port set of the first rule of the exact and
 * wildcard chains, so when that rule covers the port, rules[] is not read.
 */
struct efw_name_slot {
	u32 tag;	/* upper hash bits, never 0; 0 = empty slot */
	u32 rec;	/* arena offset of the struct efw_node */
};

/* Port-set hint meaning "not cached, read rules[]". */
#define EFW_PS_FAR 0xffff

/*
 * A node: a domain string and the rules filed under it: exact rules equal
 * to it, wildcards "*.node", and globs whose literal suffix is the node.
 * Records are 4-byte aligned in the arena; the key follows the header.
 */
struct efw_node {
	u32 exact;	/* chain heads (lowest id first) or EFW_NONE */
	u32 wild;
	u32 glob;	/* globs not in the glob index */
	u16 exact_ps;	/* pset of the exact / wildcard head, or EFW_PS_FAR */
	u16 wild_ps;
	u8 len;		/* key length */
	u8 gk;		/* glob index prefix length for this node, 0: none */
	char key[];
};

/*
 * Glob index: the globs of a crowded node (think hundreds of
 * "tf-presigned-url-*-bucket.s3.<region>.amazonaws.com") are filed under
 * (node, hash of the first gk bytes of their literal head), gk chosen per
 * node at build time; a query then examines one bucket instead of them all.
 * A hash collision only merges two buckets (every glob is still matched in
 * full), so the key needs no string compare.
 */
struct efw_glob_ent {
	u64 head;	/* hash of the first gk bytes */
	u32 node;	/* record of the literal suffix; EFW_NONE = empty */
	u32 chain;	/* first rule, ascending ids */
};

struct efw_names {
	struct efw_name_slot *slots;
	u32 cap;		/* slots; any value, reduced by multiply-shift */
	u32 max_labels;		/* most labels in any key: longer suffixes can't hit */
	char *arena;		/* node records; glob parts, length byte first */
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

/* Allocation that is accounted in m->mem; efw_free() as usual. */
void *efw_match_alloc(struct efw_matcher *m, size_t size, bool zero);

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
