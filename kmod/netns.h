/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per network namespace state (netns.c): every namespace gets a struct
 * efw_net when it is created; the costly part (netfilter hooks, a
 * conntrack reference, the label extension, the learned-address table)
 * is taken only when a ruleset is first loaded there ("activation") and
 * dropped by a flush.
 *
 * efw_net() is inline, as nf_ct_pernet() is: the files that only read a
 * namespace's state do not depend on the file that registers it.
 */
#ifndef EGRESSFW_NETNS_H
#define EGRESSFW_NETNS_H

#include <linux/types.h>
#include <linux/mutex.h>
#include <linux/ratelimit_types.h>
#include <linux/user_namespace.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

struct efw_ruleset;
struct efw_config;
struct efw_txn;
struct efw_pcpu_stats;
struct efw_pending_table;
struct efw_dns_flow_table;
struct efw_dns_table;
struct efw_report;
struct proc_dir_entry;

struct efw_net {
	struct net *net;
	struct efw_ruleset __rcu *ruleset;	/* NULL: pass-through */
	struct efw_config __rcu *cfg;		/* replaced whole (config.c) */
	struct mutex lock;			/* ruleset, config, txn, activation */
	struct efw_txn *txn;
	u32 txn_next_id;
	u32 generation;
	bool active;				/* hooks, ct and label refs taken */
	struct efw_pcpu_stats __percpu *stats;
	struct efw_pending_table *pending;
	struct efw_dns_flow_table *dns_flow;	/* DNS queries in flight, TCP positions */
	struct efw_dns_table __rcu *dns;	/* learned addresses; NULL while inactive */
	struct efw_report *report;		/* denials; from the first activation on */
	struct proc_dir_entry *proc_dir;
	struct ratelimit_state events_rs;	/* deny events sent */
};

extern unsigned int efw_net_id;

static inline struct efw_net *efw_net(const struct net *net)
{
	return net_generic(net, efw_net_id);
}

/*
 * Is @en's namespace owned by a user namespace other than the host's?
 * Any user may make one (unshare -Urn), and administer it: such a
 * namespace gets lower maxima (settings.h: USER_MAX, EFW_USER_MAX_RULES).
 */
static inline bool efw_net_unprivileged(const struct efw_net *en)
{
	return en->net->user_ns != &init_user_ns;
}

/* Under en->lock. */
int efw_net_activate(struct efw_net *en);
void efw_net_deactivate(struct efw_net *en);

int __init efw_netns_init(void);
void efw_netns_exit(void);

#endif /* EGRESSFW_NETNS_H */
