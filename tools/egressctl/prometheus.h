/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `egressctl stats --prometheus`: the counters in Prometheus' text
 * exposition format (version 0.0.4), for node_exporter's textfile
 * collector or any scraper that runs a command.
 */
#ifndef EGRESSCTL_PROMETHEUS_H
#define EGRESSCTL_PROMETHEUS_H

#include <stdio.h>

#include "rules.h"
#include "stats.h"

/* Every metric, the per-rule ones from @rules (one ruleset's, with @st). */
void efw_prom_print(FILE *out, const struct efw_stats *st,
		    const struct efw_rules *rules);

/*
 * @s as the inside of a label value: backslash, double quote and line
 * feed escaped as the format requires, bytes that are not UTF-8 (file
 * names need not be) as U+FFFD, so that a scraper never rejects the file.
 */
void efw_prom_label_value(FILE *out, const char *s);

#endif /* EGRESSCTL_PROMETHEUS_H */
