/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Generic netlink transport to egressfw.ko over libmnl: one socket per
 * egressctl run, requests answered synchronously, extended ACK messages
 * kept for the error report, dumps checked for NLM_F_DUMP_INTR.
 *
 * The commands (load.c, show.c, ...) build their own attributes; this file
 * knows nothing of rules or counters.
 */
#ifndef EGRESSCTL_NETLINK_H
#define EGRESSCTL_NETLINK_H

#include <stdbool.h>
#include <stdint.h>
#include <libmnl/libmnl.h>
#include <uapi/linux/egressfw.h>

/*
 * Big enough for any single message the kernel sends: dump skbs are at
 * most 32 KiB (the kernel sizes them from our recvmsg buffer, capped
 * there), and a smaller buffer would truncate them.
 */
#define EFW_NL_RX_SIZE 32768
/* Buffer for requests without bulk payload (everything but ADD). */
#define EFW_NL_TX_SIZE 4096
/* How often a dump interrupted by a concurrent commit is started over. */
#define EFW_NL_DUMP_TRIES 5

struct efw_nl {
	struct mnl_socket *sock;
	uint16_t family;	/* generic netlink id of "egressfw" */
	uint32_t version;	/* the family version the module registered */
	uint32_t maxattr;	/* the highest EGRESSFW_A_* the module knows */
	uint32_t events_group;	/* multicast group id of "events", 0 if none */
	uint32_t learned_group;	/* ... of "learned", 0 if none (an older module) */
	uint32_t portid;
	uint32_t seq;
	char *rx;
	/* From the last NLMSG_ERROR / NLMSG_DONE, for efw_nl_fail(). */
	char ext_msg[256];
	uint32_t ext_offs;	/* offset of the bad attribute in our request, 0 if none */
};

/*
 * Open the socket and resolve the family. Returns 0, or prints why not
 * ("kernel module not loaded", ...) and returns the exit status to use.
 */
int efw_nl_open(struct efw_nl *nl);
void efw_nl_close(struct efw_nl *nl);

/*
 * Look the family up again (its id, version, maxattr and groups), for a
 * long-running command that must notice the module reloaded. 0 or a
 * negative errno (-ENOENT: the module is not loaded).
 */
int efw_nl_resolve(struct efw_nl *nl);

/* Start a request for @cmd of the egressfw family in @buf (@size bytes). */
struct nlmsghdr *efw_nl_msg(struct efw_nl *nl, void *buf, uint8_t cmd,
			    uint16_t flags);

/*
 * Send @nlh and read until the request is done: its ACK (NLM_F_ACK is
 * added for non-dump requests) or the NLMSG_DONE ending a dump. @cb, if
 * set, sees every data message; a negative errno it returns aborts.
 * Returns 0 or a negative errno: the kernel's error, -EINTR if a dump was
 * interrupted (the whole dump has been read; start it again), -EPROTO for
 * a malformed answer. A warning the kernel attaches to a successful ACK is
 * printed.
 */
typedef int (*efw_nl_cb)(const struct nlmsghdr *nlh, void *data);
int efw_nl_request(struct efw_nl *nl, struct nlmsghdr *nlh, efw_nl_cb cb,
		   void *data);

/* A request without attributes: GET_STATS, GET_CONFIG, FLUSH. */
int efw_nl_simple(struct efw_nl *nl, uint8_t cmd, efw_nl_cb cb, void *data);

/*
 * Report the failure of a request (what: "cannot flush the ruleset") with
 * strerror and the kernel's extack text; EPERM gets the advice to run as
 * root. Returns the exit status to use.
 */
int efw_nl_fail(const struct efw_nl *nl, int err, const char *what);

/*
 * Attribute parsing into a table indexed by type: tb[0..max]. @policy[t]
 * is the libmnl type attribute t must have (MNL_TYPE_UNSPEC: any length);
 * attributes above @max are ignored so that a newer module with more
 * attributes still works. Returns 0 or -EPROTO if one is malformed.
 */
int efw_nl_parse(const struct nlmsghdr *nlh, const enum mnl_attr_data_type *policy,
		 uint16_t max, const struct nlattr **tb);
int efw_nl_parse_nested(const struct nlattr *nest,
			const enum mnl_attr_data_type *policy, uint16_t max,
			const struct nlattr **tb);

#endif /* EGRESSCTL_NETLINK_H */
