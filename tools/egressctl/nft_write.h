/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The nftables side of `egressctl nft-sync` (nft_write.c, the one file
 * that uses libnftnl): asking a set's type, and writing elements with a
 * timeout into it, over a NETLINK_NETFILTER socket.
 */
#ifndef EGRESSCTL_NFT_WRITE_H
#define EGRESSCTL_NFT_WRITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct mnl_socket;

/* Elements per write, per NEWSETELEM: 256 IPv6 ones are about 10 KiB. */
#define EFW_NFT_CHUNK 256
/* How often the sets are looked at again: missing, unfit, made anew. */
#define EFW_NFT_RECHECK_SEC 30

struct efw_nft_elem {
	uint8_t addr[16];
	uint32_t expires;	/* seconds from now */
};

enum efw_nft_state {
	EFW_NFT_UNKNOWN,	/* not asked yet */
	EFW_NFT_READY,		/* key type known, writable */
	EFW_NFT_BAD,		/* missing or unfit: asked again at ->retry */
};

/* One nft set: FAMILY TABLE SET. */
struct efw_nft_set {
	uint16_t family;	/* NFPROTO_* */
	char *table, *name;
	char *label;		/* "inet egf v4", for messages */
	enum efw_nft_state state;
	uint8_t alen;		/* READY: 4 (ipv4_addr) or 16 (ipv6_addr), or 0 */
	uint64_t handle;	/* READY: the set's handle; a new one is a new set */
	time_t retry;		/* BAD: when to ask again (monotonic) */
	char problem[160];	/* what was said about it last, said once */
};

/* The netfilter netlink socket, the buffers batches are built and read in. */
struct efw_nft {
	struct mnl_socket *sock;
	uint32_t portid, seq;
	char *batch, *rx;
};

/* Open @nft (zeroed): 0, or EXIT_SYSTEM with the reason said. */
int efw_nft_open(struct efw_nft *nft);
/* Close what efw_nft_open() opened, even in part. */
void efw_nft_close(struct efw_nft *nft);

/*
 * NFT_MSG_GETSET for @t: READY with its key, or BAD (asked again
 * EFW_NFT_RECHECK_SEC from now) with a reason said.
 */
void efw_nft_ask_set(struct efw_nft *nft, struct efw_nft_set *t);

/*
 * Replace @n (<= EFW_NFT_CHUNK) elements of @t in one transaction. 0 or a
 * negative errno, with its words said.
 */
int efw_nft_write(struct efw_nft *nft, struct efw_nft_set *t,
		  const struct efw_nft_elem *e, size_t n);

#endif /* EGRESSCTL_NFT_WRITE_H */
