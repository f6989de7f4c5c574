// SPDX-License-Identifier: GPL-2.0
/*
 * The list format: pattern syntax (kmod/pattern.c), port specs and whole
 * files (tools/egressctl/list.c). Every rule of the format, accepted and
 * refused.
 */
#include <stdio.h>
#include <string.h>

#include "kselftest_harness.h"
#include "list.h"
#include "pattern.h"

/* Parse @s; on success return its canonical name (or "" for CIDRs). */
static int parse(const char *s, struct efw_pattern *p, const char **msg, size_t *off)
{
	*msg = NULL;
	*off = 0;
	return efw_pattern_parse(s, strlen(s), p, msg, off);
}

#define ACCEPT(text, want_kind, want_name) do {				\
	struct efw_pattern p_;						\
	const char *m_; size_t o_;					\
	ASSERT_EQ(0, parse(text, &p_, &m_, &o_)) {			\
		TH_LOG("'%s' refused: %s at %zu", text, m_, o_);	\
	}								\
	EXPECT_EQ(want_kind, p_.kind);					\
	EXPECT_STREQ(want_name, p_.name);				\
	EXPECT_EQ(strlen(want_name), p_.name_len);			\
} while (0)

#define REFUSE(text, want_off, want_msg_part) do {			\
	struct efw_pattern p_;						\
	const char *m_; size_t o_;					\
	ASSERT_EQ(-EINVAL, parse(text, &p_, &m_, &o_)) {		\
		TH_LOG("'%s' accepted as kind %d", text, p_.kind);	\
	}								\
	ASSERT_NE(NULL, m_);						\
	EXPECT_EQ((size_t)(want_off), o_) TH_LOG("'%s': %s", text, m_); \
	EXPECT_NE(NULL, strstr(m_, want_msg_part)) TH_LOG("'%s': %s", text, m_); \
} while (0)

TEST(exact_names)
{
	ACCEPT("central.sophos.com", EFW_KIND_EXACT, "central.sophos.com");
	ACCEPT("SOPHOS.COM.", EFW_KIND_EXACT, "sophos.com");
	ACCEPT("Login.MicrosoftOnline.com.", EFW_KIND_EXACT, "login.microsoftonline.com");
	ACCEPT("localhost", EFW_KIND_EXACT, "localhost");
	ACCEPT("4.sophosxl.net", EFW_KIND_EXACT, "4.sophosxl.net");
	ACCEPT("_dmarc.example.com", EFW_KIND_EXACT, "_dmarc.example.com");
	ACCEPT("xn--bcher-kva.example", EFW_KIND_EXACT, "xn--bcher-kva.example");
	ACCEPT("a.b.c.d.e.f.g.h", EFW_KIND_EXACT, "a.b.c.d.e.f.g.h");
}

TEST(wildcards)
{
	ACCEPT("*.sophos.com", EFW_KIND_WILDCARD, "*.sophos.com");
	ACCEPT("*.S3.EU-West-1.amazonaws.com.", EFW_KIND_WILDCARD, "*.s3.eu-west-1.amazonaws.com");
	ACCEPT("*.com", EFW_KIND_WILDCARD, "*.com");
}

TEST(globs)
{
	ACCEPT("tf-presigned-url-eu-west-1-prod-*-bucket.s3.eu-west-1.amazonaws.com",
	       EFW_KIND_GLOB, "tf-presigned-url-eu-west-1-prod-*-bucket.s3.eu-west-1.amazonaws.com");
	ACCEPT("a*b*c.example.com", EFW_KIND_GLOB, "a*b*c.example.com");
	ACCEPT("*x.example.com", EFW_KIND_GLOB, "*x.example.com");
	ACCEPT("x*.y*.example.com", EFW_KIND_GLOB, "x*.y*.example.com");
	ACCEPT("api*.com", EFW_KIND_GLOB, "api*.com");
}

TEST(bad_names)
{
	REFUSE("", 0, "empty");
	REFUSE("*", 0, "every name");
	REFUSE("*.", 0, "every name");
	REFUSE("bad..example.com", 4, "empty label");
	REFUSE(".example.com", 0, "empty label");
	REFUSE("example.com..", 12, "empty label");
	REFUSE("exa mple.com", 3, "invalid character");
	REFUSE("ex!ample.com", 2, "invalid character");
	REFUSE("caf\xc3\xa9.example", 3, "invalid character");
	REFUSE("a.*.example.com", 2, "only allowed first");
	REFUSE("example.*", 8, "only allowed first");
	REFUSE("*.*.example.com", 2, "only allowed first");
	REFUSE("a**b.example.com", 2, "'**'");
	REFUSE("*.foo*.example.com", 2, "must be literal");
	REFUSE("example.co*", 10, "top-level");
	REFUSE("example.*m", 8, "top-level");
	REFUSE("1.2.3.256.", 6, "numeric");
	REFUSE("host.123", 5, "numeric");
}

TEST(length_limits)
{
	char label63[64], label64[65], name[300];
	int i;

	memset(label63, 'a', 63);
	label63[63] = '\0';
	memset(label64, 'b', 64);
	label64[64] = '\0';

	snprintf(name, sizeof(name), "%s.com", label63);
	ACCEPT(name, EFW_KIND_EXACT, name);
	snprintf(name, sizeof(name), "%s.com", label64);
	REFUSE(name, 63, "63");

	/* 4 x 63 + 3 dots = 255 > 253; 3 x 63 + 61 + 3 = 253 is fine. */
	snprintf(name, sizeof(name), "%s.%s.%s.%s", label63, label63, label63, label63);
	REFUSE(name, 253, "253");
	snprintf(name, sizeof(name), "%s.%s.%s.%.61s", label63, label63, label63, label63);
	ACCEPT(name, EFW_KIND_EXACT, name);
	/* 253 characters plus the trailing dot is still 253. */
	i = (int)strlen(name);
	ASSERT_EQ(253, i);
	memcpy(label64, name, 64);	/* keep the expected canonical start */
	name[i] = '.';
	name[i + 1] = '\0';
	{
		struct efw_pattern p;
		const char *m;
		size_t o;

		ASSERT_EQ(0, parse(name, &p, &m, &o));
		EXPECT_EQ(253, p.name_len);
		EXPECT_EQ(0, memcmp(label64, p.name, 64));
		EXPECT_EQ('\0', p.name[253]);
	}
}

static void expect_cidr(struct __test_metadata *_metadata, const char *text,
			int kind, int prefix, const u8 *addr, int addr_len)
{
	struct efw_pattern p;
	const char *m;
	size_t o;

	ASSERT_EQ(0, parse(text, &p, &m, &o)) TH_LOG("'%s': %s at %zu", text, m, o);
	EXPECT_EQ(kind, p.kind);
	EXPECT_EQ(prefix, p.prefix_len);
	EXPECT_EQ(0, memcmp(addr, p.addr, addr_len)) TH_LOG("'%s'", text);
}

TEST(addresses)
{
	static const u8 a4[4] = { 146, 112, 62, 0 };
	static const u8 h4[4] = { 10, 1, 2, 3 };
	static const u8 z[16] = { 0 };
	static const u8 cisco6[16] = { 0x2a, 0x04, 0xe4, 0xc7, 0xff, 0xff };
	static const u8 loop6[16] = { [15] = 1 };
	static const u8 mapped[16] = { [10] = 0xff, [11] = 0xff, 192, 0, 2, 1 };
	static const u8 full[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6 };
	static const u8 mid[16] = { 0x20, 0x01, 0x0d, 0xb8, [14] = 0, 1 };

	expect_cidr(_metadata, "146.112.62.0/24", EFW_KIND_CIDR4, 24, a4, 4);
	expect_cidr(_metadata, "10.1.2.3", EFW_KIND_CIDR4, 32, h4, 4);
	expect_cidr(_metadata, "0.0.0.0/0", EFW_KIND_CIDR4, 0, z, 4);
	expect_cidr(_metadata, "2a04:e4c7:ffff::/48", EFW_KIND_CIDR6, 48, cisco6, 16);
	expect_cidr(_metadata, "2A04:E4C7:FFFF::/48", EFW_KIND_CIDR6, 48, cisco6, 16);
	expect_cidr(_metadata, "::1", EFW_KIND_CIDR6, 128, loop6, 16);
	expect_cidr(_metadata, "::", EFW_KIND_CIDR6, 128, z, 16);
	expect_cidr(_metadata, "::/0", EFW_KIND_CIDR6, 0, z, 16);
	expect_cidr(_metadata, "::ffff:192.0.2.1", EFW_KIND_CIDR6, 128, mapped, 16);
	expect_cidr(_metadata, "2001:db8:1:2:3:4:5:6", EFW_KIND_CIDR6, 128, full, 16);
	expect_cidr(_metadata, "2001:db8::1", EFW_KIND_CIDR6, 128, mid, 16);
}

TEST(bad_addresses)
{
	REFUSE("146.112.62.7/24", 13, "bits set beyond the prefix");
	REFUSE("2a04:e4c7:ffff::1/48", 18, "bits set beyond the prefix");
	REFUSE("1.2.3.4/33", 8, "0-32");
	REFUSE("1.2.3.4/", 8, "0-32");
	REFUSE("1.2.3.4/24x", 10, "unexpected character");
	REFUSE("example.com/24", 0, "0-255");
	REFUSE("::/129", 3, "0-128");
	REFUSE("1.2.3.256", 6, "0-255");
	REFUSE("1.2.3", 5, "four parts");
	REFUSE("1.2.3.4.5", 7, "four parts");
	REFUSE("01.2.3.4", 0, "leading zero");
	REFUSE("1..2.3", 2, "0-255");
	REFUSE("1:2:3:4:5:6:7:8:9", 16, "too many groups");
	REFUSE("1::2::3", 4, "only once");
	REFUSE(":1::2", 0, "single ':'");
	REFUSE("1:2:3", 5, "8 groups");
	REFUSE("12345::", 0, "4 hex digits");
	REFUSE("1:2:3:4:5:6:7::8", 0, "at least one group");
	REFUSE("g::1", 0, "expected a hex group");
	REFUSE("::1:", 3, "single ':'");
	REFUSE("::ffff:1.2.3.4.5", 14, "four parts");
}

struct portcase {
	const char *text;
	int n;
	struct efw_port_range r[4];
};

TEST(portspecs)
{
	static const struct portcase ok[] = {
		{ "443", 1, { { EFW_PROTO_TCP, 443, 443 } } },
		{ "tcp/22", 1, { { EFW_PROTO_TCP, 22, 22 } } },
		{ "UDP/123", 1, { { EFW_PROTO_UDP, 123, 123 } } },
		{ "tcp/80,443", 2, { { EFW_PROTO_TCP, 80, 80 }, { EFW_PROTO_TCP, 443, 443 } } },
		{ "tcp/1024-65535", 1, { { EFW_PROTO_TCP, 1024, 65535 } } },
		{ "udp/53,tcp/53", 2, { { EFW_PROTO_TCP, 53, 53 }, { EFW_PROTO_UDP, 53, 53 } } },
		{ "1,2,3", 1, { { EFW_PROTO_TCP, 1, 3 } } },		/* merged */
		{ "10-20,15-30", 1, { { EFW_PROTO_TCP, 10, 30 } } },
		{ "65535", 1, { { EFW_PROTO_TCP, 65535, 65535 } } },
	};
	static const struct { const char *text; size_t off; const char *msg; } bad[] = {
		{ "0", 0, "1-65535" },
		{ "65536", 0, "1-65535" },
		{ "tcp/99999", 4, "1-65535" },
		{ "999999", 0, "1-65535" },
		{ "tcp/2000-1000", 9, "reversed" },
		{ "sctp/1", 0, "unknown protocol" },
		{ "tcp/", 4, "expected a port" },
		{ "tcp/80,", 6, "trailing" },
		{ "tcp/80;443", 6, "unexpected" },
		{ "", 0, "empty" },
		{ "-5", 0, "expected a port" },
	};
	struct efw_port_range r[8];
	const char *msg;
	size_t off, i;
	int n, k;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		n = efw_portspec_parse(ok[i].text, strlen(ok[i].text), r, 8, &msg, &off);
		ASSERT_EQ(ok[i].n, n) TH_LOG("%s", ok[i].text);
		for (k = 0; k < n; k++) {
			EXPECT_EQ(ok[i].r[k].proto, r[k].proto) TH_LOG("%s", ok[i].text);
			EXPECT_EQ(ok[i].r[k].lo, r[k].lo) TH_LOG("%s", ok[i].text);
			EXPECT_EQ(ok[i].r[k].hi, r[k].hi) TH_LOG("%s", ok[i].text);
		}
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		msg = NULL;
		n = efw_portspec_parse(bad[i].text, strlen(bad[i].text), r, 8, &msg, &off);
		ASSERT_EQ(-1, n) TH_LOG("'%s' accepted", bad[i].text);
		EXPECT_EQ(bad[i].off, off) TH_LOG("'%s'", bad[i].text);
		EXPECT_NE(NULL, strstr(msg, bad[i].msg)) TH_LOG("'%s': %s", bad[i].text, msg);
	}
	/* the bound on ranges per entry */
	n = efw_portspec_parse("1,3,5", 5, r, 2, &msg, &off);
	EXPECT_EQ(-1, n);
}

TEST(ports_format)
{
	const struct efw_port_range r[] = {
		{ EFW_PROTO_TCP, 80, 80 }, { EFW_PROTO_TCP, 443, 443 },
		{ EFW_PROTO_TCP, 1024, 65535 }, { EFW_PROTO_UDP, 123, 123 },
	};
	char buf[64];

	efw_ports_format(r, 4, buf, sizeof(buf));
	EXPECT_STREQ("tcp/80,443,1024-65535 udp/123", buf);
	efw_ports_format(r, 1, buf, sizeof(buf));
	EXPECT_STREQ("tcp/80", buf);
	efw_ports_format(r, 4, buf, 8);		/* truncated, still terminated */
	EXPECT_EQ(7, strlen(buf));
}

/* A list parsed from a buffer, diagnostics captured in a string. */
FIXTURE(list) {
	struct efw_list list;
	char *diag;
	size_t diag_len;
	FILE *out;
};

FIXTURE_SETUP(list)
{
	self->diag = NULL;
	self->out = open_memstream(&self->diag, &self->diag_len);
	ASSERT_NE(NULL, self->out);
	efw_list_init(&self->list, self->out);
}

FIXTURE_TEARDOWN(list)
{
	efw_list_free(&self->list);
	fclose(self->out);
	free(self->diag);
}

static int parse_text(FIXTURE_DATA(list) *self, const char *name, const char *text)
{
	int ret = efw_list_parse_buffer(&self->list, name, text, strlen(text));

	fflush(self->out);
	return ret;
}

TEST_F(list, entries_comments_and_defaults)
{
	const char *text =
		"# header comment\n"
		"\n"
		"   \t \n"
		"central.sophos.com\n"
		"  *.apu.sophos.com   tcp/22   # trailing comment\n"
		"146.112.62.0/24 tcp/443 udp/443\n"
		"ocsp.digicert.com tcp/80,443\n"
		"ntp.example.net udp/123\r\n"
		"last.example.com";	/* no final newline */
	const struct efw_list_rule *r;

	ASSERT_EQ(0, parse_text(self, "t.list", text)) TH_LOG("%s", self->diag);
	ASSERT_EQ(6, self->list.n_rules);
	EXPECT_EQ(0, self->list.warnings);

	r = &self->list.rules[0];
	EXPECT_STREQ("central.sophos.com", r->pattern.name);
	EXPECT_EQ(4, r->line);
	ASSERT_EQ(1, r->n_ports);	/* default tcp/443 */
	EXPECT_EQ(EFW_PROTO_TCP, efw_list_rule_ports(&self->list, r)[0].proto);
	EXPECT_EQ(443, efw_list_rule_ports(&self->list, r)[0].lo);

	r = &self->list.rules[1];
	EXPECT_EQ(EFW_KIND_WILDCARD, r->pattern.kind);
	EXPECT_EQ(5, r->line);
	ASSERT_EQ(1, r->n_ports);
	EXPECT_EQ(22, efw_list_rule_ports(&self->list, r)[0].lo);

	r = &self->list.rules[2];
	EXPECT_EQ(EFW_KIND_CIDR4, r->pattern.kind);
	EXPECT_EQ(2, r->n_ports);

	r = &self->list.rules[4];
	EXPECT_STREQ("ntp.example.net", r->pattern.name);
	EXPECT_EQ(EFW_PROTO_UDP, efw_list_rule_ports(&self->list, r)[0].proto);

	r = &self->list.rules[5];
	EXPECT_STREQ("last.example.com", r->pattern.name);
	EXPECT_EQ(9, r->line);
	EXPECT_STREQ("t.list", self->list.files[r->file]);
}

TEST_F(list, errors_name_file_line_col)
{
	const char *text =
		"ok.example.com\n"
		"bad..example.com\n"
		"ok.example.com tcp/99999\n"
		"  *.*.example.com\n"
		"146.112.62.7/24\n"
		"x.example.com tcp/2000-1000\n"
		"y.example.com sctp/5\n";

	EXPECT_EQ(6, parse_text(self, "sophos.list", text));
	EXPECT_EQ(6, self->list.errors);
	EXPECT_NE(NULL, strstr(self->diag, "sophos.list:2:5: invalid pattern 'bad..example.com': empty label"));
	EXPECT_NE(NULL, strstr(self->diag, "sophos.list:3:20: invalid port 'tcp/99999'"));
	EXPECT_NE(NULL, strstr(self->diag, "sophos.list:4:5: invalid pattern '*.*.example.com'"));
	EXPECT_NE(NULL, strstr(self->diag, "sophos.list:5:14: invalid pattern '146.112.62.7/24'"));
	EXPECT_NE(NULL, strstr(self->diag, "sophos.list:6:24: invalid port 'tcp/2000-1000': reversed"));
	EXPECT_NE(NULL, strstr(self->diag, "sophos.list:7:15: invalid port 'sctp/5'"));
}

TEST_F(list, encoding)
{
	static const char text[] = "ok.example.com # caf\xc3\xa9 comment is fine\n"
				   "a.example.com # \xc3\x28 bad\n"
				   "b.example.com # \xed\xa0\x80 surrogate\n"
				   "c.example.com # \xc0\xaf overlong\n"
				   "d.exa\0mple.com\n";

	EXPECT_EQ(4, efw_list_parse_buffer(&self->list, "enc.list", text, sizeof(text) - 1));
	fflush(self->out);
	EXPECT_EQ(1, self->list.n_rules);
	EXPECT_NE(NULL, strstr(self->diag, "enc.list:2:17: invalid UTF-8"));
	EXPECT_NE(NULL, strstr(self->diag, "enc.list:3:17: invalid UTF-8"));
	EXPECT_NE(NULL, strstr(self->diag, "enc.list:4:17: invalid UTF-8"));
	EXPECT_NE(NULL, strstr(self->diag, "enc.list:5:6: NUL byte"));
}

TEST_F(list, long_lines_bounded)
{
	size_t n = EFW_LIST_MAX_LINE + 10;
	char *text = malloc(n + 1);

	ASSERT_NE(NULL, text);
	memset(text, '#', n);
	text[n] = '\0';
	EXPECT_EQ(1, parse_text(self, "long.list", text));
	EXPECT_NE(NULL, strstr(self->diag, "long.list:1:4097: line longer than 4096 bytes"));
	free(text);
}

TEST_F(list, warnings)
{
	const char *text =
		"a.example.com\n"
		"A.EXAMPLE.COM.\n"		/* same entry after canonicalisation */
		"a.example.com tcp/22\n"	/* other ports: a different rule */
		"*.com\n"
		"10.0.0.0/8 tcp/22\n"
		"10.0.0.0/8 22\n";

	EXPECT_EQ(0, parse_text(self, "w.list", text));
	EXPECT_EQ(6, self->list.n_rules);
	EXPECT_EQ(3, self->list.warnings) TH_LOG("%s", self->diag);
	EXPECT_NE(NULL, strstr(self->diag, "w.list:2:1: warning: duplicate entry, same as w.list:1"));
	EXPECT_NE(NULL, strstr(self->diag, "w.list:4:1: warning: '*.com' allows every name under a top-level domain"));
	EXPECT_NE(NULL, strstr(self->diag, "w.list:6:1: warning: duplicate entry, same as w.list:5"));
}

TEST_F(list, merged_files_keep_their_names)
{
	ASSERT_EQ(0, parse_text(self, "one.list", "a.example.com\n"));
	ASSERT_EQ(0, parse_text(self, "two.list", "\nb.example.com\n"));
	ASSERT_EQ(2, self->list.n_rules);
	EXPECT_STREQ("one.list", self->list.files[self->list.rules[0].file]);
	EXPECT_STREQ("two.list", self->list.files[self->list.rules[1].file]);
	EXPECT_EQ(2, self->list.rules[1].line);
}

TEST_F(list, error_flood_is_cut_short)
{
	char *text = malloc(200 * 8 + 1);
	int i;

	ASSERT_NE(NULL, text);
	text[0] = '\0';
	for (i = 0; i < 200; i++)
		strcat(text, "bad..x\n");
	EXPECT_EQ(50, parse_text(self, "flood.list", text));
	EXPECT_NE(NULL, strstr(self->diag, "flood.list: too many errors, stopping at line 50"));
	free(text);
}

TEST_F(list, shipped_sophos_list_parses_cleanly)
{
	EXPECT_EQ(0, efw_list_parse_file(&self->list, "lists/sophos.list"));
	fflush(self->out);
	EXPECT_EQ(0, self->list.errors) TH_LOG("%s", self->diag);
	EXPECT_EQ(0, self->list.warnings) TH_LOG("%s", self->diag);
	EXPECT_LT(100, self->list.n_rules);
}

TEST_F(list, shipped_cisco_list_parses_cleanly)
{
	EXPECT_EQ(0, efw_list_parse_file(&self->list, "lists/cisco-esa.list"));
	fflush(self->out);
	EXPECT_EQ(0, self->list.errors) TH_LOG("%s", self->diag);
	EXPECT_EQ(0, self->list.warnings) TH_LOG("%s", self->diag);
	EXPECT_LT(40, self->list.n_rules);
}

TEST_F(list, same_entry_in_two_files_is_a_warning)
{
	ASSERT_EQ(0, parse_text(self, "one.list", "kinesis.us-west-2.amazonaws.com\n"));
	ASSERT_EQ(0, parse_text(self, "two.list", "x.example.com\nkinesis.us-west-2.amazonaws.com\n"));
	EXPECT_EQ(1, self->list.warnings);
	EXPECT_NE(NULL, strstr(self->diag, "two.list:2:1: warning: duplicate entry, same as one.list:1"));
}

TEST_F(list, set_directive)
{
	const char *text =
		"a.example.com\n"
		"@set inet egf v4 v6\n"
		"b.example.com\n"
		"  @set\tip  filter\t_x.y/z-1   # comment\n"
		"c.example.com\n"
		"@set inet egf v4 v6\n"		/* the same string: the same index */
		"d.example.com\n"
		"@set none\n"
		"e.example.com\n"
		"@set bridge t s\n";		/* ends with the file */

	ASSERT_EQ(0, parse_text(self, "s.list", text)) TH_LOG("%s", self->diag);
	ASSERT_EQ(0, parse_text(self, "t.list", "f.example.com\n"));
	ASSERT_EQ(6, self->list.n_rules);
	EXPECT_EQ(0, self->list.warnings);
	EXPECT_EQ(NULL, efw_list_rule_set(&self->list, &self->list.rules[0]));
	EXPECT_STREQ("inet egf v4 v6", efw_list_rule_set(&self->list, &self->list.rules[1]));
	EXPECT_STREQ("ip filter _x.y/z-1", efw_list_rule_set(&self->list, &self->list.rules[2]));
	EXPECT_EQ(self->list.rules[1].set, self->list.rules[3].set);
	EXPECT_EQ(NULL, efw_list_rule_set(&self->list, &self->list.rules[4]));
	EXPECT_EQ(NULL, efw_list_rule_set(&self->list, &self->list.rules[5]));
	EXPECT_EQ(3, self->list.n_sets);
}

TEST_F(list, set_directive_errors)
{
	const char *text =
		"@set ipv4 t s\n"
		"@set inet t\n"
		"@set inet t s#x\n"		/* '#' starts a comment: fine */
		"@set inet t-1 s\n"
		"@set inet t 1s\n"
		"@set inet t s s\n"
		"@set none none\n"
		"@sets inet t s\n"
		"@\n"
		"@set inet t aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n";

	EXPECT_EQ(8, parse_text(self, "e.list", text)) TH_LOG("%s", self->diag);
	EXPECT_EQ(2, self->list.n_sets) TH_LOG("only 'inet t s' and 'inet t-1 s' are valid");
	EXPECT_NE(NULL, strstr(self->diag, "e.list:1:6: invalid @set 'ipv4 t s': unknown nft family"));
	EXPECT_NE(NULL, strstr(self->diag, "e.list:2:12: invalid @set 'inet t': expected at least one SET"));
	EXPECT_NE(NULL, strstr(self->diag, "e.list:5:13: invalid @set 'inet t 1s': invalid nft set name"));
	EXPECT_NE(NULL, strstr(self->diag, "e.list:6:15: invalid @set 'inet t s s': set named twice"));
	EXPECT_NE(NULL, strstr(self->diag, "e.list:7:11: '@set none' takes nothing after it"));
	EXPECT_NE(NULL, strstr(self->diag, "e.list:8:1: unknown directive '@sets' (expected @set)"));
	EXPECT_NE(NULL, strstr(self->diag, "e.list:9:1: unknown directive '@' (expected @set)"));
	EXPECT_NE(NULL, strstr(self->diag, "e.list:10:13: invalid @set 'inet t aaaa"));
	EXPECT_NE(NULL, strstr(self->diag, "': longer than 127 bytes"));
}

TEST(set_spec_bounds)
{
	char canon[EGRESSFW_SET_MAX], text[256];
	const char *msg;
	size_t off;

	/* 127 bytes with single spaces fit, 128 do not, blanks do not count. */
	memset(text, 0, sizeof(text));
	memcpy(text, "inet t ", 7);
	memset(text + 7, 's', 120);
	ASSERT_EQ(0, efw_set_spec_parse(text, strlen(text), canon, &msg, &off));
	EXPECT_EQ(127, strlen(canon));
	memcpy(text, "inet  \t t   ", 12);
	memset(text + 12, 's', 120);
	ASSERT_EQ(0, efw_set_spec_parse(text, strlen(text), canon, &msg, &off));
	EXPECT_EQ(0, memcmp(canon, "inet t sss", 10));
	EXPECT_EQ(127, strlen(canon));
	memcpy(text, "inet t ", 7);
	memset(text + 7, 's', 121);
	text[128] = '\0';
	EXPECT_EQ(-1, efw_set_spec_parse(text, strlen(text), canon, &msg, &off));
	EXPECT_EQ(7, off);
	for (const char *f = "ip\0ip6\0inet\0bridge\0netdev\0"; *f; f += strlen(f) + 1) {
		snprintf(text, sizeof(text), "%s t s", f);
		EXPECT_EQ(0, efw_set_spec_parse(text, strlen(text), canon, &msg, &off)) TH_LOG("%s", f);
		EXPECT_LT(0, efw_set_family(f, strlen(f)));
	}
	EXPECT_EQ(-1, efw_set_family("arp", 3));
	EXPECT_EQ(-1, efw_set_spec_parse("INET t s", 8, canon, &msg, &off));
	EXPECT_EQ(0, efw_set_spec_parse("inet .t _s Set-2/x", 18, canon, &msg, &off));
	EXPECT_STREQ("inet .t _s Set-2/x", canon);
}

TEST_F(list, unreadable_file)
{
	EXPECT_EQ(-ENOENT, efw_list_parse_file(&self->list, "tests/data/no-such.list"));
	fflush(self->out);
	EXPECT_EQ(1, self->list.errors);
	EXPECT_NE(NULL, strstr(self->diag, "no-such.list: No such file or directory"));
}

TEST_HARNESS_MAIN
