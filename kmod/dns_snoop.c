// SPDX-License-Identifier: GPL-2.0
/*
 * Reading DNS answers on their way to the client, for the learned-address
 * table (dns_learn.c).
 *
 * The hooks call efw_dns_snoop() for reply-direction packets of flows
 * whose original direction went to port 53: conntrack has already tied
 * the answer to a query that left through this host (same addresses, same
 * ports), which is what makes it solicited. The transaction id and the
 * question are not compared with the query's: that would need per-query
 * state, and an attacker able to answer on the resolver's address and the
 * query's ports is on the path anyway.
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

#include "efw.h"
#include "dns_learn.h"
#include "dns_answer.h"

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

void efw_dns_snoop(struct efw_net *en, struct efw_ruleset *rs,
		   const struct sk_buff *skb, u8 proto, unsigned int l4off)
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
