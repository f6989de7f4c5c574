// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/net/egressfw/: the rules with their counters, the global
 * counters and the learned addresses of the reading process's network
 * namespace.
 *
 * rules, one line per rule after a header:
 *   ID ALLOWED LAST_HIT LEARNED SOURCE PATTERN PORTS BY_SNI BY_DNS BY_CIDR
 *   LAST_HIT is seconds since the last allowed connection ("-": never);
 *   LEARNED counts the learned (address, name) entries the pattern
 *   matches; PORTS is a PORTSPEC without blanks ("tcp/80,443,udp/123");
 *   BY_* split ALLOWED by what decided (the new columns come last, so
 *   scripts reading the first seven keep working).
 * stats, one "name value" pair per line.
 * dns, one line per live learned entry after a header:
 *   ADDRESS NAME EXPIRES TTL RULE
 *   EXPIRES is seconds left (grace included), TTL the clamped TTL, RULE
 *   the first rule matching NAME ("-" if the ruleset no longer has one).
 */
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/jiffies.h>
#include <net/net_namespace.h>

#include "proc.h"
#include "config.h"
#include "stats.h"
#include "ruleset.h"
#include "pending.h"
#include "dns_learn.h"

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
	u64 allowed, by_dns;
	unsigned long last;
	char ports[256];
	u32 i;

	if (v == SEQ_START_TOKEN) {
		seq_puts(seq, "id allowed last_hit learned source pattern ports by_sni by_dns by_cidr\n");
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
	/* dns first: the two are bumped allowed first, so this never goes below 0 */
	by_dns = atomic64_read(&rs->ctr[i].allowed_dns);
	allowed = max_t(u64, atomic64_read(&rs->ctr[i].allowed), by_dns);
	seq_printf(seq, "%u %llu ", i, allowed);
	if (last)
		seq_printf(seq, "%lus", (jiffies - last) / HZ);
	else
		seq_putc(seq, '-');
	seq_printf(seq, " %d %s %s %s", max(atomic_read(&rs->ctr[i].learned), 0),
		   efw_rule_source(rs, i), efw_rule_pattern(rs, i), ports);
	/* A CIDR rule allows by address only; a name rule by SNI or DNS. */
	if (m->kind == EFW_KIND_CIDR4 || m->kind == EFW_KIND_CIDR6)
		seq_printf(seq, " 0 0 %llu\n", allowed);
	else
		seq_printf(seq, " %llu %llu 0\n", allowed - by_dns, by_dns);
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
	const struct efw_config *cfg;
	struct efw_ruleset *rs;
	u32 mode, strict;

	rcu_read_lock();
	rs = rcu_dereference(en->ruleset);
	seq_printf(seq, "loaded %d\ngeneration %u\nrules %u\n", !!rs,
		   READ_ONCE(en->generation), rs ? rs->n_rules : 0);
	cfg = efw_config(en);
	mode = EFW_CFG(cfg, MODE);
	strict = EFW_CFG(cfg, STRICT);
	rcu_read_unlock();
	seq_printf(seq, "mode %s\npending %u\n",
		   mode == EGRESSFW_MODE_AUDIT ? "audit" : "enforce",
		   efw_pending_count(en));
	efw_stats_show(seq, en);
	seq_printf(seq, "strict %u\n", strict);
	return 0;
}

struct dns_show {
	struct seq_file *seq;
	const struct efw_ruleset *rs;
};

static int dns_line(void *ctx, const struct efw_dns_view *v)
{
	struct dns_show *d = ctx;
	s32 rule = efw_dns_first_rule(d->rs, v->name);

	if (v->family == 4)
		seq_printf(d->seq, "%pI4", v->addr);
	else
		seq_printf(d->seq, "%pI6c", v->addr);
	seq_printf(d->seq, " %s %u %u ", v->name, v->expires_in, v->ttl);
	if (rule >= 0)
		seq_printf(d->seq, "%d\n", rule);
	else
		seq_puts(d->seq, "-\n");
	return 0;
}

/*
 * One pass under RCU: the buffer grows until the whole table fits (a
 * bounded table, so a bounded buffer), and the file is then consistent
 * with itself.
 */
static int dns_show(struct seq_file *seq, void *v)
{
	struct efw_net *en = efw_net(seq_file_single_net(seq));
	struct dns_show d = { .seq = seq };
	unsigned long bucket = 0, skip = 0;

	seq_puts(seq, "address name expires ttl rule\n");
	rcu_read_lock();
	d.rs = rcu_dereference(en->ruleset);
	efw_dns_walk(en, &bucket, &skip, dns_line, &d);
	rcu_read_unlock();
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
				    NULL) ||
	    /* Addresses and names clients resolved: root of the namespace only. */
	    !proc_create_net_single("dns", 0400, en->proc_dir, dns_show,
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
