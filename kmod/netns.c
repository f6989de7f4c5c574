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
#include <linux/percpu.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_labels.h>

#include "efw.h"
#include "dns_learn.h"

unsigned int efw_net_id __read_mostly;

struct efw_net *efw_net(const struct net *net)
{
	return net_generic(net, efw_net_id);
}

void efw_stats_read(const struct efw_net *en, u64 *out)
{
	int cpu, i;

	memset(out, 0, sizeof(u64) * EFW_STAT_MAX);
	for_each_possible_cpu(cpu) {
		const struct efw_pcpu_stats *st = per_cpu_ptr(en->stats, cpu);
		u64 v[EFW_STAT_MAX];
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&st->syncp);
			for (i = 0; i < EFW_STAT_MAX; i++)
				v[i] = u64_stats_read(&st->v[i]);
		} while (u64_stats_fetch_retry(&st->syncp, start));
		for (i = 0; i < EFW_STAT_MAX; i++)
			out[i] += v[i];
	}
}

/*
 * Conntrack for both families, labels on the flows created from now on
 * (the verdict bits live there), then the hooks. Under en->lock.
 */
int efw_net_activate(struct efw_net *en)
{
	int ret;

	if (en->active)
		return 0;
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
	efw_dns_table_destroy(en);
	nf_connlabels_put(en->net);
	nf_ct_netns_put(en->net, NFPROTO_INET);
	en->active = false;
}

static void default_config(struct efw_config *cfg)
{
	cfg->mode = EGRESSFW_MODE_ENFORCE;
	cfg->n_tls_ports = 1;
	cfg->tls_ports[0] = 443;
	cfg->hello_max = EFW_DEFAULT_HELLO_MAX;
	cfg->hello_timeout_ms = EFW_DEFAULT_HELLO_TIMEOUT_MS;
	cfg->pending_max = EFW_DEFAULT_PENDING_MAX;
	cfg->strict = 0;
	cfg->quic = EGRESSFW_QUIC_LIST;
	cfg->ech = EGRESSFW_ECH_OUTER;
	cfg->dns_ttl_min = EFW_DEFAULT_DNS_TTL_MIN;
	cfg->dns_ttl_max = EFW_DEFAULT_DNS_TTL_MAX;
	cfg->dns_grace = EFW_DEFAULT_DNS_GRACE;
	cfg->dns_max = EFW_DEFAULT_DNS_MAX;
	cfg->n_dns_servers = 0;
}

static int __net_init efw_net_init(struct net *net)
{
	struct efw_net *en = efw_net(net);
	int ret;

	en->net = net;
	mutex_init(&en->lock);
	default_config(&en->cfg);
	efw_events_init(en);
	en->stats = netdev_alloc_pcpu_stats(struct efw_pcpu_stats);
	if (!en->stats)
		return -ENOMEM;
	ret = efw_pending_init(en);
	if (ret)
		goto free_stats;
	ret = efw_proc_init(en);
	if (ret)
		goto free_pending;
	return 0;

free_pending:
	efw_pending_exit(en);
free_stats:
	free_percpu(en->stats);
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
	efw_pending_exit(en);
	free_percpu(en->stats);
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
