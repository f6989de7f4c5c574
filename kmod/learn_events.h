/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Learn events on the "learned" multicast group, and the nft sets a
 * learned name belongs to (learn_events.c). The module keeps each rule's
 * set string (EGRESSFW_RULE_A_SET) only to repeat it: `egressctl
 * nft-sync` turns these messages into nft set elements.
 */
#ifndef EGRESSFW_LEARN_EVENTS_H
#define EGRESSFW_LEARN_EVENTS_H

#include <linux/skbuff.h>
#include <linux/types.h>

#include "netns.h"

struct efw_ruleset;

/* Distinct sets one name may carry; more are left out (uapi says 4). */
#define EFW_SETS_PER_NAME 4

/*
 * The distinct non-empty sets of the rules of @rs whose pattern matches
 * @name, in rule order, into @sets; returns how many. RCU or en->lock.
 */
u32 efw_sets_of(const struct efw_ruleset *rs, const char *name, u32 len,
		const char *sets[EFW_SETS_PER_NAME]);

/* Put one EGRESSFW_CACHE_A_SET per set of @name; -EMSGSIZE if no room. */
int efw_put_sets(struct sk_buff *msg, const struct efw_ruleset *rs,
		 const char *name);

/* What one learn or refresh tells the listeners. */
struct efw_learn_event {
	u8 family;
	const u8 *addr;
	const char *name;
	u8 name_len;
	u32 ttl;		/* seconds, clamped */
	u32 expires_in;		/* seconds: ttl + grace */
};

/*
 * Tell the "learned" group's listeners in @en's namespace, if any and if
 * the name belongs to a set. Softirq or process context.
 */
void efw_learn_event(struct efw_net *en, const struct efw_ruleset *rs,
		     const struct efw_learn_event *ev);

#endif /* EGRESSFW_LEARN_EVENTS_H */
