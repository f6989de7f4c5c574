/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the DNS parser tests (test_dns_*.c) check a parse result against:
 * the invariants every result keeps, and the comma lists of addresses
 * results are described by, as in tests/data/dns/MANIFEST ("-" for none).
 */
#ifndef EGRESSFW_TEST_DNS_RESULT_H
#define EGRESSFW_TEST_DNS_RESULT_H

#include "dns_answer.h"

bool sane(const struct efw_dns_result *r, enum efw_dns_status st);
bool in_list(const char *list, int fam, const u8 *a);
int count_list(const char *list);

#endif /* EGRESSFW_TEST_DNS_RESULT_H */
