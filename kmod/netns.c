// SPDX-License-Identifier: GPL-2.0
/*
 * Per network namespace state. Every namespace gets its struct efw_net
 * (config, counters, /proc/net/egressfw) when it is created; the costly
 * part -- netfilter hooks, a conntrack reference and the conntrack label
 * extension -- is taken only when a ruleset is first loaded there
 * ("activation") and dropped again by a flush, so namespaces that never
 * load a list pay nothing per packet.
 */
#include <linux/slab.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_labels.h>

#include "netns.h"
#include "config.h"
#include "stats.h"
#include "hooks.h"
#include "pending.h"
#include "dns_flow.h"
#include "proc.h"
#include "events.h"
#include "ruleset.h"
#include "dns_learn.h"
#include "report.h"

unsigned int efw_net_id __read_mostly;

/*
 * Conntrack for both families, labels on the flows created from now on
 * (the verdict bits live there), then the hooks. Under en->lock.
 */
int efw_net_activate(struct efw_net *en)
{
	int ret;

	if (en->active)
		return 0;
	ret = efw_report_create(en);
	if (ret)
		return ret;
	ret = nf_ct_netns_get(en->net, NFPROTO_INET);
	if (ret)
		return ret;
	ret = nf_connlabels_get(en->net, EFW_LABEL_ALLOW);
	if (ret)
		goto put_ct;
	ret = efw_dns_table_create(en);
	if (ret)
		goto put_labels;
	ret = efw_hooks_register(en->net);
	if (ret)
		goto free_dns;
	en->active = true;
	return 0;

free_dns:
	efw_dns_table_destroy(en);
put_labels:
	nf_connlabels_put(en->net);
put_ct:
	nf_ct_netns_put(en->net, NFPROTO_INET);
	return ret;
}

/* Under en->lock, or at namespace exit. */
void efw_net_deactivate(struct efw_net *en)
{
	if (!en->active)
		return;
	/* Unregistering waits for packets in flight in the hooks. */
	efw_hooks_unregister(en->net);
	efw_pending_flush(en);
	efw_dns_flow_flush(en);
	efw_dns_table_destroy(en);
	nf_connlabels_put(en->net);
	nf_ct_netns_put(en->net, NFPROTO_INET);
	en->active = false;
}

static int __net_init efw_net_init(struct net *net)
{
	struct efw_net *en = efw_net(net);
	int ret;

	en->net = net;
	mutex_init(&en->lock);
	efw_events_init(en);
	ret = efw_config_init(en);
	if (ret)
		goto out;
	ret = efw_stats_init(en);
	if (ret)
		goto free_config;
	ret = efw_pending_init(en);
	if (ret)
		goto free_stats;
	ret = efw_dns_flow_init(en);
	if (ret)
		goto free_pending;
	ret = efw_proc_init(en);
	if (ret)
		goto free_dns_flow;
	return 0;

free_dns_flow:
	efw_dns_flow_exit(en);
free_pending:
	efw_pending_exit(en);
free_stats:
	efw_stats_exit(en);
free_config:
	efw_config_exit(en);
out:
	return ret;
}

static void __net_exit efw_net_exit(struct net *net)
{
	struct efw_net *en = efw_net(net);

	efw_proc_exit(en);
	mutex_lock(&en->lock);
	efw_net_deactivate(en);
	efw_ruleset_free_rcu(rcu_replace_pointer(en->ruleset, NULL,
						 lockdep_is_held(&en->lock)));
	efw_txn_free(en->txn);
	en->txn = NULL;
	mutex_unlock(&en->lock);
	efw_dns_flow_exit(en);
	efw_pending_exit(en);
	efw_report_destroy(en);
	efw_stats_exit(en);
	efw_config_exit(en);
}

static struct pernet_operations efw_net_ops = {
	.init = efw_net_init,
	.exit = efw_net_exit,
	.id = &efw_net_id,
	.size = sizeof(struct efw_net),
};

int __init efw_netns_init(void)
{
	return register_pernet_subsys(&efw_net_ops);
}

void efw_netns_exit(void)
{
	unregister_pernet_subsys(&efw_net_ops);
	/* Rulesets freed with call_rcu() must be gone before the code is. */
	rcu_barrier();
}
