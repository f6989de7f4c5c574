/* SPDX-License-Identifier: GPL-2.0 */
/* The egressctl subcommands, each in its own file. */
#ifndef EGRESSCTL_COMMANDS_H
#define EGRESSCTL_COMMANDS_H

#include <stdio.h>

/*
 * Exit statuses, documented in egressctl --help:
 * 0 success / allowed, 1 denied or invalid list, 2 usage error (also a
 * setting the module refuses), 3 system error (out of memory, kernel
 * module missing, permission denied, a request the module refused, ...).
 */
#define EXIT_DENIED 1
#define EXIT_USAGE 2
#define EXIT_SYSTEM 3

struct command {
	const char *name;
	int (*run)(int argc, char **argv);	/* argv[0] is the command name */
	const char *usage;	/* one line: arguments */
	const char *summary;	/* what it does, for egressctl --help */
	const char *help;	/* paragraphs for `egressctl help NAME` */
	/* or, for help that lists a table (counters.h), a printer */
	void (*print_help)(FILE *out);
};

int cmd_check(int argc, char **argv);
extern const char cmd_check_help[];

/* The commands that talk to the module (over netlink.c). */
int cmd_load(int argc, char **argv);
extern const char cmd_load_help[];
int cmd_show(int argc, char **argv);
extern const char cmd_show_help[];
int cmd_flush(int argc, char **argv);
extern const char cmd_flush_help[];
int cmd_stats(int argc, char **argv);
void cmd_stats_help(FILE *out);
int cmd_set(int argc, char **argv);
extern const char cmd_set_help[];
int cmd_config(int argc, char **argv);
extern const char cmd_config_help[];
int cmd_cache(int argc, char **argv);
extern const char cmd_cache_help[];
int cmd_monitor(int argc, char **argv);
extern const char cmd_monitor_help[];
int cmd_report(int argc, char **argv);
extern const char cmd_report_help[];
int cmd_nft_sync(int argc, char **argv);
extern const char cmd_nft_sync_help[];

#endif /* EGRESSCTL_COMMANDS_H */
