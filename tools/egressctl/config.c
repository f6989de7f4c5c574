// SPDX-License-Identifier: GPL-2.0
/*
 * egressctl config (and `egressctl set` without arguments): print the
 * namespace's settings from GET_CONFIG, with the names `set` takes.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "commands.h"
#include "json.h"
#include "netlink.h"

const char cmd_config_help[] =
	"Print the egressfw settings of this network namespace, one KEY VALUE\n"
	"per line, with the keys `egressctl set` takes (see `egressctl help\n"
	"set`). `egressctl set` without arguments does the same.\n"
	"\n"
	"  -j, --json   one JSON object: mode, tls_ports (array), hello_max,\n"
	"               hello_timeout_ms, pending_max, strict (bool), quic, ech,\n"
	"               dns_ttl_min, dns_ttl_max, dns_grace, dns_max,\n"
	"               dns_servers (array of addresses; [] = any)\n";

/* More than the module takes (16): a longer answer is still shown whole. */
#define MAX_TLS_PORTS 64

/* Values, not attributes: the ACK after the reply reuses the buffer. */
struct config {
	bool has_mode, has_hello_max, has_hello_timeout, has_pending_max;
	bool has_strict, has_quic, has_ech;
	bool has_ttl_min, has_ttl_max, has_grace, has_dns_max;
	uint8_t mode, strict, quic, ech;
	uint32_t hello_max, hello_timeout_ms, pending_max;
	uint32_t ttl_min, ttl_max, grace, dns_max;
	uint16_t tls_ports[MAX_TLS_PORTS];
	int n_tls_ports;	/* -1: not in the answer */
	struct egressfw_addr servers[EGRESSFW_MAX_DNS_SERVERS];
	int n_servers;		/* -1: not in the answer */
};

static void get_u32(const struct nlattr *attr, bool *has, uint32_t *v)
{
	if (!attr)
		return;
	*has = true;
	*v = mnl_attr_get_u32(attr);
}

static int config_cb(const struct nlmsghdr *nlh, void *data)
{
	static const enum mnl_attr_data_type top[EGRESSFW_A_MAX + 1] = {
		[EGRESSFW_A_CONFIG] = MNL_TYPE_NESTED,
	};
	static const enum mnl_attr_data_type policy[EGRESSFW_CFG_A_MAX + 1] = {
		[EGRESSFW_CFG_A_MODE] = MNL_TYPE_U8,
		[EGRESSFW_CFG_A_TLS_PORTS] = MNL_TYPE_BINARY,
		[EGRESSFW_CFG_A_HELLO_MAX] = MNL_TYPE_U32,
		[EGRESSFW_CFG_A_HELLO_TIMEOUT_MS] = MNL_TYPE_U32,
		[EGRESSFW_CFG_A_PENDING_MAX] = MNL_TYPE_U32,
		[EGRESSFW_CFG_A_STRICT] = MNL_TYPE_U8,
		[EGRESSFW_CFG_A_DNS_TTL_MIN] = MNL_TYPE_U32,
		[EGRESSFW_CFG_A_DNS_TTL_MAX] = MNL_TYPE_U32,
		[EGRESSFW_CFG_A_DNS_GRACE] = MNL_TYPE_U32,
		[EGRESSFW_CFG_A_DNS_MAX] = MNL_TYPE_U32,
		[EGRESSFW_CFG_A_QUIC] = MNL_TYPE_U8,
		[EGRESSFW_CFG_A_DNS_SERVERS] = MNL_TYPE_BINARY,
		[EGRESSFW_CFG_A_ECH] = MNL_TYPE_U8,
	};
	const struct nlattr *ttb[EGRESSFW_A_MAX + 1];
	const struct nlattr *tb[EGRESSFW_CFG_A_MAX + 1];
	const struct nlattr *ports;
	struct config *cfg = data;
	uint16_t len;

	if (efw_nl_parse(nlh, top, EGRESSFW_A_MAX, ttb) || !ttb[EGRESSFW_A_CONFIG] ||
	    efw_nl_parse_nested(ttb[EGRESSFW_A_CONFIG], policy, EGRESSFW_CFG_A_MAX, tb))
		return -EPROTO;
	if (tb[EGRESSFW_CFG_A_MODE]) {
		cfg->has_mode = true;
		cfg->mode = mnl_attr_get_u8(tb[EGRESSFW_CFG_A_MODE]);
	}
	get_u32(tb[EGRESSFW_CFG_A_HELLO_MAX], &cfg->has_hello_max, &cfg->hello_max);
	get_u32(tb[EGRESSFW_CFG_A_HELLO_TIMEOUT_MS], &cfg->has_hello_timeout,
		&cfg->hello_timeout_ms);
	get_u32(tb[EGRESSFW_CFG_A_PENDING_MAX], &cfg->has_pending_max, &cfg->pending_max);
	get_u32(tb[EGRESSFW_CFG_A_DNS_TTL_MIN], &cfg->has_ttl_min, &cfg->ttl_min);
	get_u32(tb[EGRESSFW_CFG_A_DNS_TTL_MAX], &cfg->has_ttl_max, &cfg->ttl_max);
	get_u32(tb[EGRESSFW_CFG_A_DNS_GRACE], &cfg->has_grace, &cfg->grace);
	get_u32(tb[EGRESSFW_CFG_A_DNS_MAX], &cfg->has_dns_max, &cfg->dns_max);
	if (tb[EGRESSFW_CFG_A_STRICT]) {
		cfg->has_strict = true;
		cfg->strict = mnl_attr_get_u8(tb[EGRESSFW_CFG_A_STRICT]);
	}
	if (tb[EGRESSFW_CFG_A_QUIC]) {
		cfg->has_quic = true;
		cfg->quic = mnl_attr_get_u8(tb[EGRESSFW_CFG_A_QUIC]);
	}
	if (tb[EGRESSFW_CFG_A_ECH]) {
		cfg->has_ech = true;
		cfg->ech = mnl_attr_get_u8(tb[EGRESSFW_CFG_A_ECH]);
	}
	if (tb[EGRESSFW_CFG_A_DNS_SERVERS]) {
		len = mnl_attr_get_payload_len(tb[EGRESSFW_CFG_A_DNS_SERVERS]);
		if (len % sizeof(cfg->servers[0]) || len > sizeof(cfg->servers))
			return -EPROTO;
		cfg->n_servers = len / sizeof(cfg->servers[0]);
		memcpy(cfg->servers, mnl_attr_get_payload(tb[EGRESSFW_CFG_A_DNS_SERVERS]), len);
	}
	ports = tb[EGRESSFW_CFG_A_TLS_PORTS];
	if (ports) {
		len = mnl_attr_get_payload_len(ports);
		if (len % sizeof(uint16_t) || len / sizeof(uint16_t) > MAX_TLS_PORTS)
			return -EPROTO;
		cfg->n_tls_ports = len / sizeof(uint16_t);
		memcpy(cfg->tls_ports, mnl_attr_get_payload(ports), len);
	}
	return 0;
}

static const char *mode_name(uint8_t mode, char *buf, size_t size)
{
	if (mode == EGRESSFW_MODE_ENFORCE)
		return "enforce";
	if (mode == EGRESSFW_MODE_AUDIT)
		return "audit";
	snprintf(buf, size, "%u", mode);
	return buf;
}

static void print_u32(bool json, const char *key, bool has, uint32_t v,
		      bool *first)
{
	if (!has)
		return;
	if (json)
		printf("%s\"%s\":%u", *first ? "" : ",", key, v);
	else
		printf("%-15s%u\n", key, v);
	*first = false;
}

/* A word value: quoted in JSON when @quote (false for JSON booleans). */
static void print_word(bool json, const char *key, const char *v, bool quote,
		       bool *first)
{
	if (json)
		printf(quote ? "%s\"%s\":\"%s\"" : "%s\"%s\":%s",
		       *first ? "" : ",", key, v);
	else
		printf("%-15s%s\n", key, v);
	*first = false;
}

static void print_servers(const struct config *cfg, bool json, bool *first)
{
	char text[INET6_ADDRSTRLEN];
	int i;

	if (json)
		printf("%s\"dns_servers\":[", *first ? "" : ",");
	else
		printf("%-15s", "dns-servers");
	for (i = 0; i < cfg->n_servers; i++) {
		const struct egressfw_addr *a = &cfg->servers[i];

		if (!inet_ntop(a->family == 4 ? AF_INET : AF_INET6, a->addr,
			       text, sizeof(text)))
			snprintf(text, sizeof(text), "?");
		printf(json ? "%s\"%s\"" : "%s%s", i ? "," : "", text);
	}
	if (json)
		putchar(']');
	else
		printf("%s\n", cfg->n_servers ? "" : "any");
	*first = false;
}

static void print_config(const struct config *cfg, bool json)
{
	bool first = true;
	char buf[8];
	int i;

	if (json)
		putchar('{');
	if (cfg->has_mode) {
		const char *m = mode_name(cfg->mode, buf, sizeof(buf));

		if (json)
			printf("\"mode\":\"%s\"", m);
		else
			printf("%-15s%s\n", "mode", m);
		first = false;
	}
	if (cfg->n_tls_ports >= 0) {
		if (json)
			printf("%s\"tls_ports\":[", first ? "" : ",");
		else
			printf("%-15s", "tls-ports");
		for (i = 0; i < cfg->n_tls_ports; i++)
			printf("%s%u", i ? "," : "", cfg->tls_ports[i]);
		if (json)
			putchar(']');
		else
			printf("%s\n", cfg->n_tls_ports ? "" : "(none)");
		first = false;
	}
	print_u32(json, json ? "hello_max" : "hello-max", cfg->has_hello_max,
		  cfg->hello_max, &first);
	print_u32(json, json ? "hello_timeout_ms" : "hello-timeout",
		  cfg->has_hello_timeout, cfg->hello_timeout_ms, &first);
	print_u32(json, json ? "pending_max" : "pending-max", cfg->has_pending_max,
		  cfg->pending_max, &first);
	if (cfg->has_strict)
		print_word(json, "strict", json ? (cfg->strict ? "true" : "false") :
			   (cfg->strict ? "on" : "off"), !json, &first);
	if (cfg->has_quic)
		print_word(json, "quic", cfg->quic == EGRESSFW_QUIC_DENY ? "deny" :
			   cfg->quic == EGRESSFW_QUIC_LIST ? "list" : "?", true, &first);
	if (cfg->has_ech)
		print_word(json, "ech", cfg->ech == EGRESSFW_ECH_DENY ? "deny" :
			   cfg->ech == EGRESSFW_ECH_OUTER ? "outer" : "?", true, &first);
	print_u32(json, json ? "dns_ttl_min" : "dns-ttl-min", cfg->has_ttl_min,
		  cfg->ttl_min, &first);
	print_u32(json, json ? "dns_ttl_max" : "dns-ttl-max", cfg->has_ttl_max,
		  cfg->ttl_max, &first);
	print_u32(json, json ? "dns_grace" : "dns-grace", cfg->has_grace,
		  cfg->grace, &first);
	print_u32(json, json ? "dns_max" : "dns-max", cfg->has_dns_max,
		  cfg->dns_max, &first);
	if (cfg->n_servers >= 0)
		print_servers(cfg, json, &first);
	if (json)
		printf("}\n");
}

int cmd_config(int argc, char **argv)
{
	struct config cfg = { .n_tls_ports = -1, .n_servers = -1 };
	struct efw_nl nl;
	bool json;
	int ret, err;

	ret = efw_opt_json(argc, argv, "[-j]", &json);
	if (ret)
		return ret;
	ret = efw_nl_open(&nl);
	if (ret)
		return ret;
	err = efw_nl_simple(&nl, EGRESSFW_CMD_GET_CONFIG, config_cb, &cfg);
	if (err)
		ret = efw_nl_fail(&nl, err, "cannot read the settings");
	else
		print_config(&cfg, json);
	efw_nl_close(&nl);
	return ret;
}
