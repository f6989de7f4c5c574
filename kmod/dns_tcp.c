// SPDX-License-Identifier: GPL-2.0
/*
 * Message boundaries of DNS-over-TCP flows (see dns_tcp.h).
 *
 * Only the resolver's side is tracked: the position of its next message,
 * from its SYN-ACK on. Nothing is reassembled. A message whose bytes span
 * segments is skipped (its length says where the next one starts), so it
 * teaches nothing, and so are the messages of a segment that overtook the
 * one before it; a length field split across segments loses the
 * position, and the flow teaches nothing more.
 * Both fail the safe way: an address not learned is an address denied.
 *
 * Like pending.c's table, one spinlock per namespace: only replies of
 * TCP flows to port 53 come here, a few segments each.
 */
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <linux/hashtable.h>
#include <linux/jiffies.h>
#include <linux/hash.h>
#include <linux/skbuff.h>
#include <net/netfilter/nf_conntrack.h>

#include "dns_tcp.h"

#define EFW_DNS_TCP_HASH_BITS	6

struct efw_dns_tcp {
	struct hlist_node hnode;
	struct list_head lru;		/* oldest first */
	struct nf_conn *ct;		/* referenced */
	unsigned long deadline;
	u32 first;			/* the resolver's first data byte */
	u32 next;			/* where its next message starts */
	bool lost;			/* position unknown: read nothing */
};

struct efw_dns_tcp_table {
	spinlock_t lock;
	u32 count;
	struct list_head lru;
	struct delayed_work sweep;
	DECLARE_HASHTABLE(hash, EFW_DNS_TCP_HASH_BITS);
};

static struct efw_dns_tcp *find(struct efw_dns_tcp_table *t,
				const struct nf_conn *ct)
{
	struct efw_dns_tcp *p;

	hash_for_each_possible(t->hash, p, hnode, hash_ptr(ct, 32))
		if (p->ct == ct)
			return p;
	return NULL;
}

static void unlink_entry(struct efw_dns_tcp_table *t, struct efw_dns_tcp *p)
{
	hash_del(&p->hnode);
	list_del(&p->lru);
	t->count--;
}

static void free_entry(struct efw_dns_tcp *p)
{
	nf_ct_put(p->ct);
	kfree(p);
}

void efw_dns_tcp_start(struct efw_net *en, struct nf_conn *ct, u32 seq)
{
	struct efw_dns_tcp_table *t = en->dns_tcp;
	struct efw_dns_tcp *p, *old;

	p = kzalloc(sizeof(*p), GFP_ATOMIC);
	if (!p)
		return;
	p->ct = ct;
	p->first = p->next = seq + 1;
	p->deadline = jiffies + EFW_DNS_TCP_LIFETIME;

	spin_lock_bh(&t->lock);
	old = find(t, ct);
	if (old) {
		/* A resent SYN-ACK; one that disagrees loses the position. */
		if (old->first != p->first)
			old->lost = true;
		goto out;
	}
	if (t->count >= EFW_DNS_TCP_MAX)
		goto out;
	nf_conntrack_get(&ct->ct_general);
	hash_add(t->hash, &p->hnode, hash_ptr(ct, 32));
	list_add_tail(&p->lru, &t->lru);
	if (!t->count++)
		mod_delayed_work(system_dfl_wq, &t->sweep, HZ);
	p = NULL;
out:
	spin_unlock_bh(&t->lock);
	kfree(p);
}

void efw_dns_tcp_end(struct efw_net *en, const struct nf_conn *ct)
{
	struct efw_dns_tcp_table *t = en->dns_tcp;
	struct efw_dns_tcp *p;

	spin_lock_bh(&t->lock);
	p = find(t, ct);
	if (p)
		unlink_entry(t, p);
	spin_unlock_bh(&t->lock);
	if (p)
		free_entry(p);
}

bool efw_dns_tcp_next(struct efw_net *en, const struct nf_conn *ct,
		      const struct sk_buff *skb, unsigned int off, u32 seq,
		      u32 len, u32 *at, u32 *mlen)
{
	struct efw_dns_tcp_table *t = en->dns_tcp;
	struct efw_dns_tcp *p;
	bool ret = false;
	__be16 _n;
	const __be16 *n;
	u32 rel;

	spin_lock_bh(&t->lock);
	p = find(t, ct);
	if (!p || p->lost || time_after(jiffies, p->deadline))
		goto unlock;
	/*
	 * Sequence space wraps: an unsigned distance at or past the end
	 * means the boundary is not in this segment: it lies further on (the
	 * middle of a long message), or before it (a resend of what was
	 * read; or a segment that overtook the one holding the boundary,
	 * whose messages go unread). The position stays exact either way.
	 */
	rel = p->next - seq;
	if (rel >= len)
		goto unlock;
	if (len - rel < sizeof(_n)) {
		p->lost = true;		/* the length field is split */
		goto unlock;
	}
	n = skb_header_pointer(skb, off + rel, sizeof(_n), &_n);
	if (!n) {
		p->lost = true;
		goto unlock;
	}
	*at = rel + sizeof(_n);
	*mlen = ntohs(*n);
	p->next = seq + rel + sizeof(_n) + *mlen;
	ret = true;
unlock:
	spin_unlock_bh(&t->lock);
	return ret;
}

static void dns_tcp_sweep(struct work_struct *work)
{
	struct efw_dns_tcp_table *t =
		container_of(to_delayed_work(work), struct efw_dns_tcp_table, sweep);
	struct efw_dns_tcp *p, *tmp;
	LIST_HEAD(dead);

	spin_lock_bh(&t->lock);
	/* Oldest first, one lifetime for all: stop at the first live one. */
	list_for_each_entry_safe(p, tmp, &t->lru, lru) {
		if (!time_after(jiffies, p->deadline))
			break;
		unlink_entry(t, p);
		list_add(&p->lru, &dead);
	}
	if (t->count)
		mod_delayed_work(system_dfl_wq, &t->sweep, HZ);
	spin_unlock_bh(&t->lock);

	list_for_each_entry_safe(p, tmp, &dead, lru)
		free_entry(p);
}

void efw_dns_tcp_flush(struct efw_net *en)
{
	struct efw_dns_tcp_table *t = en->dns_tcp;
	struct efw_dns_tcp *p, *tmp;
	LIST_HEAD(dead);

	spin_lock_bh(&t->lock);
	list_for_each_entry_safe(p, tmp, &t->lru, lru) {
		unlink_entry(t, p);
		list_add(&p->lru, &dead);
	}
	spin_unlock_bh(&t->lock);
	list_for_each_entry_safe(p, tmp, &dead, lru)
		free_entry(p);
}

int efw_dns_tcp_init(struct efw_net *en)
{
	struct efw_dns_tcp_table *t;

	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	spin_lock_init(&t->lock);
	INIT_LIST_HEAD(&t->lru);
	hash_init(t->hash);
	INIT_DELAYED_WORK(&t->sweep, dns_tcp_sweep);
	en->dns_tcp = t;
	return 0;
}

/* Hooks are gone when this runs: nothing adds entries any more. */
void efw_dns_tcp_exit(struct efw_net *en)
{
	struct efw_dns_tcp_table *t = en->dns_tcp;

	if (!t)
		return;
	cancel_delayed_work_sync(&t->sweep);
	efw_dns_tcp_flush(en);
	kfree(t);
	en->dns_tcp = NULL;
}
