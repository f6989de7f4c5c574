/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The loaded rules with their counters (GET_RULES dump), read so that
 * they are all of one ruleset: shared by show (people, JSON) and stats
 * --prometheus (per-rule series).
 */
#ifndef EGRESSCTL_RULES_H
#define EGRESSCTL_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "netlink.h"
#include "stats.h"

struct efw_rule_row {
	uint32_t id;
	char *source;		/* "FILE:LINE", "-" if the module has none */
	char *pattern;
	char *ports;		/* a PORTSPEC, as efw_ports_format() writes it */
	uint64_t allowed;
	int64_t last_hit;	/* seconds, -1 if never */
	uint32_t learned;
	uint64_t allowed_dns;	/* of allowed, by a DNS-learned address */
	char *set;		/* its @set, "FAMILY TABLE SET...", or NULL */
};

struct efw_rules {
	struct efw_rule_row *v;	/* sorted by id */
	size_t n, cap;
	bool loaded;		/* false: no ruleset, everything passes */
	/* While reading: the dump's generation, and whether it changed. */
	bool mixed;
	bool have_gen;
	uint32_t generation;
};

/*
 * Fill @rules (zeroed by the caller) with the namespace's rules and, if
 * @st is set, the counters read right after them, of the same ruleset.
 * Returns 0, -EINTR if the ruleset kept changing while it was read, or
 * another negative errno (see efw_nl_request()).
 */
int efw_rules_read(struct efw_nl *nl, struct efw_rules *rules,
		   struct efw_stats *st);
void efw_rules_free(struct efw_rules *rules);

#endif /* EGRESSCTL_RULES_H */
