// SPDX-License-Identifier: GPL-2.0
/*
 * The settings of a namespace (config.h). A change copies the settings in
 * force, applies the request to the copy, checks it whole, and publishes
 * it with one pointer swap; the old copy is freed after a grace period.
 *
 * The netlink policy checks each value's range (settings.h); what a
 * policy cannot say -- ports and addresses in a list, dns-ttl-min not
 * above dns-ttl-max, the lower maxima of a namespace an unprivileged user
 * owns -- is checked here.
 */
#include <linux/slab.h>
#include <net/genetlink.h>

#include "config.h"

/* Not const: before 6.2 the policy's pointer to a range is not either. */
#define EFW_U32_RANGE_(id, k, j, d, lo, hi, uhi, u) \
	static struct netlink_range_validation range_##id = { .min = lo, .max = hi };
#define EFW_NO_RANGE_(...)
EFW_SETTING_LIST(EFW_U32_RANGE_, EFW_NO_RANGE_, EFW_NO_RANGE_)

#define EFW_U32_POLICY_(id, k, j, d, lo, hi, uhi, u) \
	[EGRESSFW_CFG_A_##id] = NLA_POLICY_FULL_RANGE(NLA_U32, &range_##id),
#define EFW_CHOICE_POLICY_(id, k, d, n0, n1, jb) \
	[EGRESSFW_CFG_A_##id] = NLA_POLICY_MAX(NLA_U8, 1),
#define EFW_LIST_POLICY_(...)

const struct nla_policy efw_config_policy[EGRESSFW_CFG_A_MAX + 1] = {
	EFW_SETTING_LIST(EFW_U32_POLICY_, EFW_CHOICE_POLICY_, EFW_LIST_POLICY_)
	[EGRESSFW_CFG_A_TLS_PORTS] = { .type = NLA_BINARY,
				       .len = EFW_MAX_TLS_PORTS * sizeof(u16) },
	[EGRESSFW_CFG_A_DNS_SERVERS] = { .type = NLA_BINARY,
					 .len = EFW_MAX_DNS_SERVERS *
						sizeof(struct egressfw_addr) },
	[EGRESSFW_CFG_A_EGRESS_IFACES] = { .type = NLA_BINARY,
					   .len = EFW_MAX_EGRESS_IFACES *
						  sizeof(struct egressfw_iface) },
};

int efw_config_init(struct efw_net *en)
{
	struct efw_config *cfg;
	unsigned int i;

	cfg = kzalloc(sizeof(*cfg), GFP_KERNEL);
	if (!cfg)
		return -ENOMEM;
	for (i = 0; i < efw_n_settings; i++)
		if (efw_settings[i].kind != EFW_SETTING_LIST)
			cfg->v[efw_settings[i].attr] = efw_settings[i].def;
	cfg->n_tls_ports = 1;
	cfg->tls_ports[0] = 443;
	RCU_INIT_POINTER(en->cfg, cfg);
	return 0;
}

/* At namespace exit: no packet, no command reads it any more. */
void efw_config_exit(struct efw_net *en)
{
	kfree(rcu_dereference_protected(en->cfg, 1));
	RCU_INIT_POINTER(en->cfg, NULL);
}

static int set_tls_ports(struct efw_config *cfg, const struct nlattr *a,
			 struct netlink_ext_ack *extack)
{
	const u16 *ports = nla_data(a);
	u32 n = nla_len(a) / sizeof(u16), i;

	if (nla_len(a) % sizeof(u16)) {
		NL_SET_ERR_MSG_ATTR(extack, a, "TLS ports are u16s");
		return -EINVAL;
	}
	for (i = 0; i < n; i++) {
		if (!ports[i]) {
			NL_SET_ERR_MSG_ATTR(extack, a, "port 0");
			return -EINVAL;
		}
	}
	memcpy(cfg->tls_ports, ports, n * sizeof(u16));
	cfg->n_tls_ports = n;
	return 0;
}

static int set_dns_servers(struct efw_config *cfg, const struct nlattr *a,
			   struct netlink_ext_ack *extack)
{
	u32 n = nla_len(a) / sizeof(cfg->dns_servers[0]), i;

	if (nla_len(a) % sizeof(cfg->dns_servers[0])) {
		NL_SET_ERR_MSG_ATTR(extack, a,
				    "dns-servers: up to 16 struct egressfw_addr");
		return -EINVAL;
	}
	memcpy(cfg->dns_servers, nla_data(a), n * sizeof(cfg->dns_servers[0]));
	for (i = 0; i < n; i++) {
		struct egressfw_addr *srv = &cfg->dns_servers[i];

		if (srv->family != 4 && srv->family != 6) {
			NL_SET_ERR_MSG_ATTR(extack, a, "dns-servers: family 4 or 6");
			return -EINVAL;
		}
		if (srv->family == 4)
			memset(srv->addr + 4, 0, 12);
		memset(srv->pad, 0, sizeof(srv->pad));
	}
	cfg->n_dns_servers = n;
	return 0;
}

/*
 * A name as an interface may have one (dev_valid_name()'s rules), with an
 * optional '*' at its end.
 */
static bool valid_iface(const struct egressfw_iface *f)
{
	size_t n = strnlen(f->name, sizeof(f->name)), i;

	if (!n || n == sizeof(f->name))
		return false;
	if (!strcmp(f->name, ".") || !strcmp(f->name, ".."))
		return false;
	for (i = n; i < sizeof(f->name); i++)
		if (f->name[i])
			return false;	/* one spelling per name */
	for (i = 0; i < n; i++) {
		char c = f->name[i];

		if (c == '/' || c == ':' || c <= ' ' || c == 0x7f ||
		    (c == '*' && i != n - 1))
			return false;
	}
	return true;
}

static int set_egress_ifaces(struct efw_config *cfg, const struct nlattr *a,
			     struct netlink_ext_ack *extack)
{
	u32 n = nla_len(a) / sizeof(cfg->egress_ifaces[0]), i;

	if (nla_len(a) % sizeof(cfg->egress_ifaces[0])) {
		NL_SET_ERR_MSG_ATTR(extack, a,
				    "egress-interfaces: up to 8 struct egressfw_iface");
		return -EINVAL;
	}
	memcpy(cfg->egress_ifaces, nla_data(a), nla_len(a));
	for (i = 0; i < n; i++) {
		if (!valid_iface(&cfg->egress_ifaces[i])) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "egress-interfaces: not an interface name");
			return -EINVAL;
		}
	}
	cfg->n_egress_ifaces = n;
	return 0;
}

struct efw_config *efw_config_prepare(struct efw_net *en,
				      const struct nlattr *nest,
				      struct netlink_ext_ack *extack)
{
	struct nlattr *tb[EGRESSFW_CFG_A_MAX + 1];
	struct efw_config *cfg, *old;
	unsigned int i;
	int ret;

	ret = nla_parse_nested(tb, EGRESSFW_CFG_A_MAX, nest, efw_config_policy,
			       extack);
	if (ret)
		return ERR_PTR(ret);
	old = rcu_dereference_protected(en->cfg, lockdep_is_held(&en->lock));
	cfg = kmemdup(old, sizeof(*cfg), GFP_KERNEL_ACCOUNT);
	if (!cfg)
		return ERR_PTR(-ENOMEM);
	for (i = 0; i < efw_n_settings; i++) {
		const struct efw_setting *s = &efw_settings[i];

		if (!tb[s->attr] || s->kind == EFW_SETTING_LIST)
			continue;
		cfg->v[s->attr] = s->kind == EFW_SETTING_U32 ?
				  nla_get_u32(tb[s->attr]) : nla_get_u8(tb[s->attr]);
		if (s->kind == EFW_SETTING_U32 && efw_net_unprivileged(en) &&
		    cfg->v[s->attr] > s->user_max) {
			NL_SET_ERR_MSG_ATTR(extack, tb[s->attr],
					    "above the most a namespace of an unprivileged user may set");
			ret = -ERANGE;
		}
	}
	if (!ret && tb[EGRESSFW_CFG_A_TLS_PORTS])
		ret = set_tls_ports(cfg, tb[EGRESSFW_CFG_A_TLS_PORTS], extack);
	if (!ret && tb[EGRESSFW_CFG_A_DNS_SERVERS])
		ret = set_dns_servers(cfg, tb[EGRESSFW_CFG_A_DNS_SERVERS], extack);
	if (!ret && tb[EGRESSFW_CFG_A_EGRESS_IFACES])
		ret = set_egress_ifaces(cfg, tb[EGRESSFW_CFG_A_EGRESS_IFACES],
					extack);
	if (!ret && EFW_CFG(cfg, DNS_TTL_MIN) > EFW_CFG(cfg, DNS_TTL_MAX)) {
		NL_SET_ERR_MSG(extack, "dns-ttl-min is above dns-ttl-max");
		ret = -ERANGE;
	}
	if (ret) {
		kfree(cfg);
		return ERR_PTR(ret);
	}
	return cfg;
}

void efw_config_publish(struct efw_net *en, struct efw_config *cfg)
{
	struct efw_config *old;

	old = rcu_replace_pointer(en->cfg, cfg, lockdep_is_held(&en->lock));
	kfree_rcu(old, rcu);
}

static int put_list(struct sk_buff *msg, const struct efw_config *cfg,
		    u16 attr)
{
	switch (attr) {
	case EGRESSFW_CFG_A_TLS_PORTS:
		return nla_put(msg, attr, cfg->n_tls_ports * sizeof(u16),
			       cfg->tls_ports);
	case EGRESSFW_CFG_A_DNS_SERVERS:
		return nla_put(msg, attr, cfg->n_dns_servers *
			       sizeof(cfg->dns_servers[0]), cfg->dns_servers);
	default:
		return nla_put(msg, attr, cfg->n_egress_ifaces *
			       sizeof(cfg->egress_ifaces[0]), cfg->egress_ifaces);
	}
}

int efw_config_put(struct sk_buff *msg, struct efw_net *en)
{
	const struct efw_config *cfg;
	struct nlattr *nest;
	unsigned int i;

	cfg = rcu_dereference_protected(en->cfg, lockdep_is_held(&en->lock));
	nest = nla_nest_start(msg, EGRESSFW_A_CONFIG);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < efw_n_settings; i++) {
		const struct efw_setting *s = &efw_settings[i];
		u32 v = cfg->v[s->attr];
		int ret;

		switch (s->kind) {
		case EFW_SETTING_U32:
			ret = nla_put_u32(msg, s->attr, v);
			break;
		case EFW_SETTING_CHOICE:
			ret = nla_put_u8(msg, s->attr, v);
			break;
		default:
			ret = put_list(msg, cfg, s->attr);
			break;
		}
		if (ret)
			return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return 0;
}
