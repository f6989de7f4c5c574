// SPDX-License-Identifier: GPL-2.0
/*
 * The Public Suffix List, see publicsuffix.h.
 *
 * The rules go into one open-addressing hash of strings, each with the
 * kinds of rule it is the text of (plain, "*." + it, "!" + it), so that a
 * lookup costs one probe per label of the name.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "json.h"
#include "pattern.h"
#include "publicsuffix.h"

#define RULE_PLAIN 1u	/* "co.uk" */
#define RULE_WILD 2u	/* "*.ck": stored as "ck" */
#define RULE_EXC 4u	/* "!www.ck": stored as "www.ck" */
#define RULE_BELOW 8u	/* "amazonaws.com": some rule lies below it ("s3.amazonaws.com") */

/* The longest line a rule may be read from; longer ones are no rule. */
#define LINE_MAX_BYTES 1024

struct slot {
	uint32_t off;		/* into ->text */
	uint16_t len;		/* 0: an empty slot */
	uint8_t kinds;
};

struct efw_psl {
	char *text;		/* the rule strings, back to back */
	size_t text_len, text_cap;
	struct slot *slots;
	size_t cap, n;		/* cap is a power of two, n < cap / 2 */
};

/* FNV-1a: the keys are short, and nobody chooses them against us. */
static uint32_t hash(const char *s, size_t len)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static struct slot *find(const struct efw_psl *psl, const char *s, size_t len)
{
	size_t i = hash(s, len) & (psl->cap - 1);

	for (;; i = (i + 1) & (psl->cap - 1)) {
		struct slot *sl = &psl->slots[i];

		if (!sl->len ||
		    (sl->len == len && !memcmp(psl->text + sl->off, s, len)))
			return sl;
	}
}

static int grow(struct efw_psl *psl)
{
	struct efw_psl bigger = *psl;
	size_t i;

	bigger.cap = psl->cap ? psl->cap * 2 : 1024;
	bigger.slots = calloc(bigger.cap, sizeof(*bigger.slots));
	if (!bigger.slots)
		return -ENOMEM;
	for (i = 0; i < psl->cap; i++)
		if (psl->slots[i].len)
			*find(&bigger, psl->text + psl->slots[i].off,
			      psl->slots[i].len) = psl->slots[i];
	free(psl->slots);
	*psl = bigger;
	return 0;
}

static int add(struct efw_psl *psl, const char *s, size_t len, uint8_t kind)
{
	struct slot *sl;
	char *text;

	if ((psl->n + 1) * 2 > psl->cap && grow(psl))
		return -ENOMEM;
	sl = find(psl, s, len);
	if (sl->len) {
		sl->kinds |= kind;
		return 0;
	}
	if (psl->text_len + len > psl->text_cap) {
		size_t cap = psl->text_cap ? psl->text_cap * 2 : 64 * 1024;

		while (cap < psl->text_len + len)
			cap *= 2;
		if (cap > UINT32_MAX)
			return -ENOMEM;
		text = realloc(psl->text, cap);
		if (!text)
			return -ENOMEM;
		psl->text = text;
		psl->text_cap = cap;
	}
	memcpy(psl->text + psl->text_len, s, len);
	sl->off = (uint32_t)psl->text_len;
	sl->len = (uint16_t)len;
	sl->kinds = kind;
	psl->text_len += len;
	psl->n++;
	return 0;
}

/* RFC 3492's parameters for punycode. */
enum { BASE = 36, TMIN = 1, TMAX = 26, SKEW = 38, DAMP = 700,
       INITIAL_BIAS = 72, INITIAL_N = 128 };

static uint32_t adapt(uint32_t delta, uint32_t points, int first)
{
	uint32_t k = 0;

	delta = first ? delta / DAMP : delta / 2;
	delta += delta / points;
	while (delta > ((BASE - TMIN) * TMAX) / 2) {
		delta /= BASE - TMIN;
		k += BASE;
	}
	return k + (BASE - TMIN + 1) * delta / (delta + SKEW);
}

static char digit(uint32_t d)
{
	return (char)(d < 26 ? 'a' + d : '0' + d - 26);
}

/* The code point of the sequence of @n bytes at @s (valid UTF-8). */
static uint32_t code_point(const unsigned char *s, size_t n)
{
	static const unsigned char lead_mask[5] = { 0, 0x7f, 0x1f, 0x0f, 0x07 };
	uint32_t cp = s[0] & lead_mask[n];
	size_t i;

	for (i = 1; i < n; i++)
		cp = cp << 6 | (s[i] & 0x3f);
	return cp;
}

#define MAX_POINTS 256

int efw_psl_alabel(const char *label, size_t len, char *out, size_t size)
{
	char text[4 * MAX_POINTS + 1];
	uint32_t cp[MAX_POINTS], n = INITIAL_N, delta = 0, bias = INITIAL_BIAS;
	size_t n_cp = 0, i, used = 0, basic, h;
	size_t limit = size - 1 < EFW_LABEL_MAX ? size - 1 : EFW_LABEL_MAX;

	if (!size || !len || len >= sizeof(text))
		return -1;
	/* efw_utf8_len() wants a NUL after the bytes it reads. */
	memcpy(text, label, len);
	text[len] = '\0';
	for (i = 0; i < len;) {
		size_t k = efw_utf8_len((const unsigned char *)text + i);

		if (!k || i + k > len || n_cp == MAX_POINTS)
			return -1;
		cp[n_cp++] = code_point((const unsigned char *)text + i, k);
		i += k;
	}
	/* The basic code points first, in lower case, as they came. */
	for (i = 0; i < n_cp; i++)
		if (cp[i] < 0x80 && used < limit)
			out[used++] = efw_lower((char)cp[i]);
		else if (cp[i] < 0x80)
			return -1;
	basic = h = used;
	if (basic == n_cp) {
		out[used] = '\0';
		return (int)used;
	}
	if (used + 4 + (basic ? 1 : 0) > limit)
		return -1;
	memmove(out + 4, out, used);
	memcpy(out, "xn--", 4);
	used += 4;
	if (basic)
		out[used++] = '-';
	/* Each round inserts the smallest code point not yet written. */
	while (h < n_cp) {
		uint32_t m = UINT32_MAX;

		for (i = 0; i < n_cp; i++)
			if (cp[i] >= n && cp[i] < m)
				m = cp[i];
		/* No overflow: at most 256 points below 0x110000. */
		delta += (m - n) * (uint32_t)(h + 1);
		n = m;
		for (i = 0; i < n_cp; i++) {
			uint32_t q, k, t;

			if (cp[i] < n)
				delta++;
			if (cp[i] != n)
				continue;
			for (q = delta, k = BASE;; k += BASE) {
				t = k <= bias ? TMIN : k >= bias + TMAX ? TMAX : k - bias;
				if (q < t)
					break;
				if (used >= limit)
					return -1;
				out[used++] = digit(t + (q - t) % (BASE - t));
				q = (q - t) / (BASE - t);
			}
			if (used >= limit)
				return -1;
			out[used++] = digit(q);
			bias = adapt(delta, (uint32_t)(h + 1), h == basic);
			delta = 0;
			h++;
		}
		delta++;
		n++;
	}
	out[used] = '\0';
	return (int)used;
}

/*
 * One line of the list: a rule up to the first blank, or nothing (a
 * comment, a blank line, a rule we cannot use). Returns 0 or -ENOMEM.
 */
static int add_line(struct efw_psl *psl, const char *line, size_t len)
{
	char rule[EFW_NAME_MAX + 1];
	size_t start = 0, end, used = 0, i;
	uint8_t kind = RULE_PLAIN;
	int w;

	len = strcspn(line, " \t\r") < len ? strcspn(line, " \t\r") : len;
	if (!len || (len >= 2 && line[0] == '/' && line[1] == '/'))
		return 0;
	if (line[0] == '!') {
		kind = RULE_EXC;
		start = 1;
	} else if (len >= 2 && line[0] == '*' && line[1] == '.') {
		kind = RULE_WILD;
		start = 2;
	}
	for (; start < len; start = end + 1) {
		end = start;
		while (end < len && line[end] != '.')
			end++;
		/* An empty label or a '*' where the list never puts one. */
		if (end == start || memchr(line + start, '*', end - start) ||
		    (end == len - 1 && line[end] == '.'))
			return 0;
		if (used)
			rule[used++] = '.';
		w = efw_psl_alabel(line + start, end - start, rule + used,
				   sizeof(rule) - used);
		if (w < 0)
			return 0;
		used += (size_t)w;
		if (end == len)
			break;
	}
	if (!used)
		return 0;
	if (add(psl, rule, used, kind))
		return -ENOMEM;
	/* Mark the names the rule lies below, for efw_psl_has_below(). */
	if (kind == RULE_EXC)
		return 0;
	if (kind == RULE_WILD && add(psl, rule, used, RULE_BELOW))
		return -ENOMEM;
	for (i = 0; i < used; i++)
		if (rule[i] == '.' && add(psl, rule + i + 1, used - i - 1, RULE_BELOW))
			return -ENOMEM;
	return 0;
}

struct efw_psl *efw_psl_parse(const char *buf, size_t len)
{
	struct efw_psl *psl = calloc(1, sizeof(*psl));
	size_t pos = 0, eol;

	if (!psl || grow(psl)) {
		free(psl);
		return NULL;
	}
	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		char line[LINE_MAX_BYTES + 1];

		eol = nl ? (size_t)(nl - buf) : len;
		/* A longer line holds no rule of the list: skipped. */
		if (eol - pos <= LINE_MAX_BYTES) {
			memcpy(line, buf + pos, eol - pos);
			line[eol - pos] = '\0';
			/* A NUL in the line cuts it: strcspn sees no further. */
			if (add_line(psl, line, strlen(line))) {
				efw_psl_free(psl);
				return NULL;
			}
		}
		pos = eol + 1;
	}
	return psl;
}

struct efw_psl *efw_psl_load(const char *path)
{
	struct efw_psl *psl = NULL;
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	struct stat sb;
	size_t got;
	int err;

	if (!f)
		return NULL;
	if (fstat(fileno(f), &sb)) {
		err = errno;
		goto out;
	}
	if (sb.st_size > (off_t)EFW_PSL_MAX_FILE) {
		err = EFBIG;
		goto out;
	}
	err = ENOMEM;
	buf = malloc((size_t)sb.st_size + 1);
	if (!buf)
		goto out;
	got = fread(buf, 1, (size_t)sb.st_size, f);
	if (ferror(f)) {
		err = EIO;
		goto out;
	}
	psl = efw_psl_parse(buf, got);
	err = ENOMEM;
out:
	free(buf);
	fclose(f);
	if (!psl)
		errno = err;
	return psl;
}

void efw_psl_free(struct efw_psl *psl)
{
	if (!psl)
		return;
	free(psl->slots);
	free(psl->text);
	free(psl);
}

size_t efw_psl_count(const struct efw_psl *psl)
{
	size_t i, rules = 0;

	/* Names only marked RULE_BELOW are no rules of the list. */
	for (i = 0; psl && i < psl->cap; i++)
		if (psl->slots[i].kinds & (RULE_PLAIN | RULE_WILD | RULE_EXC))
			rules++;
	return rules;
}

static uint8_t kinds_of(const struct efw_psl *psl, const char *s, size_t len)
{
	const struct slot *sl = find(psl, s, len);

	return sl->len ? sl->kinds : 0;
}

bool efw_psl_has_below(const struct efw_psl *psl, const char *name,
		       size_t len)
{
	return psl && len && (kinds_of(psl, name, len) & RULE_BELOW);
}

ssize_t efw_psl_registrable(const struct efw_psl *psl, const char *name,
			    size_t len)
{
	/* A 253-byte name has at most 127 labels. */
	size_t starts[EFW_NAME_MAX / 2 + 1], n = 0, i, k, suffix = 0, exc = 0;
	uint8_t kinds, prev = 0;

	if (!len || len > EFW_NAME_MAX)
		return -1;
	starts[n++] = 0;
	for (i = 0; i < len; i++) {
		if (name[i] != '.')
			continue;
		if (i == starts[n - 1] || i + 1 == len)
			return -1;	/* an empty label, or a trailing dot */
		starts[n++] = i + 1;
	}
	for (i = 0; i < n; i++)
		if ((i + 1 < n ? starts[i + 1] - 1 : len) - starts[i] > EFW_LABEL_MAX)
			return -1;
	if (!psl)
		return n >= 2 ? (ssize_t)starts[n - 2] : -1;
	/* k: the rule of k labels, the name's last k. */
	for (k = 1; k <= n; k++) {
		kinds = kinds_of(psl, name + starts[n - k], len - starts[n - k]);
		if (kinds & RULE_EXC)
			exc = k;
		if ((kinds & RULE_PLAIN) || (prev & RULE_WILD))
			suffix = k;
		prev = kinds;
	}
	if (exc)
		suffix = exc - 1;
	/* The rule "*" when none matched; never a bare root. */
	if (!suffix)
		suffix = 1;
	if (suffix + 1 > n)
		return -1;
	return (ssize_t)starts[n - suffix - 1];
}
