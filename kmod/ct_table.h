/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A namespace's table of per-flow entries keyed by conntrack entry
 * (ct_table.c), under one spinlock: pending.c's flows waiting for their
 * ClientHello, dns_flow.c's DNS flows. The entries are kept in the order
 * of their deadlines, so the sweep frees the expired ones oldest first
 * and stops at the first live one; each client may hold a share of the
 * table (source_quota.h).
 *
 * A user embeds struct efw_ct_entry in its own entry and gives the
 * table a function that frees one, called outside the lock.
 */
#ifndef EGRESSFW_CT_TABLE_H
#define EGRESSFW_CT_TABLE_H

#include <linux/hashtable.h>
#include <linux/jiffies.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "source_quota.h"

struct nf_conn;

#define EFW_CT_TABLE_BITS	10

struct efw_ct_entry {
	struct hlist_node hnode;
	struct list_head lru;		/* earliest deadline first */
	struct nf_conn *ct;		/* referenced */
	struct efw_source *src;
	unsigned long deadline;		/* jiffies */
};

struct efw_ct_table {
	spinlock_t lock;
	u32 count;
	struct list_head lru;
	struct delayed_work sweep;
	unsigned long sweep_every;	/* jiffies */
	void (*free)(struct efw_ct_entry *e);
	struct efw_source_quota sources;
	DECLARE_HASHTABLE(hash, EFW_CT_TABLE_BITS);
};

/* @t, empty; @free frees an unlinked entry (and drops nothing else). */
void efw_ct_table_init(struct efw_ct_table *t, unsigned long sweep_every,
		       void (*free)(struct efw_ct_entry *e));

/* Free every entry, and stop the sweep: nothing may add entries now. */
void efw_ct_table_destroy(struct efw_ct_table *t);

/* Free every entry (a flush of the namespace). */
void efw_ct_table_flush(struct efw_ct_table *t);

/* Under t->lock: @ct's entry, or NULL. */
struct efw_ct_entry *efw_ct_find(struct efw_ct_table *t,
				 const struct nf_conn *ct);

/*
 * Under t->lock: add @e for @ct (a reference is taken), due at
 * @deadline, if the table holds fewer than @max and @ct's client fewer
 * than its share of @max; *@fresh as efw_source_take() takes it. False:
 * refused, @e untouched.
 */
bool efw_ct_add(struct efw_ct_table *t, struct efw_ct_entry *e,
		struct nf_conn *ct, u32 max, unsigned long deadline,
		struct efw_source **fresh);

/* Under t->lock: @e is due at @deadline now, a later one. */
void efw_ct_renew(struct efw_ct_table *t, struct efw_ct_entry *e,
		  unsigned long deadline);

/* Under t->lock: take @e out; the caller frees it after unlocking. */
void efw_ct_unlink(struct efw_ct_table *t, struct efw_ct_entry *e);

/* What the table's free function must do for the entry part. */
void efw_ct_entry_release(struct efw_ct_entry *e);

#endif /* EGRESSFW_CT_TABLE_H */
