// SPDX-License-Identifier: GPL-2.0
/*
 * Deny events: one EGRESSFW_CMD_EVENT message on the "events" multicast
 * group per denied flow (or, in audit mode, per flow that would have been
 * denied), for `egressctl monitor`.
 *
 * Nothing is built when nobody listens. A flood of denies (a scan, a
 * misconfigured client) must not become a flood of messages: each
 * namespace sends at most EFW_EVENTS_BURST per EFW_EVENTS_INTERVAL, and
 * counts what it held back (EGRESSFW_STATS_A_EVENTS_SUPPRESSED).
 */
#include <linux/ratelimit.h>
#include <linux/timekeeping.h>
#include <net/genetlink.h>

#include "events.h"
#include "netlink.h"
#include "stats.h"

#define EFW_EVENTS_INTERVAL	HZ
#define EFW_EVENTS_BURST	100

void efw_events_init(struct efw_net *en)
{
	ratelimit_state_init(&en->events_rs, EFW_EVENTS_INTERVAL,
			     EFW_EVENTS_BURST);
	/* The counter says what was held back; no "callbacks suppressed" line. */
	ratelimit_set_flags(&en->events_rs, RATELIMIT_MSG_ON_RELEASE);
}

static int fill(struct sk_buff *msg, const struct efw_event *ev)
{
	unsigned int alen = ev->family == 4 ? 4 : 16;
	struct nlattr *nest;

	nest = nla_nest_start(msg, EGRESSFW_A_EVENT);
	if (!nest ||
	    nla_put_u64_64bit(msg, EGRESSFW_EVENT_A_TIME_NS, ktime_get_real_ns(),
			      EGRESSFW_EVENT_A_PAD) ||
	    nla_put_u8(msg, EGRESSFW_EVENT_A_FAMILY, ev->family) ||
	    nla_put(msg, EGRESSFW_EVENT_A_SADDR, alen, ev->saddr) ||
	    nla_put(msg, EGRESSFW_EVENT_A_DADDR, alen, ev->daddr) ||
	    nla_put_u8(msg, EGRESSFW_EVENT_A_PROTO, ev->proto) ||
	    nla_put_u16(msg, EGRESSFW_EVENT_A_DPORT, ev->dport) ||
	    (ev->name && nla_put_string(msg, EGRESSFW_EVENT_A_NAME, ev->name)) ||
	    nla_put_u8(msg, EGRESSFW_EVENT_A_REASON, ev->reason) ||
	    (ev->audit && nla_put_flag(msg, EGRESSFW_EVENT_A_AUDIT)) ||
	    (ev->rule >= 0 && nla_put_u32(msg, EGRESSFW_EVENT_A_RULE, ev->rule)))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

void efw_event(struct efw_net *en, const struct efw_event *ev)
{
	struct sk_buff *msg;
	void *hdr;

	if (!genl_has_listeners(&efw_family, en->net, EFW_MCGRP_EVENTS_ID))
		return;
	if (!__ratelimit(&en->events_rs)) {
		efw_stat_inc(en, EFW_STAT_EVENTS_SUPPRESSED);
		return;
	}
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_ATOMIC);
	if (!msg)
		goto lost;
	hdr = genlmsg_put(msg, 0, 0, &efw_family, 0, EGRESSFW_CMD_EVENT);
	if (!hdr || fill(msg, ev)) {
		nlmsg_free(msg);
		goto lost;
	}
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(&efw_family, en->net, msg, 0,
				EFW_MCGRP_EVENTS_ID, GFP_ATOMIC);
	return;
lost:
	efw_stat_inc(en, EFW_STAT_EVENTS_SUPPRESSED);
}
