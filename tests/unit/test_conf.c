// SPDX-License-Identifier: GPL-2.0
/*
 * The configuration file (tools/egressctl/conffile.c, egressfw.conf(5)):
 * what it accepts, where it points at an error, and that `egressctl
 * config`'s output is a file that parses back to the same settings.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "conffile.h"

/* Parse @text; the diagnostics, if any, in @diag (a buffer of @size). */
static unsigned int parse(struct efw_conf *conf, const char *text, char *diag,
			  size_t size)
{
	FILE *f = fmemopen(diag, size, "w");
	unsigned int errors;

	memset(diag, 0, size);
	errors = efw_conf_parse_buffer(conf, "t.conf", text, strlen(text), f);
	fclose(f);
	return errors;
}

#define V(conf, attr) ((conf)->settings.v[EGRESSFW_CFG_A_##attr])

TEST(empty_is_every_default)
{
	struct efw_conf conf;
	char diag[512];

	ASSERT_EQ(0, parse(&conf, "# nothing\n\n   \n", diag, sizeof(diag)));
	EXPECT_EQ(EGRESSFW_MODE_ENFORCE, V(&conf, MODE));
	EXPECT_EQ(17408, V(&conf, HELLO_MAX));
	EXPECT_EQ(1, conf.settings.n_tls_ports);
	EXPECT_EQ(443, conf.settings.tls_ports[0]);
	EXPECT_EQ(0, conf.settings.n_servers);
	EXPECT_EQ(0, conf.settings.n_ifaces);
	EXPECT_EQ(EFW_FALLBACK_DENY, conf.fallback);
	/* Every setting is sent: the file is the whole configuration. */
	EXPECT_TRUE(conf.settings.has[EGRESSFW_CFG_A_DNS_SERVERS]);
	EXPECT_TRUE(conf.settings.has[EGRESSFW_CFG_A_LOCAL]);
}

TEST(values_and_blanks)
{
	struct efw_conf conf;
	char diag[512];

	ASSERT_EQ(0, parse(&conf,
			   "mode=audit\n"
			   "  hello-max   =   4096  \r\n"
			   "\tegress-interfaces = eth0,ppp*\n"
			   "local = pass\n"
			   "tls-ports = none\n"
			   "dns-servers = 10.0.0.53,fd00::53\n"
			   "boot-fallback = pass", diag, sizeof(diag))) {
		TH_LOG("%s", diag);
	}
	EXPECT_EQ(EGRESSFW_MODE_AUDIT, V(&conf, MODE));
	EXPECT_EQ(4096, V(&conf, HELLO_MAX));
	ASSERT_EQ(2, conf.settings.n_ifaces);
	EXPECT_STREQ("eth0", conf.settings.ifaces[0].name);
	EXPECT_STREQ("ppp*", conf.settings.ifaces[1].name);
	EXPECT_EQ(EGRESSFW_LOCAL_PASS, V(&conf, LOCAL));
	EXPECT_EQ(0, conf.settings.n_tls_ports);
	EXPECT_EQ(2, conf.settings.n_servers);
	EXPECT_EQ(EFW_FALLBACK_PASS, conf.fallback);
}

#define REFUSE(text, where, what) do {					\
	struct efw_conf c_;						\
	char d_[1024];							\
	EXPECT_NE(0, parse(&c_, text, d_, sizeof(d_)));			\
	EXPECT_NE(NULL, strstr(d_, "t.conf:" where ": " what)) {	\
		TH_LOG("'%s' said: %s", text, d_);			\
	}								\
} while (0)

TEST(errors_point_at_the_place)
{
	REFUSE("mode audit\n", "1:1", "expected KEY = VALUE");
	REFUSE("= audit\n", "1:1", "expected KEY = VALUE");
	REFUSE("\n  mode =\n", "2:9", "'mode' has no value");
	REFUSE("mode = maybe\n", "1:8", "invalid mode 'maybe'");
	REFUSE("nosuch = 1\n", "1:1", "unknown key 'nosuch'");
	REFUSE("mode = audit\nmode = audit\n", "2:1", "'mode' given twice");
	REFUSE("hello-max = 100\n", "1:13", "hello-max 100 is out of range (512 to 65536 bytes)");
	REFUSE("hello-max = 99999999999\n", "1:13", "invalid hello-max");
	REFUSE("egress-interfaces = a*b\n", "1:21", "invalid egress-interfaces name 'a*b'");
	REFUSE("egress-interfaces = 0123456789abcdef\n", "1:21", "invalid egress-interfaces name");
	REFUSE("egress-interfaces = a,b,c,d,e,f,g,h,i\n", "1:21", "at most 8 egress-interfaces");
	REFUSE("dns-ttl-min = 100\ndns-ttl-max = 50\n", "1:1", "dns-ttl-min is above dns-ttl-max");
	REFUSE("boot-fallback = open\n", "1:17", "invalid boot-fallback 'open'");
	REFUSE("mode = audit # enforce later\n", "1:8", "invalid mode");
}

TEST(a_nul_byte_is_an_error)
{
	static const char text[] = "mode = audit\n\0\n";
	struct efw_conf conf;

	EXPECT_EQ(1, efw_conf_parse_buffer(&conf, "t.conf", text, sizeof(text) - 1, NULL));
}

/* What `egressctl config` prints parses back to the same settings. */
TEST(config_output_round_trips)
{
	struct efw_conf a, b;
	char diag[512], *out = NULL;
	size_t len = 0;
	FILE *f;

	ASSERT_EQ(0, parse(&a,
			   "mode = audit\nstrict = on\nquic = deny\ndns-max = 100\n"
			   "dns-servers = 10.0.0.53\negress-interfaces = wan0,ppp*\n"
			   "local = pass\ntls-ports = 443,8443\n", diag, sizeof(diag)));
	f = open_memstream(&out, &len);
	ASSERT_NE(NULL, f);
	efw_settings_print(f, &a.settings, false);
	fclose(f);
	ASSERT_EQ(0, efw_conf_parse_buffer(&b, "out.conf", out, len, NULL)) {
		TH_LOG("%s", out);
	}
	EXPECT_EQ(0, memcmp(a.settings.v, b.settings.v, sizeof(a.settings.v)));
	EXPECT_EQ(a.settings.n_tls_ports, b.settings.n_tls_ports);
	EXPECT_EQ(0, memcmp(a.settings.tls_ports, b.settings.tls_ports,
			    sizeof(a.settings.tls_ports)));
	EXPECT_EQ(0, memcmp(a.settings.servers, b.settings.servers, sizeof(a.settings.servers)));
	EXPECT_EQ(0, memcmp(a.settings.ifaces, b.settings.ifaces, sizeof(a.settings.ifaces)));
	free(out);
}

TEST_HARNESS_MAIN
