/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Loading a ruleset (load.c), for `egressctl load` and for its fallbacks
 * (boot.c): one transaction, the rules with the settings, all or nothing.
 */
#ifndef EGRESSCTL_LOAD_H
#define EGRESSCTL_LOAD_H

#include <stdint.h>

#include "list.h"
#include "netlink.h"
#include "settings_nl.h"

/*
 * Replace the namespace's ruleset with @list's rules and, if @settings is
 * not NULL, its settings with those, in one commit marked @origin (enum
 * egressfw_origin). Returns 0, or prints why not and returns the exit
 * status to use; nothing changed then.
 */
int efw_load_commit(struct efw_nl *nl, const struct efw_list *list,
		    const struct efw_settings *settings, uint8_t origin);

/* The settings in force (GET_CONFIG): 0 or a negative errno. */
int efw_settings_get(struct efw_nl *nl, struct efw_settings *st);

#endif /* EGRESSCTL_LOAD_H */
