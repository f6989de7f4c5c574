// SPDX-License-Identifier: GPL-2.0
/*
 * Telling both ends of a denied connection: the client gets a TCP reset
 * (ICMP administratively prohibited for UDP) so it fails at once instead
 * of timing out; the server, which may already hold a half-received
 * ClientHello, gets a reset made from the client's own segment.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/tcp.h>
#include <net/ip6_checksum.h>
#include <net/netfilter/ipv4/nf_reject.h>
#include <net/netfilter/ipv6/nf_reject.h>
#include <linux/netfilter.h>

#include "reject.h"

void efw_reject(struct net *net, struct sk_buff *skb,
		const struct nf_hook_state *state, u8 proto)
{
	bool v4 = state->pf == NFPROTO_IPV4;

	if (proto == IPPROTO_TCP) {
		if (v4)
			nf_send_reset(net, state->sk, skb, state->hook);
		else
			nf_send_reset6(net, state->sk, skb, state->hook);
	} else if (v4) {
		nf_send_unreach(skb, ICMP_PKT_FILTERED, state->hook);
	} else {
		nf_send_unreach6(net, skb, ICMPV6_ADM_PROHIBITED, state->hook);
	}
}

/*
 * Turn the segment at @l4off into a bare RST|ACK with the same sequence
 * number, which is exactly what its receiver expects next, so it tears
 * the connection down at once (RFC 5961 3.2). Returns false if the
 * packet cannot be rewritten; the caller then just drops it.
 */
bool efw_segment_to_reset(struct sk_buff *skb, u8 family, unsigned int l4off)
{
	unsigned int nhoff = skb_network_offset(skb), tcplen;
	struct tcphdr *th;
	struct tcphdr _th;
	const struct tcphdr *oth;

	oth = skb_header_pointer(skb, l4off, sizeof(_th), &_th);
	if (!oth || oth->doff < 5)
		return false;
	tcplen = oth->doff * 4;
	if (l4off + tcplen > skb->len)
		return false;
	if (pskb_trim(skb, l4off + tcplen) ||
	    skb_ensure_writable(skb, l4off + tcplen))
		return false;
	if (skb_is_gso(skb))
		skb_gso_reset(skb);

	th = (struct tcphdr *)(skb->data + l4off);
	th->fin = 0;
	th->syn = 0;
	th->psh = 0;
	th->urg = 0;
	th->rst = 1;
	th->ack = 1;
	th->urg_ptr = 0;
	th->check = 0;
	if (family == 4) {
		struct iphdr *iph = (struct iphdr *)(skb->data + nhoff);

		iph->tot_len = htons(skb->len - nhoff);
		ip_send_check(iph);
		th->check = tcp_v4_check(tcplen, iph->saddr, iph->daddr,
					 csum_partial(th, tcplen, 0));
	} else {
		struct ipv6hdr *ip6h = (struct ipv6hdr *)(skb->data + nhoff);

		ip6h->payload_len = htons(skb->len - nhoff - sizeof(*ip6h));
		th->check = tcp_v6_check(tcplen, &ip6h->saddr, &ip6h->daddr,
					 csum_partial(th, tcplen, 0));
	}
	skb->ip_summed = CHECKSUM_NONE;
	return true;
}
