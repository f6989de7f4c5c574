// SPDX-License-Identifier: GPL-2.0
/*
 * The netfilter hooks: where a guarded connection gets its verdict.
 *
 * Hooks sit at LOCAL_OUT (the host's own connections) and FORWARD (a
 * gateway's clients), IPv4 and IPv6, after conntrack and after the filter
 * table and DNAT, so the address judged is the one the packet really
 * goes to (the reply tuple's source).
 *
 * Per packet, in order:
 *   1. no ruleset in this namespace, no conntrack entry, or an entry made
 *      before egressfw was active here (no label extension): pass;
 *   2. the flow has the ALLOW label bit: pass;
 *   3. a reply-direction packet: pass (only the initiator is judged);
 *      a flow with the DENY bit: drop;
 *   4. the flow is not guarded: label it ALLOW, pass;
 *   5. first packet of the flow: a CIDR rule decides at once; on a TLS
 *      port a SYN starts reassembly (flow.c) and passes; otherwise the
 *      flow is denied (DNS-learned addresses come with DNS learning);
 *   6. a flow waiting for its ClientHello: feed the segment; the segment
 *      that completes the hello carries the verdict.
 * A flow that was already open when the ruleset was loaded (undecided,
 * not new, not pending) is left alone and labelled ALLOW.
 *
 * Segments before the one that completes the ClientHello pass to the
 * server: holding them would cost every Chrome connection a retransmit
 * timeout. The price is that a denied client can deliver at most
 * hello_max bytes that parse as the start of a ClientHello; they never
 * reach an application, since the server's TLS stack is then reset.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <net/ipv6.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_labels.h>

#include "efw.h"
#include "flow.h"

/* After the filter table (0) and DNAT (-100), before SNAT. */
#define EFW_HOOK_PRIORITY 10

struct pkt {
	struct net *net;
	struct efw_net *en;
	struct efw_ruleset *rs;
	struct nf_conn *ct;
	struct nf_conn_labels *labels;
	u8 family;		/* 4 or 6 */
	u8 proto;
	u16 dport;		/* host order, real destination */
	const u8 *daddr;	/* real destination, network order */
	unsigned int l4off;	/* transport header offset */
};

static bool is_tls_port(const struct efw_config *cfg, u16 port)
{
	u32 i, n = READ_ONCE(cfg->n_tls_ports);

	for (i = 0; i < n && i < EFW_MAX_TLS_PORTS; i++)
		if (READ_ONCE(cfg->tls_ports[i]) == port)
			return true;
	return false;
}

/* TCP 443/22/25, UDP 443, the TLS ports and every port the list names. */
static bool is_guarded(const struct pkt *p)
{
	if (p->proto == IPPROTO_TCP)
		return p->dport == 443 || p->dport == 22 || p->dport == 25 ||
		       test_bit(p->dport, p->rs->tcp_ports) ||
		       is_tls_port(&p->en->cfg, p->dport);
	if (p->proto == IPPROTO_UDP)
		return p->dport == 443 || test_bit(p->dport, p->rs->udp_ports);
	return false;
}

static bool audit(const struct efw_net *en)
{
	return READ_ONCE(en->cfg.mode) == EGRESSFW_MODE_AUDIT;
}

static unsigned int allow(struct pkt *p, enum efw_stat kind, s32 rule)
{
	set_bit(EFW_LABEL_ALLOW, p->labels->bits);
	efw_stat_inc(p->en, EFW_STAT_FLOWS);
	efw_stat_inc(p->en, kind);
	if (rule >= 0)
		efw_rule_hit(p->rs, (u32)rule);
	return NF_ACCEPT;
}

/*
 * Deny: drop the packet and reset the client (ICMP for UDP); in audit
 * mode count it and let the flow go on, labelled ALLOW so it is counted
 * once.
 */
static unsigned int deny(struct pkt *p, struct sk_buff *skb,
			 const struct nf_hook_state *state,
			 enum egressfw_deny_reason why, bool reset_server)
{
	efw_stat_inc(p->en, EFW_STAT_FLOWS);
	efw_stat_inc(p->en, EFW_STAT_DENIED + why);
	if (audit(p->en)) {
		set_bit(EFW_LABEL_ALLOW, p->labels->bits);
		return NF_ACCEPT;
	}
	set_bit(EFW_LABEL_DENY, p->labels->bits);
	efw_reject(p->net, skb, state, p->proto);
	/* The segment itself becomes the server's RST. */
	if (reset_server && efw_reset_server(skb, p->family, p->l4off))
		return NF_ACCEPT;
	return NF_DROP;
}

/* Where the transport header starts; false if it cannot be found. */
static bool find_l4(struct sk_buff *skb, struct pkt *p)
{
	if (p->family == 4) {
		p->l4off = skb_network_offset(skb) + ip_hdrlen(skb);
		return true;
	} else {
		u8 nexthdr = ipv6_hdr(skb)->nexthdr;
		__be16 frag_off;
		int off;

		off = ipv6_skip_exthdr(skb, skb_network_offset(skb) +
				       sizeof(struct ipv6hdr), &nexthdr,
				       &frag_off);
		if (off < 0 || nexthdr != p->proto)
			return false;
		p->l4off = off;
		return true;
	}
}

static unsigned int pending_packet(struct pkt *p, struct sk_buff *skb,
				   const struct nf_hook_state *state);

static unsigned int first_packet(struct pkt *p, struct sk_buff *skb,
				 const struct nf_hook_state *state)
{
	const struct tcphdr *th;
	struct tcphdr _th;
	s32 rule;
	int ret;

	rule = efw_match_addr(p->rs->matcher, p->family, p->daddr, p->proto,
			      p->dport);
	if (rule >= 0)
		return allow(p, EFW_STAT_ALLOWED_CIDR, rule);

	if (p->proto != IPPROTO_TCP || !is_tls_port(&p->en->cfg, p->dport))
		return deny(p, skb, state, EGRESSFW_DENY_NO_MATCH, false);

	th = skb_header_pointer(skb, p->l4off, sizeof(_th), &_th);
	if (!th)
		return NF_DROP;
	/*
	 * A flow picked up mid-stream (conntrack flushed, asymmetric
	 * routes) has no ClientHello left to read: it cannot be judged.
	 */
	if (!th->syn || th->ack)
		return deny(p, skb, state, EGRESSFW_DENY_MALFORMED, false);
	ret = efw_pending_start(p->en, p->ct, ntohl(th->seq) + 1);
	if (ret == -ENOSPC)
		return deny(p, skb, state, EGRESSFW_DENY_PENDING_OVERFLOW, false);
	if (ret)
		return NF_DROP;	/* no memory: the client resends its SYN */
	set_bit(EFW_LABEL_PENDING, p->labels->bits);
	/* TCP Fast Open: the SYN may carry the start of the ClientHello. */
	if (skb->len > p->l4off + th->doff * 4)
		return pending_packet(p, skb, state);
	return NF_ACCEPT;
}

/* Judge a complete ClientHello. */
static unsigned int judge_hello(struct pkt *p, struct sk_buff *skb,
				const struct nf_hook_state *state,
				enum efw_tls_status status,
				const struct efw_tls_hello *hello)
{
	s32 rule;

	switch (status) {
	case EFW_TLS_OK:
		break;
	case EFW_TLS_NOT_TLS:
		return deny(p, skb, state, EGRESSFW_DENY_NOT_TLS, true);
	default:
		return deny(p, skb, state, EGRESSFW_DENY_MALFORMED, true);
	}
	if (hello->flags & EFW_TLS_F_NO_SNI)
		return deny(p, skb, state, EGRESSFW_DENY_NO_SNI, true);
	rule = efw_match_name(p->rs->matcher, hello->sni, hello->sni_len,
			      IPPROTO_TCP, p->dport);
	if (rule < 0)
		return deny(p, skb, state, EGRESSFW_DENY_NO_MATCH, true);
	return allow(p, EFW_STAT_ALLOWED_SNI, rule);
}

static unsigned int pending_packet(struct pkt *p, struct sk_buff *skb,
				   const struct nf_hook_state *state)
{
	enum efw_tls_status status = EFW_TLS_NEED_MORE;
	struct efw_tls_hello hello;
	const struct tcphdr *th;
	struct tcphdr _th;
	unsigned int doff, len;

	th = skb_header_pointer(skb, p->l4off, sizeof(_th), &_th);
	if (!th)
		return NF_DROP;
	doff = p->l4off + th->doff * 4;
	if (th->doff < 5 || doff > skb->len)
		return NF_DROP;
	len = skb->len - doff;
	if (!len) {
		if (th->rst || th->fin)
			efw_pending_forget(p->en, p->ct);
		return NF_ACCEPT;	/* the handshake's ACK, a keepalive */
	}

	/* A SYN's data starts one past its sequence number (Fast Open). */
	switch (efw_pending_feed(p->en, p->ct, skb, doff,
				 ntohl(th->seq) + th->syn, len, &status,
				 &hello)) {
	case EFW_FEED_MORE:
		return NF_ACCEPT;
	case EFW_FEED_HOLD:
		return NF_DROP;
	case EFW_FEED_DONE:
		return judge_hello(p, skb, state, status, &hello);
	case EFW_FEED_CONFLICT:
		return deny(p, skb, state, EGRESSFW_DENY_MALFORMED, true);
	case EFW_FEED_NOMEM:
	case EFW_FEED_GONE:
	case EFW_FEED_TIMEOUT:
	default:
		return deny(p, skb, state, EGRESSFW_DENY_TIMEOUT, true);
	}
}

static unsigned int efw_hook(void *priv, struct sk_buff *skb,
			     const struct nf_hook_state *state)
{
	const struct nf_conntrack_tuple *reply;
	enum ip_conntrack_info ctinfo;
	struct pkt p = { .net = state->net };

	p.ct = nf_ct_get(skb, &ctinfo);
	if (!p.ct)
		return NF_ACCEPT;
	p.labels = nf_ct_labels_find(p.ct);
	if (!p.labels)
		return NF_ACCEPT;
	/* The fast path of every decided flow: one bit test each. */
	if (test_bit(EFW_LABEL_ALLOW, p.labels->bits))
		return NF_ACCEPT;
	/*
	 * Before the DENY test: the reset we send a denied client is
	 * attached to its flow, in the reply direction.
	 */
	if (CTINFO2DIR(ctinfo) != IP_CT_DIR_ORIGINAL)
		return NF_ACCEPT;
	if (test_bit(EFW_LABEL_DENY, p.labels->bits))
		return NF_DROP;

	p.en = efw_net(p.net);
	p.rs = rcu_dereference(p.en->ruleset);
	if (!p.rs)
		return NF_ACCEPT;

	reply = &p.ct->tuplehash[IP_CT_DIR_REPLY].tuple;
	p.family = state->pf == NFPROTO_IPV4 ? 4 : 6;
	p.proto = reply->dst.protonum;
	p.daddr = (const u8 *)&reply->src.u3;
	p.dport = ntohs(reply->src.u.all);
	if (!is_guarded(&p)) {
		set_bit(EFW_LABEL_ALLOW, p.labels->bits);
		return NF_ACCEPT;
	}
	efw_stat_inc(p.en, EFW_STAT_PACKETS);
	if (!find_l4(skb, &p))
		return NF_DROP;

	if (test_bit(EFW_LABEL_PENDING, p.labels->bits))
		return pending_packet(&p, skb, state);
	if (ctinfo == IP_CT_NEW)
		return first_packet(&p, skb, state);
	/* Open before the ruleset was loaded: not ours to cut. */
	set_bit(EFW_LABEL_ALLOW, p.labels->bits);
	return NF_ACCEPT;
}

static const struct nf_hook_ops efw_ops[] = {
	{
		.hook = efw_hook,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_LOCAL_OUT,
		.priority = EFW_HOOK_PRIORITY,
	},
	{
		.hook = efw_hook,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_FORWARD,
		.priority = EFW_HOOK_PRIORITY,
	},
	{
		.hook = efw_hook,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_LOCAL_OUT,
		.priority = EFW_HOOK_PRIORITY,
	},
	{
		.hook = efw_hook,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_FORWARD,
		.priority = EFW_HOOK_PRIORITY,
	},
};

int efw_hooks_register(struct net *net)
{
	return nf_register_net_hooks(net, efw_ops, ARRAY_SIZE(efw_ops));
}

void efw_hooks_unregister(struct net *net)
{
	nf_unregister_net_hooks(net, efw_ops, ARRAY_SIZE(efw_ops));
}
