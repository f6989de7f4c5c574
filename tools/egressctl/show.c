// SPDX-License-Identifier: GPL-2.0
/*
 * egressctl show: the loaded rules with their counters (GET_RULES dump).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ago.h"
#include "commands.h"
#include "json.h"
#include "netlink.h"
#include "rules.h"

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
	"  SET      the nft sets its learned addresses go to (@set in\n"
	"           egressfw.list(5), written by `egressctl nft-sync`); the\n"
	"           column is there when a rule has some\n"
	"\n"
	"If no ruleset is loaded, say so: then all traffic passes.\n"
	"\n"
	"  -j, --json   a JSON array of objects with the fields id, source,\n"
	"               pattern, ports, allowed, allowed_dns (of allowed, those\n"
	"               by a DNS-learned address), last_hit (seconds, or null),\n"
	"               learned and set (\"FAMILY TABLE SET...\", or null); []\n"
	"               if no ruleset is loaded\n";

static int width(int w, const char *s)
{
	int n = (int)strlen(s);

	return n > w ? n : w;
}

static void print_people(const struct efw_rules *rows)
{
	int wid = 2, wsrc = 6, wpat = 7, wports = 5, wallow = 7, wlast = 8;
	int wlearned = 7;
	char num[32], last[32];
	bool sets = false;
	size_t i;

	for (i = 0; i < rows->n; i++) {
		const struct efw_rule_row *r = &rows->v[i];

		snprintf(num, sizeof(num), "%u", r->id);
		wid = width(wid, num);
		wsrc = width(wsrc, r->source);
		wpat = width(wpat, r->pattern);
		wports = width(wports, r->ports);
		snprintf(num, sizeof(num), "%llu", (unsigned long long)r->allowed);
		wallow = width(wallow, num);
		efw_ago_text(r->last_hit, last, sizeof(last));
		wlast = width(wlast, last);
		snprintf(num, sizeof(num), "%u", r->learned);
		wlearned = width(wlearned, num);
		sets |= r->set != NULL;
	}
	/* SET only when a rule has one: the table stays what it was without. */
	printf("%*s  %-*s  %-*s  %-*s  %*s  %*s  ", wid, "ID", wsrc, "SOURCE",
	       wpat, "PATTERN", wports, "PORTS", wallow, "ALLOWED", wlast, "LAST-HIT");
	if (sets)
		printf("%*s  SET\n", wlearned, "LEARNED");
	else
		printf("LEARNED\n");
	for (i = 0; i < rows->n; i++) {
		const struct efw_rule_row *r = &rows->v[i];

		efw_ago_text(r->last_hit, last, sizeof(last));
		printf("%*u  %-*s  %-*s  %-*s  %*llu  %*s  ", wid, r->id,
		       wsrc, r->source, wpat, r->pattern, wports, r->ports,
		       wallow, (unsigned long long)r->allowed, wlast, last);
		if (sets)
			printf("%*u  %s\n", wlearned, r->learned, r->set ? r->set : "-");
		else
			printf("%u\n", r->learned);
	}
}

static void print_json(const struct efw_rules *rows)
{
	size_t i;

	putchar('[');
	for (i = 0; i < rows->n; i++) {
		const struct efw_rule_row *r = &rows->v[i];

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
		printf(",\"learned\":%u,\"set\":", r->learned);
		if (r->set)
			efw_json_str(stdout, r->set);
		else
			printf("null");
		putchar('}');
	}
	printf("]\n");
}

int cmd_show(int argc, char **argv)
{
	struct efw_rules rows;
	struct efw_nl nl;
	bool json;
	int ret, err;

	ret = efw_opt_json(argc, argv, "[-j]", &json);
	if (ret)
		return ret;
	ret = efw_nl_open(&nl);
	if (ret)
		return ret;
	memset(&rows, 0, sizeof(rows));
	err = efw_rules_read(&nl, &rows, NULL);
	if (err == -EINTR) {
		fprintf(stderr, "egressctl: the ruleset kept changing while it was read; try again\n");
		ret = EXIT_SYSTEM;
		goto out;
	}
	if (err) {
		ret = efw_nl_fail(&nl, err, "cannot read the rules");
		goto out;
	}
	if (json)
		print_json(&rows);
	else if (!rows.loaded)
		printf("no ruleset loaded: all traffic passes\n");
	else
		print_people(&rows);
	if (!json && rows.loaded && !rows.n)
		printf("(the ruleset is empty: every guarded connection is denied)\n");
out:
	efw_rules_free(&rows);
	efw_nl_close(&nl);
	return ret;
}
