/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `egressctl load --boot` when the configured files do not load (boot.c):
 * never leave a gateway that had rules open.
 */
#ifndef EGRESSCTL_BOOT_H
#define EGRESSCTL_BOOT_H

#include "conffile.h"
#include "netlink.h"

/*
 * The configured files did not load. A ruleset in force stays (a reload);
 * with none, the last-known-good copy is loaded, or, without one, what
 * @conf's boot-fallback says (deny when @conf is NULL: the configuration
 * file was broken or missing). Prints what it did. Returns EXIT_DENIED
 * (the unit must fail: the configuration is not what runs) or
 * EXIT_SYSTEM if even the fallback could not be loaded.
 */
int efw_boot_fallback(struct efw_nl *nl, const struct efw_conf *conf);

#endif /* EGRESSCTL_BOOT_H */
