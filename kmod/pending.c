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
 * hold at most an eighth of the table (source_quota.h).
 */
#include <linux/slab.h>
#include <linux/skbuff.h>
#include <net/netfilter/nf_conntrack.h>

#include "pending.h"
#include "config.h"
#include "budget.h"
#include "stats.h"
#include "ct_table.h"

/* First buffer: a whole typical ClientHello, Chrome's 2 KB one included. */
#define EFW_PENDING_FIRST_BUF	2048
#define EFW_SWEEP_INTERVAL	HZ

struct efw_pending {
	struct efw_ct_entry ce;
	u32 data_seq;			/* seq of buffer byte 0 */
	u32 len, cap;
	u32 need;			/* parse again once len reaches this */
	bool synced;			/* data_seq is the server's SYN-ACK's */
	bool verifying;			/* allowed; until the server acks len */
	u8 *buf;
};

struct efw_pending_table {
	struct efw_ct_table ct;
};

static struct efw_pending *find(struct efw_ct_table *t, const struct nf_conn *ct)
{
	struct efw_ct_entry *e = efw_ct_find(t, ct);

	return e ? container_of(e, struct efw_pending, ce) : NULL;
}

/* Unlink under the lock; the caller frees outside it when it can. */
static void unlink_entry(struct efw_ct_table *t, struct efw_pending *p)
{
	efw_ct_unlink(t, &p->ce);
}

static void free_entry(struct efw_pending *p)
{
	efw_budget_give(EFW_BUDGET_HELLO, sizeof(*p) + p->cap);
	efw_ct_entry_release(&p->ce);
	kfree(p->buf);
	kfree(p);
}

static void free_ce(struct efw_ct_entry *e)
{
	free_entry(container_of(e, struct efw_pending, ce));
}

int efw_pending_start(struct efw_net *en, struct nf_conn *ct, u32 data_seq)
{
	struct efw_ct_table *t = &en->pending->ct;
	const struct efw_config *cfg = efw_config(en);
	u32 timeout_ms = EFW_CFG(cfg, HELLO_TIMEOUT_MS);
	u32 max = EFW_CFG(cfg, PENDING_MAX);
	struct efw_source *fresh;
	struct efw_pending *p, *old;
	int ret = 0;

	p = kzalloc(sizeof(*p), GFP_ATOMIC);
	fresh = efw_source_alloc();
	if (!p || !fresh) {
		kfree(p);
		kfree(fresh);
		return -ENOMEM;
	}
	p->data_seq = data_seq;

	spin_lock_bh(&t->lock);
	/* A resent SYN: keep the first entry. */
	old = find(t, ct);
	if (old)
		goto out;
	if (!efw_budget_take(EFW_BUDGET_HELLO, sizeof(*p))) {
		efw_stat_inc(en, EFW_STAT_OVER_BUDGET);
		ret = -ENOSPC;
		goto out;
	}
	if (!efw_ct_add(t, &p->ce, ct, max,
			jiffies + msecs_to_jiffies(timeout_ms), &fresh)) {
		efw_budget_give(EFW_BUDGET_HELLO, sizeof(*p));
		ret = -ENOSPC;
		goto out;
	}
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
	struct efw_ct_table *t = &en->pending->ct;
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
	if (time_after(jiffies, p->ce.deadline)) {
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
	/* A new deadline, at the list's tail: the sweep's order. */
	efw_ct_renew(t, &p->ce, jiffies + msecs_to_jiffies(EFW_CFG(efw_config(en),
							     HELLO_TIMEOUT_MS)));
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
	struct efw_ct_table *t = &en->pending->ct;
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
	struct efw_ct_table *t = &en->pending->ct;
	struct efw_pending *p;
	int ret = 0;

	spin_lock_bh(&t->lock);
	p = find(t, ct);
	if (!p)
		ret = -ENOENT;
	else if (time_after(jiffies, p->ce.deadline))
		ret = -ETIMEDOUT;
	spin_unlock_bh(&t->lock);
	return ret;
}

void efw_pending_forget(struct efw_net *en, struct nf_conn *ct)
{
	struct efw_ct_table *t = &en->pending->ct;
	struct efw_pending *p;

	spin_lock_bh(&t->lock);
	p = find(t, ct);
	if (p)
		unlink_entry(t, p);
	spin_unlock_bh(&t->lock);
	if (p)
		free_entry(p);
}

u32 efw_pending_count(const struct efw_net *en)
{
	return READ_ONCE(en->pending->ct.count);
}

void efw_pending_flush(struct efw_net *en)
{
	efw_ct_table_flush(&en->pending->ct);
}

/*
 * The sweep frees entries past their deadline; their flows are denied if
 * they speak. A changed hello-timeout can break the deadline order for a
 * while: an entry then waits for those before it, and is denied all the
 * same when its flow speaks.
 */
int efw_pending_init(struct efw_net *en)
{
	struct efw_pending_table *t;

	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	efw_ct_table_init(&t->ct, EFW_SWEEP_INTERVAL, free_ce);
	en->pending = t;
	return 0;
}

/* Hooks are gone when this runs: nothing adds entries any more. */
void efw_pending_exit(struct efw_net *en)
{
	struct efw_pending_table *t = en->pending;

	if (!t)
		return;
	efw_ct_table_destroy(&t->ct);
	kfree(t);
	en->pending = NULL;
}
