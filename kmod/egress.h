/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The egress side (egress.c): which connections are judged at all, and
 * by which interfaces a gateway's replies may come in. The setting is
 * `egress-interfaces` (EGRESSFW_CFG_A_EGRESS_IFACES) with `local`.
 */
#ifndef EGRESSFW_EGRESS_H
#define EGRESSFW_EGRESS_H

#include <linux/types.h>

struct sk_buff;
struct net_device;
struct nf_hook_state;
struct efw_config;

/*
 * Is @skb, the first packet of a guarded flow seen at @state's hook
 * (LOCAL_OUT or FORWARD), leaving by the egress side? Always, with no
 * egress interface set, except the host's own under `local pass`.
 */
bool efw_egress_out(const struct efw_config *cfg, const struct sk_buff *skb,
		    const struct nf_hook_state *state);

/* Is @dev one of the egress interfaces (false when none is set)? */
bool efw_egress_dev(const struct efw_config *cfg, const struct net_device *dev);

/* Is an egress interface set (a gateway that names its WAN side)? */
bool efw_egress_set(const struct efw_config *cfg);

#endif /* EGRESSFW_EGRESS_H */
