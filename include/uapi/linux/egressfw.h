/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * egressfw generic netlink ABI, version 1, as egressfw.ko implements it.
 * Commands marked "not yet implemented" are reserved; a change to anything
 * else bumps EGRESSFW_GENL_VERSION.
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
/* Multicast group: one EGRESSFW_CMD_EVENT message per deny / audit event. */
#define EGRESSFW_MCGRP_EVENTS "events"

#define EGRESSFW_TXN_TIMEOUT_SEC 30
/* TCP ports that may be configured as TLS ports. */
#define EGRESSFW_MAX_TLS_PORTS 16
/* Port ranges in one rule's EGRESSFW_RULE_A_PORTS. */
#define EGRESSFW_MAX_PORT_RANGES 64
/* Rules in one ruleset; a bigger list is refused (E2BIG) at ADD. */
#define EGRESSFW_MAX_RULES (1U << 24)

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
 *	request: EGRESSFW_A_TXN_ID, EGRESSFW_A_RULE_COUNT. Compiles the rules
 *	and swaps them in. The transaction is over whatever the outcome.
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
	EGRESSFW_CMD_GET_CACHE,		/* dump: learned addresses (not yet implemented) */
	EGRESSFW_CMD_EVENT,		/* multicast only (not yet implemented) */
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
	EGRESSFW_RULE_A_LEARNED,	/* u32, dump only: addresses currently learned for it */
	EGRESSFW_RULE_A_PAD,
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
	__EGRESSFW_DENY_MAX
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
	EGRESSFW_CFG_A_STRICT,		/* u8: SNI must also match a learned address (not yet implemented) */
	__EGRESSFW_CFG_A_MAX
};
#define EGRESSFW_CFG_A_MAX (__EGRESSFW_CFG_A_MAX - 1)

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
	__EGRESSFW_EVENT_A_MAX
};
#define EGRESSFW_EVENT_A_MAX (__EGRESSFW_EVENT_A_MAX - 1)

#endif /* _UAPI_LINUX_EGRESSFW_H */
