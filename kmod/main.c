// SPDX-License-Identifier: GPL-2.0
/*
 * egressfw: an egress allowlist firewall by TLS SNI and DNS-learned
 * addresses. Module init and exit only; doc/design.md maps the files.
 */
#include <linux/module.h>
#include <net/genetlink.h>
#include <uapi/linux/egressfw.h>

#include "netns.h"
#include "netlink.h"
#include "dns_snoop.h"
#include "timing.h"
#include "version.h"

static int __init efw_init(void)
{
	int ret;

	ret = efw_dns_snoop_init();
	if (ret)
		goto out;
	ret = efw_netns_init();
	if (ret)
		goto snoop_exit;
	ret = efw_genl_init();
	if (ret)
		goto netns_exit;
	efw_timing_init();
	pr_info("version " EGRESSFW_MODULE_VERSION " loaded\n");
	return 0;

netns_exit:
	efw_netns_exit();
snoop_exit:
	efw_dns_snoop_exit();
out:
	return ret;
}

static void __exit efw_exit(void)
{
	efw_timing_exit();
	efw_genl_exit();
	efw_netns_exit();
	efw_dns_snoop_exit();
}

module_init(efw_init);
module_exit(efw_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Egress allowlist firewall by TLS SNI and DNS-learned addresses");
MODULE_VERSION(EGRESSFW_MODULE_VERSION);
MODULE_ALIAS_GENL_FAMILY(EGRESSFW_GENL_NAME);
