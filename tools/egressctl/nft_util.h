/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small helpers shared by the files of `egressctl nft-sync` (nftset.c,
 * nft_memo.c, nft_write.c): allocation that cannot fail, and the
 * monotonic clock its expiries and retries are counted in.
 */
#ifndef EGRESSCTL_NFT_UTIL_H
#define EGRESSCTL_NFT_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "commands.h"

static inline time_t now_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

/* Out of memory: nothing sensible to go on with, as list.c decides too. */
static inline void *need(void *p)
{
	if (!p) {
		fprintf(stderr, "egressctl: out of memory\n");
		exit(EXIT_SYSTEM);
	}
	return p;
}

static inline void *xcalloc(size_t n, size_t size)
{
	return need(calloc(n, size));
}

static inline void *xrealloc(void *p, size_t n)
{
	return need(realloc(p, n));
}

static inline char *xstrndup(const char *s, size_t n)
{
	return need(strndup(s, n));
}

#endif /* EGRESSCTL_NFT_UTIL_H */
