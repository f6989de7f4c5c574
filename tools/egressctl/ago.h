/* SPDX-License-Identifier: GPL-2.0 */
/*
 * "7s ago", "5m ago", "3h ago", "2d ago": a time in the past for people,
 * as show's LAST-HIT and report's LAST-SEEN print it; '-' for never (@s
 * negative). Coarse on purpose: two units of each before the next.
 */
#ifndef EGRESSCTL_AGO_H
#define EGRESSCTL_AGO_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

static inline void efw_ago_text(int64_t s, char *buf, size_t size)
{
	if (s < 0)
		snprintf(buf, size, "-");
	else if (s < 120)
		snprintf(buf, size, "%llds ago", (long long)s);
	else if (s < 120 * 60)
		snprintf(buf, size, "%lldm ago", (long long)(s / 60));
	else if (s < 48 * 3600)
		snprintf(buf, size, "%lldh ago", (long long)(s / 3600));
	else
		snprintf(buf, size, "%lldd ago", (long long)(s / 86400));
}

#endif /* EGRESSCTL_AGO_H */
