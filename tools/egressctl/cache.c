// SPDX-License-Identifier: GPL-2.0
/*
 * egressctl cache: the addresses egressfw learned from DNS answers
 * (GET_CACHE dump), one (address, name) pair per line as they stream in.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "commands.h"
#include "json.h"
#include "netlink.h"

const char cmd_cache_help[] =
	"List the addresses egressfw learned from DNS answers in this network\n"
	"namespace: one line per (address, name) pair, with\n"
	"\n"
	"  ADDRESS  an A or AAAA answer\n"
	"  NAME     the question or CNAME in its chain that a rule matched\n"
	"  EXPIRES  seconds until it is forgotten (TTL plus dns-grace)\n"
	"  TTL      the answer's TTL clamped to dns-ttl-min..dns-ttl-max\n"
	"  RULE     the first rule matching NAME, '-' if the loaded ruleset\n"
	"           has none any more (then it allows nothing)\n"
	"\n"
	"A connection to a non-TLS guarded port (22, 25, ...) is allowed when\n"
	"its address is listed here for a name whose rule covers the port.\n"
	"The table is bounded (`egressctl set dns-max`); the order is the\n"
	"table's, not sorted. A flush empties it.\n"
	"\n"
	"  -j, --json   a JSON array of objects: family (4 or 6), address,\n"
	"               name, expires, ttl, rule (or null), sets (the @set\n"
	"               strings of the rules the name matches)\n";

/* The EGRESSFW_CACHE_A_SET strings (repeated: not in a table), as JSON. */
static void print_sets(const struct nlattr *nest)
{
	const struct nlattr *a;
	int n = 0;

	mnl_attr_for_each_nested(a, nest) {
		if (mnl_attr_get_type(a) != EGRESSFW_CACHE_A_SET ||
		    mnl_attr_validate(a, MNL_TYPE_NUL_STRING))
			continue;
		if (n++)
			putchar(',');
		efw_json_str(stdout, mnl_attr_get_str(a));
	}
}

struct cache_out {
	bool json;
	unsigned long n;
};

static int entry_cb(const struct nlmsghdr *nlh, void *data)
{
	static const enum mnl_attr_data_type top[EGRESSFW_A_MAX + 1] = {
		[EGRESSFW_A_CACHE] = MNL_TYPE_NESTED,
	};
	static const enum mnl_attr_data_type policy[EGRESSFW_CACHE_A_MAX + 1] = {
		[EGRESSFW_CACHE_A_FAMILY] = MNL_TYPE_U8,
		[EGRESSFW_CACHE_A_ADDR] = MNL_TYPE_BINARY,
		[EGRESSFW_CACHE_A_NAME] = MNL_TYPE_NUL_STRING,
		[EGRESSFW_CACHE_A_EXPIRES] = MNL_TYPE_U32,
		[EGRESSFW_CACHE_A_TTL] = MNL_TYPE_U32,
		[EGRESSFW_CACHE_A_RULE] = MNL_TYPE_U32,
	};
	const struct nlattr *ttb[EGRESSFW_A_MAX + 1];
	const struct nlattr *tb[EGRESSFW_CACHE_A_MAX + 1];
	struct cache_out *out = data;
	char addr[INET6_ADDRSTRLEN], rule[16] = "-";
	uint8_t family;
	uint16_t len;

	if (efw_nl_parse(nlh, top, EGRESSFW_A_MAX, ttb) || !ttb[EGRESSFW_A_CACHE] ||
	    efw_nl_parse_nested(ttb[EGRESSFW_A_CACHE], policy, EGRESSFW_CACHE_A_MAX, tb) ||
	    !tb[EGRESSFW_CACHE_A_FAMILY] || !tb[EGRESSFW_CACHE_A_ADDR] ||
	    !tb[EGRESSFW_CACHE_A_NAME] || !tb[EGRESSFW_CACHE_A_EXPIRES] ||
	    !tb[EGRESSFW_CACHE_A_TTL])
		return -EPROTO;
	family = mnl_attr_get_u8(tb[EGRESSFW_CACHE_A_FAMILY]);
	len = mnl_attr_get_payload_len(tb[EGRESSFW_CACHE_A_ADDR]);
	if ((family != 4 || len != 4) && (family != 6 || len != 16))
		return -EPROTO;
	if (!inet_ntop(family == 4 ? AF_INET : AF_INET6,
		       mnl_attr_get_payload(tb[EGRESSFW_CACHE_A_ADDR]), addr,
		       sizeof(addr)))
		return -EPROTO;
	if (tb[EGRESSFW_CACHE_A_RULE])
		snprintf(rule, sizeof(rule), "%u",
			 mnl_attr_get_u32(tb[EGRESSFW_CACHE_A_RULE]));

	if (out->json) {
		printf("%s{\"family\":%u,\"address\":\"%s\",\"name\":", out->n ? "," : "",
		       family, addr);
		efw_json_str(stdout, mnl_attr_get_str(tb[EGRESSFW_CACHE_A_NAME]));
		printf(",\"expires\":%u,\"ttl\":%u,\"rule\":%s,\"sets\":[",
		       mnl_attr_get_u32(tb[EGRESSFW_CACHE_A_EXPIRES]),
		       mnl_attr_get_u32(tb[EGRESSFW_CACHE_A_TTL]),
		       tb[EGRESSFW_CACHE_A_RULE] ? rule : "null");
		print_sets(ttb[EGRESSFW_A_CACHE]);
		printf("]}");
	} else {
		if (!out->n)
			printf("%-39s  %-40s  %7s  %6s  %s\n", "ADDRESS", "NAME",
			       "EXPIRES", "TTL", "RULE");
		printf("%-39s  %-40s  %6us  %5us  %s\n", addr,
		       mnl_attr_get_str(tb[EGRESSFW_CACHE_A_NAME]),
		       mnl_attr_get_u32(tb[EGRESSFW_CACHE_A_EXPIRES]),
		       mnl_attr_get_u32(tb[EGRESSFW_CACHE_A_TTL]), rule);
	}
	out->n++;
	return 0;
}

int cmd_cache(int argc, char **argv)
{
	char buf[EFW_NL_TX_SIZE] __attribute__((aligned(8)));
	struct cache_out out = { 0 };
	struct efw_nl nl;
	int ret, err;

	ret = efw_opt_json(argc, argv, "[-j]", &out.json);
	if (ret)
		return ret;
	ret = efw_nl_open(&nl);
	if (ret)
		return ret;
	if (out.json)
		putchar('[');
	err = efw_nl_request(&nl, efw_nl_msg(&nl, buf, EGRESSFW_CMD_GET_CACHE,
					     NLM_F_DUMP), entry_cb, &out);
	if (out.json)
		printf("]\n");
	else if (!err && !out.n)
		printf("no learned addresses\n");
	if (err)
		ret = efw_nl_fail(&nl, err, "cannot read the learned addresses");
	efw_nl_close(&nl);
	return ret;
}
