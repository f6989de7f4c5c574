// SPDX-License-Identifier: GPL-2.0
/*
 * The "egressfw" generic netlink family: the protocol is documented in
 * include/uapi/linux/egressfw.h, command by command.
 *
 * Commands run in parallel across namespaces (parallel_ops); within one
 * namespace they serialize on its mutex, so concurrent loads queue up
 * and a compile of a big list does not hold the global genetlink lock.
 */
#include <linux/jiffies.h>
#include <linux/netlink.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "netlink.h"
#include "netns.h"
#include "config.h"
#include "stats.h"
#include "ruleset.h"
#include "pattern.h"
#include "dns_learn.h"
#include "learn_events.h"
#include "report.h"

#define EFW_PATTERN_TEXT_MAX	300
#define EFW_SOURCE_TEXT_MAX	255


static const struct nla_policy rule_policy[EGRESSFW_RULE_A_MAX + 1] = {
	[EGRESSFW_RULE_A_ID] = { .type = NLA_U32 },
	[EGRESSFW_RULE_A_PATTERN] = { .type = NLA_STRING,
				      .len = EFW_PATTERN_TEXT_MAX },
	[EGRESSFW_RULE_A_PORTS] = NLA_POLICY_MIN_LEN(sizeof(struct egressfw_port_range)),
	[EGRESSFW_RULE_A_SOURCE] = { .type = NLA_STRING,
				     .len = EFW_SOURCE_TEXT_MAX },
	[EGRESSFW_RULE_A_SET] = { .type = NLA_STRING,
				  .len = EGRESSFW_SET_MAX - 1 },
};

static const struct nla_policy efw_policy[EGRESSFW_A_MAX + 1] = {
	[EGRESSFW_A_TXN_ID] = { .type = NLA_U32 },
	[EGRESSFW_A_RULES] = NLA_POLICY_NESTED_ARRAY(rule_policy),
	[EGRESSFW_A_RULE_COUNT] = { .type = NLA_U32 },
	[EGRESSFW_A_CONFIG] = NLA_POLICY_NESTED(efw_config_policy),
	[EGRESSFW_A_ORIGIN] = NLA_POLICY_MAX(NLA_U8, EGRESSFW_ORIGIN_DENY_ALL),
};

/* A socket that vanished or went quiet does not block the next load. */
static bool txn_stale(const struct efw_txn *txn)
{
	return time_after(jiffies, txn->touched +
			  EGRESSFW_TXN_TIMEOUT_SEC * HZ);
}

static void txn_drop(struct efw_net *en)
{
	efw_txn_free(en->txn);
	en->txn = NULL;
}

/* The caller's open transaction, or NULL with extack set. Under en->lock. */
static struct efw_txn *txn_get(struct efw_net *en, struct genl_info *info)
{
	struct efw_txn *txn = en->txn;

	if (!info->attrs[EGRESSFW_A_TXN_ID]) {
		NL_SET_ERR_MSG(info->extack, "missing transaction id");
		return NULL;
	}
	if (!txn || txn->portid != info->snd_portid ||
	    txn->id != nla_get_u32(info->attrs[EGRESSFW_A_TXN_ID])) {
		NL_SET_ERR_MSG(info->extack,
			       "no such transaction (timed out or aborted?)");
		return NULL;
	}
	txn->touched = jiffies;
	return txn;
}

static int reply_u32(struct genl_info *info, u8 cmd, int attr, u32 v)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &efw_family, 0, cmd);
	if (!hdr || nla_put_u32(msg, attr, v)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int cmd_begin(struct sk_buff *skb, struct genl_info *info)
{
	struct efw_net *en = efw_net(genl_info_net(info));
	struct efw_txn *txn;
	u32 id;
	int ret = -EBUSY;

	mutex_lock(&en->lock);
	if (en->txn && en->txn->portid != info->snd_portid &&
	    !txn_stale(en->txn)) {
		NL_SET_ERR_MSG(info->extack,
			       "another load is in progress in this namespace");
		goto out;
	}
	txn_drop(en);
	ret = -ENOMEM;
	txn = kzalloc(sizeof(*txn), GFP_KERNEL_ACCOUNT);
	if (!txn)
		goto out;
	txn->max_rules = efw_net_unprivileged(en) ? EFW_USER_MAX_RULES :
						     EGRESSFW_MAX_RULES;
	txn->id = id = ++en->txn_next_id;
	txn->portid = info->snd_portid;
	txn->touched = jiffies;
	en->txn = txn;
	ret = 0;
out:
	mutex_unlock(&en->lock);
	if (ret)
		return ret;
	return reply_u32(info, EGRESSFW_CMD_RULESET_BEGIN, EGRESSFW_A_TXN_ID, id);
}

/* One EGRESSFW_A_RULE into the transaction. */
static int add_one(struct efw_txn *txn, const struct nlattr *attr,
		   struct netlink_ext_ack *extack)
{
	struct nlattr *tb[EGRESSFW_RULE_A_MAX + 1];
	struct efw_port_range ports[EGRESSFW_MAX_PORT_RANGES];
	const struct egressfw_port_range *wire;
	char source[EFW_SOURCE_TEXT_MAX + 1] = "";
	char set[EGRESSFW_SET_MAX] = "";
	const char *msg = NULL;
	const char *pattern;
	size_t plen;
	u32 n, i;
	int ret;

	ret = nla_parse_nested(tb, EGRESSFW_RULE_A_MAX, attr, rule_policy,
			       extack);
	if (ret)
		return ret;
	if (!tb[EGRESSFW_RULE_A_ID] || !tb[EGRESSFW_RULE_A_PATTERN] ||
	    !tb[EGRESSFW_RULE_A_PORTS]) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "a rule needs an id, a pattern and ports");
		return -EINVAL;
	}
	n = nla_len(tb[EGRESSFW_RULE_A_PORTS]) / sizeof(*wire);
	if (nla_len(tb[EGRESSFW_RULE_A_PORTS]) % sizeof(*wire) ||
	    n > ARRAY_SIZE(ports)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[EGRESSFW_RULE_A_PORTS],
				    "ports: 1 to 64 struct egressfw_port_range");
		return -EINVAL;
	}
	wire = nla_data(tb[EGRESSFW_RULE_A_PORTS]);
	for (i = 0; i < n; i++) {
		ports[i].proto = wire[i].proto;
		ports[i].lo = wire[i].lo;
		ports[i].hi = wire[i].hi;
	}
	pattern = nla_data(tb[EGRESSFW_RULE_A_PATTERN]);
	plen = strnlen(pattern, nla_len(tb[EGRESSFW_RULE_A_PATTERN]));
	if (tb[EGRESSFW_RULE_A_SOURCE])
		nla_strscpy(source, tb[EGRESSFW_RULE_A_SOURCE], sizeof(source));
	if (tb[EGRESSFW_RULE_A_SET])
		nla_strscpy(set, tb[EGRESSFW_RULE_A_SET], sizeof(set));

	ret = efw_txn_add_rule(txn, nla_get_u32(tb[EGRESSFW_RULE_A_ID]),
			       pattern, plen, ports, n, source, set, &msg);
	/* The parser's messages are static strings: extack may keep them. */
	if (ret && extack) {
		extack->_msg = msg ? msg : "invalid rule";
		extack->bad_attr = attr;
	}
	return ret;
}

static int cmd_add(struct sk_buff *skb, struct genl_info *info)
{
	struct efw_net *en = efw_net(genl_info_net(info));
	const struct nlattr *attr;
	struct efw_txn *txn;
	int rem, ret = -ENOENT;

	if (!info->attrs[EGRESSFW_A_RULES]) {
		NL_SET_ERR_MSG(info->extack, "missing rules");
		return -EINVAL;
	}
	mutex_lock(&en->lock);
	txn = txn_get(en, info);
	if (!txn)
		goto out;
	ret = 0;
	nla_for_each_nested(attr, info->attrs[EGRESSFW_A_RULES], rem) {
		ret = add_one(txn, attr, info->extack);
		if (ret)
			break;
	}
	/* A rejected rule ends the transaction: nothing half-applied. */
	if (ret)
		txn_drop(en);
out:
	mutex_unlock(&en->lock);
	return ret;
}

static int cmd_commit(struct sk_buff *skb, struct genl_info *info)
{
	struct efw_net *en = efw_net(genl_info_net(info));
	struct efw_ruleset *rs, *old;
	struct efw_config *cfg;
	struct efw_txn *txn;
	int ret = -ENOENT;

	mutex_lock(&en->lock);
	txn = txn_get(en, info);
	if (!txn)
		goto out;
	ret = -EPROTO;
	if (!info->attrs[EGRESSFW_A_RULE_COUNT] ||
	    nla_get_u32(info->attrs[EGRESSFW_A_RULE_COUNT]) != txn->n_rules) {
		NL_SET_ERR_MSG(info->extack,
			       "rule count differs from the rules received");
		goto drop;
	}
	/* Settings first: refused ones leave the rules in force untouched. */
	cfg = info->attrs[EGRESSFW_A_CONFIG] ?
	      efw_config_prepare(en, info->attrs[EGRESSFW_A_CONFIG],
				 info->extack) : NULL;
	if (IS_ERR(cfg)) {
		ret = PTR_ERR(cfg);
		goto drop;
	}
	rs = efw_ruleset_build(txn, en->generation + 1, &ret);
	if (!rs) {
		NL_SET_ERR_MSG(info->extack, "cannot compile the rules");
		kfree(cfg);
		goto drop;
	}
	if (info->attrs[EGRESSFW_A_ORIGIN])
		rs->origin = nla_get_u8(info->attrs[EGRESSFW_A_ORIGIN]);
	ret = efw_net_activate(en);
	if (ret) {
		NL_SET_ERR_MSG(info->extack,
			       "cannot hook netfilter / conntrack in this namespace");
		efw_ruleset_free(rs);
		kfree(cfg);
		goto drop;
	}
	/*
	 * Settings before rules: a packet between the two swaps sees the new
	 * settings with the old rules, both of them whole.
	 */
	if (cfg)
		efw_config_publish(en, cfg);
	en->generation++;
	old = rcu_replace_pointer(en->ruleset, rs, lockdep_is_held(&en->lock));
	efw_ruleset_free_rcu(old);
	/* What was learned stays; the new rules' "learned" counts catch up. */
	efw_dns_recount(en, rs);
	ret = 0;
drop:
	txn_drop(en);
out:
	mutex_unlock(&en->lock);
	return ret;
}

static int cmd_abort(struct sk_buff *skb, struct genl_info *info)
{
	struct efw_net *en = efw_net(genl_info_net(info));
	int ret = -ENOENT;

	mutex_lock(&en->lock);
	if (txn_get(en, info)) {
		txn_drop(en);
		ret = 0;
	}
	mutex_unlock(&en->lock);
	return ret;
}

static int cmd_flush(struct sk_buff *skb, struct genl_info *info)
{
	struct efw_net *en = efw_net(genl_info_net(info));
	struct efw_ruleset *old;

	mutex_lock(&en->lock);
	old = rcu_replace_pointer(en->ruleset, NULL, lockdep_is_held(&en->lock));
	efw_net_deactivate(en);
	if (old)
		en->generation++;
	efw_ruleset_free_rcu(old);
	mutex_unlock(&en->lock);
	return 0;
}

static int cmd_get_stats(struct sk_buff *skb, struct genl_info *info)
{
	struct efw_net *en = efw_net(genl_info_net(info));
	struct efw_ruleset *rs;
	struct sk_buff *msg;
	void *hdr;
	int ret = -EMSGSIZE;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &efw_family, 0,
				EGRESSFW_CMD_GET_STATS);
	if (!hdr)
		goto fail;
	mutex_lock(&en->lock);
	rs = rcu_dereference_protected(en->ruleset, lockdep_is_held(&en->lock));
	if (nla_put_u8(msg, EGRESSFW_A_LOADED, !!rs) ||
	    nla_put_u32(msg, EGRESSFW_A_GENERATION, en->generation) ||
	    nla_put_u32(msg, EGRESSFW_A_RULE_COUNT, rs ? rs->n_rules : 0) ||
	    efw_stats_put(msg, en)) {
		mutex_unlock(&en->lock);
		goto fail;
	}
	mutex_unlock(&en->lock);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
fail:
	nlmsg_free(msg);
	return ret;
}

static int cmd_get_config(struct sk_buff *skb, struct genl_info *info)
{
	struct efw_net *en = efw_net(genl_info_net(info));
	struct sk_buff *msg;
	void *hdr;
	int ret;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &efw_family, 0,
				EGRESSFW_CMD_GET_CONFIG);
	mutex_lock(&en->lock);
	ret = hdr ? efw_config_put(msg, en) : -EMSGSIZE;
	mutex_unlock(&en->lock);
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int cmd_set_config(struct sk_buff *skb, struct genl_info *info)
{
	struct efw_net *en = efw_net(genl_info_net(info));
	struct efw_config *cfg;

	if (!info->attrs[EGRESSFW_A_CONFIG]) {
		NL_SET_ERR_MSG(info->extack, "missing config");
		return -EINVAL;
	}
	mutex_lock(&en->lock);
	cfg = efw_config_prepare(en, info->attrs[EGRESSFW_A_CONFIG],
				 info->extack);
	if (!IS_ERR(cfg))
		efw_config_publish(en, cfg);
	mutex_unlock(&en->lock);
	return PTR_ERR_OR_ZERO(cfg);
}

static int put_rule(struct sk_buff *msg, const struct efw_ruleset *rs, u32 i)
{
	const struct efw_rule_meta *m = &rs->meta[i];
	struct egressfw_port_range wire[EGRESSFW_MAX_PORT_RANGES];
	unsigned long last = READ_ONCE(rs->ctr[i].last_hit);
	struct nlattr *nest;
	u32 k, n = min_t(u32, m->n_ports, ARRAY_SIZE(wire));

	memset(wire, 0, sizeof(wire));
	for (k = 0; k < n; k++) {
		wire[k].proto = rs->ports[m->ports_off + k].proto;
		wire[k].lo = rs->ports[m->ports_off + k].lo;
		wire[k].hi = rs->ports[m->ports_off + k].hi;
	}
	nest = nla_nest_start(msg, EGRESSFW_A_RULE);
	if (!nest ||
	    nla_put_u32(msg, EGRESSFW_RULE_A_ID, i) ||
	    nla_put_string(msg, EGRESSFW_RULE_A_PATTERN, efw_rule_pattern(rs, i)) ||
	    nla_put(msg, EGRESSFW_RULE_A_PORTS, n * sizeof(wire[0]), wire) ||
	    nla_put_string(msg, EGRESSFW_RULE_A_SOURCE, efw_rule_source(rs, i)) ||
	    (*efw_rule_set(rs, i) &&
	     nla_put_string(msg, EGRESSFW_RULE_A_SET, efw_rule_set(rs, i))) ||
	    nla_put_u64_64bit(msg, EGRESSFW_RULE_A_ALLOWED,
			      atomic64_read(&rs->ctr[i].allowed),
			      EGRESSFW_RULE_A_PAD) ||
	    (last && nla_put_u64_64bit(msg, EGRESSFW_RULE_A_LAST_HIT,
				       (jiffies - last) / HZ,
				       EGRESSFW_RULE_A_PAD)) ||
	    nla_put_u64_64bit(msg, EGRESSFW_RULE_A_ALLOWED_DNS,
			      atomic64_read(&rs->ctr[i].allowed_dns),
			      EGRESSFW_RULE_A_PAD) ||
	    nla_put_u32(msg, EGRESSFW_RULE_A_LEARNED,
			max(atomic_read(&rs->ctr[i].learned), 0)))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

/*
 * cb->args[0]: next rule. The generation goes into cb->seq, so a dump
 * that spans a commit or flush is flagged NLM_F_DUMP_INTR.
 */
static int dump_rules(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct efw_net *en = efw_net(sock_net(skb->sk));
	const struct efw_ruleset *rs;
	u32 i = cb->args[0];
	void *hdr;

	rcu_read_lock();
	rs = rcu_dereference(en->ruleset);
	cb->seq = rs ? rs->generation : READ_ONCE(en->generation);
	for (; rs && i < rs->n_rules; i++) {
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &efw_family, NLM_F_MULTI,
				  EGRESSFW_CMD_GET_RULES);
		if (!hdr)
			break;
		genl_dump_check_consistent(cb, hdr);
		if (nla_put_u32(skb, EGRESSFW_A_GENERATION, rs->generation) ||
		    put_rule(skb, rs, i)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
	}
	rcu_read_unlock();
	cb->args[0] = i;
	return skb->len;
}

struct cache_dump {
	struct sk_buff *skb;
	struct netlink_callback *cb;
	const struct efw_ruleset *rs;
};

static int put_cache_entry(void *ctx, const struct efw_dns_view *v)
{
	struct cache_dump *d = ctx;
	struct sk_buff *skb = d->skb;
	struct nlattr *nest;
	void *hdr;
	s32 rule;

	hdr = genlmsg_put(skb, NETLINK_CB(d->cb->skb).portid,
			  d->cb->nlh->nlmsg_seq, &efw_family, NLM_F_MULTI,
			  EGRESSFW_CMD_GET_CACHE);
	if (!hdr)
		return -EMSGSIZE;
	rule = efw_dns_first_rule(d->rs, v->name);
	nest = nla_nest_start(skb, EGRESSFW_A_CACHE);
	if (!nest ||
	    nla_put_u8(skb, EGRESSFW_CACHE_A_FAMILY, v->family) ||
	    nla_put(skb, EGRESSFW_CACHE_A_ADDR, v->family == 4 ? 4 : 16, v->addr) ||
	    nla_put_string(skb, EGRESSFW_CACHE_A_NAME, v->name) ||
	    nla_put_u32(skb, EGRESSFW_CACHE_A_EXPIRES, v->expires_in) ||
	    nla_put_u32(skb, EGRESSFW_CACHE_A_TTL, v->ttl) ||
	    (rule >= 0 && nla_put_u32(skb, EGRESSFW_CACHE_A_RULE, rule)) ||
	    efw_put_sets(skb, d->rs, v->name)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;
}

/* cb->args[0]: hash bucket, cb->args[1]: entries of it already sent. */
static int dump_cache(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct efw_net *en = efw_net(sock_net(skb->sk));
	struct cache_dump d = { .skb = skb, .cb = cb };

	rcu_read_lock();
	d.rs = rcu_dereference(en->ruleset);
	efw_dns_walk(en, &cb->args[0], &cb->args[1], put_cache_entry, &d);
	rcu_read_unlock();
	return skb->len;
}

static int dump_report(struct sk_buff *skb, struct netlink_callback *cb)
{
	return efw_report_dump(efw_net(sock_net(skb->sk)), skb, cb);
}

static int cmd_clear_report(struct sk_buff *skb, struct genl_info *info)
{
	struct efw_net *en = efw_net(genl_info_net(info));

	/* en->report is made under the lock; once made it stays. */
	mutex_lock(&en->lock);
	efw_report_clear(en);
	mutex_unlock(&en->lock);
	return 0;
}

static const struct genl_small_ops efw_ops[] = {
	{
		.cmd = EGRESSFW_CMD_RULESET_BEGIN,
		.doit = cmd_begin,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = EGRESSFW_CMD_RULESET_ADD,
		.doit = cmd_add,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = EGRESSFW_CMD_RULESET_COMMIT,
		.doit = cmd_commit,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = EGRESSFW_CMD_RULESET_ABORT,
		.doit = cmd_abort,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = EGRESSFW_CMD_GET_RULES,
		.dumpit = dump_rules,
	},
	{
		.cmd = EGRESSFW_CMD_FLUSH,
		.doit = cmd_flush,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = EGRESSFW_CMD_GET_STATS,
		.doit = cmd_get_stats,
	},
	{
		.cmd = EGRESSFW_CMD_GET_CONFIG,
		.doit = cmd_get_config,
	},
	{
		.cmd = EGRESSFW_CMD_SET_CONFIG,
		.doit = cmd_set_config,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = EGRESSFW_CMD_GET_CACHE,
		.dumpit = dump_cache,
		/* The names clients resolved: the admin's business only. */
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = EGRESSFW_CMD_GET_REPORT,
		.dumpit = dump_report,
		/* Where clients tried to go: the admin's business too. */
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = EGRESSFW_CMD_CLEAR_REPORT,
		.doit = cmd_clear_report,
		.flags = GENL_UNS_ADMIN_PERM,
	},
};

/*
 * EFW_MCGRP_*_ID are the indices here. Events name clients and where
 * they went, learn events what they resolved: only an admin of the
 * namespace may listen, where the kernel can say so (EFW_MCAST_ADMIN_ONLY,
 * compat.h).
 */
static const struct genl_multicast_group efw_mcgrps[] = {
	[EFW_MCGRP_EVENTS_ID] = {
		.name = EGRESSFW_MCGRP_EVENTS,
		.flags = EFW_MCAST_ADMIN_ONLY,
	},
	[EFW_MCGRP_LEARNED_ID] = {
		.name = EGRESSFW_MCGRP_LEARNED,
		.flags = EFW_MCAST_ADMIN_ONLY,
	},
};

struct genl_family efw_family __ro_after_init = {
	.name = EGRESSFW_GENL_NAME,
	.version = EGRESSFW_GENL_VERSION,
	.maxattr = EGRESSFW_A_MAX,
	.policy = efw_policy,
	.netnsok = true,
	.parallel_ops = true,
	.module = THIS_MODULE,
	.small_ops = efw_ops,
	.n_small_ops = ARRAY_SIZE(efw_ops),
	.mcgrps = efw_mcgrps,
	.n_mcgrps = ARRAY_SIZE(efw_mcgrps),
};

/* A load's socket closed: its transaction goes with it. */
static int efw_netlink_release(struct notifier_block *nb, unsigned long event,
			       void *ptr)
{
	struct netlink_notify *n = ptr;
	struct efw_net *en;

	if (event != NETLINK_URELEASE || n->protocol != NETLINK_GENERIC)
		return NOTIFY_DONE;
	en = efw_net(n->net);
	mutex_lock(&en->lock);
	if (en->txn && en->txn->portid == n->portid)
		txn_drop(en);
	mutex_unlock(&en->lock);
	return NOTIFY_DONE;
}

static struct notifier_block efw_netlink_nb = {
	.notifier_call = efw_netlink_release,
};

int __init efw_genl_init(void)
{
	int ret;

	ret = netlink_register_notifier(&efw_netlink_nb);
	if (ret)
		return ret;
	ret = genl_register_family(&efw_family);
	if (ret)
		netlink_unregister_notifier(&efw_netlink_nb);
	return ret;
}

void efw_genl_exit(void)
{
	genl_unregister_family(&efw_family);
	netlink_unregister_notifier(&efw_netlink_nb);
}
