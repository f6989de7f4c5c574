/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the snooper keeps per DNS flow (dns_flow.c): the queries a UDP
 * flow sent that await their answer, and where the next message starts
 * on a DNS-over-TCP flow.
 *
 * Queries: an answer is learned from only when it repeats the transaction
 * id, type and question of a query seen leaving on its flow, not yet
 * answered: an off-path sender that found the flow's ports must guess 16
 * more bits, and each query teaches once. A resolver on this host needs
 * none of it (answers it sends itself are its own).
 *
 * TCP: each message is framed by a two-byte length, and segment
 * boundaries are not message boundaries: a record the resolver relays
 * (a TXT string a client chose) may begin a segment and read as a framed
 * answer. So the snooper reads a message only where the previous one
 * ended, counting from the resolver's first data byte (its SYN-ACK's
 * sequence number plus one). The connection itself ties answers to the
 * client (an off-path sender must hit its sequence window), so TCP
 * answers are not matched to queries.
 *
 * One entry per flow, bounded per namespace, each client a share of it
 * (source_quota.h); a flow without one (table full, SYN-ACK not seen,
 * lost track, query too old) teaches nothing.
 */
#ifndef EGRESSFW_DNS_FLOW_H
#define EGRESSFW_DNS_FLOW_H

#include <linux/types.h>

#include "netns.h"

struct nf_conn;
struct sk_buff;
struct efw_dns_query;
struct efw_dns_result;

/* Flows per namespace with queries in flight or a TCP position. */
#define EFW_DNS_FLOW_MAX	4096
/* Queries in flight per flow (a stub sends A and AAAA at once). */
#define EFW_DNS_FLOW_QUERIES	8
/* A query waits this long for its answer; resolvers give up sooner. */
#define EFW_DNS_QUERY_LIFETIME	(10 * HZ)
/* A TCP flow's entry lives this long: a resolver closes an idle one sooner. */
#define EFW_DNS_TCP_LIFETIME	(30 * HZ)
/* Messages read from one segment, at most: the rest of it is skipped. */
#define EFW_DNS_TCP_MSGS	32

/* A query @q left on UDP flow @ct: its answer may be learned from. */
void efw_dns_flow_query(struct efw_net *en, struct nf_conn *ct,
			const struct efw_dns_query *q);

/*
 * Is @res the answer to a query @ct sent and that was not answered yet?
 * If so, that query is answered now (a second answer to it teaches
 * nothing).
 */
bool efw_dns_flow_answer(struct efw_net *en, const struct nf_conn *ct,
			 const struct efw_dns_result *res);

/* The resolver's SYN-ACK on TCP flow @ct, its sequence number @seq. */
void efw_dns_tcp_start(struct efw_net *en, struct nf_conn *ct, u32 seq);

/* @ct is closing (FIN or RST): forget it. */
void efw_dns_flow_end(struct efw_net *en, const struct nf_conn *ct);

/*
 * The next message in @ct's reply segment: @seq the sequence number of
 * its first payload byte, @len bytes at @off in @skb. Returns true, with
 * the message's offset in the payload in *@at and its length in *@mlen,
 * when a message's length field starts in this segment where the previous
 * message ended; the flow's position then moves past the message, whole
 * in this segment or not (the caller reads it only if whole). False:
 * nothing (more) to read here.
 */
bool efw_dns_tcp_next(struct efw_net *en, const struct nf_conn *ct,
		      const struct sk_buff *skb, unsigned int off, u32 seq,
		      u32 len, u32 *at, u32 *mlen);

int efw_dns_flow_init(struct efw_net *en);
void efw_dns_flow_flush(struct efw_net *en);
void efw_dns_flow_exit(struct efw_net *en);

#endif /* EGRESSFW_DNS_FLOW_H */
