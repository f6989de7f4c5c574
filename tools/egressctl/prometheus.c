// SPDX-License-Identifier: GPL-2.0
/*
 * The Prometheus text exposition format, see prometheus.h. Names follow
 * Prometheus' conventions: an "egressfw_" prefix, "_total" on counters,
 * one metric per quantity with labels for its kinds (reason, rule).
 *
 * Per-rule series carry the rule's id, pattern, ports and source: a reload
 * starts them all from zero (each load is a new ruleset), which rate() and
 * increase() read as a counter reset, as they should.
 */
#include <string.h>

#include "json.h"
#include "prometheus.h"

void efw_prom_label_value(FILE *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	while (*p) {
		if (*p == '\\' || *p == '"') {
			fprintf(out, "\\%c", *p++);
		} else if (*p == '\n') {
			fputs("\\n", out);
			p++;
		} else if ((n = efw_utf8_len(p)) == 0) {
			fputs("\xef\xbf\xbd", out);
			p++;
		} else {
			fwrite(p, 1, n, out);
			p += n;
		}
	}
}

static void header(FILE *out, const char *name, const char *type,
		   const char *help)
{
	fprintf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void global(FILE *out, const char *name, const char *type,
		   const char *help, unsigned long long v)
{
	header(out, name, type, help);
	fprintf(out, "%s %llu\n", name, v);
}

static void rule_labels(FILE *out, const struct efw_rule_row *r)
{
	fprintf(out, "{id=\"%u\",pattern=\"", r->id);
	efw_prom_label_value(out, r->pattern);
	fputs("\",ports=\"", out);
	efw_prom_label_value(out, r->ports);
	fputs("\",source=\"", out);
	efw_prom_label_value(out, r->source);
	fputs("\"}", out);
}

static void per_rule(FILE *out, const struct efw_rules *rules)
{
	size_t i;

	header(out, "egressfw_rule_allowed_total", "counter",
	       "Connections each rule of the loaded ruleset allowed.");
	for (i = 0; i < rules->n; i++) {
		fputs("egressfw_rule_allowed_total", out);
		rule_labels(out, &rules->v[i]);
		fprintf(out, " %llu\n", (unsigned long long)rules->v[i].allowed);
	}
	header(out, "egressfw_rule_allowed_dns_total", "counter",
	       "Of each rule's allowed connections, those allowed by a DNS-learned address.");
	for (i = 0; i < rules->n; i++) {
		fputs("egressfw_rule_allowed_dns_total", out);
		rule_labels(out, &rules->v[i]);
		fprintf(out, " %llu\n", (unsigned long long)rules->v[i].allowed_dns);
	}
	header(out, "egressfw_rule_learned_addresses", "gauge",
	       "Learned (address, name) entries whose name each rule matches.");
	for (i = 0; i < rules->n; i++) {
		fputs("egressfw_rule_learned_addresses", out);
		rule_labels(out, &rules->v[i]);
		fprintf(out, " %u\n", rules->v[i].learned);
	}
	header(out, "egressfw_rule_last_hit_seconds", "gauge",
	       "Seconds since each rule last allowed a connection; no sample for a rule never hit.");
	for (i = 0; i < rules->n; i++) {
		if (rules->v[i].last_hit < 0)
			continue;
		fputs("egressfw_rule_last_hit_seconds", out);
		rule_labels(out, &rules->v[i]);
		fprintf(out, " %lld\n", (long long)rules->v[i].last_hit);
	}
}

/* A group of counters.h's table (NULL for none). */
static const struct efw_counter_group *group_of(const struct efw_counter *c)
{
	unsigned int i;

	for (i = 0; c->group && i < efw_n_counter_groups; i++)
		if (!strcmp(efw_counter_groups[i].group, c->group))
			return &efw_counter_groups[i];
	return NULL;
}

/*
 * One counter of the table: egressfw_KEY_total, or in a group
 * egressfw_GROUP_KEY_total, or one series of egressfw_GROUP_total with
 * the group's label; gauges have no _total.
 */
static void counter(FILE *out, const struct efw_counter *c,
		    const struct efw_counter *prev, const struct efw_stats *st)
{
	const struct efw_counter_group *g = group_of(c);
	char metric[64], name[48];

	if (g && g->label) {
		snprintf(metric, sizeof(metric), "egressfw_%s_total", g->group);
		if (!prev || prev->kind == EFW_COUNTER_DENIED || group_of(prev) != g)
			header(out, metric, "counter", g->help);
		fprintf(out, "%s{%s=\"%s\"} %llu\n", metric, g->label, c->key,
			(unsigned long long)st->v[c->attr]);
		return;
	}
	efw_counter_name(c, '_', name, sizeof(name));
	snprintf(metric, sizeof(metric), "egressfw_%s%s", name,
		 c->kind == EFW_COUNTER_GAUGE ? "" : "_total");
	global(out, metric, c->kind == EFW_COUNTER_GAUGE ? "gauge" : "counter",
	       c->help, (unsigned long long)st->v[c->attr]);
}

static void denied(FILE *out, const struct efw_counter *c,
		   const struct efw_stats *st)
{
	char name[32];
	unsigned int i;

	header(out, "egressfw_denied_total", "counter", c->help);
	for (i = 0; i < st->n_reasons; i++) {
		efw_stats_reason_name(i, name, sizeof(name));
		fprintf(out, "egressfw_denied_total{reason=\"%s\"} %llu\n", name,
			(unsigned long long)st->denied[i]);
	}
}

void efw_prom_print(FILE *out, const struct efw_stats *st,
		    const struct efw_rules *rules)
{
	unsigned int i;

	global(out, "egressfw_ruleset_loaded", "gauge",
	       "1 if a ruleset is loaded; 0: no ruleset, all traffic passes.", st->loaded);
	global(out, "egressfw_ruleset_generation", "gauge",
	       "Ruleset generation, bumped by every load and flush.", st->generation);
	global(out, "egressfw_ruleset_rules", "gauge",
	       "Rules in the loaded ruleset.", st->rules);
	for (i = 0; i < efw_n_counters; i++) {
		if (efw_counters[i].kind == EFW_COUNTER_DENIED)
			denied(out, &efw_counters[i], st);
		else
			counter(out, &efw_counters[i], i ? &efw_counters[i - 1] : NULL, st);
	}
	per_rule(out, rules);
}
