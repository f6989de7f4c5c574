/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A DNS message builder for the DNS parser tests (test_dns_*.c): a header,
 * a question and resource records appended to a buffer, names given as
 * dotted strings, compression pointers by offset.
 */
#ifndef EGRESSFW_TEST_DNS_MSG_H
#define EGRESSFW_TEST_DNS_MSG_H

#include "dns_answer.h"

struct msg {
	u8 b[8192];
	size_t len;
};

#define F_RESP 0x8180	/* QR, RD, RA, opcode QUERY, NOERROR */

void put(struct msg *m, const void *p, size_t n);
void put8(struct msg *m, unsigned int v);
void put16(struct msg *m, unsigned int v);
void put32(struct msg *m, u32 v);
size_t put_labels(struct msg *m, const char *name);
size_t put_name(struct msg *m, const char *name);
void put_ptr(struct msg *m, size_t off);
void hdr(struct msg *m, unsigned int flags, unsigned int qd,
	 unsigned int an, unsigned int ns, unsigned int ar);
void question(struct msg *m, const char *name, unsigned int qtype);
void fixed(struct msg *m, unsigned int type, unsigned int class,
	   u32 ttl, unsigned int rdlen);
void rr_a(struct msg *m, const char *owner, u32 ttl, u32 addr);
void rr_aaaa(struct msg *m, const char *owner, u32 ttl, u8 last);
void rr_cname(struct msg *m, const char *owner, const char *target, u32 ttl);

static inline enum efw_dns_status parse(const struct msg *m,
					 struct efw_dns_result *r)
{
	return efw_dns_parse(m->b, m->len, r);
}

#endif /* EGRESSFW_TEST_DNS_MSG_H */
