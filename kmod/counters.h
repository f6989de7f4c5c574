/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The global counters and the deny reasons, once, for every view of them:
 * the module's per-CPU counters, /proc/net/egressfw/stats and the netlink
 * reply (kmod/stats.c), and egressctl's stats, -j, --prometheus and
 * monitor. Compiled into the module and into egressctl (kmod/shared.mk),
 * as the list parser is.
 *
 * Adding a counter: one X(...) line in EFW_COUNTER_LIST, where it should
 * appear in the views; its attribute at the end of enum
 * egressfw_stats_attr (the ABI); its line in egressctl(8) (doc/design.md
 * says where). Adding a deny reason: its value at the end of enum
 * egressfw_deny_reason, one line in EFW_DENY_REASON_LIST, its line in
 * egressctl(8).
 */
#ifndef EGRESSFW_COUNTERS_H
#define EGRESSFW_COUNTERS_H

#include "portable.h"
#include <uapi/linux/egressfw.h>

/*
 * The counters in the order every view shows them.
 *   X(ID, GROUP, KEY, HELP): a per-CPU u64 counter, the attribute
 *     EGRESSFW_STATS_A_<ID>. GROUP gathers counters under one name: JSON
 *     nests them ("allowed": {"cidr": N}), /proc and people join the two
 *     ("allowed_cidr", "allowed cidr"); NULL for none.
 *   DENIED(): the denials, by reason (EFW_DENY_REASON_LIST).
 *   GAUGE(ID, GROUP, KEY, HELP): a u32 the module reads when asked.
 * HELP is Prometheus' help line, a sentence.
 */
#define EFW_COUNTER_LIST(X, DENIED, GAUGE)					\
	X(PACKETS, NULL, "packets",						\
	  "Guarded packets examined before their flow's verdict.")		\
	X(FLOWS, NULL, "flows", "Guarded flows decided.")			\
	X(NOT_EGRESS, NULL, "not_egress",					\
	  "Guarded connections not judged: not out by an egress interface, or the host's own under local pass.") \
	X(ALLOWED_CIDR, "allowed", "cidr", "Connections allowed by a CIDR rule.") \
	X(ALLOWED_SNI, "allowed", "sni", "Connections allowed by the TLS SNI.")	\
	X(ALLOWED_DNS, "allowed", "dns",					\
	  "Connections allowed by a DNS-learned address.")			\
	DENIED()								\
	X(DNS_ANSWERS, "dns", "answers", "DNS answers read on flows to port 53.") \
	X(DNS_IGNORED, "dns", "ignored",					\
	  "Port-53 replies that were not a usable answer (malformed, too big, split).") \
	X(DNS_UNSOLICITED, "dns", "unsolicited",				\
	  "DNS answers on no flow that left through this host: never learned.") \
	X(DNS_WRONG_WAY, "dns", "wrong_way",					\
	  "DNS answers in from the client's side: never learned.")		\
	X(DNS_UNMATCHED, "dns", "unmatched",					\
	  "UDP DNS answers that repeat no query in flight on their flow: never learned.") \
	X(DNS_LEARNED, "dns", "learned", "Learned (address, name) entries created.") \
	X(DNS_REFRESHED, "dns", "refreshed",					\
	  "Learned entries whose expiry a new answer moved.")			\
	X(DNS_EVICTED, "dns", "evicted",					\
	  "Live learned entries pushed out by the table bound (dns-max).")	\
	GAUGE(DNS_ENTRIES, "dns", "entries",					\
	      "Learned (address, name) entries in the table now.")		\
	X(EVENTS_SUPPRESSED, NULL, "events_suppressed",				\
	  "Deny events the module did not send (rate limit, no memory).")	\
	X(OVER_BUDGET, NULL, "over_budget",					\
	  "Hello buffers and learned entries refused by a host-wide budget.") \
	X(REPORT_FULL, NULL, "report_full",					\
	  "Denials not recorded in the report (egressctl report): it was full.") \
	GAUGE(LAST_GOOD, NULL, "last_good",					\
	      "0: the configured lists are loaded; 1: they failed and the last-known-good copy runs; 2: neither loaded, every guarded connection is denied.")

/* X(ID, NAME, HELP) for each enum egressfw_deny_reason, in value order. */
#define EFW_DENY_REASON_LIST(X)							\
	X(NO_MATCH, "no_match", "a name or address no rule allows")		\
	X(NO_SNI, "no_sni", "a ClientHello without server_name")		\
	X(NOT_TLS, "not_tls", "non-TLS bytes on a TLS port")			\
	X(MALFORMED, "malformed", "a ClientHello that breaks the rules")	\
	X(PENDING_OVERFLOW, "pending_overflow",					\
	  "too many flows waiting for their ClientHello")			\
	X(TIMEOUT, "timeout", "ClientHello incomplete in time or over the bound") \
	X(STRICT, "strict", "strict mode: the SNI's rule never learned the address") \
	X(QUIC, "quic", "UDP 443 under `set quic deny`")			\
	X(DNS_SERVER, "dns_server", "DNS to a server not in dns-servers")	\
	X(ECH, "ech", "a ClientHello with ECH under `set ech deny`")		\
	X(OFFLOADED, "offloaded",						\
	  "offloaded to an nft flowtable before its verdict was final")

/* The module's per-CPU slots: the counters, then one per deny reason. */
#define EFW_SLOT_(id, group, key, help) EFW_STAT_##id,
#define EFW_NONE_(...)
enum efw_stat {
	EFW_COUNTER_LIST(EFW_SLOT_, EFW_NONE_, EFW_NONE_)
	EFW_STAT_DENIED,	/* + enum egressfw_deny_reason */
	EFW_STAT_MAX = EFW_STAT_DENIED + __EGRESSFW_DENY_MAX,
};
#undef EFW_SLOT_
#undef EFW_NONE_

enum efw_counter_kind {
	EFW_COUNTER,		/* a per-CPU counter: ->slot */
	EFW_COUNTER_DENIED,	/* the denials: EFW_STAT_DENIED + reason */
	EFW_COUNTER_GAUGE,	/* a value the module reads when asked */
};

struct efw_counter {
	u8 kind;		/* enum efw_counter_kind */
	u8 slot;		/* EFW_COUNTER: enum efw_stat */
	u16 attr;		/* EGRESSFW_STATS_A_* */
	const char *group;	/* NULL or "allowed", "dns" */
	const char *key;
	const char *help;
};

extern const struct efw_counter efw_counters[];
extern const unsigned int efw_n_counters;

/*
 * A group as Prometheus shows it: one metric egressfw_GROUP_total with a
 * label LABEL="KEY" per member, or (LABEL NULL) a metric per member,
 * egressfw_GROUP_KEY_total.
 */
struct efw_counter_group {
	const char *group;
	const char *label;
	const char *help;
};

extern const struct efw_counter_group efw_counter_groups[];
extern const unsigned int efw_n_counter_groups;

/* "no_match", ... by enum egressfw_deny_reason; and their help lines. */
extern const char *const efw_deny_reason_names[__EGRESSFW_DENY_MAX];
extern const char *const efw_deny_reason_help[__EGRESSFW_DENY_MAX];

/*
 * A counter's name as /proc and people see it: "allowed_cidr" (with
 * @sep '_') or "allowed cidr" (' '). Returns @buf.
 */
char *efw_counter_name(const struct efw_counter *c, char sep, char *buf,
		       size_t size);

#endif /* EGRESSFW_COUNTERS_H */
