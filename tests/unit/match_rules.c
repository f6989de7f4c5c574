// SPDX-License-Identifier: GPL-2.0
/*
 * The rule set the matcher tests build, one rule at a time, and the
 * queries they ask of the matcher (see match_rules.h).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "match_rules.h"

/* The rule set under construction (tests run one at a time). */
struct efw_pattern pats[MAX_RULES];
struct efw_rule_spec specs[MAX_RULES];
struct efw_port_range ports[MAX_RULES][MAX_PORTS];
unsigned int nrules;

void reset(void)
{
	nrules = 0;
}

/* "tcp/443,udp/443,tcp/1000-2000", "" for no ports at all. */
unsigned int parse_ports(const char *s, struct efw_port_range *r)
{
	unsigned int n = 0;

	while (*s && n < MAX_PORTS) {
		unsigned int lo, hi;
		int used = 0;

		r[n].proto = strncmp(s, "udp/", 4) ? EFW_PROTO_TCP : EFW_PROTO_UDP;
		s += 4;
		if (sscanf(s, "%u-%u%n", &lo, &hi, &used) != 2) {
			sscanf(s, "%u%n", &lo, &used);
			hi = lo;
		}
		r[n].lo = lo;
		r[n].hi = hi;
		n++;
		s += used;
		if (*s == ',')
			s++;
	}
	return n;
}

unsigned int add(int kind, const char *name, const char *portspec)
{
	struct efw_pattern *p = &pats[nrules];

	memset(p, 0, sizeof(*p));
	p->kind = kind;
	p->name_len = strlen(name);
	memcpy(p->name, name, p->name_len + 1);
	specs[nrules].pattern = p;
	specs[nrules].ports = ports[nrules];
	specs[nrules].n_ports = parse_ports(portspec, ports[nrules]);
	return nrules++;
}

unsigned int add_cidr(const char *addr, int len, const char *portspec)
{
	struct efw_pattern *p = &pats[nrules];

	memset(p, 0, sizeof(*p));
	if (strchr(addr, ':')) {
		p->kind = EFW_KIND_CIDR6;
		inet_pton(AF_INET6, addr, p->addr);
	} else {
		p->kind = EFW_KIND_CIDR4;
		inet_pton(AF_INET, addr, p->addr);
	}
	p->prefix_len = len;
	specs[nrules].pattern = p;
	specs[nrules].ports = ports[nrules];
	specs[nrules].n_ports = parse_ports(portspec, ports[nrules]);
	return nrules++;
}

struct efw_matcher *build(void)
{
	int err = 0;
	struct efw_matcher *m = efw_matcher_build(specs, nrules, &err);

	if (!m)
		fprintf(stderr, "build failed: %d\n", err);
	return m;
}

int q(const struct efw_matcher *m, const char *name, const char *pp)
{
	struct efw_port_range r;

	parse_ports(pp, &r);
	return efw_match_name(m, name, strlen(name), r.proto, r.lo);
}

int collect(void *ctx, u32 rule)
{
	struct seen *s = ctx;

	if (rule < MAX_RULES)
		s->bit[rule]++;
	s->count++;
	if (s->stop_after && (int)s->count >= s->stop_after)
		return 7;
	return 0;
}
