/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The configuration file, egressfw.conf(5): the settings `egressctl set`
 * takes, one per line, that `egressctl load` applies together with the
 * lists. Errors are reported as "FILE:LINE:COL: message", as the lists'
 * are.
 *
 *     # a comment
 *     mode = enforce
 *     egress-interfaces = eth0,ppp*
 *
 * A setting the file does not name takes its default: the file is the
 * whole configuration, so a line deleted is a setting undone at the next
 * load. Besides the module's settings it holds `boot-fallback`, which
 * only `egressctl load --boot` reads.
 */
#ifndef EGRESSCTL_CONFFILE_H
#define EGRESSCTL_CONFFILE_H

#include <stdbool.h>
#include <stdio.h>

#include "settings_nl.h"

/* The file a directory of lists may hold beside them. */
#define EFW_CONF_NAME "egressfw.conf"

/* What `load --boot` does when nothing loads and nothing ran before. */
enum efw_boot_fallback {
	EFW_FALLBACK_DENY,	/* an empty ruleset: every guarded flow denied */
	EFW_FALLBACK_PASS,	/* nothing: pass-through */
};

struct efw_conf {
	struct efw_settings settings;	/* every setting, the file's or default */
	enum efw_boot_fallback fallback;
};

/*
 * Parse @path into @conf (defaults first). Returns the number of errors,
 * each reported to @diag (NULL: silent); a file that cannot be read is
 * one error.
 */
unsigned int efw_conf_parse_file(struct efw_conf *conf, const char *path,
				 FILE *diag);

/* The same for @len bytes at @buf, named @name in the messages. */
unsigned int efw_conf_parse_buffer(struct efw_conf *conf, const char *name,
				   const char *buf, size_t len, FILE *diag);

/*
 * @path/egressfw.conf if @path is a directory that holds one, else NULL.
 * The result is malloc'd.
 */
char *efw_conf_in_dir(const char *path);

/* Is @path named as a configuration file ("*.conf")? */
bool efw_conf_named(const char *path);

#endif /* EGRESSCTL_CONFFILE_H */
