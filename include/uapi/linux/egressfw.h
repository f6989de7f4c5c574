/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * egressfw generic netlink ABI, version 1, as egressfw.ko implements it.
 * New commands, attributes and enum values are added at the end, so an
 * older egressctl keeps working; a change to the meaning or type of an
 * existing one bumps EGRESSFW_GENL_VERSION.
 *
 * Family "egressfw", version EGRESSFW_GENL_VERSION. The family is netnsok:
 * every command acts on the network namespace of the requesting socket.
 * Mutating commands need CAP_NET_ADMIN in the user namespace owning that
 * network namespace (GENL_UNS_ADMIN_PERM).
 *
 * Replacing the ruleset is a transaction, because a big list does not fit
 * one netlink message:
 *
 *   EGRESSFW_CMD_RULESET_BEGIN   -> reply carries EGRESSFW_A_TXN_ID
 *   EGRESSFW_CMD_RULESET_ADD     (EGRESSFW_A_TXN_ID, EGRESSFW_A_RULES), repeated
 *   EGRESSFW_CMD_RULESET_COMMIT  (EGRESSFW_A_TXN_ID, EGRESSFW_A_RULE_COUNT)
 *
 * Nothing changes for packets before COMMIT, which compiles the rules and
 * swaps the whole ruleset at once (RCU): a packet sees the old ruleset or
 * the new one, never a mix. A transaction belongs to the socket that began
 * it; it is dropped on EGRESSFW_CMD_RULESET_ABORT, when that socket
 * closes, or after EGRESSFW_TXN_TIMEOUT_SEC without a message, and then
 * nothing has changed. One transaction at a time per namespace: a BEGIN
 * while another is open fails with EBUSY (egressctl retries).
 * COMMIT checks EGRESSFW_A_RULE_COUNT against the rules received, so a lost
 * message fails the commit (EPROTO) instead of loading a partial list.
 *
 * Rules carry their PATTERN as text, exactly as in a list file after
 * canonicalisation ("*.sophos.com", "146.112.62.0/24"); the module parses
 * it with the same code egressctl uses, so both agree on its meaning.
 */
#ifndef _UAPI_LINUX_EGRESSFW_H
#define _UAPI_LINUX_EGRESSFW_H

#include <linux/types.h>

#define EGRESSFW_GENL_NAME "egressfw"
#define EGRESSFW_GENL_VERSION 1
/*
 * Multicast group: one EGRESSFW_CMD_EVENT message per denied flow (in
 * audit mode: per flow that would have been denied), sent to listeners in
 * the namespace of the flow, at most 100 a second per namespace; the rest
 * are counted in EGRESSFW_STATS_A_EVENTS_SUPPRESSED.
 */
#define EGRESSFW_MCGRP_EVENTS "events"
/*
 * Multicast group: one EGRESSFW_CMD_LEARNED message per (address, name)
 * learned or refreshed whose name matches a rule that carries an nft set
 * (EGRESSFW_RULE_A_SET), for `egressctl nft-sync`. Not rate limited:
 * answers are bounded by the queries they must match; a listener that
 * falls behind gets ENOBUFS and starts again from EGRESSFW_CMD_GET_CACHE.
 */
#define EGRESSFW_MCGRP_LEARNED "learned"
/* Bytes of an EGRESSFW_RULE_A_SET string, its NUL included. */
#define EGRESSFW_SET_MAX 128
/* Entries of the would-be-denial report per namespace. */
#define EGRESSFW_REPORT_MAX 1024

#define EGRESSFW_TXN_TIMEOUT_SEC 30
/* TCP ports that may be configured as TLS ports. */
#define EGRESSFW_MAX_TLS_PORTS 16
/* Port ranges in one rule's EGRESSFW_RULE_A_PORTS. */
#define EGRESSFW_MAX_PORT_RANGES 64
/* Resolvers in EGRESSFW_CFG_A_DNS_SERVERS. */
#define EGRESSFW_MAX_DNS_SERVERS 16
/* Rules in one ruleset (1,048,576); a bigger list is refused (E2BIG) at ADD. */
#define EGRESSFW_MAX_RULES (1U << 20)

/*
 * Commands. "Request" lists the attributes a request carries, "reply" what
 * the kernel answers (besides the netlink ACK/error, whose extack message
 * says what was wrong in words a person can act on).
 *
 * EGRESSFW_CMD_RULESET_BEGIN (admin)
 *	request: none. reply: EGRESSFW_A_TXN_ID.
 *	EBUSY if another socket has a transaction open in this namespace.
 * EGRESSFW_CMD_RULESET_ADD (admin)
 *	request: EGRESSFW_A_TXN_ID, EGRESSFW_A_RULES (nested EGRESSFW_A_RULE,
 *	each with EGRESSFW_RULE_A_ID, _PATTERN, _PORTS and optionally _SOURCE).
 *	Rule ids must run 0, 1, 2, ... across the ADD messages of a
 *	transaction, in list order (the first matching rule decides).
 *	An invalid rule fails the message and aborts the transaction.
 * EGRESSFW_CMD_RULESET_COMMIT (admin)
 *	request: EGRESSFW_A_TXN_ID, EGRESSFW_A_RULE_COUNT, optionally
 *	EGRESSFW_A_CONFIG (settings, as SET_CONFIG takes them, swapped in
 *	with the rules: both or neither) and EGRESSFW_A_ORIGIN. Compiles the
 *	rules and swaps them in. The transaction is over whatever the outcome.
 * EGRESSFW_CMD_RULESET_ABORT (admin)
 *	request: EGRESSFW_A_TXN_ID.
 * EGRESSFW_CMD_GET_RULES (dump)
 *	reply: one message per rule: EGRESSFW_A_GENERATION and EGRESSFW_A_RULE
 *	(every EGRESSFW_RULE_A_*). A dump interrupted by a commit or flush
 *	ends with NLM_F_DUMP_INTR set: start again.
 * EGRESSFW_CMD_FLUSH (admin)
 *	request: none. Drops the ruleset: the namespace passes everything,
 *	as before the first load.
 * EGRESSFW_CMD_GET_STATS
 *	reply: EGRESSFW_A_LOADED, EGRESSFW_A_GENERATION, EGRESSFW_A_RULE_COUNT,
 *	EGRESSFW_A_STATS.
 * EGRESSFW_CMD_GET_CONFIG
 *	reply: EGRESSFW_A_CONFIG with every EGRESSFW_CFG_A_*.
 * EGRESSFW_CMD_SET_CONFIG (admin)
 *	request: EGRESSFW_A_CONFIG with any subset of EGRESSFW_CFG_A_*;
 *	all are checked before any is applied.
 * EGRESSFW_CMD_GET_CACHE (dump)
 *	reply: one message per learned (address, name) pair: EGRESSFW_A_CACHE
 *	(nested EGRESSFW_CACHE_A_*). The table changes under the dump, which
 *	resumes by hash bucket: an entry added or refreshed meanwhile may be
 *	missed or shown twice (it is a view of a cache, not a snapshot).
 * EGRESSFW_CMD_LEARNED
 *	multicast only ("learned"): EGRESSFW_A_CACHE, as the dump has it,
 *	with one EGRESSFW_CACHE_A_SET per set of the rules its name matches.
 * EGRESSFW_CMD_GET_REPORT (dump, admin)
 *	reply: one message per entry of the namespace's report of denials
 *	(in audit mode: would-be denials): EGRESSFW_A_REPORT (nested
 *	EGRESSFW_REPORT_A_*). Entries are keyed by (name, or the address
 *	when no name is known; protocol; port); at most EGRESSFW_REPORT_MAX,
 *	more are counted in EGRESSFW_STATS_A_REPORT_FULL.
 * EGRESSFW_CMD_CLEAR_REPORT (admin)
 *	request: none. Empties the report.
 */
enum egressfw_cmd {
	EGRESSFW_CMD_UNSPEC,
	EGRESSFW_CMD_RULESET_BEGIN,	/* start a replace transaction */
	EGRESSFW_CMD_RULESET_ADD,	/* append rules to it */
	EGRESSFW_CMD_RULESET_COMMIT,	/* compile and swap atomically */
	EGRESSFW_CMD_RULESET_ABORT,	/* drop it */
	EGRESSFW_CMD_GET_RULES,		/* dump: one message per rule, with counters */
	EGRESSFW_CMD_FLUSH,		/* back to pass-through (no ruleset) */
	EGRESSFW_CMD_GET_STATS,		/* global counters */
	EGRESSFW_CMD_GET_CONFIG,
	EGRESSFW_CMD_SET_CONFIG,	/* any subset of EGRESSFW_CFG_A_* */
	EGRESSFW_CMD_GET_CACHE,		/* dump: learned addresses */
	EGRESSFW_CMD_EVENT,		/* multicast only: EGRESSFW_A_EVENT */
	EGRESSFW_CMD_LEARNED,		/* multicast only: EGRESSFW_A_CACHE */
	EGRESSFW_CMD_GET_REPORT,	/* dump: would-be denials by name and port */
	EGRESSFW_CMD_CLEAR_REPORT,
	__EGRESSFW_CMD_MAX
};
#define EGRESSFW_CMD_MAX (__EGRESSFW_CMD_MAX - 1)

enum egressfw_attr {
	EGRESSFW_A_UNSPEC,
	EGRESSFW_A_TXN_ID,		/* u32 */
	EGRESSFW_A_RULES,		/* nested: EGRESSFW_A_RULE, ... */
	EGRESSFW_A_RULE,		/* nested: EGRESSFW_RULE_A_* */
	EGRESSFW_A_RULE_COUNT,		/* u32: rules sent in the transaction */
	EGRESSFW_A_GENERATION,		/* u32: bumped by every commit and flush */
	EGRESSFW_A_LOADED,		/* u8: 1 if a ruleset is loaded (else pass-through) */
	EGRESSFW_A_STATS,		/* nested: EGRESSFW_STATS_A_* */
	EGRESSFW_A_CONFIG,		/* nested: EGRESSFW_CFG_A_* */
	EGRESSFW_A_EVENT,		/* nested: EGRESSFW_EVENT_A_* */
	EGRESSFW_A_PAD,
	EGRESSFW_A_CACHE,		/* nested: EGRESSFW_CACHE_A_* */
	EGRESSFW_A_ORIGIN,		/* u8: enum egressfw_origin of the ruleset committed */
	EGRESSFW_A_REPORT,		/* nested: EGRESSFW_REPORT_A_* */
	__EGRESSFW_A_MAX
};
#define EGRESSFW_A_MAX (__EGRESSFW_A_MAX - 1)

/* One inclusive port range; EGRESSFW_RULE_A_PORTS is an array of them. */
struct egressfw_port_range {
	__u8 proto;			/* IPPROTO_TCP or IPPROTO_UDP */
	__u8 pad;
	__u16 lo;			/* host byte order */
	__u16 hi;
};

enum egressfw_rule_attr {
	EGRESSFW_RULE_A_UNSPEC,
	EGRESSFW_RULE_A_ID,		/* u32: position in the merged list, from 0 */
	EGRESSFW_RULE_A_PATTERN,	/* string: canonical PATTERN */
	EGRESSFW_RULE_A_PORTS,		/* binary: struct egressfw_port_range[], 1..64 */
	EGRESSFW_RULE_A_SOURCE,		/* string: "file:line", for people (<= 255 bytes + NUL) */
	EGRESSFW_RULE_A_ALLOWED,	/* u64, dump only: connections allowed by this rule */
	EGRESSFW_RULE_A_LAST_HIT,	/* u64, dump only: seconds since the last one, or absent */
	EGRESSFW_RULE_A_LEARNED,	/* u32, dump only: learned (address, name) entries whose name it matches */
	EGRESSFW_RULE_A_PAD,
	EGRESSFW_RULE_A_ALLOWED_DNS,	/* u64, dump only: of ALLOWED, those allowed by a DNS-learned address */
	EGRESSFW_RULE_A_SET,		/* string, optional: the nft set(s) its learned addresses go to,
					 * "FAMILY TABLE SET [SET...]" (< EGRESSFW_SET_MAX bytes); the
					 * module only stores it and repeats it in LEARNED and GET_CACHE */
	__EGRESSFW_RULE_A_MAX
};
#define EGRESSFW_RULE_A_MAX (__EGRESSFW_RULE_A_MAX - 1)

enum egressfw_stats_attr {
	EGRESSFW_STATS_A_UNSPEC,
	EGRESSFW_STATS_A_PACKETS,	/* u64: guarded packets examined before their flow's verdict */
	EGRESSFW_STATS_A_FLOWS,		/* u64: guarded flows decided */
	EGRESSFW_STATS_A_ALLOWED_CIDR,	/* u64 */
	EGRESSFW_STATS_A_ALLOWED_SNI,	/* u64 */
	EGRESSFW_STATS_A_ALLOWED_DNS,	/* u64 */
	EGRESSFW_STATS_A_DENIED,	/* nested: u64 per enum egressfw_deny_reason, attr = reason + 1; attr 0 is padding */
	EGRESSFW_STATS_A_PAD,
	/* DNS learning (see "DNS learning" below) */
	EGRESSFW_STATS_A_DNS_ANSWERS,	/* u64: answers parsed on flows to port 53 */
	EGRESSFW_STATS_A_DNS_IGNORED,	/* u64: port-53 replies that were not a usable answer */
	EGRESSFW_STATS_A_DNS_UNSOLICITED,/* u64: answers on no flow this host saw leave: not learned */
	EGRESSFW_STATS_A_DNS_LEARNED,	/* u64: (address, name) entries created */
	EGRESSFW_STATS_A_DNS_REFRESHED,	/* u64: entries whose expiry a new answer moved */
	EGRESSFW_STATS_A_DNS_EVICTED,	/* u64: live entries pushed out by the table bound */
	EGRESSFW_STATS_A_DNS_ENTRIES,	/* u32: entries in the table now */
	EGRESSFW_STATS_A_EVENTS_SUPPRESSED,/* u64: deny events not sent (rate limit, no memory) */
	EGRESSFW_STATS_A_DNS_WRONG_WAY,	/* u64: answers in from the client's side: not learned */
	EGRESSFW_STATS_A_OVER_BUDGET,	/* u64: hello buffers, learned entries refused by a host-wide budget */
	EGRESSFW_STATS_A_NOT_EGRESS,	/* u64: guarded connections not judged: not out by an egress interface, or local pass */
	EGRESSFW_STATS_A_LAST_GOOD,	/* u32: what the ruleset is: enum egressfw_origin */
	EGRESSFW_STATS_A_DNS_UNMATCHED,	/* u64: UDP answers that repeat no query in flight: not learned */
	EGRESSFW_STATS_A_REPORT_FULL,	/* u64: denials not added to the full report */
	__EGRESSFW_STATS_A_MAX
};
#define EGRESSFW_STATS_A_MAX (__EGRESSFW_STATS_A_MAX - 1)

enum egressfw_deny_reason {
	EGRESSFW_DENY_NO_MATCH,		/* a name or address no rule allows */
	EGRESSFW_DENY_NO_SNI,		/* ClientHello without server_name */
	EGRESSFW_DENY_NOT_TLS,		/* non-TLS bytes on a TLS port */
	EGRESSFW_DENY_MALFORMED,	/* a ClientHello that breaks the rules */
	EGRESSFW_DENY_PENDING_OVERFLOW,	/* too many flows awaiting a ClientHello */
	EGRESSFW_DENY_TIMEOUT,		/* ClientHello incomplete in time or over the bound */
	EGRESSFW_DENY_STRICT,		/* strict mode: SNI allowed, address not learned for its rule */
	EGRESSFW_DENY_QUIC,		/* UDP 443 while the QUIC policy is "deny" */
	EGRESSFW_DENY_DNS_SERVER,	/* DNS to a server not in dns-servers */
	EGRESSFW_DENY_ECH,		/* a ClientHello with ECH while the ECH policy is "deny" */
	EGRESSFW_DENY_OFFLOADED,	/* offloaded to an nft flowtable before its verdict was final */
	__EGRESSFW_DENY_MAX
};

/*
 * Where a ruleset came from, as its loader said (EGRESSFW_A_ORIGIN at
 * COMMIT; EGRESSFW_STATS_A_LAST_GOOD reports it). A gateway whose
 * configured lists failed to load at boot runs the last copy that did
 * load, or, with none, an empty list that denies every guarded flow.
 */
enum egressfw_origin {
	EGRESSFW_ORIGIN_LISTS,		/* the configured lists */
	EGRESSFW_ORIGIN_LAST_GOOD,	/* the last-known-good copy: the lists failed */
	EGRESSFW_ORIGIN_DENY_ALL,	/* nothing loadable: deny every guarded flow */
};

enum egressfw_mode {
	EGRESSFW_MODE_ENFORCE,		/* deny: drop and reset */
	EGRESSFW_MODE_AUDIT,		/* allow all, count and report would-be denies */
};

enum egressfw_cfg_attr {
	EGRESSFW_CFG_A_UNSPEC,
	EGRESSFW_CFG_A_MODE,		/* u8: enum egressfw_mode */
	EGRESSFW_CFG_A_TLS_PORTS,	/* binary: __u16[] TCP ports parsed as TLS, default {443} */
	EGRESSFW_CFG_A_HELLO_MAX,	/* u32: reassembly bound in bytes */
	EGRESSFW_CFG_A_HELLO_TIMEOUT_MS,/* u32: time allowed for a ClientHello */
	EGRESSFW_CFG_A_PENDING_MAX,	/* u32: flows awaiting a ClientHello, per namespace */
	EGRESSFW_CFG_A_STRICT,		/* u8: 1 = on TLS ports the address must also be learned for the SNI's rule */
	EGRESSFW_CFG_A_DNS_TTL_MIN,	/* u32: seconds; shorter answer TTLs are raised to it (default 30) */
	EGRESSFW_CFG_A_DNS_TTL_MAX,	/* u32: seconds; longer TTLs are cut to it (default 3600) */
	EGRESSFW_CFG_A_DNS_GRACE,	/* u32: seconds an entry outlives its clamped TTL (default 60) */
	EGRESSFW_CFG_A_DNS_MAX,		/* u32: learned entries per namespace (default 65536) */
	EGRESSFW_CFG_A_QUIC,		/* u8: enum egressfw_quic */
	EGRESSFW_CFG_A_DNS_SERVERS,	/* binary: struct egressfw_addr[], 0..16; empty = any server */
	EGRESSFW_CFG_A_ECH,		/* u8: enum egressfw_ech */
	EGRESSFW_CFG_A_EGRESS_IFACES,	/* binary: struct egressfw_iface[], 0..8; empty = every interface */
	EGRESSFW_CFG_A_LOCAL,		/* u8: enum egressfw_local */
	__EGRESSFW_CFG_A_MAX
};
#define EGRESSFW_CFG_A_MAX (__EGRESSFW_CFG_A_MAX - 1)

/*
 * QUIC (UDP 443) carries its ClientHello encrypted with keys derived from
 * the connection id, so the module does not read it: a QUIC flow is
 * judged by its address alone.
 */
enum egressfw_quic {
	EGRESSFW_QUIC_LIST,		/* allowed to CIDR / DNS-learned addresses of rules naming udp/443 */
	EGRESSFW_QUIC_DENY,		/* always denied: browsers fall back to TCP */
};

/*
 * Encrypted Client Hello hides the real server name in an encrypted inner
 * hello; the outer one carries the provider's public name in its SNI.
 * Real ECH and the GREASE ECH that Chrome sends on every connection look
 * alike by design, so a policy can only apply to both.
 */
enum egressfw_ech {
	EGRESSFW_ECH_OUTER,		/* judge by the outer SNI (default): GREASE ECH passes */
	EGRESSFW_ECH_DENY,		/* deny every hello with ECH, GREASE too (breaks Chrome) */
};

/*
 * The host's own connections (LOCAL_OUT). A gateway that is to restrict
 * its clients but not itself sets "pass".
 */
enum egressfw_local {
	EGRESSFW_LOCAL_JUDGE,		/* judged like a client's (default) */
	EGRESSFW_LOCAL_PASS,		/* not judged */
};

/*
 * Egress: the interfaces that lead out (a gateway's WAN side). With none
 * set, every interface does (a plain host). With some set, a connection
 * is judged only when its first packet leaves by one of them (inbound
 * port-forwards and LAN-to-LAN traffic are not judged), and DNS answers
 * and servers' acknowledgements count only when they come in by one of
 * them. A name ending in '*' covers every interface it is the start of.
 */
#define EGRESSFW_MAX_EGRESS_IFACES 8
struct egressfw_iface {
	char name[16];			/* IFNAMSIZ: NUL-terminated, NUL-padded */
};

/* An address in EGRESSFW_CFG_A_DNS_SERVERS. */
struct egressfw_addr {
	__u8 family;			/* 4 or 6 */
	__u8 pad[3];
	__u8 addr[16];			/* network byte order; 4 bytes used for IPv4 */
};

/*
 * DNS learning. Replies on flows whose original direction went to UDP or
 * TCP port 53 through this host (LOCAL_OUT, FORWARD; LOCAL_IN for the
 * host's own queries) are parsed before they go on. For the question and
 * every CNAME in its chain that some rule's pattern matches, each A/AAAA
 * address is recorded with that name, for min(TTL along the chain)
 * clamped to [DNS_TTL_MIN, DNS_TTL_MAX] plus DNS_GRACE. A SYN (or first
 * UDP datagram) to a non-TLS guarded port is allowed when its destination
 * has an unexpired entry whose name matches a rule covering that port;
 * names are matched against the ruleset in force at that moment, so a
 * reload keeps what was learned. Replies that are not on such a flow are
 * counted as unsolicited and ignored.
 */
enum egressfw_cache_attr {
	EGRESSFW_CACHE_A_UNSPEC,
	EGRESSFW_CACHE_A_FAMILY,	/* u8: 4 or 6 */
	EGRESSFW_CACHE_A_ADDR,		/* binary: 4 or 16 bytes */
	EGRESSFW_CACHE_A_NAME,		/* string: the name it was learned for */
	EGRESSFW_CACHE_A_EXPIRES,	/* u32: seconds left (grace included) */
	EGRESSFW_CACHE_A_TTL,		/* u32: the clamped TTL it was given, in seconds */
	EGRESSFW_CACHE_A_RULE,		/* u32: first rule whose pattern matches the name; absent if none */
	EGRESSFW_CACHE_A_SET,		/* string, repeated: each distinct EGRESSFW_RULE_A_SET of the rules
					 * the name matches (at most 4) */
	__EGRESSFW_CACHE_A_MAX
};
#define EGRESSFW_CACHE_A_MAX (__EGRESSFW_CACHE_A_MAX - 1)

enum egressfw_event_attr {
	EGRESSFW_EVENT_A_UNSPEC,
	EGRESSFW_EVENT_A_TIME_NS,	/* u64: CLOCK_REALTIME */
	EGRESSFW_EVENT_A_FAMILY,	/* u8: 4 or 6 */
	EGRESSFW_EVENT_A_SADDR,		/* binary: 4 or 16 bytes */
	EGRESSFW_EVENT_A_DADDR,		/* binary: 4 or 16 bytes */
	EGRESSFW_EVENT_A_PROTO,		/* u8 */
	EGRESSFW_EVENT_A_DPORT,		/* u16, host byte order */
	EGRESSFW_EVENT_A_NAME,		/* string: SNI or learned name, if any */
	EGRESSFW_EVENT_A_REASON,	/* u8: enum egressfw_deny_reason */
	EGRESSFW_EVENT_A_AUDIT,		/* flag: would have been denied */
	EGRESSFW_EVENT_A_PAD,
	EGRESSFW_EVENT_A_RULE,		/* u32: the rule the name matched, if one did (strict, quic) */
	__EGRESSFW_EVENT_A_MAX
};
#define EGRESSFW_EVENT_A_MAX (__EGRESSFW_EVENT_A_MAX - 1)

/*
 * The report of denials, for rolling out a list: run in audit mode, read
 * what the list would have denied (`egressctl report`), turn it into
 * list lines (`egressctl report --suggest`).
 */
enum egressfw_report_attr {
	EGRESSFW_REPORT_A_UNSPEC,
	EGRESSFW_REPORT_A_NAME,		/* string: SNI or learned name; absent if none was known */
	EGRESSFW_REPORT_A_FAMILY,	/* u8: 4 or 6, with ADDR when NAME is absent */
	EGRESSFW_REPORT_A_ADDR,		/* binary: 4 or 16 bytes, when NAME is absent */
	EGRESSFW_REPORT_A_PROTO,	/* u8: IPPROTO_TCP or IPPROTO_UDP */
	EGRESSFW_REPORT_A_PORT,		/* u16, host byte order */
	EGRESSFW_REPORT_A_COUNT,	/* u64: flows denied (or that would have been) */
	EGRESSFW_REPORT_A_FIRST,	/* u64: CLOCK_REALTIME seconds of the first */
	EGRESSFW_REPORT_A_LAST,		/* u64: CLOCK_REALTIME seconds of the last */
	EGRESSFW_REPORT_A_REASON,	/* u8: enum egressfw_deny_reason of the last */
	EGRESSFW_REPORT_A_AUDIT,	/* flag: the last one was in audit mode */
	EGRESSFW_REPORT_A_PAD,
	__EGRESSFW_REPORT_A_MAX
};
#define EGRESSFW_REPORT_A_MAX (__EGRESSFW_REPORT_A_MAX - 1)

#endif /* _UAPI_LINUX_EGRESSFW_H */
