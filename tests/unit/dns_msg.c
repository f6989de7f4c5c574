// SPDX-License-Identifier: GPL-2.0
/*
 * The DNS message builder of the DNS parser tests (see dns_msg.h).
 */
#include <stdlib.h>
#include <string.h>

#include "dns_msg.h"

void put(struct msg *m, const void *p, size_t n)
{
	if (m->len + n > sizeof(m->b))
		abort();
	memcpy(m->b + m->len, p, n);
	m->len += n;
}

void put8(struct msg *m, unsigned int v)
{
	u8 c = (u8)v;

	put(m, &c, 1);
}

void put16(struct msg *m, unsigned int v)
{
	put8(m, v >> 8);
	put8(m, v);
}

void put32(struct msg *m, u32 v)
{
	put16(m, v >> 16);
	put16(m, v & 0xffff);
}

/* Labels of a dotted name, without the terminating root label. */
size_t put_labels(struct msg *m, const char *name)
{
	size_t start = m->len;

	while (*name) {
		const char *dot = strchr(name, '.');
		size_t n = dot ? (size_t)(dot - name) : strlen(name);

		put8(m, n);
		put(m, name, n);
		name += n;
		if (*name == '.')
			name++;
	}
	return start;
}

size_t put_name(struct msg *m, const char *name)
{
	size_t start = put_labels(m, name);

	put8(m, 0);
	return start;
}

void put_ptr(struct msg *m, size_t off)
{
	put16(m, 0xc000 | off);
}

void hdr(struct msg *m, unsigned int flags, unsigned int qd,
	 unsigned int an, unsigned int ns, unsigned int ar)
{
	m->len = 0;
	put16(m, 0x1234);
	put16(m, flags);
	put16(m, qd);
	put16(m, an);
	put16(m, ns);
	put16(m, ar);
}

void question(struct msg *m, const char *name, unsigned int qtype)
{
	put_name(m, name);
	put16(m, qtype);
	put16(m, 1);
}

void fixed(struct msg *m, unsigned int type, unsigned int class,
	   u32 ttl, unsigned int rdlen)
{
	put16(m, type);
	put16(m, class);
	put32(m, ttl);
	put16(m, rdlen);
}

void rr_a(struct msg *m, const char *owner, u32 ttl, u32 addr)
{
	put_name(m, owner);
	fixed(m, 1, 1, ttl, 4);
	put32(m, addr);
}

void rr_aaaa(struct msg *m, const char *owner, u32 ttl, u8 last)
{
	u8 a[16] = { 0x20, 0x01, 0x0d, 0xb8 };

	a[15] = last;
	put_name(m, owner);
	fixed(m, 28, 1, ttl, 16);
	put(m, a, 16);
}

void rr_cname(struct msg *m, const char *owner, const char *target, u32 ttl)
{
	put_name(m, owner);
	fixed(m, 5, 1, ttl, strlen(target) + (*target ? 2 : 1));
	put_name(m, target);
}
