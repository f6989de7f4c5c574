// SPDX-License-Identifier: GPL-2.0
/*
 * Reassembly of ClientHellos (see flow.h).
 *
 * Segments are taken in order only. A segment that starts beyond the
 * bytes buffered so far is dropped (the client resends it once the gap is
 * filled), so the parser never sees a hole; a segment that repeats bytes
 * already buffered must repeat them exactly, or the flow is denied: a
 * server that missed the first copy would read the second, and the two
 * must not tell different stories.
 *
 * Only the first data packets of TLS flows come here, so one spinlock
 * per namespace is enough; decided flows never take it.
 */
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <linux/hashtable.h>
#include <linux/jiffies.h>
#include <linux/hash.h>
#include <linux/skbuff.h>
#include <net/netfilter/nf_conntrack.h>

#include "flow.h"

#define EFW_PENDING_HASH_BITS	10
/* First buffer: a whole typical ClientHello, Chrome's 2 KB one included. */
#define EFW_PENDING_FIRST_BUF	2048
#define EFW_SWEEP_INTERVAL	HZ

struct efw_pending {
	struct hlist_node hnode;
	struct list_head lru;		/* oldest first: sweep order */
	struct nf_conn *ct;		/* referenced */
	unsigned long deadline;		/* jiffies */
	u32 data_seq;			/* seq of buffer byte 0 */
	u32 len, cap;
	u8 *buf;
};

struct efw_pending_table {
	spinlock_t lock;
	u32 count;
	struct list_head lru;
	struct delayed_work sweep;
	DECLARE_HASHTABLE(hash, EFW_PENDING_HASH_BITS);
};

static struct efw_pending *find(struct efw_pending_table *t,
				const struct nf_conn *ct)
{
	struct efw_pending *p;

	hash_for_each_possible(t->hash, p, hnode, hash_ptr(ct, 32))
		if (p->ct == ct)
			return p;
	return NULL;
}

/* Unlink under the lock; the caller frees outside it when it can. */
static void unlink_entry(struct efw_pending_table *t, struct efw_pending *p)
{
	hash_del(&p->hnode);
	list_del(&p->lru);
	t->count--;
}

static void free_entry(struct efw_pending *p)
{
	nf_ct_put(p->ct);
	kfree(p->buf);
	kfree(p);
}

int efw_pending_start(struct efw_net *en, struct nf_conn *ct, u32 data_seq)
{
	struct efw_pending_table *t = en->pending;
	struct efw_pending *p, *old;
	u32 timeout_ms = READ_ONCE(en->cfg.hello_timeout_ms);

	p = kzalloc(sizeof(*p), GFP_ATOMIC);
	if (!p)
		return -ENOMEM;
	p->ct = ct;
	p->data_seq = data_seq;
	p->deadline = jiffies + msecs_to_jiffies(timeout_ms);

	spin_lock_bh(&t->lock);
	/* A resent SYN: keep the first entry. */
	old = find(t, ct);
	if (old) {
		spin_unlock_bh(&t->lock);
		kfree(p);
		return 0;
	}
	if (t->count >= READ_ONCE(en->cfg.pending_max)) {
		spin_unlock_bh(&t->lock);
		kfree(p);
		return -ENOSPC;
	}
	nf_conntrack_get(&ct->ct_general);
	hash_add(t->hash, &p->hnode, hash_ptr(ct, 32));
	list_add_tail(&p->lru, &t->lru);
	t->count++;
	if (t->count == 1)
		mod_delayed_work(system_dfl_wq, &t->sweep, EFW_SWEEP_INTERVAL);
	spin_unlock_bh(&t->lock);
	return 0;
}

/* Make room for @need bytes, within @bound. */
static int grow(struct efw_pending *p, u32 need, u32 bound)
{
	u32 cap = p->cap ? p->cap : EFW_PENDING_FIRST_BUF;
	u8 *buf;

	if (need <= p->cap)
		return 0;
	while (cap < need)
		cap *= 2;
	if (cap > bound)
		cap = bound;
	buf = krealloc(p->buf, cap, GFP_ATOMIC);
	if (!buf)
		return -ENOMEM;
	p->buf = buf;
	p->cap = cap;
	return 0;
}

/* Do the @n bytes at @off in @skb equal buf[at, at + n)? */
static bool same_bytes(const struct sk_buff *skb, unsigned int off,
		       const u8 *buf, u32 n)
{
	u8 chunk[64];
	u32 k;

	while (n) {
		k = n < sizeof(chunk) ? n : sizeof(chunk);
		if (skb_copy_bits(skb, off, chunk, k) || memcmp(chunk, buf, k))
			return false;
		off += k;
		buf += k;
		n -= k;
	}
	return true;
}

enum efw_feed efw_pending_feed(struct efw_net *en, struct nf_conn *ct,
			       const struct sk_buff *skb, unsigned int off,
			       u32 seq, u32 len,
			       enum efw_tls_status *status,
			       struct efw_tls_hello *hello)
{
	struct efw_pending_table *t = en->pending;
	u32 bound = READ_ONCE(en->cfg.hello_max);
	enum efw_feed ret;
	struct efw_pending *p;
	u32 rel, overlap, fresh;

	spin_lock_bh(&t->lock);
	p = find(t, ct);
	if (!p) {
		ret = EFW_FEED_GONE;
		goto unlock;
	}
	if (time_after(jiffies, p->deadline)) {
		ret = EFW_FEED_TIMEOUT;
		goto drop_entry;
	}
	/* Sequence space wraps: compare by signed distance. */
	rel = seq - p->data_seq;
	if ((s32)rel < 0) {
		/* Starts before byte 0: only a resent SYN-less byte; ignore. */
		ret = EFW_FEED_MORE;
		goto unlock;
	}
	if (rel > p->len) {
		ret = EFW_FEED_HOLD;
		goto unlock;
	}
	overlap = min(len, p->len - rel);
	if (overlap && !same_bytes(skb, off, p->buf + rel, overlap)) {
		ret = EFW_FEED_CONFLICT;
		goto drop_entry;
	}
	fresh = len - overlap;
	if (!fresh) {
		ret = EFW_FEED_MORE;	/* a pure retransmission */
		goto unlock;
	}
	if (p->len + fresh > bound) {
		ret = EFW_FEED_TIMEOUT;
		goto drop_entry;
	}
	if (grow(p, p->len + fresh, bound)) {
		ret = EFW_FEED_NOMEM;
		goto drop_entry;
	}
	if (skb_copy_bits(skb, off + overlap, p->buf + p->len, fresh)) {
		ret = EFW_FEED_CONFLICT;
		goto drop_entry;
	}
	p->len += fresh;

	*status = efw_tls_parse_hello(p->buf, p->len, hello);
	if (*status == EFW_TLS_NEED_MORE && hello->need <= bound) {
		ret = EFW_FEED_MORE;
		goto unlock;
	}
	if (*status == EFW_TLS_NEED_MORE) {
		ret = EFW_FEED_TIMEOUT;	/* the hello cannot fit the bound */
		goto drop_entry;
	}
	ret = EFW_FEED_DONE;
drop_entry:
	unlink_entry(t, p);
	spin_unlock_bh(&t->lock);
	free_entry(p);
	return ret;
unlock:
	spin_unlock_bh(&t->lock);
	return ret;
}

void efw_pending_forget(struct efw_net *en, struct nf_conn *ct)
{
	struct efw_pending_table *t = en->pending;
	struct efw_pending *p;

	spin_lock_bh(&t->lock);
	p = find(t, ct);
	if (p)
		unlink_entry(t, p);
	spin_unlock_bh(&t->lock);
	if (p)
		free_entry(p);
}

/* Free entries past their deadline; their flows are denied if they speak. */
static void sweep(struct work_struct *work)
{
	struct efw_pending_table *t =
		container_of(to_delayed_work(work), struct efw_pending_table, sweep);
	struct efw_pending *p, *tmp;
	LIST_HEAD(dead);

	spin_lock_bh(&t->lock);
	list_for_each_entry_safe(p, tmp, &t->lru, lru) {
		if (!time_after(jiffies, p->deadline))
			continue;
		unlink_entry(t, p);
		list_add(&p->lru, &dead);
	}
	if (t->count)
		mod_delayed_work(system_dfl_wq, &t->sweep, EFW_SWEEP_INTERVAL);
	spin_unlock_bh(&t->lock);

	list_for_each_entry_safe(p, tmp, &dead, lru)
		free_entry(p);
}

u32 efw_pending_count(const struct efw_net *en)
{
	return READ_ONCE(en->pending->count);
}

void efw_pending_flush(struct efw_net *en)
{
	struct efw_pending_table *t = en->pending;
	struct efw_pending *p, *tmp;
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

int efw_pending_init(struct efw_net *en)
{
	struct efw_pending_table *t;

	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	spin_lock_init(&t->lock);
	INIT_LIST_HEAD(&t->lru);
	hash_init(t->hash);
	INIT_DELAYED_WORK(&t->sweep, sweep);
	en->pending = t;
	return 0;
}

/* Hooks are gone when this runs: nothing adds entries any more. */
void efw_pending_exit(struct efw_net *en)
{
	struct efw_pending_table *t = en->pending;

	if (!t)
		return;
	cancel_delayed_work_sync(&t->sweep);
	efw_pending_flush(en);
	kfree(t);
	en->pending = NULL;
}
