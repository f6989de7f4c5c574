// SPDX-License-Identifier: GPL-2.0
/*
 * The report's order and `egressctl report --suggest`, see suggest.h for
 * the rules.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <uapi/linux/egressfw.h>

#include "list.h"
#include "pattern.h"
#include "stats.h"
#include "suggest.h"

static int cmp_u64(u64 a, u64 b)
{
	return (a > b) - (a < b);
}

/* Names before addresses; names as strings, addresses by value. */
static int cmp_dest(const struct efw_denial *x, const struct efw_denial *y)
{
	if (x->name && y->name)
		return strcmp(x->name, y->name);
	if (x->name || y->name)
		return x->name ? -1 : 1;
	if (x->family != y->family)
		return x->family < y->family ? -1 : 1;
	return memcmp(x->addr, y->addr, x->family == 4 ? 4 : 16);
}

static int cmp_denial(const void *a, const void *b)
{
	const struct efw_denial *x = a, *y = b;
	int c;

	if ((c = cmp_u64(y->count, x->count)) || (c = cmp_u64(y->last, x->last)) ||
	    (c = cmp_dest(x, y)) || (c = x->proto - y->proto) ||
	    (c = x->port - y->port) || (c = cmp_u64(x->first, y->first)))
		return c;
	return x->reason - y->reason;
}

void efw_denials_sort(struct efw_denial *v, size_t n)
{
	if (n)
		qsort(v, n, sizeof(*v), cmp_denial);
}

void efw_denial_dest(const struct efw_denial *d, char *buf, size_t size)
{
	const unsigned char *p;
	size_t used = 0;

	if (!d->name) {
		if ((d->family != 4 && d->family != 6) ||
		    !inet_ntop(d->family == 4 ? AF_INET : AF_INET6, d->addr, buf,
			       (socklen_t)size))
			snprintf(buf, size, "(address of family %u)", d->family);
		return;
	}
	for (p = (const unsigned char *)d->name; *p; p++) {
		/* Room for this byte's 4 and the "..." that may follow. */
		if (used + 4 + 3 + 1 > size) {
			memcpy(buf + used, "...", 3);
			used += 3;
			break;
		}
		if (*p > 0x20 && *p < 0x7f)
			buf[used++] = (char)*p;
		else
			used += (size_t)snprintf(buf + used, size - used, "\\x%02x", *p);
	}
	buf[used] = '\0';
}

void efw_denial_port(const struct efw_denial *d, char *buf, size_t size)
{
	if (d->proto == IPPROTO_TCP || d->proto == IPPROTO_UDP)
		snprintf(buf, size, "%s/%u", d->proto == IPPROTO_TCP ? "tcp" : "udp",
			 d->port);
	else
		snprintf(buf, size, "proto %u/%u", d->proto, d->port);
}

/* One (protocol, port) of a name or address. */
struct want {
	struct efw_pattern pat;	/* the name (canonical) or host address */
	ssize_t reg;		/* names: offset of the registrable domain, or -1 */
	u8 proto;
	u16 port;
};

/* A line to be: its pattern, and indices into wants[] for its ports. */
struct line {
	struct efw_pattern pat;
	size_t *ports;		/* indices into the wants */
	size_t n_ports, cap_ports;
};

struct builder {
	struct want *wants;
	size_t n_wants;
	struct line *lines;
	size_t n_lines, cap_lines;
};

static bool is_name(const struct efw_pattern *p)
{
	return p->kind != EFW_KIND_CIDR4 && p->kind != EFW_KIND_CIDR6;
}

/* The registrable domain of a want (a name with one). */
static const char *reg_of(const struct want *w, size_t *len)
{
	*len = w->pat.name_len - (size_t)w->reg;
	return w->pat.name + w->reg;
}

/*
 * Order of the wants: names grouped by registrable domain (none: the
 * name alone), then by name; addresses by family and value; then by
 * protocol and port.
 */
static int cmp_want(const void *a, const void *b)
{
	const struct want *x = a, *y = b;
	int c;

	if (is_name(&x->pat) != is_name(&y->pat))
		return is_name(&x->pat) ? -1 : 1;
	if (is_name(&x->pat)) {
		const char *rx = x->reg >= 0 ? x->pat.name + x->reg : x->pat.name;
		const char *ry = y->reg >= 0 ? y->pat.name + y->reg : y->pat.name;

		if ((c = strcmp(rx, ry)) || (c = strcmp(x->pat.name, y->pat.name)))
			return c;
	} else {
		if (x->pat.kind != y->pat.kind)
			return x->pat.kind < y->pat.kind ? -1 : 1;
		if ((c = memcmp(x->pat.addr, y->pat.addr, sizeof(x->pat.addr))))
			return c;
	}
	if (x->proto != y->proto)
		return x->proto < y->proto ? -1 : 1;
	return (x->port > y->port) - (x->port < y->port);
}

static bool same_pattern(const struct efw_pattern *x, const struct efw_pattern *y)
{
	if (x->kind != y->kind)
		return false;
	if (is_name(x))
		return !strcmp(x->name, y->name);
	return !memcmp(x->addr, y->addr, sizeof(x->addr));
}

static struct line *new_line(struct builder *b, const struct efw_pattern *pat)
{
	struct line *l;

	if (b->n_lines == b->cap_lines) {
		size_t cap = b->cap_lines ? b->cap_lines * 2 : 16;

		l = realloc(b->lines, cap * sizeof(*l));
		if (!l)
			return NULL;
		b->lines = l;
		b->cap_lines = cap;
	}
	l = &b->lines[b->n_lines++];
	memset(l, 0, sizeof(*l));
	l->pat = *pat;
	return l;
}

static int add_port(struct line *l, size_t want)
{
	if (l->n_ports == l->cap_ports) {
		size_t cap = l->cap_ports ? l->cap_ports * 2 : 4;
		size_t *p = realloc(l->ports, cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		l->ports = p;
		l->cap_ports = cap;
	}
	l->ports[l->n_ports++] = want;
	return 0;
}

/* One line per distinct pattern of wants[from, to), each with its ports. */
static int exact_lines(struct builder *b, size_t from, size_t to, bool apex_only,
		       const char *reg, size_t reg_len)
{
	struct line *l = NULL;
	size_t i;

	for (i = from; i < to; i++) {
		const struct want *w = &b->wants[i];

		if (apex_only && (w->pat.name_len != reg_len ||
				  memcmp(w->pat.name, reg, reg_len)))
			continue;
		if (!l || !same_pattern(&l->pat, &w->pat)) {
			l = new_line(b, &w->pat);
			if (!l)
				return -ENOMEM;
		}
		if (add_port(l, i))
			return -ENOMEM;
	}
	return 0;
}

/*
 * The names of wants[from, to), which share the registrable domain of
 * the first: "*.R" for those below R when there are two or more distinct
 * ones (and a wildcard over R parses, R being no public suffix), R itself
 * on a line of its own; otherwise each name as it is.
 */
static int name_group(struct builder *b, size_t from, size_t to,
		      const struct efw_psl *psl)
{
	const struct want *first = &b->wants[from];
	struct efw_pattern wild;
	const char *reg, *msg;
	size_t reg_len, i, below = 0, off;
	const char *prev = NULL;
	char text[EFW_NAME_MAX + 3];
	struct line *l;

	/* Without the list no wildcard is safe: "*.co.uk" looks like any. */
	if (first->reg < 0 || !psl)
		return exact_lines(b, from, to, false, NULL, 0);
	reg = reg_of(first, &reg_len);
	for (i = from; i < to; i++) {
		const struct want *w = &b->wants[i];

		if ((size_t)w->reg == 0)	/* the name is R itself */
			continue;
		if (!prev || strcmp(prev, w->pat.name))
			below++;
		prev = w->pat.name;
	}
	snprintf(text, sizeof(text), "*.%.*s", (int)reg_len, reg);
	if (below < 2 || efw_psl_registrable(psl, reg, reg_len) != 0 ||
	    efw_psl_has_below(psl, reg, reg_len) ||
	    efw_pattern_parse(text, strlen(text), &wild, &msg, &off) ||
	    wild.kind != EFW_KIND_WILDCARD)
		return exact_lines(b, from, to, false, NULL, 0);
	if (exact_lines(b, from, to, true, reg, reg_len))
		return -ENOMEM;
	l = new_line(b, &wild);
	if (!l)
		return -ENOMEM;
	for (i = from; i < to; i++)
		if (b->wants[i].reg > 0 && add_port(l, i))
			return -ENOMEM;
	return 0;
}

/* Label by label from the right: "com" < "example.com" < "*.example.com" < "a.example.com". */
static int cmp_names(const char *x, size_t xl, const char *y, size_t yl)
{
	while (xl && yl) {
		size_t xs = xl, ys = yl, a, b;
		int c;

		while (xs && x[xs - 1] != '.')
			xs--;
		while (ys && y[ys - 1] != '.')
			ys--;
		a = xl - xs;
		b = yl - ys;
		c = memcmp(x + xs, y + ys, a < b ? a : b);
		if (c || a != b)
			return c ? c : a < b ? -1 : 1;
		xl = xs ? xs - 1 : 0;
		yl = ys ? ys - 1 : 0;
		if (!xs || !ys)
			return !xs && !ys ? 0 : !xs ? -1 : 1;
	}
	return (xl > yl) - (xl < yl);
}

static int cmp_line(const void *a, const void *b)
{
	const struct line *x = a, *y = b;

	if (is_name(&x->pat) && is_name(&y->pat))
		return cmp_names(x->pat.name, x->pat.name_len, y->pat.name,
				 y->pat.name_len);
	if (is_name(&x->pat) || is_name(&y->pat))
		return is_name(&x->pat) ? -1 : 1;
	if (x->pat.kind != y->pat.kind)
		return x->pat.kind < y->pat.kind ? -1 : 1;
	return memcmp(x->pat.addr, y->pat.addr, sizeof(x->pat.addr));
}

static int cmp_range(const void *a, const void *b)
{
	const struct efw_port_range *x = a, *y = b;

	if (x->proto != y->proto)
		return x->proto < y->proto ? -1 : 1;
	return (x->lo > y->lo) - (x->lo < y->lo);
}

/* Write @l: its ports sorted, joined, at most EFW_LIST_MAX_PORTS a line. */
static int write_line(const struct builder *b, const struct line *l, FILE *out)
{
	struct efw_port_range *r = calloc(l->n_ports, sizeof(*r));
	char pattern[EFW_NAME_MAX + 1 + 64], ports[EFW_LIST_MAX_PORTS * 16];
	size_t i, n = 0, done;
	int lines = 0;

	if (!r)
		return -ENOMEM;
	for (i = 0; i < l->n_ports; i++) {
		r[i].proto = b->wants[l->ports[i]].proto;
		r[i].lo = r[i].hi = b->wants[l->ports[i]].port;
	}
	qsort(r, l->n_ports, sizeof(*r), cmp_range);
	for (i = 0; i < l->n_ports; i++) {
		if (n && r[n - 1].proto == r[i].proto && r[i].lo <= r[n - 1].hi + 1u) {
			if (r[i].lo > r[n - 1].hi)
				r[n - 1].hi = r[i].lo;
			continue;
		}
		r[n++] = r[i];
	}
	if (is_name(&l->pat))
		snprintf(pattern, sizeof(pattern), "%s", l->pat.name);
	else
		efw_cidr_format(&l->pat, pattern, sizeof(pattern));
	for (done = 0; done < n; done += EFW_LIST_MAX_PORTS) {
		size_t chunk = n - done < EFW_LIST_MAX_PORTS ? n - done : EFW_LIST_MAX_PORTS;

		efw_ports_format(r + done, (u32)chunk, ports, sizeof(ports));
		fprintf(out, "%s %s\n", pattern, ports);
		lines++;
	}
	free(r);
	return lines;
}

/* Why an entry is left out: on @diag, with its destination. */
static void skipped(FILE *diag, const char *prog, const struct efw_denial *d,
		    const char *why)
{
	char dest[EFW_DEST_TEXT_MAX], port[32];

	if (!diag)
		return;
	efw_denial_dest(d, dest, sizeof(dest));
	efw_denial_port(d, port, sizeof(port));
	fprintf(diag, "%s: not suggested: %s %s: %s\n", prog, dest, port, why);
}

/* Entry @d as a want, or false (said on @diag) if no list line takes it. */
static bool want_of(const struct efw_denial *d, const struct efw_psl *psl,
		    struct want *w, FILE *diag, const char *prog)
{
	char text[INET6_ADDRSTRLEN];
	const char *msg = NULL;
	size_t off;

	memset(w, 0, sizeof(*w));
	if ((d->proto != IPPROTO_TCP && d->proto != IPPROTO_UDP) || !d->port) {
		skipped(diag, prog, d, "no list line names that protocol and port");
		return false;
	}
	w->proto = d->proto;
	w->port = d->port;
	if (d->name) {
		size_t len = strnlen(d->name, EFW_NAME_MAX + 2);

		if (len > EFW_NAME_MAX)
			msg = "longer than a name may be";
		else if (efw_pattern_parse(d->name, len, &w->pat, &msg, &off))
			;	/* msg says why */
		else if (!is_name(&w->pat))
			msg = "an address where a name should be";
		else if (w->pat.kind != EFW_KIND_EXACT)
			msg = "a '*' in a name: a client chose it, a list must not";
		if (msg) {
			skipped(diag, prog, d, msg);
			return false;
		}
		w->reg = efw_psl_registrable(psl, w->pat.name, w->pat.name_len);
		return true;
	}
	/* The address through the parser, so it is what a list would hold. */
	if ((d->family != 4 && d->family != 6) ||
	    !inet_ntop(d->family == 4 ? AF_INET : AF_INET6, d->addr, text, sizeof(text)) ||
	    efw_pattern_parse(text, strlen(text), &w->pat, &msg, &off)) {
		skipped(diag, prog, d, "not an IPv4 or IPv6 address");
		return false;
	}
	return true;
}

static void free_builder(struct builder *b)
{
	size_t i;

	for (i = 0; i < b->n_lines; i++)
		free(b->lines[i].ports);
	free(b->lines);
	free(b->wants);
}

int efw_suggest(const struct efw_denial *v, size_t n, const struct efw_psl *psl,
		FILE *out, FILE *diag, const char *prog)
{
	size_t other[EFW_STATS_MAX_REASONS + 1] = { 0 };
	struct builder b = { 0 };
	size_t i, j;
	char name[32];
	int ret = -ENOMEM, w, lines = 0;

	b.wants = calloc(n ? n : 1, sizeof(*b.wants));
	if (!b.wants)
		goto out;
	for (i = 0; i < n; i++) {
		if (v[i].reason != EGRESSFW_DENY_NO_MATCH) {
			other[v[i].reason < EFW_STATS_MAX_REASONS ? v[i].reason :
			      EFW_STATS_MAX_REASONS]++;
			continue;
		}
		if (want_of(&v[i], psl, &b.wants[b.n_wants], diag, prog))
			b.n_wants++;
	}
	for (i = 0; i <= EFW_STATS_MAX_REASONS && diag; i++) {
		if (!other[i])
			continue;
		if (i < EFW_STATS_MAX_REASONS)
			efw_stats_reason_name((unsigned int)i, name, sizeof(name));
		else
			snprintf(name, sizeof(name), "a newer reason");
		fprintf(diag, "%s: not suggested: %zu %s denied for %s, which a list line does not allow\n",
			prog, other[i], other[i] == 1 ? "entry" : "entries", name);
	}
	if (b.n_wants)
		qsort(b.wants, b.n_wants, sizeof(*b.wants), cmp_want);
	/* Names by registrable domain (one group per name without one). */
	for (i = 0; i < b.n_wants && is_name(&b.wants[i].pat); i = j) {
		size_t rl = 0, jl = 0;
		const char *r = b.wants[i].reg >= 0 ? reg_of(&b.wants[i], &rl) : NULL;

		for (j = i + 1; j < b.n_wants && is_name(&b.wants[j].pat); j++) {
			const char *rj = b.wants[j].reg >= 0 ? reg_of(&b.wants[j], &jl) : NULL;

			if (r ? !rj || rl != jl || memcmp(r, rj, rl) :
				rj || strcmp(b.wants[i].pat.name, b.wants[j].pat.name))
				break;
		}
		if (name_group(&b, i, j, psl))
			goto out;
	}
	if (exact_lines(&b, i, b.n_wants, false, NULL, 0))
		goto out;
	if (b.n_lines)
		qsort(b.lines, b.n_lines, sizeof(*b.lines), cmp_line);
	for (i = 0; i < b.n_lines; i++) {
		w = write_line(&b, &b.lines[i], out);
		if (w < 0)
			goto out;
		lines += w;
	}
	ret = lines;
out:
	free_builder(&b);
	return ret;
}
