// SPDX-License-Identifier: GPL-2.0
/*
 * The tables of counters.h, built from its lists. Shared by the module
 * and egressctl.
 */
#include "counters.h"

#define EFW_ROW_(id, grp, k, h) \
	{ .kind = EFW_COUNTER, .slot = EFW_STAT_##id, \
	  .attr = EGRESSFW_STATS_A_##id, .group = grp, .key = k, .help = h },
#define EFW_DENIED_ROW_() \
	{ .kind = EFW_COUNTER_DENIED, .attr = EGRESSFW_STATS_A_DENIED, \
	  .key = "denied", \
	  .help = "Connections denied by reason (in audit mode: that would have been denied)." },
#define EFW_GAUGE_ROW_(id, grp, k, h) \
	{ .kind = EFW_COUNTER_GAUGE, .attr = EGRESSFW_STATS_A_##id, \
	  .group = grp, .key = k, .help = h },

const struct efw_counter efw_counters[] = {
	EFW_COUNTER_LIST(EFW_ROW_, EFW_DENIED_ROW_, EFW_GAUGE_ROW_)
};
const unsigned int efw_n_counters = sizeof(efw_counters) / sizeof(efw_counters[0]);

const struct efw_counter_group efw_counter_groups[] = {
	{ "allowed", "by",
	  "Connections allowed, by what allowed them: a CIDR rule, the TLS SNI, a DNS-learned address." },
	{ "dns", NULL, NULL },
};
const unsigned int efw_n_counter_groups =
	sizeof(efw_counter_groups) / sizeof(efw_counter_groups[0]);

#define EFW_REASON_NAME_(id, name, help) [EGRESSFW_DENY_##id] = name,
#define EFW_REASON_HELP_(id, name, help) [EGRESSFW_DENY_##id] = help,
const char *const efw_deny_reason_names[__EGRESSFW_DENY_MAX] = {
	EFW_DENY_REASON_LIST(EFW_REASON_NAME_)
};
const char *const efw_deny_reason_help[__EGRESSFW_DENY_MAX] = {
	EFW_DENY_REASON_LIST(EFW_REASON_HELP_)
};

char *efw_counter_name(const struct efw_counter *c, char sep, char *buf,
		       size_t size)
{
	size_t g = c->group ? strlen(c->group) : 0, k = strlen(c->key);
	size_t i;

	if (!size)
		return buf;
	if (g + 1 + k >= size) {	/* names are short; never cut one */
		buf[0] = '\0';
		return buf;
	}
	if (g) {
		memcpy(buf, c->group, g);
		buf[g++] = sep;
	}
	memcpy(buf + g, c->key, k + 1);
	for (i = 0; buf[i]; i++)
		if (buf[i] == '_' || buf[i] == ' ')
			buf[i] = sep;
	return buf;
}
