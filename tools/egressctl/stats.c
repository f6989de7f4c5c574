// SPDX-License-Identifier: GPL-2.0
/*
 * egressctl stats: the global counters of the namespace's egressfw.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "prometheus.h"
#include "rules.h"
#include "stats.h"

/* "  KEY  HELP", HELP wrapped at 78 columns under itself. */
static void help_line(FILE *out, const char *key, const char *help)
{
	int col = fprintf(out, "  %-17s", key);
	const char *w = help, *end;

	while (*w) {
		end = strchr(w, ' ');
		if (!end)
			end = w + strlen(w);
		if (col + 1 + (end - w) > 78 && col > 20)
			col = fprintf(out, "\n%19s", "") - 1;
		col += fprintf(out, " %.*s", (int)(end - w), w);
		w = *end ? end + 1 : end;
	}
	fputc('\n', out);
}

void cmd_stats_help(FILE *out)
{
	unsigned int r, i;

	fputs("Print egressfw's global counters for this network namespace: whether\n"
	      "a ruleset is loaded, its generation (bumped by every load and flush)\n"
	      "and rule count, guarded packets and flows, connections allowed by\n"
	      "CIDR, SNI and DNS-learned address, and denials by reason:\n"
	      "\n", out);
	for (r = 0; r < __EGRESSFW_DENY_MAX; r++)
		help_line(out, efw_deny_reason_names[r], efw_deny_reason_help[r]);
	fputs("\n"
	      "In audit mode the denial counters count what would have been denied.\n"
	      "\n"
	      "DNS learning:\n"
	      "\n", out);
	for (i = 0; i < efw_n_counters; i++)
		if (efw_counters[i].group && !strcmp(efw_counters[i].group, "dns"))
			help_line(out, efw_counters[i].key, efw_counters[i].help);
	fputs("\n"
	      "  -j, --json     one JSON object instead\n"
	      "  --prometheus   Prometheus' text format instead, with per-rule series\n"
	      "                 (egressfw_rule_allowed_total{id,pattern,ports,source}),\n"
	      "                 for node_exporter's textfile collector\n", out);
}

static int parse_denied(const struct nlattr *nest, struct efw_stats *st)
{
	const struct nlattr *attr;

	mnl_attr_for_each_nested(attr, nest) {
		unsigned int reason = mnl_attr_get_type(attr) - 1u;

		/*
		 * Reason r is type r + 1: type 0 is the module's alignment
		 * padding (nla_put_u64_64bit) and wraps to a skipped reason.
		 */
		if (reason >= EFW_STATS_MAX_REASONS || !mnl_attr_get_payload_len(attr))
			continue;
		if (mnl_attr_validate(attr, MNL_TYPE_U64) < 0)
			return -EPROTO;
		st->denied[reason] = mnl_attr_get_u64(attr);
		if (reason + 1 > st->n_reasons)
			st->n_reasons = reason + 1;
	}
	return 0;
}

static int parse_counters(const struct nlattr *nest, struct efw_stats *st)
{
	enum mnl_attr_data_type policy[EGRESSFW_STATS_A_MAX + 1] = { 0 };
	const struct nlattr *tb[EGRESSFW_STATS_A_MAX + 1];
	unsigned int i;

	for (i = 0; i < efw_n_counters; i++) {
		const struct efw_counter *c = &efw_counters[i];

		policy[c->attr] = c->kind == EFW_COUNTER ? MNL_TYPE_U64 :
				  c->kind == EFW_COUNTER_GAUGE ? MNL_TYPE_U32 :
								  MNL_TYPE_NESTED;
	}
	if (efw_nl_parse_nested(nest, policy, EGRESSFW_STATS_A_MAX, tb))
		return -EPROTO;
	for (i = 0; i < efw_n_counters; i++) {
		const struct efw_counter *c = &efw_counters[i];

		if (!tb[c->attr])
			continue;
		if (c->kind == EFW_COUNTER)
			st->v[c->attr] = mnl_attr_get_u64(tb[c->attr]);
		else if (c->kind == EFW_COUNTER_GAUGE)
			st->v[c->attr] = mnl_attr_get_u32(tb[c->attr]);
		else if (parse_denied(tb[c->attr], st))
			return -EPROTO;
	}
	return 0;
}

static int stats_cb(const struct nlmsghdr *nlh, void *data)
{
	static const enum mnl_attr_data_type policy[EGRESSFW_A_MAX + 1] = {
		[EGRESSFW_A_LOADED] = MNL_TYPE_U8,
		[EGRESSFW_A_GENERATION] = MNL_TYPE_U32,
		[EGRESSFW_A_RULE_COUNT] = MNL_TYPE_U32,
		[EGRESSFW_A_STATS] = MNL_TYPE_NESTED,
	};
	const struct nlattr *tb[EGRESSFW_A_MAX + 1];
	struct efw_stats *st = data;

	if (efw_nl_parse(nlh, policy, EGRESSFW_A_MAX, tb) ||
	    !tb[EGRESSFW_A_LOADED] || !tb[EGRESSFW_A_GENERATION])
		return -EPROTO;
	st->loaded = mnl_attr_get_u8(tb[EGRESSFW_A_LOADED]);
	st->generation = mnl_attr_get_u32(tb[EGRESSFW_A_GENERATION]);
	if (tb[EGRESSFW_A_RULE_COUNT])
		st->rules = mnl_attr_get_u32(tb[EGRESSFW_A_RULE_COUNT]);
	if (tb[EGRESSFW_A_STATS])
		return parse_counters(tb[EGRESSFW_A_STATS], st);
	return 0;
}

int efw_stats_get(struct efw_nl *nl, struct efw_stats *st)
{
	memset(st, 0, sizeof(*st));
	/* Every known reason is printed, even if this module omits some. */
	st->n_reasons = __EGRESSFW_DENY_MAX;
	return efw_nl_simple(nl, EGRESSFW_CMD_GET_STATS, stats_cb, st);
}

void efw_stats_reason_name(unsigned int reason, char *buf, size_t size)
{
	if (reason < __EGRESSFW_DENY_MAX)
		snprintf(buf, size, "%s", efw_deny_reason_names[reason]);
	else
		snprintf(buf, size, "reason_%u", reason);
}

/* JSON: the table's groups become objects ("allowed": {"cidr": N}). */
static void print_json(const struct efw_stats *st)
{
	const char *open_group = NULL;
	char name[32];
	unsigned int i, r;

	printf("{\"loaded\":%s,\"generation\":%u,\"rules\":%u",
	       st->loaded ? "true" : "false", st->generation, st->rules);
	for (i = 0; i < efw_n_counters; i++) {
		const struct efw_counter *c = &efw_counters[i];
		bool same = open_group && c->group && !strcmp(open_group, c->group);

		if (open_group && !same)
			putchar('}');
		if (c->group && !same)
			printf(",\"%s\":{", c->group);
		else
			putchar(',');
		open_group = c->group;
		if (c->kind != EFW_COUNTER_DENIED) {
			printf("\"%s\":%llu", c->key, (unsigned long long)st->v[c->attr]);
			continue;
		}
		printf("\"%s\":{", c->key);
		for (r = 0; r < st->n_reasons; r++) {
			efw_stats_reason_name(r, name, sizeof(name));
			printf("%s\"%s\":%llu", r ? "," : "", name,
			       (unsigned long long)st->denied[r]);
		}
		putchar('}');
	}
	printf("%s}\n", open_group ? "}" : "");
}

static void print_people(const struct efw_stats *st)
{
	char name[48];
	unsigned int i, r;

	printf("%-24s %s\n", "loaded", st->loaded ? "yes" :
	       "no (no ruleset: all traffic passes)");
	printf("%-24s %u\n", "generation", st->generation);
	printf("%-24s %u\n", "rules", st->rules);
	for (i = 0; i < efw_n_counters; i++) {
		const struct efw_counter *c = &efw_counters[i];

		if (c->kind != EFW_COUNTER_DENIED) {
			printf("%-24s %llu\n", efw_counter_name(c, ' ', name, sizeof(name)),
			       (unsigned long long)st->v[c->attr]);
			continue;
		}
		for (r = 0; r < st->n_reasons; r++) {
			efw_stats_reason_name(r, name, sizeof(name));
			printf("denied %-17s %llu\n", name,
			       (unsigned long long)st->denied[r]);
		}
	}
}

enum format { PEOPLE, JSON, PROMETHEUS };

static int parse_opts(int argc, char **argv, enum format *fmt)
{
	int i;

	*fmt = PEOPLE;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-j") || !strcmp(argv[i], "--json")) {
			*fmt = JSON;
		} else if (!strcmp(argv[i], "--prometheus")) {
			*fmt = PROMETHEUS;
		} else {
			fprintf(stderr, "egressctl stats: %s '%s'\nusage: egressctl stats [-j|--prometheus]\n",
				argv[i][0] == '-' ? "unknown option" : "unexpected argument", argv[i]);
			return EXIT_USAGE;
		}
	}
	return 0;
}

/* The counters and the rules of one ruleset, as a scrape wants them. */
static int print_prometheus(struct efw_nl *nl)
{
	struct efw_rules rules;
	struct efw_stats st;
	int ret = 0, err;

	memset(&rules, 0, sizeof(rules));
	err = efw_rules_read(nl, &rules, &st);
	if (err == -EINTR) {
		fprintf(stderr, "egressctl: the ruleset kept changing while it was read; try again\n");
		ret = EXIT_SYSTEM;
	} else if (err) {
		ret = efw_nl_fail(nl, err, "cannot read the counters");
	} else {
		efw_prom_print(stdout, &st, &rules);
	}
	efw_rules_free(&rules);
	return ret;
}

int cmd_stats(int argc, char **argv)
{
	struct efw_stats st;
	struct efw_nl nl;
	enum format fmt;
	int ret, err;

	ret = parse_opts(argc, argv, &fmt);
	if (ret)
		return ret;
	ret = efw_nl_open(&nl);
	if (ret)
		return ret;
	if (fmt == PROMETHEUS) {
		ret = print_prometheus(&nl);
		goto out;
	}
	err = efw_stats_get(&nl, &st);
	if (err) {
		ret = efw_nl_fail(&nl, err, "cannot read the counters");
		goto out;
	}
	if (fmt == JSON)
		print_json(&st);
	else
		print_people(&st);
out:
	efw_nl_close(&nl);
	return ret;
}
