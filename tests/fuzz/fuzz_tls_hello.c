// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the ClientHello parser.
 * Invariants, on the whole input and on prefixes of it: no crash or
 * sanitizer report; NEED_MORE asks for more than it was given; OK never
 * claims bytes it was not given and reports a clean host name (at most
 * 253 bytes, NUL-terminated, lower-case host name characters, no empty
 * label), with NO_SNI set exactly when there is none; a prefix of a
 * buffer never gets a different verdict than the buffer once the parser
 * has all it asked for (the parser is stateless, so feeding bytes in
 * pieces must converge to the same answer).
 */
// seeds: tests/data/tls
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tls_hello.h"

static void check_ok(const struct efw_tls_hello *h, size_t len)
{
	size_t i;
	char ch, prev = '.';

	if (h->consumed > len || h->sni_len > EFW_NAME_MAX ||
	    h->sni[h->sni_len] != '\0' || strlen(h->sni) != h->sni_len)
		abort();
	if (!!(h->flags & EFW_TLS_F_NO_SNI) != !h->sni_len)
		abort();
	if ((h->flags & EFW_TLS_F_ECH_INNER) && !(h->flags & EFW_TLS_F_ECH))
		abort();
	for (i = 0; i < h->sni_len; i++) {
		ch = h->sni[i];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
		      ch == '-' || ch == '_' || ch == '.'))
			abort();
		if (ch == '.' && prev == '.')
			abort();
		prev = ch;
	}
	if (h->sni_len && prev == '.')
		abort();
}

static enum efw_tls_status run(const uint8_t *data, size_t len,
			       struct efw_tls_hello *h)
{
	enum efw_tls_status st;

	memset(h, 0xa5, sizeof(*h));
	st = efw_tls_parse_hello(data, len, h);
	switch (st) {
	case EFW_TLS_OK:
		check_ok(h, len);
		break;
	case EFW_TLS_NEED_MORE:
		if (h->need <= len)
			abort();
		break;
	case EFW_TLS_NOT_TLS:
	case EFW_TLS_MALFORMED:
		break;
	default:
		abort();
	}
	return st;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t cuts[] = { 1, 5, 6, 9, 64, 517, 1448 };
	struct efw_tls_hello whole, part;
	enum efw_tls_status st, pst;
	uint8_t *copy;
	size_t i, have;

	/* An exact-size copy lets ASan catch a read past the end. */
	copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	st = run(copy, size, &whole);

	for (i = 0; i < sizeof(cuts) / sizeof(cuts[0]) && cuts[i] < size; i++) {
		pst = run(copy, cuts[i], &part);
		/* A prefix that was asked to grow cannot have been final. */
		if (pst == EFW_TLS_OK && (st != EFW_TLS_OK ||
					  part.consumed != whole.consumed ||
					  strcmp(part.sni, whole.sni)))
			abort();
	}

	/*
	 * Incremental arrival: grow to ->need each time, like the module.
	 * Capped: with 1-byte records each step is only 1 to 5 bytes, and
	 * re-parsing thousands of times would starve the fuzzer.
	 */
	have = 0;
	pst = EFW_TLS_NEED_MORE;
	for (i = 0; pst == EFW_TLS_NEED_MORE && have < size && i < 64; i++) {
		pst = run(copy, have, &part);
		if (pst == EFW_TLS_NEED_MORE)
			have = part.need < size ? part.need : size;
	}
	if (pst == EFW_TLS_NEED_MORE)
		pst = run(copy, size, &part);
	if (pst != st)
		abort();
	if (st == EFW_TLS_OK && (part.consumed != whole.consumed ||
				 part.flags != whole.flags ||
				 strcmp(part.sni, whole.sni)))
		abort();
	free(copy);
	return 0;
}
