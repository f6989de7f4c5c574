// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink transport to egressfw.ko, see netlink.h.
 *
 * The receive loop is ours rather than mnl_cb_run()'s: libmnl gives up on
 * the first message flagged NLM_F_DUMP_INTR and leaves the rest of the
 * dump queued on the socket, where it would confuse the next request, and
 * it drops the extended ACK text that tells a person what was wrong.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "commands.h"
#include "netlink.h"

struct nlmsghdr *efw_nl_msg(struct efw_nl *nl, void *buf, uint8_t cmd,
			    uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *genl;

	nlh->nlmsg_type = nl->family;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++nl->seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = EGRESSFW_GENL_VERSION;
	return nlh;
}

/* NLMSGERR_ATTR_MSG and _OFFS of an NLMSG_ERROR or NLMSG_DONE. */
static void read_extack(struct efw_nl *nl, const struct nlmsghdr *nlh,
			size_t offset)
{
	const struct nlattr *attr;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) ||
	    nlh->nlmsg_len < mnl_nlmsg_size(offset))
		return;
	mnl_attr_for_each(attr, nlh, offset) {
		switch (mnl_attr_get_type(attr)) {
		case NLMSGERR_ATTR_MSG:
			if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
				snprintf(nl->ext_msg, sizeof(nl->ext_msg), "%s",
					 mnl_attr_get_str(attr));
			break;
		case NLMSGERR_ATTR_OFFS:
			if (mnl_attr_validate(attr, MNL_TYPE_U32) == 0)
				nl->ext_offs = mnl_attr_get_u32(attr);
			break;
		}
	}
}

/* The error of an NLMSG_ERROR (0 for an ACK), its extack noted. */
static int read_error(struct efw_nl *nl, const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	size_t offset = sizeof(*e);

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e)))
		return -EPROTO;
	/* Without NETLINK_CAP_ACK the kernel echoes our request first. */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		offset += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
	read_extack(nl, nlh, offset);
	return e->error > 0 ? -e->error : e->error;
}

/* NLMSG_DONE carries the dump's own error, if it failed half-way. */
static int read_done(struct efw_nl *nl, const struct nlmsghdr *nlh)
{
	int err = 0;

	if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(int))
		memcpy(&err, mnl_nlmsg_get_payload(nlh), sizeof(int));
	read_extack(nl, nlh, sizeof(int));
	return err > 0 ? -err : err;
}

/*
 * Walk one datagram. Returns 1 to keep reading, 0 when the request is
 * done, or a negative errno.
 */
static int walk(struct efw_nl *nl, const struct nlmsghdr *nlh, int len,
		uint32_t seq, efw_nl_cb cb, void *data, bool *intr, int *cb_err)
{
	int err;

	for (; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
		if (nlh->nlmsg_seq != seq || nlh->nlmsg_pid != nl->portid)
			continue;	/* a leftover of an earlier request */
		if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
			*intr = true;
		switch (nlh->nlmsg_type) {
		case NLMSG_NOOP:
		case NLMSG_OVERRUN:
			continue;
		case NLMSG_ERROR:
			err = read_error(nl, nlh);
			return *cb_err ? *cb_err : err;
		case NLMSG_DONE:
			err = read_done(nl, nlh);
			if (*cb_err)
				return *cb_err;
			if (err)
				return err;
			return *intr ? -EINTR : 0;
		}
		/*
		 * A callback that failed still lets the rest of the answer be
		 * read, so that the socket is clean for the next request.
		 */
		if (cb && !*cb_err)
			*cb_err = cb(nlh, data);
	}
	return 1;
}

int efw_nl_request(struct efw_nl *nl, struct nlmsghdr *nlh, efw_nl_cb cb,
		   void *data)
{
	bool intr = false;
	int cb_err = 0, ret;
	ssize_t n;

	if (!(nlh->nlmsg_flags & NLM_F_DUMP))
		nlh->nlmsg_flags |= NLM_F_ACK;
	nl->ext_msg[0] = '\0';
	nl->ext_offs = 0;
	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	do {
		n = mnl_socket_recvfrom(nl->sock, nl->rx, EFW_NL_RX_SIZE);
		if (n < 0)
			return -errno;
		ret = walk(nl, (const struct nlmsghdr *)nl->rx, (int)n,
			   nlh->nlmsg_seq, cb, data, &intr, &cb_err);
	} while (ret > 0);
	/* A successful ACK may still carry a warning worth reading. */
	if (!ret && nl->ext_msg[0])
		fprintf(stderr, "egressfw: %s\n", nl->ext_msg);
	return ret;
}

int efw_nl_simple(struct efw_nl *nl, uint8_t cmd, efw_nl_cb cb, void *data)
{
	char buf[EFW_NL_TX_SIZE] __attribute__((aligned(8)));

	return efw_nl_request(nl, efw_nl_msg(nl, buf, cmd, 0), cb, data);
}

/* The ids of the multicast groups we know, from CTRL_ATTR_MCAST_GROUPS. */
static void find_groups(const struct nlattr *groups, struct efw_nl *nl)
{
	static const enum mnl_attr_data_type policy[CTRL_ATTR_MCAST_GRP_MAX + 1] = {
		[CTRL_ATTR_MCAST_GRP_NAME] = MNL_TYPE_NUL_STRING,
		[CTRL_ATTR_MCAST_GRP_ID] = MNL_TYPE_U32,
	};
	const struct nlattr *grp;

	mnl_attr_for_each_nested(grp, groups) {
		const struct nlattr *tb[CTRL_ATTR_MCAST_GRP_MAX + 1] = { NULL };

		if (efw_nl_parse_nested(grp, policy, CTRL_ATTR_MCAST_GRP_MAX, tb) ||
		    !tb[CTRL_ATTR_MCAST_GRP_NAME] || !tb[CTRL_ATTR_MCAST_GRP_ID])
			continue;
		if (!strcmp(mnl_attr_get_str(tb[CTRL_ATTR_MCAST_GRP_NAME]),
			    EGRESSFW_MCGRP_EVENTS))
			nl->events_group = mnl_attr_get_u32(tb[CTRL_ATTR_MCAST_GRP_ID]);
		else if (!strcmp(mnl_attr_get_str(tb[CTRL_ATTR_MCAST_GRP_NAME]),
				 EGRESSFW_MCGRP_LEARNED))
			nl->learned_group = mnl_attr_get_u32(tb[CTRL_ATTR_MCAST_GRP_ID]);
	}
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	static const enum mnl_attr_data_type policy[CTRL_ATTR_MCAST_GROUPS + 1] = {
		[CTRL_ATTR_FAMILY_ID] = MNL_TYPE_U16,
		[CTRL_ATTR_VERSION] = MNL_TYPE_U32,
		[CTRL_ATTR_MAXATTR] = MNL_TYPE_U32,
		[CTRL_ATTR_MCAST_GROUPS] = MNL_TYPE_NESTED,
	};
	const struct nlattr *tb[CTRL_ATTR_MCAST_GROUPS + 1] = { NULL };
	struct efw_nl *nl = data;

	if (efw_nl_parse(nlh, policy, CTRL_ATTR_MCAST_GROUPS, tb) ||
	    !tb[CTRL_ATTR_FAMILY_ID])
		return -EPROTO;
	nl->family = mnl_attr_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	if (tb[CTRL_ATTR_VERSION])
		nl->version = mnl_attr_get_u32(tb[CTRL_ATTR_VERSION]);
	if (tb[CTRL_ATTR_MAXATTR])
		nl->maxattr = mnl_attr_get_u32(tb[CTRL_ATTR_MAXATTR]);
	if (tb[CTRL_ATTR_MCAST_GROUPS])
		find_groups(tb[CTRL_ATTR_MCAST_GROUPS], nl);
	return 0;
}

static int resolve_family(struct efw_nl *nl)
{
	char buf[EFW_NL_TX_SIZE] __attribute__((aligned(8)));
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = ++nl->seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = CTRL_CMD_GETFAMILY;
	genl->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, EGRESSFW_GENL_NAME);
	nl->family = 0;
	return efw_nl_request(nl, nlh, family_cb, nl);
}

int efw_nl_resolve(struct efw_nl *nl)
{
	nl->events_group = nl->learned_group = 0;
	return resolve_family(nl);
}

int efw_nl_open(struct efw_nl *nl)
{
	int on = 1, err;

	memset(nl, 0, sizeof(*nl));
	nl->seq = (uint32_t)time(NULL);
	nl->rx = malloc(EFW_NL_RX_SIZE);
	if (!nl->rx) {
		fprintf(stderr, "egressctl: out of memory\n");
		return EXIT_SYSTEM;
	}
	nl->sock = mnl_socket_open(NETLINK_GENERIC);
	if (!nl->sock || mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		fprintf(stderr, "egressctl: cannot open a generic netlink socket: %s\n",
			strerror(errno));
		efw_nl_close(nl);
		return EXIT_SYSTEM;
	}
	nl->portid = mnl_socket_get_portid(nl->sock);
	/*
	 * Extended ACKs carry the module's explanation of a refusal; the
	 * capped ACK keeps a refused 16 KiB ADD from being echoed back. Old
	 * kernels lack both, which only costs the explanation.
	 */
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &on, sizeof(on));
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &on, sizeof(on));

	err = resolve_family(nl);
	if (err == -ENOENT) {
		fprintf(stderr, "egressfw: kernel module not loaded (modprobe egressfw)\n");
		efw_nl_close(nl);
		return EXIT_SYSTEM;
	}
	if (err) {
		err = efw_nl_fail(nl, err, "cannot look up the egressfw netlink family");
		efw_nl_close(nl);
		return err;
	}
	if (nl->version && nl->version < EGRESSFW_GENL_VERSION)
		fprintf(stderr, "egressctl: warning: the module speaks version %u of the protocol, this egressctl %u\n",
			nl->version, EGRESSFW_GENL_VERSION);
	return 0;
}

void efw_nl_close(struct efw_nl *nl)
{
	if (nl->sock)
		mnl_socket_close(nl->sock);
	free(nl->rx);
	nl->sock = NULL;
	nl->rx = NULL;
}

int efw_nl_fail(const struct efw_nl *nl, int err, const char *what)
{
	if (err == -EPERM) {
		fprintf(stderr, "egressfw: permission denied: need CAP_NET_ADMIN (run as root)\n");
		return EXIT_SYSTEM;
	}
	fprintf(stderr, "egressctl: %s: %s%s%s\n", what, strerror(-err),
		nl->ext_msg[0] ? ": " : "", nl->ext_msg);
	return EXIT_SYSTEM;
}

struct parse_ctx {
	const enum mnl_attr_data_type *policy;
	uint16_t max;
	const struct nlattr **tb;
};

static int parse_attr(const struct nlattr *attr, void *data)
{
	const struct parse_ctx *p = data;
	uint16_t type = mnl_attr_get_type(attr);

	if (type > p->max)
		return MNL_CB_OK;
	if (p->policy[type] != MNL_TYPE_UNSPEC &&
	    mnl_attr_validate(attr, p->policy[type]) < 0)
		return MNL_CB_ERROR;
	p->tb[type] = attr;
	return MNL_CB_OK;
}

int efw_nl_parse(const struct nlmsghdr *nlh, const enum mnl_attr_data_type *policy,
		 uint16_t max, const struct nlattr **tb)
{
	struct parse_ctx p = { policy, max, tb };

	memset(tb, 0, (max + 1) * sizeof(*tb));
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(struct genlmsghdr) ||
	    mnl_attr_parse(nlh, sizeof(struct genlmsghdr), parse_attr, &p) < 0)
		return -EPROTO;
	return 0;
}

int efw_nl_parse_nested(const struct nlattr *nest,
			const enum mnl_attr_data_type *policy, uint16_t max,
			const struct nlattr **tb)
{
	struct parse_ctx p = { policy, max, tb };

	memset(tb, 0, (max + 1) * sizeof(*tb));
	if (mnl_attr_parse_nested(nest, parse_attr, &p) < 0)
		return -EPROTO;
	return 0;
}
