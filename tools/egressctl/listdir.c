// SPDX-License-Identifier: GPL-2.0
/*
 * A directory given to load or check stands for the *.list files in it,
 * in byte order of their names: the systemd unit loads /etc/egressfw this
 * way, since systemd does not expand a glob, and a shell glob would hand
 * a literal '*.list' to egressctl when nothing matches.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "list.h"

/* Visible *.list names: dot files are editors' locks and swap files. */
static int is_list_name(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return d->d_name[0] != '.' && n > 5 && !strcmp(d->d_name + n - 5, ".list");
}

/* Byte order, not the locale's: the same merge order on every host. */
static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int parse_dir(struct efw_list *list, const char *dir)
{
	struct dirent **names;
	size_t dlen = strlen(dir);
	int n, i, errors = 0;

	n = scandir(dir, &names, is_list_name, by_name);
	if (n < 0) {
		list->errors++;
		if (list->diag)
			fprintf(list->diag, "%s: %s\n", dir, strerror(errno));
		return -errno;
	}
	if (!n) {
		list->errors++;
		if (list->diag)
			fprintf(list->diag, "%s: no *.list files in the directory\n", dir);
	}
	for (i = 0; i < n; i++) {
		/* "dir/name", without doubling a slash the user typed */
		size_t size = dlen + strlen(names[i]->d_name) + 2;
		char *path = malloc(size);

		if (!path) {
			fprintf(stderr, "egressctl: out of memory\n");
			exit(3);
		}
		snprintf(path, size, "%s%s%s", dir,
			 dlen && dir[dlen - 1] == '/' ? "" : "/", names[i]->d_name);
		if (efw_list_parse_file(list, path))
			errors++;
		free(path);
		free(names[i]);
	}
	free(names);
	return n ? errors : 1;
}

int efw_list_parse_path(struct efw_list *list, const char *path)
{
	struct stat st;

	if (strcmp(path, "-") && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return parse_dir(list, path);
	return efw_list_parse_file(list, path);
}
