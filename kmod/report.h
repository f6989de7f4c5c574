/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The report of denials (report.c): per namespace, for rolling out a
 * list. Every denial (in audit mode: every would-be denial) is counted
 * under its name (the SNI or the name learned for the address), or its
 * address when no name is known, and its protocol and port. At most
 * EGRESSFW_REPORT_MAX entries; a denial that finds the table full is
 * counted as report_full. It outlives flush and reload (a rollout spans
 * several loads) and is emptied by EGRESSFW_CMD_CLEAR_REPORT.
 */
#ifndef EGRESSFW_REPORT_H
#define EGRESSFW_REPORT_H

#include <linux/skbuff.h>
#include <linux/netlink.h>

#include "netns.h"
#include "events.h"

/* Made at the first activation (under en->lock), freed at namespace exit. */
int efw_report_create(struct efw_net *en);
void efw_report_destroy(struct efw_net *en);

/* Count one denial. Softirq; allocates with GFP_ATOMIC. */
void efw_report_note(struct efw_net *en, const struct efw_event *ev);

void efw_report_clear(struct efw_net *en);

/* The GET_REPORT dump: cb->args[0] is the next entry's position. */
int efw_report_dump(struct efw_net *en, struct sk_buff *skb,
		    struct netlink_callback *cb);

#endif /* EGRESSFW_REPORT_H */
