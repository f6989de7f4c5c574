// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for `egressctl report --suggest` (suggest.c) over a
 * small fixed Public Suffix List (publicsuffix.c): the names are SNIs a
 * hostile client chose. The input is a run of denial entries, each a
 * 4-byte header and then a name up to the next '\n':
 *
 *   byte 0   bits 0-1: 0 the name; 1 the name, '.' and the name of the
 *            entry before (siblings and children of one domain come
 *            easily); 2 an IPv4, 3 an IPv6 address, its bytes the name's,
 *            padded with zeros.
 *            bit 2: UDP, else TCP; bit 3: protocol 132 (no list line's).
 *            bit 4: an address of family 5 (neither 4 nor 6).
 *            bits 5-7: 7: the reason is byte 3 (any, past the known ones
 *            too); 6: no_match, the entry 1 + (byte 3 & 0x7f) times, on
 *            consecutive ports (byte 3's bit 7) or on every other one, so
 *            that a line can need more than EFW_LIST_MAX_PORTS ranges;
 *            otherwise no_match, once.
 *   bytes 1-2 the port, big-endian (0 too).
 *   byte 3   as bits 5-7 of byte 0 say.
 *
 * efw_suggest() runs on the entries with the list, on them in reverse
 * order with the list, and on them without it. Invariants:
 * - no crash, leak or sanitizer report; it returns the number of lines it
 *   wrote, and the list parser takes them all without an error or a
 *   warning;
 * - a wildcard "*.X" only where X is its own registrable domain (never
 *   over a public suffix), no rule of the list lies below X (never over
 *   a suffix's tenants: *.amazonaws.com), and X is the registrable
 *   domain of two or more distinct denied names strictly below it; none
 *   at all without the list;
 * - where two or more such names share the registrable domain R, the
 *   line "*.R" (when it parses) and no line of a name of that R beside
 *   it: suggest.h's rule 3 the other way, so that a mistaken grouping
 *   does not hide behind the checks that keep wildcards safe;
 * - every (protocol, port) a line allows was denied for a name or
 *   address that line covers;
 * - every no_match entry on a TCP or UDP port other than 0 whose name
 *   pattern.h takes as an exact name (or that is an IPv4 or IPv6
 *   address) is allowed by the lines, as the module's matcher reads them;
 * - the order of the entries changes nothing;
 * - the diagnostics are lines of printable ASCII whatever bytes the
 *   names had (no terminal escapes), and so is efw_denial_dest().
 */
// seeds: tests/data/suggest
// Some hundred entries of short names fit in 2048 bytes, and repeats
// make more: longer inputs only make the runs slower.
// options: -max_len=2048
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <uapi/linux/egressfw.h>

#include "list.h"
#include "match.h"
#include "pattern.h"
#include "publicsuffix.h"
#include "suggest.h"

/* One rule of each shape the real list has, and their interplay. */
static const char psl_text[] =
	"// ===BEGIN ICANN DOMAINS===\n"
	"com\n"
	"net\n"
	"uk\n"
	"co.uk\n"				/* a suffix of two labels */
	"*.ck\n"				/* wildcard, no plain "ck" */
	"!www.ck\n"				/* and its exception */
	"jp\n"
	"*.kawasaki.jp\n"			/* wildcard below a plain rule */
	"!city.kawasaki.jp\n"
	"*.bd\n"
	"cn\n"
	"\xe5\x85\xac\xe5\x8f\xb8.cn\n"		/* 公司.cn: xn--55qx5d.cn */
	"// ===END ICANN DOMAINS===\n"
	"// ===BEGIN PRIVATE DOMAINS===\n"
	"github.io\n"				/* "io" itself is no rule here */
	"cloudfront.net\n"
	"*.compute.amazonaws.com\n"		/* wildcard three labels down */
	"// ===END PRIVATE DOMAINS===\n";

#define MAX_ENTRIES 512
#define NAME_BUF 320	/* past EFW_NAME_MAX: too long is a case too */

static struct efw_psl *psl;
static struct efw_denial entries[MAX_ENTRIES], reversed[MAX_ENTRIES];
static char names[MAX_ENTRIES][NAME_BUF];

/* What a line may take: an entry as suggest.h's rules 1 and 2 keep it. */
struct kept {
	struct efw_pattern pat;	/* canonical name or host address */
	ssize_t reg;		/* names: efw_psl_registrable() in the fixed list */
	const struct efw_denial *d;
	u8 proto;
	u16 port;
};

static struct kept kept[MAX_ENTRIES];
static size_t n_kept;

static void keep(const struct efw_denial *d)
{
	struct kept *k = &kept[n_kept];
	char text[INET6_ADDRSTRLEN];
	const char *msg;
	size_t off, len;

	if (d->reason != EGRESSFW_DENY_NO_MATCH || !d->port ||
	    (d->proto != IPPROTO_TCP && d->proto != IPPROTO_UDP))
		return;
	if (d->name) {
		len = strnlen(d->name, EFW_NAME_MAX + 1);
		if (len > EFW_NAME_MAX ||
		    efw_pattern_parse(d->name, len, &k->pat, &msg, &off) ||
		    k->pat.kind != EFW_KIND_EXACT)
			return;
		k->reg = efw_psl_registrable(psl, k->pat.name, k->pat.name_len);
	} else {
		if (d->family != 4 && d->family != 6)
			return;
		if (!inet_ntop(d->family == 4 ? AF_INET : AF_INET6, d->addr, text,
			       sizeof(text)) ||
		    efw_pattern_parse(text, strlen(text), &k->pat, &msg, &off))
			abort();	/* every address has a text form */
	}
	k->d = d;
	k->proto = d->proto;
	k->port = d->port;
	n_kept++;
}

static int lib_init(void)
{
	psl = efw_psl_parse(psl_text, sizeof(psl_text) - 1);
	if (!psl || efw_psl_count(psl) != 15)
		abort();
	return 0;
}

/* Whether name @n (canonical) is strictly below @x (canonical). */
static bool below(const char *n, size_t nl, const char *x, size_t xl)
{
	return nl > xl + 1 && n[nl - xl - 1] == '.' && !memcmp(n + nl - xl, x, xl);
}

/* Whether the line @p would take the kept entry @k, ports aside. */
static bool takes(const struct efw_pattern *p, const struct kept *k)
{
	if (p->kind == EFW_KIND_WILDCARD)
		return k->pat.kind == EFW_KIND_EXACT &&
		       below(k->pat.name, k->pat.name_len, p->name + 2,
			     p->name_len - 2u);
	if (p->kind != k->pat.kind)
		return false;
	if (p->kind == EFW_KIND_EXACT)
		return p->name_len == k->pat.name_len &&
		       !memcmp(p->name, k->pat.name, p->name_len);
	return p->prefix_len == k->pat.prefix_len &&
	       !memcmp(p->addr, k->pat.addr, sizeof(p->addr));
}

/*
 * At least two distinct kept names strictly below the wildcard @p whose
 * registrable domain is what @p is over (a name below a deeper public
 * suffix has one of its own: *.compute.amazonaws.com in amazonaws.com).
 */
static bool two_below(const struct efw_pattern *p)
{
	const struct kept *first = NULL;
	size_t i;

	for (i = 0; i < n_kept; i++) {
		if (!takes(p, &kept[i]) || kept[i].reg <= 0 ||
		    strcmp(kept[i].pat.name + kept[i].reg, p->name + 2))
			continue;
		if (!first)
			first = &kept[i];
		else if (strcmp(first->pat.name, kept[i].pat.name))
			return true;
	}
	return false;
}

/*
 * Rule 3 the other way: where two or more distinct names strictly below
 * R have R as their registrable domain, there is the line "*.R" (if it
 * parses), and no line beside it of a name whose registrable domain is R.
 */
static void check_wildcards(const struct efw_list *list, const struct efw_psl *with)
{
	struct efw_pattern wild;
	char text[EFW_NAME_MAX + 3];
	const char *msg;
	size_t i, off;
	ssize_t reg;
	u32 r, w;

	for (i = 0; i < n_kept; i++) {
		const struct efw_pattern *k = &kept[i].pat;

		/* Each name once: a repeated entry comes in a run. */
		if (k->kind != EFW_KIND_EXACT || kept[i].reg <= 0 ||
		    (i && kept[i - 1].d->name == kept[i].d->name))
			continue;
		snprintf(text, sizeof(text), "*.%s", k->name + kept[i].reg);
		if (efw_pattern_parse(text, strlen(text), &wild, &msg, &off) ||
		    wild.kind != EFW_KIND_WILDCARD || !two_below(&wild) ||
		    efw_psl_has_below(with, wild.name + 2, wild.name_len - 2u))
			continue;
		for (r = 0; r < list->n_rules; r++)
			if (list->rules[r].pattern.kind == EFW_KIND_WILDCARD &&
			    !strcmp(list->rules[r].pattern.name, wild.name))
				break;
		if (r == list->n_rules)
			abort();
	}
	for (w = 0; w < list->n_rules; w++) {
		const struct efw_pattern *wp = &list->rules[w].pattern;

		if (wp->kind != EFW_KIND_WILDCARD)
			continue;
		for (r = 0; r < list->n_rules; r++) {
			const struct efw_pattern *p = &list->rules[r].pattern;

			if (p->kind != EFW_KIND_EXACT ||
			    !below(p->name, p->name_len, wp->name + 2, wp->name_len - 2u))
				continue;
			/* A name below a deeper suffix has an R of its own. */
			reg = efw_psl_registrable(with, p->name, p->name_len);
			if (reg >= 0 && !strcmp(p->name + reg, wp->name + 2))
				abort();
		}
	}
}

static void check_output(const char *text, size_t len, int lines,
			 const struct efw_psl *with)
{
	struct efw_rule_spec *specs;
	struct efw_matcher *m;
	struct efw_list list;
	size_t i, nl = 0;
	u32 r, k;
	int err = 0;

	for (i = 0; i < len; i++)
		nl += text[i] == '\n';
	if (lines < 0 || (size_t)lines != nl || (len && text[len - 1] != '\n'))
		abort();
	efw_list_init(&list, NULL);
	efw_list_parse_buffer(&list, "suggested", text, len);
	if (list.errors || list.warnings || list.n_rules != (u32)lines)
		abort();
	specs = calloc(list.n_rules + 1, sizeof(*specs));
	if (!specs)
		abort();
	for (r = 0; r < list.n_rules; r++) {
		const struct efw_list_rule *rule = &list.rules[r];
		const struct efw_pattern *p = &rule->pattern;
		const struct efw_port_range *pr = efw_list_rule_ports(&list, rule);

		if (p->kind == EFW_KIND_GLOB || rule->set)
			abort();
		if (p->kind == EFW_KIND_WILDCARD &&
		    (!with || efw_psl_registrable(with, p->name + 2, p->name_len - 2u) != 0 ||
		     efw_psl_has_below(with, p->name + 2, p->name_len - 2u) ||
		     !two_below(p)))
			abort();
		/* Every port a line allows was denied to what it covers. */
		for (k = 0; k < rule->n_ports; k++) {
			u32 port;

			for (port = pr[k].lo; port <= pr[k].hi; port++) {
				for (i = 0; i < n_kept; i++)
					if (kept[i].proto == pr[k].proto &&
					    kept[i].port == port && takes(p, &kept[i]))
						break;
				if (i == n_kept)
					abort();
			}
		}
		specs[r].pattern = p;
		specs[r].ports = pr;
		specs[r].n_ports = rule->n_ports;
	}
	if (with)
		check_wildcards(&list, with);
	/* And every entry kept is allowed by them. */
	m = efw_matcher_build(specs, list.n_rules, &err);
	if (!m)
		abort();
	for (i = 0; i < n_kept; i++) {
		const struct efw_denial *d = kept[i].d;
		s32 hit;

		if (d->name)
			hit = efw_match_name(m, d->name, strlen(d->name), d->proto, d->port);
		else
			hit = efw_match_addr(m, d->family, d->addr, d->proto, d->port);
		if (hit < 0)
			abort();
	}
	efw_matcher_free(m);
	free(specs);
	efw_list_free(&list);
}

/* Printable ASCII lines only, each from "fuzz: ". */
static void check_diag(const char *text, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if ((i == 0 || text[i - 1] == '\n') && strncmp(text + i, "fuzz: ", 6))
			abort();
		if (text[i] != '\n' && (text[i] < 0x20 || text[i] > 0x7e))
			abort();
	}
	if (len && text[len - 1] != '\n')
		abort();
}

static int suggest(const struct efw_denial *v, size_t n,
		   const struct efw_psl *with, char **text, size_t *len,
		   bool diag)
{
	char *dtext = NULL;
	size_t dlen = 0;
	FILE *out = open_memstream(text, len), *d = NULL;
	int lines;

	if (!out || (diag && !(d = open_memstream(&dtext, &dlen))))
		abort();
	lines = efw_suggest(v, n, with, out, d, "fuzz");
	if (fclose(out) || (d && fclose(d)))
		abort();
	if (d)
		check_diag(dtext, dlen);
	free(dtext);
	return lines;
}

/* The entries of the input (see the top of the file); how many. */
static size_t read_entries(const uint8_t *data, size_t size)
{
	const char *prev = NULL;
	size_t pos = 0, n = 0;

	while (pos + 4 <= size && n < MAX_ENTRIES) {
		const uint8_t *h = data + pos;
		const uint8_t *nm = h + 4, *eol = memchr(nm, '\n', size - pos - 4);
		size_t nm_len = eol ? (size_t)(eol - nm) : size - pos - 4;
		struct efw_denial d = { 0 };
		char *buf = names[n];
		unsigned int times = 1, i;

		pos += 4 + nm_len + 1;
		d.proto = h[0] & 8 ? 132 : h[0] & 4 ? IPPROTO_UDP : IPPROTO_TCP;
		d.port = (u16)(h[1] << 8 | h[2]);
		d.reason = (h[0] & 0xe0) == 0xe0 ? h[3] : EGRESSFW_DENY_NO_MATCH;
		if ((h[0] & 0xe0) == 0xc0)
			times += h[3] & 0x7f;
		switch (h[0] & 3) {
		case 0:
		case 1:
			if (nm_len >= NAME_BUF)
				nm_len = NAME_BUF - 1;
			memcpy(buf, nm, nm_len);
			buf[nm_len] = '\0';
			/* A NUL in the bytes ends the name there, as in C. */
			nm_len = strlen(buf);
			if ((h[0] & 3) == 1 && prev && nm_len + 1 < NAME_BUF - 1) {
				buf[nm_len++] = '.';
				snprintf(buf + nm_len, NAME_BUF - nm_len, "%s", prev);
			}
			d.name = buf;
			prev = buf;
			break;
		default:
			d.family = h[0] & 0x10 ? 5 : (h[0] & 3) == 2 ? 4 : 6;
			memcpy(d.addr, nm, nm_len < 16 ? nm_len : 16);
			break;
		}
		for (i = 0; i < times && n < MAX_ENTRIES; i++) {
			d.count = 1 + n % 3;
			d.first = n % 2;
			d.last = n % 5;
			d.audit = n & 1;
			entries[n++] = d;
			d.port = (u16)(d.port + (h[3] & 0x80 ? 1 : 2));
		}
	}
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int once;
	char *text = NULL, *again = NULL, dest[64], port[32], *c;
	size_t n, i, len = 0, again_len = 0;
	int lines;

	if (!once)
		once = lib_init() + 1;
	n = read_entries(data, size);
	n_kept = 0;
	for (i = 0; i < n; i++) {
		keep(&entries[i]);
		efw_denial_dest(&entries[i], dest, sizeof(dest));
		efw_denial_port(&entries[i], port, sizeof(port));
		if (strlen(dest) >= sizeof(dest))
			abort();
		for (c = dest; *c; c++)
			if (*c < 0x20 || *c > 0x7e)
				abort();
		reversed[n - 1 - i] = entries[i];
	}

	lines = suggest(entries, n, psl, &text, &len, true);
	check_output(text, len, lines, psl);
	if (suggest(reversed, n, psl, &again, &again_len, false) != lines ||
	    again_len != len || memcmp(again, text, len))
		abort();
	free(again);
	free(text);

	/* The report's own order: a comparator that is a total order. */
	efw_denials_sort(reversed, n);
	for (i = 1; i < n; i++) {
		const struct efw_denial *a = &reversed[i - 1], *b = &reversed[i];

		if (a->count < b->count || (a->count == b->count && a->last < b->last))
			abort();
	}

	/* Without the list: no wildcard, the same coverage. */
	text = NULL;
	len = 0;
	lines = suggest(reversed, n, NULL, &text, &len, false);
	check_output(text, len, lines, NULL);
	free(text);
	return 0;
}
