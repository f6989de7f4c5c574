// SPDX-License-Identifier: GPL-2.0
/*
 * The configuration file (conffile.h, egressfw.conf(5)). One KEY = VALUE
 * per line; '#' starts a comment line (not a comment after a value: an
 * interface name may hold '#'); white space around KEY, '=' and VALUE is
 * ignored. A key given twice is an error, not a silent override: two
 * lines that disagree are a mistake the operator should see.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "conffile.h"

/* As the lists': no setting needs more, and it bounds the work. */
#define CONF_MAX_LINE 4096
/* More errors than this in one file are noise. */
#define CONF_MAX_ERRORS 20
/* The keys only egressctl reads; the module never sees them. */
#define KEY_FALLBACK "boot-fallback"

struct conf_parse {
	struct efw_conf *conf;
	const char *name;
	FILE *diag;
	unsigned int errors;
	unsigned int line_of[EGRESSFW_CFG_A_MAX + 1];	/* 0: not given */
	bool seen_fallback;
};

__attribute__((format(printf, 4, 5)))
static void error_at(struct conf_parse *cp, unsigned int line, size_t col,
		     const char *fmt, ...)
{
	va_list ap;

	cp->errors++;
	if (!cp->diag)
		return;
	fprintf(cp->diag, "%s:%u:%zu: ", cp->name, line, col);
	va_start(ap, fmt);
	vfprintf(cp->diag, fmt, ap);
	va_end(ap);
	fputc('\n', cp->diag);
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Which attribute @key is, or 0 (also for boot-fallback). */
static unsigned int key_attr(const char *key)
{
	unsigned int i;

	for (i = 0; i < efw_n_settings; i++)
		if (!strcmp(efw_settings[i].key, key))
			return efw_settings[i].attr;
	return 0;
}

static void set_fallback(struct conf_parse *cp, unsigned int line, size_t col,
			 const char *value)
{
	if (!strcmp(value, "deny"))
		cp->conf->fallback = EFW_FALLBACK_DENY;
	else if (!strcmp(value, "pass"))
		cp->conf->fallback = EFW_FALLBACK_PASS;
	else
		error_at(cp, line, col, "invalid " KEY_FALLBACK " '%s' (expected deny or pass)",
			 value);
}

/*
 * The module's range, known here too (settings.h), so that `egressctl
 * check` finds a value the module would refuse.
 */
static void check_range(struct conf_parse *cp, unsigned int line, size_t col,
			const struct efw_setting *s)
{
	uint32_t v = cp->conf->settings.v[s->attr];

	if (s->kind == EFW_SETTING_U32 && (v < s->min || v > s->max))
		error_at(cp, line, col, "%s %u is out of range (%u to %u %s)",
			 s->key, v, s->min, s->max, s->unit);
}

/* One line, NUL-terminated, without its newline. */
static void parse_line(struct conf_parse *cp, char *s, unsigned int line)
{
	char *key, *value, *end, err[512];
	size_t key_col, value_col;
	unsigned int attr;

	key = s;
	while (is_space(*key))
		key++;
	if (!*key || *key == '#')
		return;
	key_col = (size_t)(key - s) + 1;
	end = key + strcspn(key, "= \t\r");
	value = end + strspn(end, " \t\r");
	if (*value != '=' || end == key) {
		error_at(cp, line, key_col, "expected KEY = VALUE");
		return;
	}
	*end = '\0';
	value++;
	value += strspn(value, " \t\r");
	value_col = (size_t)(value - s) + 1;
	end = value + strlen(value);
	while (end > value && is_space(end[-1]))
		*--end = '\0';
	if (!*value) {
		error_at(cp, line, value_col, "'%s' has no value", key);
		return;
	}

	if (!strcmp(key, KEY_FALLBACK)) {
		if (cp->seen_fallback)
			error_at(cp, line, key_col, "'%s' given twice", key);
		cp->seen_fallback = true;
		set_fallback(cp, line, value_col, value);
		return;
	}
	attr = key_attr(key);
	if (!attr) {
		error_at(cp, line, key_col,
			 "unknown key '%s' (expected a key of `egressctl set` or "
			 KEY_FALLBACK ")", key);
		return;
	}
	if (cp->line_of[attr]) {
		error_at(cp, line, key_col, "'%s' given twice", key);
		return;
	}
	if (efw_settings_parse(&cp->conf->settings, key, value, err, sizeof(err))) {
		error_at(cp, line, value_col, "%s", err);
		return;
	}
	cp->line_of[attr] = line;
	check_range(cp, line, value_col, efw_setting_by_attr(attr));
}

unsigned int efw_conf_parse_buffer(struct efw_conf *conf, const char *name,
				   const char *buf, size_t len, FILE *diag)
{
	struct conf_parse cp = { .conf = conf, .name = name, .diag = diag };
	char line[CONF_MAX_LINE + 1];
	unsigned int lineno = 0;
	size_t at = 0;

	efw_settings_defaults(&conf->settings);
	conf->fallback = EFW_FALLBACK_DENY;
	while (at < len && cp.errors < CONF_MAX_ERRORS) {
		const char *nl = memchr(buf + at, '\n', len - at);
		size_t n = nl ? (size_t)(nl - (buf + at)) : len - at;

		lineno++;
		if (n > CONF_MAX_LINE)
			error_at(&cp, lineno, 1, "line longer than %d bytes", CONF_MAX_LINE);
		else if (memchr(buf + at, '\0', n))
			error_at(&cp, lineno, 1, "NUL byte in the file");
		else {
			memcpy(line, buf + at, n);
			line[n] = '\0';
			parse_line(&cp, line, lineno);
		}
		at += n + 1;
	}
	if (conf->settings.v[EGRESSFW_CFG_A_DNS_TTL_MIN] >
	    conf->settings.v[EGRESSFW_CFG_A_DNS_TTL_MAX])
		error_at(&cp, cp.line_of[EGRESSFW_CFG_A_DNS_TTL_MIN] ?
			 cp.line_of[EGRESSFW_CFG_A_DNS_TTL_MIN] :
			 cp.line_of[EGRESSFW_CFG_A_DNS_TTL_MAX], 1,
			 "dns-ttl-min is above dns-ttl-max");
	if (cp.errors >= CONF_MAX_ERRORS && at < len && diag)
		fprintf(diag, "%s: too many errors, stopping at line %u\n", name, lineno);
	return cp.errors;
}

/* A configuration file is small: bigger than this is not one. */
#define CONF_MAX_FILE (1 << 20)

unsigned int efw_conf_parse_file(struct efw_conf *conf, const char *path,
				 FILE *diag)
{
	unsigned int errors;
	size_t len = 0, got;
	char *buf;
	FILE *f;

	efw_settings_defaults(&conf->settings);
	conf->fallback = EFW_FALLBACK_DENY;
	f = fopen(path, "r");
	if (!f) {
		if (diag)
			fprintf(diag, "%s: %s\n", path, strerror(errno));
		return 1;
	}
	buf = malloc(CONF_MAX_FILE + 1);
	if (!buf) {
		fclose(f);
		if (diag)
			fprintf(diag, "%s: out of memory\n", path);
		return 1;
	}
	while ((got = fread(buf + len, 1, CONF_MAX_FILE + 1 - len, f)) > 0)
		len += got;
	if (ferror(f) || len > CONF_MAX_FILE) {
		if (diag)
			fprintf(diag, "%s: %s\n", path, ferror(f) ? strerror(errno) :
				"larger than 1 MiB: not a configuration file");
		errors = 1;
	} else {
		errors = efw_conf_parse_buffer(conf, path, buf, len, diag);
	}
	free(buf);
	fclose(f);
	return errors;
}

char *efw_conf_in_dir(const char *path)
{
	size_t n = strlen(path) + sizeof(EFW_CONF_NAME) + 1;
	struct stat st;
	char *conf;

	if (stat(path, &st) || !S_ISDIR(st.st_mode))
		return NULL;
	conf = malloc(n);
	if (!conf)
		return NULL;
	snprintf(conf, n, "%s/%s", path, EFW_CONF_NAME);
	if (stat(conf, &st)) {
		free(conf);
		return NULL;
	}
	return conf;
}

bool efw_conf_named(const char *path)
{
	size_t n = strlen(path);

	return n > 5 && !strcmp(path + n - 5, ".conf");
}
