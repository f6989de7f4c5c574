/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The global counters of a namespace (stats.c): per-CPU u64s, summed only
 * when read, shown by /proc/net/egressfw/stats and EGRESSFW_CMD_GET_STATS
 * from the one table in counters.h.
 */
#ifndef EGRESSFW_STATS_H
#define EGRESSFW_STATS_H

#include <linux/percpu.h>
#include <linux/u64_stats_sync.h>

#include "counters.h"
#include "netns.h"

struct sk_buff;
struct seq_file;

struct efw_pcpu_stats {
	u64_stats_t v[EFW_STAT_MAX];
	struct u64_stats_sync syncp;
};

/*
 * LOCAL_OUT may run preemptible: pin the CPU while its counters are
 * updated, or a migration could race another CPU's increment.
 */
static inline void efw_stat_inc(struct efw_net *en, enum efw_stat s)
{
	struct efw_pcpu_stats *st = get_cpu_ptr(en->stats);
	unsigned long flags;

	flags = u64_stats_update_begin_irqsave(&st->syncp);
	u64_stats_inc(&st->v[s]);
	u64_stats_update_end_irqrestore(&st->syncp, flags);
	put_cpu_ptr(en->stats);
}

int efw_stats_init(struct efw_net *en);
void efw_stats_exit(struct efw_net *en);

/* The sums over all CPUs, by enum efw_stat. */
void efw_stats_read(const struct efw_net *en, u64 out[EFW_STAT_MAX]);

/* EGRESSFW_A_STATS, every counter of the table. */
int efw_stats_put(struct sk_buff *msg, struct efw_net *en);

/* The counter lines of /proc/net/egressfw/stats, "name value". */
void efw_stats_show(struct seq_file *seq, struct efw_net *en);

#endif /* EGRESSFW_STATS_H */
