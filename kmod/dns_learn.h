/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The learned-address table of a namespace: which addresses DNS answers
 * gave for names some rule matches, and until when.
 *
 * An entry is an (address, name) pair with an expiry. It does not hold
 * rule ids: names are matched against the ruleset in force when an entry
 * is used, so a reload neither forgets what was learned nor lets an entry
 * speak for a rule that is gone.
 *
 * Lookups (a SYN to a non-TLS port, the strict-mode check) run under RCU
 * and take no lock; learning takes the table's spinlock. The table holds
 * at most cfg.dns_max entries: a new one then pushes out the one refreshed
 * longest ago, which is counted as an eviction. Expired entries are never
 * used and are freed by a periodic sweep.
 */
#ifndef EGRESSFW_DNS_LEARN_H
#define EGRESSFW_DNS_LEARN_H

#include "netns.h"

struct efw_ruleset;
struct efw_dns_result;

/* Made at activation, freed at deactivation (flush, namespace exit). */
int efw_dns_table_create(struct efw_net *en);
void efw_dns_table_destroy(struct efw_net *en);

/*
 * Learn from a parsed answer: for every name of its chain that some rule
 * of @rs matches, every address, for @res->min_ttl clamped plus grace.
 * Softirq or process context; allocates with GFP_ATOMIC.
 */
void efw_dns_learn(struct efw_net *en, struct efw_ruleset *rs,
		   const struct efw_dns_result *res);

/*
 * The lowest rule of @rs covering (@proto, @port) whose pattern matches a
 * live entry's name for @addr; -1 if none. *@name (if not NULL) is set to
 * that entry's name, valid until the caller leaves its RCU section.
 * Caller holds rcu_read_lock().
 */
s32 efw_dns_lookup(struct efw_net *en, struct efw_ruleset *rs, u8 family,
		   const u8 *addr, u8 proto, u16 port, const char **name);

/*
 * A live entry's name for @addr, the one learned last, whatever the
 * rules; NULL if none. Valid until the caller leaves its RCU section.
 */
const char *efw_dns_name_of(struct efw_net *en, u8 family, const u8 *addr);

/* Whether @addr has a live entry whose name rule @rule matches. RCU. */
bool efw_dns_learned_for(struct efw_net *en, struct efw_ruleset *rs,
			 u8 family, const u8 *addr, u32 rule);

/* The lowest rule of @rs (may be NULL) matching @name, any port; -1 if none. */
s32 efw_dns_first_rule(const struct efw_ruleset *rs, const char *name);

/* Entries now (0 when inactive). */
u32 efw_dns_count(struct efw_net *en);

/*
 * Count, into @rs's per-rule "learned" counters, the entries learned
 * before @rs was published. Process context, after the swap.
 */
void efw_dns_recount(struct efw_net *en, struct efw_ruleset *rs);

/* One entry as /proc and the dump show it. */
struct efw_dns_view {
	u8 family;
	u8 addr[16];
	const char *name;
	u32 expires_in;		/* seconds */
	u32 ttl;		/* seconds, clamped, grace excluded */
};

/*
 * Visit the live entries from hash bucket *@bucket on, under RCU, until
 * @fn returns non-zero; *@bucket and *@skip say where to resume (entries
 * of *@bucket already visited). Returns @fn's last value.
 */
int efw_dns_walk(struct efw_net *en, unsigned long *bucket, unsigned long *skip,
		 int (*fn)(void *ctx, const struct efw_dns_view *v), void *ctx);

#endif /* EGRESSFW_DNS_LEARN_H */
