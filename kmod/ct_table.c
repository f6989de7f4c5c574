// SPDX-License-Identifier: GPL-2.0
/*
 * Per-flow entries keyed by conntrack entry (ct_table.h). The hash is by
 * the entry's address: a conntrack entry is referenced while it is in
 * the table, so its address cannot be reused by another flow meanwhile.
 */
#include <linux/hash.h>
#include <net/netfilter/nf_conntrack.h>

#include "ct_table.h"

static void ct_sweep(struct work_struct *work)
{
	struct efw_ct_table *t =
		container_of(to_delayed_work(work), struct efw_ct_table, sweep);
	struct efw_ct_entry *e, *tmp;
	LIST_HEAD(dead);

	spin_lock_bh(&t->lock);
	/* Deadline order: the walk stops at the first live entry. */
	list_for_each_entry_safe(e, tmp, &t->lru, lru) {
		if (!time_after(jiffies, e->deadline))
			break;
		efw_ct_unlink(t, e);
		list_add(&e->lru, &dead);
	}
	if (t->count)
		mod_delayed_work(system_dfl_wq, &t->sweep, t->sweep_every);
	spin_unlock_bh(&t->lock);

	list_for_each_entry_safe(e, tmp, &dead, lru)
		t->free(e);
}

void efw_ct_table_init(struct efw_ct_table *t, unsigned long sweep_every,
		       void (*free)(struct efw_ct_entry *e))
{
	spin_lock_init(&t->lock);
	t->count = 0;
	INIT_LIST_HEAD(&t->lru);
	hash_init(t->hash);
	efw_source_quota_init(&t->sources);
	t->sweep_every = sweep_every;
	t->free = free;
	INIT_DELAYED_WORK(&t->sweep, ct_sweep);
}

void efw_ct_table_flush(struct efw_ct_table *t)
{
	struct efw_ct_entry *e, *tmp;
	LIST_HEAD(dead);

	spin_lock_bh(&t->lock);
	list_for_each_entry_safe(e, tmp, &t->lru, lru) {
		efw_ct_unlink(t, e);
		list_add(&e->lru, &dead);
	}
	spin_unlock_bh(&t->lock);
	list_for_each_entry_safe(e, tmp, &dead, lru)
		t->free(e);
}

void efw_ct_table_destroy(struct efw_ct_table *t)
{
	cancel_delayed_work_sync(&t->sweep);
	efw_ct_table_flush(t);
}

struct efw_ct_entry *efw_ct_find(struct efw_ct_table *t,
				 const struct nf_conn *ct)
{
	struct efw_ct_entry *e;

	hash_for_each_possible(t->hash, e, hnode, hash_ptr(ct, 32))
		if (e->ct == ct)
			return e;
	return NULL;
}

bool efw_ct_add(struct efw_ct_table *t, struct efw_ct_entry *e,
		struct nf_conn *ct, u32 max, unsigned long deadline,
		struct efw_source **fresh)
{
	if (t->count >= max)
		return false;
	e->src = efw_source_take(&t->sources, ct, efw_source_share(max), fresh);
	if (!e->src)
		return false;
	e->ct = ct;
	e->deadline = deadline;
	nf_conntrack_get(&ct->ct_general);
	hash_add(t->hash, &e->hnode, hash_ptr(ct, 32));
	list_add_tail(&e->lru, &t->lru);
	if (!t->count++)
		mod_delayed_work(system_dfl_wq, &t->sweep, t->sweep_every);
	return true;
}

void efw_ct_renew(struct efw_ct_table *t, struct efw_ct_entry *e,
		  unsigned long deadline)
{
	e->deadline = deadline;
	list_move_tail(&e->lru, &t->lru);
}

void efw_ct_unlink(struct efw_ct_table *t, struct efw_ct_entry *e)
{
	hash_del(&e->hnode);
	list_del(&e->lru);
	t->count--;
	efw_source_give(e->src);
	e->src = NULL;
}

void efw_ct_entry_release(struct efw_ct_entry *e)
{
	nf_ct_put(e->ct);
}
