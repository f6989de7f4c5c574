/* SPDX-License-Identifier: GPL-2.0 */
/* Telling both ends of a denied connection (reject.c). */
#ifndef EGRESSFW_REJECT_H
#define EGRESSFW_REJECT_H

#include <linux/types.h>

struct net;
struct sk_buff;
struct nf_hook_state;

/* The client: a TCP reset, or ICMP administratively prohibited for UDP. */
void efw_reject(struct net *net, struct sk_buff *skb,
		const struct nf_hook_state *state, u8 proto);

/*
 * The receiver of a TCP segment (the server, for a client's segment):
 * the segment at @l4off rewritten into a RST|ACK.
 */
bool efw_segment_to_reset(struct sk_buff *skb, u8 family, unsigned int l4off);

#endif /* EGRESSFW_REJECT_H */
