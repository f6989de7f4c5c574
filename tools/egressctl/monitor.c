// SPDX-License-Identifier: GPL-2.0
/*
 * egressctl monitor: print deny (and audit) events as the module sends
 * them on the "events" multicast group, one line each.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "commands.h"
#include "json.h"
#include "netlink.h"
#include "stats.h"

const char cmd_monitor_help[] =
	"Print one line per connection egressfw denies in this network\n"
	"namespace (and, in audit mode, per connection it would have denied),\n"
	"as it happens, until interrupted:\n"
	"\n"
	"  TIME NETNS SRC -> DST PROTO/PORT NAME REASON [audit] [rule ID]\n"
	"\n"
	"NAME is the SNI read from the ClientHello ('-' when there is none,\n"
	"e.g. a non-TLS port whose address was never learned); REASON is one\n"
	"of the denial reasons of `egressctl help stats`; rule is the rule the\n"
	"name matched when the denial came after a match (strict mode). The\n"
	"module sends at most 100 events a second per namespace and counts the\n"
	"rest (`egressctl stats`: events suppressed).\n"
	"\n"
	"  -j, --json      one JSON object per line instead\n"
	"  -c, --count N   exit after N events\n";

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = 1;
}

struct monitor {
	bool json;
	unsigned long seen, count;
	char netns[64];
};

static int event_cb(const struct nlmsghdr *nlh, void *data)
{
	static const enum mnl_attr_data_type top[EGRESSFW_A_MAX + 1] = {
		[EGRESSFW_A_EVENT] = MNL_TYPE_NESTED,
	};
	static const enum mnl_attr_data_type policy[EGRESSFW_EVENT_A_MAX + 1] = {
		[EGRESSFW_EVENT_A_TIME_NS] = MNL_TYPE_U64,
		[EGRESSFW_EVENT_A_FAMILY] = MNL_TYPE_U8,
		[EGRESSFW_EVENT_A_SADDR] = MNL_TYPE_BINARY,
		[EGRESSFW_EVENT_A_DADDR] = MNL_TYPE_BINARY,
		[EGRESSFW_EVENT_A_PROTO] = MNL_TYPE_U8,
		[EGRESSFW_EVENT_A_DPORT] = MNL_TYPE_U16,
		[EGRESSFW_EVENT_A_NAME] = MNL_TYPE_NUL_STRING,
		[EGRESSFW_EVENT_A_REASON] = MNL_TYPE_U8,
		[EGRESSFW_EVENT_A_AUDIT] = MNL_TYPE_FLAG,
		[EGRESSFW_EVENT_A_RULE] = MNL_TYPE_U32,
	};
	const struct nlattr *ttb[EGRESSFW_A_MAX + 1];
	const struct nlattr *tb[EGRESSFW_EVENT_A_MAX + 1];
	struct monitor *m = data;
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN], when[64], reason[32];
	const char *name = "-", *proto;
	unsigned int alen, af;
	struct tm tm;
	time_t secs;
	uint64_t ns;

	if (efw_nl_parse(nlh, top, EGRESSFW_A_MAX, ttb) || !ttb[EGRESSFW_A_EVENT] ||
	    efw_nl_parse_nested(ttb[EGRESSFW_A_EVENT], policy, EGRESSFW_EVENT_A_MAX, tb) ||
	    !tb[EGRESSFW_EVENT_A_FAMILY] || !tb[EGRESSFW_EVENT_A_SADDR] ||
	    !tb[EGRESSFW_EVENT_A_DADDR] || !tb[EGRESSFW_EVENT_A_REASON])
		return MNL_CB_OK;	/* not an event we understand: skip it */
	af = mnl_attr_get_u8(tb[EGRESSFW_EVENT_A_FAMILY]) == 4 ? AF_INET : AF_INET6;
	alen = af == AF_INET ? 4 : 16;
	if (mnl_attr_get_payload_len(tb[EGRESSFW_EVENT_A_SADDR]) != alen ||
	    mnl_attr_get_payload_len(tb[EGRESSFW_EVENT_A_DADDR]) != alen ||
	    !inet_ntop(af, mnl_attr_get_payload(tb[EGRESSFW_EVENT_A_SADDR]), src, sizeof(src)) ||
	    !inet_ntop(af, mnl_attr_get_payload(tb[EGRESSFW_EVENT_A_DADDR]), dst, sizeof(dst)))
		return MNL_CB_OK;
	if (tb[EGRESSFW_EVENT_A_NAME])
		name = mnl_attr_get_str(tb[EGRESSFW_EVENT_A_NAME]);
	proto = tb[EGRESSFW_EVENT_A_PROTO] &&
		mnl_attr_get_u8(tb[EGRESSFW_EVENT_A_PROTO]) == IPPROTO_UDP ? "udp" : "tcp";
	efw_stats_reason_name(mnl_attr_get_u8(tb[EGRESSFW_EVENT_A_REASON]), reason, sizeof(reason));
	ns = tb[EGRESSFW_EVENT_A_TIME_NS] ? mnl_attr_get_u64(tb[EGRESSFW_EVENT_A_TIME_NS]) : 0;
	secs = (time_t)(ns / 1000000000u);
	localtime_r(&secs, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);

	if (m->json) {
		printf("{\"time_ns\":%llu,\"netns\":\"%s\",\"src\":\"%s\",\"dst\":\"%s\","
		       "\"proto\":\"%s\",\"port\":%u,\"name\":",
		       (unsigned long long)ns, m->netns, src, dst, proto,
		       tb[EGRESSFW_EVENT_A_DPORT] ? mnl_attr_get_u16(tb[EGRESSFW_EVENT_A_DPORT]) : 0);
		if (tb[EGRESSFW_EVENT_A_NAME])
			efw_json_str(stdout, name);
		else
			printf("null");
		printf(",\"reason\":\"%s\",\"audit\":%s,\"rule\":", reason,
		       tb[EGRESSFW_EVENT_A_AUDIT] ? "true" : "false");
		if (tb[EGRESSFW_EVENT_A_RULE])
			printf("%u}\n", mnl_attr_get_u32(tb[EGRESSFW_EVENT_A_RULE]));
		else
			printf("null}\n");
	} else {
		printf("%s.%03u %s %s -> %s %s/%u %s %s%s", when,
		       (unsigned int)(ns / 1000000u % 1000u), m->netns, src, dst, proto,
		       tb[EGRESSFW_EVENT_A_DPORT] ? mnl_attr_get_u16(tb[EGRESSFW_EVENT_A_DPORT]) : 0,
		       name, reason, tb[EGRESSFW_EVENT_A_AUDIT] ? " audit" : "");
		if (tb[EGRESSFW_EVENT_A_RULE])
			printf(" rule %u", mnl_attr_get_u32(tb[EGRESSFW_EVENT_A_RULE]));
		putchar('\n');
	}
	fflush(stdout);
	m->seen++;
	return m->count && m->seen >= m->count ? MNL_CB_STOP : MNL_CB_OK;
}

static int parse_args(int argc, char **argv, struct monitor *m)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-j") || !strcmp(argv[i], "--json")) {
			m->json = true;
		} else if ((!strcmp(argv[i], "-c") || !strcmp(argv[i], "--count")) &&
			   i + 1 < argc && strspn(argv[i + 1], "0123456789") == strlen(argv[i + 1]) &&
			   argv[i + 1][0]) {
			m->count = strtoul(argv[++i], NULL, 10);
		} else {
			fprintf(stderr, "egressctl monitor: unexpected argument '%s'\nusage: egressctl monitor [-j] [-c N]\n",
				argv[i]);
			return EXIT_USAGE;
		}
	}
	return 0;
}

int cmd_monitor(int argc, char **argv)
{
	struct monitor m = { 0 };
	struct sigaction sa;
	struct efw_nl nl;
	ssize_t n;
	int ret;
	char link[64];

	ret = parse_args(argc, argv, &m);
	if (ret)
		return ret;
	n = readlink("/proc/self/ns/net", link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = '\0';
	/* "net:[4026531840]" -> "4026531840" */
	snprintf(m.netns, sizeof(m.netns), "%s",
		 strchr(link, '[') ? strchr(link, '[') + 1 : "-");
	m.netns[strcspn(m.netns, "]")] = '\0';

	ret = efw_nl_open(&nl);
	if (ret)
		return ret;
	if (!nl.events_group) {
		fprintf(stderr, "egressctl monitor: the module has no events group\n");
		ret = EXIT_SYSTEM;
		goto out;
	}
	if (mnl_socket_setsockopt(nl.sock, NETLINK_ADD_MEMBERSHIP,
				  &nl.events_group, sizeof(nl.events_group)) < 0) {
		ret = efw_nl_fail(&nl, -errno, "cannot listen for events");
		goto out;
	}
	/* As tcpdump does: from here on, no event is missed (scripts wait for it). */
	fprintf(stderr, "egressctl monitor: listening for events in netns %s\n", m.netns);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	while (!stop) {
		n = mnl_socket_recvfrom(nl.sock, nl.rx, EFW_NL_RX_SIZE);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS) {	/* we fell behind: say so, go on */
				fprintf(stderr, "egressctl monitor: events lost (receive buffer full)\n");
				continue;
			}
			ret = efw_nl_fail(&nl, -errno, "cannot read events");
			break;
		}
		if (mnl_cb_run(nl.rx, (size_t)n, 0, 0, event_cb, &m) == MNL_CB_STOP)
			break;
	}
out:
	efw_nl_close(&nl);
	return ret;
}
