/* SPDX-License-Identifier: GPL-2.0 */
/*
 * State shared by the files of egressfw.ko: the per-network-namespace
 * struct, the compiled ruleset that packets read under RCU, and the
 * counters. Each .c file owns one concern; this header is their seam.
 */
#ifndef EGRESSFW_EFW_H
#define EGRESSFW_EFW_H

#include <linux/types.h>
#include <linux/mutex.h>
#include <linux/u64_stats_sync.h>
#include <linux/atomic.h>
#include <linux/ratelimit_types.h>
#include <linux/netfilter.h>
#include <net/net_namespace.h>
#include <uapi/linux/egressfw.h>

#include "match.h"

/*
 * Per-flow verdicts live in three conntrack label bits at the top of the
 * 128, so that the user's own connmark and the low label bits (where
 * nft/iptables connlabel names start) stay theirs. A label is one atomic
 * bit test on the packet path.
 */
#define EFW_LABEL_ALLOW		127	/* decided: pass, never look again */
#define EFW_LABEL_DENY		126	/* decided: drop (client was reset) */
#define EFW_LABEL_PENDING	125	/* waiting for the ClientHello */

/* Defaults of the tunables (egressctl set ...). */
#define EFW_DEFAULT_HELLO_MAX		(16 * 1024 + 1024)
#define EFW_DEFAULT_HELLO_TIMEOUT_MS	10000
#define EFW_DEFAULT_PENDING_MAX		4096
#define EFW_MAX_TLS_PORTS		EGRESSFW_MAX_TLS_PORTS
#define EFW_HELLO_MAX_LIMIT		(64 * 1024)
#define EFW_PENDING_MAX_LIMIT		(1U << 20)
/* DNS learning: answer TTLs are clamped to [min, max], then grace is added. */
#define EFW_DEFAULT_DNS_TTL_MIN		30
#define EFW_DEFAULT_DNS_TTL_MAX		3600
#define EFW_DEFAULT_DNS_GRACE		60
#define EFW_DEFAULT_DNS_MAX		65536
#define EFW_DNS_TTL_LIMIT		(7 * 86400)
#define EFW_DNS_MAX_LIMIT		(1U << 22)
#define EFW_MAX_DNS_SERVERS		EGRESSFW_MAX_DNS_SERVERS

struct efw_config {
	u8 mode;			/* enum egressfw_mode */
	u8 n_tls_ports;
	u16 tls_ports[EFW_MAX_TLS_PORTS];
	u32 hello_max;
	u32 hello_timeout_ms;
	u32 pending_max;
	u8 strict;			/* bool */
	u8 quic;			/* enum egressfw_quic */
	u8 n_dns_servers;		/* 0: DNS to any server */
	u8 ech;				/* enum egressfw_ech */
	u32 dns_ttl_min, dns_ttl_max, dns_grace;	/* seconds */
	u32 dns_max;
	struct egressfw_addr dns_servers[EFW_MAX_DNS_SERVERS];
};

/* One rule as the kernel keeps it: what the dump and /proc print. */
struct efw_rule_meta {
	u32 text;		/* offset of "PATTERN\0SOURCE\0" in the text arena */
	u32 ports_off;		/* first range in ruleset->ports */
	u32 n_ports;
	u8 kind;		/* enum efw_kind */
};

/* Connection counters of one rule; bumped once per flow, not per packet. */
struct efw_rule_ctr {
	atomic64_t allowed;
	atomic64_t allowed_dns;	/* of those, by a DNS-learned address */
	unsigned long last_hit;	/* jiffies; 0 = never */
	atomic_t learned;	/* learned entries whose name it matches */
};

/*
 * A compiled ruleset: immutable once published, freed after a grace
 * period. Counters are the only part written after publication.
 */
struct efw_ruleset {
	struct efw_matcher *matcher;
	u32 n_rules;
	u32 generation;
	struct efw_rule_meta *meta;
	struct efw_port_range *ports;
	char *text;
	struct efw_rule_ctr *ctr;
	/* ports any rule names: guarded on top of the fixed set */
	unsigned long *tcp_ports;	/* 65536-bit maps */
	unsigned long *udp_ports;
	struct rcu_head rcu;
};

enum efw_stat {
	EFW_STAT_PACKETS,
	EFW_STAT_FLOWS,
	EFW_STAT_ALLOWED_CIDR,
	EFW_STAT_ALLOWED_SNI,
	EFW_STAT_ALLOWED_DNS,
	EFW_STAT_DNS_ANSWERS,
	EFW_STAT_DNS_IGNORED,
	EFW_STAT_DNS_UNSOLICITED,
	EFW_STAT_DNS_LEARNED,
	EFW_STAT_DNS_REFRESHED,
	EFW_STAT_DNS_EVICTED,
	EFW_STAT_EVENTS_SUPPRESSED,
	EFW_STAT_DENIED,	/* + enum egressfw_deny_reason */
	EFW_STAT_MAX = EFW_STAT_DENIED + __EGRESSFW_DENY_MAX,
};

struct efw_pcpu_stats {
	u64_stats_t v[EFW_STAT_MAX];
	struct u64_stats_sync syncp;
};

/* An open replace transaction: the rules received so far. */
struct efw_txn {
	u32 id;
	u32 portid;		/* the socket that owns it */
	unsigned long touched;	/* jiffies of its last message */
	u32 n_rules, cap_rules;
	struct efw_pattern_lite *rules;
	struct efw_port_range *ports;
	u32 n_ports, cap_ports;
	char *text;		/* "PATTERN\0SOURCE\0" per rule */
	u32 text_len, text_cap;
};

struct efw_pending_table;
struct efw_dns_table;

struct efw_net {
	struct net *net;
	struct efw_ruleset __rcu *ruleset;	/* NULL: pass-through */
	struct efw_config cfg;			/* written under ->lock, read racily (u32s) */
	struct mutex lock;			/* ruleset, config, txn, activation */
	struct efw_txn *txn;
	u32 txn_next_id;
	u32 generation;
	bool active;				/* hooks, ct and label refs taken */
	struct efw_pcpu_stats __percpu *stats;
	struct efw_pending_table *pending;
	struct efw_dns_table __rcu *dns;	/* learned addresses; NULL while inactive */
	struct proc_dir_entry *proc_dir;
	struct ratelimit_state events_rs;	/* deny events sent */
};

/*
 * A pattern as the transaction stores it, so that a million rules do not
 * cost a million 280-byte struct efw_pattern until commit time.
 */
struct efw_pattern_lite {
	u8 kind;
	u8 prefix_len;
	u16 name_len;
	u32 text;		/* offset of "PATTERN\0SOURCE\0" in txn->text */
	u32 ports_off;		/* first range in txn->ports */
	u32 n_ports;
	u8 addr[16];
};

/* netns.c */
extern unsigned int efw_net_id;
struct efw_net *efw_net(const struct net *net);
int efw_net_activate(struct efw_net *en);
void efw_net_deactivate(struct efw_net *en);
int __init efw_netns_init(void);
void efw_netns_exit(void);

/* stats */
/*
 * LOCAL_OUT may run preemptible: pin the CPU while its counters are
 * updated, or a migration could race another CPU's increment.
 */
static inline void efw_stat_inc(struct efw_net *en, enum efw_stat s)
{
	struct efw_pcpu_stats *st = get_cpu_ptr(en->stats);
	unsigned long flags;

	flags = u64_stats_update_begin_irqsave(&st->syncp);
	u64_stats_inc(&st->v[s]);
	u64_stats_update_end_irqrestore(&st->syncp, flags);
	put_cpu_ptr(en->stats);
}
void efw_stats_read(const struct efw_net *en, u64 *out);

/* ruleset.c */
struct efw_ruleset *efw_ruleset_build(struct efw_txn *txn, u32 generation,
				      int *err);
void efw_ruleset_free(struct efw_ruleset *rs);
void efw_ruleset_free_rcu(struct efw_ruleset *rs);
int efw_txn_add_rule(struct efw_txn *txn, u32 id, const char *pattern,
		     size_t pattern_len, const struct efw_port_range *ports,
		     u32 n_ports, const char *source, const char **msg);
void efw_txn_free(struct efw_txn *txn);
static inline const char *efw_rule_pattern(const struct efw_ruleset *rs, u32 i)
{
	return rs->text + rs->meta[i].text;
}

static inline const char *efw_rule_source(const struct efw_ruleset *rs, u32 i)
{
	const char *p = efw_rule_pattern(rs, i);

	return p + strlen(p) + 1;
}
void efw_rule_hit(struct efw_ruleset *rs, u32 rule, bool by_dns);
int efw_format_ports(const struct efw_port_range *r, u32 n, char *buf,
		     size_t size);

/* hooks.c */
int efw_hooks_register(struct net *net);
void efw_hooks_unregister(struct net *net);

/* flow.c: flows waiting for their ClientHello */
struct nf_conn;
int efw_pending_init(struct efw_net *en);
void efw_pending_exit(struct efw_net *en);
void efw_pending_flush(struct efw_net *en);
u32 efw_pending_count(const struct efw_net *en);

/* dns_snoop.c: DNS answers read on their way to the client */
struct sk_buff;
void efw_dns_snoop(struct efw_net *en, struct efw_ruleset *rs,
		   const struct sk_buff *skb, u8 proto, unsigned int l4off);
int __init efw_dns_snoop_init(void);
void efw_dns_snoop_exit(void);

/* reject.c */
void efw_reject(struct net *net, struct sk_buff *skb,
		const struct nf_hook_state *state, u8 proto);
bool efw_reset_server(struct sk_buff *skb, u8 family, unsigned int l4off);

/* netlink.c */
extern struct genl_family efw_family;
#define EFW_MCGRP_EVENTS_ID 0	/* index in the family's mcgrps */
int __init efw_genl_init(void);
void efw_genl_exit(void);

/* events.c: deny events on the multicast group */
struct efw_event {
	u8 family, proto, reason;
	bool audit;
	u16 dport;
	s32 rule;		/* -1: none */
	const u8 *saddr, *daddr;
	const char *name;	/* SNI or learned name, or NULL */
};
void efw_events_init(struct efw_net *en);
void efw_event(struct efw_net *en, const struct efw_event *ev);

/* proc.c */
int efw_proc_init(struct efw_net *en);
void efw_proc_exit(struct efw_net *en);

#endif /* EGRESSFW_EFW_H */
