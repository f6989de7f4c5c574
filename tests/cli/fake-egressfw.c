// SPDX-License-Identifier: GPL-2.0
/*
 * A stand-in for egressfw.ko, for testing egressctl where the module
 * cannot be loaded: an LD_PRELOAD library that replaces libmnl's socket
 * calls and answers the requests egressctl sends as the uapi header says
 * the module does (replies, ACKs with extack, dumps, NLM_F_DUMP_INTR).
 * It checks what it receives the way the module's policies do, and logs
 * it, so tests can assert on the wire format.
 *
 * State lives in $FAKE_EGRESSFW_DIR (state file, log), so that a load and
 * a later show in another process agree. Knobs, from the environment:
 *   FAKE_EGRESSFW_BUSY=N    the first N RULESET_BEGINs fail with EBUSY
 *   FAKE_EGRESSFW_INTR=N    the first N GET_RULES dumps are interrupted
 *   FAKE_EGRESSFW_EPERM=1   admin commands fail with EPERM
 *   FAKE_EGRESSFW_REFUSE=ID the rule with that id is refused (EINVAL)
 *   FAKE_EGRESSFW_MAXATTR=N the module knows attributes up to N (an older one:
 *                           below EGRESSFW_A_REPORT, no RULE_A_SET, no "learned")
 *   FAKE_EGRESSFW_ENOBUFS=1 the first read of the "learned" group fails
 *                           with ENOBUFS, as when a listener falls behind
 * Learned addresses: $FAKE_EGRESSFW_DIR/cache holds the GET_CACHE dump,
 * $FAKE_EGRESSFW_DIR/learned the LEARNED messages a socket that joins
 * the "learned" group reads, one entry a line, fields by tabs:
 *   ADDR NAME EXPIRES TTL RULE|- [SET...]
 * The report of denials: $FAKE_EGRESSFW_DIR/report holds the GET_REPORT
 * dump, one entry a line, fields by tabs (CLEAR_REPORT empties it):
 *   NAME|ADDR tcp|udp|PROTO PORT COUNT FIRST LAST REASON [audit]
 * (an ADDR is an address entry; REASON a name of counters.h or a number)
 * Sockets of other netlink families (nft-sync's NETLINK_NETFILTER) are
 * the real ones: the calls go through to libmnl.
 *
 * It is a model of the ABI written from the header, not the module: the
 * VM tests check the real thing.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/eventfd.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <uapi/linux/egressfw.h>

#include "counters.h"
#include "settings.h"

#define FAMILY_ID 0x30
#define EVENTS_GROUP 7
#define LEARNED_GROUP 8
#define PORTID 4242
#define MAX_RULES 200000
#define DUMP_DATAGRAM 4096	/* small, so that a dump spans datagrams */

struct rule {
	char pattern[320];
	char source[260];
	char set[EGRESSFW_SET_MAX];	/* "" if none */
	unsigned char ports[64 * 6];
	unsigned int ports_len;
};

/* The settings start at the defaults of kmod/settings.h, as the module's. */
static struct {
	int loaded;
	unsigned int generation;
	unsigned int n_rules;
	unsigned int v[EGRESSFW_CFG_A_MAX + 1];	/* U32 and CHOICE settings */
	unsigned short tls_ports[EGRESSFW_MAX_TLS_PORTS];
	unsigned int n_tls_ports;
	/* dns-servers and egress-interfaces, as the wire has them */
	unsigned char servers[EGRESSFW_MAX_DNS_SERVERS * sizeof(struct egressfw_addr)];
	unsigned int servers_len;
	unsigned char ifaces[EGRESSFW_MAX_EGRESS_IFACES * sizeof(struct egressfw_iface)];
	unsigned int ifaces_len;
	unsigned int origin;	/* of the committed ruleset: EGRESSFW_A_ORIGIN */
} st = { .tls_ports = { 443 }, .n_tls_ports = 1 };

static void default_settings(void)
{
	unsigned int i;

	for (i = 0; i < efw_n_settings; i++)
		if (efw_settings[i].kind != EFW_SETTING_LIST)
			st.v[efw_settings[i].attr] = efw_settings[i].def;
}
static struct rule *rules;	/* committed */
static struct rule *txn_rules;	/* in the open transaction */
static unsigned int txn_n, txn_id;
static int txn_open, busy_left = -1, intr_left = -1;

/* Queued answer datagrams. */
static char *queue;
static size_t q_len, q_off;
static size_t dgram_ends[65536];
static unsigned int n_dgrams, next_dgram;

static void note(const char *fmt, ...)
{
	char path[4096];
	va_list ap;
	FILE *f;

	snprintf(path, sizeof(path), "%s/log", getenv("FAKE_EGRESSFW_DIR"));
	f = fopen(path, "a");
	if (!f)
		return;
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fclose(f);
}

static void hex(FILE *f, const unsigned char *p, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		fprintf(f, "%02x", p[i]);
	if (!n)
		fputc('-', f);
}

static void unhex(const char *s, unsigned char *p, unsigned int *n)
{
	unsigned int v;

	*n = 0;
	while (s[0] && s[1] && sscanf(s, "%2x", &v) == 1) {
		p[(*n)++] = (unsigned char)v;
		s += 2;
	}
}

static void save(void)
{
	char path[4096];
	unsigned int i;
	FILE *f;

	snprintf(path, sizeof(path), "%s/state", getenv("FAKE_EGRESSFW_DIR"));
	f = fopen(path, "w");
	if (!f)
		return;
	fprintf(f, "%d %u %u", st.loaded, st.generation, st.n_rules);
	for (i = 0; i <= EGRESSFW_CFG_A_MAX; i++)
		fprintf(f, " %u", st.v[i]);
	fprintf(f, " %u", st.n_tls_ports);
	for (i = 0; i < st.n_tls_ports; i++)
		fprintf(f, " %u", st.tls_ports[i]);
	fprintf(f, " %u ", st.origin);
	hex(f, st.servers, st.servers_len);
	fputc(' ', f);
	hex(f, st.ifaces, st.ifaces_len);
	fputc('\n', f);
	for (i = 0; i < st.n_rules; i++) {
		fprintf(f, "%s\t%s\t", rules[i].pattern, rules[i].source);
		hex(f, rules[i].ports, rules[i].ports_len);
		fprintf(f, "\t%s\n", rules[i].set[0] ? rules[i].set : "-");
	}
	fclose(f);
}

static void load_state(void)
{
	char path[4096], line[2048], ports[1024], servers[1024], ifaces[1024];
	unsigned int i;
	FILE *f;

	rules = calloc(MAX_RULES, sizeof(*rules));
	txn_rules = calloc(MAX_RULES, sizeof(*txn_rules));
	queue = malloc(64 << 20);
	default_settings();
	snprintf(path, sizeof(path), "%s/state", getenv("FAKE_EGRESSFW_DIR"));
	f = fopen(path, "r");
	if (!f)
		return;
	if (fscanf(f, "%d %u %u", &st.loaded, &st.generation, &st.n_rules) == 3) {
		for (i = 0; i <= EGRESSFW_CFG_A_MAX; i++)
			if (fscanf(f, " %u", &st.v[i]) != 1)
				break;
		if (fscanf(f, " %u", &st.n_tls_ports) != 1)
			st.n_tls_ports = 0;
		for (i = 0; i < st.n_tls_ports && i < EGRESSFW_MAX_TLS_PORTS; i++)
			if (fscanf(f, " %hu", &st.tls_ports[i]) != 1)
				break;
		if (fscanf(f, " %u %1023s %1023s", &st.origin, servers, ifaces) == 3) {
			unhex(servers, st.servers, &st.servers_len);
			unhex(ifaces, st.ifaces, &st.ifaces_len);
		}
	}
	if (!fgets(line, sizeof(line), f))
		line[0] = 0;
	for (i = 0; i < st.n_rules && fgets(line, sizeof(line), f); i++) {
		if (sscanf(line, "%319[^\t]\t%259[^\t]\t%1023[^\t]\t%127[^\n]", rules[i].pattern,
			   rules[i].source, ports, rules[i].set) != 4)
			break;
		if (!strcmp(rules[i].source, "-"))
			rules[i].source[0] = 0;
		if (!strcmp(rules[i].set, "-"))
			rules[i].set[0] = 0;
		unhex(ports, rules[i].ports, &rules[i].ports_len);
	}
	fclose(f);
}

static int env_int(const char *name, int def)
{
	const char *v = getenv(name);

	return v ? atoi(v) : def;
}

/* Start a datagram-bound message in the queue. */
static struct nlmsghdr *put_msg(uint16_t type, uint16_t flags, uint32_t seq,
				uint8_t cmd)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(queue + q_len);
	struct genlmsghdr *g;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = seq;
	nlh->nlmsg_pid = PORTID;
	if (type >= NLMSG_MIN_TYPE) {
		g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
		g->cmd = cmd;
		g->version = 1;
	}
	return nlh;
}

/* End a message that is a datagram of its own. */
static void end_msg(struct nlmsghdr *nlh)
{
	q_len += NLMSG_ALIGN(nlh->nlmsg_len);
	dgram_ends[n_dgrams++] = q_len;
}

static void ack(const struct nlmsghdr *req, int err, const char *msg,
		uint32_t offs)
{
	struct nlmsghdr *nlh = put_msg(NLMSG_ERROR, NLM_F_CAPPED, req->nlmsg_seq, 0);
	struct nlmsgerr *e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));

	e->error = err;
	memcpy(&e->msg, req, sizeof(*req));
	if (msg || offs) {
		nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
		if (msg)
			mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, msg);
		if (offs)
			mnl_attr_put_u32(nlh, NLMSGERR_ATTR_OFFS, offs);
	}
	end_msg(nlh);
}

static const struct nlattr *attr_of(const struct nlmsghdr *nlh, uint16_t type)
{
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr))
		if (mnl_attr_get_type(a) == type)
			return a;
	return NULL;
}

static const struct nlattr *nested_of(const struct nlattr *nest, uint16_t type)
{
	const struct nlattr *a;

	mnl_attr_for_each_nested(a, nest)
		if (mnl_attr_get_type(a) == type)
			return a;
	return NULL;
}

static void family(const struct nlmsghdr *req)
{
	const struct nlattr *name = attr_of(req, CTRL_ATTR_FAMILY_NAME);
	struct nlattr *groups, *grp;
	struct nlmsghdr *nlh;

	if (!name || strcmp(mnl_attr_get_str(name), EGRESSFW_GENL_NAME)) {
		ack(req, -ENOENT, NULL, 0);
		return;
	}
	nlh = put_msg(GENL_ID_CTRL, 0, req->nlmsg_seq, CTRL_CMD_NEWFAMILY);
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, FAMILY_ID);
	mnl_attr_put_u32(nlh, CTRL_ATTR_VERSION, EGRESSFW_GENL_VERSION);
	mnl_attr_put_u32(nlh, CTRL_ATTR_MAXATTR, env_int("FAKE_EGRESSFW_MAXATTR", EGRESSFW_A_MAX));
	groups = mnl_attr_nest_start(nlh, CTRL_ATTR_MCAST_GROUPS);
	grp = mnl_attr_nest_start(nlh, 1);
	mnl_attr_put_strz(nlh, CTRL_ATTR_MCAST_GRP_NAME, EGRESSFW_MCGRP_EVENTS);
	mnl_attr_put_u32(nlh, CTRL_ATTR_MCAST_GRP_ID, EVENTS_GROUP);
	mnl_attr_nest_end(nlh, grp);
	/* "learned" came with EGRESSFW_A_REPORT. */
	if (env_int("FAKE_EGRESSFW_MAXATTR", EGRESSFW_A_MAX) >= EGRESSFW_A_REPORT) {
		grp = mnl_attr_nest_start(nlh, 2);
		mnl_attr_put_strz(nlh, CTRL_ATTR_MCAST_GRP_NAME, EGRESSFW_MCGRP_LEARNED);
		mnl_attr_put_u32(nlh, CTRL_ATTR_MCAST_GRP_ID, LEARNED_GROUP);
		mnl_attr_nest_end(nlh, grp);
	}
	mnl_attr_nest_end(nlh, groups);
	end_msg(nlh);
	ack(req, 0, NULL, 0);
}

static int check_txn(const struct nlmsghdr *req)
{
	const struct nlattr *t = attr_of(req, EGRESSFW_A_TXN_ID);

	if (!txn_open || !t || mnl_attr_get_u32(t) != txn_id) {
		ack(req, -ENOENT, "no such transaction (timed out or aborted?)", 0);
		return -1;
	}
	return 0;
}

/* One EGRESSFW_A_RULE; returns an extack message or NULL. */
static const char *add_rule(const struct nlattr *rule)
{
	const struct nlattr *id = nested_of(rule, EGRESSFW_RULE_A_ID);
	const struct nlattr *pat = nested_of(rule, EGRESSFW_RULE_A_PATTERN);
	const struct nlattr *ports = nested_of(rule, EGRESSFW_RULE_A_PORTS);
	const struct nlattr *src = nested_of(rule, EGRESSFW_RULE_A_SOURCE);
	const struct nlattr *set = nested_of(rule, EGRESSFW_RULE_A_SET);
	struct rule *r = &txn_rules[txn_n];
	unsigned int len;

	if (!id || !pat || !ports || mnl_attr_validate(id, MNL_TYPE_U32) ||
	    mnl_attr_validate(pat, MNL_TYPE_NUL_STRING))
		return "a rule needs an id, a pattern and ports";
	if (mnl_attr_get_u32(id) != txn_n)
		return "rule ids must run 0, 1, 2, ...";
	if ((int)txn_n == env_int("FAKE_EGRESSFW_REFUSE", -1))
		return "invalid pattern (refused by the fake)";
	len = mnl_attr_get_payload_len(ports);
	if (!len || len % 6 || len > 64 * 6)
		return "ports: 1 to 64 struct egressfw_port_range";
	if (strlen(mnl_attr_get_str(pat)) > 300)
		return "pattern too long";
	if (src && (mnl_attr_validate(src, MNL_TYPE_NUL_STRING) ||
		    strlen(mnl_attr_get_str(src)) > 255))
		return "source too long";
	/* An older module's strict policy knows no RULE_A_SET. */
	if (set && env_int("FAKE_EGRESSFW_MAXATTR", EGRESSFW_A_MAX) < EGRESSFW_A_REPORT)
		return "Unknown attribute type";
	if (set && (mnl_attr_validate(set, MNL_TYPE_NUL_STRING) ||
		    strlen(mnl_attr_get_str(set)) >= EGRESSFW_SET_MAX))
		return "set too long";
	if (txn_n >= MAX_RULES)
		return "too many rules for the fake";
	snprintf(r->pattern, sizeof(r->pattern), "%s", mnl_attr_get_str(pat));
	snprintf(r->source, sizeof(r->source), "%s", src ? mnl_attr_get_str(src) : "-");
	snprintf(r->set, sizeof(r->set), "%s", set ? mnl_attr_get_str(set) : "");
	memcpy(r->ports, mnl_attr_get_payload(ports), len);
	r->ports_len = len;
	note("rule %u %s %s ", txn_n, r->pattern, r->source);
	{
		const struct egressfw_port_range *w = mnl_attr_get_payload(ports);
		unsigned int i;

		for (i = 0; i < len / 6; i++)
			note("%s%u/%u-%u", i ? "," : "", w[i].proto, w[i].lo, w[i].hi);
	}
	if (set)
		note(" set %s", r->set);
	note("\n");
	txn_n++;
	return NULL;
}

static void cmd_add(const struct nlmsghdr *req)
{
	const struct nlattr *rules_a = attr_of(req, EGRESSFW_A_RULES), *rule;
	unsigned int n = 0;
	const char *msg;

	if (check_txn(req))
		return;
	if (!rules_a) {
		ack(req, -EINVAL, "missing rules", 0);
		return;
	}
	note("add %u bytes\n", req->nlmsg_len);
	mnl_attr_for_each_nested(rule, rules_a) {
		msg = add_rule(rule);
		if (msg) {
			txn_open = 0;
			ack(req, -EINVAL, msg, (uint32_t)((const char *)rule - (const char *)req));
			return;
		}
		n++;
	}
	note("added %u\n", n);
	ack(req, 0, NULL, 0);
}

/* What the stand-in counted: fixed values the tests look for. */
static const uint64_t counted[EGRESSFW_STATS_A_MAX + 1] = {
	[EGRESSFW_STATS_A_PACKETS] = 1000,
	[EGRESSFW_STATS_A_FLOWS] = 100,
	[EGRESSFW_STATS_A_ALLOWED_CIDR] = 7,
	[EGRESSFW_STATS_A_ALLOWED_SNI] = 80,
	[EGRESSFW_STATS_A_ALLOWED_DNS] = 3,
	[EGRESSFW_STATS_A_DNS_ANSWERS] = 500,
	[EGRESSFW_STATS_A_DNS_IGNORED] = 5,
	[EGRESSFW_STATS_A_DNS_UNSOLICITED] = 2,
	[EGRESSFW_STATS_A_DNS_WRONG_WAY] = 3,
	[EGRESSFW_STATS_A_DNS_UNMATCHED] = 4,
	[EGRESSFW_STATS_A_DNS_LEARNED] = 40,
	[EGRESSFW_STATS_A_DNS_REFRESHED] = 450,
	[EGRESSFW_STATS_A_DNS_EVICTED] = 1,
	[EGRESSFW_STATS_A_DNS_ENTRIES] = 39,
	[EGRESSFW_STATS_A_EVENTS_SUPPRESSED] = 6,
	[EGRESSFW_STATS_A_OVER_BUDGET] = 8,
	[EGRESSFW_STATS_A_NOT_EGRESS] = 9,
};

/* Every counter of counters.h's table, as the module's stats.c sends it. */
static void put_stats(struct nlmsghdr *nlh)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, EGRESSFW_A_STATS), *d;
	unsigned int i;
	int r;

	for (i = 0; i < efw_n_counters; i++) {
		const struct efw_counter *c = &efw_counters[i];

		switch (c->kind) {
		case EFW_COUNTER:
			/* Padding as nla_put_u64_64bit() adds it where u64s must be aligned. */
			mnl_attr_put(nlh, EGRESSFW_STATS_A_PAD, 0, NULL);
			mnl_attr_put_u64(nlh, c->attr, counted[c->attr]);
			break;
		case EFW_COUNTER_GAUGE:
			mnl_attr_put_u32(nlh, c->attr,
					 c->attr == EGRESSFW_STATS_A_LAST_GOOD ?
					 st.origin : (uint32_t)counted[c->attr]);
			break;
		case EFW_COUNTER_DENIED:
			d = mnl_attr_nest_start(nlh, EGRESSFW_STATS_A_DENIED);
			for (r = 0; r < __EGRESSFW_DENY_MAX; r++) {
				mnl_attr_put(nlh, EGRESSFW_STATS_A_PAD, 0, NULL);
				mnl_attr_put_u64(nlh, r + 1, 11 * (r + 1));
			}
			mnl_attr_nest_end(nlh, d);
			break;
		}
	}
	mnl_attr_nest_end(nlh, nest);
}

static void dump_rules(const struct nlmsghdr *req)
{
	int intr = intr_left > 0;
	size_t start = q_len;
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	unsigned int i;

	if (intr)
		intr_left--;
	for (i = 0; st.loaded && i < st.n_rules; i++) {
		struct rule *r = &rules[i];

		nlh = put_msg(FAMILY_ID, NLM_F_MULTI | (intr && i == st.n_rules / 2 ? NLM_F_DUMP_INTR : 0),
			      req->nlmsg_seq, EGRESSFW_CMD_GET_RULES);
		mnl_attr_put_u32(nlh, EGRESSFW_A_GENERATION, st.generation);
		nest = mnl_attr_nest_start(nlh, EGRESSFW_A_RULE);
		mnl_attr_put_u32(nlh, EGRESSFW_RULE_A_ID, i);
		mnl_attr_put_strz(nlh, EGRESSFW_RULE_A_PATTERN, intr ? "stale.example" : r->pattern);
		mnl_attr_put(nlh, EGRESSFW_RULE_A_PORTS, r->ports_len, r->ports);
		mnl_attr_put_strz(nlh, EGRESSFW_RULE_A_SOURCE, r->source);
		if (r->set[0])
			mnl_attr_put_strz(nlh, EGRESSFW_RULE_A_SET, r->set);
		mnl_attr_put(nlh, EGRESSFW_RULE_A_PAD, 0, NULL);
		mnl_attr_put_u64(nlh, EGRESSFW_RULE_A_ALLOWED, i * 10);
		if (i % 2)
			mnl_attr_put_u64(nlh, EGRESSFW_RULE_A_LAST_HIT, i * 7);
		mnl_attr_put_u32(nlh, EGRESSFW_RULE_A_LEARNED, i % 3);
		mnl_attr_nest_end(nlh, nest);
		/* Pack messages into datagrams of at most DUMP_DATAGRAM bytes. */
		if (q_len > start && q_len + NLMSG_ALIGN(nlh->nlmsg_len) - start > DUMP_DATAGRAM) {
			dgram_ends[n_dgrams++] = q_len;
			start = q_len;
		}
		q_len += NLMSG_ALIGN(nlh->nlmsg_len);
	}
	if (q_len > start)
		dgram_ends[n_dgrams++] = q_len;
	nlh = put_msg(NLMSG_DONE, NLM_F_MULTI | (intr ? NLM_F_DUMP_INTR : 0), req->nlmsg_seq, 0);
	*(int *)mnl_nlmsg_put_extra_header(nlh, sizeof(int)) = 0;
	end_msg(nlh);
}

/*
 * One line of the cache or learned file (see the header) as
 * EGRESSFW_A_CACHE, as the module's dns_learn.c puts it; -1 if the line
 * is not one.
 */
static int put_entry(struct nlmsghdr *nlh, char *line)
{
	char *f[16], *save = NULL, *tok;
	unsigned char addr[16];
	struct nlattr *nest;
	int n = 0, i, v6;

	line[strcspn(line, "\n")] = '\0';
	for (tok = strtok_r(line, "\t", &save); tok && n < 16; tok = strtok_r(NULL, "\t", &save))
		f[n++] = tok;
	if (n < 5)
		return -1;
	v6 = strchr(f[0], ':') != NULL;
	if (inet_pton(v6 ? AF_INET6 : AF_INET, f[0], addr) != 1)
		return -1;
	nest = mnl_attr_nest_start(nlh, EGRESSFW_A_CACHE);
	mnl_attr_put_u8(nlh, EGRESSFW_CACHE_A_FAMILY, v6 ? 6 : 4);
	mnl_attr_put(nlh, EGRESSFW_CACHE_A_ADDR, v6 ? 16 : 4, addr);
	mnl_attr_put_strz(nlh, EGRESSFW_CACHE_A_NAME, f[1]);
	mnl_attr_put_u32(nlh, EGRESSFW_CACHE_A_EXPIRES, (uint32_t)strtoul(f[2], NULL, 10));
	mnl_attr_put_u32(nlh, EGRESSFW_CACHE_A_TTL, (uint32_t)strtoul(f[3], NULL, 10));
	if (strcmp(f[4], "-"))
		mnl_attr_put_u32(nlh, EGRESSFW_CACHE_A_RULE, (uint32_t)strtoul(f[4], NULL, 10));
	for (i = 5; i < n; i++)
		mnl_attr_put_strz(nlh, EGRESSFW_CACHE_A_SET, f[i]);
	mnl_attr_nest_end(nlh, nest);
	return 0;
}

static FILE *open_state(const char *name)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", getenv("FAKE_EGRESSFW_DIR"), name);
	return fopen(path, "r");
}

/* GET_CACHE: the cache file, a message per entry, datagrams of several. */
static void dump_cache(const struct nlmsghdr *req)
{
	FILE *f = open_state("cache");
	size_t start = q_len;
	struct nlmsghdr *nlh;
	char line[2048];

	while (f && fgets(line, sizeof(line), f)) {
		nlh = put_msg(FAMILY_ID, NLM_F_MULTI, req->nlmsg_seq, EGRESSFW_CMD_GET_CACHE);
		if (put_entry(nlh, line))
			continue;
		if (q_len > start && q_len + NLMSG_ALIGN(nlh->nlmsg_len) - start > DUMP_DATAGRAM) {
			dgram_ends[n_dgrams++] = q_len;
			start = q_len;
		}
		q_len += NLMSG_ALIGN(nlh->nlmsg_len);
	}
	if (f)
		fclose(f);
	if (q_len > start)
		dgram_ends[n_dgrams++] = q_len;
	nlh = put_msg(NLMSG_DONE, NLM_F_MULTI, req->nlmsg_seq, 0);
	*(int *)mnl_nlmsg_put_extra_header(nlh, sizeof(int)) = 0;
	end_msg(nlh);
}

/* A LIST setting into @dst, if it fits (the module's bound). */
static int take_list(const struct nlattr *a, unsigned char *dst, size_t cap,
		     size_t elem, unsigned int *len)
{
	size_t n = mnl_attr_get_payload_len(a);

	if (n > cap || n % elem)
		return -EINVAL;
	memcpy(dst, mnl_attr_get_payload(a), n);
	*len = (unsigned int)n;
	return 0;
}

/*
 * Every setting of kmod/settings.h's table in @cfg, checked as the
 * module's policy checks it (a range: "integer out of range", the
 * offending attribute named), all or none. 0, or the error acked.
 */
static int apply_config(const struct nlmsghdr *req, const struct nlattr *cfg)
{
	unsigned int v[EGRESSFW_CFG_A_MAX + 1], i;
	const struct nlattr *a;

	memcpy(v, st.v, sizeof(v));
	for (i = 0; i < efw_n_settings; i++) {
		const struct efw_setting *s = &efw_settings[i];

		a = nested_of(cfg, s->attr);
		if (!a || s->kind == EFW_SETTING_LIST)
			continue;
		v[s->attr] = s->kind == EFW_SETTING_U32 ? mnl_attr_get_u32(a) :
							 mnl_attr_get_u8(a);
		if (v[s->attr] < s->min || v[s->attr] > s->max) {
			ack(req, -ERANGE, "integer out of range",
			    (uint32_t)((const char *)a - (const char *)req));
			return -ERANGE;
		}
	}
	memcpy(st.v, v, sizeof(v));
	a = nested_of(cfg, EGRESSFW_CFG_A_TLS_PORTS);
	if (a) {
		st.n_tls_ports = mnl_attr_get_payload_len(a) / 2;
		memcpy(st.tls_ports, mnl_attr_get_payload(a), st.n_tls_ports * 2);
	}
	a = nested_of(cfg, EGRESSFW_CFG_A_DNS_SERVERS);
	if (a)
		take_list(a, st.servers, sizeof(st.servers),
			  sizeof(struct egressfw_addr), &st.servers_len);
	a = nested_of(cfg, EGRESSFW_CFG_A_EGRESS_IFACES);
	if (a)
		take_list(a, st.ifaces, sizeof(st.ifaces),
			  sizeof(struct egressfw_iface), &st.ifaces_len);
	return 0;
}

static void set_config(const struct nlmsghdr *req)
{
	const struct nlattr *cfg = attr_of(req, EGRESSFW_A_CONFIG);

	if (!cfg) {
		ack(req, -EINVAL, "missing config", 0);
		return;
	}
	if (apply_config(req, cfg))
		return;
	note("set_config\n");
	save();
	ack(req, 0, NULL, 0);
}

/* GET_CONFIG's answer: every setting of the table, in its order. */
static void put_config(struct nlmsghdr *nlh)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, EGRESSFW_A_CONFIG);
	unsigned int i;

	for (i = 0; i < efw_n_settings; i++) {
		const struct efw_setting *s = &efw_settings[i];

		if (s->kind == EFW_SETTING_U32)
			mnl_attr_put_u32(nlh, s->attr, st.v[s->attr]);
		else if (s->kind == EFW_SETTING_CHOICE)
			mnl_attr_put_u8(nlh, s->attr, (uint8_t)st.v[s->attr]);
		else if (s->attr == EGRESSFW_CFG_A_TLS_PORTS)
			mnl_attr_put(nlh, s->attr, st.n_tls_ports * 2, st.tls_ports);
		else if (s->attr == EGRESSFW_CFG_A_DNS_SERVERS)
			mnl_attr_put(nlh, s->attr, st.servers_len, st.servers);
		else
			mnl_attr_put(nlh, s->attr, st.ifaces_len, st.ifaces);
	}
	mnl_attr_nest_end(nlh, nest);
}

/* One line of the report file as EGRESSFW_A_REPORT, as report.c puts it; -1 if not one. */
static int put_report_entry(struct nlmsghdr *nlh, char *line)
{
	char *f[8], *save = NULL, *tok;
	unsigned char addr[16];
	struct nlattr *nest;
	int n = 0, r, reason = -1, v6;
	uint64_t u[3];

	line[strcspn(line, "\n")] = '\0';
	for (tok = strtok_r(line, "\t", &save); tok && n < 8; tok = strtok_r(NULL, "\t", &save))
		f[n++] = tok;
	if (n < 7)
		return -1;
	for (r = 0; r < __EGRESSFW_DENY_MAX; r++)
		if (!strcmp(f[6], efw_deny_reason_names[r]))
			reason = r;
	nest = mnl_attr_nest_start(nlh, EGRESSFW_A_REPORT);
	v6 = strchr(f[0], ':') != NULL;
	if (inet_pton(v6 ? AF_INET6 : AF_INET, f[0], addr) == 1) {
		mnl_attr_put_u8(nlh, EGRESSFW_REPORT_A_FAMILY, v6 ? 6 : 4);
		mnl_attr_put(nlh, EGRESSFW_REPORT_A_ADDR, v6 ? 16 : 4, addr);
	} else {
		mnl_attr_put_strz(nlh, EGRESSFW_REPORT_A_NAME, f[0]);
	}
	mnl_attr_put_u8(nlh, EGRESSFW_REPORT_A_PROTO, !strcmp(f[1], "tcp") ? IPPROTO_TCP :
			!strcmp(f[1], "udp") ? IPPROTO_UDP : (uint8_t)atoi(f[1]));
	mnl_attr_put_u16(nlh, EGRESSFW_REPORT_A_PORT, (uint16_t)atoi(f[2]));
	for (r = 0; r < 3; r++) {
		u[r] = strtoull(f[3 + r], NULL, 10);
		mnl_attr_put(nlh, EGRESSFW_REPORT_A_PAD, 0, NULL);
		mnl_attr_put_u64(nlh, EGRESSFW_REPORT_A_COUNT + r, u[r]);
	}
	mnl_attr_put_u8(nlh, EGRESSFW_REPORT_A_REASON, reason >= 0 ? reason : atoi(f[6]));
	if (n > 7 && !strcmp(f[7], "audit"))
		mnl_attr_put(nlh, EGRESSFW_REPORT_A_AUDIT, 0, NULL);
	mnl_attr_nest_end(nlh, nest);
	return 0;
}

/*
 * GET_REPORT: the report file, a message per entry, 20 to a datagram;
 * CLEAR_REPORT empties it. A module older than the report has neither.
 */
static void report(const struct nlmsghdr *req, uint8_t cmd)
{
	char line[2048], path[4096];
	struct nlmsghdr *nlh;
	unsigned int n = 0;
	FILE *f;

	if (env_int("FAKE_EGRESSFW_MAXATTR", EGRESSFW_A_MAX) < EGRESSFW_A_REPORT) {
		ack(req, -EOPNOTSUPP, NULL, 0);
		return;
	}
	snprintf(path, sizeof(path), "%s/report", getenv("FAKE_EGRESSFW_DIR"));
	if (cmd == EGRESSFW_CMD_CLEAR_REPORT) {
		f = fopen(path, "w");
		if (f)
			fclose(f);
		note("clear_report\n");
		ack(req, 0, NULL, 0);
		return;
	}
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f)) {
		nlh = put_msg(FAMILY_ID, NLM_F_MULTI, req->nlmsg_seq, cmd);
		if (put_report_entry(nlh, line))
			continue;
		q_len += NLMSG_ALIGN(nlh->nlmsg_len);
		if (++n % 20 == 0)
			dgram_ends[n_dgrams++] = q_len;
	}
	if (f)
		fclose(f);
	if (n % 20)
		dgram_ends[n_dgrams++] = q_len;
	nlh = put_msg(NLMSG_DONE, NLM_F_MULTI, req->nlmsg_seq, 0);
	*(int *)mnl_nlmsg_put_extra_header(nlh, sizeof(int)) = 0;
	end_msg(nlh);
}

static void request(const struct nlmsghdr *req)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(req);
	struct nlmsghdr *nlh;
	const struct nlattr *a;

	if (req->nlmsg_type == GENL_ID_CTRL) {
		family(req);
		return;
	}
	if (req->nlmsg_type != FAMILY_ID) {
		ack(req, -ENOENT, NULL, 0);
		return;
	}
	note("cmd %u len %u\n", g->cmd, req->nlmsg_len);
	if (getenv("FAKE_EGRESSFW_EPERM") && g->cmd != EGRESSFW_CMD_GET_RULES &&
	    g->cmd != EGRESSFW_CMD_GET_STATS && g->cmd != EGRESSFW_CMD_GET_CONFIG) {
		ack(req, -EPERM, NULL, 0);
		return;
	}
	switch (g->cmd) {
	case EGRESSFW_CMD_RULESET_BEGIN:
		if (busy_left < 0)
			busy_left = env_int("FAKE_EGRESSFW_BUSY", 0);
		if (busy_left > 0) {
			busy_left--;
			note("busy\n");
			ack(req, -EBUSY, "another load is in progress in this namespace", 0);
			return;
		}
		txn_open = 1;
		txn_n = 0;
		txn_id = 77;
		nlh = put_msg(FAMILY_ID, 0, req->nlmsg_seq, g->cmd);
		mnl_attr_put_u32(nlh, EGRESSFW_A_TXN_ID, txn_id);
		end_msg(nlh);
		ack(req, 0, NULL, 0);
		return;
	case EGRESSFW_CMD_RULESET_ADD:
		cmd_add(req);
		return;
	case EGRESSFW_CMD_RULESET_COMMIT:
		if (check_txn(req))
			return;
		txn_open = 0;
		a = attr_of(req, EGRESSFW_A_RULE_COUNT);
		if (!a || mnl_attr_get_u32(a) != txn_n) {
			ack(req, -EPROTO, "rule count differs from the rules received", 0);
			return;
		}
		/* An older module refuses what it does not know. */
		if ((attr_of(req, EGRESSFW_A_ORIGIN) || attr_of(req, EGRESSFW_A_CONFIG)) &&
		    env_int("FAKE_EGRESSFW_MAXATTR", EGRESSFW_A_MAX) < EGRESSFW_A_ORIGIN) {
			ack(req, -EINVAL, "Unknown attribute type", 0);
			return;
		}
		a = attr_of(req, EGRESSFW_A_CONFIG);
		if (a && apply_config(req, a))
			return;
		memcpy(rules, txn_rules, txn_n * sizeof(*rules));
		st.n_rules = txn_n;
		st.loaded = 1;
		st.generation++;
		a = attr_of(req, EGRESSFW_A_ORIGIN);
		st.origin = a ? mnl_attr_get_u8(a) : 0;
		note("commit %u%s origin %u\n", txn_n,
		     attr_of(req, EGRESSFW_A_CONFIG) ? " with config" : "", st.origin);
		save();
		ack(req, 0, NULL, 0);
		return;
	case EGRESSFW_CMD_RULESET_ABORT:
		note("abort\n");
		if (check_txn(req))
			return;
		txn_open = 0;
		ack(req, 0, NULL, 0);
		return;
	case EGRESSFW_CMD_GET_RULES:
		if (!(req->nlmsg_flags & NLM_F_DUMP)) {
			ack(req, -EOPNOTSUPP, NULL, 0);
			return;
		}
		if (intr_left < 0)
			intr_left = env_int("FAKE_EGRESSFW_INTR", 0);
		dump_rules(req);
		return;
	case EGRESSFW_CMD_FLUSH:
		if (st.loaded)
			st.generation++;
		st.loaded = 0;
		st.n_rules = 0;
		st.origin = 0;
		save();
		ack(req, 0, NULL, 0);
		return;
	case EGRESSFW_CMD_GET_STATS:
		nlh = put_msg(FAMILY_ID, 0, req->nlmsg_seq, g->cmd);
		mnl_attr_put_u8(nlh, EGRESSFW_A_LOADED, st.loaded);
		mnl_attr_put_u32(nlh, EGRESSFW_A_GENERATION, st.generation);
		mnl_attr_put_u32(nlh, EGRESSFW_A_RULE_COUNT, st.n_rules);
		put_stats(nlh);
		end_msg(nlh);
		ack(req, 0, NULL, 0);
		return;
	case EGRESSFW_CMD_GET_CONFIG:
		nlh = put_msg(FAMILY_ID, 0, req->nlmsg_seq, g->cmd);
		put_config(nlh);
		end_msg(nlh);
		ack(req, 0, NULL, 0);
		return;
	case EGRESSFW_CMD_SET_CONFIG:
		set_config(req);
		return;
	case EGRESSFW_CMD_GET_CACHE:
		if (!(req->nlmsg_flags & NLM_F_DUMP)) {
			ack(req, -EOPNOTSUPP, NULL, 0);
			return;
		}
		dump_cache(req);
		return;
	case EGRESSFW_CMD_GET_REPORT:
	case EGRESSFW_CMD_CLEAR_REPORT:
		report(req, g->cmd);
		return;
	}
	ack(req, -EOPNOTSUPP, NULL, 0);
}

/*
 * The libmnl socket calls egressctl makes, replaced for generic netlink
 * sockets; for others (nft-sync's nftables socket) the real ones run.
 * A socket that joins the "learned" group reads the learned file, one
 * LEARNED message a datagram; its descriptor (an eventfd) polls readable
 * while some are left, and then blocks as a real socket would.
 */
struct fake_socket {
	int efd;
	int learned;		/* joined "learned" */
	int nobufs;		/* an ENOBUFS to give first */
	char *q;
	size_t q_len, q_off;
	size_t ends[4096];
	unsigned int n, next;
};

#define MAX_FAKES 16
static struct fake_socket *fakes[MAX_FAKES];

static struct fake_socket *fake_of(const struct mnl_socket *nl)
{
	int i;

	for (i = 0; i < MAX_FAKES; i++)
		if (fakes[i] && (const void *)fakes[i] == (const void *)nl)
			return fakes[i];
	return NULL;
}

static void *real(const char *name)
{
	void *f = dlsym(RTLD_NEXT, name);

	if (!f) {
		fprintf(stderr, "fake-egressfw: no %s in libmnl\n", name);
		abort();
	}
	return f;
}

/* The learned file as LEARNED messages on @fs. */
static void join_learned(struct fake_socket *fs)
{
	FILE *f = open_state("learned");
	char line[2048];
	uint64_t one = 1;

	fs->learned = 1;
	fs->nobufs = env_int("FAKE_EGRESSFW_ENOBUFS", 0);
	fs->q = malloc(1 << 20);
	while (f && fs->q && fs->n < 4096 && fgets(line, sizeof(line), f)) {
		struct nlmsghdr *nlh = mnl_nlmsg_put_header(fs->q + fs->q_len);
		struct genlmsghdr *g;

		if (fs->q_len > (1 << 20) - 4096)
			break;
		nlh->nlmsg_type = FAMILY_ID;
		g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
		g->cmd = EGRESSFW_CMD_LEARNED;
		g->version = 1;
		if (put_entry(nlh, line))
			continue;
		fs->q_len += NLMSG_ALIGN(nlh->nlmsg_len);
		fs->ends[fs->n++] = fs->q_len;
	}
	if (f)
		fclose(f);
	note("joined learned, %u queued\n", fs->n);
	if (fs->n || fs->nobufs)
		write(fs->efd, &one, sizeof(one));
}

struct mnl_socket *mnl_socket_open(int bus)
{
	struct fake_socket *fs;
	int i;

	if (bus != NETLINK_GENERIC)
		return ((struct mnl_socket *(*)(int))real("mnl_socket_open"))(bus);
	if (!rules)
		load_state();
	for (i = 0; i < MAX_FAKES && fakes[i]; i++)
		;
	if (i == MAX_FAKES || !(fs = calloc(1, sizeof(*fs)))) {
		errno = ENOMEM;
		return NULL;
	}
	fs->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	fakes[i] = fs;
	return (struct mnl_socket *)fs;
}

int mnl_socket_bind(struct mnl_socket *nl, unsigned int groups, pid_t pid)
{
	if (!fake_of(nl))
		return ((int (*)(struct mnl_socket *, unsigned int, pid_t))
			real("mnl_socket_bind"))(nl, groups, pid);
	return 0;
}

unsigned int mnl_socket_get_portid(const struct mnl_socket *nl)
{
	if (!fake_of(nl))
		return ((unsigned int (*)(const struct mnl_socket *))
			real("mnl_socket_get_portid"))(nl);
	return PORTID;
}

int mnl_socket_get_fd(const struct mnl_socket *nl)
{
	struct fake_socket *fs = fake_of(nl);

	if (!fs)
		return ((int (*)(const struct mnl_socket *))real("mnl_socket_get_fd"))(nl);
	return fs->efd;
}

int mnl_socket_setsockopt(const struct mnl_socket *nl, int type, void *buf,
			  socklen_t len)
{
	struct fake_socket *fs = fake_of(nl);

	if (!fs)
		return ((int (*)(const struct mnl_socket *, int, void *, socklen_t))
			real("mnl_socket_setsockopt"))(nl, type, buf, len);
	if (type == NETLINK_ADD_MEMBERSHIP && len == sizeof(int) &&
	    *(int *)buf == LEARNED_GROUP && !fs->learned)
		join_learned(fs);
	return 0;
}

ssize_t mnl_socket_sendto(const struct mnl_socket *nl, const void *req,
			  size_t siz)
{
	const struct nlmsghdr *nlh = req;

	if (!fake_of(nl))
		return ((ssize_t (*)(const struct mnl_socket *, const void *, size_t))
			real("mnl_socket_sendto"))(nl, req, siz);
	/* Unanswered datagrams are dropped, as if they had been read. */
	q_len = q_off = 0;
	n_dgrams = next_dgram = 0;
	if (siz < sizeof(*nlh) || nlh->nlmsg_len != siz) {
		errno = EINVAL;
		return -1;
	}
	request(nlh);
	return (ssize_t)siz;
}

/* A datagram of the "learned" group. */
static ssize_t recv_learned(struct fake_socket *fs, void *buf, size_t siz)
{
	uint64_t v;
	size_t len;

	if (fs->nobufs) {
		fs->nobufs = 0;
		note("enobufs\n");
		if (fs->next == fs->n && read(fs->efd, &v, sizeof(v)) < 0)
			v = 0;
		errno = ENOBUFS;
		return -1;
	}
	if (fs->next == fs->n) {
		errno = EAGAIN;
		return -1;
	}
	len = fs->ends[fs->next] - fs->q_off;
	if (len > siz) {
		errno = ENOSPC;
		return -1;
	}
	memcpy(buf, fs->q + fs->q_off, len);
	fs->q_off = fs->ends[fs->next++];
	/* All read: the descriptor stops polling readable. */
	if (fs->next == fs->n && read(fs->efd, &v, sizeof(v)) < 0)
		v = 0;
	return (ssize_t)len;
}

ssize_t mnl_socket_recvfrom(const struct mnl_socket *nl, void *buf,
			    size_t siz)
{
	struct fake_socket *fs = fake_of(nl);
	size_t len;

	if (!fs)
		return ((ssize_t (*)(const struct mnl_socket *, void *, size_t))
			real("mnl_socket_recvfrom"))(nl, buf, siz);
	if (fs->learned)
		return recv_learned(fs, buf, siz);
	if (next_dgram == n_dgrams) {
		errno = EAGAIN;	/* egressctl waited for more than was sent */
		return -1;
	}
	len = dgram_ends[next_dgram++] - q_off;
	if (len > siz) {
		errno = ENOSPC;
		return -1;
	}
	memcpy(buf, queue + q_off, len);
	q_off += len;
	return (ssize_t)len;
}

int mnl_socket_close(struct mnl_socket *nl)
{
	struct fake_socket *fs = fake_of(nl);
	int i;

	if (!fs)
		return ((int (*)(struct mnl_socket *))real("mnl_socket_close"))(nl);
	for (i = 0; i < MAX_FAKES; i++)
		if (fakes[i] == fs)
			fakes[i] = NULL;
	close(fs->efd);
	free(fs->q);
	free(fs);
	return 0;
}
