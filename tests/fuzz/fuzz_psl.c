// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the Public Suffix List reader (publicsuffix.c):
 * the input as the list's text, then names asked of it, fixed ones and
 * ones made from the input's own rules; and the input's first line as
 * one label for efw_psl_alabel().
 * Invariants: no crash, leak or sanitizer report; a registrable domain
 * starts at a label of the name, and is its own registrable domain; with
 * no list, it is the last two labels; with no exception rule ("!") in
 * the text, a plain rule's name has none, nor has a name one label below
 * a wildcard rule; an A-label fits its buffer and 63 bytes, is ASCII,
 * and starts with "xn--" exactly when the label was not ASCII.
 */
// seeds: tests/data/psl
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pattern.h"
#include "publicsuffix.h"

/* As publicsuffix.c: a longer line holds no rule. */
#define LINE_MAX_BYTES 1024
#define MAX_LINES 16

static const char *const fixed[] = {
	"example.com", "a.b.example.co.uk", "co.uk", "www.ck", "a.www.ck",
	"a.b.ck", "xn--55qx5d.cn", "x.github.io", "com", "a", "",
	"a..b", "a.", ".a", "A.COM", "*.com", "a b.com",
};

static size_t dots(const char *s)
{
	size_t n = 0;

	while ((s = strchr(s, '.')))
		n++, s++;
	return n;
}

/* The checks on a canonical name @name of @len bytes. */
static ssize_t ask(const struct efw_psl *psl, const char *name, size_t len)
{
	ssize_t off = efw_psl_registrable(psl, name, len);

	if (off < -1 || off >= (ssize_t)len || (off > 0 && name[off - 1] != '.'))
		abort();
	if (off >= 0 && efw_psl_registrable(psl, name + off, len - (size_t)off) != 0)
		abort();
	return off;
}

/* The canonical name of @len bytes at @s, or 0 if it is no exact name. */
static size_t canonical(const char *s, size_t len, char *out)
{
	struct efw_pattern p;
	const char *msg;
	size_t off;

	if (efw_pattern_parse(s, len, &p, &msg, &off) || p.kind != EFW_KIND_EXACT)
		return 0;
	memcpy(out, p.name, p.name_len + 1u);
	return p.name_len;
}

/* A name of @n labels "a", or of 63-byte labels; and asked both ways. */
static void ask_long(const struct efw_psl *psl)
{
	char name[EFW_NAME_MAX + 2];
	size_t i;

	for (i = 0; i < sizeof(name) - 1; i++)
		name[i] = i % 2 ? '.' : 'a';
	/* 127 labels in 253 bytes, and one byte too long. */
	ask(psl, name, EFW_NAME_MAX);
	efw_psl_registrable(psl, name, EFW_NAME_MAX + 1);
	for (i = 0; i < sizeof(name) - 1; i++)
		name[i] = i % 64 == 63 ? '.' : 'b';
	ask(psl, name, EFW_NAME_MAX);
	efw_psl_registrable(psl, name, 64 + 64);	/* a 64-byte label */
}

/* The input's rule lines, as names: each, and one and two labels below. */
static void ask_rules(const struct efw_psl *psl, const char *buf, size_t size)
{
	bool no_exc = !memchr(buf, '!', size);
	size_t pos = 0, lines = 0;

	while (pos < size && lines++ < MAX_LINES) {
		const char *nl = memchr(buf + pos, '\n', size - pos);
		size_t eol = nl ? (size_t)(nl - buf) : size;
		const char *line = buf + pos;
		size_t len = 0, skip = 0, n;
		char name[EFW_NAME_MAX + 5], canon[EFW_NAME_MAX + 5];
		bool wild = false;
		ssize_t off;

		pos = eol + 1;
		if (eol - (size_t)(line - buf) > LINE_MAX_BYTES)
			continue;
		while (line + len < buf + eol && !memchr(" \t\r", line[len], 4))
			len++;	/* memchr's 4: the NUL ends a rule too */
		if (len >= 1 && line[0] == '!')
			skip = 1;
		else if (len >= 2 && line[0] == '*' && line[1] == '.')
			skip = 2, wild = true;
		if (len - skip > EFW_NAME_MAX)
			continue;
		/* "a.b." + the rule: the rule at name + 4, "b." + it at + 2 */
		memcpy(name, "a.b.", 4);
		memcpy(name + 4, line + skip, len - skip);
		n = len - skip;
		if (!canonical(name + 4, n, canon))
			continue;
		efw_psl_registrable(psl, name, n + 4);
		efw_psl_registrable(psl, name + 2, n + 2);
		/* The checks want names as they are in the list: canonical. */
		if (strlen(canon) != n || memcmp(canon, name + 4, n))
			continue;
		off = ask(psl, name + 4, n);
		if (no_exc && !skip && off != -1)
			abort();
		if (n + 2 <= EFW_NAME_MAX) {
			off = ask(psl, name + 2, n + 2);
			if (no_exc && wild && off != -1)
				abort();
		}
		if (n + 4 <= EFW_NAME_MAX)
			ask(psl, name, n + 4);
	}
}

static void check_alabel(const char *label, size_t len)
{
	static const size_t sizes[] = { 1, 5, 16, 64, 300 };
	bool ascii = true;
	char out[300];
	size_t i, k;
	int w;

	for (i = 0; i < len; i++)
		if ((unsigned char)label[i] >= 0x80)
			ascii = false;
	for (k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		w = efw_psl_alabel(label, len, out, sizes[k]);
		if (w < 0)
			continue;
		if ((size_t)w >= sizes[k] || w > EFW_LABEL_MAX || out[w] != '\0')
			abort();
		for (i = 0; i < (size_t)w; i++)
			if ((unsigned char)out[i] >= 0x80)
				abort();
		if (!ascii && (w < 4 || memcmp(out, "xn--", 4)))
			abort();
		if (ascii && (size_t)w != len)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	const char *nl = memchr(buf, '\n', size);
	struct efw_psl *psl = efw_psl_parse(buf, size);
	char canon[EFW_NAME_MAX + 1];
	size_t i, n;
	ssize_t off;

	if (!psl)
		abort();	/* only when out of memory */
	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		n = canonical(fixed[i], strlen(fixed[i]), canon);
		if (n)
			ask(psl, canon, n);
		else
			efw_psl_registrable(psl, fixed[i], strlen(fixed[i]));
		/* Without the list: the last two labels. */
		if (n) {
			off = ask(NULL, canon, n);
			if (strchr(canon, '.') ? off < 0 || dots(canon + off) != 1 :
			    off != -1)
				abort();
		}
	}
	ask_long(psl);
	ask_rules(psl, buf, size);
	check_alabel(buf, nl ? (size_t)(nl - buf) : size);
	efw_psl_free(psl);
	return 0;
}
