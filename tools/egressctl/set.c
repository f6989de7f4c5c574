// SPDX-License-Identifier: GPL-2.0
/*
 * egressctl set: change settings with one SET_CONFIG, so that the module
 * checks them all before it applies any.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "commands.h"
#include "netlink.h"

const char cmd_set_help[] =
	"Change egressfw settings of this network namespace; several KEY VALUE\n"
	"pairs are applied together or not at all. Without arguments, print\n"
	"the current settings (as `egressctl config`). Needs CAP_NET_ADMIN.\n"
	"\n"
	"  mode enforce|audit     enforce: deny (drop, and reset the client);\n"
	"                         audit: allow everything, count and report what\n"
	"                         would have been denied\n"
	"  tls-ports PORT,...     TCP ports whose ClientHello is read for the SNI\n"
	"                         (1-65535, at most 16; default 443)\n"
	"  hello-max BYTES        bound on a reassembled ClientHello\n"
	"  hello-timeout MS       time a client has to send its ClientHello\n"
	"  pending-max FLOWS      flows waiting for a ClientHello at once\n"
	"  strict on|off          on TLS ports, also require that the destination\n"
	"                         address was learned from DNS for a name of the\n"
	"                         rule the SNI matched (default off)\n"
	"  quic list|deny         UDP 443: list (default) allows it to CIDR and\n"
	"                         DNS-learned addresses of rules naming udp/443;\n"
	"                         deny refuses all QUIC (browsers fall back to TCP)\n"
	"  ech outer|deny         ClientHellos with Encrypted Client Hello: outer\n"
	"                         (default) judges them by their outer SNI; deny\n"
	"                         refuses them all. Real ECH and the GREASE ECH\n"
	"                         Chrome always sends look alike: deny breaks Chrome\n"
	"  dns-ttl-min SECONDS    answer TTLs below this are raised (default 30)\n"
	"  dns-ttl-max SECONDS    answer TTLs above this are cut (default 3600)\n"
	"  dns-grace SECONDS      a learned address outlives its TTL (default 60)\n"
	"  dns-max ENTRIES        learned (address, name) entries kept (default\n"
	"                         65536); then the least recently answered goes\n"
	"  dns-servers ADDR,...   DNS (port 53) may only go to these resolvers (at\n"
	"                         most 16; \"any\", the default, lifts the limit),\n"
	"                         so clients cannot feed answers from a server of\n"
	"                         their choosing\n"
	"\n"
	"A malformed value is a usage error (exit 2) before anything is sent;\n"
	"so is a value the module refuses (its reason is printed).\n"
	"\n"
	"Examples:\n"
	"  egressctl set mode audit\n"
	"  egressctl set tls-ports 443,8443 hello-timeout 2000\n"
	"  egressctl set strict on dns-servers 10.0.0.53\n";

/* The module's bound (kmod/efw.h EFW_MAX_TLS_PORTS); the uapi header has none. */
#define MAX_TLS_PORTS 16

struct settings {
	bool has_mode, has_ports, has_strict, has_quic, has_servers, has_ech;
	uint8_t mode, strict, quic, ech;
	struct egressfw_addr servers[EGRESSFW_MAX_DNS_SERVERS];
	unsigned int n_servers;
	uint16_t ports[MAX_TLS_PORTS];
	unsigned int n_ports;
	bool has_u32[EGRESSFW_CFG_A_MAX + 1];
	uint32_t u32[EGRESSFW_CFG_A_MAX + 1];
};

/* A decimal number in [@min, @max], digits only. */
static bool parse_num(const char *s, size_t len, unsigned long long min,
		      unsigned long long max, unsigned long long *out)
{
	unsigned long long v = 0;
	size_t i;

	if (!len || len > 10)
		return false;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (unsigned long long)(s[i] - '0');
	}
	if (v < min || v > max)
		return false;
	*out = v;
	return true;
}

static int parse_ports(const char *s, struct settings *st)
{
	unsigned long long v;
	const char *p = s;
	unsigned int i;

	st->n_ports = 0;
	for (;;) {
		size_t len = strcspn(p, ",");

		if (!parse_num(p, len, 1, 65535, &v)) {
			fprintf(stderr, "egressctl set: invalid TLS port '%.*s' in '%s' (expected 1-65535)\n",
				(int)len, p, s);
			return EXIT_USAGE;
		}
		for (i = 0; i < st->n_ports && st->ports[i] != v; i++)
			;
		if (i == st->n_ports) {
			if (st->n_ports == MAX_TLS_PORTS) {
				fprintf(stderr, "egressctl set: at most %d TLS ports\n", MAX_TLS_PORTS);
				return EXIT_USAGE;
			}
			st->ports[st->n_ports++] = (uint16_t)v;
		}
		if (!p[len])
			break;
		p += len + 1;
	}
	st->has_ports = true;
	return 0;
}

static const struct {
	const char *key;
	uint16_t attr;
	const char *unit;
	unsigned long long min;
} u32_keys[] = {
	{ "hello-max", EGRESSFW_CFG_A_HELLO_MAX, "bytes", 1 },
	{ "hello-timeout", EGRESSFW_CFG_A_HELLO_TIMEOUT_MS, "milliseconds", 1 },
	{ "pending-max", EGRESSFW_CFG_A_PENDING_MAX, "flows", 1 },
	{ "dns-ttl-min", EGRESSFW_CFG_A_DNS_TTL_MIN, "seconds", 0 },
	{ "dns-ttl-max", EGRESSFW_CFG_A_DNS_TTL_MAX, "seconds", 1 },
	{ "dns-grace", EGRESSFW_CFG_A_DNS_GRACE, "seconds", 0 },
	{ "dns-max", EGRESSFW_CFG_A_DNS_MAX, "entries", 1 },
};

/* "10.0.0.53,fd00::53" or "any" (no restriction). */
static int parse_servers(const char *s, struct settings *st)
{
	char one[INET6_ADDRSTRLEN + 1];
	const char *p = s;

	st->has_servers = true;
	st->n_servers = 0;
	if (!strcmp(s, "any"))
		return 0;
	for (;;) {
		size_t len = strcspn(p, ",");
		struct egressfw_addr *a = &st->servers[st->n_servers];

		if (st->n_servers == EGRESSFW_MAX_DNS_SERVERS) {
			fprintf(stderr, "egressctl set: at most %d dns-servers\n",
				EGRESSFW_MAX_DNS_SERVERS);
			return EXIT_USAGE;
		}
		memset(a, 0, sizeof(*a));
		if (len && len < sizeof(one)) {
			memcpy(one, p, len);
			one[len] = '\0';
			if (inet_pton(AF_INET, one, a->addr) == 1)
				a->family = 4;
			else if (inet_pton(AF_INET6, one, a->addr) == 1)
				a->family = 6;
		}
		if (!a->family) {
			fprintf(stderr, "egressctl set: invalid dns-servers address '%.*s' in '%s' (expected IPv4 or IPv6 addresses, or any)\n",
				(int)len, p, s);
			return EXIT_USAGE;
		}
		st->n_servers++;
		if (!p[len])
			return 0;
		p += len + 1;
	}
}

/* @value is one of @a (-> 0) or @b (-> 1). */
static int parse_choice(const char *key, const char *value, const char *a,
			const char *b, uint8_t *out, bool *has)
{
	if (!strcmp(value, a)) {
		*out = 0;
	} else if (!strcmp(value, b)) {
		*out = 1;
	} else {
		fprintf(stderr, "egressctl set: invalid %s '%s' (expected %s or %s)\n",
			key, value, a, b);
		return EXIT_USAGE;
	}
	*has = true;
	return 0;
}

static int parse_pair(const char *key, const char *value, struct settings *st)
{
	unsigned long long v;
	size_t i;

	if (!strcmp(key, "mode")) {
		if (!strcmp(value, "enforce")) {
			st->mode = EGRESSFW_MODE_ENFORCE;
		} else if (!strcmp(value, "audit")) {
			st->mode = EGRESSFW_MODE_AUDIT;
		} else {
			fprintf(stderr, "egressctl set: invalid mode '%s' (expected enforce or audit)\n",
				value);
			return EXIT_USAGE;
		}
		st->has_mode = true;
		return 0;
	}
	if (!strcmp(key, "tls-ports"))
		return parse_ports(value, st);
	if (!strcmp(key, "strict"))
		return parse_choice(key, value, "off", "on", &st->strict,
				    &st->has_strict);
	/* EGRESSFW_QUIC_LIST is 0, EGRESSFW_QUIC_DENY 1 */
	if (!strcmp(key, "quic"))
		return parse_choice(key, value, "list", "deny", &st->quic,
				    &st->has_quic);
	/* EGRESSFW_ECH_OUTER is 0, EGRESSFW_ECH_DENY 1 */
	if (!strcmp(key, "ech"))
		return parse_choice(key, value, "outer", "deny", &st->ech,
				    &st->has_ech);
	if (!strcmp(key, "dns-servers"))
		return parse_servers(value, st);
	for (i = 0; i < sizeof(u32_keys) / sizeof(u32_keys[0]); i++) {
		if (strcmp(key, u32_keys[i].key))
			continue;
		if (!parse_num(value, strlen(value), u32_keys[i].min, UINT32_MAX, &v)) {
			fprintf(stderr, "egressctl set: invalid %s '%s' (expected a number of %s)\n",
				key, value, u32_keys[i].unit);
			return EXIT_USAGE;
		}
		st->has_u32[u32_keys[i].attr] = true;
		st->u32[u32_keys[i].attr] = (uint32_t)v;
		return 0;
	}
	fprintf(stderr, "egressctl set: unknown key '%s' (expected mode, tls-ports, hello-max, hello-timeout, pending-max, strict, quic, ech, dns-ttl-min, dns-ttl-max, dns-grace, dns-max or dns-servers)\n",
		key);
	return EXIT_USAGE;
}

static void put_settings(struct nlmsghdr *nlh, const struct settings *st)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, EGRESSFW_A_CONFIG);
	uint16_t t;

	if (st->has_mode)
		mnl_attr_put_u8(nlh, EGRESSFW_CFG_A_MODE, st->mode);
	if (st->has_ports)
		mnl_attr_put(nlh, EGRESSFW_CFG_A_TLS_PORTS,
			     st->n_ports * sizeof(st->ports[0]), st->ports);
	if (st->has_strict)
		mnl_attr_put_u8(nlh, EGRESSFW_CFG_A_STRICT, st->strict);
	if (st->has_quic)
		mnl_attr_put_u8(nlh, EGRESSFW_CFG_A_QUIC, st->quic);
	if (st->has_ech)
		mnl_attr_put_u8(nlh, EGRESSFW_CFG_A_ECH, st->ech);
	if (st->has_servers)
		mnl_attr_put(nlh, EGRESSFW_CFG_A_DNS_SERVERS,
			     st->n_servers * sizeof(st->servers[0]), st->servers);
	for (t = 0; t <= EGRESSFW_CFG_A_MAX; t++)
		if (st->has_u32[t])
			mnl_attr_put_u32(nlh, t, st->u32[t]);
	mnl_attr_nest_end(nlh, nest);
}

int cmd_set(int argc, char **argv)
{
	char *config_argv[] = { "config", NULL };
	char buf[EFW_NL_TX_SIZE] __attribute__((aligned(8)));
	struct nlmsghdr *nlh;
	struct settings st;
	struct efw_nl nl;
	int i, ret, err;

	if (argc == 1)
		return cmd_config(1, config_argv);
	if (argc % 2 == 0) {
		fprintf(stderr, "egressctl set: '%s' needs a value\nusage: egressctl set [KEY VALUE]...\n",
			argv[argc - 1]);
		return EXIT_USAGE;
	}
	memset(&st, 0, sizeof(st));
	for (i = 1; i < argc; i += 2) {
		ret = parse_pair(argv[i], argv[i + 1], &st);
		if (ret)
			return ret;
	}

	ret = efw_nl_open(&nl);
	if (ret)
		return ret;
	nlh = efw_nl_msg(&nl, buf, EGRESSFW_CMD_SET_CONFIG, 0);
	put_settings(nlh, &st);
	err = efw_nl_request(&nl, nlh, NULL, NULL);
	if (err == -EINVAL || err == -ERANGE) {
		/* The module's bounds, told in its own words. */
		efw_nl_fail(&nl, err, "the module refused the setting");
		ret = EXIT_USAGE;
	} else if (err) {
		ret = efw_nl_fail(&nl, err, "cannot change the settings");
	}
	efw_nl_close(&nl);
	return ret;
}
