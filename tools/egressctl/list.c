// SPDX-License-Identifier: GPL-2.0
/*
 * Parser for allowlist files. Pattern syntax is kmod/pattern.c's (shared
 * with the module); this file owns lines, comments, port specs, encoding
 * checks, duplicates and diagnostics.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <arpa/inet.h>
#include <linux/netfilter.h>

#include "list.h"

/* Past this many errors in one file the rest of it is not worth reading. */
#define MAX_ERRORS_PER_FILE 50

static void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n);

	if (!q) {
		fprintf(stderr, "egressctl: out of memory\n");
		exit(3);
	}
	return q;
}

void efw_list_init(struct efw_list *list, FILE *diag)
{
	memset(list, 0, sizeof(*list));
	list->diag = diag;
}

void efw_list_free(struct efw_list *list)
{
	u32 i;

	for (i = 0; i < list->n_files; i++)
		free(list->files[i]);
	free(list->files);
	for (i = 0; i < list->n_sets; i++)
		free(list->sets[i]);
	free(list->sets);
	free(list->rules);
	free(list->ports);
	free(list->dup_slots);
	memset(list, 0, sizeof(*list));
}

struct pos {
	const char *file;
	u32 line;
	size_t col;		/* 1-based */
};

static void diag(struct efw_list *list, const struct pos *p, bool warning,
		 const char *fmt, ...)
{
	va_list ap;

	if (warning)
		list->warnings++;
	else
		list->errors++;
	if (!list->diag)
		return;
	fprintf(list->diag, "%s:%u:%zu: %s", p->file, p->line, p->col,
		warning ? "warning: " : "");
	va_start(ap, fmt);
	vfprintf(list->diag, fmt, ap);
	va_end(ap);
	fputc('\n', list->diag);
}

static int parse_port_number(const char *s, size_t len, size_t *i, u16 *out,
			     const char **msg)
{
	size_t start = *i;
	u32 v = 0;

	while (*i < len && s[*i] >= '0' && s[*i] <= '9') {
		if (*i - start >= 5) {
			*msg = "a port is a number 1-65535";
			return -1;
		}
		v = v * 10 + (u32)(s[*i] - '0');
		(*i)++;
	}
	if (*i == start) {
		*msg = "expected a port number";
		return -1;
	}
	if (v == 0 || v > 65535) {
		*msg = "a port is a number 1-65535";
		return -1;
	}
	*out = (u16)v;
	return 0;
}

static int cmp_range(const void *a, const void *b)
{
	const struct efw_port_range *x = a, *y = b;

	if (x->proto != y->proto)
		return x->proto < y->proto ? -1 : 1;
	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	return (x->hi > y->hi) - (x->hi < y->hi);
}

/* Sort and merge overlapping or adjacent ranges; returns the new count. */
static int normalize_ranges(struct efw_port_range *r, int n)
{
	int i, out = 0;

	qsort(r, (size_t)n, sizeof(*r), cmp_range);
	for (i = 0; i < n; i++) {
		if (out > 0 && r[out - 1].proto == r[i].proto &&
		    (u32)r[out - 1].hi + 1 >= r[i].lo) {
			if (r[i].hi > r[out - 1].hi)
				r[out - 1].hi = r[i].hi;
			continue;
		}
		r[out++] = r[i];
	}
	return out;
}

int efw_portspec_parse(const char *s, size_t len, struct efw_port_range *out,
		       int max, const char **err_msg, size_t *err_off)
{
	u8 proto = EFW_PROTO_TCP;	/* a bare port is TCP */
	size_t i = 0, j;
	int n = 0;

	if (len == 0) {
		*err_msg = "empty port spec";
		*err_off = 0;
		return -1;
	}
	for (;;) {
		struct efw_port_range r;

		/* Optional "proto/": it carries over the rest of the comma list. */
		for (j = i; j < len && s[j] != '/' && s[j] != ','; j++)
			;
		if (j < len && s[j] == '/') {
			if (j - i == 3 && !strncasecmp(s + i, "tcp", 3)) {
				proto = EFW_PROTO_TCP;
			} else if (j - i == 3 && !strncasecmp(s + i, "udp", 3)) {
				proto = EFW_PROTO_UDP;
			} else {
				*err_msg = "unknown protocol (expected tcp or udp)";
				*err_off = i;
				return -1;
			}
			i = j + 1;
		}
		*err_off = i;
		r.proto = proto;
		if (parse_port_number(s, len, &i, &r.lo, err_msg))
			return -1;
		r.hi = r.lo;
		if (i < len && s[i] == '-') {
			i++;
			*err_off = i;
			if (parse_port_number(s, len, &i, &r.hi, err_msg))
				return -1;
			if (r.hi < r.lo) {
				*err_msg = "reversed port range (low-high)";
				return -1;
			}
		}
		if (n == max) {
			*err_msg = "too many port ranges in one entry";
			return -1;
		}
		out[n++] = r;
		if (i == len)
			break;
		if (s[i] != ',') {
			*err_msg = "unexpected character in port spec";
			*err_off = i;
			return -1;
		}
		i++;
		if (i == len) {
			*err_msg = "trailing ',' in port spec";
			*err_off = i - 1;
			return -1;
		}
	}
	return normalize_ranges(out, n);
}

void efw_ports_format(const struct efw_port_range *r, u32 n, char *buf,
		      size_t size)
{
	size_t used = 0;
	u32 i;
	int w;

	buf[0] = '\0';
	for (i = 0; i < n && used < size; i++) {
		bool new_proto = i == 0 || r[i].proto != r[i - 1].proto;
		const char *sep = i == 0 ? "" : new_proto ? " " : ",";
		const char *proto = r[i].proto == EFW_PROTO_UDP ? "udp/" : "tcp/";

		if (r[i].lo == r[i].hi)
			w = snprintf(buf + used, size - used, "%s%s%u", sep,
				     new_proto ? proto : "", r[i].lo);
		else
			w = snprintf(buf + used, size - used, "%s%s%u-%u", sep,
				     new_proto ? proto : "", r[i].lo, r[i].hi);
		if (w < 0)
			break;
		used += (size_t)w;
	}
}

void efw_cidr_format(const struct efw_pattern *p, char *buf, size_t size)
{
	bool v6 = p->kind == EFW_KIND_CIDR6;
	char text[INET6_ADDRSTRLEN];
	size_t n;

	if (!inet_ntop(v6 ? AF_INET6 : AF_INET, p->addr, text, sizeof(text)))
		text[0] = '\0';
	n = (size_t)snprintf(buf, size, "%s", text);
	if (p->prefix_len != (v6 ? 128 : 32) && n < size)
		snprintf(buf + n, size - n, "/%u", p->prefix_len);
}

/* Length of the valid UTF-8 sequence at s, or 0 if invalid (RFC 3629). */
static size_t utf8_seq_len(const unsigned char *s, size_t avail)
{
	u32 cp, min;
	size_t n, k;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0) {
		n = 2, cp = s[0] & 0x1f, min = 0x80;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3, cp = s[0] & 0x0f, min = 0x800;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4, cp = s[0] & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (avail < n)
		return 0;
	for (k = 1; k < n; k++) {
		if ((s[k] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[k] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

static u32 rule_hash(const struct efw_list *list, const struct efw_list_rule *r)
{
	const struct efw_port_range *p = efw_list_rule_ports(list, r);
	u32 h = 2166136261u, i;

#define MIX(byte) (h = (h ^ (u8)(byte)) * 16777619u)
	MIX(r->pattern.kind);
	MIX(r->pattern.prefix_len);
	MIX(r->set);
	MIX(r->set >> 8);
	for (i = 0; i < r->pattern.name_len; i++)
		MIX(r->pattern.name[i]);
	for (i = 0; i < 16; i++)
		MIX(r->pattern.addr[i]);
	for (i = 0; i < r->n_ports; i++) {
		MIX(p[i].proto);
		MIX(p[i].lo);
		MIX(p[i].lo >> 8);
		MIX(p[i].hi);
		MIX(p[i].hi >> 8);
	}
#undef MIX
	return h;
}

static bool same_rule(const struct efw_list *list, const struct efw_list_rule *a,
		      const struct efw_list_rule *b)
{
	return a->pattern.kind == b->pattern.kind && a->set == b->set &&
	       a->pattern.prefix_len == b->pattern.prefix_len &&
	       a->pattern.name_len == b->pattern.name_len &&
	       !memcmp(a->pattern.name, b->pattern.name, a->pattern.name_len) &&
	       !memcmp(a->pattern.addr, b->pattern.addr, 16) &&
	       a->n_ports == b->n_ports &&
	       !memcmp(efw_list_rule_ports(list, a), efw_list_rule_ports(list, b),
		       a->n_ports * sizeof(struct efw_port_range));
}

static void dup_grow(struct efw_list *list)
{
	u32 cap = list->dup_cap ? list->dup_cap * 2 : 64, i;

	free(list->dup_slots);
	list->dup_slots = calloc(cap, sizeof(u32));
	if (!list->dup_slots) {
		fprintf(stderr, "egressctl: out of memory\n");
		exit(3);
	}
	list->dup_cap = cap;
	for (i = 0; i + 1 < list->n_rules; i++) {
		u32 s = rule_hash(list, &list->rules[i]) & (cap - 1);

		while (list->dup_slots[s])
			s = (s + 1) & (cap - 1);
		list->dup_slots[s] = i + 1;
	}
}

/*
 * Index the newest rule for duplicate detection; returns the index of an
 * earlier identical rule, or -1.
 */
static long dup_check(struct efw_list *list)
{
	u32 idx = list->n_rules - 1, s;
	const struct efw_list_rule *r = &list->rules[idx];

	if (list->n_rules * 2 > list->dup_cap)
		dup_grow(list);
	s = rule_hash(list, r) & (list->dup_cap - 1);
	while (list->dup_slots[s]) {
		if (same_rule(list, &list->rules[list->dup_slots[s] - 1], r))
			return (long)list->dup_slots[s] - 1;
		s = (s + 1) & (list->dup_cap - 1);
	}
	list->dup_slots[s] = idx + 1;
	return -1;
}

static u64 load_word(const char *p)
{
	u64 w;

	memcpy(&w, p, sizeof(w));
	return w;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * The next blank-separated word of @s from *@i: its start in *@start,
 * *@i past it. false at the end of @s.
 */
static bool next_word(const char *s, size_t len, size_t *i, size_t *start)
{
	while (*i < len && is_blank(s[*i]))
		(*i)++;
	if (*i == len)
		return false;
	*start = *i;
	while (*i < len && !is_blank(s[*i]))
		(*i)++;
	return true;
}

_Static_assert(EGRESSFW_SET_MAX == 128, "efw_set_spec_parse() says 127 bytes");

/* nft's families whose sets can hold IPv4 or IPv6 addresses. */
static const struct {
	const char *name;
	int nfproto;
} set_families[] = {
	{ "ip", NFPROTO_IPV4 },
	{ "ip6", NFPROTO_IPV6 },
	{ "inet", NFPROTO_INET },
	{ "bridge", NFPROTO_BRIDGE },
	{ "netdev", NFPROTO_NETDEV },
};

int efw_set_family(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(set_families) / sizeof(set_families[0]); i++)
		if (strlen(set_families[i].name) == len &&
		    !memcmp(set_families[i].name, name, len))
			return set_families[i].nfproto;
	return -1;
}

static bool is_letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/*
 * An nft name as nft's scanner takes it unquoted (src/scanner.l:
 * `({letter}|[_.])({letter}|{digit}|[/\-_\.])*`): what an operator can
 * type in `nft add element` too. 0, or -1 with the offset of the byte at
 * fault.
 */
static int nft_name_check(const char *s, size_t len, size_t *bad)
{
	size_t i;

	for (i = 0; i < len; i++) {
		char c = s[i];

		if (is_letter(c) || c == '_' || c == '.' ||
		    (i > 0 && ((c >= '0' && c <= '9') || c == '/' || c == '-')))
			continue;
		*bad = i;
		return -1;
	}
	return 0;
}

int efw_set_spec_parse(const char *s, size_t len, char *canon,
		       const char **msg, size_t *off)
{
	size_t i = 0, start, used = 0, bad, w;
	const char *words[EGRESSFW_SET_MAX / 2];
	size_t wlen[EGRESSFW_SET_MAX / 2];
	unsigned int n = 0, k;

	while (next_word(s, len, &i, &start)) {
		w = i - start;
		*off = start;
		/* Every word costs its bytes and a blank (or the NUL). */
		if (used + w + 1 > EGRESSFW_SET_MAX) {
			*msg = "longer than 127 bytes";
			return -1;
		}
		if (n == 0) {
			if (efw_set_family(s + start, w) < 0) {
				*msg = "unknown nft family (expected ip, ip6, inet, bridge or netdev)";
				return -1;
			}
		} else if (nft_name_check(s + start, w, &bad)) {
			*off = start + bad;
			*msg = n == 1 ? "invalid nft table name (a letter, '_' or '.', then letters, digits, '/', '-', '_', '.')" :
					"invalid nft set name (a letter, '_' or '.', then letters, digits, '/', '-', '_', '.')";
			return -1;
		}
		for (k = 2; k < n; k++) {
			if (wlen[k] == w && !memcmp(words[k], s + start, w)) {
				*msg = "set named twice";
				return -1;
			}
		}
		memcpy(canon + used, s + start, w);
		used += w;
		canon[used++] = ' ';
		words[n] = s + start;
		wlen[n++] = w;
	}
	if (n < 3) {
		*off = i;
		*msg = n == 0 ? "expected FAMILY TABLE SET [SET...], or none" :
		       n == 1 ? "expected TABLE SET [SET...] after the family" :
				"expected at least one SET after the table";
		return -1;
	}
	canon[used - 1] = '\0';
	return 0;
}

/* The index + 1 of @canon in list->sets, added if new. */
static u32 set_index(struct efw_list *list, const char *canon)
{
	u32 i;

	for (i = 0; i < list->n_sets; i++)
		if (!strcmp(list->sets[i], canon))
			return i + 1;
	list->sets = xrealloc(list->sets, (list->n_sets + 1) * sizeof(char *));
	list->sets[list->n_sets] = strdup(canon);
	if (!list->sets[list->n_sets]) {
		fprintf(stderr, "egressctl: out of memory\n");
		exit(3);
	}
	return ++list->n_sets;
}

/*
 * A line starting with '@' (no pattern does): a directive. @s is the
 * line without its comment, @i the offset of the '@'.
 */
static void parse_directive(struct efw_list *list, struct pos *p,
			    const char *s, size_t len, size_t i)
{
	char canon[EGRESSFW_SET_MAX];
	size_t start = i, off, j;
	const char *msg;

	while (i < len && !is_blank(s[i]))
		i++;
	if (i - start != 4 || memcmp(s + start, "@set", 4)) {
		p->col = start + 1;
		diag(list, p, false, "unknown directive '%.*s' (expected @set)",
		     (int)(i - start), s + start);
		return;
	}
	for (j = i; j < len && is_blank(s[j]); j++)
		;
	if (len - j >= 4 && !memcmp(s + j, "none", 4) &&
	    (len - j == 4 || is_blank(s[j + 4]))) {
		for (off = j + 4; off < len && is_blank(s[off]); off++)
			;
		if (off < len) {
			p->col = off + 1;
			diag(list, p, false, "'@set none' takes nothing after it");
			return;
		}
		list->cur_set = 0;
		return;
	}
	if (j == len) {
		p->col = start + 1;
		diag(list, p, false, "'@set' needs FAMILY TABLE SET [SET...], or none");
		return;
	}
	if (efw_set_spec_parse(s + j, len - j, canon, &msg, &off)) {
		while (len > j && is_blank(s[len - 1]))
			len--;
		p->col = j + off + 1;
		diag(list, p, false, "invalid @set '%.*s': %s", (int)(len - j), s + j, msg);
		return;
	}
	list->cur_set = set_index(list, canon);
}

/* One line, without its '\n' (and without a '\r' before it). */
static void parse_line(struct efw_list *list, struct pos *p, const char *s,
		       size_t len)
{
	struct efw_port_range ranges[EFW_LIST_MAX_PORTS];
	struct efw_list_rule *rule;
	const char *msg = NULL, *hash;
	size_t i = 0, start, off;
	int n = 0;
	long dup;

	/* Everything from '#' on is a comment: '#' is never part of an entry. */
	hash = memchr(s, '#', len);
	if (hash)
		len = (size_t)(hash - s);
	for (i = 0; i < len && is_blank(s[i]); i++)
		;
	if (i == len)
		return;
	if (s[i] == '@') {
		parse_directive(list, p, s, len, i);
		return;
	}

	if (list->n_rules == list->cap_rules) {
		list->cap_rules = list->cap_rules ? list->cap_rules * 2 : 16;
		list->rules = xrealloc(list->rules, list->cap_rules * sizeof(*list->rules));
	}
	rule = &list->rules[list->n_rules];
	memset(rule, 0, sizeof(*rule));

	start = i;
	while (i < len && !is_blank(s[i]))
		i++;
	if (efw_pattern_parse(s + start, i - start, &rule->pattern, &msg, &off)) {
		p->col = start + off + 1;
		diag(list, p, false, "invalid pattern '%.*s': %s",
		     (int)(i - start), s + start, msg);
		return;
	}
	p->col = start + 1;

	while (next_word(s, len, &i, &start)) {
		int got;

		got = efw_portspec_parse(s + start, i - start, ranges + n,
					 EFW_LIST_MAX_PORTS - n, &msg, &off);
		if (got < 0) {
			p->col = start + off + 1;
			diag(list, p, false, "invalid port '%.*s': %s",
			     (int)(i - start), s + start, msg);
			return;
		}
		n += got;
	}
	if (n == 0)
		ranges[n++] = (struct efw_port_range){ EFW_PROTO_TCP, 443, 443 };
	n = normalize_ranges(ranges, n);

	if (list->n_ports + (u32)n > list->cap_ports) {
		while (list->n_ports + (u32)n > list->cap_ports)
			list->cap_ports = list->cap_ports ? list->cap_ports * 2 : 64;
		list->ports = xrealloc(list->ports, list->cap_ports * sizeof(*list->ports));
	}
	memcpy(list->ports + list->n_ports, ranges, (size_t)n * sizeof(*ranges));
	rule->ports_off = list->n_ports;
	rule->n_ports = (u32)n;
	rule->file = list->n_files - 1;
	rule->line = p->line;
	rule->set = list->cur_set;
	list->n_ports += (u32)n;
	list->n_rules++;

	for (p->col = 1; p->col <= len && is_blank(s[p->col - 1]); p->col++)
		;
	dup = dup_check(list);
	if (dup >= 0) {
		const struct efw_list_rule *first = &list->rules[dup];

		diag(list, p, true, "duplicate entry, same as %s:%u",
		     list->files[first->file], first->line);
	}
	if (rule->pattern.kind == EFW_KIND_WILDCARD &&
	    !memchr(rule->pattern.name + 2, '.', rule->pattern.name_len - 2))
		diag(list, p, true, "'%s' allows every name under a top-level domain",
		     rule->pattern.name);
}

int efw_list_parse_buffer(struct efw_list *list, const char *name,
			  const char *buf, size_t len)
{
	u32 errors_before = list->errors;
	struct pos p = { NULL, 0, 1 };
	size_t at = 0;

	list->files = xrealloc(list->files, (list->n_files + 1) * sizeof(char *));
	list->files[list->n_files] = strdup(name);
	if (!list->files[list->n_files]) {
		fprintf(stderr, "egressctl: out of memory\n");
		exit(3);
	}
	p.file = list->files[list->n_files++];
	/* A @set applies to the rest of its own file only. */
	list->cur_set = 0;

	while (at < len) {
		const char *line = buf + at, *nl, *nul;
		size_t n, i;
		bool bad = false;

		/* memchr(), not byte loops: a list may be megabytes. */
		p.line++;
		nl = memchr(line, '\n', len - at);
		n = nl ? (size_t)(nl - line) : len - at;
		at += n + 1;

		if (n > EFW_LIST_MAX_LINE) {
			p.col = EFW_LIST_MAX_LINE + 1;
			diag(list, &p, false, "line longer than %d bytes", EFW_LIST_MAX_LINE);
			bad = true;
		}
		nul = bad ? NULL : memchr(line, '\0', n);
		if (nul) {
			p.col = (size_t)(nul - line) + 1;
			diag(list, &p, false, "NUL byte in list file");
			bad = true;
		}
		for (i = 0; i < n && !bad; ) {
			size_t k;

			/* ASCII runs a word at a time. */
			while (i + 8 <= n && !(load_word(line + i) & 0x8080808080808080ULL))
				i += 8;
			if (i == n)
				break;
			k = utf8_seq_len((const unsigned char *)line + i, n - i);
			if (!k) {
				p.col = i + 1;
				diag(list, &p, false, "invalid UTF-8 (list files are UTF-8 text)");
				bad = true;
				break;
			}
			i += k;
		}
		if (!bad) {
			if (n > 0 && line[n - 1] == '\r')
				n--;
			parse_line(list, &p, line, n);
		}
		if (list->errors - errors_before >= MAX_ERRORS_PER_FILE) {
			if (list->diag)
				fprintf(list->diag, "%s: too many errors, stopping at line %u\n",
					p.file, p.line);
			break;
		}
	}
	return (int)(list->errors - errors_before);
}

int efw_list_parse_file(struct efw_list *list, const char *path)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	size_t len = 0, cap = 0, got;
	char *buf = NULL;
	int ret, err;

	if (!f)
		goto fail;
	do {
		if (cap - len < 65536) {
			cap = cap ? cap * 2 : 65536;
			buf = xrealloc(buf, cap);
		}
		got = fread(buf + len, 1, cap - len, f);
		len += got;
	} while (got > 0);
	if (ferror(f))
		goto fail;
	if (f != stdin)
		fclose(f);
	ret = efw_list_parse_buffer(list, strcmp(path, "-") ? path : "<stdin>", buf, len);
	free(buf);
	return ret;
fail:
	err = errno;
	if (f && f != stdin)
		fclose(f);
	free(buf);
	list->errors++;
	if (list->diag)
		fprintf(list->diag, "%s: %s\n", path, strerror(err));
	return -err;
}
