// SPDX-License-Identifier: GPL-2.0
/*
 * Which side a reply came in from (see reply_side.h).
 *
 * A reply is taken as its source's when it came in by the interface that
 * source is routed through (reverse-path filtering, done here whatever
 * rp_filter says), or else when it did not come in by the interface the
 * flow's client is routed through. The first alone would refuse every
 * reply on a gateway whose routes are asymmetric (two uplinks, policy
 * routing); the second alone would refuse every reply on a one-armed
 * gateway, whose clients and servers sit behind one interface. Together
 * they refuse what matters: a reply from the client's side, on a gateway
 * where the source is routed elsewhere. On a one-armed gateway a client
 * can still forge its server's replies; README "Threat model" says so.
 *
 * At LOCAL_IN the client is this host: a reply there is anyone's but the
 * client's, and is taken (an unprivileged process cannot forge one).
 *
 * A gateway that names its egress interfaces (egress.h) has said where
 * servers are: a reply is taken only when it came in by one of them,
 * whatever the routes say.
 */
#include <linux/skbuff.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <net/route.h>
#include <net/ip6_route.h>
#include <net/l3mdev.h>

#include "reply_side.h"
#include "egress.h"

/* The interface @addr is routed through, compared with @in. */
static bool routed_via4(struct net *net, __be32 addr,
			const struct net_device *in, int l3)
{
	struct flowi4 fl4 = { .daddr = addr, .flowi4_oif = l3 };
	struct rtable *rt = ip_route_output_key(net, &fl4);
	bool ok;

	if (IS_ERR(rt))
		return false;
	ok = rt->dst.dev == in;
	ip_rt_put(rt);
	return ok;
}

static bool routed_via6(struct net *net, const struct in6_addr *addr,
			const struct net_device *in, int l3)
{
	struct flowi6 fl6 = { .daddr = *addr, .flowi6_oif = l3 };
	struct dst_entry *dst;
	bool ok;

	/* A link-local address is only ever on the link it came by. */
	if (ipv6_addr_type(addr) & IPV6_ADDR_LINKLOCAL)
		return true;
	dst = ip6_route_output(net, NULL, &fl6);
	ok = !dst->error && dst->dev == in;
	dst_release(dst);
	return ok;
}

bool efw_reply_from_peer_side(struct net *net, const struct efw_config *cfg,
			      const struct sk_buff *skb,
			      const struct net_device *in)
{
	/* A VRF's routes are looked up in its own table. */
	int l3;

	if (!in)
		return true;	/* this host's own */
	if (efw_egress_set(cfg))
		return efw_egress_dev(cfg, in);
	l3 = l3mdev_master_ifindex_rcu(in);
	if (ip_hdr(skb)->version == 4)
		return routed_via4(net, ip_hdr(skb)->saddr, in, l3) ||
		       !routed_via4(net, ip_hdr(skb)->daddr, in, l3);
	return routed_via6(net, &ipv6_hdr(skb)->saddr, in, l3) ||
	       !routed_via6(net, &ipv6_hdr(skb)->daddr, in, l3);
}
