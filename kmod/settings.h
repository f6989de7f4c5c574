/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The settings of a namespace (`egressctl set KEY VALUE`,
 * EGRESSFW_CMD_SET_CONFIG), once, for the module (defaults, the netlink
 * policy's ranges: kmod/config.c) and for egressctl (parsing, `config`
 * and its -j: tools/egressctl/settings_nl.c). Compiled into both, as the
 * list parser is.
 *
 * Adding a setting: its attribute at the end of enum egressfw_cfg_attr
 * (the ABI), one line in EFW_SETTING_LIST, its use in the module, and its
 * lines in egressctl(8) and `egressctl help set` (doc/design.md).
 */
#ifndef EGRESSFW_SETTINGS_H
#define EGRESSFW_SETTINGS_H

#include "portable.h"
#include <uapi/linux/egressfw.h>

/*
 * In the order `egressctl config` prints them.
 *   U32(ID, KEY, JSON, DEFAULT, MIN, MAX, USER_MAX, UNIT): a u32 in
 *     [MIN, MAX], the attribute EGRESSFW_CFG_A_<ID>; KEY is what `set`
 *     takes, JSON the key of `config -j`. USER_MAX is the most a
 *     namespace owned by a user namespace other than the host's may set
 *     (unshare -Urn gives any user one): those settings bound kernel
 *     memory that no cgroup accounts (buffers, tables filled from
 *     softirq), so an unprivileged user gets the defaults at most.
 *   CHOICE(ID, KEY, DEFAULT, NAME0, NAME1, JSON_BOOL): a u8, 0 (NAME0) or
 *     1 (NAME1); JSON_BOOL: `config -j` shows false/true, not the names.
 *   LIST(ID, KEY, JSON): a binary attribute of several values (ports,
 *     addresses), parsed and printed by code of its own.
 */
#define EFW_SETTING_LIST(U32, CHOICE, LIST)					\
	CHOICE(MODE, "mode", EGRESSFW_MODE_ENFORCE, "enforce", "audit", 0)	\
	LIST(TLS_PORTS, "tls-ports", "tls_ports")				\
	U32(HELLO_MAX, "hello-max", "hello_max", 17408, 512, 65536, 17408,	\
	    "bytes")								\
	U32(HELLO_TIMEOUT_MS, "hello-timeout", "hello_timeout_ms", 10000, 10,	\
	    600000, 10000, "ms")						\
	U32(PENDING_MAX, "pending-max", "pending_max", 4096, 1, 1048576, 4096, \
	    "flows")								\
	CHOICE(STRICT, "strict", 0, "off", "on", 1)				\
	CHOICE(QUIC, "quic", EGRESSFW_QUIC_LIST, "list", "deny", 0)		\
	CHOICE(ECH, "ech", EGRESSFW_ECH_OUTER, "outer", "deny", 0)		\
	U32(DNS_TTL_MIN, "dns-ttl-min", "dns_ttl_min", 30, 0, 604800, 604800,	\
	    "s")								\
	U32(DNS_TTL_MAX, "dns-ttl-max", "dns_ttl_max", 3600, 1, 604800, 604800, \
	    "s")								\
	U32(DNS_GRACE, "dns-grace", "dns_grace", 60, 0, 604800, 604800, "s")	\
	U32(DNS_MAX, "dns-max", "dns_max", 65536, 1, 4194304, 65536, "entries") \
	LIST(DNS_SERVERS, "dns-servers", "dns_servers")			\
	LIST(EGRESS_IFACES, "egress-interfaces", "egress_interfaces")		\
	CHOICE(LOCAL, "local", EGRESSFW_LOCAL_JUDGE, "judge", "pass", 0)

/* TLS ports and resolvers a namespace may name (the module's bounds). */
#define EFW_MAX_TLS_PORTS	EGRESSFW_MAX_TLS_PORTS
#define EFW_MAX_DNS_SERVERS	EGRESSFW_MAX_DNS_SERVERS
#define EFW_MAX_EGRESS_IFACES	EGRESSFW_MAX_EGRESS_IFACES

enum efw_setting_kind {
	EFW_SETTING_U32,
	EFW_SETTING_CHOICE,
	EFW_SETTING_LIST,
};

struct efw_setting {
	u8 kind;		/* enum efw_setting_kind */
	u8 json_bool;		/* CHOICE */
	u16 attr;		/* EGRESSFW_CFG_A_* */
	const char *key;	/* "hello-max" */
	const char *json;	/* "hello_max" */
	u32 def, min, max;	/* U32, CHOICE (min 0, max 1) */
	u32 user_max;		/* U32: in a namespace an unprivileged user owns */
	const char *unit;	/* U32: "bytes" */
	const char *names[2];	/* CHOICE */
};

extern const struct efw_setting efw_settings[];
extern const unsigned int efw_n_settings;

/* The setting of attribute @attr, or NULL. */
const struct efw_setting *efw_setting_by_attr(unsigned int attr);

#endif /* EGRESSFW_SETTINGS_H */
