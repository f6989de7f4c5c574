// SPDX-License-Identifier: GPL-2.0
/*
 * Checks of a DNS parse result for the DNS parser tests (see
 * dns_result.h).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "dns_result.h"

/* Invariants that hold for any input and any status. */
bool sane(const struct efw_dns_result *r, enum efw_dns_status st)
{
	unsigned int i;

	if (st != EFW_DNS_OK)
		return r->n_names == 0 && r->n_addrs == 0;
	if (r->n_names < 1 || r->n_names > EFW_DNS_MAX_NAMES ||
	    r->n_addrs > EFW_DNS_MAX_ADDRS)
		return false;
	for (i = 0; i < r->n_names; i++) {
		const char *n = r->names[i];

		if (r->name_len[i] > EFW_NAME_MAX || n[r->name_len[i]] ||
		    strlen(n) != r->name_len[i])
			return false;
		for (; *n; n++)
			if (*n >= 'A' && *n <= 'Z')
				return false;
	}
	for (i = 0; i < r->n_addrs; i++)
		if (r->addrs[i].family != 4 && r->addrs[i].family != 6)
			return false;
	if (r->n_addrs == 0 && r->min_ttl != 0)
		return false;
	if (r->min_ttl & 0x80000000U)
		return false;
	return true;
}

/* Is the address @a (family @fam) in the comma list @list? */
bool in_list(const char *list, int fam, const u8 *a)
{
	char copy[2048], *save = NULL, *tok;
	u8 want[16];

	snprintf(copy, sizeof(copy), "%s", list);
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (inet_pton(fam == 4 ? AF_INET : AF_INET6, tok, want) == 1 &&
		    !memcmp(want, a, fam == 4 ? 4 : 16))
			return true;
	}
	return false;
}

int count_list(const char *list)
{
	int n = 1;

	if (!strcmp(list, "-"))
		return 0;
	for (; *list; list++)
		n += *list == ',';
	return n;
}
