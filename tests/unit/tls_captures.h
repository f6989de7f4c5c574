/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ClientHello captures of tests/data/tls for the ClientHello parser
 * tests (test_tls_*.c), and what those tests do with them: take a hello
 * apart into its handshake message, map its length fields, frame it into
 * records again, and parse it.
 */
#ifndef EGRESSFW_TEST_TLS_CAPTURES_H
#define EGRESSFW_TEST_TLS_CAPTURES_H

#include <string.h>

#include "tls_hello.h"

#define MAX_FILES 64
#define MAX_FILE (64 * 1024)

struct capture {
	char file[96];
	size_t size;
	unsigned int records;
	char sni[EFW_NAME_MAX + 2];	/* "" when the hello has none */
	u32 flags;
	u8 *data;
};

extern struct capture caps[MAX_FILES];
extern int ncaps;

int load_captures(void);
const struct capture *find_capture(const char *file);
u32 rnd(u32 *s);
bool sane_ok(const struct efw_tls_hello *h, size_t len);

/* ---- Handshake message helpers (test side, trusts known-good input) ---- */

struct msg {
	u8 p[MAX_FILE];
	size_t n;
};

void to_msg(const u8 *buf, size_t len, struct msg *m);
size_t frame(const struct msg *m, const size_t *sizes, size_t nsizes,
	     u8 *out, unsigned int *records);
size_t frame1(const struct msg *m, u8 *out);

/* Offsets (in the handshake message) of its length fields. */
struct layout {
	size_t sid, cs, comp, exts;	/* the length bytes of each vector */
	size_t ext[64];			/* each extension's type field */
	int next;
	size_t sni_ext;			/* 0 if none */
};

void map_msg(const struct msg *m, struct layout *l);

static inline void put16(u8 *p, u32 v)
{
	p[0] = (u8)(v >> 8);
	p[1] = (u8)v;
}

static inline void put24(u8 *p, u32 v)
{
	p[0] = (u8)(v >> 16);
	p[1] = (u8)(v >> 8);
	p[2] = (u8)v;
}

static inline enum efw_tls_status parse(const u8 *buf, size_t len,
					struct efw_tls_hello *h)
{
	/* Poison: the parser must set every field it reports. */
	memset(h, 0xa5, sizeof(*h));
	return efw_tls_parse_hello(buf, len, h);
}

/* Where the tests put the hellos they craft and frame. */
extern u8 work[MAX_FILE * 8];

#endif /* EGRESSFW_TEST_TLS_CAPTURES_H */
