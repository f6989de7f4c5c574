// SPDX-License-Identifier: GPL-2.0
/*
 * The global counters (stats.h). Both views loop over efw_counters[]
 * (counters.h), the table egressctl prints from too, so a counter is
 * named in one place.
 */
#include <linux/seq_file.h>
#include <linux/netdevice.h>
#include <net/genetlink.h>

#include "stats.h"
#include "ruleset.h"
#include "dns_learn.h"

int efw_stats_init(struct efw_net *en)
{
	en->stats = netdev_alloc_pcpu_stats(struct efw_pcpu_stats);
	return en->stats ? 0 : -ENOMEM;
}

void efw_stats_exit(struct efw_net *en)
{
	free_percpu(en->stats);
	en->stats = NULL;
}

void efw_stats_read(const struct efw_net *en, u64 out[EFW_STAT_MAX])
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

/* A gauge's value (EFW_COUNTER_GAUGE): read when asked. */
static u32 gauge(struct efw_net *en, const struct efw_counter *c)
{
	struct efw_ruleset *rs;
	u32 v = 0;

	switch (c->attr) {
	case EGRESSFW_STATS_A_DNS_ENTRIES:
		return efw_dns_count(en);
	case EGRESSFW_STATS_A_LAST_GOOD:
		/* Where the ruleset in force came from; none: 0. */
		rcu_read_lock();
		rs = rcu_dereference(en->ruleset);
		if (rs)
			v = rs->origin;
		rcu_read_unlock();
		return v;
	}
	return 0;
}

static int put_denied(struct sk_buff *msg, const u64 *v)
{
	struct nlattr *nest = nla_nest_start(msg, EGRESSFW_STATS_A_DENIED);
	int r;

	if (!nest)
		return -EMSGSIZE;
	for (r = 0; r < __EGRESSFW_DENY_MAX; r++)
		/* Type 0 pads in this nest: every other type is a reason. */
		if (nla_put_u64_64bit(msg, r + 1, v[EFW_STAT_DENIED + r], 0))
			return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

int efw_stats_put(struct sk_buff *msg, struct efw_net *en)
{
	u64 v[EFW_STAT_MAX];
	struct nlattr *nest;
	unsigned int i;
	int ret = 0;

	efw_stats_read(en, v);
	nest = nla_nest_start(msg, EGRESSFW_A_STATS);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < efw_n_counters && !ret; i++) {
		const struct efw_counter *c = &efw_counters[i];

		switch (c->kind) {
		case EFW_COUNTER:
			ret = nla_put_u64_64bit(msg, c->attr, v[c->slot],
						EGRESSFW_STATS_A_PAD);
			break;
		case EFW_COUNTER_GAUGE:
			ret = nla_put_u32(msg, c->attr, gauge(en, c));
			break;
		case EFW_COUNTER_DENIED:
			ret = put_denied(msg, v);
			break;
		}
	}
	if (ret)
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

void efw_stats_show(struct seq_file *seq, struct efw_net *en)
{
	u64 v[EFW_STAT_MAX];
	char name[48];
	unsigned int i;
	int r;

	efw_stats_read(en, v);
	for (i = 0; i < efw_n_counters; i++) {
		const struct efw_counter *c = &efw_counters[i];

		switch (c->kind) {
		case EFW_COUNTER:
			seq_printf(seq, "%s %llu\n",
				   efw_counter_name(c, '_', name, sizeof(name)),
				   v[c->slot]);
			break;
		case EFW_COUNTER_GAUGE:
			seq_printf(seq, "%s %u\n",
				   efw_counter_name(c, '_', name, sizeof(name)),
				   gauge(en, c));
			break;
		case EFW_COUNTER_DENIED:
			for (r = 0; r < __EGRESSFW_DENY_MAX; r++)
				seq_printf(seq, "denied_%s %llu\n",
					   efw_deny_reason_names[r],
					   v[EFW_STAT_DENIED + r]);
			break;
		}
	}
}
