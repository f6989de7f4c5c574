/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DNS response parser: from one response message, the question name, the
 * CNAME chain that starts at it, the A/AAAA addresses at the end of that
 * chain, and the smallest TTL along the way. Everything else in the message
 * (other sections, other record types, records unrelated to the chain) is
 * skipped after its length was checked.
 *
 * Used by the module to learn which addresses belong to allowed names, so
 * it must never trust a length, a count or a compression pointer.
 *
 * Choices made where the RFCs leave room (see dns_answer.c for the why):
 *  - QDCOUNT must be 1; anything else is EFW_DNS_MALFORMED (there is no
 *    question to tie the answers to, so nothing to learn).
 *  - Addresses are collected only when owned by the last name of the
 *    chain; A/AAAA records owned by the question or an intermediate CNAME
 *    owner are ignored (a name that has a CNAME has no other data).
 *  - A chain that loops, or is longer than EFW_DNS_MAX_NAMES, yields no
 *    addresses at all (flags say why): fail closed.
 *  - The authority and additional sections are checked for structure
 *    only; nothing is ever learned from them.
 *  - A TTL with the top bit set counts as 0 (RFC 2181 8). min_ttl is the
 *    lowest over the chain's CNAMEs and the addresses kept; clamping to
 *    the module's configured bounds is the caller's business.
 *  - A response with TC set is parsed like any other: what it holds is a
 *    true subset of the answer, flagged EFW_DNS_F_TRUNCATED.
 *  - Names whose labels contain '.' or NUL bytes cannot be told apart
 *    from other names in presentation form: such a question, or such an
 *    owner or target of an A/AAAA/CNAME answer record, is MALFORMED.
 */
#ifndef EGRESSFW_DNS_ANSWER_H
#define EGRESSFW_DNS_ANSWER_H

#include "portable.h"

/* Question name plus up to 7 CNAME hops: real chains are 1-3 long. */
#define EFW_DNS_MAX_NAMES 8
/* Addresses kept from one answer; more are counted in ->addrs_dropped. */
#define EFW_DNS_MAX_ADDRS 32

enum efw_dns_status {
	EFW_DNS_OK = 0,		/* a response; ->n_addrs may be 0 (NXDOMAIN, NODATA) */
	EFW_DNS_NOT_RESPONSE,	/* QR bit clear, or opcode other than QUERY */
	EFW_DNS_MALFORMED,	/* truncated, bad pointer, loop, bad counts ... */
	EFW_DNS_NEED_MORE,	/* TCP only: the 2-byte framed message is incomplete */
};

/* ->flags */
#define EFW_DNS_F_TRUNCATED	(1U << 0) /* TC bit set: answers may be partial */
#define EFW_DNS_F_CHAIN_CUT	(1U << 1) /* chain longer than EFW_DNS_MAX_NAMES: no addresses */
#define EFW_DNS_F_CHAIN_LOOP	(1U << 2) /* a CNAME leads back into the chain: no addresses */

struct efw_dns_addr {
	u8 family;		/* 4 or 6 */
	u8 addr[16];		/* network byte order; 4 bytes used for IPv4 */
};

struct efw_dns_result {
	u16 id;			/* transaction id */
	u16 qtype;
	u16 rcode;
	u16 flags;
	u32 min_ttl;		/* min TTL of the chain's CNAMEs and the kept addresses; 0 if no address */
	u8 n_names;		/* names[0] is the question, then each CNAME target */
	u8 n_addrs;
	u16 addrs_dropped;	/* addresses beyond EFW_DNS_MAX_ADDRS (saturates) */
	u8 name_len[EFW_DNS_MAX_NAMES];
	char names[EFW_DNS_MAX_NAMES][EFW_NAME_MAX + 1]; /* lower case, no trailing dot, NUL-terminated */
	struct efw_dns_addr addrs[EFW_DNS_MAX_ADDRS];
};

/*
 * Parse one DNS message of @len bytes (a UDP payload). The result is big
 * (~2.5 KiB): the module keeps one per CPU rather than on the stack.
 *
 * id, flags (TC) and rcode are filled in whenever the 12-byte header was
 * there; qtype, names, addresses and min_ttl are meaningful only for
 * EFW_DNS_OK (n_names and n_addrs are 0 otherwise). Bytes after the last
 * record the header counts are ignored. Identical addresses are kept once.
 */
enum efw_dns_status efw_dns_parse(const u8 *msg, size_t len,
				  struct efw_dns_result *res);

/*
 * Parse the first message of a DNS-over-TCP stream (RFC 1035 4.2.2: a
 * 2-byte length, then the message). Returns EFW_DNS_NEED_MORE with *@need
 * set to the total stream length required when @len is short. Otherwise
 * *@need is the length of the framed message (prefix included), so the
 * caller knows where the next one starts; a length prefix below 12 (no
 * room for a header) is EFW_DNS_MALFORMED.
 */
enum efw_dns_status efw_dns_parse_tcp(const u8 *stream, size_t len,
				      struct efw_dns_result *res, size_t *need);

/* A query as a client sends it: what its answer must repeat. */
struct efw_dns_query {
	u16 id;			/* transaction id */
	u16 qtype;
	u16 qclass;
	u8 name_len;
	char name[EFW_NAME_MAX + 1];	/* as efw_dns_result's names[0] */
};

/*
 * Parse one DNS query of @len bytes (a UDP payload): QR clear, opcode
 * QUERY, one question, whose name is read as efw_dns_parse() reads an
 * answer's question (lower case, no trailing dot), so the two compare
 * byte for byte. EFW_DNS_OK, or EFW_DNS_MALFORMED for anything else
 * (a response included).
 */
enum efw_dns_status efw_dns_parse_query(const u8 *msg, size_t len,
					struct efw_dns_query *q);

#endif /* EGRESSFW_DNS_ANSWER_H */
