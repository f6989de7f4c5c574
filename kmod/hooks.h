/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The netfilter hooks (hooks.c), registered per namespace at activation,
 * and the conntrack label bits where they keep each flow's verdict.
 */
#ifndef EGRESSFW_HOOKS_H
#define EGRESSFW_HOOKS_H

struct net;

/*
 * Per-flow verdicts live in three conntrack label bits at the top of the
 * 128, so that the user's own connmark and the low label bits (where
 * nft/iptables connlabel names start) stay theirs. A label is one atomic
 * bit test on the packet path.
 */
#define EFW_LABEL_ALLOW		127	/* decided: pass, never look again */
#define EFW_LABEL_DENY		126	/* decided: drop (client was reset) */
#define EFW_LABEL_PENDING	125	/* has a pending entry (pending.h); with
					 * ALLOW: verifying */

int efw_hooks_register(struct net *net);
void efw_hooks_unregister(struct net *net);

#endif /* EGRESSFW_HOOKS_H */
