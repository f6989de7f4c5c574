// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the DNS answer parser: the input as a UDP payload
 * and as a TCP stream. Invariants: no crash or sanitizer report; counts
 * within bounds; names NUL-terminated, of the recorded length, lower
 * case, distinct; address families 4 or 6; TTL rules; the TCP parser
 * agrees with the UDP parser on the framed message.
 */
// seeds: tests/data/dns
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dns_answer.h"

static void check(const struct efw_dns_result *r, enum efw_dns_status st)
{
	unsigned int i, k;

	if (st > EFW_DNS_NEED_MORE)
		abort();
	if (st != EFW_DNS_OK) {
		if (r->n_names || r->n_addrs)
			abort();
		return;
	}
	if (r->n_names < 1 || r->n_names > EFW_DNS_MAX_NAMES ||
	    r->n_addrs > EFW_DNS_MAX_ADDRS)
		abort();
	if (r->addrs_dropped && r->n_addrs != EFW_DNS_MAX_ADDRS)
		abort();
	if ((r->flags & (EFW_DNS_F_CHAIN_CUT | EFW_DNS_F_CHAIN_LOOP)) &&
	    r->n_addrs)
		abort();
	if ((r->flags & EFW_DNS_F_CHAIN_CUT) &&
	    r->n_names != EFW_DNS_MAX_NAMES)
		abort();
	if (r->n_addrs == 0 && r->min_ttl)
		abort();
	if (r->min_ttl & 0x80000000U)
		abort();
	for (i = 0; i < r->n_names; i++) {
		const char *n = r->names[i];

		if (r->name_len[i] > EFW_NAME_MAX || n[r->name_len[i]] ||
		    strlen(n) != r->name_len[i])
			abort();
		for (k = 0; k < r->name_len[i]; k++)
			if ((n[k] >= 'A' && n[k] <= 'Z') ||
			    (n[k] == '.' && (k == 0 || n[k - 1] == '.' ||
					     k + 1 == r->name_len[i])))
				abort();
		/* a chain never repeats a name */
		for (k = 0; k < i; k++)
			if (r->name_len[k] == r->name_len[i] &&
			    !memcmp(r->names[k], n, r->name_len[i]))
				abort();
	}
	for (i = 0; i < r->n_addrs; i++) {
		if (r->addrs[i].family != 4 && r->addrs[i].family != 6)
			abort();
		if (r->addrs[i].family == 4) {
			static const u8 zero[12];

			if (memcmp(r->addrs[i].addr + 4, zero, 12))
				abort();
		}
		for (k = 0; k < i; k++)
			if (r->addrs[k].family == r->addrs[i].family &&
			    !memcmp(r->addrs[k].addr, r->addrs[i].addr, 16))
				abort();
	}
}

/*
 * The same bytes as a query: never both a query and an answer, and a
 * query's name is what an answer's question would be.
 */
static void check_query(const u8 *msg, size_t size, enum efw_dns_status as_answer)
{
	static struct efw_dns_query q;

	if (efw_dns_parse_query(msg, size, &q) != EFW_DNS_OK)
		return;
	if (as_answer == EFW_DNS_OK || q.name_len != strlen(q.name) ||
	    q.name_len > EFW_NAME_MAX)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct efw_dns_result udp, tcp;
	enum efw_dns_status su, st;
	size_t need = 0, mlen;
	u8 *copy;

	/* An exact-size copy, so that any overread hits ASan's redzone. */
	copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);

	su = efw_dns_parse(copy, size, &udp);
	if (su == EFW_DNS_NEED_MORE)
		abort();
	check(&udp, su);
	check_query(copy, size, su);

	st = efw_dns_parse_tcp(copy, size, &tcp, &need);
	check(&tcp, st);
	if (size < 2) {
		if (st != EFW_DNS_NEED_MORE || need != 2)
			abort();
		goto out;
	}
	mlen = efw_get_be16(copy);
	if (need != mlen + 2)
		abort();
	if (mlen < 12) {
		if (st != EFW_DNS_MALFORMED)
			abort();
	} else if (size < need) {
		if (st != EFW_DNS_NEED_MORE)
			abort();
	} else {
		/* Same message, same answer. */
		su = efw_dns_parse(copy + 2, mlen, &udp);
		if (su != st || udp.n_names != tcp.n_names ||
		    udp.n_addrs != tcp.n_addrs || udp.min_ttl != tcp.min_ttl ||
		    udp.flags != tcp.flags ||
		    memcmp(udp.addrs, tcp.addrs,
			   udp.n_addrs * sizeof(udp.addrs[0])))
			abort();
	}
out:
	free(copy);
	return 0;
}
