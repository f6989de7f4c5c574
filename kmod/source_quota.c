// SPDX-License-Identifier: GPL-2.0
/*
 * Per-client shares of a bounded table (source_quota.h): one record per
 * source address holding places, in a hash keyed with a per-table random
 * seed, so that a client cannot pick addresses that pile into one bucket.
 */
#include <linux/jhash.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <net/netfilter/nf_conntrack.h>

#include "source_quota.h"

struct efw_source {
	struct hlist_node hnode;
	union nf_inet_addr addr;
	u32 count;
};

/* @ct's client address, an IPv6 one cut to its /64. */
static void source_of(const struct nf_conn *ct, union nf_inet_addr *a)
{
	const union nf_inet_addr *s = &ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple.src.u3;

	memset(a, 0, sizeof(*a));
	if (nf_ct_l3num(ct) == NFPROTO_IPV6) {
		a->ip6[0] = s->ip6[0];
		a->ip6[1] = s->ip6[1];
	} else {
		a->ip = s->ip;
	}
}

void efw_source_quota_init(struct efw_source_quota *q)
{
	hash_init(q->srcs);
	q->seed = get_random_u32();
}

struct efw_source *efw_source_alloc(void)
{
	return kzalloc(sizeof(struct efw_source), GFP_ATOMIC);
}

struct efw_source *efw_source_take(struct efw_source_quota *q,
				   const struct nf_conn *ct, u32 share,
				   struct efw_source **fresh)
{
	union nf_inet_addr a;
	struct efw_source *s;
	u32 h;

	source_of(ct, &a);
	h = jhash(&a, sizeof(a), q->seed);
	hash_for_each_possible(q->srcs, s, hnode, h)
		if (!memcmp(&s->addr, &a, sizeof(a)))
			goto found;
	if (!*fresh)
		return NULL;
	s = *fresh;
	*fresh = NULL;
	s->addr = a;
	s->count = 0;
	hash_add(q->srcs, &s->hnode, h);
found:
	if (s->count >= share)
		return NULL;
	s->count++;
	return s;
}

void efw_source_give(struct efw_source *s)
{
	if (--s->count)
		return;
	hash_del(&s->hnode);
	kfree(s);
}
