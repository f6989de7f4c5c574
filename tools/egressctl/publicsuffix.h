/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Public Suffix List (https://publicsuffix.org/list/), as Debian's
 * publicsuffix package installs it, for `egressctl report --suggest`
 * (suggest.c): which part of a name is a public suffix (com, co.uk,
 * github.io), and so which is its registrable domain (example.co.uk),
 * the widest a suggested wildcard may go.
 *
 * The algorithm is the list's own (publicsuffix.org/list/ "Formal
 * algorithm"): a rule matches a name when its labels are the name's last
 * ones, a "*" label matching any one label; an exception rule ("!") that
 * matches wins, and then its leftmost label is not part of the suffix;
 * otherwise the matching rule of most labels wins; with none, the rule
 * "*" (the last label). The registrable domain is the suffix and one
 * label more; a name that is a suffix itself has none.
 *
 * Both sections of the list count, ICANN's and the PRIVATE one: a
 * platform suffix (cloudfront.net, github.io) is as shared between
 * strangers as co.uk, and a wildcard over it lets in every tenant.
 * Rules in Unicode are kept in their A-label (punycode) form, the form
 * names take in a ClientHello and in DNS; a rule with "*" anywhere but
 * as its first label (the list has none) is ignored, as are lines of
 * bytes that are not UTF-8.
 */
#ifndef EGRESSCTL_PUBLICSUFFIX_H
#define EGRESSCTL_PUBLICSUFFIX_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Debian's publicsuffix package; $EGRESSFW_PUBLIC_SUFFIX_LIST overrides it. */
#define EFW_PSL_PATH "/usr/share/publicsuffix/public_suffix_list.dat"
/* A larger file is refused: the list is about 250 KB. */
#define EFW_PSL_MAX_FILE (16u << 20)

struct efw_psl;

/*
 * The rules of the list text @buf (@len bytes). Returns NULL when out of
 * memory. Lines that are not rules are skipped, never an error: the list
 * is data from a package, not something a person wrote here.
 */
struct efw_psl *efw_psl_parse(const char *buf, size_t len);

/*
 * The rules of the file @path, or NULL with errno set (ENOENT when it is
 * missing, EFBIG when it is larger than EFW_PSL_MAX_FILE).
 */
struct efw_psl *efw_psl_load(const char *path);

void efw_psl_free(struct efw_psl *psl);

/* How many rules were read (for tests and diagnostics). */
size_t efw_psl_count(const struct efw_psl *psl);

/*
 * The registrable domain of @name (@len bytes, lower case, no trailing
 * dot, labels of at most 63 bytes, at most 253 bytes in all: a canonical
 * name of pattern.h): the offset in @name where it starts, or -1 when
 * @name has none (it is a public suffix itself, or is not such a name).
 * @psl NULL: the last two labels, for when the list is missing.
 */
ssize_t efw_psl_registrable(const struct efw_psl *psl, const char *name,
			    size_t len);

/*
 * Whether some rule of @psl lies below @name (@len bytes, canonical):
 * "amazonaws.com", below which "s3.amazonaws.com" is a public suffix. A
 * wildcard over such a name lets in every tenant of that suffix.
 */
bool efw_psl_has_below(const struct efw_psl *psl, const char *name,
		       size_t len);

/*
 * The A-label of one Unicode label (RFC 3492 punycode with the "xn--"
 * prefix) of @len bytes of UTF-8 at @label, into @out (@size bytes, NUL
 * included). A label of ASCII only is copied, in lower case. Returns the
 * length written, or -1 if @label is not UTF-8 or the result does not fit
 * @size or 63 bytes.
 */
int efw_psl_alabel(const char *label, size_t len, char *out, size_t size);

#endif /* EGRESSCTL_PUBLICSUFFIX_H */
