// SPDX-License-Identifier: GPL-2.0
/*
 * nftables for egressctl nft-sync, written through libnftnl over a
 * NETLINK_NETFILTER socket, in batches (one transaction each); the only
 * file that uses libnftnl. The key type of each set is asked once
 * (NFT_MSG_GETSET): nftset.c sends an IPv4 address to the named sets
 * keyed by ipv4_addr, an IPv6 one to those keyed by ipv6_addr. An element
 * that is there already keeps its old timeout on NEWSETELEM on older
 * kernels (Debian 12's 6.1; newer ones, 6.12 on, update it), so each
 * chunk of elements goes as NEWSETELEM (no NLM_F_EXCL: no error for one
 * present), DELSETELEM, NEWSETELEM with the timeout, in one batch: the
 * elements are replaced, atomically, present or not.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netlink.h>
#include <libmnl/libmnl.h>
#include <libnftnl/common.h>
#include <libnftnl/set.h>
#include <sys/socket.h>

#include "nft_util.h"
#include "nft_write.h"

/* A batch is BEGIN, 3 messages of a chunk, END; its buffer has room. */
#define BATCH_SIZE (64 * 1024)
/* The nftables datatypes of nft's src/datatype.h (enum datatypes). */
#define NFT_TYPE_IPADDR 7
#define NFT_TYPE_IP6ADDR 8

/* A set's problem, said when it is news: once per set and problem. */
static void problem(struct efw_nft_set *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void problem(struct efw_nft_set *t, const char *fmt, ...)
{
	char text[sizeof(t->problem)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (!strcmp(text, t->problem))
		return;
	snprintf(t->problem, sizeof(t->problem), "%s", text);
	fprintf(stderr, "egressctl nft-sync: set %s: %s\n", t->label, text);
}

struct getset {
	struct nftnl_set *set;
	bool got;
};

static int getset_cb(const struct nlmsghdr *nlh, void *data)
{
	struct getset *g = data;

	if (nftnl_set_nlmsg_parse(nlh, g->set) < 0)
		return MNL_CB_ERROR;
	g->got = true;
	return MNL_CB_OK;
}

/* Its nft flags that make a set unfit for us, in words; NULL if none. */
static const char *unfit(uint32_t flags)
{
	if (flags & (NFT_SET_MAP | NFT_SET_OBJECT))
		return "it is a map: nft-sync writes sets of addresses";
	if (flags & NFT_SET_INTERVAL)
		return "it has flags interval: nft-sync writes sets without (single addresses)";
	if (flags & NFT_SET_CONSTANT)
		return "it is constant";
	if (!(flags & NFT_SET_TIMEOUT))
		return "it has no timeouts: give it flags timeout";
	return NULL;
}

void efw_nft_ask_set(struct efw_nft *nft, struct efw_nft_set *t)
{
	char buf[MNL_SOCKET_BUFFER_SIZE] __attribute__((aligned(8)));
	struct getset g = { need(nftnl_set_alloc()), false };
	struct nlmsghdr *nlh;
	uint32_t seq = ++nft->seq, key, len;
	bool was_bad = t->state == EFW_NFT_BAD;
	const char *why;
	ssize_t n;
	int ret;

	t->state = EFW_NFT_BAD;
	t->retry = now_mono() + EFW_NFT_RECHECK_SEC;
	nlh = nftnl_nlmsg_build_hdr(buf, NFT_MSG_GETSET, t->family, NLM_F_ACK, seq);
	nftnl_set_set_str(g.set, NFTNL_SET_TABLE, t->table);
	nftnl_set_set_str(g.set, NFTNL_SET_NAME, t->name);
	nftnl_set_nlmsg_build_payload(nlh, g.set);
	if (mnl_socket_sendto(nft->sock, nlh, nlh->nlmsg_len) < 0) {
		ret = -1;
	} else {
		do {
			n = mnl_socket_recvfrom(nft->sock, nft->rx, MNL_SOCKET_BUFFER_SIZE);
			ret = n < 0 ? -1 : mnl_cb_run(nft->rx, (size_t)n, seq,
						      nft->portid, getset_cb, &g);
		} while (ret > 0);
	}
	if (ret < 0 || !g.got) {
		if (ret < 0 && errno == ENOENT)
			problem(t, "no such set (or table): nothing written to it until it exists");
		else
			problem(t, "cannot read it: %s", ret < 0 ? strerror(errno) : "no answer");
		goto out;
	}
	key = nftnl_set_get_u32(g.set, NFTNL_SET_KEY_TYPE);
	len = nftnl_set_get_u32(g.set, NFTNL_SET_KEY_LEN);
	why = unfit(nftnl_set_get_u32(g.set, NFTNL_SET_FLAGS));
	if (why) {
		problem(t, "%s", why);
		goto out;
	}
	if (key == NFT_TYPE_IPADDR && len == 4) {
		t->alen = 4;
	} else if (key == NFT_TYPE_IP6ADDR && len == 16) {
		t->alen = 16;
	} else {
		problem(t, "its type is neither ipv4_addr nor ipv6_addr: nothing written to it");
		goto out;
	}
	/* Back from a problem said here: say so. A write's waits for one. */
	if (was_bad && t->problem[0]) {
		fprintf(stderr, "egressctl nft-sync: set %s: found, writing to it\n", t->label);
		t->problem[0] = '\0';
	}
	t->state = EFW_NFT_READY;
	t->handle = nftnl_set_get_u64(g.set, NFTNL_SET_HANDLE);
out:
	nftnl_set_free(g.set);
}

/* One NEWSETELEM or DELSETELEM of @n elements into the batch @b. */
static void put_elems(struct efw_nft *nft, struct mnl_nlmsg_batch *b,
		      const struct efw_nft_set *t, const struct efw_nft_elem *e,
		      size_t n, uint16_t type)
{
	struct nftnl_set *set = need(nftnl_set_alloc());
	struct nlmsghdr *nlh;
	size_t i;

	nftnl_set_set_str(set, NFTNL_SET_TABLE, t->table);
	nftnl_set_set_str(set, NFTNL_SET_NAME, t->name);
	for (i = 0; i < n; i++) {
		struct nftnl_set_elem *el = need(nftnl_set_elem_alloc());

		nftnl_set_elem_set(el, NFTNL_SET_ELEM_KEY, e[i].addr, t->alen);
		if (type == NFT_MSG_NEWSETELEM)
			nftnl_set_elem_set_u64(el, NFTNL_SET_ELEM_TIMEOUT,
					       (uint64_t)e[i].expires * 1000);
		nftnl_set_elem_add(set, el);
	}
	/* No NLM_F_EXCL: an element that is there is no error. */
	nlh = nftnl_nlmsg_build_hdr(mnl_nlmsg_batch_current(b), type, t->family,
				    type == NFT_MSG_NEWSETELEM ? NLM_F_CREATE : 0,
				    ++nft->seq);
	nftnl_set_elems_nlmsg_build_payload(nlh, set);
	mnl_nlmsg_batch_next(b);
	nftnl_set_free(set);
}

/*
 * The errors the batch sent from @first on got. nfnetlink handles a
 * batch within sendmsg(), so every answer is queued when it returns:
 * read what is there, without waiting. 0 or the first error.
 */
static int batch_errors(struct efw_nft *nft, uint32_t first, char *msg,
			size_t size)
{
	int fd = mnl_socket_get_fd(nft->sock), err = 0;
	const struct nlmsghdr *nlh;
	ssize_t n;
	int len;

	msg[0] = '\0';
	for (;;) {
		n = recv(fd, nft->rx, MNL_SOCKET_BUFFER_SIZE, MSG_DONTWAIT);
		if (n < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ?
			       err : (err ? err : -errno);
		len = (int)n;
		for (nlh = (const struct nlmsghdr *)nft->rx; mnl_nlmsg_ok(nlh, len);
		     nlh = mnl_nlmsg_next(nlh, &len)) {
			const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

			if (nlh->nlmsg_type != NLMSG_ERROR ||
			    (int32_t)(nlh->nlmsg_seq - first) < 0 ||
			    nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e)) || !e->error)
				continue;
			if (!err) {
				const struct nlattr *a;
				size_t off = sizeof(*e);

				err = e->error;
				if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
					off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
				if (nlh->nlmsg_flags & NLM_F_ACK_TLVS &&
				    nlh->nlmsg_len >= mnl_nlmsg_size(off))
					mnl_attr_for_each(a, nlh, off)
						if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG &&
						    !mnl_attr_validate(a, MNL_TYPE_NUL_STRING))
							snprintf(msg, size, ": %s", mnl_attr_get_str(a));
			}
		}
	}
}

/*
 * NEWSETELEM (makes the ones missing), DELSETELEM (takes them all out),
 * NEWSETELEM with the timeouts.
 */
int efw_nft_write(struct efw_nft *nft, struct efw_nft_set *t,
		  const struct efw_nft_elem *e, size_t n)
{
	struct mnl_nlmsg_batch *b = mnl_nlmsg_batch_start(nft->batch, BATCH_SIZE);
	uint32_t first = nft->seq + 1;
	char msg[256];
	int err;

	nftnl_batch_begin(mnl_nlmsg_batch_current(b), ++nft->seq);
	mnl_nlmsg_batch_next(b);
	put_elems(nft, b, t, e, n, NFT_MSG_NEWSETELEM);
	put_elems(nft, b, t, e, n, NFT_MSG_DELSETELEM);
	put_elems(nft, b, t, e, n, NFT_MSG_NEWSETELEM);
	nftnl_batch_end(mnl_nlmsg_batch_current(b), ++nft->seq);
	mnl_nlmsg_batch_next(b);
	err = mnl_socket_sendto(nft->sock, mnl_nlmsg_batch_head(b),
				mnl_nlmsg_batch_size(b)) < 0 ? -errno : 0;
	if (!err)
		err = batch_errors(nft, first, msg, sizeof(msg));
	else
		msg[0] = '\0';
	mnl_nlmsg_batch_stop(b);
	if (err) {
		problem(t, "cannot write to it: %s%s", strerror(-err), msg);
	} else if (t->problem[0]) {
		fprintf(stderr, "egressctl nft-sync: set %s: written again\n", t->label);
		t->problem[0] = '\0';
	}
	return err;
}

int efw_nft_open(struct efw_nft *nft)
{
	int on = 1;

	nft->sock = mnl_socket_open(NETLINK_NETFILTER);
	if (!nft->sock || mnl_socket_bind(nft->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		fprintf(stderr, "egressctl nft-sync: cannot open a netfilter netlink socket: %s\n",
			strerror(errno));
		return EXIT_SYSTEM;
	}
	nft->batch = xcalloc(1, BATCH_SIZE * 2);
	nft->rx = xcalloc(1, MNL_SOCKET_BUFFER_SIZE);
	nft->portid = mnl_socket_get_portid(nft->sock);
	nft->seq = (uint32_t)time(NULL);
	mnl_socket_setsockopt(nft->sock, NETLINK_EXT_ACK, &on, sizeof(on));
	mnl_socket_setsockopt(nft->sock, NETLINK_CAP_ACK, &on, sizeof(on));
	return 0;
}

void efw_nft_close(struct efw_nft *nft)
{
	free(nft->batch);
	free(nft->rx);
	if (nft->sock)
		mnl_socket_close(nft->sock);
}
