/* SPDX-License-Identifier: GPL-2.0 */
/* DNS answers read on their way to the client (dns_snoop.c). */
#ifndef EGRESSFW_DNS_SNOOP_H
#define EGRESSFW_DNS_SNOOP_H

#include <linux/types.h>

#include "netns.h"

struct sk_buff;
struct net_device;
struct efw_ruleset;
struct nf_conn;

/*
 * Parse the answer in @skb (@proto UDP or TCP, transport at @l4off), a
 * reply of @ct, and learn. @in: the interface it came in by (NULL: sent by this host), which
 * must be the one its source is routed through.
 */
void efw_dns_snoop(struct efw_net *en, struct efw_ruleset *rs,
		   struct nf_conn *ct, const struct sk_buff *skb,
		   const struct net_device *in, u8 proto, unsigned int l4off);

/*
 * A packet of UDP flow @ct towards port 53 (transport at @l4off): note
 * it, if it is a query, as one an answer may repeat (dns_flow.h).
 */
void efw_dns_snoop_query(struct efw_net *en, struct nf_conn *ct,
			 const struct sk_buff *skb, unsigned int l4off);

int __init efw_dns_snoop_init(void);
void efw_dns_snoop_exit(void);

#endif /* EGRESSFW_DNS_SNOOP_H */
