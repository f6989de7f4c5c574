// SPDX-License-Identifier: GPL-2.0
/*
 * egressctl flush: drop the ruleset, back to pass-through.
 */
#include <stdio.h>

#include "commands.h"
#include "netlink.h"

const char cmd_flush_help[] =
	"Drop the loaded ruleset of this network namespace. The namespace is\n"
	"then back to pass-through, as before the first load: every connection\n"
	"passes, nothing is counted. (To deny everything instead, load an\n"
	"empty list.) Needs CAP_NET_ADMIN.\n";

int cmd_flush(int argc, char **argv)
{
	struct efw_nl nl;
	int ret, err;

	if (argc > 1) {
		fprintf(stderr, "egressctl flush: unexpected argument '%s'\nusage: egressctl flush\n",
			argv[1]);
		return EXIT_USAGE;
	}
	ret = efw_nl_open(&nl);
	if (ret)
		return ret;
	err = efw_nl_simple(&nl, EGRESSFW_CMD_FLUSH, NULL, NULL);
	if (err)
		ret = efw_nl_fail(&nl, err, "cannot flush the ruleset");
	else
		printf("flushed: the namespace is back to pass-through (no ruleset)\n");
	efw_nl_close(&nl);
	return ret;
}
