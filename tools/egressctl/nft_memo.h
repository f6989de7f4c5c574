/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What `egressctl nft-sync` wrote (nft_memo.c): for each (set, address),
 * the monotonic second until which the set was last told to hold it. A
 * set is named by @target, its index in nftset.c's table of sets.
 *
 * An address learned for two names carries two expiries; the set must
 * hold it for the later one. So what was written is remembered, and a
 * write that would shorten an element is not made.
 */
#ifndef EGRESSCTL_NFT_MEMO_H
#define EGRESSCTL_NFT_MEMO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct efw_memo_node;

/* A hash table, grown as it fills; all zeroes is an empty one. */
struct efw_memo {
	struct efw_memo_node **b;
	size_t nb, n;
};

/*
 * Should (@target, @addr) be written to last until @until? Yes unless it
 * was written to last as long already; noted as written if so.
 */
bool efw_memo_update(struct efw_memo *m, uint32_t target, uint8_t alen,
		     const uint8_t *addr, time_t until, time_t now);

/* Drop what has expired, and every node of @target if it is not -1. */
void efw_memo_sweep(struct efw_memo *m, int64_t target, time_t now);

void efw_memo_free(struct efw_memo *m);

#endif /* EGRESSCTL_NFT_MEMO_H */
