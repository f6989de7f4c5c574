/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The settings of a namespace (config.c), one immutable object published
 * under RCU like the ruleset: a packet reads one consistent version of
 * every setting, never a list half rewritten. Their names, defaults and
 * ranges are settings.h's table, shared with egressctl.
 */
#ifndef EGRESSFW_CONFIG_H
#define EGRESSFW_CONFIG_H

#include <linux/rcupdate.h>
#include <net/netlink.h>

#include "settings.h"
#include "netns.h"

struct efw_config {
	u32 v[EGRESSFW_CFG_A_MAX + 1];	/* U32 and CHOICE settings, by attribute */
	u32 n_tls_ports;
	u16 tls_ports[EFW_MAX_TLS_PORTS];
	u32 n_dns_servers;		/* 0: DNS to any server */
	struct egressfw_addr dns_servers[EFW_MAX_DNS_SERVERS];
	u32 n_egress_ifaces;		/* 0: every interface is egress */
	struct egressfw_iface egress_ifaces[EFW_MAX_EGRESS_IFACES];
	struct rcu_head rcu;
};

/* A U32 or CHOICE setting: EFW_CFG(cfg, HELLO_MAX). */
#define EFW_CFG(cfg, id) ((cfg)->v[EGRESSFW_CFG_A_##id])

/* The settings in force. Under rcu_read_lock() (every hook runs in one). */
static inline const struct efw_config *efw_config(const struct efw_net *en)
{
	return rcu_dereference(en->cfg);
}

/* The defaults, at namespace creation. */
int efw_config_init(struct efw_net *en);
void efw_config_exit(struct efw_net *en);

/* Policy of EGRESSFW_A_CONFIG's nest: every range of settings.h. */
extern const struct nla_policy efw_config_policy[EGRESSFW_CFG_A_MAX + 1];

/*
 * The settings of @nest (an EGRESSFW_A_CONFIG, any subset of them) on top
 * of those in force, checked whole: a new object, or an ERR_PTR if
 * refused. Then its publication, which frees the old one after a grace
 * period. SET_CONFIG does both; a COMMIT publishes with its rules. Both
 * under en->lock.
 */
struct efw_config *efw_config_prepare(struct efw_net *en,
				      const struct nlattr *nest,
				      struct netlink_ext_ack *extack);
void efw_config_publish(struct efw_net *en, struct efw_config *cfg);

/* EGRESSFW_A_CONFIG with every setting. Under en->lock. */
int efw_config_put(struct sk_buff *msg, struct efw_net *en);

#endif /* EGRESSFW_CONFIG_H */
