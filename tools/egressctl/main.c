// SPDX-License-Identifier: GPL-2.0
/*
 * egressctl: configure and inspect the egressfw allowlist firewall.
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"

#ifndef EGRESSFW_VERSION
#define EGRESSFW_VERSION "unknown"
#endif

static const struct command commands[] = {
	{ "check", cmd_check, "FILE... [NAME|ADDR [PROTO/PORT]]",
	  "validate lists, or dry-run a decision (no kernel needed)", cmd_check_help, NULL },
	{ "load", cmd_load, "FILE...",
	  "replace the kernel's ruleset with the lists, atomically", cmd_load_help, NULL },
	{ "show", cmd_show, "[-j]", "the loaded rules with their counters", cmd_show_help, NULL },
	{ "flush", cmd_flush, "", "drop the ruleset: back to pass-through", cmd_flush_help, NULL },
	{ "stats", cmd_stats, "[-j|--prometheus]", "global counters, denials by reason",
	  NULL, cmd_stats_help },
	{ "set", cmd_set, "[KEY VALUE]...",
	  "change settings (mode, strict, quic, dns-..., tls-ports, ...)", cmd_set_help, NULL },
	{ "config", cmd_config, "[-j]", "print the settings", cmd_config_help, NULL },
	{ "cache", cmd_cache, "[-j]", "addresses learned from DNS answers", cmd_cache_help, NULL },
	{ "monitor", cmd_monitor, "[-j] [-c N]", "live deny and audit events", cmd_monitor_help, NULL },
	{ "report", cmd_report, "[-j|--suggest|--clear]",
	  "denials by destination, for a rollout; list lines for them", cmd_report_help, NULL },
	{ "nft-sync", cmd_nft_sync, "[--once]", "write learned addresses into nftables sets (@set)",
	  cmd_nft_sync_help, NULL },
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *out)
{
	size_t i;

	fprintf(out, "usage: egressctl COMMAND [ARGS]\n\ncommands:\n");
	for (i = 0; i < N_COMMANDS; i++) {
		fprintf(out, "  %s%s%s\n", commands[i].name,
			commands[i].usage[0] ? " " : "", commands[i].usage);
		fprintf(out, "      %s\n", commands[i].summary);
	}
	fprintf(out,
		"  help [COMMAND]\n"
		"      describe one command\n"
		"\n"
		"options:\n"
		"  -h, --help     this text\n"
		"  --version      print the version\n"
		"\n"
		"exit status: 0 success (or: allowed), 1 denied or invalid list,\n"
		"2 usage error (also: a setting the module refuses), 3 system error\n"
		"(kernel module not loaded, permission denied, the module refused a\n"
		"request, ...).\n"
		"\n"
		"check works on files alone; the other commands act on the egressfw\n"
		"module in the network namespace egressctl runs in.\n"
		"\n"
		"`egressctl help COMMAND` describes one command.\n");
}

static const struct command *find(const char *name)
{
	size_t i;

	for (i = 0; i < N_COMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

static int help(int argc, char **argv)
{
	const struct command *c;

	if (argc < 2) {
		usage(stdout);
		return 0;
	}
	c = find(argv[1]);
	if (!c) {
		fprintf(stderr, "egressctl: unknown command '%s'\n", argv[1]);
		return EXIT_USAGE;
	}
	printf("usage: egressctl %s%s%s\n\n", c->name, c->usage[0] ? " " : "",
	       c->usage);
	if (c->print_help)
		c->print_help(stdout);
	else
		fputs(c->help, stdout);
	return 0;
}

int main(int argc, char **argv)
{
	const struct command *c;

	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))
		return help(1, argv + 1);
	if (!strcmp(argv[1], "--version")) {
		printf("egressctl %s\n", EGRESSFW_VERSION);
		return 0;
	}
	if (!strcmp(argv[1], "help"))
		return help(argc - 1, argv + 1);
	c = find(argv[1]);
	if (!c) {
		fprintf(stderr, "egressctl: unknown command '%s'; see egressctl --help\n", argv[1]);
		return EXIT_USAGE;
	}
	if (argc > 2 && (!strcmp(argv[2], "-h") || !strcmp(argv[2], "--help"))) {
		char *hargv[] = { "help", argv[1], NULL };

		return help(2, hargv);
	}
	return c->run(argc - 1, argv + 1);
}
