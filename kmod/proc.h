/* SPDX-License-Identifier: GPL-2.0 */
/* /proc/net/egressfw/ of a namespace (proc.c). */
#ifndef EGRESSFW_PROC_H
#define EGRESSFW_PROC_H

#include "netns.h"

int efw_proc_init(struct efw_net *en);
void efw_proc_exit(struct efw_net *en);

#endif /* EGRESSFW_PROC_H */
