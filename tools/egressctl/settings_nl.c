// SPDX-License-Identifier: GPL-2.0
/*
 * The settings as egressctl holds them (settings_nl.h): every loop runs
 * over kmod/settings.h's table, so a setting is named, ranged and
 * printed from one line of it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "json.h"
#include "netlink.h"
#include "settings_nl.h"

static const struct efw_setting *by_key(const char *key)
{
	unsigned int i;

	for (i = 0; i < efw_n_settings; i++)
		if (!strcmp(efw_settings[i].key, key))
			return &efw_settings[i];
	return NULL;
}

/* A decimal number in [@min, @max], digits only. */
static bool parse_num(const char *s, size_t len, unsigned long long min,
		      unsigned long long max, unsigned long long *out)
{
	unsigned long long v = 0;
	size_t i;

	if (!len || len > 10)
		return false;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (unsigned long long)(s[i] - '0');
	}
	if (v < min || v > max)
		return false;
	*out = v;
	return true;
}

static int parse_ports(struct efw_settings *st, const char *s, char *err,
		       size_t errsize)
{
	unsigned long long v;
	const char *p = s;
	unsigned int i;

	st->n_tls_ports = 0;
	if (!strcmp(s, "none"))
		return 0;	/* no SNI is read anywhere */
	for (;;) {
		size_t len = strcspn(p, ",");

		if (!parse_num(p, len, 1, 65535, &v)) {
			snprintf(err, errsize, "invalid TLS port '%.*s' in '%s' (expected 1-65535)",
				 (int)len, p, s);
			return -EINVAL;
		}
		for (i = 0; i < st->n_tls_ports && st->tls_ports[i] != v; i++)
			;
		if (i == st->n_tls_ports) {
			if (st->n_tls_ports == EFW_MAX_TLS_PORTS) {
				snprintf(err, errsize, "at most %d TLS ports", EFW_MAX_TLS_PORTS);
				return -EINVAL;
			}
			st->tls_ports[st->n_tls_ports++] = (uint16_t)v;
		}
		if (!p[len])
			return 0;
		p += len + 1;
	}
}

/* "10.0.0.53,fd00::53" or "any" (no restriction). */
static int parse_servers(struct efw_settings *st, const char *s, char *err,
			 size_t errsize)
{
	char one[INET6_ADDRSTRLEN + 1];
	const char *p = s;

	st->n_servers = 0;
	if (!strcmp(s, "any"))
		return 0;
	for (;;) {
		size_t len = strcspn(p, ",");
		struct egressfw_addr *a = &st->servers[st->n_servers];

		if (st->n_servers == EGRESSFW_MAX_DNS_SERVERS) {
			snprintf(err, errsize, "at most %d dns-servers", EGRESSFW_MAX_DNS_SERVERS);
			return -EINVAL;
		}
		memset(a, 0, sizeof(*a));
		if (len && len < sizeof(one)) {
			memcpy(one, p, len);
			one[len] = '\0';
			if (inet_pton(AF_INET, one, a->addr) == 1)
				a->family = 4;
			else if (inet_pton(AF_INET6, one, a->addr) == 1)
				a->family = 6;
		}
		if (!a->family) {
			snprintf(err, errsize, "invalid dns-servers address '%.*s' in '%s' (expected IPv4 or IPv6 addresses, or any)",
				 (int)len, p, s);
			return -EINVAL;
		}
		st->n_servers++;
		if (!p[len])
			return 0;
		p += len + 1;
	}
}

/*
 * "eth0,ppp*" or "any" (every interface is egress). Names as the kernel
 * allows them (no '/', ':' or white space, under 16 bytes), with an
 * optional '*' at the end for every interface whose name starts so.
 */
static int parse_ifaces(struct efw_settings *st, const char *s, char *err,
			size_t errsize)
{
	const char *p = s;
	size_t i;

	st->n_ifaces = 0;
	if (!strcmp(s, "any"))
		return 0;
	for (;;) {
		size_t len = strcspn(p, ",");
		struct egressfw_iface *f = &st->ifaces[st->n_ifaces];
		bool ok = len && len < sizeof(f->name) &&
			  !(len == 1 && p[0] == '.') &&
			  !(len == 2 && p[0] == '.' && p[1] == '.');

		for (i = 0; ok && i < len; i++)
			ok = p[i] != '/' && p[i] != ':' && p[i] > ' ' && p[i] != 0x7f &&
			     (p[i] != '*' || i == len - 1);
		if (!ok) {
			snprintf(err, errsize, "invalid egress-interfaces name '%.*s' in '%s' (expected interface names of 1-15 characters, a '*' only at the end, or any)",
				 (int)len, p, s);
			return -EINVAL;
		}
		if (st->n_ifaces == EGRESSFW_MAX_EGRESS_IFACES) {
			snprintf(err, errsize, "at most %d egress-interfaces",
				 EGRESSFW_MAX_EGRESS_IFACES);
			return -EINVAL;
		}
		memset(f, 0, sizeof(*f));
		memcpy(f->name, p, len);
		st->n_ifaces++;
		if (!p[len])
			return 0;
		p += len + 1;
	}
}

/* A LIST setting's value. */
static int parse_list(struct efw_settings *st, const struct efw_setting *s,
		      const char *value, char *err, size_t errsize)
{
	switch (s->attr) {
	case EGRESSFW_CFG_A_TLS_PORTS:
		return parse_ports(st, value, err, errsize);
	case EGRESSFW_CFG_A_DNS_SERVERS:
		return parse_servers(st, value, err, errsize);
	default:
		return parse_ifaces(st, value, err, errsize);
	}
}

void efw_settings_defaults(struct efw_settings *st)
{
	unsigned int i;

	memset(st, 0, sizeof(*st));
	for (i = 0; i < efw_n_settings; i++) {
		st->has[efw_settings[i].attr] = true;
		st->v[efw_settings[i].attr] = efw_settings[i].def;
	}
	/* The lists' defaults: TLS on 443, any resolver, every interface. */
	st->tls_ports[0] = 443;
	st->n_tls_ports = 1;
}

int efw_settings_parse(struct efw_settings *st, const char *key,
		       const char *value, char *err, size_t errsize)
{
	const struct efw_setting *s = by_key(key);
	unsigned long long v;
	unsigned int i;
	int ret = 0;

	if (!s) {
		size_t used = snprintf(err, errsize, "unknown key '%s' (expected", key);

		for (i = 0; i < efw_n_settings && used < errsize; i++)
			used += snprintf(err + used, errsize - used, "%s%s",
					 i == 0 ? " " : i + 1 == efw_n_settings ? " or " : ", ",
					 efw_settings[i].key);
		if (used < errsize)
			snprintf(err + used, errsize - used, ")");
		return -EINVAL;
	}
	switch (s->kind) {
	case EFW_SETTING_U32:
		/* The range is the module's to enforce, and to explain. */
		if (!parse_num(value, strlen(value), s->min ? 1 : 0, UINT32_MAX, &v)) {
			snprintf(err, errsize, "invalid %s '%s' (expected a number, in %s)",
				 key, value, s->unit);
			return -EINVAL;
		}
		st->v[s->attr] = (uint32_t)v;
		break;
	case EFW_SETTING_CHOICE:
		for (i = 0; i < 2 && strcmp(value, s->names[i]); i++)
			;
		if (i == 2) {
			snprintf(err, errsize, "invalid %s '%s' (expected %s or %s)",
				 key, value, s->names[0], s->names[1]);
			return -EINVAL;
		}
		st->v[s->attr] = i;
		break;
	default:
		ret = parse_list(st, s, value, err, errsize);
		break;
	}
	if (!ret)
		st->has[s->attr] = true;
	return ret;
}

void efw_settings_put(struct nlmsghdr *nlh, const struct efw_settings *st)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, EGRESSFW_A_CONFIG);
	unsigned int i;

	for (i = 0; i < efw_n_settings; i++) {
		const struct efw_setting *s = &efw_settings[i];

		if (!st->has[s->attr])
			continue;
		if (s->kind == EFW_SETTING_U32)
			mnl_attr_put_u32(nlh, s->attr, st->v[s->attr]);
		else if (s->kind == EFW_SETTING_CHOICE)
			mnl_attr_put_u8(nlh, s->attr, (uint8_t)st->v[s->attr]);
		else if (s->attr == EGRESSFW_CFG_A_TLS_PORTS)
			mnl_attr_put(nlh, s->attr, st->n_tls_ports * sizeof(st->tls_ports[0]),
				     st->tls_ports);
		else if (s->attr == EGRESSFW_CFG_A_DNS_SERVERS)
			mnl_attr_put(nlh, s->attr, st->n_servers * sizeof(st->servers[0]),
				     st->servers);
		else
			mnl_attr_put(nlh, s->attr, st->n_ifaces * sizeof(st->ifaces[0]),
				     st->ifaces);
	}
	mnl_attr_nest_end(nlh, nest);
}

static int read_list(const struct nlattr *a, void *dst, size_t elem,
		     size_t cap, unsigned int *n)
{
	size_t len = mnl_attr_get_payload_len(a);

	if (len % elem || len / elem > cap)
		return -EPROTO;
	memcpy(dst, mnl_attr_get_payload(a), len);
	*n = len / elem;
	return 0;
}

int efw_settings_read(const struct nlattr *nest, struct efw_settings *st)
{
	enum mnl_attr_data_type policy[EGRESSFW_CFG_A_MAX + 1] = { 0 };
	const struct nlattr *tb[EGRESSFW_CFG_A_MAX + 1];
	unsigned int i;
	int ret = 0;

	for (i = 0; i < efw_n_settings; i++)
		policy[efw_settings[i].attr] =
			efw_settings[i].kind == EFW_SETTING_U32 ? MNL_TYPE_U32 :
			efw_settings[i].kind == EFW_SETTING_CHOICE ? MNL_TYPE_U8 :
								       MNL_TYPE_BINARY;
	if (efw_nl_parse_nested(nest, policy, EGRESSFW_CFG_A_MAX, tb))
		return -EPROTO;
	for (i = 0; i < efw_n_settings && !ret; i++) {
		const struct efw_setting *s = &efw_settings[i];
		const struct nlattr *a = tb[s->attr];

		if (!a)
			continue;
		if (s->kind == EFW_SETTING_U32)
			st->v[s->attr] = mnl_attr_get_u32(a);
		else if (s->kind == EFW_SETTING_CHOICE)
			st->v[s->attr] = mnl_attr_get_u8(a);
		else if (s->attr == EGRESSFW_CFG_A_TLS_PORTS)
			ret = read_list(a, st->tls_ports, sizeof(st->tls_ports[0]),
					EFW_TLS_PORTS_SHOWN, &st->n_tls_ports);
		else if (s->attr == EGRESSFW_CFG_A_DNS_SERVERS)
			ret = read_list(a, st->servers, sizeof(st->servers[0]),
					EGRESSFW_MAX_DNS_SERVERS, &st->n_servers);
		else
			ret = read_list(a, st->ifaces, sizeof(st->ifaces[0]),
					EGRESSFW_MAX_EGRESS_IFACES, &st->n_ifaces);
		st->has[s->attr] = true;
	}
	return ret;
}

/* Item @i of a LIST setting as text; false past its end. */
static bool list_item(const struct efw_settings *st, const struct efw_setting *s,
		      unsigned int i, char *buf, size_t size)
{
	switch (s->attr) {
	case EGRESSFW_CFG_A_TLS_PORTS:
		if (i >= st->n_tls_ports)
			return false;
		snprintf(buf, size, "%u", st->tls_ports[i]);
		return true;
	case EGRESSFW_CFG_A_DNS_SERVERS:
		if (i >= st->n_servers)
			return false;
		if (!inet_ntop(st->servers[i].family == 4 ? AF_INET : AF_INET6,
			       st->servers[i].addr, buf, (socklen_t)size))
			snprintf(buf, size, "?");
		return true;
	default:
		if (i >= st->n_ifaces)
			return false;
		snprintf(buf, size, "%.*s", (int)sizeof(st->ifaces[i].name),
			 st->ifaces[i].name);
		return true;
	}
}

static void print_list(FILE *out, const struct efw_settings *st,
		       const struct efw_setting *s, bool json)
{
	char text[INET6_ADDRSTRLEN];
	unsigned int i;

	if (json)
		fprintf(out, "\"%s\":[", s->json);
	else
		fprintf(out, "%s = ", s->key);
	for (i = 0; list_item(st, s, i, text, sizeof(text)); i++) {
		if (i)
			fputc(',', out);
		if (json && s->attr == EGRESSFW_CFG_A_TLS_PORTS)
			fprintf(out, "%s", text);
		else if (json)
			efw_json_str(out, text);
		else
			fprintf(out, "%s", text);
	}
	if (json)
		fputc(']', out);
	else
		fprintf(out, "%s\n", i ? "" : s->attr == EGRESSFW_CFG_A_TLS_PORTS ? "none" : "any");
}

/* A CHOICE's name; a value this egressctl does not know, by number. */
static const char *choice_name(const struct efw_setting *s, uint32_t v,
			       char *buf, size_t size)
{
	if (v < 2)
		return s->names[v];
	snprintf(buf, size, "%u", v);
	return buf;
}

void efw_settings_print(FILE *out, const struct efw_settings *st, bool json)
{
	bool first = true;
	char buf[16];
	unsigned int i;

	if (json)
		fputc('{', out);
	for (i = 0; i < efw_n_settings; i++) {
		const struct efw_setting *s = &efw_settings[i];
		uint32_t v = st->v[s->attr];

		if (!st->has[s->attr])
			continue;
		if (json && !first)
			fputc(',', out);
		first = false;
		if (s->kind == EFW_SETTING_LIST)
			print_list(out, st, s, json);
		else if (s->kind == EFW_SETTING_U32)
			fprintf(out, json ? "\"%s\":%u" : "%s = %u\n", json ? s->json : s->key, v);
		else if (json && s->json_bool)
			fprintf(out, "\"%s\":%s", s->json, v ? "true" : "false");
		else
			fprintf(out, json ? "\"%s\":\"%s\"" : "%s = %s\n", json ? s->json : s->key,
			       choice_name(s, v, buf, sizeof(buf)));
	}
	if (json)
		fprintf(out, "}\n");
}

const char *efw_settings_refusal(const struct nlmsghdr *req, uint32_t offset,
				 char *buf, size_t size)
{
	const struct efw_setting *s;
	const struct nlattr *a;

	if (offset < sizeof(*req) || offset + sizeof(*a) > req->nlmsg_len)
		return NULL;
	a = (const struct nlattr *)((const char *)req + offset);
	s = efw_setting_by_attr(mnl_attr_get_type(a));
	if (!s || s->kind != EFW_SETTING_U32)
		return NULL;
	/* In range, yet refused: the namespace's owner is not the host's. */
	if (mnl_attr_get_payload_len(a) == sizeof(uint32_t) &&
	    mnl_attr_get_u32(a) >= s->min && mnl_attr_get_u32(a) <= s->max)
		snprintf(buf, size,
			 "%s: at most %u %s in a namespace an unprivileged user owns",
			 s->key, s->user_max, s->unit);
	else
		snprintf(buf, size, "%s: %u to %u %s", s->key, s->min, s->max,
			 s->unit);
	return buf;
}
