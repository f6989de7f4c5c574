// SPDX-License-Identifier: GPL-2.0
/*
 * Rulesets: collecting the rules of a replace transaction, compiling them
 * into a matcher plus what the dump and /proc show, and freeing them.
 *
 * Everything here runs in process context under the namespace's mutex,
 * off the packet path, so it may sleep and allocate with GFP_KERNEL, and
 * charges what it allocates to the loader's memory cgroup (_ACCOUNT).
 * Patterns are parsed with the very code egressctl uses (pattern.c): the
 * kernel accepts exactly the entries a list file may contain.
 */
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/bitmap.h>
#include <linux/jiffies.h>
#include <linux/overflow.h>
#include <linux/sched.h>

#include "ruleset.h"
#include "pattern.h"

/* Grow *@arr (element size @size) to hold @need elements. */
static int reserve(void **arr, u32 *cap, u32 need, size_t size)
{
	u32 ncap = *cap ? *cap : 64;
	void *n;

	if (need <= *cap)
		return 0;
	while (ncap < need) {
		if (ncap > U32_MAX / 2)
			return -E2BIG;
		ncap *= 2;
	}
	n = efw_kvrealloc(*arr, array_size(*cap, size), array_size(ncap, size),
			  EFW_GFP_BIG);
	if (!n)
		return -ENOMEM;
	*arr = n;
	*cap = ncap;
	return 0;
}

int efw_txn_add_rule(struct efw_txn *txn, u32 id, const char *pattern,
		     size_t pattern_len, const struct efw_port_range *ports,
		     u32 n_ports, const char *source, const char *set,
		     const char **msg)
{
	struct efw_pattern *p;
	struct efw_pattern_lite *lite;
	size_t src_len = strlen(source), set_len = strlen(set), err_off;
	u32 i, text_need;
	int ret;

	if (id != txn->n_rules) {
		*msg = "rule ids must run 0, 1, 2, ... in list order";
		return -EPROTO;
	}
	if (txn->n_rules >= txn->max_rules) {
		*msg = txn->max_rules < EGRESSFW_MAX_RULES ?
		       "too many rules for a namespace of an unprivileged user" :
		       "too many rules";
		return -E2BIG;
	}
	if (!n_ports) {
		*msg = "a rule needs at least one port range";
		return -EINVAL;
	}
	for (i = 0; i < n_ports; i++) {
		if ((ports[i].proto != EFW_PROTO_TCP &&
		     ports[i].proto != EFW_PROTO_UDP) ||
		    !ports[i].lo || ports[i].lo > ports[i].hi) {
			*msg = "invalid port range";
			return -EINVAL;
		}
	}

	p = kmalloc(sizeof(*p), GFP_KERNEL_ACCOUNT);
	if (!p)
		return -ENOMEM;
	ret = efw_pattern_parse(pattern, pattern_len, p, msg, &err_off);
	if (ret)
		goto out;

	ret = reserve((void **)&txn->rules, &txn->cap_rules, txn->n_rules + 1,
		      sizeof(*txn->rules));
	if (!ret)
		ret = reserve((void **)&txn->ports, &txn->cap_ports,
			      txn->n_ports + n_ports, sizeof(*txn->ports));
	text_need = txn->text_len + p->name_len + src_len + set_len + 3 +
		    (p->kind >= EFW_KIND_CIDR4 ? pattern_len : 0);
	if (!ret)
		ret = reserve((void **)&txn->text, &txn->text_cap, text_need, 1);
	if (ret) {
		*msg = "out of memory";
		goto out;
	}

	lite = &txn->rules[txn->n_rules];
	lite->kind = p->kind;
	lite->prefix_len = p->prefix_len;
	lite->name_len = p->name_len;
	memcpy(lite->addr, p->addr, sizeof(lite->addr));
	lite->text = txn->text_len;
	/* Names are kept canonical; addresses as sent (canonical too). */
	if (p->kind >= EFW_KIND_CIDR4) {
		memcpy(txn->text + txn->text_len, pattern, pattern_len);
		txn->text_len += pattern_len;
	} else {
		memcpy(txn->text + txn->text_len, p->name, p->name_len);
		txn->text_len += p->name_len;
	}
	txn->text[txn->text_len++] = '\0';
	memcpy(txn->text + txn->text_len, source, src_len + 1);
	txn->text_len += src_len + 1;
	memcpy(txn->text + txn->text_len, set, set_len + 1);
	txn->text_len += set_len + 1;

	lite->ports_off = txn->n_ports;
	lite->n_ports = n_ports;
	memcpy(txn->ports + txn->n_ports, ports, n_ports * sizeof(*ports));
	txn->n_ports += n_ports;
	txn->n_rules++;
	ret = 0;
out:
	kfree(p);
	return ret;
}

void efw_txn_free(struct efw_txn *txn)
{
	if (!txn)
		return;
	kvfree(txn->rules);
	kvfree(txn->ports);
	kvfree(txn->text);
	kfree(txn);
}

/*
 * The matcher takes struct efw_pattern (280 bytes each), so they exist
 * only for the duration of the build.
 */
static struct efw_matcher *compile(const struct efw_txn *txn, int *err)
{
	u32 n = txn->n_rules ? txn->n_rules : 1, i;
	struct efw_rule_spec *specs;
	struct efw_pattern *pats;
	struct efw_matcher *m = NULL;

	*err = -ENOMEM;
	specs = kvmalloc_array(n, sizeof(*specs), EFW_GFP_BIG);
	pats = kvmalloc_array(n, sizeof(*pats), EFW_GFP_BIG);
	if (!specs || !pats)
		goto out;
	for (i = 0; i < txn->n_rules; i++) {
		const struct efw_pattern_lite *l = &txn->rules[i];
		struct efw_pattern *p = &pats[i];

		p->kind = l->kind;
		p->prefix_len = l->prefix_len;
		p->name_len = l->name_len;
		memcpy(p->addr, l->addr, sizeof(p->addr));
		if (l->kind < EFW_KIND_CIDR4)
			memcpy(p->name, txn->text + l->text, l->name_len);
		p->name[l->kind < EFW_KIND_CIDR4 ? l->name_len : 0] = '\0';
		specs[i].pattern = p;
		specs[i].ports = txn->ports + l->ports_off;
		specs[i].n_ports = l->n_ports;
		if (!(i & 0xffff))
			cond_resched();
	}
	m = efw_matcher_build(specs, txn->n_rules, err);
out:
	kvfree(pats);
	kvfree(specs);
	return m;
}

/* The ports a list names are guarded on top of the fixed set. */
static void mark_ports(struct efw_ruleset *rs)
{
	u32 i;

	for (i = 0; i < rs->n_rules; i++) {
		const struct efw_rule_meta *m = &rs->meta[i];
		u32 k;

		for (k = 0; k < m->n_ports; k++) {
			const struct efw_port_range *r = &rs->ports[m->ports_off + k];

			bitmap_set(r->proto == EFW_PROTO_UDP ? rs->udp_ports :
				   rs->tcp_ports, r->lo, r->hi - r->lo + 1);
		}
	}
}

struct efw_ruleset *efw_ruleset_build(struct efw_txn *txn, u32 generation,
				      int *err)
{
	u32 n = txn->n_rules ? txn->n_rules : 1, i;
	struct efw_ruleset *rs;

	*err = -ENOMEM;
	rs = kzalloc(sizeof(*rs), GFP_KERNEL_ACCOUNT);
	if (!rs)
		return NULL;
	rs->n_rules = txn->n_rules;
	rs->generation = generation;
	rs->meta = kvmalloc_array(n, sizeof(*rs->meta), EFW_GFP_BIG);
	rs->ctr = kvcalloc(n, sizeof(*rs->ctr), EFW_GFP_BIG);
	rs->tcp_ports = bitmap_zalloc(65536, GFP_KERNEL_ACCOUNT);
	rs->udp_ports = bitmap_zalloc(65536, GFP_KERNEL_ACCOUNT);
	if (!rs->meta || !rs->ctr || !rs->tcp_ports || !rs->udp_ports)
		goto fail;

	rs->matcher = compile(txn, err);
	if (!rs->matcher)
		goto fail;
	for (i = 0; i < txn->n_rules; i++) {
		rs->meta[i].text = txn->rules[i].text;
		rs->meta[i].ports_off = txn->rules[i].ports_off;
		rs->meta[i].n_ports = txn->rules[i].n_ports;
		rs->meta[i].kind = txn->rules[i].kind;
	}
	rs->ports = txn->ports;
	rs->text = txn->text;
	for (i = 0; i < rs->n_rules && !rs->has_sets; i++)
		rs->has_sets = *efw_rule_set(rs, i) != '\0';
	txn->ports = NULL;
	txn->text = NULL;
	mark_ports(rs);
	*err = 0;
	return rs;
fail:
	efw_ruleset_free(rs);
	return NULL;
}

void efw_ruleset_free(struct efw_ruleset *rs)
{
	if (!rs)
		return;
	efw_matcher_free(rs->matcher);
	kvfree(rs->meta);
	kvfree(rs->ctr);
	kvfree(rs->ports);
	kvfree(rs->text);
	bitmap_free(rs->tcp_ports);
	bitmap_free(rs->udp_ports);
	kfree(rs);
}

static void free_rcu_cb(struct rcu_head *head)
{
	efw_ruleset_free(container_of(head, struct efw_ruleset, rcu));
}

void efw_ruleset_free_rcu(struct efw_ruleset *rs)
{
	if (rs)
		call_rcu(&rs->rcu, free_rcu_cb);
}

void efw_rule_hit(struct efw_ruleset *rs, u32 rule, bool by_dns)
{
	if (rule >= rs->n_rules)
		return;
	atomic64_inc(&rs->ctr[rule].allowed);
	if (by_dns)
		atomic64_inc(&rs->ctr[rule].allowed_dns);
	WRITE_ONCE(rs->ctr[rule].last_hit, jiffies ? jiffies : 1);
}

/*
 * "tcp/80,443,udp/123": no blanks, so it is one /proc column, and it is
 * also a valid PORTSPEC (a "proto/" prefix switches the protocol).
 */
int efw_format_ports(const struct efw_port_range *r, u32 n, char *buf,
		     size_t size)
{
	size_t used = 0;
	u32 i;

	buf[0] = '\0';
	for (i = 0; i < n && used < size; i++) {
		bool new_proto = !i || r[i].proto != r[i - 1].proto;
		const char *proto = r[i].proto == EFW_PROTO_UDP ? "udp/" : "tcp/";

		used += scnprintf(buf + used, size - used, "%s%s%u",
				  !i ? "" : ",",
				  new_proto ? proto : "", r[i].lo);
		if (r[i].hi != r[i].lo)
			used += scnprintf(buf + used, size - used, "-%u",
					  r[i].hi);
	}
	return (int)used;
}
