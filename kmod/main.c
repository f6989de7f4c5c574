// SPDX-License-Identifier: GPL-2.0
/*
 * egressfw: an egress allowlist firewall by TLS SNI and DNS-learned
 * addresses.
 *
 * At this stage the module holds only the kernel-agnostic core (pattern
 * syntax, matcher, ClientHello and DNS parsers), built here so that every
 * change to it is compiled against the target kernel; it registers no
 * hooks and enforces nothing yet.
 */
#include <linux/module.h>

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Egress allowlist firewall by TLS SNI and DNS-learned addresses");
