// SPDX-License-Identifier: GPL-2.0
/*
 * What egressctl nft-sync wrote: (set, address) until a monotonic
 * second, in a hash table (FNV-1a over the set's index and the address)
 * that sheds what has expired before it grows. nftset.c asks it before
 * each write, so that an address learned for two names stays in a set
 * until the later of its two expiries.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nft_memo.h"
#include "nft_util.h"

/* What the sets hold: (target, address) until a monotonic second. */
struct efw_memo_node {
	struct efw_memo_node *next;
	uint32_t target;
	uint8_t alen;
	uint8_t addr[16];
	time_t until;
};

static size_t memo_hash(uint32_t target, uint8_t alen, const uint8_t *addr)
{
	uint32_t h = 2166136261u ^ target;
	uint8_t i;

	for (i = 0; i < alen; i++)
		h = (h ^ addr[i]) * 16777619u;
	return h;
}

static struct efw_memo_node **memo_find(struct efw_memo *m, uint32_t target,
					uint8_t alen, const uint8_t *addr)
{
	struct efw_memo_node **p = &m->b[memo_hash(target, alen, addr) & (m->nb - 1)];

	for (; *p; p = &(*p)->next)
		if ((*p)->target == target && (*p)->alen == alen &&
		    !memcmp((*p)->addr, addr, alen))
			return p;
	return p;
}

void efw_memo_sweep(struct efw_memo *m, int64_t target, time_t now)
{
	struct efw_memo_node **p, *dead;
	size_t i;

	for (i = 0; i < m->nb; i++) {
		for (p = &m->b[i]; *p;) {
			if ((*p)->until > now && (int64_t)(*p)->target != target) {
				p = &(*p)->next;
				continue;
			}
			dead = *p;
			*p = dead->next;
			free(dead);
			m->n--;
		}
	}
}

static void memo_grow(struct efw_memo *m, time_t now)
{
	struct efw_memo_node **old = m->b, *n, *next;
	size_t i, nb = m->nb;

	if (m->nb) {
		efw_memo_sweep(m, -1, now);
		if (m->n < m->nb / 2)
			return;
	}
	m->nb = nb ? nb * 2 : 1024;
	m->b = xcalloc(m->nb, sizeof(*m->b));
	for (i = 0; i < nb; i++) {
		for (n = old[i]; n; n = next) {
			struct efw_memo_node **p =
				&m->b[memo_hash(n->target, n->alen, n->addr) & (m->nb - 1)];

			next = n->next;
			n->next = *p;
			*p = n;
		}
	}
	free(old);
}

bool efw_memo_update(struct efw_memo *m, uint32_t target, uint8_t alen,
		     const uint8_t *addr, time_t until, time_t now)
{
	struct efw_memo_node **p, *n;

	if (m->n >= m->nb)
		memo_grow(m, now);
	p = memo_find(m, target, alen, addr);
	if (*p) {
		if ((*p)->until >= until && (*p)->until > now)
			return false;
		(*p)->until = until;
		return true;
	}
	n = xcalloc(1, sizeof(*n));
	n->target = target;
	n->alen = alen;
	memcpy(n->addr, addr, alen);
	n->until = until;
	*p = n;
	m->n++;
	return true;
}

void efw_memo_free(struct efw_memo *m)
{
	efw_memo_sweep(m, -1, (time_t)1 << 62);
	free(m->b);
	memset(m, 0, sizeof(*m));
}
