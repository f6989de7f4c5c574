// SPDX-License-Identifier: GPL-2.0
/*
 * The boot fallbacks (boot.h). A gateway's firewall must come up closed:
 * a typo in a list at boot would otherwise leave it forwarding anything,
 * silently. So, in order:
 *   1. a ruleset already in force (a reload, a second start) stays;
 *   2. the last-known-good copy (last_good.h) is loaded, marked so in
 *      `egressctl stats` (last_good 1);
 *   3. with no copy either, boot-fallback decides: deny (the default)
 *      loads an empty ruleset, which denies every guarded connection
 *      (last_good 2), with the configuration file's settings if it
 *      parsed (so egress-interfaces still spares port-forwards); pass
 *      leaves the host in pass-through.
 * Each is said on standard error (the journal) and ends the unit failed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "boot.h"
#include "commands.h"
#include "last_good.h"
#include "load.h"
#include "stats.h"

/* 0 if loaded, -ENOENT without a copy, else the exit status of the failure. */
static int load_last_good(struct efw_nl *nl, const char *dir)
{
	char list_path[4096], conf_path[4096];
	struct efw_conf *conf;
	struct efw_list list;
	struct stat sb;
	int ret;

	if ((size_t)snprintf(list_path, sizeof(list_path), "%s/%s", dir,
			     EFW_LAST_GOOD_LIST) >= sizeof(list_path) ||
	    (size_t)snprintf(conf_path, sizeof(conf_path), "%s/%s", dir,
			     EFW_LAST_GOOD_CONF) >= sizeof(conf_path) ||
	    stat(list_path, &sb))
		return -ENOENT;
	conf = calloc(1, sizeof(*conf));
	if (!conf)
		return EXIT_SYSTEM;
	efw_list_init(&list, stderr);
	if (efw_conf_parse_file(conf, conf_path, stderr) ||
	    efw_list_parse_file(&list, list_path)) {
		fprintf(stderr, "egressctl: the last-known-good copy in %s does not load either\n",
			dir);
		ret = EXIT_DENIED;
	} else {
		ret = efw_load_commit(nl, &list, &conf->settings,
				      EGRESSFW_ORIGIN_LAST_GOOD);
	}
	efw_list_free(&list);
	free(conf);
	return ret;
}

static int deny_all(struct efw_nl *nl, const struct efw_conf *conf)
{
	struct efw_list empty;
	int ret;

	efw_list_init(&empty, stderr);
	ret = efw_load_commit(nl, &empty, conf ? &conf->settings : NULL,
			      EGRESSFW_ORIGIN_DENY_ALL);
	efw_list_free(&empty);
	return ret;
}

int efw_boot_fallback(struct efw_nl *nl, const struct efw_conf *conf)
{
	const char *dir = efw_state_dir();
	struct efw_stats st;
	int ret;

	if (!efw_stats_get(nl, &st) && st.loaded) {
		fprintf(stderr, "egressctl: the configured files did not load: the ruleset in force (generation %u, %u rules) stays\n",
			st.generation, st.rules);
		return EXIT_DENIED;
	}
	ret = load_last_good(nl, dir);
	if (!ret) {
		fprintf(stderr, "egressctl: the configured files did not load: running the last-known-good copy from %s (stats: last_good 1)\n",
			dir);
		return EXIT_DENIED;
	}
	if (ret == -ENOENT && conf && conf->fallback == EFW_FALLBACK_PASS) {
		fprintf(stderr, "egressctl: the configured files did not load and there is no last-known-good copy in %s: pass-through (boot-fallback = pass)\n",
			dir);
		return EXIT_DENIED;
	}
	if (deny_all(nl, conf)) {
		fprintf(stderr, "egressctl: could not load even an empty ruleset: egressfw is not enforcing\n");
		return EXIT_SYSTEM;
	}
	fprintf(stderr, "egressctl: the configured files did not load and %s: every guarded connection is denied until they do (stats: last_good 2)\n",
		ret == -ENOENT ? "there is no last-known-good copy" :
				 "neither did the last-known-good copy");
	return EXIT_DENIED;
}
