// SPDX-License-Identifier: GPL-2.0
/*
 * egressctl nft-sync: the addresses the module learns for rules with an
 * @set (egressfw.list(5)), written into those nftables sets with a
 * timeout, so that nft rules can use them (policy routing by mark, ICMP
 * or ESP to the same hosts, logging).
 *
 * Two generic netlink sockets: one joined to the "learned" group before
 * anything else, one for GET_CACHE. So nothing learned between the dump
 * and the first event is missed: it is queued on the first socket while
 * the dump runs, and written after it (again, which is harmless).
 *
 * The sets are asked and written by nft_write.c (libnftnl), in chunks
 * that replace their elements; what was written is remembered by
 * nft_memo.c, so that an address learned for two names stays until the
 * later of its expiries: a write that would shorten an element is not
 * made.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/genetlink.h>
#include <sys/socket.h>

#include "commands.h"
#include "list.h"
#include "netlink.h"
#include "nft_memo.h"
#include "nft_util.h"
#include "nft_write.h"

const char cmd_nft_sync_help[] =
	"Write the addresses egressfw learns from DNS answers into nftables\n"
	"sets: each address learned for a name whose rule has an @set\n"
	"(egressfw.list(5)) goes to the sets named there whose type fits it\n"
	"(ipv4_addr or ipv6_addr), with a timeout of the seconds the module\n"
	"keeps it (EXPIRES of `egressctl cache`). A set needs `flags timeout`\n"
	"and no `flags interval`:\n"
	"\n"
	"  table inet egf {\n"
	"    set v4 { type ipv4_addr; flags timeout; }\n"
	"    set v6 { type ipv6_addr; flags timeout; }\n"
	"  }\n"
	"\n"
	"First every address the module holds now, then each one as it is\n"
	"learned or refreshed, until interrupted (SIGINT, SIGTERM: exit 0). A\n"
	"refresh moves the element's timeout; an address learned for two\n"
	"names stays until the later expiry. A set that is missing or unfit is\n"
	"reported once and asked for again every 30 seconds; the other sets\n"
	"are written all the same. A set made anew (an nftables ruleset\n"
	"reloaded) is filled again within 30 seconds. Run by the\n"
	"egressfw-nft-sync service.\n"
	"Needs CAP_NET_ADMIN.\n"
	"\n"
	"  --once   write the addresses held now, then exit: 0 if every set\n"
	"           was written, 3 if one could not be\n";

/* The receive buffer asked for the "learned" group. */
#define LEARNED_RCVBUF (4 << 20)

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = 1;
}

/* One nft set, and the elements waiting to be written to it. */
struct target {
	struct efw_nft_set set;
	struct efw_nft_elem *pend;
	size_t n_pend, cap_pend;
};

/* One EGRESSFW_CACHE_A_SET string and its targets. */
struct spec {
	char *text;
	uint32_t *targets;
	uint32_t n;
	bool invalid;
	bool said[2];		/* "no set for IPv4 / IPv6" said */
};

struct sync {
	struct efw_nl nl;		/* requests to the module */
	struct mnl_socket *mc;		/* the "learned" group, NULL with --once */
	struct efw_nft nft;		/* nftables */
	struct target *t;
	uint32_t n_t, cap_t;
	struct spec *specs;
	uint32_t n_specs, cap_specs;
	struct efw_memo memo;
	bool once;
	bool failed;			/* a set could not be written */
	unsigned long written;		/* elements written, this pass */
	uint32_t *sets_written;		/* per target: written this pass */
	time_t nobufs_said;		/* when lost events were last said */
};

/* --- writing what is pending ------------------------------------------ */

static int cmp_elem(const void *a, const void *b)
{
	const struct efw_nft_elem *x = a, *y = b;
	int c = memcmp(x->addr, y->addr, sizeof(x->addr));

	return c ? c : (x->expires < y->expires) - (x->expires > y->expires);
}

/* Write what is pending for @t: each address once, for its longest time. */
static void flush_target(struct sync *s, uint32_t ti)
{
	struct target *t = &s->t[ti];
	size_t i, n = 0, done;

	if (!t->n_pend)
		return;
	qsort(t->pend, t->n_pend, sizeof(*t->pend), cmp_elem);
	for (i = 0; i < t->n_pend; i++)
		if (!n || memcmp(t->pend[i].addr, t->pend[n - 1].addr, sizeof(t->pend[i].addr)))
			t->pend[n++] = t->pend[i];
	for (done = 0; done < n; done += EFW_NFT_CHUNK) {
		size_t k = n - done < EFW_NFT_CHUNK ? n - done : EFW_NFT_CHUNK;

		if (t->set.state != EFW_NFT_READY ||
		    efw_nft_write(&s->nft, &t->set, t->pend + done, k)) {
			/*
			 * Forget what it was thought to hold, and find out
			 * what it is now: written whole once it is back.
			 */
			s->failed = true;
			efw_memo_sweep(&s->memo, ti, now_mono());
			if (t->set.state == EFW_NFT_READY)
				efw_nft_ask_set(&s->nft, &t->set);
			break;
		}
		s->written += k;
		s->sets_written[ti] += (uint32_t)k;
	}
	t->n_pend = 0;
}

static void flush_all(struct sync *s)
{
	uint32_t i;

	for (i = 0; i < s->n_t; i++)
		flush_target(s, i);
}

/* --- sets named by the module ------------------------------------------ */

static uint32_t target_get(struct sync *s, int family, const char *table,
			   size_t tlen, const char *name, size_t nlen,
			   const char *label, size_t llen)
{
	struct target *t;
	uint32_t i;

	for (i = 0; i < s->n_t; i++) {
		t = &s->t[i];
		if (t->set.family == family && strlen(t->set.table) == tlen &&
		    !memcmp(t->set.table, table, tlen) && strlen(t->set.name) == nlen &&
		    !memcmp(t->set.name, name, nlen))
			return i;
	}
	if (s->n_t == s->cap_t) {
		s->cap_t = s->cap_t ? s->cap_t * 2 : 8;
		s->t = xrealloc(s->t, s->cap_t * sizeof(*s->t));
		s->sets_written = xrealloc(s->sets_written, s->cap_t * sizeof(uint32_t));
	}
	t = &s->t[s->n_t];
	memset(t, 0, sizeof(*t));
	t->set.family = (uint16_t)family;
	t->set.table = xstrndup(table, tlen);
	t->set.name = xstrndup(name, nlen);
	t->set.label = xcalloc(1, llen + nlen + 2);
	memcpy(t->set.label, label, llen);
	t->set.label[llen] = ' ';
	memcpy(t->set.label + llen + 1, name, nlen);
	s->sets_written[s->n_t] = 0;
	return s->n_t++;
}

/* The spec of @text (FAMILY TABLE SET...), parsed on first sight. */
static struct spec *spec_get(struct sync *s, const char *text)
{
	char canon[EGRESSFW_SET_MAX];
	const char *msg, *w[3], *p;
	struct spec *sp;
	size_t off, wl[3];
	uint32_t i, k;
	int family;

	for (i = 0; i < s->n_specs; i++)
		if (!strcmp(s->specs[i].text, text))
			return &s->specs[i];
	if (s->n_specs == s->cap_specs) {
		s->cap_specs = s->cap_specs ? s->cap_specs * 2 : 8;
		s->specs = xrealloc(s->specs, s->cap_specs * sizeof(*s->specs));
	}
	sp = &s->specs[s->n_specs++];
	memset(sp, 0, sizeof(*sp));
	sp->text = xstrndup(text, strlen(text));
	/* The module keeps the string as it was given: check it as a list's. */
	if (efw_set_spec_parse(text, strlen(text), canon, &msg, &off)) {
		sp->invalid = true;
		fprintf(stderr, "egressctl nft-sync: the module names the sets '%s': %s; skipped\n",
			text, msg);
		return sp;
	}
	/* canon: "FAMILY TABLE SET SET...", single spaces, checked. */
	p = canon;
	for (k = 0; k < 2; k++) {
		w[k] = p;
		wl[k] = strcspn(p, " ");
		p += wl[k] + 1;
	}
	family = efw_set_family(w[0], wl[0]);
	sp->targets = xcalloc(EGRESSFW_SET_MAX / 2, sizeof(uint32_t));
	while (*p) {
		w[2] = p;
		wl[2] = strcspn(p, " ");
		p += wl[2] + (p[wl[2]] ? 1 : 0);
		sp->targets[sp->n++] = target_get(s, family, w[1], wl[1], w[2], wl[2],
						  canon, wl[0] + 1 + wl[1]);
	}
	return sp;
}

/* One learned (address, name), from the dump or an event. */
static int take_entry(struct sync *s, const struct nlattr *nest)
{
	const struct nlattr *a, *family = NULL, *addr = NULL, *expires = NULL;
	time_t now = now_mono();
	uint8_t alen;
	uint32_t i;

	mnl_attr_for_each_nested(a, nest) {
		switch (mnl_attr_get_type(a)) {
		case EGRESSFW_CACHE_A_FAMILY:
			family = mnl_attr_validate(a, MNL_TYPE_U8) ? NULL : a;
			break;
		case EGRESSFW_CACHE_A_ADDR:
			addr = a;
			break;
		case EGRESSFW_CACHE_A_EXPIRES:
			expires = mnl_attr_validate(a, MNL_TYPE_U32) ? NULL : a;
			break;
		}
	}
	if (!family || !addr || !expires)
		return 0;	/* not an entry we understand: skip it */
	alen = mnl_attr_get_u8(family) == 4 ? 4 : mnl_attr_get_u8(family) == 6 ? 16 : 0;
	if (!alen || mnl_attr_get_payload_len(addr) != alen ||
	    !mnl_attr_get_u32(expires))
		return 0;
	mnl_attr_for_each_nested(a, nest) {
		struct spec *sp;
		bool took = false;

		if (mnl_attr_get_type(a) != EGRESSFW_CACHE_A_SET ||
		    mnl_attr_validate(a, MNL_TYPE_NUL_STRING))
			continue;
		sp = spec_get(s, mnl_attr_get_str(a));
		for (i = 0; i < sp->n; i++) {
			uint32_t ti = sp->targets[i];
			struct target *t = &s->t[ti];
			struct efw_nft_elem *e;

			if (t->set.state == EFW_NFT_UNKNOWN ||
			    (t->set.state == EFW_NFT_BAD && now >= t->set.retry))
				efw_nft_ask_set(&s->nft, &t->set);
			if (t->set.state == EFW_NFT_BAD) {
				s->failed = true;
				took = true;	/* its problem is said already */
				continue;
			}
			if (t->set.alen != alen)
				continue;
			took = true;
			if (!efw_memo_update(&s->memo, ti, alen, mnl_attr_get_payload(addr),
					     now + mnl_attr_get_u32(expires), now))
				continue;
			if (t->n_pend == t->cap_pend) {
				t->cap_pend = t->cap_pend ? t->cap_pend * 2 : 64;
				t->pend = xrealloc(t->pend, t->cap_pend * sizeof(*t->pend));
			}
			e = &t->pend[t->n_pend++];
			memset(e->addr, 0, sizeof(e->addr));
			memcpy(e->addr, mnl_attr_get_payload(addr), alen);
			e->expires = mnl_attr_get_u32(expires);
			if (t->n_pend >= EFW_NFT_CHUNK)
				flush_target(s, ti);
		}
		if (!took && !sp->invalid && !sp->said[alen == 16]) {
			sp->said[alen == 16] = true;
			fprintf(stderr, "egressctl nft-sync: no set of '%s' takes IPv%d addresses: those are not written\n",
				sp->text, alen == 4 ? 4 : 6);
		}
	}
	return 0;
}

static int cache_cb(const struct nlmsghdr *nlh, void *data)
{
	static const enum mnl_attr_data_type top[EGRESSFW_A_MAX + 1] = {
		[EGRESSFW_A_CACHE] = MNL_TYPE_NESTED,
	};
	const struct nlattr *tb[EGRESSFW_A_MAX + 1];

	if (efw_nl_parse(nlh, top, EGRESSFW_A_MAX, tb) || !tb[EGRESSFW_A_CACHE])
		return 0;
	return take_entry(data, tb[EGRESSFW_A_CACHE]);
}

/* Every learned address the module holds now, written. */
static int sync_all(struct sync *s)
{
	char buf[EFW_NL_TX_SIZE] __attribute__((aligned(8)));
	int err;

	err = efw_nl_request(&s->nl, efw_nl_msg(&s->nl, buf, EGRESSFW_CMD_GET_CACHE,
						NLM_F_DUMP), cache_cb, s);
	/* A dump of a cache changing under it is still worth writing. */
	if (err == -EINTR)
		err = 0;
	flush_all(s);
	return err;
}

/* Sets made anew, gone or back: those to write whole. true if any. */
static bool recheck(struct sync *s)
{
	time_t now = now_mono();
	bool again = false;
	uint32_t i;

	efw_memo_sweep(&s->memo, -1, now);
	for (i = 0; i < s->n_t; i++) {
		struct efw_nft_set *t = &s->t[i].set;
		uint64_t handle = t->handle;
		enum efw_nft_state was = t->state;

		if (t->state == EFW_NFT_UNKNOWN ||
		    (t->state == EFW_NFT_BAD && now < t->retry))
			continue;
		efw_nft_ask_set(&s->nft, t);
		if (t->state == EFW_NFT_READY &&
		    (was != EFW_NFT_READY || t->handle != handle)) {
			efw_memo_sweep(&s->memo, i, now);
			again = true;
		}
	}
	return again;
}

static void summary(struct sync *s, FILE *out, const char *prefix)
{
	uint32_t i, sets = 0;

	for (i = 0; i < s->n_t; i++)
		sets += s->sets_written[i] != 0;
	fprintf(out, "%s%lu element%s written to %u set%s\n", prefix, s->written,
		s->written == 1 ? "" : "s", sets, sets == 1 ? "" : "s");
	s->written = 0;
	memset(s->sets_written, 0, s->n_t * sizeof(uint32_t));
}

/* --- the "learned" group ------------------------------------------------ */

static int learned_cb(const struct nlmsghdr *nlh, void *data)
{
	struct sync *s = data;
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);

	if (nlh->nlmsg_type != s->nl.family ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*g) || g->cmd != EGRESSFW_CMD_LEARNED)
		return MNL_CB_OK;
	cache_cb(nlh, data);
	return MNL_CB_OK;
}

static int join_learned(struct sync *s)
{
	int size = LEARNED_RCVBUF;

	if (!s->nl.learned_group) {
		fprintf(stderr, "egressctl nft-sync: the loaded egressfw module has no \"learned\" group: it is older than this egressctl (reload the module, or reboot)\n");
		return EXIT_SYSTEM;
	}
	s->mc = mnl_socket_open(NETLINK_GENERIC);
	if (!s->mc || mnl_socket_bind(s->mc, 0, MNL_SOCKET_AUTOPID) < 0) {
		fprintf(stderr, "egressctl: cannot open a generic netlink socket: %s\n",
			strerror(errno));
		return EXIT_SYSTEM;
	}
	if (mnl_socket_setsockopt(s->mc, NETLINK_ADD_MEMBERSHIP, &s->nl.learned_group,
				  sizeof(s->nl.learned_group)) < 0)
		return efw_nl_fail(&s->nl, -errno, "cannot listen for learned addresses");
	/* Room for a burst of answers: past the rmem_max cap if root. */
	if (setsockopt(mnl_socket_get_fd(s->mc), SOL_SOCKET, SO_RCVBUFFORCE, &size,
		       sizeof(size)))
		setsockopt(mnl_socket_get_fd(s->mc), SOL_SOCKET, SO_RCVBUF, &size,
			   sizeof(size));
	return 0;
}

/*
 * Is the module the one whose group we joined? A module unloaded, or
 * reloaded (its family and group may have new ids), is the end of this
 * run: exit 3, and the service starts it again.
 */
static bool same_module(struct sync *s)
{
	uint16_t family = s->nl.family;
	uint32_t group = s->nl.learned_group;
	int err = efw_nl_resolve(&s->nl);

	if (err == -ENOENT) {
		fprintf(stderr, "egressctl nft-sync: the egressfw module was unloaded\n");
		return false;
	}
	if (err) {
		efw_nl_fail(&s->nl, err, "cannot look up the egressfw netlink family");
		return false;
	}
	if (s->nl.family != family || s->nl.learned_group != group) {
		fprintf(stderr, "egressctl nft-sync: the egressfw module was reloaded: start again\n");
		return false;
	}
	return true;
}

/* Until a signal: events, written as they come; a recheck every while. */
static int listen_loop(struct sync *s, const sigset_t *unblocked)
{
	struct pollfd pfd = { mnl_socket_get_fd(s->mc), POLLIN, 0 };
	time_t next = now_mono() + EFW_NFT_RECHECK_SEC;
	struct timespec ts;
	ssize_t n;
	int r;

	while (!stop) {
		time_t now = now_mono();

		if (now >= next) {
			if (!same_module(s))
				return EXIT_SYSTEM;
			r = recheck(s) ? sync_all(s) : 0;
			if (r)
				return efw_nl_fail(&s->nl, r, "cannot read the learned addresses");
			next = now + EFW_NFT_RECHECK_SEC;
			continue;
		}
		ts.tv_sec = next - now;
		ts.tv_nsec = 0;
		r = ppoll(&pfd, 1, &ts, unblocked);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			fprintf(stderr, "egressctl nft-sync: poll: %s\n", strerror(errno));
			return EXIT_SYSTEM;
		}
		if (!r)
			continue;
		n = mnl_socket_recvfrom(s->mc, s->nl.rx, EFW_NL_RX_SIZE);
		if (n < 0 && errno == ENOBUFS) {
			/* Events were lost: read the whole table again. */
			if (now_mono() - s->nobufs_said >= 60 || !s->nobufs_said) {
				fprintf(stderr, "egressctl nft-sync: learned addresses lost (receive buffer full): reading them all again\n");
				s->nobufs_said = now_mono();
			}
			r = sync_all(s);
			if (r && r != -EINTR)
				return efw_nl_fail(&s->nl, r, "cannot read the learned addresses");
			continue;
		}
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0) {
			fprintf(stderr, "egressctl nft-sync: cannot read learned addresses: %s\n",
				strerror(errno));
			return EXIT_SYSTEM;
		}
		mnl_cb_run(s->nl.rx, (size_t)n, 0, 0, learned_cb, s);
		/* Write once the burst is read, or every EFW_NFT_CHUNK elements. */
		if (poll(&pfd, 1, 0) <= 0)
			flush_all(s);
	}
	flush_all(s);
	return 0;
}

static void sync_free(struct sync *s)
{
	uint32_t i;

	for (i = 0; i < s->n_t; i++) {
		free(s->t[i].set.table);
		free(s->t[i].set.name);
		free(s->t[i].set.label);
		free(s->t[i].pend);
	}
	for (i = 0; i < s->n_specs; i++) {
		free(s->specs[i].text);
		free(s->specs[i].targets);
	}
	free(s->t);
	free(s->specs);
	free(s->sets_written);
	efw_memo_free(&s->memo);
	if (s->mc)
		mnl_socket_close(s->mc);
	efw_nft_close(&s->nft);
	efw_nl_close(&s->nl);
}

int cmd_nft_sync(int argc, char **argv)
{
	struct sigaction sa;
	sigset_t block, unblocked;
	struct sync *s;
	int i, ret, err;

	s = xcalloc(1, sizeof(*s));
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--once")) {
			s->once = true;
		} else {
			fprintf(stderr, "egressctl nft-sync: unexpected argument '%s'\nusage: egressctl nft-sync [--once]\n",
				argv[i]);
			free(s);
			return EXIT_USAGE;
		}
	}
	/* Signals are taken only while waiting (ppoll): never half a write. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &unblocked);
	sigdelset(&unblocked, SIGINT);
	sigdelset(&unblocked, SIGTERM);

	ret = efw_nl_open(&s->nl);
	if (ret) {
		free(s);
		return ret;
	}
	/* The group first: what is learned during the dump waits there. */
	ret = s->once ? 0 : join_learned(s);
	if (!ret)
		ret = efw_nft_open(&s->nft);
	if (ret)
		goto out;
	err = sync_all(s);
	if (err) {
		ret = efw_nl_fail(&s->nl, err, "cannot read the learned addresses");
		goto out;
	}
	if (s->once) {
		summary(s, stdout, "");
		ret = s->failed ? EXIT_SYSTEM : 0;
		goto out;
	}
	summary(s, stderr, "egressctl nft-sync: ");
	fprintf(stderr, "egressctl nft-sync: listening for learned addresses\n");
	ret = listen_loop(s, &unblocked);
out:
	sync_free(s);
	free(s);
	return ret;
}
