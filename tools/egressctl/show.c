// SPDX-License-Identifier: GPL-2.0
/*
 * egressctl show: the loaded rules with their counters (GET_RULES dump).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "json.h"
#include "list.h"
#include "netlink.h"
#include "stats.h"

const char cmd_show_help[] =
	"List the rules loaded in this network namespace, in list order (the\n"
	"first rule that matches a connection is the one credited), with:\n"
	"\n"
	"  ID       position in the merged list, from 0\n"
	"  SOURCE   FILE:LINE the rule came from\n"
	"  PATTERN  name, wildcard, glob or CIDR\n"
	"  PORTS    protocols and ports it covers\n"
	"  ALLOWED  connections it allowed\n"
	"  LAST-HIT time since the last of them, '-' if none\n"
	"  LEARNED  learned (address, name) entries whose name it matches\n"
	"\n"
	"If no ruleset is loaded, say so: then all traffic passes.\n"
	"\n"
	"  -j, --json   a JSON array of objects with the fields id, source,\n"
	"               pattern, ports, allowed, allowed_dns (of allowed, those\n"
	"               by a DNS-learned address), last_hit (seconds, or null)\n"
	"               and learned; [] if no ruleset is loaded\n";

/* Runs of show retried when a load or flush races it. */
#define SHOW_TRIES 5

struct row {
	uint32_t id;
	char *source;
	char *pattern;
	char *ports;
	uint64_t allowed, allowed_dns;
	int64_t last_hit;	/* seconds, -1 if never */
	uint32_t learned;
};

struct rows {
	struct row *v;
	size_t n, cap;
	bool mixed;		/* rules of more than one generation */
	bool have_gen;
	uint32_t generation;
};

static void rows_clear(struct rows *rows)
{
	size_t i;

	for (i = 0; i < rows->n; i++) {
		free(rows->v[i].source);
		free(rows->v[i].pattern);
		free(rows->v[i].ports);
	}
	rows->n = 0;
	rows->mixed = false;
	rows->have_gen = false;
}

static int ports_text(const struct nlattr *attr, char **out)
{
	struct efw_port_range r[EFW_LIST_MAX_PORTS];
	const struct egressfw_port_range *wire = mnl_attr_get_payload(attr);
	uint16_t len = mnl_attr_get_payload_len(attr);
	char text[EFW_LIST_MAX_PORTS * 16];
	uint32_t i, n = len / sizeof(*wire);

	if (len % sizeof(*wire) || n > EFW_LIST_MAX_PORTS)
		return -EPROTO;
	for (i = 0; i < n; i++) {
		struct egressfw_port_range w;

		/* The payload is only 4-byte aligned: copy, do not cast. */
		memcpy(&w, wire + i, sizeof(w));
		r[i].proto = w.proto;
		r[i].lo = w.lo;
		r[i].hi = w.hi;
	}
	efw_ports_format(r, n, text, sizeof(text));
	*out = strdup(text);
	return *out ? 0 : -ENOMEM;
}

static int parse_rule(const struct nlattr *nest, struct row *row)
{
	static const enum mnl_attr_data_type policy[EGRESSFW_RULE_A_MAX + 1] = {
		[EGRESSFW_RULE_A_ID] = MNL_TYPE_U32,
		[EGRESSFW_RULE_A_PATTERN] = MNL_TYPE_NUL_STRING,
		[EGRESSFW_RULE_A_PORTS] = MNL_TYPE_BINARY,
		[EGRESSFW_RULE_A_SOURCE] = MNL_TYPE_NUL_STRING,
		[EGRESSFW_RULE_A_ALLOWED] = MNL_TYPE_U64,
		[EGRESSFW_RULE_A_LAST_HIT] = MNL_TYPE_U64,
		[EGRESSFW_RULE_A_LEARNED] = MNL_TYPE_U32,
		[EGRESSFW_RULE_A_ALLOWED_DNS] = MNL_TYPE_U64,
	};
	const struct nlattr *tb[EGRESSFW_RULE_A_MAX + 1];
	int err;

	if (efw_nl_parse_nested(nest, policy, EGRESSFW_RULE_A_MAX, tb) ||
	    !tb[EGRESSFW_RULE_A_ID] || !tb[EGRESSFW_RULE_A_PATTERN] ||
	    !tb[EGRESSFW_RULE_A_PORTS])
		return -EPROTO;
	memset(row, 0, sizeof(*row));
	err = ports_text(tb[EGRESSFW_RULE_A_PORTS], &row->ports);
	if (err)
		return err;
	row->id = mnl_attr_get_u32(tb[EGRESSFW_RULE_A_ID]);
	row->pattern = strdup(mnl_attr_get_str(tb[EGRESSFW_RULE_A_PATTERN]));
	row->source = strdup(tb[EGRESSFW_RULE_A_SOURCE] ?
			     mnl_attr_get_str(tb[EGRESSFW_RULE_A_SOURCE]) : "-");
	if (tb[EGRESSFW_RULE_A_ALLOWED])
		row->allowed = mnl_attr_get_u64(tb[EGRESSFW_RULE_A_ALLOWED]);
	row->last_hit = -1;
	if (tb[EGRESSFW_RULE_A_LAST_HIT])
		row->last_hit = (int64_t)(mnl_attr_get_u64(tb[EGRESSFW_RULE_A_LAST_HIT]) &
					  INT64_MAX);
	if (tb[EGRESSFW_RULE_A_LEARNED])
		row->learned = mnl_attr_get_u32(tb[EGRESSFW_RULE_A_LEARNED]);
	if (tb[EGRESSFW_RULE_A_ALLOWED_DNS])
		row->allowed_dns = mnl_attr_get_u64(tb[EGRESSFW_RULE_A_ALLOWED_DNS]);
	if (!row->pattern || !row->source) {
		free(row->pattern);
		free(row->source);
		free(row->ports);
		return -ENOMEM;
	}
	return 0;
}

static int rule_cb(const struct nlmsghdr *nlh, void *data)
{
	static const enum mnl_attr_data_type policy[EGRESSFW_A_MAX + 1] = {
		[EGRESSFW_A_GENERATION] = MNL_TYPE_U32,
		[EGRESSFW_A_RULE] = MNL_TYPE_NESTED,
	};
	const struct nlattr *tb[EGRESSFW_A_MAX + 1];
	struct rows *rows = data;
	uint32_t gen;
	int err;

	if (efw_nl_parse(nlh, policy, EGRESSFW_A_MAX, tb) || !tb[EGRESSFW_A_RULE])
		return -EPROTO;
	if (tb[EGRESSFW_A_GENERATION]) {
		gen = mnl_attr_get_u32(tb[EGRESSFW_A_GENERATION]);
		if (rows->have_gen && gen != rows->generation)
			rows->mixed = true;
		rows->generation = gen;
		rows->have_gen = true;
	}
	if (rows->n == rows->cap) {
		size_t cap = rows->cap ? rows->cap * 2 : 256;
		struct row *v = realloc(rows->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		rows->v = v;
		rows->cap = cap;
	}
	err = parse_rule(tb[EGRESSFW_A_RULE], &rows->v[rows->n]);
	if (err)
		return err;
	rows->n++;
	return 0;
}

static int dump_rules(struct efw_nl *nl, struct rows *rows)
{
	char buf[EFW_NL_TX_SIZE] __attribute__((aligned(8)));
	int tries, err;

	for (tries = 0; tries < EFW_NL_DUMP_TRIES; tries++) {
		rows_clear(rows);
		err = efw_nl_request(nl, efw_nl_msg(nl, buf, EGRESSFW_CMD_GET_RULES,
						    NLM_F_DUMP), rule_cb, rows);
		if (err != -EINTR && !rows->mixed)
			return err;
	}
	return -EINTR;
}

/*
 * The rules and whether there are any, consistently: GET_STATS before and
 * after the dump tell a flush or load that raced it, which the dump alone
 * cannot when a ruleset has no rules to carry the generation.
 */
static int read_rules(struct efw_nl *nl, struct rows *rows, bool *loaded)
{
	struct efw_stats before, after;
	int tries, err;

	for (tries = 0; tries < SHOW_TRIES; tries++) {
		rows_clear(rows);
		err = efw_stats_get(nl, &before);
		if (err)
			return err;
		*loaded = before.loaded;
		if (!before.loaded)
			return 0;
		err = dump_rules(nl, rows);
		if (err)
			return err;
		err = efw_stats_get(nl, &after);
		if (err)
			return err;
		if (after.generation == before.generation && after.loaded &&
		    (!rows->have_gen || rows->generation == before.generation))
			return 0;
	}
	return -EINTR;
}

static int cmp_row(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

static void last_hit_text(int64_t s, char *buf, size_t size)
{
	if (s < 0)
		snprintf(buf, size, "-");
	else if (s < 120)
		snprintf(buf, size, "%llds ago", (long long)s);
	else if (s < 120 * 60)
		snprintf(buf, size, "%lldm ago", (long long)(s / 60));
	else if (s < 48 * 3600)
		snprintf(buf, size, "%lldh ago", (long long)(s / 3600));
	else
		snprintf(buf, size, "%lldd ago", (long long)(s / 86400));
}

static int width(int w, const char *s)
{
	int n = (int)strlen(s);

	return n > w ? n : w;
}

static void print_people(const struct rows *rows)
{
	int wid = 2, wsrc = 6, wpat = 7, wports = 5, wallow = 7, wlast = 8;
	char num[32], last[32];
	size_t i;

	for (i = 0; i < rows->n; i++) {
		const struct row *r = &rows->v[i];

		snprintf(num, sizeof(num), "%u", r->id);
		wid = width(wid, num);
		wsrc = width(wsrc, r->source);
		wpat = width(wpat, r->pattern);
		wports = width(wports, r->ports);
		snprintf(num, sizeof(num), "%llu", (unsigned long long)r->allowed);
		wallow = width(wallow, num);
		last_hit_text(r->last_hit, last, sizeof(last));
		wlast = width(wlast, last);
	}
	printf("%*s  %-*s  %-*s  %-*s  %*s  %*s  %s\n", wid, "ID", wsrc, "SOURCE",
	       wpat, "PATTERN", wports, "PORTS", wallow, "ALLOWED", wlast, "LAST-HIT",
	       "LEARNED");
	for (i = 0; i < rows->n; i++) {
		const struct row *r = &rows->v[i];

		last_hit_text(r->last_hit, last, sizeof(last));
		printf("%*u  %-*s  %-*s  %-*s  %*llu  %*s  %u\n", wid, r->id,
		       wsrc, r->source, wpat, r->pattern, wports, r->ports,
		       wallow, (unsigned long long)r->allowed, wlast, last,
		       r->learned);
	}
}

static void print_json(const struct rows *rows)
{
	size_t i;

	putchar('[');
	for (i = 0; i < rows->n; i++) {
		const struct row *r = &rows->v[i];

		printf("%s{\"id\":%u,\"source\":", i ? "," : "", r->id);
		efw_json_str(stdout, r->source);
		printf(",\"pattern\":");
		efw_json_str(stdout, r->pattern);
		printf(",\"ports\":");
		efw_json_str(stdout, r->ports);
		printf(",\"allowed\":%llu,\"allowed_dns\":%llu,\"last_hit\":",
		       (unsigned long long)r->allowed,
		       (unsigned long long)r->allowed_dns);
		if (r->last_hit < 0)
			printf("null");
		else
			printf("%lld", (long long)r->last_hit);
		printf(",\"learned\":%u}", r->learned);
	}
	printf("]\n");
}

int cmd_show(int argc, char **argv)
{
	struct rows rows = { NULL, 0, 0, false, false, 0 };
	struct efw_nl nl;
	bool json, loaded;
	int ret, err;

	ret = efw_opt_json(argc, argv, "[-j]", &json);
	if (ret)
		return ret;
	ret = efw_nl_open(&nl);
	if (ret)
		return ret;
	err = read_rules(&nl, &rows, &loaded);
	if (err == -EINTR) {
		fprintf(stderr, "egressctl: the ruleset kept changing while it was read; try again\n");
		ret = EXIT_SYSTEM;
		goto out;
	}
	if (err) {
		ret = efw_nl_fail(&nl, err, "cannot read the rules");
		goto out;
	}
	if (rows.n)
		qsort(rows.v, rows.n, sizeof(*rows.v), cmp_row);
	if (json)
		print_json(&rows);
	else if (!loaded)
		printf("no ruleset loaded: all traffic passes\n");
	else
		print_people(&rows);
	if (!json && loaded && !rows.n)
		printf("(the ruleset is empty: every guarded connection is denied)\n");
out:
	rows_clear(&rows);
	free(rows.v);
	efw_nl_close(&nl);
	return ret;
}
