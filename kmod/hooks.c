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
 *   1. no conntrack entry, or an entry made before egressfw was active
 *      here (no label extension): pass. A new entry without the
 *      extension (its allocation failed) is not of that kind: a guarded
 *      flow's first packet is then dropped, and the client retries;
 *   2. a reply-direction packet: pass; first, if its flow went to port 53,
 *      read it as a DNS answer and learn from it (dns_snoop.c), so the
 *      address is known before the client can use it (a UDP flow's
 *      queries, noted as they leave, say which answers it awaits); if its
 *      flow has a
 *      pending entry, give it the server's acknowledgement number (where
 *      the stream starts, what has arrived), and if the flow still waits
 *      for a ClientHello and the packet carries data, deny: TLS is client
 *      first, so nothing reaches the client before the verdict;
 *   3. the flow has the ALLOW label bit: pass, unless it is verifying
 *      (step 7); the DENY bit: drop;
 *   4. no ruleset in this namespace: pass; the flow is not guarded, or
 *      does not leave by an egress interface (egress.h: a gateway's
 *      port-forwards, its LAN-to-LAN traffic, its own under `local
 *      pass`): label it ALLOW, pass;
 *   5. a packet that is not of the flow's own protocol (an ICMP error
 *      conntrack relates to it) never feeds nor decides it: on an
 *      undecided guarded flow it is dropped;
 *   6. first packet of the flow, or of an expected connection (a
 *      conntrack helper's, judged as a new one): a CIDR rule decides at
 *      once; on a TLS port a SYN starts reassembly (pending.c) and passes;
 *      on any other port the destination must have been learned from a
 *      DNS answer for a name whose rule covers the port;
 *   7. a flow waiting for its ClientHello (or verifying) that an nft
 *      flowtable took over is denied: its next packets skip this hook;
 *      otherwise feed the segment; the segment
 *      that completes the hello carries the verdict (in strict mode the
 *      address must also have been learned for the SNI's rule). Past the
 *      deadline, or with its entry gone, any packet of it is denied. An
 *      allowed flow goes on being fed until the server has acknowledged
 *      the hello: a segment that tells the hello's bytes differently is
 *      denied (the first copy may never have reached the server).
 * A flow that was already open when the ruleset was loaded (undecided,
 * not new, not pending) is left alone and labelled ALLOW.
 *
 * A denied flow's conntrack entry is killed once the resets are out, so
 * that the same addresses and ports can be judged afresh later.
 *
 * LOCAL_IN has a hook of its own that only learns: answers to the host's
 * own queries arrive there (answers on loopback were already read when
 * they left, at LOCAL_OUT).
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

#include "hooks.h"
#include "netns.h"
#include "config.h"
#include "stats.h"
#include "ruleset.h"
#include "pending.h"
#include "reject.h"
#include "events.h"
#include "report.h"
#include "timing.h"
#include "dns_learn.h"
#include "dns_snoop.h"
#include "reply_side.h"
#include "egress.h"

/* After the filter table (0) and DNAT (-100), before SNAT. */
#define EFW_HOOK_PRIORITY 10

struct pkt {
	struct net *net;
	struct efw_net *en;
	struct efw_ruleset *rs;
	const struct efw_config *cfg;	/* one version for the whole packet */
	struct nf_conn *ct;
	struct nf_conn_labels *labels;
	u8 family;		/* 4 or 6 */
	u8 proto;
	u16 dport;		/* host order, real destination */
	const u8 *daddr;	/* real destination, network order */
	unsigned int l4off;	/* transport header offset */
	const char *name;	/* for the deny event: the SNI, if read */
	bool hello_judged;	/* this packet completed a ClientHello (timing.h) */
	s32 rule;		/* for the deny event: the rule it matched, or -1 */
};

static bool is_tls_port(const struct efw_config *cfg, u16 port)
{
	u32 i;

	for (i = 0; i < cfg->n_tls_ports; i++)
		if (cfg->tls_ports[i] == port)
			return true;
	return false;
}

static bool is_dns(u8 proto, u16 port)
{
	return port == 53 && (proto == IPPROTO_UDP || proto == IPPROTO_TCP);
}

/* A flow whose queries went to port 53: its replies are answers. */
static bool is_dns_flow(const struct nf_conn *ct)
{
	const struct nf_conntrack_tuple *t = &ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple;

	return is_dns(t->dst.protonum, ntohs(t->dst.u.all));
}

/* A flow of UDP queries to port 53: each one is noted (dns_flow.h). */
static bool is_udp_dns_flow(const struct nf_conn *ct)
{
	const struct nf_conntrack_tuple *t = &ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple;

	return t->dst.u.all == htons(53) && t->dst.protonum == IPPROTO_UDP;
}

/* A new flow *from* UDP port 53: an answer to no query we saw leave. */
static bool is_unsolicited_answer(const struct nf_conn *ct,
				  enum ip_conntrack_info ctinfo)
{
	const struct nf_conntrack_tuple *t = &ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple;

	return ctinfo == IP_CT_NEW && t->src.u.all == htons(53) &&
	       t->dst.protonum == IPPROTO_UDP;
}

/* With dns-servers set, DNS may go to those resolvers only. */
static bool dns_restricted(const struct pkt *p)
{
	return is_dns(p->proto, p->dport) && p->cfg->n_dns_servers;
}

static bool is_dns_server(const struct efw_config *cfg, u8 family,
			  const u8 *addr)
{
	u32 i;

	for (i = 0; i < cfg->n_dns_servers; i++)
		if (cfg->dns_servers[i].family == family &&
		    !memcmp(cfg->dns_servers[i].addr, addr, family == 4 ? 4 : 16))
			return true;
	return false;
}

/* TCP 443/22/25, UDP 443, the TLS ports and every port the list names. */
static bool is_guarded(const struct pkt *p)
{
	if (dns_restricted(p))
		return true;
	if (p->proto == IPPROTO_TCP)
		return p->dport == 443 || p->dport == 22 || p->dport == 25 ||
		       test_bit(p->dport, p->rs->tcp_ports) ||
		       is_tls_port(p->cfg, p->dport);
	if (p->proto == IPPROTO_UDP)
		return p->dport == 443 || test_bit(p->dport, p->rs->udp_ports);
	return false;
}

static bool audit(const struct pkt *p)
{
	return EFW_CFG(p->cfg, MODE) == EGRESSFW_MODE_AUDIT;
}

/* Allowed, but the server has not yet acknowledged every judged byte. */
static bool verifying(const struct pkt *p)
{
	return test_bit(EFW_LABEL_ALLOW, p->labels->bits) &&
	       test_bit(EFW_LABEL_PENDING, p->labels->bits);
}

/*
 * An nft flowtable took the flow over (IPS_OFFLOAD): its next packets
 * skip the FORWARD hook, and with them the ClientHello or the server's
 * acknowledgement of it. Offloading happens once TCP is established, so
 * the packet that sees the bit is the client's last handshake ACK (or, for
 * an allowed flow, one before the server acknowledged the hello): the
 * flow is denied, as one that cannot be judged. README "Threat model"
 * says how to offload only decided flows.
 */
static bool offloaded(const struct pkt *p)
{
	return test_bit(IPS_OFFLOAD_BIT, &p->ct->status);
}

static unsigned int allow(struct pkt *p, enum efw_stat kind, s32 rule)
{
	set_bit(EFW_LABEL_ALLOW, p->labels->bits);
	efw_stat_inc(p->en, EFW_STAT_FLOWS);
	efw_stat_inc(p->en, kind);
	if (rule >= 0)
		efw_rule_hit(p->rs, (u32)rule, kind == EFW_STAT_ALLOWED_DNS);
	return NF_ACCEPT;
}

/*
 * Deny: drop the packet and reset the client (ICMP for UDP); in audit
 * mode count it and let the flow go on, labelled ALLOW so it is counted
 * once.
 */
static void report(struct pkt *p, enum egressfw_deny_reason why, bool audit)
{
	struct efw_event ev = {
		.family = p->family, .proto = p->proto, .reason = why,
		.audit = audit, .dport = p->dport, .rule = p->rule,
		.saddr = (const u8 *)&p->ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple.src.u3,
		.daddr = p->daddr, .name = p->name,
	};

	/* No SNI: the name DNS gave for the address, if one is known. */
	if (!ev.name)
		ev.name = efw_dns_name_of(p->en, p->family, p->daddr);

	efw_event(p->en, &ev);
	efw_report_note(p->en, &ev);
}

/*
 * A denied flow's conntrack entry would otherwise stay ESTABLISHED for
 * days (the resets are not seen by conntrack), silently dropping a later
 * connection on the same ports even once the list allows it. An entry
 * not yet confirmed dies with the packet that is dropped.
 */
static void end_flow(struct pkt *p)
{
	if (nf_ct_is_confirmed(p->ct))
		nf_ct_kill(p->ct);
}

/* A decided flow needs no pending entry any more. */
static void end_pending(struct pkt *p)
{
	if (test_and_clear_bit(EFW_LABEL_PENDING, p->labels->bits))
		efw_pending_forget(p->en, p->ct);
}

/*
 * @skb's sender gets a reset (ICMP for UDP), sent before the labels
 * change: when the sender is the server, that reset travels in the
 * client's direction through our own hook, which must still see the
 * flow as pending (a DENY label would drop it; no label at all would
 * judge it as a new flow). With @reset_peer, @skb itself becomes a reset
 * for its receiver.
 */
static unsigned int deny(struct pkt *p, struct sk_buff *skb,
			 const struct nf_hook_state *state,
			 enum egressfw_deny_reason why, bool reset_peer)
{
	efw_stat_inc(p->en, EFW_STAT_FLOWS);
	efw_stat_inc(p->en, EFW_STAT_DENIED + why);
	report(p, why, audit(p));
	if (audit(p)) {
		end_pending(p);
		set_bit(EFW_LABEL_ALLOW, p->labels->bits);
		return NF_ACCEPT;
	}
	efw_reject(p->net, skb, state, p->proto);
	end_pending(p);
	/* An allowed flow caught while verifying loses its verdict. */
	clear_bit(EFW_LABEL_ALLOW, p->labels->bits);
	set_bit(EFW_LABEL_DENY, p->labels->bits);
	end_flow(p);
	if (reset_peer && efw_segment_to_reset(skb, p->family, p->l4off))
		return NF_ACCEPT;
	return NF_DROP;
}

/*
 * Where the transport header starts; false if it cannot be found or the
 * packet is not of the flow's protocol (an ICMP error that conntrack
 * relates to the flow carries its own header, not the flow's).
 */
static bool find_l4(struct sk_buff *skb, struct pkt *p)
{
	if (p->family == 4) {
		if (ip_hdr(skb)->protocol != p->proto)
			return false;
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

	if (dns_restricted(p)) {
		if (!is_dns_server(p->cfg, p->family, p->daddr))
			return deny(p, skb, state, EGRESSFW_DENY_DNS_SERVER, false);
		/* A configured resolver: not a rule's doing, no rule credited. */
		set_bit(EFW_LABEL_ALLOW, p->labels->bits);
		efw_stat_inc(p->en, EFW_STAT_FLOWS);
		return NF_ACCEPT;
	}
	/* QUIC's hello is encrypted: the policy may refuse it outright. */
	if (p->proto == IPPROTO_UDP && p->dport == 443 &&
	    EFW_CFG(p->cfg, QUIC) == EGRESSFW_QUIC_DENY)
		return deny(p, skb, state, EGRESSFW_DENY_QUIC, false);

	rule = efw_match_addr(p->rs->matcher, p->family, p->daddr, p->proto,
			      p->dport);
	if (rule >= 0)
		return allow(p, EFW_STAT_ALLOWED_CIDR, rule);

	if (p->proto != IPPROTO_TCP || !is_tls_port(p->cfg, p->dport)) {
		rule = efw_dns_lookup(p->en, p->rs, p->family, p->daddr,
				      p->proto, p->dport, NULL);
		if (rule >= 0)
			return allow(p, EFW_STAT_ALLOWED_DNS, rule);
		return deny(p, skb, state, EGRESSFW_DENY_NO_MATCH, false);
	}

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

	p->hello_judged = true;
	switch (status) {
	case EFW_TLS_OK:
		break;
	case EFW_TLS_NOT_TLS:
		return deny(p, skb, state, EGRESSFW_DENY_NOT_TLS, true);
	default:
		return deny(p, skb, state, EGRESSFW_DENY_MALFORMED, true);
	}
	if ((hello->flags & EFW_TLS_F_ECH) &&
	    EFW_CFG(p->cfg, ECH) == EGRESSFW_ECH_DENY)
		return deny(p, skb, state, EGRESSFW_DENY_ECH, true);
	/* With ECH the outer SNI is judged: the name the client shows. */
	if (hello->flags & EFW_TLS_F_NO_SNI)
		return deny(p, skb, state, EGRESSFW_DENY_NO_SNI, true);
	p->name = hello->sni;
	rule = efw_match_name(p->rs->matcher, hello->sni, hello->sni_len,
			      IPPROTO_TCP, p->dport);
	if (rule < 0)
		return deny(p, skb, state, EGRESSFW_DENY_NO_MATCH, true);
	/* Strict: the SNI must not claim an address DNS never gave it. */
	p->rule = rule;
	if (EFW_CFG(p->cfg, STRICT) &&
	    !efw_dns_learned_for(p->en, p->rs, p->family, p->daddr, rule))
		return deny(p, skb, state, EGRESSFW_DENY_STRICT, true);
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
		/*
		 * The client ends: an undecided flow's entry goes (later
		 * packets find none and are denied). An allowed one's stays
		 * past a FIN, which may still be followed by a resend.
		 */
		if (th->rst || th->fin) {
			if (!verifying(p))
				efw_pending_forget(p->en, p->ct);
			else if (th->rst)
				end_pending(p);
			return NF_ACCEPT;
		}
		/* The handshake's ACK, a keepalive: only while it may wait. */
		if (efw_pending_check(p->en, p->ct))
			return deny(p, skb, state, EGRESSFW_DENY_TIMEOUT, true);
		return NF_ACCEPT;
	}
	/*
	 * Data the server would not read as the stream's next bytes: urgent
	 * data is taken out of band, a RST's payload is dropped. Judging
	 * it would judge bytes the server never sees.
	 */
	if (th->urg || th->rst)
		return deny(p, skb, state, EGRESSFW_DENY_MALFORMED, true);

	/* A SYN's data starts one past its sequence number (Fast Open). */
	switch (efw_pending_feed(p->en, p->ct, skb, doff,
				 ntohl(th->seq) + th->syn, len, th->syn,
				 &status, &hello)) {
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

/* The flow's protocol, addresses and ports, from its conntrack entry. */
static void flow_tuple(struct pkt *p, const struct nf_hook_state *state)
{
	const struct nf_conntrack_tuple *reply =
		&p->ct->tuplehash[IP_CT_DIR_REPLY].tuple;

	p->family = state->pf == NFPROTO_IPV4 ? 4 : 6;
	p->proto = reply->dst.protonum;
	p->daddr = (const u8 *)&reply->src.u3;
	p->dport = ntohs(reply->src.u.all);
}

/*
 * What judging a packet of @p->ct needs: the namespace, its ruleset and
 * settings (one version of each for the whole packet), the flow's
 * addresses. False when no ruleset is loaded: nothing is judged then.
 */
static bool judge_setup(struct pkt *p, const struct nf_hook_state *state)
{
	p->en = efw_net(p->net);
	p->rs = rcu_dereference(p->en->ruleset);
	if (!p->rs)
		return false;
	p->cfg = efw_config(p->en);
	flow_tuple(p, state);
	return true;
}

/*
 * A reply on a flow with a pending entry (pending.h's states).
 *
 * Before the verdict: TLS is client first, so a server that sends data is
 * not one the verdict was about, and its bytes must not reach the client.
 * The flow is denied and both ends reset: the server by a reset of its
 * own, the client by the server's segment rewritten into one. Both
 * matter: once the conntrack entry is gone, a retransmission from a
 * server left open would start a new flow the other way round.
 *
 * The server's acknowledgement numbers tell the entry where the stream
 * starts (the SYN-ACK) and when the judged bytes have all arrived (the
 * flow is then decided for good). They are taken only from segments that
 * came in from the server's side: a client could forge them.
 */
static unsigned int pending_reply(struct pkt *p, struct sk_buff *skb,
				  const struct nf_hook_state *state)
{
	const struct tcphdr *th;
	struct tcphdr _th;

	if (!judge_setup(p, state))
		return NF_ACCEPT;
	if (unlikely(offloaded(p)))
		return deny(p, skb, state, EGRESSFW_DENY_OFFLOADED, true);
	/* An ICMP error from the server's side (PMTU) is not data. */
	if (p->proto != IPPROTO_TCP || !find_l4(skb, p))
		return NF_ACCEPT;
	th = skb_header_pointer(skb, p->l4off, sizeof(_th), &_th);
	if (!th || th->doff < 5)
		return NF_DROP;
	if (skb->len > p->l4off + th->doff * 4 && !verifying(p))
		return deny(p, skb, state, EGRESSFW_DENY_NOT_TLS, true);
	if (!th->ack || !efw_reply_from_peer_side(p->net, p->cfg, skb, state->in))
		return NF_ACCEPT;
	switch (efw_pending_reply(p->en, p->ct, th->syn, ntohl(th->ack_seq))) {
	case EFW_REPLY_VERIFIED:
		clear_bit(EFW_LABEL_PENDING, p->labels->bits);
		break;
	case EFW_REPLY_CONFLICT:
		return deny(p, skb, state, EGRESSFW_DENY_MALFORMED, true);
	case EFW_REPLY_WAIT:
		break;
	}
	return NF_ACCEPT;
}

/* A flow with a pending entry: waiting for its ClientHello, or verifying. */
static bool is_pending(const struct pkt *p)
{
	return test_bit(EFW_LABEL_PENDING, p->labels->bits) &&
	       !test_bit(EFW_LABEL_DENY, p->labels->bits);
}

/* A reply on a DNS flow: learn from it (unless the flow was denied). */
static void snoop(struct pkt *p, struct sk_buff *skb,
		  const struct nf_hook_state *state)
{
	if (test_bit(EFW_LABEL_DENY, p->labels->bits))
		return;
	p->en = efw_net(p->net);
	p->rs = rcu_dereference(p->en->ruleset);
	if (!p->rs)
		return;
	p->family = state->pf == NFPROTO_IPV4 ? 4 : 6;
	p->proto = nf_ct_protonum(p->ct);
	if (!find_l4(skb, p))
		return;
	efw_dns_snoop(p->en, p->rs, p->ct, skb, state->in, p->proto, p->l4off);
}

/*
 * A packet of a UDP flow to port 53, leaving: if it is a query, its
 * answer may be learned from (unless the flow was denied).
 */
static void note_query(struct pkt *p, struct sk_buff *skb,
		       const struct nf_hook_state *state)
{
	if (test_bit(EFW_LABEL_DENY, p->labels->bits) || !judge_setup(p, state))
		return;
	if (find_l4(skb, p))
		efw_dns_snoop_query(p->en, p->ct, skb, p->l4off);
}

/*
 * The packet's flow and its labels; false for packets that are none of
 * our business: untracked, or of a flow made before egressfw was active
 * here (no label extension).
 */
static bool find_flow(struct sk_buff *skb, struct pkt *p,
		      enum ip_conntrack_info *ctinfo)
{
	p->ct = nf_ct_get(skb, ctinfo);
	if (!p->ct)
		return false;
	p->labels = nf_ct_labels_find(p->ct);
	return p->labels;
}

/*
 * A flow without the label extension. Flows made before egressfw was
 * active here have none and are left alone; but a new entry lacks it only
 * because its allocation failed, and a guarded flow must not pass
 * unjudged for that: its first packet is dropped, the client retries.
 */
static unsigned int unlabelled(struct pkt *p, struct sk_buff *skb,
			       const struct nf_hook_state *state,
			       enum ip_conntrack_info ctinfo)
{
	if (ctinfo != IP_CT_NEW)
		return NF_ACCEPT;
	if (!judge_setup(p, state))
		return NF_ACCEPT;
	return is_guarded(p) && efw_egress_out(p->cfg, skb, state) ?
	       NF_DROP : NF_ACCEPT;
}

static unsigned int judge_packet(struct pkt *p, struct sk_buff *skb,
				 const struct nf_hook_state *state)
{
	enum ip_conntrack_info ctinfo;

	if (!find_flow(skb, p, &ctinfo)) {
		if (p->ct && CTINFO2DIR(ctinfo) == IP_CT_DIR_ORIGINAL)
			return unlabelled(p, skb, state, ctinfo);
		return NF_ACCEPT;
	}
	/*
	 * Only the initiator is judged. The reset we send a denied client
	 * is attached to its flow in this direction, so this comes before
	 * the DENY test.
	 */
	if (CTINFO2DIR(ctinfo) != IP_CT_DIR_ORIGINAL) {
		if (is_dns_flow(p->ct))
			snoop(p, skb, state);
		else if (is_pending(p))
			return pending_reply(p, skb, state);
		return NF_ACCEPT;
	}
	/* Queries are noted whatever the verdict: their flow may be decided. */
	if (unlikely(is_udp_dns_flow(p->ct)))
		note_query(p, skb, state);
	/*
	 * The fast path of every decided flow: a bit test or two. An
	 * allowed flow still PENDING is verifying (pending.h).
	 */
	if (test_bit(EFW_LABEL_ALLOW, p->labels->bits)) {
		if (likely(!test_bit(EFW_LABEL_PENDING, p->labels->bits)))
			return NF_ACCEPT;
	} else if (test_bit(EFW_LABEL_DENY, p->labels->bits)) {
		return NF_DROP;
	}

	if (!judge_setup(p, state))
		return NF_ACCEPT;
	if (!is_guarded(p)) {
		end_pending(p);	/* verifying when the port stopped being a TLS one */
		if (is_unsolicited_answer(p->ct, ctinfo))
			efw_stat_inc(p->en, EFW_STAT_DNS_UNSOLICITED);
		set_bit(EFW_LABEL_ALLOW, p->labels->bits);
		return NF_ACCEPT;
	}
	/*
	 * Placed once, by its first packet: a flow under judgement left by
	 * an egress interface when it began.
	 */
	if (!test_bit(EFW_LABEL_PENDING, p->labels->bits) &&
	    !efw_egress_out(p->cfg, skb, state)) {
		efw_stat_inc(p->en, EFW_STAT_NOT_EGRESS);
		set_bit(EFW_LABEL_ALLOW, p->labels->bits);
		return NF_ACCEPT;
	}
	efw_stat_inc(p->en, EFW_STAT_PACKETS);
	if (!find_l4(skb, p))
		return NF_DROP;

	if (test_bit(EFW_LABEL_PENDING, p->labels->bits)) {
		if (unlikely(offloaded(p)))
			return deny(p, skb, state, EGRESSFW_DENY_OFFLOADED, false);
		return pending_packet(p, skb, state);
	}
	/* An expected connection's first packet is RELATED, not NEW. */
	if (ctinfo == IP_CT_NEW || ctinfo == IP_CT_RELATED)
		return first_packet(p, skb, state);
	/* Open before the ruleset was loaded: not ours to cut. */
	set_bit(EFW_LABEL_ALLOW, p->labels->bits);
	return NF_ACCEPT;
}

/*
 * The hook: judge_packet(), timed when the module parameter "timing" is
 * on (timing.h) for the packets that complete a ClientHello.
 */
static unsigned int efw_hook(void *priv, struct sk_buff *skb,
			     const struct nf_hook_state *state)
{
	struct pkt p = { .net = state->net, .rule = -1 };
	unsigned int verdict;
	u64 t0;

	if (!efw_timing_on())
		return judge_packet(&p, skb, state);
	t0 = ktime_get_ns();
	verdict = judge_packet(&p, skb, state);
	if (p.hello_judged)
		efw_timing_note(ktime_get_ns() - t0);
	return verdict;
}

/* LOCAL_IN: learn from answers to the host's own queries; judge nothing. */
static unsigned int efw_hook_in(void *priv, struct sk_buff *skb,
				const struct nf_hook_state *state)
{
	enum ip_conntrack_info ctinfo;
	struct pkt p = { .net = state->net, .rule = -1 };

	if (!find_flow(skb, &p, &ctinfo))
		return NF_ACCEPT;
	if (CTINFO2DIR(ctinfo) == IP_CT_DIR_ORIGINAL) {
		if (is_unsolicited_answer(p.ct, ctinfo))
			efw_stat_inc(efw_net(p.net), EFW_STAT_DNS_UNSOLICITED);
		return NF_ACCEPT;
	}
	/* On loopback the answer was read as it left, at LOCAL_OUT. */
	if (state->in && (state->in->flags & IFF_LOOPBACK))
		return NF_ACCEPT;
	if (is_dns_flow(p.ct))
		snoop(&p, skb, state);
	else if (is_pending(&p))
		return pending_reply(&p, skb, state);
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
	{
		.hook = efw_hook_in,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_LOCAL_IN,
		.priority = EFW_HOOK_PRIORITY,
	},
	{
		.hook = efw_hook_in,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_LOCAL_IN,
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
