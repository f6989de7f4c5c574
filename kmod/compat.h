/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel-version differences, force-included by Kbuild into every file of
 * the module. The first target is Debian 12's 6.1; each entry below names
 * the API it bridges and is probed by feature where the kernel allows it.
 */
#ifndef EGRESSFW_COMPAT_H
#define EGRESSFW_COMPAT_H

#include <linux/version.h>

/* genetlink: resv_start_op (6.0) makes new families strict by default. */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 0, 0)
#error "egressfw needs Linux 6.0 or later (strict genetlink by default)"
#endif

#endif /* EGRESSFW_COMPAT_H */
