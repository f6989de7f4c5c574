/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Allowlist entries: the syntax of one PATTERN (name, wildcard, glob,
 * address or CIDR) and its port set. egressctl validates a list with this
 * code; the module validates again what arrives over netlink with the very
 * same code, so the two can never disagree on what a pattern means.
 */
#ifndef EGRESSFW_PATTERN_H
#define EGRESSFW_PATTERN_H

#include "portable.h"

enum efw_kind {
	EFW_KIND_EXACT = 1,	/* central.sophos.com */
	EFW_KIND_WILDCARD = 2,	/* *.sophos.com: any name strictly below */
	EFW_KIND_GLOB = 3,	/* tf-*-bucket.s3.eu-west-1.amazonaws.com */
	EFW_KIND_CIDR4 = 4,	/* 146.112.62.0/24, 10.0.0.1 (= /32) */
	EFW_KIND_CIDR6 = 5,	/* 2a04:e4c7:ffff::/48 */
};

/* IANA protocol numbers, as in the IP header. */
#define EFW_PROTO_TCP 6
#define EFW_PROTO_UDP 17

/* An inclusive port range for one transport protocol. */
struct efw_port_range {
	u8 proto;
	u16 lo;
	u16 hi;
};

/*
 * A parsed PATTERN. For names, @name holds the canonical form: lower case,
 * no trailing dot, and for wildcards the leading "*." included, so that
 * printing @name gives back an equivalent list entry. For CIDRs, @addr holds
 * the network address (host bits are zero: see efw_pattern_parse()) in
 * network byte order, 4 or 16 bytes used.
 */
struct efw_pattern {
	u8 kind;		/* enum efw_kind */
	u8 prefix_len;		/* CIDR only: 0..32 or 0..128 */
	u16 name_len;		/* names only, excluding the NUL */
	char name[EFW_NAME_MAX + 1];
	u8 addr[16];
};

/*
 * Parse and canonicalise one PATTERN of @len bytes (not NUL-terminated).
 * Returns 0, or -EINVAL with *@err_msg set to a static English message and
 * *@err_off to the 0-based byte offset in @s the message points at.
 *
 * Rules (the list-format contract, see egressfw.list(5) and doc/design.md):
 * - names: labels of [A-Za-z0-9_-], 1..63 bytes, whole name <= 253 bytes,
 *   one trailing dot allowed, compared case-insensitively; the last label
 *   must not be all digits (that is a mistyped address, not a name);
 * - "*." as the first label makes a wildcard: every name below, at any
 *   depth, never the apex; the rest of a wildcard must be literal;
 * - '*' inside a label makes a glob: it matches zero or more bytes other
 *   than '.'; "**" is rejected, a label that is only '*' is rejected
 *   anywhere but first, '*' in the last label is rejected (a glob must have
 *   a literal top-level label), and "*" alone is rejected;
 * - IPv4 dotted quad or IPv6 (RFC 4291 text forms incl. "::" and a trailing
 *   dotted quad), optionally "/prefix"; no prefix means a single host;
 *   host bits set beyond the prefix are an error, because an allowlist
 *   entry like 146.112.62.7/24 is far more often a typo than intent.
 */
int efw_pattern_parse(const char *s, size_t len, struct efw_pattern *out,
		      const char **err_msg, size_t *err_off);

/* True if (@proto, @port) lies in one of the @n ranges. */
static inline bool efw_ports_cover(const struct efw_port_range *r, u32 n,
				   u8 proto, u16 port)
{
	u32 i;

	for (i = 0; i < n; i++)
		if (r[i].proto == proto && port >= r[i].lo && port <= r[i].hi)
			return true;
	return false;
}

#endif /* EGRESSFW_PATTERN_H */
