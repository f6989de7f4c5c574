/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where the next DNS message starts on a DNS-over-TCP flow (dns_tcp.c).
 *
 * Over TCP each message is framed by a two-byte length, and segment
 * boundaries are not message boundaries: a record the resolver relays
 * (a TXT string a client chose) may begin a segment and read as a framed
 * answer. So the snooper reads a message only where the previous one
 * ended, counting from the resolver's first data byte (its SYN-ACK's
 * sequence number plus one). One entry per flow, bounded per namespace;
 * a flow without one (table full, SYN-ACK not seen, lost track) teaches
 * nothing.
 */
#ifndef EGRESSFW_DNS_TCP_H
#define EGRESSFW_DNS_TCP_H

#include <linux/types.h>

#include "netns.h"

struct nf_conn;
struct sk_buff;

/* Entries per namespace: DNS over TCP is the exception (truncated answers). */
#define EFW_DNS_TCP_MAX		256
/* An entry lives this long: a resolver closes an idle connection sooner. */
#define EFW_DNS_TCP_LIFETIME	(30 * HZ)
/* Messages read from one segment, at most: the rest of it is skipped. */
#define EFW_DNS_TCP_MSGS	32

/* The resolver's SYN-ACK on @ct, its sequence number @seq. */
void efw_dns_tcp_start(struct efw_net *en, struct nf_conn *ct, u32 seq);

/* @ct is closing (FIN or RST): forget it. */
void efw_dns_tcp_end(struct efw_net *en, const struct nf_conn *ct);

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

int efw_dns_tcp_init(struct efw_net *en);
void efw_dns_tcp_flush(struct efw_net *en);
void efw_dns_tcp_exit(struct efw_net *en);

#endif /* EGRESSFW_DNS_TCP_H */
