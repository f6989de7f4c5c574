// SPDX-License-Identifier: GPL-2.0
/*
 * egressctl config (and `egressctl set` without arguments): print the
 * namespace's settings from GET_CONFIG, with the names `set` takes.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "json.h"
#include "load.h"
#include "netlink.h"
#include "settings_nl.h"

const char cmd_config_help[] =
	"Print the egressfw settings of this network namespace, one KEY VALUE\n"
	"per line, with the keys `egressctl set` takes (see `egressctl help\n"
	"set`). `egressctl set` without arguments does the same.\n"
	"\n"
	"  -j, --json   one JSON object: mode, tls_ports (array), hello_max,\n"
	"               hello_timeout_ms, pending_max, strict (bool), quic, ech,\n"
	"               dns_ttl_min, dns_ttl_max, dns_grace, dns_max,\n"
	"               dns_servers (array of addresses; [] = any)\n";

static int config_cb(const struct nlmsghdr *nlh, void *data)
{
	static const enum mnl_attr_data_type top[EGRESSFW_A_MAX + 1] = {
		[EGRESSFW_A_CONFIG] = MNL_TYPE_NESTED,
	};
	const struct nlattr *tb[EGRESSFW_A_MAX + 1];

	if (efw_nl_parse(nlh, top, EGRESSFW_A_MAX, tb) || !tb[EGRESSFW_A_CONFIG])
		return -EPROTO;
	/* Values, not attributes: the ACK after the reply reuses the buffer. */
	return efw_settings_read(tb[EGRESSFW_A_CONFIG], data);
}

int efw_settings_get(struct efw_nl *nl, struct efw_settings *st)
{
	memset(st, 0, sizeof(*st));
	return efw_nl_simple(nl, EGRESSFW_CMD_GET_CONFIG, config_cb, st);
}

int cmd_config(int argc, char **argv)
{
	struct efw_settings cfg;
	struct efw_nl nl;
	bool json;
	int ret, err;

	memset(&cfg, 0, sizeof(cfg));
	ret = efw_opt_json(argc, argv, "[-j]", &json);
	if (ret)
		return ret;
	ret = efw_nl_open(&nl);
	if (ret)
		return ret;
	err = efw_settings_get(&nl, &cfg);
	if (err)
		ret = efw_nl_fail(&nl, err, "cannot read the settings");
	else
		efw_settings_print(stdout, &cfg, json);
	efw_nl_close(&nl);
	return ret;
}
