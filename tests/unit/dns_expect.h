/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The check of a parse result's chain and addresses that the capture and
 * the built-message DNS tests share. It is made of the harness's EXPECT_*
 * macros, so it is a static inline here rather than in a helper .c: the
 * kselftest harness defines objects of its own and can be in only one
 * file of a test binary, its test file.
 */
#ifndef EGRESSFW_TEST_DNS_EXPECT_H
#define EGRESSFW_TEST_DNS_EXPECT_H

#include <string.h>

#include "kselftest_harness.h"
#include "dns_result.h"

/*
 * The names of @r, joined by commas, must be @chain; its addresses must
 * be in the comma list @addrs, each once.
 */
static inline void
expect_chain_addrs(struct __test_metadata *_metadata, const char *what,
		   const struct efw_dns_result *r, const char *chain,
		   const char *addrs)
{
	char got[EFW_DNS_MAX_NAMES * (EFW_NAME_MAX + 1) + 1] = "";
	unsigned int k, j;

	for (k = 0; k < r->n_names; k++) {
		if (k)
			strcat(got, ",");
		strcat(got, r->names[k]);
	}
	EXPECT_STREQ(chain, got) TH_LOG("%s", what);
	for (k = 0; k < r->n_addrs; k++) {
		EXPECT_TRUE(in_list(addrs, r->addrs[k].family, r->addrs[k].addr))
			TH_LOG("%s: address %u unexpected", what, k);
		for (j = 0; j < k; j++) {
			EXPECT_FALSE(r->addrs[j].family == r->addrs[k].family &&
				     !memcmp(r->addrs[j].addr, r->addrs[k].addr, 16))
				TH_LOG("%s: duplicate address", what);
		}
	}
}

#endif /* EGRESSFW_TEST_DNS_EXPECT_H */
