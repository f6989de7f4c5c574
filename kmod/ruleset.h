/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Rulesets (ruleset.c): the rules of a load transaction, compiled into a
 * matcher plus what the dump and /proc show. A ruleset is immutable once
 * published under RCU, and freed after a grace period; its per-rule
 * counters are the only part written after publication.
 */
#ifndef EGRESSFW_RULESET_H
#define EGRESSFW_RULESET_H

#include <linux/types.h>
#include <linux/atomic.h>
#include <linux/rcupdate.h>
#include <linux/string.h>
#include <uapi/linux/egressfw.h>

#include "match.h"

/* One rule as the kernel keeps it: what the dump and /proc print. */
struct efw_rule_meta {
	u32 text;		/* offset of "PATTERN\0SOURCE\0SET\0" in the text arena */
	u32 ports_off;		/* first range in ruleset->ports */
	u32 n_ports;
	u8 kind;		/* enum efw_kind */
};

/* Connection counters of one rule; bumped once per flow, not per packet. */
struct efw_rule_ctr {
	atomic64_t allowed;
	atomic64_t allowed_dns;	/* of those, by a DNS-learned address */
	unsigned long last_hit;	/* jiffies; 0 = never */
	atomic_t learned;	/* learned entries whose name it matches */
};

struct efw_ruleset {
	struct efw_matcher *matcher;
	u32 n_rules;
	u32 generation;
	u8 origin;			/* enum egressfw_origin */
	bool has_sets;			/* some rule has an nft set (learn_events.h) */
	struct efw_rule_meta *meta;
	struct efw_port_range *ports;
	char *text;
	struct efw_rule_ctr *ctr;
	/* ports any rule names: guarded on top of the fixed set */
	unsigned long *tcp_ports;	/* 65536-bit maps */
	unsigned long *udp_ports;
	struct rcu_head rcu;
};

/*
 * A pattern as the transaction stores it, so that a million rules do not
 * cost a million 280-byte struct efw_pattern until commit time.
 */
struct efw_pattern_lite {
	u8 kind;
	u8 prefix_len;
	u16 name_len;
	u32 text;		/* offset of "PATTERN\0SOURCE\0SET\0" in txn->text */
	u32 ports_off;		/* first range in txn->ports */
	u32 n_ports;
	u8 addr[16];
};

/* An open replace transaction: the rules received so far. */
struct efw_txn {
	u32 id;
	u32 portid;		/* the socket that owns it */
	unsigned long touched;	/* jiffies of its last message */
	u32 n_rules, cap_rules;
	struct efw_pattern_lite *rules;
	struct efw_port_range *ports;
	u32 n_ports, cap_ports;
	char *text;		/* "PATTERN\0SOURCE\0SET\0" per rule */
	u32 text_len, text_cap;
	u32 max_rules;		/* EGRESSFW_MAX_RULES or EFW_USER_MAX_RULES */
};

/*
 * Rules a namespace of an unprivileged user may load (netns.h): a list
 * of vendor services is tens of names; this is thousands of lists.
 */
#define EFW_USER_MAX_RULES	65536

int efw_txn_add_rule(struct efw_txn *txn, u32 id, const char *pattern,
		     size_t pattern_len, const struct efw_port_range *ports,
		     u32 n_ports, const char *source, const char *set,
		     const char **msg);
void efw_txn_free(struct efw_txn *txn);

/*
 * Compile @txn. Its port and text arrays move into the ruleset, so @txn
 * is spent whatever the outcome and must be freed by the caller.
 */
struct efw_ruleset *efw_ruleset_build(struct efw_txn *txn, u32 generation,
				      int *err);
void efw_ruleset_free(struct efw_ruleset *rs);
void efw_ruleset_free_rcu(struct efw_ruleset *rs);

static inline const char *efw_rule_pattern(const struct efw_ruleset *rs, u32 i)
{
	return rs->text + rs->meta[i].text;
}

static inline const char *efw_rule_source(const struct efw_ruleset *rs, u32 i)
{
	const char *p = efw_rule_pattern(rs, i);

	return p + strlen(p) + 1;
}

/* The rule's nft set string (EGRESSFW_RULE_A_SET), "" if none. */
static inline const char *efw_rule_set(const struct efw_ruleset *rs, u32 i)
{
	const char *p = efw_rule_source(rs, i);

	return p + strlen(p) + 1;
}

void efw_rule_hit(struct efw_ruleset *rs, u32 rule, bool by_dns);
int efw_format_ports(const struct efw_port_range *r, u32 n, char *buf,
		     size_t size);

#endif /* EGRESSFW_RULESET_H */
