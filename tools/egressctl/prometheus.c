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

/* DNS learning and the event channel. */
static void dns(FILE *out, const struct efw_stats *st)
{
	global(out, "egressfw_dns_answers_total", "counter",
	       "DNS answers read on flows to port 53.",
	       (unsigned long long)st->dns_answers);
	global(out, "egressfw_dns_ignored_total", "counter",
	       "Port-53 replies that were not a usable answer (malformed, too big, split).",
	       (unsigned long long)st->dns_ignored);
	global(out, "egressfw_dns_unsolicited_total", "counter",
	       "DNS answers on no flow that left through this host: never learned.",
	       (unsigned long long)st->dns_unsolicited);
	global(out, "egressfw_dns_learned_total", "counter",
	       "Learned (address, name) entries created.",
	       (unsigned long long)st->dns_learned);
	global(out, "egressfw_dns_refreshed_total", "counter",
	       "Learned entries whose expiry a new answer moved.",
	       (unsigned long long)st->dns_refreshed);
	global(out, "egressfw_dns_evicted_total", "counter",
	       "Live learned entries pushed out by the table bound (dns-max).",
	       (unsigned long long)st->dns_evicted);
	global(out, "egressfw_dns_entries", "gauge",
	       "Learned (address, name) entries in the table now.", st->dns_entries);
	global(out, "egressfw_events_suppressed_total", "counter",
	       "Deny events the module did not send (rate limit, no memory).",
	       (unsigned long long)st->events_suppressed);
}

void efw_prom_print(FILE *out, const struct efw_stats *st,
		    const struct efw_rules *rules)
{
	char name[32];
	unsigned int i;

	global(out, "egressfw_ruleset_loaded", "gauge",
	       "1 if a ruleset is loaded; 0: no ruleset, all traffic passes.", st->loaded);
	global(out, "egressfw_ruleset_generation", "gauge",
	       "Ruleset generation, bumped by every load and flush.", st->generation);
	global(out, "egressfw_ruleset_rules", "gauge",
	       "Rules in the loaded ruleset.", st->rules);
	global(out, "egressfw_packets_total", "counter",
	       "Guarded packets examined before their flow's verdict.",
	       (unsigned long long)st->packets);
	global(out, "egressfw_flows_total", "counter", "Guarded flows decided.",
	       (unsigned long long)st->flows);
	header(out, "egressfw_allowed_total", "counter",
	       "Connections allowed, by what allowed them: a CIDR rule, the TLS SNI, a DNS-learned address.");
	fprintf(out, "egressfw_allowed_total{by=\"cidr\"} %llu\n",
		(unsigned long long)st->allowed_cidr);
	fprintf(out, "egressfw_allowed_total{by=\"sni\"} %llu\n",
		(unsigned long long)st->allowed_sni);
	fprintf(out, "egressfw_allowed_total{by=\"dns\"} %llu\n",
		(unsigned long long)st->allowed_dns);
	header(out, "egressfw_denied_total", "counter",
	       "Connections denied by reason (in audit mode: that would have been denied).");
	for (i = 0; i < st->n_reasons; i++) {
		efw_stats_reason_name(i, name, sizeof(name));
		fprintf(out, "egressfw_denied_total{reason=\"%s\"} %llu\n", name,
			(unsigned long long)st->denied[i]);
	}
	dns(out, st);
	per_rule(out, rules);
}
