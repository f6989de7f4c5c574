// SPDX-License-Identifier: GPL-2.0
/*
 * Reassembly of ClientHellos (see pending.h).
 *
 * Segments are taken in order only. A segment that starts beyond the
 * bytes buffered so far is dropped (the client resends it once the gap is
 * filled), so the parser never sees a hole; a segment that repeats bytes
 * already buffered must repeat them exactly, or the flow is denied: a
 * server that missed the first copy would read the second, and the two
 * must not tell different stories.
 *
 * Byte 0 is the one the server expects first: the acknowledgement number
 * of its SYN-ACK, not the client's SYN plus one. A client may send a SYN
 * the server never sees (its TTL runs out one hop past the gateway), then
 * another with a lower sequence number; counting from the first SYN would
 * judge bytes the server reads as the middle of the stream. Until the
 * SYN-ACK is seen only a SYN's own data (Fast Open) is taken.
 *
 * The verdict does not end the entry. The segment that completed the
 * hello may never reach the server (a TTL that runs out past the
 * gateway, a stale timestamp the server drops), and the client could then
 * send other bytes in its place. So an allowed flow keeps its buffer
 * until the server acknowledges its last byte, and every segment that
 * overlaps it until then must repeat it exactly. See pending.h for the
 * states.
 *
 * Only the first data packets of TLS flows come here, so one spinlock
 * per namespace is enough; decided flows never take it.
 *
 * An entry costs no buffer until the client's first data, but it does
 * take a place in the table: so that one client (one address, one IPv6
 * /64) sending SYNs to an address that never answers cannot take every
 * place and have everyone else's connections refused, each source may
 * hold at most an eighth of the table (pending_per_source()).
 */
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <linux/hashtable.h>
#include <linux/jiffies.h>
#include <linux/hash.h>
#include <linux/skbuff.h>
#include <linux/jhash.h>
#include <linux/random.h>
#include <net/netfilter/nf_conntrack.h>

#include "pending.h"
#include "config.h"
#include "budget.h"
#include "stats.h"

#define EFW_PENDING_HASH_BITS	10
#define EFW_PENDING_SRC_BITS	8
/* First buffer: a whole typical ClientHello, Chrome's 2 KB one included. */
#define EFW_PENDING_FIRST_BUF	2048
#define EFW_SWEEP_INTERVAL	HZ

/* A client address (IPv6: its /64) with flows in the table. */
struct efw_pending_src {
	struct hlist_node hnode;
	union nf_inet_addr addr;
	u32 count;
};

struct efw_pending {
	struct hlist_node hnode;
	struct efw_pending_src *src;
	struct list_head lru;		/* earliest deadline first */
	struct nf_conn *ct;		/* referenced */
	unsigned long deadline;		/* jiffies */
	u32 data_seq;			/* seq of buffer byte 0 */
	u32 len, cap;
	u32 need;			/* parse again once len reaches this */
	bool synced;			/* data_seq is the server's SYN-ACK's */
	bool verifying;			/* allowed; until the server acks len */
	u8 *buf;
};

struct efw_pending_table {
	spinlock_t lock;
	u32 count;
	struct list_head lru;
	struct delayed_work sweep;
	u32 src_seed;
	DECLARE_HASHTABLE(hash, EFW_PENDING_HASH_BITS);
	DECLARE_HASHTABLE(srcs, EFW_PENDING_SRC_BITS);
};

/* Places in the table one source may take. */
static u32 pending_per_source(u32 pending_max)
{
	return max(pending_max / 8, min(pending_max, 64U));
}

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

static struct efw_pending_src *find_src(struct efw_pending_table *t,
					const union nf_inet_addr *a, u32 h)
{
	struct efw_pending_src *s;

	hash_for_each_possible(t->srcs, s, hnode, h)
		if (!memcmp(&s->addr, a, sizeof(*a)))
			return s;
	return NULL;
}

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
	if (!--p->src->count) {
		hash_del(&p->src->hnode);
		kfree(p->src);
	}
	p->src = NULL;
}

static void free_entry(struct efw_pending *p)
{
	efw_budget_give(EFW_BUDGET_HELLO, sizeof(*p) + p->cap);
	nf_ct_put(p->ct);
	kfree(p->buf);
	kfree(p);
}

int efw_pending_start(struct efw_net *en, struct nf_conn *ct, u32 data_seq)
{
	struct efw_pending_table *t = en->pending;
	const struct efw_config *cfg = efw_config(en);
	u32 timeout_ms = EFW_CFG(cfg, HELLO_TIMEOUT_MS);
	u32 max = EFW_CFG(cfg, PENDING_MAX), h;
	struct efw_pending_src *src, *fresh;
	struct efw_pending *p, *old;
	union nf_inet_addr a;
	int ret = 0;

	p = kzalloc(sizeof(*p), GFP_ATOMIC);
	fresh = kzalloc(sizeof(*fresh), GFP_ATOMIC);
	if (!p || !fresh) {
		kfree(p);
		kfree(fresh);
		return -ENOMEM;
	}
	p->ct = ct;
	p->data_seq = data_seq;
	p->deadline = jiffies + msecs_to_jiffies(timeout_ms);
	source_of(ct, &a);
	h = jhash(&a, sizeof(a), t->src_seed);

	spin_lock_bh(&t->lock);
	/* A resent SYN: keep the first entry. */
	old = find(t, ct);
	if (old)
		goto out;
	src = find_src(t, &a, h);
	if (t->count >= max ||
	    (src && src->count >= pending_per_source(max))) {
		ret = -ENOSPC;
		goto out;
	}
	if (!efw_budget_take(EFW_BUDGET_HELLO, sizeof(*p))) {
		efw_stat_inc(en, EFW_STAT_OVER_BUDGET);
		ret = -ENOSPC;
		goto out;
	}
	if (!src) {
		src = fresh;
		fresh = NULL;
		src->addr = a;
		hash_add(t->srcs, &src->hnode, h);
	}
	src->count++;
	p->src = src;
	nf_conntrack_get(&ct->ct_general);
	hash_add(t->hash, &p->hnode, hash_ptr(ct, 32));
	list_add_tail(&p->lru, &t->lru);
	t->count++;
	if (t->count == 1)
		mod_delayed_work(system_dfl_wq, &t->sweep, EFW_SWEEP_INTERVAL);
	p = NULL;
out:
	spin_unlock_bh(&t->lock);
	kfree(p);
	kfree(fresh);
	return ret;
}

/* Make room for @need bytes, within @bound and the host-wide budget. */
static int grow(struct efw_net *en, struct efw_pending *p, u32 need, u32 bound)
{
	u32 cap = p->cap ? p->cap : EFW_PENDING_FIRST_BUF;
	u8 *buf;

	if (need <= p->cap)
		return 0;
	while (cap < need)
		cap *= 2;
	if (cap > bound)
		cap = bound;
	if (!efw_budget_take(EFW_BUDGET_HELLO, cap - p->cap)) {
		efw_stat_inc(en, EFW_STAT_OVER_BUDGET);
		return -ENOMEM;
	}
	buf = krealloc(p->buf, cap, GFP_ATOMIC);
	if (!buf) {
		efw_budget_give(EFW_BUDGET_HELLO, cap - p->cap);
		return -ENOMEM;
	}
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
			       u32 seq, u32 len, bool syn,
			       enum efw_tls_status *status,
			       struct efw_tls_hello *hello)
{
	struct efw_pending_table *t = en->pending;
	u32 bound = EFW_CFG(efw_config(en), HELLO_MAX);
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
	/* Where the server's stream starts is not known yet. */
	if (!p->synced && !syn) {
		ret = EFW_FEED_HOLD;
		goto unlock;
	}
	/* Sequence space wraps: compare by signed distance. */
	rel = seq - p->data_seq;
	if ((s32)rel < 0) {
		/*
		 * Starts before byte 0: the server drops what lies before
		 * its first expected byte and keeps the rest, so the rest
		 * is what is judged. Nothing left: an old duplicate.
		 */
		if (-rel >= len) {
			ret = EFW_FEED_HOLD;
			goto unlock;
		}
		off += -rel;
		len -= -rel;
		rel = 0;
	}
	if (rel > p->len) {
		/* Past what was judged, once judged: the stream goes on. */
		ret = p->verifying ? EFW_FEED_MORE : EFW_FEED_HOLD;
		goto unlock;
	}
	overlap = min(len, p->len - rel);
	if (overlap && !same_bytes(skb, off, p->buf + rel, overlap)) {
		ret = EFW_FEED_CONFLICT;
		goto drop_entry;
	}
	fresh = len - overlap;
	if (p->verifying) {
		ret = EFW_FEED_MORE;
		goto unlock;
	}
	if (!fresh) {
		ret = EFW_FEED_MORE;	/* a pure retransmission */
		goto unlock;
	}
	/*
	 * Keep at most what the bound allows: a complete hello may be
	 * followed by early (0-RTT) data in the same segment, which is
	 * not the hello's and not judged.
	 */
	if (fresh > bound - p->len) {
		fresh = bound - p->len;
		if (!fresh) {
			ret = EFW_FEED_TIMEOUT;
			goto drop_entry;
		}
	}
	if (grow(en, p, p->len + fresh, bound)) {
		ret = EFW_FEED_NOMEM;
		goto drop_entry;
	}
	if (skb_copy_bits(skb, off + overlap, p->buf + p->len, fresh)) {
		ret = EFW_FEED_CONFLICT;
		goto drop_entry;
	}
	p->len += fresh;
	/*
	 * The parser said how many bytes it needs before it can get
	 * further: parsing again before then would walk the same bytes
	 * for nothing (quadratic in segments, with BHs off).
	 */
	if (p->len < p->need) {
		ret = EFW_FEED_MORE;
		goto unlock;
	}

	*status = efw_tls_parse_hello(p->buf, p->len, hello);
	if (*status == EFW_TLS_NEED_MORE && hello->need <= bound) {
		p->need = hello->need;
		ret = EFW_FEED_MORE;
		goto unlock;
	}
	if (*status == EFW_TLS_NEED_MORE) {
		ret = EFW_FEED_TIMEOUT;	/* the hello cannot fit the bound */
		goto drop_entry;
	}
	/*
	 * Judged: from now on the buffer is what the server must get. The
	 * caller forgets the entry if the verdict is a denial.
	 */
	p->verifying = true;
	p->deadline = jiffies + msecs_to_jiffies(EFW_CFG(efw_config(en),
							 HELLO_TIMEOUT_MS));
	list_move_tail(&p->lru, &t->lru);	/* the sweep's order: deadlines */
	ret = EFW_FEED_DONE;
	goto unlock;
drop_entry:
	unlink_entry(t, p);
	spin_unlock_bh(&t->lock);
	free_entry(p);
	return ret;
unlock:
	spin_unlock_bh(&t->lock);
	return ret;
}

enum efw_reply efw_pending_reply(struct efw_net *en, const struct nf_conn *ct,
				 bool syn, u32 ack)
{
	struct efw_pending_table *t = en->pending;
	enum efw_reply ret = EFW_REPLY_WAIT;
	struct efw_pending *p;

	spin_lock_bh(&t->lock);
	p = find(t, ct);
	if (!p)
		goto unlock;
	if (p->verifying) {
		if ((s32)(ack - (p->data_seq + p->len)) < 0)
			goto unlock;
		ret = EFW_REPLY_VERIFIED;
		unlink_entry(t, p);
		spin_unlock_bh(&t->lock);
		free_entry(p);
		return ret;
	}
	if (!syn)
		goto unlock;
	if (!p->len && (!p->synced || p->data_seq == ack)) {
		p->data_seq = ack;
		p->synced = true;
	} else if (ack - p->data_seq > p->len) {
		/*
		 * The server expects a byte other than the one the bytes
		 * so far were taken from: two SYN-ACKs that disagree, or
		 * Fast Open data the server acknowledges as something else.
		 */
		ret = EFW_REPLY_CONFLICT;
	} else {
		p->synced = true;
	}
unlock:
	spin_unlock_bh(&t->lock);
	return ret;
}

int efw_pending_check(struct efw_net *en, const struct nf_conn *ct)
{
	struct efw_pending_table *t = en->pending;
	struct efw_pending *p;
	int ret = 0;

	spin_lock_bh(&t->lock);
	p = find(t, ct);
	if (!p)
		ret = -ENOENT;
	else if (time_after(jiffies, p->deadline))
		ret = -ETIMEDOUT;
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

/*
 * Free entries past their deadline; their flows are denied if they speak.
 * The list is in deadline order (an entry moves to its tail when its
 * deadline moves), so the walk stops at the first live entry instead of
 * visiting up to pending-max entries with BHs off. A changed
 * hello-timeout can break the order for a while: an entry then waits
 * for those before it, and is denied all the same when its flow speaks.
 */
static void pending_sweep(struct work_struct *work)
{
	struct efw_pending_table *t =
		container_of(to_delayed_work(work), struct efw_pending_table, sweep);
	struct efw_pending *p, *tmp;
	LIST_HEAD(dead);

	spin_lock_bh(&t->lock);
	list_for_each_entry_safe(p, tmp, &t->lru, lru) {
		if (!time_after(jiffies, p->deadline))
			break;
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
	hash_init(t->srcs);
	t->src_seed = get_random_u32();
	INIT_DELAYED_WORK(&t->sweep, pending_sweep);
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
