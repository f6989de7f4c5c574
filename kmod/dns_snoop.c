// SPDX-License-Identifier: GPL-2.0
/*
 * Reading DNS answers on their way to the client, for the learned-address
 * table (dns_learn.c).
 *
 * The hooks call efw_dns_snoop() for reply-direction packets of flows
 * whose original direction went to port 53: conntrack has already tied
 * the answer to a query that left through this host (same addresses, same
 * ports), which is what makes it solicited. That a reply matches the
 * query's tuple does not make it the resolver's, though: a client behind
 * the gateway can send one itself, from the resolver's address, to its
 * own query's port. Such a forgery comes in from the client's side, so an
 * answer that arrives (FORWARD, LOCAL_IN) by an interface its source is
 * not routed through is not learned -- reverse-path filtering, done here
 * whatever rp_filter says. Answers a resolver on this host sends
 * (LOCAL_OUT) are its own. The transaction id and the question are not
 * compared with the query's: that would need per-query state.
 *
 * The answer is parsed and learned before the hook returns, so the entry
 * exists before the client can read the answer and connect.
 *
 * A message is copied (when the skb is not linear) into a per-CPU buffer
 * of EFW_SNOOP_MSG_MAX bytes, with the parser's result beside it; longer
 * messages are counted as ignored. Over TCP, each segment is read as
 * whole framed messages: a message split across segments is ignored too
 * (GRO and GSO usually hand over a whole answer in one skb).
 */
#include <linux/percpu.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <linux/bottom_half.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <net/route.h>
#include <net/ip6_route.h>
#include <net/l3mdev.h>

#include "dns_snoop.h"
#include "dns_learn.h"
#include "dns_answer.h"
#include "stats.h"

/* EDNS answers are capped at 4096 bytes by most resolvers; TCP ones double that. */
#define EFW_SNOOP_MSG_MAX 8192

struct snoop_scratch {
	u8 msg[EFW_SNOOP_MSG_MAX];
	struct efw_dns_result res;
};

static struct snoop_scratch __percpu *scratch;

static void answer(struct efw_net *en, struct efw_ruleset *rs,
		   enum efw_dns_status st, const struct efw_dns_result *res)
{
	if (st != EFW_DNS_OK) {
		efw_stat_inc(en, EFW_STAT_DNS_IGNORED);
		return;
	}
	efw_stat_inc(en, EFW_STAT_DNS_ANSWERS);
	efw_dns_learn(en, rs, res);
}

/* TCP: every framed message the segment holds whole. */
static void snoop_tcp(struct efw_net *en, struct efw_ruleset *rs,
		      const u8 *msg, unsigned int len, struct efw_dns_result *res)
{
	enum efw_dns_status st;
	size_t need;

	while (len) {
		st = efw_dns_parse_tcp(msg, len, res, &need);
		answer(en, rs, st, res);
		if (st != EFW_DNS_OK || need > len)
			return;
		msg += need;
		len -= need;
	}
}

/*
 * Is @in the interface the source of @skb is routed through? Under
 * rcu_read_lock(). A VRF's routes are looked up in its own table.
 */
static bool from_source_side(struct net *net, const struct sk_buff *skb,
			     const struct net_device *in)
{
	int l3 = l3mdev_master_ifindex_rcu(in);
	bool ok;

	if (ip_hdr(skb)->version == 4) {
		struct flowi4 fl4 = {
			.daddr = ip_hdr(skb)->saddr,
			.flowi4_oif = l3,
		};
		struct rtable *rt = ip_route_output_key(net, &fl4);

		if (IS_ERR(rt))
			return false;
		ok = rt->dst.dev == in;
		ip_rt_put(rt);
	} else {
		struct flowi6 fl6 = {
			.daddr = ipv6_hdr(skb)->saddr,
			.flowi6_oif = l3,
		};
		struct dst_entry *dst;

		/* A link-local source is only ever on the link it came by. */
		if (ipv6_addr_type(&fl6.daddr) & IPV6_ADDR_LINKLOCAL)
			return true;
		dst = ip6_route_output(net, NULL, &fl6);
		ok = !dst->error && dst->dev == in;
		dst_release(dst);
	}
	return ok;
}

void efw_dns_snoop(struct efw_net *en, struct efw_ruleset *rs,
		   const struct sk_buff *skb, const struct net_device *in,
		   u8 proto, unsigned int l4off)
{
	struct snoop_scratch *s;
	unsigned int off, len;
	const u8 *msg;

	if (proto == IPPROTO_UDP) {
		off = l4off + sizeof(struct udphdr);
	} else {
		const struct tcphdr *th;
		struct tcphdr _th;

		th = skb_header_pointer(skb, l4off, sizeof(_th), &_th);
		if (!th || th->doff < 5)
			return;
		off = l4off + th->doff * 4;
	}
	if (skb->len <= off)
		return;		/* a bare ACK, SYN|ACK or FIN: nothing to read */
	if (in && !from_source_side(en->net, skb, in)) {
		efw_stat_inc(en, EFW_STAT_DNS_WRONG_WAY);
		return;
	}
	len = skb->len - off;
	if (len > EFW_SNOOP_MSG_MAX) {
		efw_stat_inc(en, EFW_STAT_DNS_IGNORED);
		return;
	}

	/* The buffer is per CPU: no preemption, no softirq on top of us. */
	local_bh_disable();
	s = this_cpu_ptr(scratch);
	msg = skb_header_pointer(skb, off, len, s->msg);
	if (!msg)
		efw_stat_inc(en, EFW_STAT_DNS_IGNORED);
	else if (proto == IPPROTO_UDP)
		answer(en, rs, efw_dns_parse(msg, len, &s->res), &s->res);
	else
		snoop_tcp(en, rs, msg, len, &s->res);
	local_bh_enable();
}

int __init efw_dns_snoop_init(void)
{
	scratch = alloc_percpu(struct snoop_scratch);
	return scratch ? 0 : -ENOMEM;
}

void efw_dns_snoop_exit(void)
{
	free_percpu(scratch);
}
