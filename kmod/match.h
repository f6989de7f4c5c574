/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The compiled ruleset: given a destination name or address and a
 * (protocol, port), which allowlist rules match.
 *
 * Built once from an array of rules (off the packet path, may sleep in the
 * kernel), then read-only: lookups take no lock and allocate nothing, so a
 * matcher can be published with RCU and read from softirq context.
 *
 * Rule ids are indices into the array given to efw_matcher_build(), i.e.
 * list order. When several rules match, lookups that return one rule
 * return the lowest id ("first match in list order"): deterministic, the
 * same answer `egressctl check` prints, and what people expect from
 * firewall rule lists. efw_match_name_each() reports every match, which DNS
 * learning needs (an address is learned for every rule matching a name).
 */
#ifndef EGRESSFW_MATCH_H
#define EGRESSFW_MATCH_H

#include "pattern.h"

struct efw_matcher;

/* One rule as handed to the builder; @ports is copied (port sets interned). */
struct efw_rule_spec {
	const struct efw_pattern *pattern;
	const struct efw_port_range *ports;
	u32 n_ports;
};

/*
 * Compile @n rules. Returns NULL and sets *@err (-ENOMEM, -EINVAL for an
 * invalid spec, -E2BIG past EFW_MATCH_MAX_RULES) on failure.
 */
#define EFW_MATCH_MAX_RULES (1U << 24)
struct efw_matcher *efw_matcher_build(const struct efw_rule_spec *rules, u32 n,
				      int *err);
void efw_matcher_free(struct efw_matcher *m);

/* Bytes allocated by the matcher (for /proc, the benchmark and limits). */
size_t efw_matcher_memory(const struct efw_matcher *m);
u32 efw_matcher_rules(const struct efw_matcher *m);

/*
 * Lowest rule id whose name pattern matches @name (@len bytes, any case, an
 * optional trailing dot) and whose ports cover (@proto, @port); -1 if none.
 * A @name that is not a syntactically valid host name never matches.
 */
s32 efw_match_name(const struct efw_matcher *m, const char *name, size_t len,
		   u8 proto, u16 port);

/*
 * Call @fn for every rule whose name pattern matches @name, whatever its
 * ports, in no particular order; stop early when @fn returns non-zero and
 * return that value. Returns 0 after visiting all matches.
 */
int efw_match_name_each(const struct efw_matcher *m, const char *name,
			size_t len, int (*fn)(void *ctx, u32 rule), void *ctx);

/*
 * Lowest rule id whose CIDR contains @addr (4 bytes for @family 4, 16 for
 * 6, network byte order) and whose ports cover (@proto, @port); -1 if none.
 */
s32 efw_match_addr(const struct efw_matcher *m, int family, const u8 *addr,
		   u8 proto, u16 port);

/* Whether rule @rule's ports cover (@proto, @port). */
bool efw_rule_covers(const struct efw_matcher *m, u32 rule, u8 proto, u16 port);

#endif /* EGRESSFW_MATCH_H */
