// SPDX-License-Identifier: GPL-2.0
/*
 * Per-flow DNS state (see dns_flow.h): the queries in flight of UDP
 * flows, the message boundaries of TCP ones.
 *
 * Queries are kept as (transaction id, type, a keyed hash of the name):
 * the name is compared as efw_dns_parse() reads an answer's question, and
 * the hash's key is random per table, so a sender cannot choose another
 * name that compares equal. A flow holds at most EFW_DNS_FLOW_QUERIES; a
 * client that sends more on one flow forgets its own oldest ones.
 *
 * TCP: only the resolver's side is tracked, the position of its next
 * message, from its SYN-ACK on. Nothing is reassembled. A message whose
 * bytes span segments is skipped (its length says where the next one
 * starts), so it teaches nothing, and so are the messages of a segment
 * that overtook the one before it; a length field split across segments
 * loses the position, and the flow teaches nothing more.
 * Both fail the safe way: an address not learned is an address denied.
 *
 * The entries live in a ct_table.h table, as pending.c's do: one
 * spinlock per namespace (only DNS packets come here), deadline order,
 * each renewed by its flow's queries. A TCP entry's longer lifetime can
 * hold UDP ones behind it past theirs, for at most EFW_DNS_TCP_LIFETIME,
 * within the table's bound.
 */
#include <linux/slab.h>
#include <linux/siphash.h>
#include <linux/random.h>
#include <linux/skbuff.h>

#include "dns_flow.h"
#include "dns_answer.h"
#include "ct_table.h"
#include "budget.h"
#include "stats.h"

struct dns_query {
	unsigned long deadline;
	u64 name;			/* keyed hash of the question name */
	u16 id, qtype;
};

struct efw_dns_flow {
	struct efw_ct_entry ce;
	/* UDP: the queries in flight, oldest first */
	u8 n_queries;
	struct dns_query q[EFW_DNS_FLOW_QUERIES];
	/* TCP */
	bool tcp;
	bool lost;			/* position unknown: read nothing */
	u32 first;			/* the resolver's first data byte */
	u32 next;			/* where its next message starts */
};

struct efw_dns_flow_table {
	struct efw_ct_table ct;
	siphash_key_t name_key;
};

static struct efw_dns_flow *find(struct efw_ct_table *t,
				 const struct nf_conn *ct)
{
	struct efw_ct_entry *e = efw_ct_find(t, ct);

	return e ? container_of(e, struct efw_dns_flow, ce) : NULL;
}

static void free_entry(struct efw_dns_flow *p)
{
	efw_budget_give(EFW_BUDGET_DNS, sizeof(*p));
	efw_ct_entry_release(&p->ce);
	kfree(p);
}

static void free_ce(struct efw_ct_entry *e)
{
	free_entry(container_of(e, struct efw_dns_flow, ce));
}

/*
 * A new entry for @ct in @t, within the table's bound, the client's share
 * and the host-wide budget; NULL if refused. *@p and *@fresh are consumed
 * when used. Under the lock.
 */
static struct efw_dns_flow *add(struct efw_net *en, struct efw_ct_table *t,
				struct nf_conn *ct, struct efw_dns_flow **p,
				struct efw_source **fresh, unsigned long lifetime)
{
	struct efw_dns_flow *e = *p;

	if (!efw_budget_take(EFW_BUDGET_DNS, sizeof(*e))) {
		efw_stat_inc(en, EFW_STAT_OVER_BUDGET);
		return NULL;
	}
	if (!efw_ct_add(t, &e->ce, ct, EFW_DNS_FLOW_MAX, jiffies + lifetime,
			fresh)) {
		efw_budget_give(EFW_BUDGET_DNS, sizeof(*e));
		return NULL;
	}
	*p = NULL;
	return e;
}

static u64 name_hash(const struct efw_dns_flow_table *f, const char *name,
		     u8 len)
{
	return siphash(name, len, &f->name_key);
}

/* Entries for flows with queries: preallocated outside the lock. */
static bool prealloc(struct efw_dns_flow **p, struct efw_source **fresh)
{
	*p = kzalloc(sizeof(**p), GFP_ATOMIC);
	*fresh = efw_source_alloc();
	return *p && *fresh;
}

void efw_dns_flow_query(struct efw_net *en, struct nf_conn *ct,
			const struct efw_dns_query *q)
{
	struct efw_ct_table *t = &en->dns_flow->ct;
	struct dns_query nq = {
		.deadline = jiffies + EFW_DNS_QUERY_LIFETIME,
		.name = name_hash(en->dns_flow, q->name, q->name_len),
		.id = q->id, .qtype = q->qtype,
	};
	struct efw_dns_flow *p = NULL, *e;
	struct efw_source *fresh = NULL;
	u8 i;

	spin_lock_bh(&t->lock);
	e = find(t, ct);
	if (!e) {
		/* The common case: a new flow's first query. */
		spin_unlock_bh(&t->lock);
		if (!prealloc(&p, &fresh))
			goto out;
		spin_lock_bh(&t->lock);
		e = find(t, ct);
		if (!e)
			e = add(en, t, ct, &p, &fresh, EFW_DNS_QUERY_LIFETIME);
		if (!e) {
			spin_unlock_bh(&t->lock);
			goto out;
		}
	}
	/* A query sent again waits anew; a flow's oldest one makes room. */
	for (i = 0; i < e->n_queries; i++)
		if (e->q[i].id == nq.id && e->q[i].qtype == nq.qtype &&
		    e->q[i].name == nq.name)
			break;
	if (i == e->n_queries && e->n_queries == EFW_DNS_FLOW_QUERIES)
		i = 0;
	if (i < e->n_queries)
		memmove(&e->q[i], &e->q[i + 1], (e->n_queries - i - 1) * sizeof(e->q[0]));
	else
		e->n_queries++;
	e->q[e->n_queries - 1] = nq;
	if (time_before(e->ce.deadline, nq.deadline))
		efw_ct_renew(t, &e->ce, nq.deadline);
	spin_unlock_bh(&t->lock);
out:
	kfree(p);
	kfree(fresh);
}

bool efw_dns_flow_answer(struct efw_net *en, const struct nf_conn *ct,
			 const struct efw_dns_result *res)
{
	struct efw_ct_table *t = &en->dns_flow->ct;
	u64 name = name_hash(en->dns_flow, res->names[0], res->name_len[0]);
	struct efw_dns_flow *e, *dead = NULL;
	bool found = false;
	u8 i;

	spin_lock_bh(&t->lock);
	e = find(t, ct);
	if (!e)
		goto unlock;
	for (i = 0; i < e->n_queries; i++) {
		const struct dns_query *q = &e->q[i];

		if (q->id == res->id && q->qtype == res->qtype &&
		    q->name == name && !time_after(jiffies, q->deadline)) {
			found = true;
			break;
		}
	}
	if (!found)
		goto unlock;
	/* Answered: a second answer to it is not the resolver's. */
	memmove(&e->q[i], &e->q[i + 1], (e->n_queries - i - 1) * sizeof(e->q[0]));
	if (!--e->n_queries && !e->tcp) {
		efw_ct_unlink(t, &e->ce);
		dead = e;
	}
unlock:
	spin_unlock_bh(&t->lock);
	if (dead)
		free_entry(dead);
	return found;
}

void efw_dns_tcp_start(struct efw_net *en, struct nf_conn *ct, u32 seq)
{
	struct efw_ct_table *t = &en->dns_flow->ct;
	struct efw_dns_flow *p, *e;
	struct efw_source *fresh;

	if (!prealloc(&p, &fresh))
		goto out;
	spin_lock_bh(&t->lock);
	e = find(t, ct);
	if (e) {
		/* A resent SYN-ACK; one that disagrees loses the position. */
		if (e->tcp && e->first != seq + 1)
			e->lost = true;
	} else {
		e = add(en, t, ct, &p, &fresh, EFW_DNS_TCP_LIFETIME);
		if (e) {
			e->tcp = true;
			e->first = e->next = seq + 1;
		}
	}
	spin_unlock_bh(&t->lock);
out:
	kfree(p);
	kfree(fresh);
}

void efw_dns_flow_end(struct efw_net *en, const struct nf_conn *ct)
{
	struct efw_ct_table *t = &en->dns_flow->ct;
	struct efw_dns_flow *p;

	spin_lock_bh(&t->lock);
	p = find(t, ct);
	if (p)
		efw_ct_unlink(t, &p->ce);
	spin_unlock_bh(&t->lock);
	if (p)
		free_entry(p);
}

bool efw_dns_tcp_next(struct efw_net *en, const struct nf_conn *ct,
		      const struct sk_buff *skb, unsigned int off, u32 seq,
		      u32 len, u32 *at, u32 *mlen)
{
	struct efw_ct_table *t = &en->dns_flow->ct;
	struct efw_dns_flow *p;
	bool ret = false;
	__be16 _n;
	const __be16 *n;
	u32 rel;

	spin_lock_bh(&t->lock);
	p = find(t, ct);
	if (!p || !p->tcp || p->lost || time_after(jiffies, p->ce.deadline))
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

void efw_dns_flow_flush(struct efw_net *en)
{
	efw_ct_table_flush(&en->dns_flow->ct);
}

int efw_dns_flow_init(struct efw_net *en)
{
	struct efw_dns_flow_table *f;

	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	efw_ct_table_init(&f->ct, HZ, free_ce);
	get_random_bytes(&f->name_key, sizeof(f->name_key));
	en->dns_flow = f;
	return 0;
}

/* Hooks are gone when this runs: nothing adds entries any more. */
void efw_dns_flow_exit(struct efw_net *en)
{
	struct efw_dns_flow_table *f = en->dns_flow;

	if (!f)
		return;
	efw_ct_table_destroy(&f->ct);
	kfree(f);
	en->dns_flow = NULL;
}
