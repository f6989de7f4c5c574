// SPDX-License-Identifier: GPL-2.0
/*
 * The egress side (egress.h). A gateway that port-forwards inbound SSH or
 * HTTPS to a server on its LAN, or routes between LAN segments, must not
 * judge those connections as its clients' way out: naming the WAN
 * interfaces leaves them alone. A flow is placed once, by the interface
 * its first packet leaves by, and keeps that verdict; its later packets
 * cost nothing here.
 *
 * Interfaces are named, not numbered, so a setting written at boot (the
 * configuration file) covers a ppp0 or wg0 that appears later; a name
 * ending in '*' covers every name it starts ("ppp*"). The name is read
 * without the rename lock, as nft's oifname does: a packet that races an
 * interface rename may be placed by either name.
 */
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <net/dst.h>

#include "egress.h"
#include "config.h"

static bool name_matches(const struct egressfw_iface *want, const char *name)
{
	size_t n = strnlen(want->name, IFNAMSIZ);

	if (n && want->name[n - 1] == '*')
		return !strncmp(want->name, name, n - 1);
	return !strncmp(want->name, name, IFNAMSIZ);
}

bool efw_egress_set(const struct efw_config *cfg)
{
	return cfg->n_egress_ifaces;
}

bool efw_egress_dev(const struct efw_config *cfg, const struct net_device *dev)
{
	u32 i;

	for (i = 0; i < cfg->n_egress_ifaces; i++)
		if (name_matches(&cfg->egress_ifaces[i], dev->name))
			return true;
	return false;
}

bool efw_egress_out(const struct efw_config *cfg, const struct sk_buff *skb,
		    const struct nf_hook_state *state)
{
	const struct net_device *out;

	if (state->hook == NF_INET_LOCAL_OUT &&
	    EFW_CFG(cfg, LOCAL) == EGRESSFW_LOCAL_PASS)
		return false;
	if (!cfg->n_egress_ifaces)
		return true;
	/* At LOCAL_OUT, DNAT may have rerouted the packet since the hook began. */
	out = skb_dst(skb) ? skb_dst(skb)->dev : state->out;
	return out && efw_egress_dev(cfg, out);
}
