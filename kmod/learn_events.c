// SPDX-License-Identifier: GPL-2.0
/*
 * Learn events: one EGRESSFW_CMD_LEARNED message per (address, name)
 * learned or refreshed whose name a rule with an nft set matches.
 *
 * Unlike deny events these are not rate limited: a learn is the answer
 * to a query its flow sent (dns_flow.c), so a client cannot make more of
 * them than it makes answered queries, and the message goes only to
 * listeners an admin started. A listener that falls behind loses
 * messages (its socket buffer overflows, it reads ENOBUFS) and reads the
 * table again (GET_CACHE): nothing here waits for it.
 */
#include <net/genetlink.h>

#include "learn_events.h"
#include "match.h"
#include "netlink.h"
#include "ruleset.h"

/*
 * One message's size at most: many are made in softirq when answers
 * come fast, so not a page each (NLMSG_GOODSIZE).
 */
#define EFW_LEARN_MSG_SIZE						\
	(nla_total_size(0) + nla_total_size(sizeof(u8)) +		\
	 nla_total_size(16) + nla_total_size(EFW_NAME_MAX + 1) +	\
	 2 * nla_total_size(sizeof(u32)) +				\
	 EFW_SETS_PER_NAME * nla_total_size(EGRESSFW_SET_MAX))

struct sets_ctx {
	const struct efw_ruleset *rs;
	const char **sets;
	u32 n;
};

static int add_set(void *ctx, u32 rule)
{
	struct sets_ctx *c = ctx;
	const char *set = efw_rule_set(c->rs, rule);
	u32 i;

	if (!*set)
		return 0;
	for (i = 0; i < c->n; i++)
		if (!strcmp(c->sets[i], set))
			return 0;
	c->sets[c->n++] = set;
	/* Non-zero stops the walk: the array is full. */
	return c->n == EFW_SETS_PER_NAME;
}

u32 efw_sets_of(const struct efw_ruleset *rs, const char *name, u32 len,
		const char *sets[EFW_SETS_PER_NAME])
{
	struct sets_ctx c = { .rs = rs, .sets = sets };

	if (rs && rs->has_sets)
		efw_match_name_each(rs->matcher, name, len, add_set, &c);
	return c.n;
}

int efw_put_sets(struct sk_buff *msg, const struct efw_ruleset *rs,
		 const char *name)
{
	const char *sets[EFW_SETS_PER_NAME];
	u32 i, n = efw_sets_of(rs, name, strlen(name), sets);

	for (i = 0; i < n; i++)
		if (nla_put_string(msg, EGRESSFW_CACHE_A_SET, sets[i]))
			return -EMSGSIZE;
	return 0;
}

void efw_learn_event(struct efw_net *en, const struct efw_ruleset *rs,
		     const struct efw_learn_event *ev)
{
	const char *sets[EFW_SETS_PER_NAME];
	struct sk_buff *msg;
	struct nlattr *nest;
	void *hdr;
	u32 i, n;

	if (!genl_has_listeners(&efw_family, en->net, EFW_MCGRP_LEARNED_ID))
		return;
	n = efw_sets_of(rs, ev->name, ev->name_len, sets);
	if (!n)
		return;
	msg = genlmsg_new(EFW_LEARN_MSG_SIZE, GFP_ATOMIC);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &efw_family, 0, EGRESSFW_CMD_LEARNED);
	if (!hdr)
		goto fail;
	nest = nla_nest_start(msg, EGRESSFW_A_CACHE);
	if (!nest ||
	    nla_put_u8(msg, EGRESSFW_CACHE_A_FAMILY, ev->family) ||
	    nla_put(msg, EGRESSFW_CACHE_A_ADDR, ev->family == 4 ? 4 : 16,
		    ev->addr) ||
	    nla_put_string(msg, EGRESSFW_CACHE_A_NAME, ev->name) ||
	    nla_put_u32(msg, EGRESSFW_CACHE_A_EXPIRES, ev->expires_in) ||
	    nla_put_u32(msg, EGRESSFW_CACHE_A_TTL, ev->ttl))
		goto fail;
	for (i = 0; i < n; i++)
		if (nla_put_string(msg, EGRESSFW_CACHE_A_SET, sets[i]))
			goto fail;
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(&efw_family, en->net, msg, 0,
				EFW_MCGRP_LEARNED_ID, GFP_ATOMIC);
	return;
fail:
	nlmsg_free(msg);
}
