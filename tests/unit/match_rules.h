/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The rule set the matcher tests (test_match*.c) build: rules added one at
 * a time from a pattern and a port spec ("tcp/443,udp/53"), the matcher
 * built from them, and name queries in the same terms.
 */
#ifndef EGRESSFW_TEST_MATCH_RULES_H
#define EGRESSFW_TEST_MATCH_RULES_H

#include "match.h"

#define MAX_RULES 4096
#define MAX_PORTS 4

/* The rule set under construction (tests run one at a time). */
extern struct efw_pattern pats[MAX_RULES];
extern struct efw_rule_spec specs[MAX_RULES];
extern struct efw_port_range ports[MAX_RULES][MAX_PORTS];
extern unsigned int nrules;

void reset(void);
unsigned int parse_ports(const char *s, struct efw_port_range *r);
unsigned int add(int kind, const char *name, const char *portspec);
unsigned int add_cidr(const char *addr, int len, const char *portspec);
struct efw_matcher *build(void);
int q(const struct efw_matcher *m, const char *name, const char *pp);

/* efw_match_name_each() collector: a bitmap of the rules reported. */
struct seen {
	unsigned char bit[MAX_RULES];
	unsigned int count;
	int stop_after;
};

int collect(void *ctx, u32 rule);

#endif /* EGRESSFW_TEST_MATCH_RULES_H */
