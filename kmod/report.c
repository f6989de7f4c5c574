// SPDX-License-Identifier: GPL-2.0
/*
 * The report of denials (see report.h).
 *
 * A small hash of entries, seeded so that crafted names cannot aim at
 * one chain, and a list in creation order for the dump. One spinlock,
 * taken only on the deny path and by the dump and clear: a denial
 * already costs a reset packet, and the walk under the lock is a chain
 * of at most EGRESSFW_REPORT_MAX / EFW_REPORT_BUCKETS entries on average.
 * Entries are charged to the DNS budget (budget.c): a host of many
 * namespaces cannot make softirq allocate without bound.
 */
#include <linux/jhash.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/timekeeping.h>
#include <net/genetlink.h>

#include "report.h"
#include "budget.h"
#include "netlink.h"
#include "stats.h"

#define EFW_REPORT_BUCKETS 256

struct efw_report_entry {
	struct hlist_node hnode;
	struct list_head order;
	u64 count;
	u64 first, last;		/* CLOCK_REALTIME seconds */
	u16 port;
	u8 proto, family, reason;
	bool audit;
	u8 addr[16];			/* when name_len is 0 */
	u8 name_len;
	char name[];			/* NUL-terminated */
};

struct efw_report {
	spinlock_t lock;
	u32 count, seed;
	struct list_head order;
	struct hlist_head buckets[EFW_REPORT_BUCKETS];
};

static size_t entry_size(u32 name_len)
{
	return sizeof(struct efw_report_entry) + name_len + 1;
}

int efw_report_create(struct efw_net *en)
{
	struct efw_report *r;
	u32 i;

	if (en->report)
		return 0;
	r = kzalloc(sizeof(*r), GFP_KERNEL_ACCOUNT);
	if (!r)
		return -ENOMEM;
	spin_lock_init(&r->lock);
	INIT_LIST_HEAD(&r->order);
	for (i = 0; i < EFW_REPORT_BUCKETS; i++)
		INIT_HLIST_HEAD(&r->buckets[i]);
	r->seed = get_random_u32();
	en->report = r;
	return 0;
}

/* Free every entry; under r->lock, or when nothing else can see @r. */
static void free_entries(struct efw_report *r)
{
	struct efw_report_entry *e, *tmp;

	list_for_each_entry_safe(e, tmp, &r->order, order) {
		hlist_del(&e->hnode);
		list_del(&e->order);
		efw_budget_give(EFW_BUDGET_DNS, entry_size(e->name_len));
		kfree(e);
	}
	r->count = 0;
}

void efw_report_destroy(struct efw_net *en)
{
	if (!en->report)
		return;
	free_entries(en->report);
	kfree(en->report);
	en->report = NULL;
}

void efw_report_clear(struct efw_net *en)
{
	struct efw_report *r = en->report;

	if (!r)
		return;
	spin_lock_bh(&r->lock);
	free_entries(r);
	spin_unlock_bh(&r->lock);
}

static u32 key_hash(const struct efw_report *r, const struct efw_event *ev,
		    u32 name_len)
{
	u32 h = jhash_2words(ev->proto, ev->dport, r->seed);

	if (name_len)
		return jhash(ev->name, name_len, h);
	return jhash(ev->daddr, ev->family == 4 ? 4 : 16, h);
}

static bool same_key(const struct efw_report_entry *e,
		     const struct efw_event *ev, u32 name_len)
{
	if (e->proto != ev->proto || e->port != ev->dport ||
	    e->name_len != name_len)
		return false;
	if (name_len)
		return !memcmp(e->name, ev->name, name_len);
	return e->family == ev->family &&
	       !memcmp(e->addr, ev->daddr, ev->family == 4 ? 4 : 16);
}

static void seen(struct efw_report_entry *e, const struct efw_event *ev,
		 u64 now)
{
	e->count++;
	e->last = now;
	e->reason = ev->reason;
	e->audit = ev->audit;
}

void efw_report_note(struct efw_net *en, const struct efw_event *ev)
{
	struct efw_report *r = en->report;
	u32 name_len = ev->name ? strnlen(ev->name, EFW_NAME_MAX + 1) : 0;
	u64 now = ktime_get_real_seconds();
	struct efw_report_entry *e;
	struct hlist_head *head;

	if (!r || name_len > EFW_NAME_MAX)
		return;
	head = &r->buckets[key_hash(r, ev, name_len) % EFW_REPORT_BUCKETS];
	spin_lock_bh(&r->lock);
	hlist_for_each_entry(e, head, hnode) {
		if (same_key(e, ev, name_len)) {
			seen(e, ev, now);
			goto out;
		}
	}
	if (r->count >= EGRESSFW_REPORT_MAX ||
	    !efw_budget_take(EFW_BUDGET_DNS, entry_size(name_len))) {
		efw_stat_inc(en, EFW_STAT_REPORT_FULL);
		goto out;
	}
	e = kzalloc(entry_size(name_len), GFP_ATOMIC);
	if (!e) {
		efw_budget_give(EFW_BUDGET_DNS, entry_size(name_len));
		efw_stat_inc(en, EFW_STAT_REPORT_FULL);
		goto out;
	}
	e->proto = ev->proto;
	e->port = ev->dport;
	e->family = ev->family;
	memcpy(e->addr, ev->daddr, ev->family == 4 ? 4 : 16);
	e->name_len = name_len;
	memcpy(e->name, ev->name ? ev->name : "", name_len);
	e->first = now;
	seen(e, ev, now);
	hlist_add_head(&e->hnode, head);
	list_add_tail(&e->order, &r->order);
	r->count++;
out:
	spin_unlock_bh(&r->lock);
}

static int put_entry(struct sk_buff *skb, const struct efw_report_entry *e)
{
	struct nlattr *nest = nla_nest_start(skb, EGRESSFW_A_REPORT);

	if (!nest ||
	    (e->name_len &&
	     nla_put_string(skb, EGRESSFW_REPORT_A_NAME, e->name)) ||
	    (!e->name_len &&
	     (nla_put_u8(skb, EGRESSFW_REPORT_A_FAMILY, e->family) ||
	      nla_put(skb, EGRESSFW_REPORT_A_ADDR, e->family == 4 ? 4 : 16,
		      e->addr))) ||
	    nla_put_u8(skb, EGRESSFW_REPORT_A_PROTO, e->proto) ||
	    nla_put_u16(skb, EGRESSFW_REPORT_A_PORT, e->port) ||
	    nla_put_u64_64bit(skb, EGRESSFW_REPORT_A_COUNT, e->count,
			      EGRESSFW_REPORT_A_PAD) ||
	    nla_put_u64_64bit(skb, EGRESSFW_REPORT_A_FIRST, e->first,
			      EGRESSFW_REPORT_A_PAD) ||
	    nla_put_u64_64bit(skb, EGRESSFW_REPORT_A_LAST, e->last,
			      EGRESSFW_REPORT_A_PAD) ||
	    nla_put_u8(skb, EGRESSFW_REPORT_A_REASON, e->reason) ||
	    (e->audit && nla_put_flag(skb, EGRESSFW_REPORT_A_AUDIT)))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/*
 * The dump resumes by position in creation order: an entry added while
 * it runs is at the end, and a clear meanwhile ends it early. A view of
 * a table that keeps counting, not a snapshot.
 */
int efw_report_dump(struct efw_net *en, struct sk_buff *skb,
		    struct netlink_callback *cb)
{
	struct efw_report *r = en->report;
	struct efw_report_entry *e;
	unsigned long pos = 0;
	void *hdr;

	if (!r)
		return 0;
	spin_lock_bh(&r->lock);
	list_for_each_entry(e, &r->order, order) {
		if (pos++ < cb->args[0])
			continue;
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &efw_family, NLM_F_MULTI,
				  EGRESSFW_CMD_GET_REPORT);
		if (!hdr)
			break;
		if (put_entry(skb, e)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		cb->args[0] = pos;
	}
	spin_unlock_bh(&r->lock);
	return skb->len;
}
