// SPDX-License-Identifier: GPL-2.0
/*
 * Host-wide budgets (see budget.h), set by module parameters in KiB:
 * /sys/module/egressfw/parameters/{hello,dns}_budget_kib, or
 * "options egressfw hello_budget_kib=..." in /etc/modprobe.d. A lowered
 * budget refuses new allocations until enough are freed; nothing already
 * held is taken back.
 */
#include <linux/module.h>
#include <linux/atomic.h>

#include "budget.h"

/* 128 MiB: 4096 pending flows of every namespace at the default hello-max, twice. */
static unsigned long hello_budget_kib = 128 * 1024;
module_param(hello_budget_kib, ulong, 0644);
MODULE_PARM_DESC(hello_budget_kib,
		 "KiB of ClientHello buffers all namespaces may hold together");

/* 256 MiB: about a million learned (address, name) entries. */
static unsigned long dns_budget_kib = 256 * 1024;
module_param(dns_budget_kib, ulong, 0644);
MODULE_PARM_DESC(dns_budget_kib,
		 "KiB of learned DNS entries all namespaces may hold together");

static atomic_long_t used[EFW_BUDGET_N];

static unsigned long limit(enum efw_budget b)
{
	unsigned long kib = b == EFW_BUDGET_HELLO ? READ_ONCE(hello_budget_kib) :
						    READ_ONCE(dns_budget_kib);

	return kib > ULONG_MAX / 1024 ? ULONG_MAX : kib * 1024;
}

bool efw_budget_take(enum efw_budget b, size_t bytes)
{
	if ((unsigned long)atomic_long_add_return(bytes, &used[b]) <= limit(b))
		return true;
	atomic_long_sub(bytes, &used[b]);
	return false;
}

void efw_budget_give(enum efw_budget b, size_t bytes)
{
	atomic_long_sub(bytes, &used[b]);
}
