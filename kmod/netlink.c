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
#include <net/genetlink.h>
#include <net/sock.h>

#include "efw.h"
#include "pattern.h"
#include "dns_learn.h"

#define EFW_PATTERN_TEXT_MAX	300
#define EFW_SOURCE_TEXT_MAX	255


static const struct nla_policy rule_policy[EGRESSFW_RULE_A_MAX + 1] = {
	[EGRESSFW_RULE_A_ID] = { .type = NLA_U32 },
	[EGRESSFW_RULE_A_PATTERN] = { .type = NLA_STRING,
				      .len = EFW_PATTERN_TEXT_MAX },
	[EGRESSFW_RULE_A_PORTS] = NLA_POLICY_MIN_LEN(sizeof(struct egressfw_port_range)),
	[EGRESSFW_RULE_A_SOURCE] = { .type = NLA_STRING,
				     .len = EFW_SOURCE_TEXT_MAX },
};

static const struct nla_policy config_policy[EGRESSFW_CFG_A_MAX + 1] = {
	[EGRESSFW_CFG_A_MODE] = NLA_POLICY_MAX(NLA_U8, EGRESSFW_MODE_AUDIT),
	[EGRESSFW_CFG_A_TLS_PORTS] = { .type = NLA_BINARY,
				       .len = EFW_MAX_TLS_PORTS * sizeof(u16) },
	[EGRESSFW_CFG_A_HELLO_MAX] = { .type = NLA_U32 },
	[EGRESSFW_CFG_A_HELLO_TIMEOUT_MS] = { .type = NLA_U32 },
	[EGRESSFW_CFG_A_PENDING_MAX] = { .type = NLA_U32 },
	[EGRESSFW_CFG_A_STRICT] = NLA_POLICY_MAX(NLA_U8, 1),
	[EGRESSFW_CFG_A_DNS_TTL_MIN] = { .type = NLA_U32 },
	[EGRESSFW_CFG_A_DNS_TTL_MAX] = { .type = NLA_U32 },
	[EGRESSFW_CFG_A_DNS_GRACE] = { .type = NLA_U32 },
	[EGRESSFW_CFG_A_DNS_MAX] = { .type = NLA_U32 },
	[EGRESSFW_CFG_A_QUIC] = NLA_POLICY_MAX(NLA_U8, EGRESSFW_QUIC_DENY),
	[EGRESSFW_CFG_A_ECH] = NLA_POLICY_MAX(NLA_U8, EGRESSFW_ECH_DENY),
	[EGRESSFW_CFG_A_DNS_SERVERS] = { .type = NLA_BINARY,
					 .len = EFW_MAX_DNS_SERVERS *
						sizeof(struct egressfw_addr) },
};

static const struct nla_policy efw_policy[EGRESSFW_A_MAX + 1] = {
	[EGRESSFW_A_TXN_ID] = { .type = NLA_U32 },
	[EGRESSFW_A_RULES] = NLA_POLICY_NESTED_ARRAY(rule_policy),
	[EGRESSFW_A_RULE_COUNT] = { .type = NLA_U32 },
	[EGRESSFW_A_CONFIG] = NLA_POLICY_NESTED(config_policy),
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
	txn = kzalloc(sizeof(*txn), GFP_KERNEL);
	if (!txn)
		goto out;
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

	ret = efw_txn_add_rule(txn, nla_get_u32(tb[EGRESSFW_RULE_A_ID]),
			       pattern, plen, ports, n, source, &msg);
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
	rs = efw_ruleset_build(txn, en->generation + 1, &ret);
	if (!rs) {
		NL_SET_ERR_MSG(info->extack, "cannot compile the rules");
		goto drop;
	}
	ret = efw_net_activate(en);
	if (ret) {
		NL_SET_ERR_MSG(info->extack,
			       "cannot hook netfilter / conntrack in this namespace");
		efw_ruleset_free(rs);
		goto drop;
	}
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

static int put_stats(struct sk_buff *msg, struct efw_net *en)
{
	static const int attr_of[EFW_STAT_DENIED] = {
		[EFW_STAT_PACKETS] = EGRESSFW_STATS_A_PACKETS,
		[EFW_STAT_FLOWS] = EGRESSFW_STATS_A_FLOWS,
		[EFW_STAT_ALLOWED_CIDR] = EGRESSFW_STATS_A_ALLOWED_CIDR,
		[EFW_STAT_ALLOWED_SNI] = EGRESSFW_STATS_A_ALLOWED_SNI,
		[EFW_STAT_ALLOWED_DNS] = EGRESSFW_STATS_A_ALLOWED_DNS,
		[EFW_STAT_DNS_ANSWERS] = EGRESSFW_STATS_A_DNS_ANSWERS,
		[EFW_STAT_DNS_IGNORED] = EGRESSFW_STATS_A_DNS_IGNORED,
		[EFW_STAT_DNS_UNSOLICITED] = EGRESSFW_STATS_A_DNS_UNSOLICITED,
		[EFW_STAT_DNS_LEARNED] = EGRESSFW_STATS_A_DNS_LEARNED,
		[EFW_STAT_DNS_REFRESHED] = EGRESSFW_STATS_A_DNS_REFRESHED,
		[EFW_STAT_DNS_EVICTED] = EGRESSFW_STATS_A_DNS_EVICTED,
		[EFW_STAT_EVENTS_SUPPRESSED] = EGRESSFW_STATS_A_EVENTS_SUPPRESSED,
	};
	u64 v[EFW_STAT_MAX];
	struct nlattr *nest, *denied;
	int i;

	efw_stats_read(en, v);
	nest = nla_nest_start(msg, EGRESSFW_A_STATS);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < EFW_STAT_DENIED; i++)
		if (nla_put_u64_64bit(msg, attr_of[i], v[i], EGRESSFW_STATS_A_PAD))
			return -EMSGSIZE;
	if (nla_put_u32(msg, EGRESSFW_STATS_A_DNS_ENTRIES, efw_dns_count(en)))
		return -EMSGSIZE;
	denied = nla_nest_start(msg, EGRESSFW_STATS_A_DENIED);
	if (!denied)
		return -EMSGSIZE;
	for (i = 0; i < __EGRESSFW_DENY_MAX; i++)
		/* Type 0 pads in this nest: every other type is a reason. */
		if (nla_put_u64_64bit(msg, i + 1, v[EFW_STAT_DENIED + i], 0))
			return -EMSGSIZE;
	nla_nest_end(msg, denied);
	nla_nest_end(msg, nest);
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
	    put_stats(msg, en)) {
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
	struct efw_config cfg;
	struct nlattr *nest;
	struct sk_buff *msg;
	void *hdr;

	mutex_lock(&en->lock);
	cfg = en->cfg;
	mutex_unlock(&en->lock);

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &efw_family, 0,
				EGRESSFW_CMD_GET_CONFIG);
	if (!hdr)
		goto fail;
	nest = nla_nest_start(msg, EGRESSFW_A_CONFIG);
	if (!nest ||
	    nla_put_u8(msg, EGRESSFW_CFG_A_MODE, cfg.mode) ||
	    nla_put(msg, EGRESSFW_CFG_A_TLS_PORTS,
		    cfg.n_tls_ports * sizeof(u16), cfg.tls_ports) ||
	    nla_put_u32(msg, EGRESSFW_CFG_A_HELLO_MAX, cfg.hello_max) ||
	    nla_put_u32(msg, EGRESSFW_CFG_A_HELLO_TIMEOUT_MS,
			cfg.hello_timeout_ms) ||
	    nla_put_u32(msg, EGRESSFW_CFG_A_PENDING_MAX, cfg.pending_max) ||
	    nla_put_u8(msg, EGRESSFW_CFG_A_STRICT, cfg.strict) ||
	    nla_put_u32(msg, EGRESSFW_CFG_A_DNS_TTL_MIN, cfg.dns_ttl_min) ||
	    nla_put_u32(msg, EGRESSFW_CFG_A_DNS_TTL_MAX, cfg.dns_ttl_max) ||
	    nla_put_u32(msg, EGRESSFW_CFG_A_DNS_GRACE, cfg.dns_grace) ||
	    nla_put_u32(msg, EGRESSFW_CFG_A_DNS_MAX, cfg.dns_max) ||
	    nla_put_u8(msg, EGRESSFW_CFG_A_QUIC, cfg.quic) ||
	    nla_put_u8(msg, EGRESSFW_CFG_A_ECH, cfg.ech) ||
	    nla_put(msg, EGRESSFW_CFG_A_DNS_SERVERS,
		    cfg.n_dns_servers * sizeof(cfg.dns_servers[0]),
		    cfg.dns_servers))
		goto fail;
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
fail:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

/* A u32 attribute in [@lo, @hi] into *@v; -ERANGE with @msg if outside. */
static int get_bounded(const struct nlattr *a, u32 lo, u32 hi, u32 *v,
		       const char *msg, struct netlink_ext_ack *extack)
{
	u32 x;

	if (!a)
		return 0;
	x = nla_get_u32(a);
	if (x < lo || x > hi) {
		/* @msg is a literal of the caller's: extack may keep it. */
		if (extack) {
			extack->_msg = msg;
			extack->bad_attr = a;
		}
		return -ERANGE;
	}
	*v = x;
	return 0;
}

static int parse_dns_servers(const struct nlattr *a, struct efw_config *cfg,
			     struct netlink_ext_ack *extack)
{
	struct egressfw_addr srv[EFW_MAX_DNS_SERVERS];
	u32 n = nla_len(a) / sizeof(srv[0]), i;

	if (nla_len(a) % sizeof(srv[0]) || n > EFW_MAX_DNS_SERVERS) {
		NL_SET_ERR_MSG_ATTR(extack, a,
				    "dns-servers: up to 16 struct egressfw_addr");
		return -EINVAL;
	}
	memcpy(srv, nla_data(a), n * sizeof(srv[0]));
	for (i = 0; i < n; i++) {
		if (srv[i].family != 4 && srv[i].family != 6) {
			NL_SET_ERR_MSG_ATTR(extack, a, "dns-servers: family 4 or 6");
			return -EINVAL;
		}
		if (srv[i].family == 4)
			memset(srv[i].addr + 4, 0, 12);
		memset(srv[i].pad, 0, sizeof(srv[i].pad));
	}
	memcpy(cfg->dns_servers, srv, n * sizeof(srv[0]));
	cfg->n_dns_servers = n;
	return 0;
}

static int parse_dns_config(struct nlattr **tb, struct efw_config *cfg,
			    struct netlink_ext_ack *extack)
{
	int ret;

	ret = get_bounded(tb[EGRESSFW_CFG_A_DNS_TTL_MIN], 0, EFW_DNS_TTL_LIMIT,
			  &cfg->dns_ttl_min, "dns-ttl-min: 0 to 604800 s", extack) ?:
	      get_bounded(tb[EGRESSFW_CFG_A_DNS_TTL_MAX], 1, EFW_DNS_TTL_LIMIT,
			  &cfg->dns_ttl_max, "dns-ttl-max: 1 to 604800 s", extack) ?:
	      get_bounded(tb[EGRESSFW_CFG_A_DNS_GRACE], 0, EFW_DNS_TTL_LIMIT,
			  &cfg->dns_grace, "dns-grace: 0 to 604800 s", extack) ?:
	      get_bounded(tb[EGRESSFW_CFG_A_DNS_MAX], 1, EFW_DNS_MAX_LIMIT,
			  &cfg->dns_max, "dns-max: 1 to 4194304 entries", extack);
	if (ret)
		return ret;
	if (cfg->dns_ttl_min > cfg->dns_ttl_max) {
		NL_SET_ERR_MSG(extack, "dns-ttl-min is above dns-ttl-max");
		return -ERANGE;
	}
	if (tb[EGRESSFW_CFG_A_DNS_SERVERS])
		return parse_dns_servers(tb[EGRESSFW_CFG_A_DNS_SERVERS], cfg,
					 extack);
	return 0;
}

/* Check every attribute into @cfg before any is applied. */
static int parse_config(struct nlattr **tb, struct efw_config *cfg,
			struct netlink_ext_ack *extack)
{
	u32 v, i;

	if (tb[EGRESSFW_CFG_A_MODE])
		cfg->mode = nla_get_u8(tb[EGRESSFW_CFG_A_MODE]);
	if (tb[EGRESSFW_CFG_A_TLS_PORTS]) {
		const struct nlattr *a = tb[EGRESSFW_CFG_A_TLS_PORTS];
		u16 ports[EFW_MAX_TLS_PORTS];
		u32 n = nla_len(a) / sizeof(u16);

		if (nla_len(a) % sizeof(u16)) {
			NL_SET_ERR_MSG_ATTR(extack, a, "TLS ports are u16s");
			return -EINVAL;
		}
		memcpy(ports, nla_data(a), n * sizeof(u16));
		for (i = 0; i < n; i++) {
			if (!ports[i]) {
				NL_SET_ERR_MSG_ATTR(extack, a, "port 0");
				return -EINVAL;
			}
		}
		memcpy(cfg->tls_ports, ports, n * sizeof(u16));
		cfg->n_tls_ports = n;
	}
	if (tb[EGRESSFW_CFG_A_HELLO_MAX]) {
		v = nla_get_u32(tb[EGRESSFW_CFG_A_HELLO_MAX]);
		if (v < 512 || v > EFW_HELLO_MAX_LIMIT) {
			NL_SET_ERR_MSG_ATTR(extack, tb[EGRESSFW_CFG_A_HELLO_MAX],
					    "hello-max: 512 to 65536 bytes");
			return -ERANGE;
		}
		cfg->hello_max = v;
	}
	if (tb[EGRESSFW_CFG_A_HELLO_TIMEOUT_MS]) {
		v = nla_get_u32(tb[EGRESSFW_CFG_A_HELLO_TIMEOUT_MS]);
		if (v < 10 || v > 600000) {
			NL_SET_ERR_MSG_ATTR(extack, tb[EGRESSFW_CFG_A_HELLO_TIMEOUT_MS],
					    "hello-timeout: 10 to 600000 ms");
			return -ERANGE;
		}
		cfg->hello_timeout_ms = v;
	}
	if (tb[EGRESSFW_CFG_A_PENDING_MAX]) {
		v = nla_get_u32(tb[EGRESSFW_CFG_A_PENDING_MAX]);
		if (v < 1 || v > EFW_PENDING_MAX_LIMIT) {
			NL_SET_ERR_MSG_ATTR(extack, tb[EGRESSFW_CFG_A_PENDING_MAX],
					    "pending-max: 1 to 1048576 flows");
			return -ERANGE;
		}
		cfg->pending_max = v;
	}
	if (tb[EGRESSFW_CFG_A_STRICT])
		cfg->strict = nla_get_u8(tb[EGRESSFW_CFG_A_STRICT]);
	if (tb[EGRESSFW_CFG_A_QUIC])
		cfg->quic = nla_get_u8(tb[EGRESSFW_CFG_A_QUIC]);
	if (tb[EGRESSFW_CFG_A_ECH])
		cfg->ech = nla_get_u8(tb[EGRESSFW_CFG_A_ECH]);
	return parse_dns_config(tb, cfg, extack);
}

static int cmd_set_config(struct sk_buff *skb, struct genl_info *info)
{
	struct efw_net *en = efw_net(genl_info_net(info));
	struct nlattr *tb[EGRESSFW_CFG_A_MAX + 1];
	struct efw_config cfg;
	int ret;

	if (!info->attrs[EGRESSFW_A_CONFIG]) {
		NL_SET_ERR_MSG(info->extack, "missing config");
		return -EINVAL;
	}
	ret = nla_parse_nested(tb, EGRESSFW_CFG_A_MAX,
			       info->attrs[EGRESSFW_A_CONFIG], config_policy,
			       info->extack);
	if (ret)
		return ret;
	mutex_lock(&en->lock);
	cfg = en->cfg;
	ret = parse_config(tb, &cfg, info->extack);
	if (!ret) {
		/* Packets read these racily: each field is written once. */
		WRITE_ONCE(en->cfg.mode, cfg.mode);
		WRITE_ONCE(en->cfg.n_tls_ports, 0);
		memcpy(en->cfg.tls_ports, cfg.tls_ports, sizeof(cfg.tls_ports));
		WRITE_ONCE(en->cfg.n_tls_ports, cfg.n_tls_ports);
		WRITE_ONCE(en->cfg.hello_max, cfg.hello_max);
		WRITE_ONCE(en->cfg.hello_timeout_ms, cfg.hello_timeout_ms);
		WRITE_ONCE(en->cfg.pending_max, cfg.pending_max);
		WRITE_ONCE(en->cfg.strict, cfg.strict);
		WRITE_ONCE(en->cfg.quic, cfg.quic);
		WRITE_ONCE(en->cfg.ech, cfg.ech);
		WRITE_ONCE(en->cfg.dns_ttl_min, cfg.dns_ttl_min);
		WRITE_ONCE(en->cfg.dns_ttl_max, cfg.dns_ttl_max);
		WRITE_ONCE(en->cfg.dns_grace, cfg.dns_grace);
		WRITE_ONCE(en->cfg.dns_max, cfg.dns_max);
		/* Readers stop at n_dns_servers: shrink it before, grow after. */
		WRITE_ONCE(en->cfg.n_dns_servers, 0);
		memcpy(en->cfg.dns_servers, cfg.dns_servers,
		       sizeof(cfg.dns_servers));
		WRITE_ONCE(en->cfg.n_dns_servers, cfg.n_dns_servers);
	}
	mutex_unlock(&en->lock);
	return ret;
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
	    (rule >= 0 && nla_put_u32(skb, EGRESSFW_CACHE_A_RULE, rule))) {
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
	},
};

/* EFW_MCGRP_EVENTS_ID is the index of "events" here. */
static const struct genl_multicast_group efw_mcgrps[] = {
	[EFW_MCGRP_EVENTS_ID] = { .name = EGRESSFW_MCGRP_EVENTS },
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
