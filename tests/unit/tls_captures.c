// SPDX-License-Identifier: GPL-2.0
/*
 * The ClientHello captures of the TLS tests, and the handshake message
 * helpers that take them apart and frame them again (see tls_captures.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tls_captures.h"

#define DATA_DIR "tests/data/tls/"

struct capture caps[MAX_FILES];
int ncaps = -1;

static u32 parse_flags(const char *s)
{
	u32 f = 0;

	if (strstr(s, "NO_SNI"))
		f |= EFW_TLS_F_NO_SNI;
	if (strstr(s, "ECH_INNER"))
		f |= EFW_TLS_F_ECH_INNER;
	if (strstr(s, "ECH"))
		f |= EFW_TLS_F_ECH;
	if (strstr(s, "MULTI_RECORD"))
		f |= EFW_TLS_F_MULTI_RECORD;
	return f;
}

static u8 *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	u8 *p;

	if (!f)
		return NULL;
	p = malloc(MAX_FILE);
	*len = fread(p, 1, MAX_FILE, f);
	fclose(f);
	return p;
}

/* Reads the manifest once; returns the number of captures (0 on error). */
int load_captures(void)
{
	char line[1024], flags[128], path[160];
	FILE *f;

	if (ncaps >= 0)
		return ncaps;
	ncaps = 0;
	f = fopen(DATA_DIR "MANIFEST", "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f) && ncaps < MAX_FILES) {
		struct capture *c = &caps[ncaps];
		size_t got;

		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (sscanf(line, "%95s %zu %u %254s %127s", c->file, &c->size,
			   &c->records, c->sni, flags) != 5)
			continue;
		if (!strcmp(c->sni, "-"))
			c->sni[0] = '\0';
		c->flags = parse_flags(flags);
		snprintf(path, sizeof(path), DATA_DIR "%s", c->file);
		c->data = read_file(path, &got);
		if (!c->data || got != c->size) {
			fprintf(stderr, "# %s: missing or %zu bytes, manifest says %zu\n",
				path, got, c->size);
			free(c->data);
			c->data = NULL;
			continue;
		}
		ncaps++;
	}
	fclose(f);
	return ncaps;
}

const struct capture *find_capture(const char *file)
{
	int i;

	for (i = 0; i < load_captures(); i++)
		if (!strcmp(caps[i].file, file))
			return &caps[i];
	return NULL;
}

u32 rnd(u32 *s)
{
	/* xorshift32: a fixed seed makes every run test the same inputs. */
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/* A valid result: a name the matcher can take, consistent with flags. */
bool sane_ok(const struct efw_tls_hello *h, size_t len)
{
	size_t i;

	if (h->consumed > len || h->consumed < 5 + 4 + 38)
		return false;
	if (h->sni_len > EFW_NAME_MAX || h->sni[h->sni_len] != '\0' ||
	    strlen(h->sni) != h->sni_len)
		return false;
	if (!!(h->flags & EFW_TLS_F_NO_SNI) != !h->sni_len)
		return false;
	for (i = 0; i < h->sni_len; i++) {
		char ch = h->sni[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
		      ch == '-' || ch == '_' || ch == '.'))
			return false;
	}
	return !h->sni_len || (h->sni[0] != '.' && h->sni[h->sni_len - 1] != '.');
}

/* ---- Handshake message helpers (test side, trusts known-good input) ---- */

/* Concatenate the record payloads of a capture: the handshake message. */
void to_msg(const u8 *buf, size_t len, struct msg *m)
{
	size_t pos = 0, rl;

	m->n = 0;
	while (pos + 5 <= len) {
		rl = efw_get_be16(buf + pos + 3);
		memcpy(m->p + m->n, buf + pos + 5, rl);
		m->n += rl;
		pos += 5 + rl;
	}
}

/* Frame a handshake message into records of sizes[i % nsizes] bytes. */
size_t frame(const struct msg *m, const size_t *sizes, size_t nsizes,
	     u8 *out, unsigned int *records)
{
	size_t pos = 0, o = 0, i = 0, n;

	*records = 0;
	while (pos < m->n) {
		n = sizes[i++ % nsizes];
		if (n > m->n - pos)
			n = m->n - pos;
		out[o++] = 22;
		out[o++] = 3;
		out[o++] = 1;
		out[o++] = (u8)(n >> 8);
		out[o++] = (u8)n;
		memcpy(out + o, m->p + pos, n);
		o += n;
		pos += n;
		(*records)++;
	}
	return o;
}

size_t frame1(const struct msg *m, u8 *out)
{
	size_t whole = 16384;
	unsigned int r;

	return frame(m, &whole, 1, out, &r);
}

void map_msg(const struct msg *m, struct layout *l)
{
	size_t p = 4 + 2 + 32, end;

	memset(l, 0, sizeof(*l));
	l->sid = p;
	p += 1 + m->p[p];
	l->cs = p;
	p += 2 + efw_get_be16(m->p + p);
	l->comp = p;
	p += 1 + m->p[p];
	l->exts = p;
	if (p >= m->n)
		return;
	end = p + 2 + efw_get_be16(m->p + p);
	p += 2;
	while (p < end && l->next < 64) {
		if (efw_get_be16(m->p + p) == 0)
			l->sni_ext = p;
		l->ext[l->next++] = p;
		p += 4 + efw_get_be16(m->p + p + 2);
	}
}

u8 work[MAX_FILE * 8];
