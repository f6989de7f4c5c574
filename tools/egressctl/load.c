// SPDX-License-Identifier: GPL-2.0
/*
 * egressctl load: parse list files and replace the kernel's ruleset with
 * them in one transaction (RULESET_BEGIN, ADD..., COMMIT; see the uapi
 * header). Nothing reaches the kernel unless every file parsed cleanly,
 * and nothing changes there unless the commit succeeds.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "boot.h"
#include "commands.h"
#include "conffile.h"
#include "last_good.h"
#include "list.h"
#include "load.h"
#include "netlink.h"
#include "settings_nl.h"
#include "stats.h"

const char cmd_load_help[] =
	"Replace the ruleset of this network namespace with the entries of the\n"
	"FILEs, merged in the order given ('-' reads standard input). A\n"
	"directory stands for the *.list files in it, in byte order of their\n"
	"names (none is an error), and for its egressfw.conf if it has one.\n"
	"The swap is atomic: packets see the old ruleset or the new one, never\n"
	"a mix.\n"
	"\n"
	"  --config FILE  also replace the settings with FILE's (egressfw.conf(5);\n"
	"                 a setting FILE does not name goes back to its default),\n"
	"                 in the same swap as the rules\n"
	"  --boot         what the systemd unit runs: if the files do not load\n"
	"                 and no ruleset is in force, load the last-known-good\n"
	"                 copy, or, without one, deny every guarded connection\n"
	"                 (boot-fallback in egressfw.conf(5)); exit 1 all the same\n"
	"\n"
	"The files are checked first, as by `egressctl check`: with any error\n"
	"nothing is sent to the kernel, the rules and settings in force stay,\n"
	"and the exit status is 1. If the kernel refuses the rules or a setting\n"
	"(or the load is interrupted), the transaction is aborted and, again,\n"
	"nothing changes.\n"
	"\n"
	"Each successful load in the host's network namespace keeps a copy of\n"
	"its rules and settings in /var/lib/egressfw (if that directory exists):\n"
	"the last-known-good copy --boot falls back to.\n"
	"\n"
	"If another load is in progress in the namespace, load retries for a\n"
	"few seconds before giving up. An empty list is loaded as such: it\n"
	"denies every guarded connection (use `egressctl flush` to pass\n"
	"everything). Needs CAP_NET_ADMIN.\n"
	"\n"
	"Example:\n"
	"  egressctl load lists/sophos.list lists/cisco-esa.list\n"
	"  egressctl load /etc/egressfw\n"
	"  egressctl load --config gw.conf lists/sophos.list\n";

/*
 * Rules are packed into ADD messages of this size: big enough that a
 * million-rule list is a few thousand round trips, small enough to stay
 * far below any socket buffer limit.
 */
#define ADD_MSG_SIZE 16384
/* The fewest bytes one rule takes in a message, to size rule_off[]. */
#define MIN_RULE_BYTES 40
/* A busy namespace: 8 tries, waits from 50 ms doubling up to 1 s (3.5 s). */
#define BEGIN_TRIES 8
#define BEGIN_WAIT_MS 50
#define BEGIN_WAIT_MAX_MS 1000
/* EGRESSFW_RULE_A_SOURCE text, without the NUL (the module's bound). */
#define SOURCE_MAX 255

/* Where each rule of the ADD message in flight starts, to name a refused one. */
struct add_msg {
	uint32_t first;		/* index of its first rule */
	uint32_t n;
	uint32_t rule_off[ADD_MSG_SIZE / MIN_RULE_BYTES];
};

/* "file:line"; a path too long loses its head, not the line number. */
static void source_text(const char *file, uint32_t line, char *buf)
{
	char num[16];
	size_t nlen = (size_t)snprintf(num, sizeof(num), ":%u", line);
	size_t flen = strlen(file);
	size_t room = SOURCE_MAX - nlen;
	const char *tail;

	if (flen <= room) {
		snprintf(buf, SOURCE_MAX + 1, "%s%s", file, num);
		return;
	}
	tail = file + flen - (room - 3);
	/* Do not start inside a UTF-8 sequence. */
	while ((*tail & 0xc0) == 0x80)
		tail++;
	snprintf(buf, SOURCE_MAX + 1, "...%s%s", tail, num);
}

/* The canonical PATTERN text the module parses back. */
static const char *pattern_text(const struct efw_list_rule *r, char *buf,
				size_t size)
{
	if (r->pattern.kind != EFW_KIND_CIDR4 && r->pattern.kind != EFW_KIND_CIDR6)
		return r->pattern.name;
	efw_cidr_format(&r->pattern, buf, size);
	return buf;
}

/*
 * Append rule @id as one EGRESSFW_A_RULE, with its @set if @sets; false
 * if it does not fit. A rule without one sends no EGRESSFW_RULE_A_SET, so
 * a module before it takes a list without @set.
 */
static bool put_rule(struct nlmsghdr *nlh, const struct efw_list *list,
		     uint32_t id, bool sets)
{
	const struct efw_list_rule *r = &list->rules[id];
	const char *set = sets ? efw_list_rule_set(list, r) : NULL;
	const struct efw_port_range *ports = efw_list_rule_ports(list, r);
	struct egressfw_port_range wire[EFW_LIST_MAX_PORTS];
	char cidr[64], source[SOURCE_MAX + 1];
	struct nlattr *nest;
	uint32_t i;

	memset(wire, 0, sizeof(wire));
	for (i = 0; i < r->n_ports; i++) {
		wire[i].proto = ports[i].proto;
		wire[i].lo = ports[i].lo;
		wire[i].hi = ports[i].hi;
	}
	source_text(list->files[r->file], r->line, source);

	nest = mnl_attr_nest_start_check(nlh, ADD_MSG_SIZE, EGRESSFW_A_RULE);
	if (!nest)
		return false;
	if (!mnl_attr_put_u32_check(nlh, ADD_MSG_SIZE, EGRESSFW_RULE_A_ID, id) ||
	    !mnl_attr_put_strz_check(nlh, ADD_MSG_SIZE, EGRESSFW_RULE_A_PATTERN,
				     pattern_text(r, cidr, sizeof(cidr))) ||
	    !mnl_attr_put_check(nlh, ADD_MSG_SIZE, EGRESSFW_RULE_A_PORTS,
				r->n_ports * sizeof(wire[0]), wire) ||
	    !mnl_attr_put_strz_check(nlh, ADD_MSG_SIZE, EGRESSFW_RULE_A_SOURCE,
				     source) ||
	    (set && !mnl_attr_put_strz_check(nlh, ADD_MSG_SIZE, EGRESSFW_RULE_A_SET,
					     set))) {
		mnl_attr_nest_cancel(nlh, nest);
		return false;
	}
	mnl_attr_nest_end(nlh, nest);
	return true;
}

/* The rule whose attributes hold byte @off of the message, or -1. */
static int64_t rule_at(const struct add_msg *m, uint32_t off)
{
	uint32_t i;

	if (!m->n || off < m->rule_off[0])
		return -1;
	for (i = 1; i < m->n && m->rule_off[i] <= off; i++)
		;
	return (int64_t)m->first + i - 1;
}

/* A refused ADD, named by file:line when the kernel pointed at a rule. */
static int add_failed(const struct efw_nl *nl, const struct efw_list *list,
		      const struct add_msg *m, int err)
{
	int64_t id = nl->ext_offs ? rule_at(m, nl->ext_offs) : -1;
	const struct efw_list_rule *r;
	char what[512], cidr[64];

	if (id < 0)
		return efw_nl_fail(nl, err, "the module refused the rules");
	r = &list->rules[id];
	snprintf(what, sizeof(what), "the module refused %s:%u '%s' (rule %lld)",
		 list->files[r->file], r->line, pattern_text(r, cidr, sizeof(cidr)),
		 (long long)id);
	return efw_nl_fail(nl, err, what);
}

static int send_rules(struct efw_nl *nl, const struct efw_list *list,
		      bool sets, uint32_t txn, char *buf, struct add_msg *m)
{
	struct nlmsghdr *nlh;
	struct nlattr *rules;
	uint32_t next = 0;
	int err;

	while (next < list->n_rules) {
		nlh = efw_nl_msg(nl, buf, EGRESSFW_CMD_RULESET_ADD, 0);
		mnl_attr_put_u32(nlh, EGRESSFW_A_TXN_ID, txn);
		rules = mnl_attr_nest_start(nlh, EGRESSFW_A_RULES);
		m->first = next;
		m->n = 0;
		while (next < list->n_rules &&
		       m->n < sizeof(m->rule_off) / sizeof(m->rule_off[0])) {
			uint32_t off = nlh->nlmsg_len;

			if (!put_rule(nlh, list, next, sets))
				break;
			m->rule_off[m->n++] = off;
			next++;
		}
		/* One rule is under 2 KiB: an empty message is a bug here. */
		if (!m->n)
			return -EMSGSIZE;
		mnl_attr_nest_end(nlh, rules);
		err = efw_nl_request(nl, nlh, NULL, NULL);
		if (err)
			return err;
	}
	return 0;
}

struct begin_reply {
	bool found;
	uint32_t txn;
};

static int begin_cb(const struct nlmsghdr *nlh, void *data)
{
	static const enum mnl_attr_data_type policy[EGRESSFW_A_MAX + 1] = {
		[EGRESSFW_A_TXN_ID] = MNL_TYPE_U32,
	};
	const struct nlattr *tb[EGRESSFW_A_MAX + 1];
	struct begin_reply *b = data;

	if (efw_nl_parse(nlh, policy, EGRESSFW_A_MAX, tb) || !tb[EGRESSFW_A_TXN_ID])
		return -EPROTO;
	b->txn = mnl_attr_get_u32(tb[EGRESSFW_A_TXN_ID]);
	b->found = true;
	return 0;
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* RULESET_BEGIN, waiting a little for another load to finish. */
static int begin(struct efw_nl *nl, uint32_t *txn)
{
	unsigned int wait = BEGIN_WAIT_MS, tries;
	struct begin_reply b = { false, 0 };
	int err;

	for (tries = 1;; tries++) {
		b.found = false;
		err = efw_nl_simple(nl, EGRESSFW_CMD_RULESET_BEGIN, begin_cb, &b);
		if (err != -EBUSY || tries == BEGIN_TRIES)
			break;
		sleep_ms(wait);
		wait = wait * 2 > BEGIN_WAIT_MAX_MS ? BEGIN_WAIT_MAX_MS : wait * 2;
	}
	if (!err && !b.found)
		err = -EPROTO;
	*txn = b.txn;
	return err;
}

/* COMMIT, with the settings to swap in with the rules, and their origin. */
static int commit(struct efw_nl *nl, uint32_t txn, uint32_t count,
		  const struct efw_settings *settings, uint8_t origin,
		  char *why, size_t why_size)
{
	char buf[EFW_NL_TX_SIZE] __attribute__((aligned(8)));
	struct nlmsghdr *nlh = efw_nl_msg(nl, buf, EGRESSFW_CMD_RULESET_COMMIT, 0);
	int err;

	mnl_attr_put_u32(nlh, EGRESSFW_A_TXN_ID, txn);
	mnl_attr_put_u32(nlh, EGRESSFW_A_RULE_COUNT, count);
	/* Only when it says something: a module before it refuses the attribute. */
	if (origin != EGRESSFW_ORIGIN_LISTS)
		mnl_attr_put_u8(nlh, EGRESSFW_A_ORIGIN, origin);
	if (settings)
		efw_settings_put(nlh, settings);
	err = efw_nl_request(nl, nlh, NULL, NULL);
	/* A refused setting: name it and its range, as `set` does. */
	if (err && settings && !efw_settings_refusal(nlh, nl->ext_offs, why, why_size))
		why[0] = '\0';
	return err;
}

/*
 * Best effort: the module has often dropped the transaction already (a
 * refused ADD, any COMMIT), and closing the socket would drop it too.
 */
static void abort_txn(struct efw_nl *nl, uint32_t txn)
{
	char buf[EFW_NL_TX_SIZE] __attribute__((aligned(8)));
	struct nlmsghdr *nlh = efw_nl_msg(nl, buf, EGRESSFW_CMD_RULESET_ABORT, 0);

	mnl_attr_put_u32(nlh, EGRESSFW_A_TXN_ID, txn);
	efw_nl_request(nl, nlh, NULL, NULL);
}

static void print_loaded(const struct efw_list *list, const struct efw_stats *st)
{
	uint32_t i;

	printf("loaded %u rule%s from ", list->n_rules, list->n_rules == 1 ? "" : "s");
	for (i = 0; i < list->n_files; i++)
		printf("%s%s", i ? ", " : "", list->files[i]);
	if (st)
		printf(" (generation %u)\n", st->generation);
	else
		printf("\n");
}

/* Does a rule of @list carry an @set? */
static bool has_sets(const struct efw_list *list)
{
	uint32_t i;

	for (i = 0; i < list->n_rules; i++)
		if (list->rules[i].set)
			return true;
	return false;
}

int efw_load_commit(struct efw_nl *nl, const struct efw_list *list,
		    const struct efw_settings *settings, uint8_t origin)
{
	struct add_msg *m = malloc(sizeof(*m));
	char *buf = malloc(ADD_MSG_SIZE), why[128] = "";
	bool sets = has_sets(list);
	uint32_t txn;
	int ret, err;

	if (!buf || !m) {
		fprintf(stderr, "egressctl: out of memory\n");
		ret = EXIT_SYSTEM;
		goto out;
	}
	/*
	 * A module older than this egressctl (upgraded, not yet reloaded)
	 * cannot take settings or an origin with the rules: say so rather
	 * than have it refuse the commit with an unknown attribute.
	 */
	if ((settings || origin != EGRESSFW_ORIGIN_LISTS) && nl->maxattr &&
	    nl->maxattr < EGRESSFW_A_ORIGIN) {
		fprintf(stderr, "egressctl: the loaded egressfw module is older than this egressctl and cannot load settings with the rules; nothing loaded (reload the module, or reboot)\n");
		ret = EXIT_SYSTEM;
		goto out;
	}
	/*
	 * EGRESSFW_RULE_A_SET came with EGRESSFW_A_REPORT: a module whose
	 * family stops before that would refuse the rules (its nested policy
	 * is strict). The sets only feed nft-sync, the rules are what
	 * enforces: load them without, and say so.
	 */
	if (sets && nl->maxattr && nl->maxattr < EGRESSFW_A_REPORT) {
		fprintf(stderr, "egressctl: warning: the loaded egressfw module is older than this egressctl and does not take @set: the rules are loaded without their nft sets (reload the module, or reboot)\n");
		sets = false;
	}
	err = begin(nl, &txn);
	if (err == -EBUSY) {
		fprintf(stderr, "egressctl: %s (still after %d tries); nothing loaded, try again\n",
			nl->ext_msg[0] ? nl->ext_msg : "another load is in progress in this namespace",
			BEGIN_TRIES);
		ret = EXIT_SYSTEM;
		goto out;
	}
	if (err) {
		ret = efw_nl_fail(nl, err, "cannot start a ruleset transaction");
		goto out;
	}
	err = send_rules(nl, list, sets, txn, buf, m);
	if (err) {
		ret = add_failed(nl, list, m, err);
		abort_txn(nl, txn);
		goto out;
	}
	err = commit(nl, txn, list->n_rules, settings, origin, why, sizeof(why));
	if (err) {
		if (why[0])
			snprintf(nl->ext_msg, sizeof(nl->ext_msg), "%s", why);
		ret = efw_nl_fail(nl, err, settings ?
				  "the module refused to commit the ruleset and settings; nothing changed" :
				  "the module refused to commit the ruleset; nothing changed");
		abort_txn(nl, txn);
		goto out;
	}
	ret = 0;
out:
	free(m);
	free(buf);
	return ret;
}

/* What load was asked to do, parsed from its arguments. */
struct load_args {
	const char *config;	/* --config FILE, or a directory's egressfw.conf */
	char *config_owned;
	bool boot;		/* --boot: fall back rather than fail open */
	int first, last;	/* the list arguments: argv[first..last] */
};

static int parse_args(int argc, char **argv, struct load_args *a)
{
	int i;

	memset(a, 0, sizeof(*a));
	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		}
		if (!strcmp(argv[i], "--boot")) {
			a->boot = true;
		} else if (!strcmp(argv[i], "--config")) {
			if (i + 1 >= argc) {
				fprintf(stderr, "egressctl load: --config needs a file\n");
				return EXIT_USAGE;
			}
			a->config = argv[++i];
		} else {
			fprintf(stderr, "egressctl load: unknown option '%s' (a file named so: ./%s)\n",
				argv[i], argv[i]);
			return EXIT_USAGE;
		}
	}
	a->first = i;
	a->last = argc - 1;
	if (a->first > a->last) {
		fprintf(stderr, "usage: egressctl load [--config FILE] [--boot] FILE...\n");
		return EXIT_USAGE;
	}
	/* A directory of lists may hold the configuration file too. */
	for (i = a->first; i <= a->last; i++) {
		char *in_dir = efw_conf_in_dir(argv[i]);

		if (!in_dir)
			continue;
		if (a->config) {
			fprintf(stderr, "egressctl load: two configuration files: %s and %s\n",
				a->config, in_dir);
			free(in_dir);
			return EXIT_USAGE;
		}
		a->config = a->config_owned = in_dir;
	}
	return 0;
}

/*
 * Parse the lists and the configuration file; 0 if every one is valid.
 * *@conf_ok: the configuration file (if any) is.
 */
static int parse_input(char **argv, const struct load_args *a,
		       struct efw_list *list, struct efw_conf *conf,
		       bool *conf_ok)
{
	unsigned int conf_errors = 0;
	int i;

	if (a->config)
		conf_errors = efw_conf_parse_file(conf, a->config, stderr);
	*conf_ok = !conf_errors;
	for (i = a->first; i <= a->last; i++)
		efw_list_parse_path(list, argv[i]);
	if (list->errors + conf_errors) {
		fprintf(stderr, "egressctl: %u error%s: nothing loaded, the rules in the kernel stay\n",
			list->errors + conf_errors,
			list->errors + conf_errors == 1 ? "" : "s");
		return EXIT_DENIED;
	}
	if (list->n_rules > EGRESSFW_MAX_RULES) {
		fprintf(stderr, "egressctl: %u rules: more than the module takes (%u): nothing loaded\n",
			list->n_rules, EGRESSFW_MAX_RULES);
		return EXIT_DENIED;
	}
	if (!list->n_rules)
		fprintf(stderr, "egressctl: warning: no rules: every guarded connection will be denied\n");
	return 0;
}

int cmd_load(int argc, char **argv)
{
	struct efw_conf *conf = calloc(1, sizeof(*conf));
	struct load_args a;
	struct efw_list list;
	struct efw_stats st;
	struct efw_nl nl;
	bool conf_ok;
	int ret;

	efw_list_init(&list, stderr);
	if (!conf) {
		fprintf(stderr, "egressctl: out of memory\n");
		ret = EXIT_SYSTEM;
		goto out_list;
	}
	ret = parse_args(argc, argv, &a);
	if (ret)
		goto out_list;
	ret = parse_input(argv, &a, &list, conf, &conf_ok);
	if (ret && !a.boot)
		goto out_args;
	if (efw_nl_open(&nl)) {
		ret = EXIT_SYSTEM;
		goto out_args;
	}
	if (!ret)
		ret = efw_load_commit(&nl, &list, a.config ? &conf->settings : NULL,
				      EGRESSFW_ORIGIN_LISTS);
	if (ret && a.boot) {
		ret = efw_boot_fallback(&nl, a.config && conf_ok ? conf : NULL);
	} else if (!ret) {
		/* Loaded; only the generation is missing if this fails. */
		print_loaded(&list, efw_stats_get(&nl, &st) ? NULL : &st);
		efw_last_good_save(&nl, &list, a.config ? conf : NULL);
	}
	efw_nl_close(&nl);
out_args:
	free(a.config_owned);
out_list:
	free(conf);
	efw_list_free(&list);
	return ret;
}
