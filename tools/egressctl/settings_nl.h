/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The settings of a namespace as egressctl holds them: one struct for
 * `set` (parsed from KEY VALUE), `config` (read from the module, printed)
 * and the configuration file, over the table kmod/settings.h shares with
 * the module.
 */
#ifndef EGRESSCTL_SETTINGS_NL_H
#define EGRESSCTL_SETTINGS_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <libmnl/libmnl.h>

#include "settings.h"

/* More than the module takes: a longer answer is still shown whole. */
#define EFW_TLS_PORTS_SHOWN 64

struct efw_settings {
	bool has[EGRESSFW_CFG_A_MAX + 1];	/* which settings it holds */
	uint32_t v[EGRESSFW_CFG_A_MAX + 1];	/* U32 and CHOICE values */
	uint16_t tls_ports[EFW_TLS_PORTS_SHOWN];
	unsigned int n_tls_ports;
	struct egressfw_addr servers[EGRESSFW_MAX_DNS_SERVERS];
	unsigned int n_servers;
	struct egressfw_iface ifaces[EGRESSFW_MAX_EGRESS_IFACES];
	unsigned int n_ifaces;
};

/* Every setting at its default, as a namespace starts. */
void efw_settings_defaults(struct efw_settings *s);

/*
 * KEY VALUE into @s. Returns 0, or writes what is wrong into @err
 * ("invalid hello-max 'abc' (expected ...)") and returns -EINVAL.
 */
int efw_settings_parse(struct efw_settings *s, const char *key,
		       const char *value, char *err, size_t errsize);

/* EGRESSFW_A_CONFIG with what @s holds. */
void efw_settings_put(struct nlmsghdr *nlh, const struct efw_settings *s);

/* A GET_CONFIG reply's EGRESSFW_A_CONFIG into @s; 0 or -EPROTO. */
int efw_settings_read(const struct nlattr *nest, struct efw_settings *s);

/*
 * "KEY = VALUE" lines (`egressctl config`, a configuration file), or one
 * JSON object.
 */
void efw_settings_print(FILE *out, const struct efw_settings *s, bool json);

/*
 * Why the module refused @req: the setting at @offset (the extack's bad
 * attribute) and the range it takes, "hello-max: 512 to 65536 bytes".
 * NULL if @offset names no setting with a range.
 */
const char *efw_settings_refusal(const struct nlmsghdr *req, uint32_t offset,
				 char *buf, size_t size);

#endif /* EGRESSCTL_SETTINGS_NL_H */
