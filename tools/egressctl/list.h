/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The allowlist file format (*.list), see egressfw.list(5) and doc/design.md:
 *
 *     PATTERN [PORTSPEC ...]     # comment
 *     @set FAMILY TABLE SET [SET...]   # the nft sets of the entries after it
 *     @set none
 *
 * Parsing collects every error of every file, each reported as
 * "FILE:LINE:COL: message"; a caller must not use a list that had errors.
 */
#ifndef EGRESSCTL_LIST_H
#define EGRESSCTL_LIST_H

#include <stdio.h>
#include <uapi/linux/egressfw.h>
#include "pattern.h"

/* Longer lines are an error: no sane entry needs them, and it bounds work. */
#define EFW_LIST_MAX_LINE 4096
/* Port ranges one entry may name (after merging adjacent ones). */
#define EFW_LIST_MAX_PORTS 64

struct efw_list_rule {
	struct efw_pattern pattern;
	u32 ports_off;		/* index of the first range in list->ports */
	u32 n_ports;
	u32 file;		/* index into list->files */
	u32 line;		/* 1-based */
	u32 set;		/* 1 + index into list->sets; 0: no @set */
};

struct efw_list {
	struct efw_list_rule *rules;
	u32 n_rules, cap_rules;
	struct efw_port_range *ports;
	u32 n_ports, cap_ports;
	char **files;
	u32 n_files;
	/* The distinct canonical @set strings, and the one in force. */
	char **sets;
	u32 n_sets;
	u32 cur_set;		/* for the file being parsed: 1 + index, 0 none */
	u32 errors, warnings;
	FILE *diag;		/* where diagnostics go; NULL for silence */
	/* duplicate detection: open-addressing set of rule indices + 1 */
	u32 *dup_slots;
	u32 dup_cap;
};

void efw_list_init(struct efw_list *list, FILE *diag);
void efw_list_free(struct efw_list *list);

/*
 * Append the entries of one file (or of a buffer named @name) to @list.
 * Returns the number of errors found in it; negative errno if the file
 * could not be read (also reported to ->diag).
 */
int efw_list_parse_file(struct efw_list *list, const char *path);
int efw_list_parse_buffer(struct efw_list *list, const char *name,
			  const char *buf, size_t len);

/*
 * efw_list_parse_file(), or, if @path is a directory, the same for each
 * *.list file in it (not hidden, not in subdirectories) in byte order of
 * the names; a directory without one is an error (listdir.c). Returns 0
 * if all went well, non-zero otherwise (the errors are in ->errors).
 */
int efw_list_parse_path(struct efw_list *list, const char *path);

/*
 * Parse a PORTSPEC token ("443", "tcp/22", "udp/123", "tcp/80,443",
 * "tcp/1024-65535") into @out (at most @max ranges). Returns the number of
 * ranges or -1 with *@err_msg and *@err_off set.
 */
int efw_portspec_parse(const char *s, size_t len, struct efw_port_range *out,
		       int max, const char **err_msg, size_t *err_off);

/* "tcp/80,443 udp/123": the canonical text of a port set. */
void efw_ports_format(const struct efw_port_range *r, u32 n, char *buf,
		      size_t size);

/* "146.112.62.0/24", "2a04:e4c7:ffff::/48"; a single host without "/32". */
void efw_cidr_format(const struct efw_pattern *p, char *buf, size_t size);

/*
 * `@set FAMILY TABLE SET [SET...]`: the nft sets the addresses learned
 * for the entries after it go to (EGRESSFW_RULE_A_SET), until the next
 * @set or `@set none` or the end of the file. FAMILY is one of the nft
 * families whose sets can hold addresses; TABLE and SET are nft names as
 * nft writes them unquoted: a letter, '_' or '.', then letters, digits
 * and '/', '-', '_', '.'. A SET named twice is an error; the canonical
 * string (single spaces) is shorter than EGRESSFW_SET_MAX.
 *
 * efw_set_spec_parse() checks the arguments @s (@len bytes, blanks
 * between the words) and writes the canonical string to @canon
 * (EGRESSFW_SET_MAX bytes). Returns 0, or -1 with *@msg and *@off (the
 * offset in @s of the word at fault) set. "none" is not a spec here.
 */
int efw_set_spec_parse(const char *s, size_t len, char *canon,
		       const char **msg, size_t *off);

/* The NFPROTO_* number of an nft family name of a spec, or -1. */
int efw_set_family(const char *name, size_t len);

/* The canonical @set string of @r, or NULL if it has none. */
static inline const char *efw_list_rule_set(const struct efw_list *list,
					    const struct efw_list_rule *r)
{
	return r->set ? list->sets[r->set - 1] : NULL;
}

static inline const struct efw_port_range *
efw_list_rule_ports(const struct efw_list *list, const struct efw_list_rule *r)
{
	return list->ports + r->ports_off;
}

#endif /* EGRESSCTL_LIST_H */
