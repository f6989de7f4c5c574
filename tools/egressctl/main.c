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
	{ "check", cmd_check, "FILE... [NAME|ADDR [PROTO/PORT]]", cmd_check_help },
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *out)
{
	size_t i;

	fprintf(out, "usage: egressctl COMMAND [ARGS]\n\ncommands:\n");
	for (i = 0; i < N_COMMANDS; i++)
		fprintf(out, "  %s %s\n", commands[i].name, commands[i].usage);
	fprintf(out,
		"  help [COMMAND]\n"
		"\n"
		"options:\n"
		"  -h, --help     this text\n"
		"  --version      print the version\n"
		"\n"
		"exit status: 0 success (or: allowed), 1 denied or invalid list,\n"
		"2 usage error, 3 system error.\n"
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
	printf("usage: egressctl %s %s\n\n%s", c->name, c->usage, c->help);
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
