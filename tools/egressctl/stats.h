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

/* Deny reasons kept; a newer module's extra reasons show up by number. */
#define EFW_STATS_MAX_REASONS 32

struct efw_stats {
	bool loaded;
	uint32_t generation;
	uint32_t rules;
	uint64_t packets, flows;
	uint64_t allowed_cidr, allowed_sni, allowed_dns;
	/* DNS learning */
	uint64_t dns_answers, dns_ignored, dns_unsolicited;
	uint64_t dns_learned, dns_refreshed, dns_evicted;
	uint32_t dns_entries;
	uint64_t events_suppressed;	/* deny events the module did not send */
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
