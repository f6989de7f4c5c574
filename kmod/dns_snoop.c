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
 * own query's port. Such a forgery comes in from the client's side, and
 * is not learned (reply_side.c says which side is whose: on a gateway
 * that names its egress interfaces, answers count only when they come in
 * by one of them, egress.h). Answers a resolver on this host sends
 * (LOCAL_OUT) are its own. And a UDP answer must repeat the transaction
 * id, type and question of a query its flow sent and that was not yet
 * answered (dns_flow.h), so that a sender off the path must guess more
 * than the client's port; efw_dns_snoop_query() notes the queries.
 *
 * The answer is parsed and learned before the hook returns, so the entry
 * exists before the client can read the answer and connect.
 *
 * A message is copied (when the skb is not linear) into a per-CPU buffer
 * of EFW_SNOOP_MSG_MAX bytes, with the parser's result beside it; longer
 * messages are counted as ignored. Over TCP, messages are read only where
 * the previous one ended (dns_flow.h), and only when the segment holds
 * them whole: one split across segments is ignored too (GRO and GSO
 * usually hand over a whole answer in one skb).
 */
#include <linux/percpu.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <linux/bottom_half.h>

#include "dns_snoop.h"
#include "dns_learn.h"
#include "dns_answer.h"
#include "stats.h"
#include "reply_side.h"
#include "dns_flow.h"
#include "config.h"

/* EDNS answers are capped at 4096 bytes by most resolvers; TCP ones double that. */
#define EFW_SNOOP_MSG_MAX 8192

/* A query's header and question: what is read of it. */
#define EFW_SNOOP_QUERY_MAX (12 + EFW_NAME_MAX + 2 + 4)

struct snoop_scratch {
	u8 msg[EFW_SNOOP_MSG_MAX];
	struct efw_dns_result res;
	struct efw_dns_query query;
};

static struct snoop_scratch __percpu *scratch;

/*
 * A parsed message: learn from it if it is an answer, and, when @ct is
 * given (UDP, from the resolver's side), the answer to a query @ct sent.
 */
static void answer(struct efw_net *en, struct efw_ruleset *rs,
		   const struct nf_conn *ct, enum efw_dns_status st,
		   const struct efw_dns_result *res)
{
	if (st != EFW_DNS_OK) {
		efw_stat_inc(en, EFW_STAT_DNS_IGNORED);
		return;
	}
	if (ct && !efw_dns_flow_answer(en, ct, res)) {
		efw_stat_inc(en, EFW_STAT_DNS_UNMATCHED);
		return;
	}
	efw_stat_inc(en, EFW_STAT_DNS_ANSWERS);
	efw_dns_learn(en, rs, res);
}

/*
 * Parse the @len bytes at @off in @skb as one message, and learn; @ct
 * as for answer().
 */
static void read_message(struct efw_net *en, struct efw_ruleset *rs,
			 const struct nf_conn *ct, const struct sk_buff *skb,
			 unsigned int off, unsigned int len)
{
	struct snoop_scratch *s;
	const u8 *msg;

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
	else
		answer(en, rs, ct, efw_dns_parse(msg, len, &s->res), &s->res);
	local_bh_enable();
}

void efw_dns_snoop_query(struct efw_net *en, struct nf_conn *ct,
			 const struct sk_buff *skb, unsigned int l4off)
{
	unsigned int off = l4off + sizeof(struct udphdr), len;
	struct snoop_scratch *s;
	const u8 *msg;

	if (skb->len <= off)
		return;
	/* Header and question are all it takes; EDNS options may follow. */
	len = min_t(unsigned int, skb->len - off, EFW_SNOOP_QUERY_MAX);
	local_bh_disable();
	s = this_cpu_ptr(scratch);
	msg = skb_header_pointer(skb, off, len, s->msg);
	if (msg && efw_dns_parse_query(msg, len, &s->query) == EFW_DNS_OK)
		efw_dns_flow_query(en, ct, &s->query);
	local_bh_enable();
}

/*
 * TCP: the messages that start where the previous one ended (dns_flow.h),
 * each read if this segment holds it whole.
 */
static void snoop_tcp(struct efw_net *en, struct efw_ruleset *rs,
		      const struct nf_conn *ct, const struct sk_buff *skb,
		      unsigned int off, u32 seq, u32 len)
{
	u32 at, mlen, i;

	for (i = 0; i < EFW_DNS_TCP_MSGS; i++) {
		if (!efw_dns_tcp_next(en, ct, skb, off, seq, len, &at, &mlen))
			return;
		if (mlen > len - at)
			efw_stat_inc(en, EFW_STAT_DNS_IGNORED);	/* split */
		else
			read_message(en, rs, NULL, skb, off + at, mlen);
	}
}

void efw_dns_snoop(struct efw_net *en, struct efw_ruleset *rs,
		   struct nf_conn *ct, const struct sk_buff *skb,
		   const struct net_device *in, u8 proto, unsigned int l4off)
{
	const struct efw_config *cfg = efw_config(en);
	const struct tcphdr *th = NULL;
	struct tcphdr _th;
	unsigned int off;

	if (proto == IPPROTO_UDP) {
		off = l4off + sizeof(struct udphdr);
	} else {
		th = skb_header_pointer(skb, l4off, sizeof(_th), &_th);
		if (!th || th->doff < 5)
			return;
		off = l4off + th->doff * 4;
		/* Where the resolver's stream starts: its SYN-ACK says. */
		if (th->syn && th->ack &&
		    efw_reply_from_peer_side(en->net, cfg, skb, in))
			efw_dns_tcp_start(en, ct, ntohl(th->seq));
	}
	if (skb->len > off) {
		if (!efw_reply_from_peer_side(en->net, cfg, skb, in))
			efw_stat_inc(en, EFW_STAT_DNS_WRONG_WAY);
		else if (th)
			snoop_tcp(en, rs, ct, skb, off, ntohl(th->seq),
				  skb->len - off);
		else	/* the host's own resolver's answers are its own */
			read_message(en, rs, in ? ct : NULL, skb, off,
				     skb->len - off);
	}
	if (th && (th->fin || th->rst))
		efw_dns_flow_end(en, ct);
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
