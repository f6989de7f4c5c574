// SPDX-License-Identifier: GPL-2.0
/*
 * egressctl stats --prometheus (tools/egressctl/prometheus.c): label
 * values escaped as the text exposition format requires, whatever bytes a
 * list's file name holds, and the whole output for a small ruleset. The
 * CLI tests check the same output through the netlink stand-in and
 * python's Prometheus parser.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "prometheus.h"

/* What efw_prom_label_value() writes for @s; free() it. */
static char *label(const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	efw_prom_label_value(f, s);
	fclose(f);
	return buf;
}

#define LABEL(in, want) do {						\
	char *got_ = label(in);						\
	ASSERT_NE(NULL, got_);						\
	EXPECT_STREQ(want, got_);					\
	free(got_);							\
} while (0)

TEST(plain_text_unchanged)
{
	LABEL("", "");
	LABEL("central.sophos.com", "central.sophos.com");
	LABEL("lists/sophos.list:13", "lists/sophos.list:13");
	LABEL("*.sophos.com", "*.sophos.com");
	LABEL("tcp/80,443 udp/443", "tcp/80,443 udp/443");
}

TEST(the_three_escapes)
{
	LABEL("a\\b", "a\\\\b");
	LABEL("say \"hi\"", "say \\\"hi\\\"");
	LABEL("two\nlines", "two\\nlines");
	LABEL("\\\"\n", "\\\\\\\"\\n");
	/* Nothing else is escaped: the format allows it raw. */
	LABEL("tab\there", "tab\there");
}

TEST(utf8_kept_other_bytes_replaced)
{
	LABEL("b\xc3\xbc" "cher.list:1", "b\xc3\xbc" "cher.list:1");
	LABEL("\xf0\x9f\x94\xa5.list", "\xf0\x9f\x94\xa5.list");
	/* Latin-1, a lone continuation byte, an overlong '/', a surrogate */
	LABEL("b\xfc" "cher", "b\xef\xbf\xbd" "cher");
	LABEL("\x80x", "\xef\xbf\xbdx");
	LABEL("\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd");
	LABEL("\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	/* cut short by the end of the string */
	LABEL("x\xe2\x82", "x\xef\xbf\xbd\xef\xbf\xbd");
}

TEST(whole_output)
{
	struct efw_rule_row v[2] = {
		{ 0, "a\"b.list:1", "central.sophos.com", "tcp/443", 5, 12, 0, 0 },
		{ 1, "a\"b.list:2", "10.0.0.0/8", "tcp/22", 0, -1, 3, 0 },
	};
	struct efw_rules rules = { .v = v, .n = 2, .loaded = true };
	struct efw_stats st = {
		.loaded = true, .generation = 4, .rules = 2,
		.v = {
			[EGRESSFW_STATS_A_PACKETS] = 100,
			[EGRESSFW_STATS_A_FLOWS] = 10,
			[EGRESSFW_STATS_A_ALLOWED_CIDR] = 1,
			[EGRESSFW_STATS_A_ALLOWED_SNI] = 5,
			[EGRESSFW_STATS_A_ALLOWED_DNS] = 0,
		},
		.denied = { 7, 0, 0, 0, 0, 2 }, .n_reasons = 6,
	};
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ASSERT_NE(NULL, f);
	efw_prom_print(f, &st, &rules);
	fclose(f);
	EXPECT_NE(NULL, strstr(buf, "# TYPE egressfw_ruleset_loaded gauge\negressfw_ruleset_loaded 1\n"));
	EXPECT_NE(NULL, strstr(buf, "\negressfw_ruleset_generation 4\n"));
	EXPECT_NE(NULL, strstr(buf, "# TYPE egressfw_packets_total counter\negressfw_packets_total 100\n"));
	EXPECT_NE(NULL, strstr(buf, "\negressfw_allowed_total{by=\"sni\"} 5\n"));
	EXPECT_NE(NULL, strstr(buf, "# TYPE egressfw_denied_total counter\n"
			       "egressfw_denied_total{reason=\"no_match\"} 7\n"));
	EXPECT_NE(NULL, strstr(buf, "\negressfw_denied_total{reason=\"timeout\"} 2\n"));
	EXPECT_NE(NULL, strstr(buf, "\negressfw_rule_allowed_total{id=\"0\",pattern=\"central.sophos.com\","
			       "ports=\"tcp/443\",source=\"a\\\"b.list:1\"} 5\n"));
	EXPECT_NE(NULL, strstr(buf, "\negressfw_rule_learned_addresses{id=\"1\",pattern=\"10.0.0.0/8\","
			       "ports=\"tcp/22\",source=\"a\\\"b.list:2\"} 3\n"));
	/* A rule never hit has no last-hit sample. */
	EXPECT_NE(NULL, strstr(buf, "\negressfw_rule_last_hit_seconds{id=\"0\","));
	EXPECT_EQ(NULL, strstr(buf, "\negressfw_rule_last_hit_seconds{id=\"1\","));
	/* A text file: it ends with a newline. */
	EXPECT_EQ('\n', buf[len - 1]);
	free(buf);
}

TEST_HARNESS_MAIN
