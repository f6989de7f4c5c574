// SPDX-License-Identifier: GPL-2.0
/*
 * The learned-address table (see dns_learn.h).
 *
 * A fixed array of RCU hash chains keyed by address (seeded, so a flood
 * of crafted answers cannot aim at one chain), a list in refresh order
 * for eviction, and one spinlock for writers. Two bounds keep every walk
 * short: the table's size (setting dns-max) and EFW_DNS_NAMES_PER_ADDR names
 * per address, since a shared CDN address may be the answer for
 * thousands of names and a SYN's lookup matches each of them.
 *
 * Per-rule "learned" counts: each entry is counted in the ruleset whose
 * generation it carries. A new ruleset is recounted at load
 * (efw_dns_recount); an entry found carrying an older generation is
 * counted anew when it is refreshed.
 */
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <linux/rculist.h>
#include <linux/jhash.h>
#include <linux/jiffies.h>
#include <linux/random.h>
#include <linux/sched.h>

#include "dns_learn.h"
#include "budget.h"
#include "dns_answer.h"
#include "learn_events.h"
#include "config.h"
#include "ruleset.h"
#include "stats.h"

/* 16384 chains: 128 KiB per active namespace, short chains at 65536 entries. */
#define EFW_DNS_HASH_BITS	14
#define EFW_DNS_BUCKETS		(1U << EFW_DNS_HASH_BITS)
#define EFW_DNS_NAMES_PER_ADDR	16
#define EFW_DNS_SWEEP_INTERVAL	(5 * HZ)
/* Chains recounted per lock hold at load: bounded time with BHs off. */
#define EFW_DNS_RECOUNT_BATCH	256
/*
 * Entries the sweep looks at per lock hold (ending the chain it is in):
 * at dns-max's largest, one walk over every entry with BHs off would
 * take the CPU from packets for tens of milliseconds.
 */
#define EFW_DNS_SWEEP_BATCH	1024
/*
 * Entries one insert may push out. Usually one; more only after dns-max
 * was lowered, and then the table shrinks to the new bound over a few
 * answers (and sweeps) instead of in one long softirq.
 */
#define EFW_DNS_EVICT_BATCH	64

struct efw_learned {
	struct hlist_node hnode;
	struct list_head lru;		/* least recently refreshed first */
	struct rcu_head rcu;
	unsigned long expires;		/* jiffies; read locklessly */
	unsigned long touched;		/* jiffies of the last answer */
	u32 ttl;			/* seconds, clamped */
	u32 gen;			/* ruleset that counts it in "learned" */
	u8 family;
	u8 name_len;
	u8 addr[16];
	char name[];			/* NUL-terminated */
};

struct efw_dns_table {
	spinlock_t lock;
	u32 count;
	u32 seed;
	struct list_head lru;
	struct efw_net *en;
	struct delayed_work sweep;
	struct hlist_head buckets[EFW_DNS_BUCKETS];
};

static unsigned int addr_len(u8 family)
{
	return family == 4 ? 4 : 16;
}

static struct hlist_head *bucket_of(struct efw_dns_table *t, u8 family,
				    const u8 *addr)
{
	return &t->buckets[jhash(addr, addr_len(family), t->seed ^ family) &
			   (EFW_DNS_BUCKETS - 1)];
}

static bool same_addr(const struct efw_learned *e, u8 family, const u8 *addr)
{
	return e->family == family && !memcmp(e->addr, addr, addr_len(family));
}

static bool live(const struct efw_learned *e)
{
	return !time_after(jiffies, READ_ONCE(e->expires));
}

struct count_ctx {
	struct efw_ruleset *rs;
	int delta;
};

static int count_one(void *ctx, u32 rule)
{
	struct count_ctx *c = ctx;

	if (rule < c->rs->n_rules)
		atomic_add(c->delta, &c->rs->ctr[rule].learned);
	return 0;
}

/* Add @delta to the "learned" count of every rule of @rs matching @e. */
static void count_rules(struct efw_ruleset *rs, const struct efw_learned *e,
			int delta)
{
	struct count_ctx c = { .rs = rs, .delta = delta };

	efw_match_name_each(rs->matcher, e->name, e->name_len, count_one, &c);
}

/* What an entry of a @len-byte name costs the host-wide budget. */
static size_t entry_size(u32 len)
{
	return struct_size((struct efw_learned *)NULL, name, len + 1);
}

/* Under t->lock; @rs is the ruleset in force (may be NULL). */
static void unlink_entry(struct efw_dns_table *t, struct efw_learned *e,
			 struct efw_ruleset *rs)
{
	hlist_del_rcu(&e->hnode);
	list_del(&e->lru);
	t->count--;
	if (rs && e->gen == rs->generation)
		count_rules(rs, e, -1);
	efw_budget_give(EFW_BUDGET_DNS, entry_size(e->name_len));
	kfree_rcu(e, rcu);
}

/* Entries one sweep evicts to bring the table down to a lowered dns-max. */
#define EFW_DNS_TRIM_BATCH	4096

/* Under t->lock: push out the least recently answered entry. */
static void evict_oldest(struct efw_net *en, struct efw_dns_table *t,
			 struct efw_ruleset *rs)
{
	struct efw_learned *e;

	if (list_empty(&t->lru))
		return;
	e = list_first_entry(&t->lru, struct efw_learned, lru);
	if (live(e))
		efw_stat_inc(en, EFW_STAT_DNS_EVICTED);
	unlink_entry(t, e, rs);
}

/*
 * Under t->lock: the entry for (@family, @addr, @name), or NULL; *@oldest
 * is the least recently answered entry of that address and *@n how many
 * names it has.
 */
static struct efw_learned *find_locked(struct hlist_head *head, u8 family,
				       const u8 *addr, const char *name,
				       u8 len, struct efw_learned **oldest,
				       u32 *n)
{
	struct efw_learned *e;

	*oldest = NULL;
	*n = 0;
	hlist_for_each_entry(e, head, hnode) {
		if (!same_addr(e, family, addr))
			continue;
		if (e->name_len == len && !memcmp(e->name, name, len))
			return e;
		if (!*oldest || time_before(e->touched, (*oldest)->touched))
			*oldest = e;
		(*n)++;
	}
	return NULL;
}

static void refresh(struct efw_dns_table *t, struct efw_learned *e,
		    struct efw_ruleset *rs, u32 ttl, unsigned long expires)
{
	WRITE_ONCE(e->expires, expires);
	e->touched = jiffies;
	e->ttl = ttl;
	list_move_tail(&e->lru, &t->lru);
	if (e->gen != rs->generation) {
		count_rules(rs, e, 1);
		e->gen = rs->generation;
	}
}

static void learn_one(struct efw_net *en, struct efw_dns_table *t,
		      struct efw_ruleset *rs, const struct efw_dns_addr *a,
		      const char *name, u8 len, u32 ttl, unsigned long expires)
{
	struct efw_learn_event ev = {
		.family = a->family, .addr = a->addr, .name = name,
		.name_len = len, .ttl = ttl,
		.expires_in = DIV_ROUND_UP(expires - jiffies, HZ),
	};
	struct hlist_head *head = bucket_of(t, a->family, a->addr);
	struct efw_learned *e, *oldest, *known;
	u32 n, max = EFW_CFG(efw_config(en), DNS_MAX);

	/* Most answers repeat what is known: refresh without allocating. */
	spin_lock_bh(&t->lock);
	e = find_locked(head, a->family, a->addr, name, len, &oldest, &n);
	if (e) {
		refresh(t, e, rs, ttl, expires);
		spin_unlock_bh(&t->lock);
		efw_stat_inc(en, EFW_STAT_DNS_REFRESHED);
		efw_learn_event(en, rs, &ev);
		return;
	}
	spin_unlock_bh(&t->lock);

	if (!efw_budget_take(EFW_BUDGET_DNS, entry_size(len))) {
		efw_stat_inc(en, EFW_STAT_OVER_BUDGET);
		return;
	}
	e = kmalloc(entry_size(len), GFP_ATOMIC);
	if (!e) {
		efw_budget_give(EFW_BUDGET_DNS, entry_size(len));
		return;
	}
	e->family = a->family;
	memcpy(e->addr, a->addr, sizeof(e->addr));
	e->name_len = len;
	memcpy(e->name, name, len);
	e->name[len] = '\0';
	e->expires = expires;
	e->touched = jiffies;
	e->ttl = ttl;
	e->gen = rs->generation;

	spin_lock_bh(&t->lock);
	known = find_locked(head, a->family, a->addr, name, len, &oldest, &n);
	if (known) {		/* learned meanwhile on another CPU */
		refresh(t, known, rs, ttl, expires);
		spin_unlock_bh(&t->lock);
		efw_budget_give(EFW_BUDGET_DNS, entry_size(len));
		kfree(e);
		efw_stat_inc(en, EFW_STAT_DNS_REFRESHED);
		efw_learn_event(en, rs, &ev);
		return;
	}
	/* Room: first among this address's names, then in the table. */
	if (n >= EFW_DNS_NAMES_PER_ADDR) {
		if (live(oldest))
			efw_stat_inc(en, EFW_STAT_DNS_EVICTED);
		unlink_entry(t, oldest, rs);
	}
	for (n = 0; t->count >= max && n < EFW_DNS_EVICT_BATCH; n++)
		evict_oldest(en, t, rs);
	hlist_add_head_rcu(&e->hnode, head);
	list_add_tail(&e->lru, &t->lru);
	if (++t->count == 1)
		mod_delayed_work(system_dfl_wq, &t->sweep, EFW_DNS_SWEEP_INTERVAL);
	count_rules(rs, e, 1);
	spin_unlock_bh(&t->lock);
	efw_stat_inc(en, EFW_STAT_DNS_LEARNED);
	efw_learn_event(en, rs, &ev);
}

static int any_rule(void *ctx, u32 rule)
{
	return 1;
}

void efw_dns_learn(struct efw_net *en, struct efw_ruleset *rs,
		   const struct efw_dns_result *res)
{
	struct efw_dns_table *t = rcu_dereference(en->dns);
	const struct efw_config *cfg;
	unsigned long expires;
	u32 ttl, i, k;
	bool every;

	if (!t || !res->n_addrs)
		return;
	cfg = efw_config(en);
	/*
	 * Audit mode learns every name, listed or not, so that the report
	 * of would-be denials (report.h) can name an address a client
	 * reached on a non-TLS port. Such entries allow nothing: a lookup
	 * matches their names against the rules.
	 */
	every = EFW_CFG(cfg, MODE) == EGRESSFW_MODE_AUDIT;
	ttl = clamp(res->min_ttl, EFW_CFG(cfg, DNS_TTL_MIN), EFW_CFG(cfg, DNS_TTL_MAX));
	expires = jiffies + (unsigned long)(ttl + EFW_CFG(cfg, DNS_GRACE)) * HZ;
	for (i = 0; i < res->n_names; i++) {
		const char *name = res->names[i];
		u8 len = res->name_len[i];

		if (!every &&
		    !efw_match_name_each(rs->matcher, name, len, any_rule, NULL))
			continue;
		for (k = 0; k < res->n_addrs; k++)
			learn_one(en, t, rs, &res->addrs[k], name, len, ttl,
				  expires);
	}
}

s32 efw_dns_lookup(struct efw_net *en, struct efw_ruleset *rs, u8 family,
		   const u8 *addr, u8 proto, u16 port, const char **name)
{
	struct efw_dns_table *t = rcu_dereference(en->dns);
	struct efw_learned *e;
	s32 best = -1, r;

	if (!t)
		return -1;
	hlist_for_each_entry_rcu(e, bucket_of(t, family, addr), hnode) {
		if (!same_addr(e, family, addr) || !live(e))
			continue;
		r = efw_match_name(rs->matcher, e->name, e->name_len, proto,
				   port);
		if (r >= 0 && (best < 0 || r < best)) {
			best = r;
			if (name)
				*name = e->name;
		}
	}
	return best;
}

const char *efw_dns_name_of(struct efw_net *en, u8 family, const u8 *addr)
{
	struct efw_dns_table *t = rcu_dereference(en->dns);
	struct efw_learned *e;

	if (!t)
		return NULL;
	hlist_for_each_entry_rcu(e, bucket_of(t, family, addr), hnode)
		if (same_addr(e, family, addr) && live(e))
			return e->name;
	return NULL;
}

static int is_rule(void *ctx, u32 rule)
{
	return rule == *(const u32 *)ctx;
}

bool efw_dns_learned_for(struct efw_net *en, struct efw_ruleset *rs,
			 u8 family, const u8 *addr, u32 rule)
{
	struct efw_dns_table *t = rcu_dereference(en->dns);
	struct efw_learned *e;

	if (!t)
		return false;
	hlist_for_each_entry_rcu(e, bucket_of(t, family, addr), hnode)
		if (same_addr(e, family, addr) && live(e) &&
		    efw_match_name_each(rs->matcher, e->name, e->name_len,
					is_rule, &rule))
			return true;
	return false;
}

static int lowest(void *ctx, u32 rule)
{
	s32 *best = ctx;

	if (*best < 0 || rule < (u32)*best)
		*best = rule;
	return 0;
}

s32 efw_dns_first_rule(const struct efw_ruleset *rs, const char *name)
{
	s32 best = -1;

	if (rs)
		efw_match_name_each(rs->matcher, name, strlen(name), lowest,
				    &best);
	return best;
}

u32 efw_dns_count(struct efw_net *en)
{
	struct efw_dns_table *t;
	u32 n;

	rcu_read_lock();
	t = rcu_dereference(en->dns);
	n = t ? READ_ONCE(t->count) : 0;
	rcu_read_unlock();
	return n;
}

void efw_dns_recount(struct efw_net *en, struct efw_ruleset *rs)
{
	struct efw_dns_table *t;
	struct efw_learned *e;
	u32 b, k;

	t = rcu_dereference_protected(en->dns, lockdep_is_held(&en->lock));
	if (!t)
		return;
	for (b = 0; b < EFW_DNS_BUCKETS; b += EFW_DNS_RECOUNT_BATCH) {
		spin_lock_bh(&t->lock);
		for (k = b; k < b + EFW_DNS_RECOUNT_BATCH; k++) {
			hlist_for_each_entry(e, &t->buckets[k], hnode) {
				if (e->gen == rs->generation)
					continue;
				count_rules(rs, e, 1);
				e->gen = rs->generation;
			}
		}
		spin_unlock_bh(&t->lock);
		cond_resched();
	}
}

int efw_dns_walk(struct efw_net *en, unsigned long *bucket, unsigned long *skip,
		 int (*fn)(void *ctx, const struct efw_dns_view *v), void *ctx)
{
	struct efw_dns_table *t = rcu_dereference(en->dns);
	struct efw_dns_view v;
	struct efw_learned *e;
	unsigned long i, now = jiffies;
	int ret;

	if (!t)
		return 0;
	for (; *bucket < EFW_DNS_BUCKETS; (*bucket)++, *skip = 0) {
		i = 0;
		hlist_for_each_entry_rcu(e, &t->buckets[*bucket], hnode) {
			unsigned long expires = READ_ONCE(e->expires);

			if (i++ < *skip || time_after(now, expires))
				continue;
			v.family = e->family;
			memcpy(v.addr, e->addr, sizeof(v.addr));
			v.name = e->name;
			v.expires_in = (expires - now) / HZ;
			v.ttl = READ_ONCE(e->ttl);
			ret = fn(ctx, &v);
			if (ret) {
				*skip = i - 1;
				return ret;
			}
		}
	}
	return 0;
}

/*
 * Free the expired entries of chains @k on, until a batch is seen; the
 * next chain to look at is returned. Under t->lock.
 */
static u32 sweep_chains(struct efw_dns_table *t, struct efw_ruleset *rs, u32 k)
{
	struct efw_learned *e;
	struct hlist_node *tmp;
	u32 seen = 0;

	for (; k < EFW_DNS_BUCKETS && seen < EFW_DNS_SWEEP_BATCH; k++) {
		hlist_for_each_entry_safe(e, tmp, &t->buckets[k], hnode) {
			seen++;
			if (!live(e))
				unlink_entry(t, e, rs);
		}
	}
	return k;
}

/* Free expired entries; runs while the table is not empty. */
static void dns_sweep(struct work_struct *work)
{
	struct efw_dns_table *t =
		container_of(to_delayed_work(work), struct efw_dns_table, sweep);
	struct efw_ruleset *rs;
	unsigned long next = EFW_DNS_SWEEP_INTERVAL;
	u32 n = 0, k = 0;

	/* A batch of chains per lock hold: packets get the CPU between. */
	while (k < EFW_DNS_BUCKETS) {
		rcu_read_lock();
		rs = rcu_dereference(t->en->ruleset);
		spin_lock_bh(&t->lock);
		k = sweep_chains(t, rs, k);
		spin_unlock_bh(&t->lock);
		rcu_read_unlock();
		cond_resched();
	}

	rcu_read_lock();
	rs = rcu_dereference(t->en->ruleset);
	spin_lock_bh(&t->lock);
	/*
	 * A lowered dns-max applies to the entries already there too, a
	 * batch at a time: from 4M to 1 is not one walk with BHs off.
	 */
	while (t->count > EFW_CFG(efw_config(t->en), DNS_MAX)) {
		if (n++ == EFW_DNS_TRIM_BATCH) {
			next = 1;
			break;
		}
		evict_oldest(t->en, t, rs);
	}
	if (t->count)
		mod_delayed_work(system_dfl_wq, &t->sweep, next);
	spin_unlock_bh(&t->lock);
	rcu_read_unlock();
}

int efw_dns_table_create(struct efw_net *en)
{
	struct efw_dns_table *t;

	t = kvzalloc(sizeof(*t), GFP_KERNEL_ACCOUNT);
	if (!t)
		return -ENOMEM;
	spin_lock_init(&t->lock);
	INIT_LIST_HEAD(&t->lru);
	t->seed = get_random_u32();
	t->en = en;
	INIT_DELAYED_WORK(&t->sweep, dns_sweep);
	rcu_assign_pointer(en->dns, t);
	return 0;
}

/*
 * Under en->lock, after the hooks are gone: only /proc and dump readers
 * may still hold the table, and they are RCU readers.
 */
void efw_dns_table_destroy(struct efw_net *en)
{
	struct efw_dns_table *t;
	struct efw_learned *e, *tmp;

	t = rcu_replace_pointer(en->dns, NULL, lockdep_is_held(&en->lock));
	if (!t)
		return;
	synchronize_rcu();
	cancel_delayed_work_sync(&t->sweep);
	/* No reader, no writer, no sweep: free directly. */
	list_for_each_entry_safe(e, tmp, &t->lru, lru) {
		efw_budget_give(EFW_BUDGET_DNS, entry_size(e->name_len));
		kfree(e);
	}
	kvfree(t);
}
