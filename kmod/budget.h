/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host-wide budgets (budget.c) for the kernel memory that packets make
 * the module allocate: ClientHello buffers and learned DNS entries. They
 * are allocated in softirq, where no memory cgroup pays, and every
 * namespace has its own bounds (pending-max, dns-max), so without a
 * budget across namespaces a user with many namespaces of its own could
 * take the host's memory. A refusal counts as over_budget in the
 * namespace that asked.
 */
#ifndef EGRESSFW_BUDGET_H
#define EGRESSFW_BUDGET_H

#include <linux/types.h>

enum efw_budget {
	EFW_BUDGET_HELLO,	/* pending.c: entries and their buffers */
	EFW_BUDGET_DNS,		/* dns_learn.c: learned entries */
	EFW_BUDGET_N,
};

/* Take @bytes of @b; false (nothing taken) if that would overspend it. */
bool efw_budget_take(enum efw_budget b, size_t bytes);
void efw_budget_give(enum efw_budget b, size_t bytes);

#endif /* EGRESSFW_BUDGET_H */
