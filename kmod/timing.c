// SPDX-License-Identifier: GPL-2.0
/*
 * The module's own time per ClientHello (see timing.h).
 *
 * A per-CPU histogram with four buckets per power of two (so a bucket's
 * bounds are within 19% of each other): bucket 4k + j for 2^k <= ns <
 * 2^(k+1) holds the quarter j of that octave; ns < 4 take the first
 * four. Summed when read, never locked: a read while packets are counted
 * may miss a few of them.
 */
#include <linux/debugfs.h>
#include <linux/log2.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/seq_file.h>

#include "timing.h"

#define EFW_TIMING_BUCKETS (64 * 4)

struct efw_timing_hist {
	u64 n[EFW_TIMING_BUCKETS];
};

DEFINE_STATIC_KEY_FALSE(efw_timing_key);
static DEFINE_PER_CPU(struct efw_timing_hist, efw_hist);
static struct dentry *efw_debugfs;

static unsigned int bucket_of(u64 ns)
{
	unsigned int k;

	if (ns < 4)
		return ns;
	k = ilog2(ns);
	return k * 4 + ((ns >> (k - 2)) & 3);
}

/* The smallest ns of bucket @b. */
static u64 bucket_low(unsigned int b)
{
	unsigned int k = b / 4;

	if (b < 8)
		return b;
	return (1ULL << k) + ((u64)(b & 3) << (k - 2));
}

void efw_timing_note(u64 ns)
{
	this_cpu_inc(efw_hist.n[bucket_of(ns)]);
}

/* "LOW_NS COUNT" per bucket with a count, then "count N". */
static int hello_ns_show(struct seq_file *m, void *v)
{
	u64 total = 0, sum;
	unsigned int b;
	int cpu;

	for (b = 0; b < EFW_TIMING_BUCKETS; b++) {
		sum = 0;
		for_each_possible_cpu(cpu)
			sum += per_cpu(efw_hist, cpu).n[b];
		if (sum)
			seq_printf(m, "%llu %llu\n", bucket_low(b), sum);
		total += sum;
	}
	seq_printf(m, "count %llu\n", total);
	return 0;
}

static int hello_ns_open(struct inode *inode, struct file *file)
{
	return single_open(file, hello_ns_show, NULL);
}

/* Any write empties the histogram. */
static ssize_t hello_ns_write(struct file *file, const char __user *buf,
			      size_t len, loff_t *pos)
{
	int cpu;

	for_each_possible_cpu(cpu)
		memset(per_cpu_ptr(&efw_hist, cpu), 0, sizeof(efw_hist));
	return len;
}

static const struct file_operations hello_ns_fops = {
	.owner = THIS_MODULE,
	.open = hello_ns_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
	.write = hello_ns_write,
};

static int timing_set(const char *val, const struct kernel_param *kp)
{
	bool on;
	int ret = kstrtobool(val, &on);

	if (ret)
		return ret;
	if (on && !static_key_enabled(&efw_timing_key))
		static_branch_enable(&efw_timing_key);
	else if (!on && static_key_enabled(&efw_timing_key))
		static_branch_disable(&efw_timing_key);
	return 0;
}

static int timing_get(char *buf, const struct kernel_param *kp)
{
	return sprintf(buf, "%d\n", static_key_enabled(&efw_timing_key));
}

static const struct kernel_param_ops timing_ops = {
	.set = timing_set,
	.get = timing_get,
};
module_param_cb(timing, &timing_ops, NULL, 0644);
MODULE_PARM_DESC(timing, "Time each ClientHello's verdict (debugfs egressfw/hello_ns)");

/* Without debugfs the histogram cannot be read; nothing else fails. */
void __init efw_timing_init(void)
{
	efw_debugfs = debugfs_create_dir("egressfw", NULL);
	debugfs_create_file("hello_ns", 0600, efw_debugfs, NULL, &hello_ns_fops);
}

void efw_timing_exit(void)
{
	debugfs_remove_recursive(efw_debugfs);
	static_branch_disable(&efw_timing_key);
}
