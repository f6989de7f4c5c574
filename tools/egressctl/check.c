// SPDX-License-Identifier: GPL-2.0
/*
 * egressctl check: validate list files, or decide a name/address against
 * them exactly as the module would, without a kernel.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"
#include "conffile.h"
#include "list.h"
#include "match.h"

const char cmd_check_help[] =
	"Validate allowlist files, or dry-run a decision against them (no kernel\n"
	"module needed).\n"
	"\n"
	"With only FILEs: parse them, report every error as FILE:LINE:COL and\n"
	"print a summary of the rules by kind. Exit 0 if valid, 1 if not. A\n"
	"directory stands for its *.list files and its egressfw.conf, as for\n"
	"`egressctl load`; a FILE ending in .conf is read as a configuration\n"
	"file (egressfw.conf(5)), its values checked against the module's\n"
	"ranges.\n"
	"\n"
	"With a NAME or ADDR after the files: exit 0 and print the matching\n"
	"rules as 'FILE:LINE PATTERN PORTS', and '@set ...' after a rule that\n"
	"has nft sets (the first rule, in list order, is the one the module\n"
	"credits) if the destination is allowed on PROTO/PORT; exit 1 and say\n"
	"why if it is not. PROTO/PORT is 'tcp/22', 'udp/123' or a bare port\n"
	"(TCP); the default is tcp/443.\n"
	"\n"
	"The query is told from the files by position: the last argument, or the\n"
	"last two when the last is a port. An argument that names an existing\n"
	"file or directory, or ends in '.list', is a file.\n"
	"\n"
	"Examples:\n"
	"  egressctl check lists/sophos.list\n"
	"  egressctl check /etc/egressfw\n"
	"  egressctl check lists/sophos.list foo.sophos.com\n"
	"  egressctl check lists/sophos.list x.apu.sophos.com tcp/22\n"
	"  egressctl check lists/cisco-esa.list 146.112.62.7 tcp/443\n";

static bool is_file_arg(const char *s)
{
	struct stat st;
	size_t n = strlen(s);

	return !strcmp(s, "-") || stat(s, &st) == 0 ||
	       (n > 5 && !strcmp(s + n - 5, ".list")) || efw_conf_named(s);
}

static bool looks_like_port(const char *s)
{
	if (!strncasecmp(s, "tcp/", 4) || !strncasecmp(s, "udp/", 4))
		return true;
	return s[0] && strspn(s, "0123456789") == strlen(s);
}

static void print_rule(const struct efw_list *list, u32 id)
{
	const struct efw_list_rule *r = &list->rules[id];
	char ports[512], addr[64];
	const char *pattern = r->pattern.name;

	efw_ports_format(efw_list_rule_ports(list, r), r->n_ports, ports, sizeof(ports));
	if (r->pattern.kind == EFW_KIND_CIDR4 || r->pattern.kind == EFW_KIND_CIDR6) {
		efw_cidr_format(&r->pattern, addr, sizeof(addr));
		pattern = addr;
	}
	printf("%s:%u %s %s", list->files[r->file], r->line, pattern, ports);
	if (r->set)
		printf(" @set %s", efw_list_rule_set(list, r));
	putchar('\n');
}

static void summary(const struct efw_list *list)
{
	u32 by_file_kind[6], f, i;

	for (f = 0; f < list->n_files; f++) {
		u32 total = 0, with_set = 0;

		memset(by_file_kind, 0, sizeof(by_file_kind));
		for (i = 0; i < list->n_rules; i++) {
			if (list->rules[i].file != f)
				continue;
			by_file_kind[list->rules[i].pattern.kind]++;
			total++;
			with_set += list->rules[i].set != 0;
		}
		printf("%s: %u rules: %u exact, %u wildcard, %u glob, %u cidr",
		       list->files[f], total, by_file_kind[EFW_KIND_EXACT],
		       by_file_kind[EFW_KIND_WILDCARD], by_file_kind[EFW_KIND_GLOB],
		       by_file_kind[EFW_KIND_CIDR4] + by_file_kind[EFW_KIND_CIDR6]);
		/* Only when there are some: the line stays what scripts read. */
		if (with_set)
			printf("; %u with nft sets", with_set);
		putchar('\n');
	}
}

struct collect {
	u32 *ids;
	u32 n, cap;
};

static int collect_rule(void *ctx, u32 rule)
{
	struct collect *c = ctx;

	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 16;
		c->ids = realloc(c->ids, c->cap * sizeof(u32));
		if (!c->ids)
			return -ENOMEM;
	}
	c->ids[c->n++] = rule;
	return 0;
}

static int cmp_u32(const void *a, const void *b)
{
	u32 x = *(const u32 *)a, y = *(const u32 *)b;

	return (x > y) - (x < y);
}

static struct efw_matcher *compile(const struct efw_list *list)
{
	struct efw_rule_spec *specs = calloc(list->n_rules + 1, sizeof(*specs));
	struct efw_matcher *m;
	u32 i;
	int err = 0;

	if (!specs)
		return NULL;
	for (i = 0; i < list->n_rules; i++) {
		specs[i].pattern = &list->rules[i].pattern;
		specs[i].ports = efw_list_rule_ports(list, &list->rules[i]);
		specs[i].n_ports = list->rules[i].n_ports;
	}
	m = efw_matcher_build(specs, list->n_rules, &err);
	if (!m)
		fprintf(stderr, "egressctl: cannot compile the rules: %s\n", strerror(-err));
	free(specs);
	return m;
}

static int decide(const struct efw_list *list, const char *query,
		  const char *portspec)
{
	struct efw_port_range port = { EFW_PROTO_TCP, 443, 443 };
	const char *proto, *msg = NULL;
	struct efw_pattern q;
	struct efw_matcher *m;
	struct collect all = { NULL, 0, 0 };
	size_t off;
	u32 i, shown = 0;
	int ret = EXIT_DENIED;
	s32 first;

	if (portspec) {
		if (efw_portspec_parse(portspec, strlen(portspec), &port, 1, &msg, &off) < 0 ||
		    port.lo != port.hi) {
			fprintf(stderr, "egressctl: invalid port '%s': %s\n", portspec,
				msg ? msg : "give one port, not a range");
			return EXIT_USAGE;
		}
	}
	proto = port.proto == EFW_PROTO_UDP ? "udp" : "tcp";
	if (efw_pattern_parse(query, strlen(query), &q, &msg, &off)) {
		fprintf(stderr, "egressctl: '%s' is not a name or address: %s\n", query, msg);
		return EXIT_USAGE;
	}
	if ((q.kind == EFW_KIND_CIDR4 && q.prefix_len != 32) ||
	    (q.kind == EFW_KIND_CIDR6 && q.prefix_len != 128) ||
	    q.kind == EFW_KIND_WILDCARD || q.kind == EFW_KIND_GLOB) {
		fprintf(stderr, "egressctl: '%s' is a pattern; check takes one name or address\n", query);
		return EXIT_USAGE;
	}

	m = compile(list);
	if (!m)
		return EXIT_SYSTEM;

	if (q.kind == EFW_KIND_EXACT) {
		if (efw_match_name_each(m, q.name, q.name_len, collect_rule, &all)) {
			fprintf(stderr, "egressctl: out of memory\n");
			ret = EXIT_SYSTEM;
			goto out;
		}
		if (all.n)
			qsort(all.ids, all.n, sizeof(u32), cmp_u32);
		first = efw_match_name(m, q.name, q.name_len, port.proto, port.lo);
	} else {
		first = efw_match_addr(m, q.kind == EFW_KIND_CIDR4 ? 4 : 6, q.addr,
				       port.proto, port.lo);
		if (first >= 0)
			collect_rule(&all, (u32)first);
	}

	if (first >= 0) {
		/* The deciding rule first, then the others that also allow it. */
		print_rule(list, (u32)first);
		for (i = 0; i < all.n; i++) {
			if (all.ids[i] != (u32)first &&
			    efw_rule_covers(m, all.ids[i], port.proto, port.lo))
				print_rule(list, all.ids[i]);
		}
		ret = 0;
		goto out;
	}
	printf("denied: no rule allows %s %s/%u\n", query, proto, port.lo);
	for (i = 0; i < all.n; i++) {
		if (!shown++)
			printf("note: these rules match the name on other ports:\n");
		printf("  ");
		print_rule(list, all.ids[i]);
	}
out:
	free(all.ids);
	efw_matcher_free(m);
	return ret;
}

/* A configuration file: its errors, or its summary line. */
static unsigned int check_conf(const char *path, unsigned int *confs)
{
	struct efw_conf *conf = malloc(sizeof(*conf));
	unsigned int errors;

	if (!conf) {
		fprintf(stderr, "egressctl: out of memory\n");
		return 1;
	}
	errors = efw_conf_parse_file(conf, path, stderr);
	if (++*confs > 1) {
		fprintf(stderr, "%s: a second configuration file: load takes one\n", path);
		errors++;
	}
	if (!errors)
		printf("%s: settings valid\n", path);
	free(conf);
	return errors;
}

int cmd_check(int argc, char **argv)
{
	const char *query = NULL, *portspec = NULL;
	unsigned int errors = 0, confs = 0;
	int nfiles = argc - 1, i, ret;
	struct efw_list list;
	char *in_dir;

	if (nfiles < 1) {
		fprintf(stderr, "usage: egressctl check FILE... [NAME|ADDR [PROTO/PORT]]\n");
		return EXIT_USAGE;
	}
	if (nfiles >= 3 && looks_like_port(argv[argc - 1]) &&
	    !is_file_arg(argv[argc - 1]) && !is_file_arg(argv[argc - 2])) {
		portspec = argv[argc - 1];
		query = argv[argc - 2];
		nfiles -= 2;
	} else if (nfiles >= 2 && !is_file_arg(argv[argc - 1])) {
		query = argv[argc - 1];
		nfiles -= 1;
	}

	efw_list_init(&list, stderr);
	for (i = 1; i <= nfiles; i++) {
		if (efw_conf_named(argv[i]))
			errors += check_conf(argv[i], &confs);
		else
			efw_list_parse_path(&list, argv[i]);
		in_dir = efw_conf_in_dir(argv[i]);
		if (in_dir)
			errors += check_conf(in_dir, &confs);
		free(in_dir);
	}
	errors += list.errors;
	if (errors) {
		fprintf(stderr, "egressctl: %u error%s: the files would not be loaded\n",
			errors, errors == 1 ? "" : "s");
		ret = EXIT_DENIED;
		goto out;
	}
	if (!query) {
		summary(&list);
		ret = 0;
		goto out;
	}
	ret = decide(&list, query, portspec);
out:
	efw_list_free(&list);
	return ret;
}
