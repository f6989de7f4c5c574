// SPDX-License-Identifier: GPL-2.0
/*
 * DNS answer benchmark: what the module spends on one answer before the
 * learned-address table, i.e. efw_dns_parse() and the "does any rule
 * match a name of the chain" test of efw_dns_learn(), on the real dnsmasq
 * answers in tests/data/dns (A, AAAA, CNAME chains, 32-address answers,
 * TCP framing), against a ruleset of 10k names with *.example.test and
 * *.cdn.test among them.
 *
 * Prints, per capture and for the mix, median ns per answer over rounds
 * of 1000 parses, "parse" and "parse + match"; then one machine-readable
 * line "bench dns ...". The table insert itself (a hash probe, and for a
 * new entry one GFP_ATOMIC allocation) runs in the kernel only and is in
 * the VM benchmark (bench/vm-dns.sh).
 *
 * usage: dns [DATA_DIR]
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dns_answer.h"
#include "match.h"

#define RULES 10000
#define REPS 1000
#define ROUNDS 15
#define MAX_CAPTURES 64

struct capture {
	char name[64];
	u8 msg[8192];
	size_t len;
	bool tcp;
};

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static struct efw_matcher *build(void)
{
	static struct efw_pattern pats[RULES];
	static struct efw_rule_spec specs[RULES];
	static const struct efw_port_range tcp443 = { 6, 443, 443 };
	const char *msg;
	size_t off;
	char text[128];
	int err, i;

	for (i = 0; i < RULES; i++) {
		if (i == RULES / 2)
			snprintf(text, sizeof(text), "*.example.test");
		else if (i == RULES / 2 + 1)
			snprintf(text, sizeof(text), "*.cdn.test");
		else if (i % 5 == 0)
			snprintf(text, sizeof(text), "*.zone%d.bench.test", i);
		else
			snprintf(text, sizeof(text), "host%d.bench.test", i);
		if (efw_pattern_parse(text, strlen(text), &pats[i], &msg, &off)) {
			fprintf(stderr, "dns: bad pattern %s: %s\n", text, msg);
			exit(1);
		}
		specs[i].pattern = &pats[i];
		specs[i].ports = &tcp443;
		specs[i].n_ports = 1;
	}
	return efw_matcher_build(specs, RULES, &err);
}

static int load(const char *dir, struct capture *caps)
{
	struct dirent *de;
	char path[4096];
	int n = 0;
	DIR *d = opendir(dir);
	FILE *f;

	if (!d) {
		perror(dir);
		exit(1);
	}
	while ((de = readdir(d)) && n < MAX_CAPTURES) {
		size_t l = strlen(de->d_name);
		bool tcp = l > 4 && !strcmp(de->d_name + l - 4, ".tcp");

		if (!tcp && !(l > 4 && !strcmp(de->d_name + l - 4, ".bin")))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		f = fopen(path, "rb");
		if (!f)
			continue;
		caps[n].len = fread(caps[n].msg, 1, sizeof(caps[n].msg), f);
		fclose(f);
		snprintf(caps[n].name, sizeof(caps[n].name), "%s", de->d_name);
		caps[n].tcp = tcp;
		n++;
	}
	closedir(d);
	return n;
}

static int any_rule(void *ctx, u32 rule)
{
	return 1;
}

static struct efw_dns_result res;
static volatile unsigned long sink;

/* One answer: parse, and with @m, test each chain name against the rules. */
static void one(const struct capture *c, const struct efw_matcher *m)
{
	size_t need;
	int i;

	if (c->tcp)
		efw_dns_parse_tcp(c->msg, c->len, &res, &need);
	else
		efw_dns_parse(c->msg, c->len, &res);
	if (!m)
		return;
	for (i = 0; i < res.n_names; i++)
		sink += efw_match_name_each(m, res.names[i], res.name_len[i],
					    any_rule, NULL);
}

/* Median ns per answer over ROUNDS rounds of REPS answers from @caps. */
static double measure(const struct capture *caps, int n,
		      const struct efw_matcher *m)
{
	double t[ROUNDS];
	int r, k;

	for (r = 0; r < ROUNDS; r++) {
		double t0 = now_ns();

		for (k = 0; k < REPS; k++)
			one(&caps[k % n], m);
		t[r] = (now_ns() - t0) / REPS;
	}
	qsort(t, ROUNDS, sizeof(t[0]), cmp_double);
	return t[ROUNDS / 2];
}

int main(int argc, char **argv)
{
	static struct capture caps[MAX_CAPTURES];
	const char *dir = argc > 1 ? argv[1] : "tests/data/dns";
	struct efw_matcher *m = build();
	double parse, both;
	int n, i;

	if (!m) {
		fprintf(stderr, "dns: cannot build the matcher\n");
		return 1;
	}
	n = load(dir, caps);
	if (!n) {
		fprintf(stderr, "dns: no captures in %s\n", dir);
		return 1;
	}
	printf("%-18s %6s %8s %14s\n", "capture", "bytes", "parse", "parse+match");
	for (i = 0; i < n; i++)
		printf("%-18s %6zu %6.0f ns %11.0f ns\n", caps[i].name, caps[i].len,
		       measure(&caps[i], 1, NULL), measure(&caps[i], 1, m));
	parse = measure(caps, n, NULL);
	both = measure(caps, n, m);
	printf("%-18s %6s %6.0f ns %11.0f ns   (%d captures, %d rules)\n", "mix", "",
	       parse, both, n, RULES);
	printf("bench dns captures=%d rules=%d parse_ns=%.0f parse_match_ns=%.0f\n",
	       n, RULES, parse, both);
	efw_matcher_free(m);
	return 0;
}
