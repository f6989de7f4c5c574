/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The "egressfw" generic netlink family (netlink.c); the protocol is
 * documented in include/uapi/linux/egressfw.h.
 */
#ifndef EGRESSFW_NETLINK_H
#define EGRESSFW_NETLINK_H

#include <net/genetlink.h>

extern struct genl_family efw_family;
#define EFW_MCGRP_EVENTS_ID 0	/* index of "events" in the family's mcgrps */
#define EFW_MCGRP_LEARNED_ID 1	/* index of "learned" */

int __init efw_genl_init(void);
void efw_genl_exit(void);

#endif /* EGRESSFW_NETLINK_H */
