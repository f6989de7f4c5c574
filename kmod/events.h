/* SPDX-License-Identifier: GPL-2.0 */
/* Deny events on the "events" multicast group (events.c). */
#ifndef EGRESSFW_EVENTS_H
#define EGRESSFW_EVENTS_H

#include <linux/types.h>

#include "netns.h"

struct efw_event {
	u8 family, proto, reason;
	bool audit;
	u16 dport;
	s32 rule;		/* -1: none */
	const u8 *saddr, *daddr;
	const char *name;	/* SNI or learned name, or NULL */
};

void efw_events_init(struct efw_net *en);

/* Send @ev to the namespace's listeners, if any (rate-limited). */
void efw_event(struct efw_net *en, const struct efw_event *ev);

#endif /* EGRESSFW_EVENTS_H */
