// SPDX-License-Identifier: GPL-2.0
/*
 * egressctl set: change settings with one SET_CONFIG, so that the module
 * checks them all before it applies any.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "commands.h"
#include "netlink.h"
#include "settings_nl.h"

const char cmd_set_help[] =
	"Change egressfw settings of this network namespace; several KEY VALUE\n"
	"pairs are applied together or not at all. Without arguments, print\n"
	"the current settings (as `egressctl config`). Needs CAP_NET_ADMIN.\n"
	"\n"
	"  mode enforce|audit     enforce: deny (drop, and reset the client);\n"
	"                         audit: allow everything, count and report what\n"
	"                         would have been denied\n"
	"  tls-ports PORT,...     TCP ports whose ClientHello is read for the SNI\n"
	"                         (1-65535, at most 16; default 443)\n"
	"  hello-max BYTES        bound on a reassembled ClientHello\n"
	"  hello-timeout MS       time a client has to send its ClientHello\n"
	"  pending-max FLOWS      flows waiting for a ClientHello at once (one\n"
	"                         client address may hold an eighth of them)\n"
	"  strict on|off          on TLS ports, also require that the destination\n"
	"                         address was learned from DNS for a name of the\n"
	"                         rule the SNI matched (default off)\n"
	"  quic list|deny         UDP 443: list (default) allows it to CIDR and\n"
	"                         DNS-learned addresses of rules naming udp/443;\n"
	"                         deny refuses all QUIC (browsers fall back to TCP)\n"
	"  ech outer|deny         ClientHellos with Encrypted Client Hello: outer\n"
	"                         (default) judges them by their outer SNI; deny\n"
	"                         refuses them all. Real ECH and the GREASE ECH\n"
	"                         Chrome always sends look alike: deny breaks Chrome\n"
	"  dns-ttl-min SECONDS    answer TTLs below this are raised (default 30)\n"
	"  dns-ttl-max SECONDS    answer TTLs above this are cut (default 3600)\n"
	"  dns-grace SECONDS      a learned address outlives its TTL (default 60)\n"
	"  dns-max ENTRIES        learned (address, name) entries kept (default\n"
	"                         65536); then the least recently answered goes\n"
	"  dns-servers ADDR,...   DNS (port 53) may only go to these resolvers (at\n"
	"                         most 16; \"any\", the default, lifts the limit),\n"
	"                         so clients cannot feed answers from a server of\n"
	"                         their choosing\n"
	"  egress-interfaces NAME,...\n"
	"                         the interfaces that lead out (a gateway's WAN\n"
	"                         side, at most 8; \"ppp*\" covers ppp0, ppp1, ...):\n"
	"                         only connections leaving by one are judged, DNS\n"
	"                         answers count only coming in by one (\"any\", the\n"
	"                         default: every interface)\n"
	"  local judge|pass       the host's own connections: judged (default) or\n"
	"                         not\n"
	"\n"
	"Settings last until the next `egressctl load` of a configuration file\n"
	"(egressfw.conf(5)), which sets every key it does not name back to its\n"
	"default; to keep one across reboots, write it in\n"
	"/etc/egressfw/egressfw.conf.\n"
	"\n"
	"A malformed value is a usage error (exit 2) before anything is sent;\n"
	"so is a value the module refuses (its reason is printed).\n"
	"\n"
	"Examples:\n"
	"  egressctl set mode audit\n"
	"  egressctl set tls-ports 443,8443 hello-timeout 2000\n"
	"  egressctl set strict on dns-servers 10.0.0.53\n"
	"  egressctl set egress-interfaces eth0,ppp* local pass\n";

int cmd_set(int argc, char **argv)
{
	char *config_argv[] = { "config", NULL };
	char buf[EFW_NL_TX_SIZE] __attribute__((aligned(8)));
	char err[512], why[128];
	struct efw_settings st;
	struct nlmsghdr *nlh;
	struct efw_nl nl;
	int i, ret, e;

	if (argc == 1)
		return cmd_config(1, config_argv);
	if (argc % 2 == 0) {
		fprintf(stderr, "egressctl set: '%s' needs a value\nusage: egressctl set [KEY VALUE]...\n",
			argv[argc - 1]);
		return EXIT_USAGE;
	}
	memset(&st, 0, sizeof(st));
	for (i = 1; i < argc; i += 2) {
		if (efw_settings_parse(&st, argv[i], argv[i + 1], err, sizeof(err))) {
			fprintf(stderr, "egressctl set: %s\n", err);
			return EXIT_USAGE;
		}
	}

	ret = efw_nl_open(&nl);
	if (ret)
		return ret;
	nlh = efw_nl_msg(&nl, buf, EGRESSFW_CMD_SET_CONFIG, 0);
	efw_settings_put(nlh, &st);
	e = efw_nl_request(&nl, nlh, NULL, NULL);
	if (e == -EINVAL || e == -ERANGE) {
		/* The module's bounds: the range of the setting it refused. */
		if (efw_settings_refusal(nlh, nl.ext_offs, why, sizeof(why)))
			snprintf(nl.ext_msg, sizeof(nl.ext_msg), "%s", why);
		efw_nl_fail(&nl, e, "the module refused the setting");
		ret = EXIT_USAGE;
	} else if (e) {
		ret = efw_nl_fail(&nl, e, "cannot change the settings");
	}
	efw_nl_close(&nl);
	return ret;
}
