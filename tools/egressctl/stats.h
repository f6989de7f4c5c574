/* SPDX-License-Identifier: GPL-2.0 */
/*
 * EGRESSFW_CMD_GET_STATS, shared by stats (which prints it), show (which
 * needs to know whether a ruleset is loaded) and load (the generation).
 */
#ifndef EGRESSCTL_STATS_H
#define EGRESSCTL_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "netlink.h"
#include "counters.h"

/* Deny reasons kept; a newer module's extra reasons show up by number. */
#define EFW_STATS_MAX_REASONS 32

struct efw_stats {
	bool loaded;
	uint32_t generation;
	uint32_t rules;
	/* the counters and gauges of counters.h's table, by attribute */
	uint64_t v[EGRESSFW_STATS_A_MAX + 1];
	uint64_t denied[EFW_STATS_MAX_REASONS];	/* by enum egressfw_deny_reason */
	unsigned int n_reasons;			/* highest reason seen + 1 */
};

/* Returns 0 or a negative errno (see efw_nl_request()). */
int efw_stats_get(struct efw_nl *nl, struct efw_stats *st);

/*
 * "no_match", ...: the names stats, its -j and --prometheus, and monitor
 * use; "reason_N" for a reason this egressctl does not know.
 */
void efw_stats_reason_name(unsigned int reason, char *buf, size_t size);

#endif /* EGRESSCTL_STATS_H */
