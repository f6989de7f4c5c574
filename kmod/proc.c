// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/net/egressfw/: the rules with their counters, and the global
 * counters, of the reading process's network namespace.
 *
 * rules, one line per rule after a header:
 *   ID ALLOWED LAST_HIT LEARNED SOURCE PATTERN PORTS
 *   LAST_HIT is seconds since the last allowed connection ("-": never);
 *   PORTS is a PORTSPEC without blanks ("tcp/80,443,udp/123").
 * stats, one "name value" pair per line.
 */
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/jiffies.h>
#include <net/net_namespace.h>

#include "efw.h"

static const char *const deny_names[__EGRESSFW_DENY_MAX] = {
	[EGRESSFW_DENY_NO_MATCH] = "no_match",
	[EGRESSFW_DENY_NO_SNI] = "no_sni",
	[EGRESSFW_DENY_NOT_TLS] = "not_tls",
	[EGRESSFW_DENY_MALFORMED] = "malformed",
	[EGRESSFW_DENY_PENDING_OVERFLOW] = "pending_overflow",
	[EGRESSFW_DENY_TIMEOUT] = "timeout",
};

/* Position 0 is the header; position i > 0 is rule i - 1 (its meta). */
static void *rule_at(struct seq_file *seq, loff_t pos)
{
	struct efw_net *en = efw_net(seq_file_net(seq));
	struct efw_ruleset *rs = rcu_dereference(en->ruleset);

	if (!pos)
		return SEQ_START_TOKEN;
	if (!rs || pos > rs->n_rules)
		return NULL;
	return &rs->meta[pos - 1];
}

static void *rules_start(struct seq_file *seq, loff_t *pos)
	__acquires(RCU)
{
	rcu_read_lock();
	return rule_at(seq, *pos);
}

static void *rules_next(struct seq_file *seq, void *v, loff_t *pos)
{
	return rule_at(seq, ++*pos);
}

static void rules_stop(struct seq_file *seq, void *v)
	__releases(RCU)
{
	rcu_read_unlock();
}

static int rules_show(struct seq_file *seq, void *v)
{
	struct efw_net *en = efw_net(seq_file_net(seq));
	struct efw_ruleset *rs = rcu_dereference(en->ruleset);
	const struct efw_rule_meta *m;
	unsigned long last;
	char ports[256];
	u32 i;

	if (v == SEQ_START_TOKEN) {
		seq_puts(seq, "id allowed last_hit learned source pattern ports\n");
		return 0;
	}
	/*
	 * The ruleset may have been replaced since ->next: take the rule
	 * by position from the current one, so a line is never a mix.
	 */
	i = seq->index - 1;
	if (!rs || i >= rs->n_rules)
		return 0;
	m = &rs->meta[i];
	efw_format_ports(rs->ports + m->ports_off, m->n_ports, ports,
			 sizeof(ports));
	last = READ_ONCE(rs->ctr[i].last_hit);
	seq_printf(seq, "%u %llu ", i,
		   (unsigned long long)atomic64_read(&rs->ctr[i].allowed));
	if (last)
		seq_printf(seq, "%lus", (jiffies - last) / HZ);
	else
		seq_putc(seq, '-');
	seq_printf(seq, " 0 %s %s %s\n", efw_rule_source(rs, i),
		   efw_rule_pattern(rs, i), ports);
	return 0;
}

static const struct seq_operations rules_seq_ops = {
	.start = rules_start,
	.next = rules_next,
	.stop = rules_stop,
	.show = rules_show,
};

static int stats_show(struct seq_file *seq, void *v)
{
	struct efw_net *en = efw_net(seq_file_single_net(seq));
	struct efw_ruleset *rs;
	u64 st[EFW_STAT_MAX];
	int i;

	efw_stats_read(en, st);
	rcu_read_lock();
	rs = rcu_dereference(en->ruleset);
	seq_printf(seq, "loaded %d\ngeneration %u\nrules %u\n", !!rs,
		   READ_ONCE(en->generation), rs ? rs->n_rules : 0);
	rcu_read_unlock();
	seq_printf(seq, "mode %s\npending %u\n",
		   READ_ONCE(en->cfg.mode) == EGRESSFW_MODE_AUDIT ? "audit" :
								    "enforce",
		   efw_pending_count(en));
	seq_printf(seq, "packets %llu\nflows %llu\n", st[EFW_STAT_PACKETS],
		   st[EFW_STAT_FLOWS]);
	seq_printf(seq, "allowed_cidr %llu\nallowed_sni %llu\nallowed_dns %llu\n",
		   st[EFW_STAT_ALLOWED_CIDR], st[EFW_STAT_ALLOWED_SNI],
		   st[EFW_STAT_ALLOWED_DNS]);
	for (i = 0; i < __EGRESSFW_DENY_MAX; i++)
		seq_printf(seq, "denied_%s %llu\n", deny_names[i],
			   st[EFW_STAT_DENIED + i]);
	return 0;
}

int efw_proc_init(struct efw_net *en)
{
	struct net *net = en->net;

	en->proc_dir = proc_net_mkdir(net, "egressfw", net->proc_net);
	if (!en->proc_dir)
		return -ENOMEM;
	if (!proc_create_net("rules", 0444, en->proc_dir, &rules_seq_ops,
			     sizeof(struct seq_net_private)) ||
	    !proc_create_net_single("stats", 0444, en->proc_dir, stats_show,
				    NULL)) {
		remove_proc_subtree("egressfw", net->proc_net);
		en->proc_dir = NULL;
		return -ENOMEM;
	}
	return 0;
}

void efw_proc_exit(struct efw_net *en)
{
	if (en->proc_dir)
		remove_proc_subtree("egressfw", en->net->proc_net);
	en->proc_dir = NULL;
}
