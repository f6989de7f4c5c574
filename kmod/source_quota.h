/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-client shares of a bounded table (source_quota.c). A table a client
 * can fill (flows waiting for a ClientHello, DNS queries waiting for an
 * answer) must not let one client take every place and have everyone
 * else refused: each source address (an IPv6 one cut to its /64, which
 * one host holds whole) may hold at most a share of it. Under the owning
 * table's lock.
 */
#ifndef EGRESSFW_SOURCE_QUOTA_H
#define EGRESSFW_SOURCE_QUOTA_H

#include <linux/hashtable.h>
#include <linux/types.h>

struct nf_conn;
struct efw_source;

#define EFW_SOURCE_QUOTA_BITS	8

struct efw_source_quota {
	u32 seed;
	DECLARE_HASHTABLE(srcs, EFW_SOURCE_QUOTA_BITS);
};

/* Places one source may take in a table of @size. */
static inline u32 efw_source_share(u32 size)
{
	return max(size / 8, min(size, 64U));
}

void efw_source_quota_init(struct efw_source_quota *q);

/* A source's record, allocated before the lock is taken (GFP_ATOMIC). */
struct efw_source *efw_source_alloc(void);

/*
 * A place for @ct's client, if it holds fewer than @share. The record is
 * found, or *@fresh is used (and set to NULL); the caller frees a
 * *@fresh left over. NULL: the source holds its share.
 */
struct efw_source *efw_source_take(struct efw_source_quota *q,
				   const struct nf_conn *ct, u32 share,
				   struct efw_source **fresh);

/* Give back a place @s took; its record goes with its last place. */
void efw_source_give(struct efw_source *s);

#endif /* EGRESSFW_SOURCE_QUOTA_H */
