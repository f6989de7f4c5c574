/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which side a reply came in from (reply_side.c): a client behind the
 * gateway can send packets with its server's (or resolver's) address as
 * the source, and conntrack files them as that flow's replies.
 */
#ifndef EGRESSFW_REPLY_SIDE_H
#define EGRESSFW_REPLY_SIDE_H

#include <linux/types.h>

struct net;
struct sk_buff;
struct net_device;
struct efw_config;

/*
 * May @skb, a reply-direction packet that came in by @in (NULL: sent by
 * this host), be taken as its source's? With egress interfaces set
 * (@cfg), only when it came in by one of them. Under rcu_read_lock().
 */
bool efw_reply_from_peer_side(struct net *net, const struct efw_config *cfg,
			      const struct sk_buff *skb,
			      const struct net_device *in);

#endif /* EGRESSFW_REPLY_SIDE_H */
