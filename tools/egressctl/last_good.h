/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The last-known-good copy (last_good.c): what the last successful
 * `egressctl load` of the host's lists loaded, rules and settings, kept
 * so that a gateway whose lists break does not come up open.
 */
#ifndef EGRESSCTL_LAST_GOOD_H
#define EGRESSCTL_LAST_GOOD_H

#include "conffile.h"
#include "list.h"
#include "netlink.h"

#define EFW_LAST_GOOD_LIST "last-good.list"
#define EFW_LAST_GOOD_CONF "last-good.conf"

/* Where the copy lives: $EGRESSFW_STATE_DIR, else /var/lib/egressfw. */
const char *efw_state_dir(void);

/*
 * Keep @list and the settings now in force (with @conf's boot-fallback,
 * if a configuration file was loaded) as the last-known-good copy, when
 * the state directory exists (the package makes it). Into the default
 * one only from the host's own network namespace: a container's loads
 * are not the host's. A copy that cannot be written is a warning, not a
 * failed load.
 */
void efw_last_good_save(struct efw_nl *nl, const struct efw_list *list,
			const struct efw_conf *conf);

#endif /* EGRESSCTL_LAST_GOOD_H */
