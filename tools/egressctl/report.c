// SPDX-License-Identifier: GPL-2.0
/*
 * egressctl report: the module's report of denials (GET_REPORT dump),
 * most frequent first; --suggest turns it into allowlist lines
 * (suggest.c), --clear empties it (CLEAR_REPORT).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>

#include "ago.h"
#include "commands.h"
#include "json.h"
#include "netlink.h"
#include "publicsuffix.h"
#include "stats.h"
#include "suggest.h"

const char cmd_report_help[] =
	"List what egressfw denied in this network namespace (in audit mode:\n"
	"what it would have denied), for rolling out a list: one line per\n"
	"destination and port, most denials first, with\n"
	"\n"
	"  COUNT        connections denied\n"
	"  DESTINATION  the SNI, or the name DNS gave for the address, or the\n"
	"               address when no name was known\n"
	"  PORT         tcp/PORT or udp/PORT\n"
	"  REASON       the reason of the last denial (see `egressctl help stats`)\n"
	"  LAST-SEEN    time since the last, and '(audit)' when it was in audit mode\n"
	"\n"
	"The module keeps at most 1024 entries (more are counted as report_full\n"
	"in `egressctl stats`); the report outlives load and flush, and stays\n"
	"until --clear. It needs CAP_NET_ADMIN in the namespace.\n"
	"\n"
	"  -j, --json   a JSON array of objects, in the same order: name (or\n"
	"               null), family and address (or null), proto, port,\n"
	"               count, first and last (seconds since the epoch),\n"
	"               reason, audit\n"
	"  --suggest    allowlist lines (egressfw.list(5)) that would allow what\n"
	"               was denied for no_match, after a comment line that says\n"
	"               where they came from: names as they are, two or more\n"
	"               names below one registrable domain as one wildcard,\n"
	"               addresses as host entries, each line's ports merged\n"
	"               (egressctl(8) has the rules). Public suffixes come from\n"
	"                 " EFW_PSL_PATH "\n"
	"               or the file $EGRESSFW_PUBLIC_SUFFIX_LIST names. Review\n"
	"               the lines before appending them to a list.\n"
	"  --clear      empty the report\n";

#define USAGE "[-j|--suggest|--clear]"

struct report {
	struct efw_denial *v;
	size_t n, cap;
};

static void clear(struct report *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		free(r->v[i].name);
	r->n = 0;
}

static int entry_cb(const struct nlmsghdr *nlh, void *data)
{
	static const enum mnl_attr_data_type top[EGRESSFW_A_MAX + 1] = {
		[EGRESSFW_A_REPORT] = MNL_TYPE_NESTED,
	};
	static const enum mnl_attr_data_type policy[EGRESSFW_REPORT_A_MAX + 1] = {
		[EGRESSFW_REPORT_A_NAME] = MNL_TYPE_NUL_STRING,
		[EGRESSFW_REPORT_A_FAMILY] = MNL_TYPE_U8,
		[EGRESSFW_REPORT_A_ADDR] = MNL_TYPE_BINARY,
		[EGRESSFW_REPORT_A_PROTO] = MNL_TYPE_U8,
		[EGRESSFW_REPORT_A_PORT] = MNL_TYPE_U16,
		[EGRESSFW_REPORT_A_COUNT] = MNL_TYPE_U64,
		[EGRESSFW_REPORT_A_FIRST] = MNL_TYPE_U64,
		[EGRESSFW_REPORT_A_LAST] = MNL_TYPE_U64,
		[EGRESSFW_REPORT_A_REASON] = MNL_TYPE_U8,
		[EGRESSFW_REPORT_A_AUDIT] = MNL_TYPE_FLAG,
	};
	const struct nlattr *ttb[EGRESSFW_A_MAX + 1];
	const struct nlattr *tb[EGRESSFW_REPORT_A_MAX + 1];
	struct report *r = data;
	struct efw_denial *d;
	uint16_t alen;

	if (efw_nl_parse(nlh, top, EGRESSFW_A_MAX, ttb) || !ttb[EGRESSFW_A_REPORT] ||
	    efw_nl_parse_nested(ttb[EGRESSFW_A_REPORT], policy, EGRESSFW_REPORT_A_MAX, tb) ||
	    !tb[EGRESSFW_REPORT_A_PROTO] || !tb[EGRESSFW_REPORT_A_PORT] ||
	    !tb[EGRESSFW_REPORT_A_COUNT] || !tb[EGRESSFW_REPORT_A_FIRST] ||
	    !tb[EGRESSFW_REPORT_A_LAST] || !tb[EGRESSFW_REPORT_A_REASON])
		return -EPROTO;
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 64;

		d = realloc(r->v, cap * sizeof(*d));
		if (!d)
			return -ENOMEM;
		r->v = d;
		r->cap = cap;
	}
	d = &r->v[r->n];
	memset(d, 0, sizeof(*d));
	if (tb[EGRESSFW_REPORT_A_NAME]) {
		d->name = strdup(mnl_attr_get_str(tb[EGRESSFW_REPORT_A_NAME]));
		if (!d->name)
			return -ENOMEM;
	} else {
		if (!tb[EGRESSFW_REPORT_A_FAMILY] || !tb[EGRESSFW_REPORT_A_ADDR])
			return -EPROTO;
		d->family = mnl_attr_get_u8(tb[EGRESSFW_REPORT_A_FAMILY]);
		alen = mnl_attr_get_payload_len(tb[EGRESSFW_REPORT_A_ADDR]);
		if ((d->family != 4 || alen != 4) && (d->family != 6 || alen != 16))
			return -EPROTO;
		memcpy(d->addr, mnl_attr_get_payload(tb[EGRESSFW_REPORT_A_ADDR]), alen);
	}
	d->proto = mnl_attr_get_u8(tb[EGRESSFW_REPORT_A_PROTO]);
	d->port = mnl_attr_get_u16(tb[EGRESSFW_REPORT_A_PORT]);
	d->count = mnl_attr_get_u64(tb[EGRESSFW_REPORT_A_COUNT]);
	d->first = mnl_attr_get_u64(tb[EGRESSFW_REPORT_A_FIRST]);
	d->last = mnl_attr_get_u64(tb[EGRESSFW_REPORT_A_LAST]);
	d->reason = mnl_attr_get_u8(tb[EGRESSFW_REPORT_A_REASON]);
	d->audit = tb[EGRESSFW_REPORT_A_AUDIT] != NULL;
	r->n++;
	return 0;
}

/* The whole report; a dump interrupted (a newer module may say so) is read again. */
static int read_report(struct efw_nl *nl, struct report *r)
{
	char buf[EFW_NL_TX_SIZE] __attribute__((aligned(8)));
	int tries, err = -EINTR;

	for (tries = 0; tries < EFW_NL_DUMP_TRIES && err == -EINTR; tries++) {
		clear(r);
		err = efw_nl_request(nl, efw_nl_msg(nl, buf, EGRESSFW_CMD_GET_REPORT,
						    NLM_F_DUMP), entry_cb, r);
	}
	return err;
}

static int width(int w, const char *s)
{
	int n = (int)strlen(s);

	return n > w ? n : w;
}

static void print_people(const struct report *r)
{
	char count[24], dest[EFW_DEST_TEXT_MAX], port[32], reason[32], ago[32];
	int wcount = 5, wdest = 11, wport = 4, wreason = 6;
	time_t now = time(NULL);
	size_t i;

	for (i = 0; i < r->n; i++) {
		snprintf(count, sizeof(count), "%llu", (unsigned long long)r->v[i].count);
		wcount = width(wcount, count);
		efw_denial_dest(&r->v[i], dest, sizeof(dest));
		wdest = width(wdest, dest);
		efw_denial_port(&r->v[i], port, sizeof(port));
		wport = width(wport, port);
		efw_stats_reason_name(r->v[i].reason, reason, sizeof(reason));
		wreason = width(wreason, reason);
	}
	printf("%*s  %-*s  %-*s  %-*s  %s\n", wcount, "COUNT", wdest, "DESTINATION",
	       wport, "PORT", wreason, "REASON", "LAST-SEEN");
	for (i = 0; i < r->n; i++) {
		const struct efw_denial *d = &r->v[i];
		/* A clock set back since: "0s ago", not never. */
		int64_t age = (int64_t)now - (int64_t)d->last;

		efw_denial_dest(d, dest, sizeof(dest));
		efw_denial_port(d, port, sizeof(port));
		efw_stats_reason_name(d->reason, reason, sizeof(reason));
		efw_ago_text(age < 0 ? 0 : age, ago, sizeof(ago));
		printf("%*llu  %-*s  %-*s  %-*s  %s%s\n", wcount,
		       (unsigned long long)d->count, wdest, dest, wport, port,
		       wreason, reason, ago, d->audit ? " (audit)" : "");
	}
}

static void print_json(const struct report *r)
{
	char addr[EFW_DEST_TEXT_MAX], reason[32];
	size_t i;

	putchar('[');
	for (i = 0; i < r->n; i++) {
		const struct efw_denial *d = &r->v[i];

		printf("%s{\"name\":", i ? "," : "");
		if (d->name) {
			efw_json_str(stdout, d->name);
			printf(",\"family\":null,\"address\":null");
		} else {
			efw_denial_dest(d, addr, sizeof(addr));
			printf("null,\"family\":%u,\"address\":\"%s\"", d->family, addr);
		}
		efw_stats_reason_name(d->reason, reason, sizeof(reason));
		if (d->proto == IPPROTO_TCP || d->proto == IPPROTO_UDP)
			printf(",\"proto\":\"%s\"", d->proto == IPPROTO_TCP ? "tcp" : "udp");
		else
			printf(",\"proto\":%u", d->proto);
		printf(",\"port\":%u,\"count\":%llu,\"first\":%llu,\"last\":%llu,"
		       "\"reason\":\"%s\",\"audit\":%s}", d->port,
		       (unsigned long long)d->count, (unsigned long long)d->first,
		       (unsigned long long)d->last, reason, d->audit ? "true" : "false");
	}
	printf("]\n");
}

/*
 * Where the lines of --suggest come from, for its comment line: the host,
 * the network namespace, the local time. A byte of the host name that
 * could end the line or confuse a reader becomes '?'.
 */
static void where(char *buf, size_t size)
{
	char host[256] = "", link[64] = "", when[32] = "";
	const char *ns;
	time_t now = time(NULL);
	struct tm tm;
	ssize_t n;
	size_t i;

	if (gethostname(host, sizeof(host) - 1))
		snprintf(host, sizeof(host), "?");
	for (i = 0; host[i]; i++)
		if ((unsigned char)host[i] <= 0x20 || (unsigned char)host[i] >= 0x7f)
			host[i] = '?';
	n = readlink("/proc/self/ns/net", link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = '\0';
	/* "net:[4026531840]" -> "4026531840" */
	ns = strchr(link, '[') ? strchr(link, '[') + 1 : "?";
	if (localtime_r(&now, &tm))
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M", &tm);
	snprintf(buf, size, "%s, network namespace %.*s, %s", host,
		 (int)strcspn(ns, "]"), ns, when);
}

static int print_suggest(const struct report *r)
{
	const char *path = getenv("EGRESSFW_PUBLIC_SUFFIX_LIST");
	struct efw_psl *psl;
	char from[400];
	int lines;

	if (!path || !path[0])
		path = EFW_PSL_PATH;
	psl = efw_psl_load(path);
	if (!psl && errno == ENOMEM) {
		fprintf(stderr, "egressctl: out of memory\n");
		return EXIT_SYSTEM;
	}
	if (!psl)
		fprintf(stderr, "egressctl report: %s: %s: every name is suggested as it is, no wildcard (which could cover a public suffix such as co.uk; install the publicsuffix package)\n",
			path, strerror(errno));
	where(from, sizeof(from));
	printf("# egressctl report --suggest, host %s: destinations denied for no_match (in audit mode: that would have been)\n",
	       from);
	lines = efw_suggest(r->v, r->n, psl, stdout, stderr, "egressctl report");
	efw_psl_free(psl);
	if (lines < 0) {
		fprintf(stderr, "egressctl: out of memory\n");
		return EXIT_SYSTEM;
	}
	if (!lines)
		printf("# nothing to suggest: %s\n",
		       r->n ? "no denial a list line would allow" : "no denials recorded");
	return 0;
}

static int parse_args(int argc, char **argv, bool *json, bool *suggest, bool *clear_it)
{
	int i;

	*json = *suggest = *clear_it = false;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-j") || !strcmp(argv[i], "--json")) {
			*json = true;
		} else if (!strcmp(argv[i], "--suggest")) {
			*suggest = true;
		} else if (!strcmp(argv[i], "--clear")) {
			*clear_it = true;
		} else {
			fprintf(stderr, "egressctl report: %s '%s'\nusage: egressctl report " USAGE "\n",
				argv[i][0] == '-' ? "unknown option" : "unexpected argument", argv[i]);
			return EXIT_USAGE;
		}
	}
	if (*json + *suggest + *clear_it > 1) {
		fprintf(stderr, "egressctl report: -j, --suggest and --clear go alone\nusage: egressctl report " USAGE "\n");
		return EXIT_USAGE;
	}
	return 0;
}

/* A module from before the report: it does not know the command. */
static int fail(const struct efw_nl *nl, int err, const char *what)
{
	if (err == -EOPNOTSUPP) {
		fprintf(stderr, "egressctl report: the module is older than this egressctl and keeps no report (reload it: modprobe -r egressfw; modprobe egressfw)\n");
		return EXIT_SYSTEM;
	}
	return efw_nl_fail(nl, err, what);
}

int cmd_report(int argc, char **argv)
{
	struct report r = { 0 };
	bool json, suggest, clear_it;
	struct efw_nl nl;
	int ret, err;

	ret = parse_args(argc, argv, &json, &suggest, &clear_it);
	if (ret)
		return ret;
	ret = efw_nl_open(&nl);
	if (ret)
		return ret;
	if (clear_it) {
		err = efw_nl_simple(&nl, EGRESSFW_CMD_CLEAR_REPORT, NULL, NULL);
		if (err)
			ret = fail(&nl, err, "cannot clear the report");
		else
			printf("report cleared\n");
		goto out;
	}
	err = read_report(&nl, &r);
	if (err) {
		ret = fail(&nl, err, "cannot read the report");
		goto out;
	}
	efw_denials_sort(r.v, r.n);
	if (json)
		print_json(&r);
	else if (suggest)
		ret = print_suggest(&r);
	else if (!r.n)
		printf("no denials recorded\n");
	else
		print_people(&r);
	/*
	 * A full report is not the whole story. (report_full in stats counts
	 * since the module started, so it cannot tell whether this one is.)
	 */
	if (!json && r.n >= EGRESSFW_REPORT_MAX)
		fprintf(stderr, "egressctl report: the report is full (%u entries): destinations denied since are not in it (stats: report_full); --clear empties it\n",
			EGRESSFW_REPORT_MAX);
out:
	clear(&r);
	free(r.v);
	efw_nl_close(&nl);
	return ret;
}
