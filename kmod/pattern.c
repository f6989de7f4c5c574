// SPDX-License-Identifier: GPL-2.0
/*
 * Syntax of one allowlist PATTERN: host names, wildcards, globs, IPv4 and
 * IPv6 addresses and CIDRs. Kernel-agnostic: see portable.h.
 */
#include "pattern.h"

struct perr {
	const char *msg;
	size_t off;
};

static int fail(struct perr *e, const char *msg, size_t off)
{
	e->msg = msg;
	e->off = off;
	return -EINVAL;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int hex_value(char c)
{
	if (is_digit(c))
		return c - '0';
	c = efw_lower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/*
 * A decimal number of at most @max_digits digits and value <= @max at
 * s[*i]; leading zeros are refused ("010" reads as octal to inet_aton()).
 */
static int parse_decimal(const char *s, size_t len, size_t *i, u32 max,
			 u32 *out, const char *what, struct perr *e)
{
	size_t start = *i;
	u32 v = 0;

	while (*i < len && is_digit(s[*i])) {
		if (*i - start >= 3)
			return fail(e, what, start);
		v = v * 10 + (u32)(s[*i] - '0');
		(*i)++;
	}
	if (*i == start)
		return fail(e, what, start);
	if (s[start] == '0' && *i - start > 1)
		return fail(e, "leading zero in a number (octal is not accepted)", start);
	if (v > max)
		return fail(e, what, start);
	*out = v;
	return 0;
}

/* Exactly four dotted decimal octets filling s[0..len). */
static int parse_ipv4(const char *s, size_t len, size_t base, u8 *addr,
		      struct perr *e)
{
	size_t i = 0;
	u32 v;
	int k;

	for (k = 0; k < 4; k++) {
		if (k > 0) {
			if (i >= len || s[i] != '.')
				return fail(e, "an IPv4 address has four parts: a.b.c.d", base + i);
			i++;
		}
		if (parse_decimal(s, len, &i, 255, &v,
				  "an IPv4 address part is a number 0-255", e)) {
			e->off += base;
			return -EINVAL;
		}
		addr[k] = (u8)v;
	}
	if (i != len)
		return fail(e, "an IPv4 address has four parts: a.b.c.d", base + i);
	return 0;
}

/* RFC 4291 section 2.2 text forms, including "::" and a trailing a.b.c.d. */
static int parse_ipv6(const char *s, size_t len, u8 *addr, struct perr *e)
{
	u16 words[8];
	int nw = 0, gap = -1, k;
	size_t i = 0, j;
	u32 v;

	if (len >= 2 && s[0] == ':' && s[1] == ':') {
		gap = 0;
		i = 2;
	} else if (len >= 1 && s[0] == ':') {
		return fail(e, "an IPv6 address cannot start with a single ':'", 0);
	}
	while (i < len) {
		for (j = i, v = 0; j < len && hex_value(s[j]) >= 0; j++) {
			if (j - i >= 4)
				return fail(e, "an IPv6 group has at most 4 hex digits", i);
			v = (v << 4) | (u32)hex_value(s[j]);
		}
		if (j < len && s[j] == '.') {
			u8 v4[4];

			if (nw > 6)
				return fail(e, "too many groups in IPv6 address", i);
			if (parse_ipv4(s + i, len - i, i, v4, e))
				return -EINVAL;
			words[nw++] = (u16)((v4[0] << 8) | v4[1]);
			words[nw++] = (u16)((v4[2] << 8) | v4[3]);
			i = len;
			break;
		}
		if (j == i)
			return fail(e, "expected a hex group in IPv6 address", i);
		if (nw == 8)
			return fail(e, "too many groups in IPv6 address", i);
		words[nw++] = (u16)v;
		i = j;
		if (i == len)
			break;
		if (s[i] != ':')
			return fail(e, "unexpected character in IPv6 address", i);
		i++;
		if (i < len && s[i] == ':') {
			if (gap >= 0)
				return fail(e, "'::' may appear only once", i - 1);
			gap = nw;
			i++;
		} else if (i == len) {
			return fail(e, "an IPv6 address cannot end with a single ':'", i - 1);
		}
	}
	if (gap < 0 && nw != 8)
		return fail(e, "an IPv6 address has 8 groups (or uses '::')", len);
	if (gap >= 0 && nw > 7)
		return fail(e, "'::' must stand for at least one group", 0);

	memset(addr, 0, 16);
	for (k = 0; k < nw; k++) {
		/* groups after the gap are right-aligned */
		int pos = (gap >= 0 && k >= gap) ? k + (8 - nw) : k;

		addr[2 * pos] = (u8)(words[k] >> 8);
		addr[2 * pos + 1] = (u8)words[k];
	}
	return 0;
}

static bool host_bits_zero(const u8 *addr, int bytes, u32 prefix)
{
	int b;

	for (b = 0; b < bytes; b++) {
		u32 first_bit = (u32)b * 8;
		u8 mask;

		if (first_bit + 8 <= prefix)
			continue;
		mask = first_bit >= prefix ? 0xff : (u8)(0xff >> (prefix - first_bit));
		if (addr[b] & mask)
			return false;
	}
	return true;
}

static int parse_cidr(const char *s, size_t len, bool v6,
		      struct efw_pattern *out, struct perr *e)
{
	size_t alen = len, i;
	u32 max = v6 ? 128 : 32, prefix = max;
	int ret;

	for (i = 0; i < len; i++) {
		if (s[i] == '/') {
			alen = i;
			break;
		}
	}
	ret = v6 ? parse_ipv6(s, alen, out->addr, e) :
		   parse_ipv4(s, alen, 0, out->addr, e);
	if (ret)
		return ret;
	if (alen < len) {
		i = alen + 1;
		if (parse_decimal(s, len, &i, max, &prefix,
				  v6 ? "an IPv6 prefix length is 0-128" :
				       "an IPv4 prefix length is 0-32", e))
			return -EINVAL;
		if (i != len)
			return fail(e, "unexpected character after prefix length", i);
	}
	if (!host_bits_zero(out->addr, v6 ? 16 : 4, prefix))
		return fail(e, "address has bits set beyond the prefix length (e.g. 10.0.0.1/24 for 10.0.0.0/24)",
			    alen < len ? alen + 1 : 0);
	out->kind = v6 ? EFW_KIND_CIDR6 : EFW_KIND_CIDR4;
	out->prefix_len = (u8)prefix;
	return 0;
}

static bool is_name_char(char c)
{
	c = efw_lower(c);
	return (c >= 'a' && c <= 'z') || is_digit(c) || c == '-' || c == '_';
}

/* Host names, "*.suffix" wildcards and globs with '*' inside labels. */
static int parse_name(const char *s, size_t len, struct efw_pattern *out,
		      struct perr *e)
{
	size_t start, i, last_label = 0;
	bool wildcard = false, glob = false, all_digits = true;

	if (len > 1 && s[len - 1] == '.')
		len--;			/* one trailing dot: the root */
	if (len > EFW_NAME_MAX)
		return fail(e, "a name is at most 253 characters long", EFW_NAME_MAX);

	for (start = 0; start <= len; start = i + 1) {
		size_t stars = 0;
		bool first = start == 0;

		last_label = start;
		all_digits = true;
		for (i = start; i < len && s[i] != '.'; i++) {
			if (s[i] == '*') {
				if (i > start && s[i - 1] == '*')
					return fail(e, "'**' is redundant: one '*' matches any run of characters", i);
				stars++;
				all_digits = false;
				continue;
			}
			if (!is_name_char(s[i]))
				return fail(e, "invalid character in name (allowed: letters, digits, '-', '_', '*' and '.')", i);
			if (!is_digit(s[i]))
				all_digits = false;
			out->name[i] = efw_lower(s[i]);
		}
		if (i == start)
			return fail(e, "empty label (two dots, or a leading dot)", i);
		if (i - start > EFW_LABEL_MAX)
			return fail(e, "a label is at most 63 characters long", start + EFW_LABEL_MAX);
		if (stars && i - start == 1) {
			if (!first)
				return fail(e, "a '*' label is only allowed first, as in *.example.com", start);
			if (i == len)
				return fail(e, "'*' alone would allow every name", start);
			wildcard = true;
		} else if (stars) {
			if (wildcard)
				return fail(e, "the part after '*.' of a wildcard must be literal", start);
			glob = true;
		}
		if (stars) {
			size_t k;

			for (k = start; k < i; k++)
				if (s[k] == '*')
					out->name[k] = '*';
		}
		if (i == len)
			break;
		out->name[i] = '.';
	}
	/* The loop ended on the last label, [last_label, len). */
	for (i = last_label; i < len; i++)
		if (s[i] == '*')
			return fail(e, "'*' is not allowed in the top-level label", i);
	if (all_digits)
		return fail(e, "the top-level label is numeric: not a host name (a mistyped address?)", last_label);

	out->name[len] = '\0';
	out->name_len = (u16)len;
	out->kind = wildcard ? EFW_KIND_WILDCARD :
		    glob ? EFW_KIND_GLOB : EFW_KIND_EXACT;
	return 0;
}

int efw_pattern_parse(const char *s, size_t len, struct efw_pattern *out,
		      const char **err_msg, size_t *err_off)
{
	struct perr e = { NULL, 0 };
	bool colon = false, slash = false, v4chars = true;
	size_t i;
	int ret;

	memset(out, 0, sizeof(*out));
	if (len == 0) {
		ret = fail(&e, "empty pattern", 0);
		goto out;
	}
	for (i = 0; i < len; i++) {
		if (s[i] == ':')
			colon = true;
		if (s[i] == '/')
			slash = true;
		else if (!is_digit(s[i]) && s[i] != '.' && s[i] != '/')
			v4chars = false;
	}
	if (colon)
		ret = parse_cidr(s, len, true, out, &e);
	else if (slash || (v4chars && (s[len - 1] != '.' || len == 1)))
		ret = parse_cidr(s, len, false, out, &e);
	else
		ret = parse_name(s, len, out, &e);
out:
	if (ret) {
		memset(out, 0, sizeof(*out));
		if (err_msg)
			*err_msg = e.msg;
		if (err_off)
			*err_off = e.off;
	}
	return ret;
}
