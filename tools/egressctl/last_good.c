// SPDX-License-Identifier: GPL-2.0
/*
 * The last-known-good copy (last_good.h). Two files in the state
 * directory: the rules as one list in canonical form, and the settings
 * as a configuration file, each written to a temporary name, synced and
 * renamed over the old one, so a crash leaves the old copy or the new,
 * never half of one. The settings are written first: a crash between the
 * two renames leaves the old rules with the new settings, both whole.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include "last_good.h"
#include "load.h"

#ifndef EGRESSFW_STATE_DIR
#define EGRESSFW_STATE_DIR "/var/lib/egressfw"
#endif

const char *efw_state_dir(void)
{
	const char *dir = getenv("EGRESSFW_STATE_DIR");

	return dir && dir[0] ? dir : EGRESSFW_STATE_DIR;
}

/* Is this process in the network namespace of the host's init? */
static bool in_initial_netns(void)
{
	struct stat self, init;

	if (stat("/proc/self/ns/net", &self) || stat("/proc/1/ns/net", &init))
		return false;
	return self.st_dev == init.st_dev && self.st_ino == init.st_ino;
}

static void header(FILE *f, const char *what)
{
	char when[64];
	time_t now = time(NULL);
	struct tm tm;

	if (!gmtime_r(&now, &tm) ||
	    !strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", &tm))
		snprintf(when, sizeof(when), "?");
	fprintf(f, "# egressfw last-known-good %s, kept by `egressctl load` at %s.\n"
		   "# Loaded by `egressctl load --boot` when the configured files do not load.\n"
		   "# Do not edit: the next successful load replaces it.\n",
		what, when);
}

/*
 * One list: the rules in order, each run of rules with the same nft sets
 * after the @set line that gives them (or `@set none`), so a fallback
 * load feeds the same sets.
 */
static void write_rules(FILE *f, const struct efw_list *list)
{
	char ports[2048], cidr[64];
	u32 i, set = 0;

	header(f, "rules");
	for (i = 0; i < list->n_files; i++)
		fprintf(f, "# from %s\n", list->files[i]);
	for (i = 0; i < list->n_rules; i++) {
		const struct efw_list_rule *r = &list->rules[i];
		const char *pattern = r->pattern.name;

		if (r->set != set) {
			fprintf(f, "@set %s\n", r->set ? efw_list_rule_set(list, r) : "none");
			set = r->set;
		}

		if (r->pattern.kind == EFW_KIND_CIDR4 || r->pattern.kind == EFW_KIND_CIDR6) {
			efw_cidr_format(&r->pattern, cidr, sizeof(cidr));
			pattern = cidr;
		}
		efw_ports_format(efw_list_rule_ports(list, r), r->n_ports, ports,
				 sizeof(ports));
		fprintf(f, "%s%s%s\n", pattern, ports[0] ? " " : "", ports);
	}
}

static void write_settings(FILE *f, const struct efw_settings *st,
			   enum efw_boot_fallback fallback)
{
	header(f, "settings");
	efw_settings_print(f, st, false);
	fprintf(f, "boot-fallback = %s\n",
		fallback == EFW_FALLBACK_PASS ? "pass" : "deny");
}

/* @dir/@name, replaced whole by what @fill writes; 0 or an errno. */
static int replace_file(const char *dir, const char *name,
			void (*fill)(FILE *f, const void *a, const void *b),
			const void *a, const void *b)
{
	char path[4096], tmp[4096];
	int fd, err = 0;
	FILE *f;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path) ||
	    (size_t)snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", dir, name) >= sizeof(tmp))
		return ENAMETOOLONG;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return errno;
	f = fdopen(fd, "w");
	if (!f) {
		err = errno;
		close(fd);
		unlink(tmp);
		return err;
	}
	fill(f, a, b);
	if (fflush(f) || ferror(f) || fsync(fd))
		err = errno ? errno : EIO;
	if (fclose(f) && !err)
		err = errno;
	if (!err && rename(tmp, path))
		err = errno;
	if (err)
		unlink(tmp);
	return err;
}

static void fill_rules(FILE *f, const void *list, const void *unused)
{
	(void)unused;
	write_rules(f, list);
}

static void fill_settings(FILE *f, const void *st, const void *fallback)
{
	write_settings(f, st, *(const enum efw_boot_fallback *)fallback);
}

void efw_last_good_save(struct efw_nl *nl, const struct efw_list *list,
			const struct efw_conf *conf)
{
	enum efw_boot_fallback fallback = conf ? conf->fallback : EFW_FALLBACK_DENY;
	const char *dir = efw_state_dir();
	struct efw_settings st;
	struct stat sb;
	int err, fd;

	/* The host's copy is the host's: a container's load leaves it be. */
	if (!getenv("EGRESSFW_STATE_DIR") && !in_initial_netns())
		return;
	if (stat(dir, &sb) || !S_ISDIR(sb.st_mode))
		return;
	err = efw_settings_get(nl, &st) ? EIO : 0;
	if (!err)
		err = replace_file(dir, EFW_LAST_GOOD_CONF, fill_settings, &st, &fallback);
	if (!err)
		err = replace_file(dir, EFW_LAST_GOOD_LIST, fill_rules, list, NULL);
	if (err) {
		fprintf(stderr, "egressctl: warning: cannot keep the last-known-good copy in %s: %s\n",
			dir, strerror(err));
		return;
	}
	/* The renames themselves survive a crash once the directory is synced. */
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}
