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

const char cmd_stats_help[] =
	"Print egressfw's global counters for this network namespace: whether\n"
	"a ruleset is loaded, its generation (bumped by every load and flush)\n"
	"and rule count, guarded packets and flows, connections allowed by\n"
	"CIDR, SNI and DNS-learned address, and denials by reason:\n"
	"\n"
	"  no_match          a name or address no rule allows\n"
	"  no_sni            a ClientHello without server_name\n"
	"  not_tls           non-TLS bytes on a TLS port\n"
	"  malformed         a ClientHello that breaks the rules\n"
	"  pending_overflow  too many flows waiting for their ClientHello\n"
	"  timeout           ClientHello incomplete in time or over the bound\n"
	"  strict            strict mode: the SNI's rule never learned the address\n"
	"  quic              UDP 443 under `set quic deny`\n"
	"  dns_server        DNS to a server not in dns-servers\n"
	"  ech               a ClientHello with ECH under `set ech deny`\n"
	"\n"
	"In audit mode the denial counters count what would have been denied.\n"
	"\n"
	"DNS learning: answers read, replies ignored (not a usable answer,\n"
	"too big, split across TCP segments), unsolicited answers (no query\n"
	"left through this host: never learned), (address, name) entries\n"
	"learned, refreshed and evicted by the table bound, and entries now.\n"
	"\n"
	"  -j, --json     one JSON object instead\n"
	"  --prometheus   Prometheus' text format instead, with per-rule series\n"
	"                 (egressfw_rule_allowed_total{id,pattern,ports,source}),\n"
	"                 for node_exporter's textfile collector\n";

static const char *const reason_names[__EGRESSFW_DENY_MAX] = {
	[EGRESSFW_DENY_NO_MATCH] = "no_match",
	[EGRESSFW_DENY_NO_SNI] = "no_sni",
	[EGRESSFW_DENY_NOT_TLS] = "not_tls",
	[EGRESSFW_DENY_MALFORMED] = "malformed",
	[EGRESSFW_DENY_PENDING_OVERFLOW] = "pending_overflow",
	[EGRESSFW_DENY_TIMEOUT] = "timeout",
	[EGRESSFW_DENY_STRICT] = "strict",
	[EGRESSFW_DENY_QUIC] = "quic",
	[EGRESSFW_DENY_DNS_SERVER] = "dns_server",
	[EGRESSFW_DENY_ECH] = "ech",
};

static int parse_denied(const struct nlattr *nest, struct efw_stats *st)
{
	const struct nlattr *attr;

	mnl_attr_for_each_nested(attr, nest) {
		unsigned int reason = mnl_attr_get_type(attr) - 1u;

		/*
		 * Skip padding: the module pads u64s with attribute type
		 * EGRESSFW_STATS_A_PAD even in this nest, where types are reasons.
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
	static const enum mnl_attr_data_type policy[EGRESSFW_STATS_A_MAX + 1] = {
		[EGRESSFW_STATS_A_PACKETS] = MNL_TYPE_U64,
		[EGRESSFW_STATS_A_FLOWS] = MNL_TYPE_U64,
		[EGRESSFW_STATS_A_ALLOWED_CIDR] = MNL_TYPE_U64,
		[EGRESSFW_STATS_A_ALLOWED_SNI] = MNL_TYPE_U64,
		[EGRESSFW_STATS_A_ALLOWED_DNS] = MNL_TYPE_U64,
		[EGRESSFW_STATS_A_DENIED] = MNL_TYPE_NESTED,
		[EGRESSFW_STATS_A_DNS_ANSWERS] = MNL_TYPE_U64,
		[EGRESSFW_STATS_A_DNS_IGNORED] = MNL_TYPE_U64,
		[EGRESSFW_STATS_A_DNS_UNSOLICITED] = MNL_TYPE_U64,
		[EGRESSFW_STATS_A_DNS_LEARNED] = MNL_TYPE_U64,
		[EGRESSFW_STATS_A_DNS_REFRESHED] = MNL_TYPE_U64,
		[EGRESSFW_STATS_A_DNS_EVICTED] = MNL_TYPE_U64,
		[EGRESSFW_STATS_A_DNS_ENTRIES] = MNL_TYPE_U32,
		[EGRESSFW_STATS_A_EVENTS_SUPPRESSED] = MNL_TYPE_U64,
	};
	const struct nlattr *tb[EGRESSFW_STATS_A_MAX + 1];
	uint64_t *dst[EGRESSFW_STATS_A_MAX + 1] = {
		[EGRESSFW_STATS_A_PACKETS] = &st->packets,
		[EGRESSFW_STATS_A_FLOWS] = &st->flows,
		[EGRESSFW_STATS_A_ALLOWED_CIDR] = &st->allowed_cidr,
		[EGRESSFW_STATS_A_ALLOWED_SNI] = &st->allowed_sni,
		[EGRESSFW_STATS_A_ALLOWED_DNS] = &st->allowed_dns,
		[EGRESSFW_STATS_A_DNS_ANSWERS] = &st->dns_answers,
		[EGRESSFW_STATS_A_DNS_IGNORED] = &st->dns_ignored,
		[EGRESSFW_STATS_A_DNS_UNSOLICITED] = &st->dns_unsolicited,
		[EGRESSFW_STATS_A_DNS_LEARNED] = &st->dns_learned,
		[EGRESSFW_STATS_A_DNS_REFRESHED] = &st->dns_refreshed,
		[EGRESSFW_STATS_A_DNS_EVICTED] = &st->dns_evicted,
		[EGRESSFW_STATS_A_EVENTS_SUPPRESSED] = &st->events_suppressed,
	};
	int t;

	if (efw_nl_parse_nested(nest, policy, EGRESSFW_STATS_A_MAX, tb))
		return -EPROTO;
	for (t = 0; t <= EGRESSFW_STATS_A_MAX; t++)
		if (dst[t] && tb[t])
			*dst[t] = mnl_attr_get_u64(tb[t]);
	if (tb[EGRESSFW_STATS_A_DNS_ENTRIES])
		st->dns_entries = mnl_attr_get_u32(tb[EGRESSFW_STATS_A_DNS_ENTRIES]);
	if (tb[EGRESSFW_STATS_A_DENIED])
		return parse_denied(tb[EGRESSFW_STATS_A_DENIED], st);
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
		snprintf(buf, size, "%s", reason_names[reason]);
	else
		snprintf(buf, size, "reason_%u", reason);
}

static void print_json(const struct efw_stats *st)
{
	char name[32];
	unsigned int r;

	printf("{\"loaded\":%s,\"generation\":%u,\"rules\":%u,"
	       "\"packets\":%llu,\"flows\":%llu,"
	       "\"allowed\":{\"cidr\":%llu,\"sni\":%llu,\"dns\":%llu},\"denied\":{",
	       st->loaded ? "true" : "false", st->generation, st->rules,
	       (unsigned long long)st->packets, (unsigned long long)st->flows,
	       (unsigned long long)st->allowed_cidr,
	       (unsigned long long)st->allowed_sni,
	       (unsigned long long)st->allowed_dns);
	for (r = 0; r < st->n_reasons; r++) {
		efw_stats_reason_name(r, name, sizeof(name));
		printf("%s\"%s\":%llu", r ? "," : "", name,
		       (unsigned long long)st->denied[r]);
	}
	printf("},\"dns\":{\"answers\":%llu,\"ignored\":%llu,\"unsolicited\":%llu,"
	       "\"learned\":%llu,\"refreshed\":%llu,\"evicted\":%llu,\"entries\":%u},\"events_suppressed\":%llu}\n",
	       (unsigned long long)st->dns_answers,
	       (unsigned long long)st->dns_ignored,
	       (unsigned long long)st->dns_unsolicited,
	       (unsigned long long)st->dns_learned,
	       (unsigned long long)st->dns_refreshed,
	       (unsigned long long)st->dns_evicted, st->dns_entries,
	       (unsigned long long)st->events_suppressed);
}

static void print_people(const struct efw_stats *st)
{
	char name[32];
	unsigned int r;

	printf("%-24s %s\n", "loaded", st->loaded ? "yes" :
	       "no (no ruleset: all traffic passes)");
	printf("%-24s %u\n", "generation", st->generation);
	printf("%-24s %u\n", "rules", st->rules);
	printf("%-24s %llu\n", "packets", (unsigned long long)st->packets);
	printf("%-24s %llu\n", "flows", (unsigned long long)st->flows);
	printf("%-24s %llu\n", "allowed cidr", (unsigned long long)st->allowed_cidr);
	printf("%-24s %llu\n", "allowed sni", (unsigned long long)st->allowed_sni);
	printf("%-24s %llu\n", "allowed dns", (unsigned long long)st->allowed_dns);
	for (r = 0; r < st->n_reasons; r++) {
		efw_stats_reason_name(r, name, sizeof(name));
		printf("denied %-17s %llu\n", name, (unsigned long long)st->denied[r]);
	}
	printf("%-24s %llu\n", "dns answers", (unsigned long long)st->dns_answers);
	printf("%-24s %llu\n", "dns ignored", (unsigned long long)st->dns_ignored);
	printf("%-24s %llu\n", "dns unsolicited", (unsigned long long)st->dns_unsolicited);
	printf("%-24s %llu\n", "dns learned", (unsigned long long)st->dns_learned);
	printf("%-24s %llu\n", "dns refreshed", (unsigned long long)st->dns_refreshed);
	printf("%-24s %llu\n", "dns evicted", (unsigned long long)st->dns_evicted);
	printf("%-24s %u\n", "dns entries", st->dns_entries);
	printf("%-24s %llu\n", "events suppressed", (unsigned long long)st->events_suppressed);
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
