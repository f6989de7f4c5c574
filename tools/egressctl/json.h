/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Output for scripts: the -j option of show, stats and config, and JSON
 * string quoting, in the manner of `ip -j`.
 */
#ifndef EGRESSCTL_JSON_H
#define EGRESSCTL_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/*
 * Options of a command that takes only -j/--json: sets *@json. Returns 0,
 * or prints @usage and returns EXIT_USAGE for anything else.
 */
int efw_opt_json(int argc, char **argv, const char *usage, bool *json);

/*
 * @s as a JSON string, quotes included. Control characters are escaped and
 * bytes that are not UTF-8 (file names need not be) become U+FFFD, so the
 * output always parses.
 */
void efw_json_str(FILE *out, const char *s);

/*
 * Length of the well-formed UTF-8 sequence at @s (RFC 3629), 0 if none;
 * @s is NUL-terminated. Also for the Prometheus output's label values.
 */
size_t efw_utf8_len(const unsigned char *s);

#endif /* EGRESSCTL_JSON_H */
