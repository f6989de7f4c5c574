/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Flows on a TLS port that have no verdict yet: their SYN passed, and the
 * client's first bytes are reassembled here until the ClientHello is
 * complete (or proves not to be one).
 *
 * One entry per flow, created at the SYN, holding a conntrack reference,
 * the sequence number of the first data byte and a buffer that grows (up
 * to the configured bound) as segments arrive. The table is bounded per
 * namespace; a periodic sweep frees entries past their deadline.
 *
 * An entry goes through three states:
 *   1. waiting for the server's SYN-ACK, whose acknowledgement number says
 *      where the stream starts: only a SYN's own data (Fast Open) is
 *      taken;
 *   2. reassembling, until the parser has a verdict (EFW_FEED_DONE);
 *   3. verifying, once allowed: until the server acknowledges the last
 *      byte judged (EFW_REPLY_VERIFIED), a segment that overlaps the
 *      judged bytes must repeat them; what follows them passes.
 * A denied flow's entry is forgotten at once.
 */
#ifndef EGRESSFW_PENDING_H
#define EGRESSFW_PENDING_H

#include "netns.h"
#include "tls_hello.h"

struct nf_conn;
struct sk_buff;

enum efw_feed {
	EFW_FEED_MORE,		/* valid so far: let the segment through */
	EFW_FEED_HOLD,		/* out of order: drop it, the client resends */
	EFW_FEED_DONE,		/* the parser has a verdict in *hello / status */
	EFW_FEED_GONE,		/* no entry (swept after its deadline) */
	EFW_FEED_TIMEOUT,	/* deadline passed or buffer bound exceeded */
	EFW_FEED_CONFLICT,	/* a resent byte differs from the first copy */
	EFW_FEED_NOMEM,
};

/*
 * Start waiting for @ct's ClientHello; @data_seq is the sequence number of
 * the client's first data byte (ISN + 1). -ENOSPC when the table is full,
 * or when the client's address holds its share of it already.
 */
int efw_pending_start(struct efw_net *en, struct nf_conn *ct, u32 data_seq);

/*
 * Feed one client segment: @seq the sequence number of its first data
 * byte, @len payload bytes at @off in @skb, @syn whether it is the SYN.
 * On EFW_FEED_DONE, *@status and *@hello hold the parser's verdict and
 * the entry verifies from then on (the caller forgets it on a denial).
 * While verifying, EFW_FEED_MORE means the segment agrees with what was
 * judged.
 */
enum efw_feed efw_pending_feed(struct efw_net *en, struct nf_conn *ct,
			       const struct sk_buff *skb, unsigned int off,
			       u32 seq, u32 len, bool syn,
			       enum efw_tls_status *status,
			       struct efw_tls_hello *hello);

enum efw_reply {
	EFW_REPLY_WAIT,		/* nothing changes */
	EFW_REPLY_VERIFIED,	/* the server has every judged byte: entry gone */
	EFW_REPLY_CONFLICT,	/* the server's stream starts elsewhere: deny */
};

/*
 * A segment from @ct's server, taken as the server's (reply_side.h),
 * carrying acknowledgement number @ack; @syn: it is the SYN-ACK.
 */
enum efw_reply efw_pending_reply(struct efw_net *en, const struct nf_conn *ct,
				 bool syn, u32 ack);

/*
 * Is @ct still waiting within its deadline? 0, or -ENOENT (no entry:
 * swept, or never made) or -ETIMEDOUT. For the packets that carry no
 * payload, which would never reach efw_pending_feed().
 */
int efw_pending_check(struct efw_net *en, const struct nf_conn *ct);

/* Forget @ct's entry (client gave up: FIN or RST). */
void efw_pending_forget(struct efw_net *en, struct nf_conn *ct);

/* The table of a namespace: made with it, emptied by a flush. */
int efw_pending_init(struct efw_net *en);
void efw_pending_exit(struct efw_net *en);
void efw_pending_flush(struct efw_net *en);
u32 efw_pending_count(const struct efw_net *en);

#endif /* EGRESSFW_PENDING_H */
