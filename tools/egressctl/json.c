// SPDX-License-Identifier: GPL-2.0
/*
 * The -j option and JSON string quoting, see json.h.
 */
#include <string.h>

#include "commands.h"
#include "json.h"

int efw_opt_json(int argc, char **argv, const char *usage, bool *json)
{
	int i;

	*json = false;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-j") || !strcmp(argv[i], "--json")) {
			*json = true;
			continue;
		}
		if (argv[i][0] == '-')
			fprintf(stderr, "egressctl %s: unknown option '%s'\n", argv[0], argv[i]);
		else
			fprintf(stderr, "egressctl %s: unexpected argument '%s'\n", argv[0], argv[i]);
		fprintf(stderr, "usage: egressctl %s %s\n", argv[0], usage);
		return EXIT_USAGE;
	}
	return 0;
}

size_t efw_utf8_len(const unsigned char *s)
{
	unsigned int cp, min;
	size_t n, i;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0)
		n = 2, cp = s[0] & 0x1f, min = 0x80;
	else if ((s[0] & 0xf0) == 0xe0)
		n = 3, cp = s[0] & 0x0f, min = 0x800;
	else if ((s[0] & 0xf8) == 0xf0)
		n = 4, cp = s[0] & 0x07, min = 0x10000;
	else
		return 0;
	/* The NUL ending @s fails this test, so we never read past it. */
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

void efw_json_str(FILE *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	fputc('"', out);
	while (*p) {
		if (*p == '"' || *p == '\\') {
			fprintf(out, "\\%c", *p++);
		} else if (*p < 0x20 || *p == 0x7f) {
			fprintf(out, "\\u%04x", *p++);
		} else if ((n = efw_utf8_len(p)) == 0) {
			fputs("\\ufffd", out);
			p++;
		} else {
			fwrite(p, 1, n, out);
			p += n;
		}
	}
	fputc('"', out);
}
