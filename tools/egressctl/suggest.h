/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The entries of the module's report of denials (EGRESSFW_CMD_GET_REPORT)
 * and what `egressctl report` makes of them: the order it prints them in,
 * and, for --suggest, allowlist lines (egressfw.list(5)) that would allow
 * them. No netlink here (report.c reads the report), so that the unit
 * tests (tests/unit/test_suggest.c) can feed it any entries.
 *
 * The rules of --suggest, in the order they apply (egressctl(8) says the
 * same under "report"):
 *
 * 1. Only entries whose last denial was no_match: the other reasons (a
 *    ClientHello without SNI, timeout, strict, quic, dns_server, ...) are
 *    not for want of a list line, and one would not allow them. They are
 *    counted on @diag, one line per reason.
 * 2. A name must be a name pattern.h takes as an exact name (letters,
 *    digits, '-', '_'; labels of 1..63 bytes, 253 in all; not ending in
 *    an all-digit label; no '*': a client chooses its SNI, and must not
 *    choose a wildcard). It is written in its canonical form: lower case,
 *    no trailing dot. An IDN name is written as it came, in its punycode
 *    (xn--) form; one in UTF-8 is no list name and is skipped on @diag.
 *    So is a port 0, or a protocol other than TCP and UDP.
 * 3. Names are grouped by their registrable domain (publicsuffix.h: the
 *    public suffix and one label). Without the list, no wildcard: every
 *    name is written as it is.
 *    When two or more distinct names lie strictly below one registrable
 *    domain R, one line "*.R" takes their place. A wildcard covers every
 *    name below R but never R itself (egressfw.list(5)), so a denial of R
 *    itself stays a line of its own, with its own ports. A name that is a
 *    public suffix itself, or the only one below its R, stays exact. A
 *    wildcard is never over a public suffix: R is one label longer than
 *    the longest suffix rule that matched, and checked again to be its
 *    own registrable domain; nor over a public suffix below R: when the
 *    list has a rule below R (amazonaws.com, below which s3.amazonaws.com
 *    is one), the names stay exact, since "*.amazonaws.com" would let in
 *    every tenant of s3.amazonaws.com.
 * 4. An address entry (no name was known) is its address as a host
 *    entry: 198.51.100.7, 2001:db8::7 (canonical text, no /32, /128).
 * 5. The ports of a line are the union of its entries' (protocol, port),
 *    as efw_ports_format() writes them: "tcp/22,443 udp/443", adjacent
 *    ports joined into a range ("tcp/8080-8081"). More than
 *    EFW_LIST_MAX_PORTS ranges are split over several lines of the same
 *    pattern, as the list takes at most that many on one.
 * 6. Lines are sorted: names first, compared label by label from the
 *    right (so example.com, *.example.com, then a sibling domain's), then
 *    IPv4, then IPv6 addresses, by value. The output depends only on the
 *    set of entries, not on their order.
 *
 * Every line is checked with efw_pattern_parse() before it is written.
 */
#ifndef EGRESSCTL_SUGGEST_H
#define EGRESSCTL_SUGGEST_H

#include <stdbool.h>
#include <stdio.h>

#include "publicsuffix.h"
#include "portable.h"

/* One entry of the report, as EGRESSFW_A_REPORT carries it. */
struct efw_denial {
	char *name;		/* the SNI or learned name; NULL for an address */
	u8 family;		/* 4 or 6, when @name is NULL */
	u8 addr[16];
	u8 proto;		/* IPPROTO_TCP or IPPROTO_UDP */
	u16 port;
	u64 count;
	u64 first, last;	/* CLOCK_REALTIME seconds */
	u8 reason;		/* enum egressfw_deny_reason of the last */
	bool audit;		/* the last was in audit mode */
};

/*
 * The report's order: most denials first; on a tie, the most recent last
 * one first, then by destination (names before addresses, names as
 * strings, addresses by family and value), protocol and port.
 */
void efw_denials_sort(struct efw_denial *v, size_t n);

/*
 * The destination of @d for people: the name with every byte that is not
 * printable ASCII as \xNN (a client chose it: no terminal escapes), cut
 * with "..." if it does not fit, or the address. @size >= 64.
 */
#define EFW_DEST_TEXT_MAX 1024
void efw_denial_dest(const struct efw_denial *d, char *buf, size_t size);

/* "tcp/443", "udp/53"; another protocol by number ("proto 132/9"). */
void efw_denial_port(const struct efw_denial *d, char *buf, size_t size);

/*
 * Write the allowlist lines for the @n entries @v to @out by the rules
 * above (no comment line: the caller says where they came from), with
 * @psl (NULL: no list, no wildcard). What is left out, and why, goes to
 * @diag (NULL: nowhere), each line starting with @prog. Returns the
 * number of lines written, or -ENOMEM.
 */
int efw_suggest(const struct efw_denial *v, size_t n, const struct efw_psl *psl,
		FILE *out, FILE *diag, const char *prog);

#endif /* EGRESSCTL_SUGGEST_H */
