// SPDX-License-Identifier: GPL-2.0
/*
 * DNS response parser (RFC 1035 4.1, RFC 2181), kernel-agnostic.
 *
 * The message comes from the network and possibly from a hostile or broken
 * resolver, so every count, length and compression pointer is checked
 * before it is used, and every loop has a bound that does not depend on
 * the message being honest:
 *
 *  - one structural pass over every record of every section (names,
 *    fixed fields, RDLENGTH against the bytes left); any fault makes the
 *    whole message MALFORMED, so a prefix of a valid message never parses;
 *  - chain passes over the answer section, following CNAMEs from the
 *    question; at most EFW_DNS_MAX_NAMES of them;
 *  - one pass collecting the A/AAAA records of the chain's last name.
 *
 * Only the answer section is ever interpreted. Records in the authority
 * and additional sections are not answers to the question: "glue" there is
 * the classic cache-poisoning vector (an attacker's response to a query
 * for its own name carrying an A record for a bank's name), so they are
 * checked for structure and otherwise skipped.
 *
 * DNAME (RFC 6672) needs no code: servers synthesize the matching CNAME
 * into the answer section, which the chain follows.
 */
#include "dns_answer.h"

#define DNS_HDR_LEN	12
#define DNS_RR_FIXED	10	/* TYPE, CLASS, TTL, RDLENGTH */

#define DNS_TYPE_A	1
#define DNS_TYPE_CNAME	5
#define DNS_TYPE_AAAA	28
#define DNS_CLASS_IN	1

#define DNS_FLAG_QR	0x8000
#define DNS_FLAG_TC	0x0200
#define DNS_OPCODE(f)	(((f) >> 11) & 0xf)
#define DNS_RCODE(f)	((f) & 0xf)

/*
 * A legitimate name has at most 127 labels and a compressor never needs
 * more than one pointer per label. Pointers must also go strictly
 * backwards (below), which already guarantees termination; the hop bound
 * caps the work a pointer-to-pointer ladder can cause.
 */
#define DNS_MAX_HOPS	128

/*
 * One walk over a name, in one of three modes: check only (@buf and @cmp
 * NULL), decode into @buf (presentation form, lower case, no trailing
 * dot), or compare with @cmp, a name in that form (stops at the first
 * difference). Comparing in place spares a 256-byte scratch buffer on the
 * stack.
 */
struct dns_name {
	char *buf;		/* EFW_NAME_MAX + 1 bytes, or NULL */
	const char *cmp;	/* or NULL */
	u8 cmp_len;
	u8 len;			/* out: presentation length */
	bool odd;		/* out: a label holds '.' or NUL */
	bool differs;		/* out: not the name at @cmp */
};

static void name_char(struct dns_name *out, unsigned int n, char ch)
{
	if (out->buf)
		out->buf[n] = ch;
	if (out->cmp && (n >= out->cmp_len || out->cmp[n] != ch))
		out->differs = true;
}

/*
 * Walk the (possibly compressed) name at @off. Returns the number of bytes
 * the name occupies at @off (up to and including its terminating zero or
 * its first pointer), or -1 if it is malformed; 0 when comparing and a
 * difference was found (the rest of the name is then not checked).
 *
 * A pointer must point below the start of the label sequence it ends
 * (for the first sequence, the start of the name itself), so each jump
 * lands strictly lower than the one before: loops of any length are
 * impossible, and so is a name that reaches forward into bytes not yet
 * seen. Real compressors only ever point back at names written earlier.
 * Pointers into the 12-byte header are refused too.
 */
static int walk_name(const u8 *msg, size_t len, size_t off,
		     struct dns_name *out)
{
	size_t pos = off, floor = off;
	unsigned int hops = 0, n = 0, i;
	int wire = -1;
	u8 c;

	out->odd = false;
	out->differs = false;
	for (;;) {
		if (pos >= len)
			return -1;
		c = msg[pos];
		if ((c & 0xc0) == 0xc0) {
			size_t target;

			if (pos + 1 >= len)
				return -1;
			target = ((size_t)(c & 0x3f) << 8) | msg[pos + 1];
			if (wire < 0)
				wire = (int)(pos + 2 - off);
			if (target >= floor || target < DNS_HDR_LEN ||
			    ++hops > DNS_MAX_HOPS)
				return -1;
			pos = floor = target;
			continue;
		}
		/* 0x40 (RFC 6891 extended label types) and 0x80: reserved. */
		if (c & 0xc0)
			return -1;
		if (c == 0) {
			if (wire < 0)
				wire = (int)(pos + 1 - off);
			break;
		}
		/* c <= 63 here: the two top bits are clear. */
		if (c > len - pos - 1)
			return -1;
		if (n + (n ? 1 : 0) + c > EFW_NAME_MAX)
			return -1;
		if (n)
			name_char(out, n++, '.');
		for (i = 0; i < c; i++) {
			char ch = (char)msg[pos + 1 + i];

			if (ch == '.' || ch == '\0')
				out->odd = true;
			name_char(out, n++, efw_lower(ch));
		}
		/* An odd name never equals a stored (never odd) one. */
		if (out->cmp && (out->differs || out->odd)) {
			out->differs = true;
			return 0;
		}
		pos += 1 + c;
	}
	if (out->buf)
		out->buf[n] = '\0';
	if (out->cmp && n != out->cmp_len)
		out->differs = true;
	out->len = (u8)n;
	return wire;
}

/* Is the name at @off the stored name @s? @off was checked before. */
static bool name_is(const u8 *msg, size_t len, size_t off, const char *s,
		    u8 s_len)
{
	struct dns_name d = { .cmp = s, .cmp_len = s_len };

	return walk_name(msg, len, off, &d) > 0 && !d.differs;
}

/*
 * Skip the name at @off where it lies, without following its pointer:
 * enough to find the fixed fields of a record. Returns the offset just
 * after the name, or 0 if it runs past the end (0 is never a valid result
 * since names start after the header).
 */
static size_t skip_name(const u8 *msg, size_t len, size_t off)
{
	size_t pos = off;
	u8 c;

	for (;;) {
		if (pos >= len)
			return 0;
		c = msg[pos];
		if ((c & 0xc0) == 0xc0)
			return pos + 2 <= len ? pos + 2 : 0;
		if (c & 0xc0)
			return 0;
		if (c == 0)
			return pos + 1;
		if (c > len - pos - 1)
			return 0;
		pos += 1 + c;
	}
}

struct dns_rr {
	size_t owner;		/* offset of the owner name */
	size_t rdata;		/* offset of RDATA */
	size_t next;		/* offset of the next record */
	u16 type;
	u16 class;
	u16 rdlen;
	u32 ttl;
};

/* Read the framing of the record at @off; false if it does not fit. */
static bool read_rr(const u8 *msg, size_t len, size_t off, struct dns_rr *rr)
{
	size_t p = skip_name(msg, len, off);

	if (!p || len - p < DNS_RR_FIXED)
		return false;
	rr->owner = off;
	rr->type = efw_get_be16(msg + p);
	rr->class = efw_get_be16(msg + p + 2);
	rr->ttl = efw_get_be32(msg + p + 4);
	rr->rdlen = efw_get_be16(msg + p + 8);
	rr->rdata = p + DNS_RR_FIXED;
	if (rr->rdlen > len - rr->rdata)
		return false;
	rr->next = rr->rdata + rr->rdlen;
	return true;
}

/* RFC 2181 8: a TTL with the top bit set is to be treated as zero. */
static u32 rr_ttl(const struct dns_rr *rr)
{
	return (rr->ttl & 0x80000000U) ? 0 : rr->ttl;
}

static bool is_addr(const struct dns_rr *rr)
{
	return rr->class == DNS_CLASS_IN &&
	       (rr->type == DNS_TYPE_A || rr->type == DNS_TYPE_AAAA);
}

static bool is_cname(const struct dns_rr *rr)
{
	return rr->class == DNS_CLASS_IN && rr->type == DNS_TYPE_CNAME;
}

/*
 * Check every record of @count from *@off on and move *@off past them.
 * In the answer section (@answer) the records the chain may use must be
 * well-formed as such: A/AAAA RDATA of exactly 4/16 bytes, a CNAME's
 * RDATA exactly one name, and no odd names among them.
 */
static bool check_section(const u8 *msg, size_t len, size_t *off,
			  unsigned int count, bool answer)
{
	struct dns_name chk = { };
	struct dns_rr rr;
	unsigned int i;
	int wire;

	for (i = 0; i < count; i++) {
		if (!read_rr(msg, len, *off, &rr))
			return false;
		/*
		 * An owner that is just a pointer to the question is the
		 * question, which was walked (and found not odd) already:
		 * the usual case, worth skipping the walk for.
		 */
		if (!(rr.owner + 1 < len && msg[rr.owner] == (0xc0 | (DNS_HDR_LEN >> 8)) &&
		      msg[rr.owner + 1] == DNS_HDR_LEN)) {
			if (walk_name(msg, len, rr.owner, &chk) < 0)
				return false;
			if (answer && (is_addr(&rr) || is_cname(&rr)) && chk.odd)
				return false;
		}
		if (answer && is_cname(&rr)) {
			wire = walk_name(msg, len, rr.rdata, &chk);
			if (wire < 0 || wire != rr.rdlen || chk.odd)
				return false;
		}
		if (answer && is_addr(&rr) &&
		    rr.rdlen != (rr.type == DNS_TYPE_A ? 4 : 16))
			return false;
		*off = rr.next;
	}
	return true;
}

/*
 * Is the name at @off chain name @k, which was read at offset @offs[k]?
 * Compressors point the owner of every answer record at the question (or
 * at the CNAME target it continues), so the common case is a pointer to
 * that very spot, which needs no walk. The pointer must point back, as
 * walk_name() requires: otherwise the walk decides.
 */
static bool is_chain_name(const u8 *msg, size_t len, size_t off,
			  const struct efw_dns_result *res, const size_t *offs,
			  unsigned int k)
{
	size_t at = offs[k];

	if (off == at ||
	    (at < off && off + 1 < len && (msg[off] & 0xc0) == 0xc0 &&
	     (((size_t)(msg[off] & 0x3f) << 8) | msg[off + 1]) == at))
		return true;
	return name_is(msg, len, off, res->names[k], res->name_len[k]);
}

/* Is the name at @off already in the chain? */
static bool in_chain(const u8 *msg, size_t len, size_t off,
		     const struct efw_dns_result *res, const size_t *offs)
{
	unsigned int k;

	for (k = 0; k < res->n_names; k++)
		if (is_chain_name(msg, len, off, res, offs, k))
			return true;
	return false;
}

/*
 * Follow the CNAME chain from the question through the (already checked)
 * answer section. Chains are normally in order, so one pass extends the
 * chain as far as it goes; another pass is needed only when a CNAME that
 * did not match was seen before the chain grew (it may match the new
 * tail). Every extra pass adds a name, so there are at most
 * EFW_DNS_MAX_NAMES passes.
 *
 * Returns the lowest TTL of the CNAMEs used (~0 if none).
 */
static u32 follow_chain(const u8 *msg, size_t len, size_t start,
			unsigned int count, struct efw_dns_result *res,
			size_t *offs)
{
	u32 min_ttl = ~0U;
	bool again = true;

	while (again) {
		size_t off = start;
		bool missed = false;
		struct dns_rr rr;
		unsigned int i;

		again = false;
		for (i = 0; i < count; i++, off = rr.next) {
			u8 tail = res->n_names - 1;
			struct dns_name t = { };

			if (!read_rr(msg, len, off, &rr))
				return min_ttl; /* cannot happen: checked */
			if (!is_cname(&rr))
				continue;
			if (!is_chain_name(msg, len, rr.owner, res, offs, tail)) {
				missed = true;
				continue;
			}
			if (in_chain(msg, len, rr.rdata, res, offs)) {
				res->flags |= EFW_DNS_F_CHAIN_LOOP;
				return min_ttl;
			}
			if (res->n_names == EFW_DNS_MAX_NAMES) {
				res->flags |= EFW_DNS_F_CHAIN_CUT;
				return min_ttl;
			}
			t.buf = res->names[res->n_names];
			if (walk_name(msg, len, rr.rdata, &t) < 0)
				return min_ttl; /* cannot happen: checked */
			res->name_len[res->n_names] = t.len;
			offs[res->n_names] = rr.rdata;
			res->n_names++;
			if (rr_ttl(&rr) < min_ttl)
				min_ttl = rr_ttl(&rr);
			if (missed)
				again = true;
		}
	}
	return min_ttl;
}

/* Returns false if the address was dropped for want of room. */
static bool add_addr(struct efw_dns_result *res, const u8 *rdata,
		     unsigned int rdlen)
{
	u8 family = rdlen == 4 ? 4 : 6;
	unsigned int i;

	/* Quadratic, but over at most EFW_DNS_MAX_ADDRS: keep it cheap. */
	for (i = 0; i < res->n_addrs; i++) {
		const u8 *a = res->addrs[i].addr;

		if (res->addrs[i].family == family &&
		    efw_get_be32(a) == efw_get_be32(rdata) &&
		    (family == 4 || !memcmp(a + 4, rdata + 4, 12)))
			return true;
	}
	if (res->n_addrs == EFW_DNS_MAX_ADDRS) {
		if (res->addrs_dropped < 0xffff)
			res->addrs_dropped++;
		return false;
	}
	res->addrs[i].family = family;
	memset(res->addrs[i].addr, 0, sizeof(res->addrs[i].addr));
	memcpy(res->addrs[i].addr, rdata, rdlen);
	res->n_addrs++;
	return true;
}

/*
 * Collect the A/AAAA records owned by the chain's last name. Records
 * owned by the question or an intermediate name are not taken: a name
 * that has a CNAME can have no other data (RFC 1034 3.6.2), so only a
 * broken or lying server sends them, and records for names outside the
 * chain are exactly what an injected answer would look like.
 *
 * Returns the lowest TTL of the addresses kept (a repeated address counts
 * with its lowest TTL; a dropped one does not count).
 */
static u32 collect_addrs(const u8 *msg, size_t len, size_t start,
			 unsigned int count, struct efw_dns_result *res,
			 const size_t *offs)
{
	u8 tail = res->n_names - 1;
	u32 min_ttl = ~0U;
	size_t off = start;
	struct dns_rr rr;
	unsigned int i;

	for (i = 0; i < count; i++, off = rr.next) {
		if (!read_rr(msg, len, off, &rr))
			break;
		if (!is_addr(&rr) ||
		    !is_chain_name(msg, len, rr.owner, res, offs, tail))
			continue;
		/* A dropped address is not learned: its TTL does not matter. */
		if (add_addr(res, msg + rr.rdata, rr.rdlen) &&
		    rr_ttl(&rr) < min_ttl)
			min_ttl = rr_ttl(&rr);
	}
	return min_ttl;
}

/* The scalars only: the name and address arrays are 2.5 KiB. */
static void reset(struct efw_dns_result *res)
{
	res->id = 0;
	res->qtype = 0;
	res->rcode = 0;
	res->flags = 0;
	res->min_ttl = 0;
	res->n_names = 0;
	res->n_addrs = 0;
	res->addrs_dropped = 0;
}

enum efw_dns_status efw_dns_parse(const u8 *msg, size_t len,
				  struct efw_dns_result *res)
{
	struct dns_name q = { .buf = res->names[0] };
	size_t offs[EFW_DNS_MAX_NAMES];	/* where each chain name was read */
	unsigned int qd, an, ns, ar;
	u32 chain_ttl, addr_ttl;
	size_t off, answers;
	u16 flags;
	int wire;

	reset(res);
	if (len < DNS_HDR_LEN)
		return EFW_DNS_MALFORMED;
	res->id = efw_get_be16(msg);
	flags = efw_get_be16(msg + 2);
	res->rcode = DNS_RCODE(flags);
	if (flags & DNS_FLAG_TC)
		res->flags |= EFW_DNS_F_TRUNCATED;
	if (!(flags & DNS_FLAG_QR) || DNS_OPCODE(flags) != 0)
		return EFW_DNS_NOT_RESPONSE;
	qd = efw_get_be16(msg + 4);
	an = efw_get_be16(msg + 6);
	ns = efw_get_be16(msg + 8);
	ar = efw_get_be16(msg + 10);

	/*
	 * RFC 1035 allows several questions, but no server implements it and
	 * answers could not be told apart; without a question (some FORMERR
	 * and NOTIMP replies) there is nothing to tie answers to. Neither has
	 * anything to learn from.
	 */
	if (qd != 1)
		return EFW_DNS_MALFORMED;
	wire = walk_name(msg, len, DNS_HDR_LEN, &q);
	if (wire < 0 || q.odd || len - DNS_HDR_LEN - wire < 4)
		return EFW_DNS_MALFORMED;
	off = DNS_HDR_LEN + wire;
	res->qtype = efw_get_be16(msg + off);
	off += 4;	/* QTYPE, QCLASS */

	answers = off;
	if (!check_section(msg, len, &off, an, true) ||
	    !check_section(msg, len, &off, ns, false) ||
	    !check_section(msg, len, &off, ar, false))
		return EFW_DNS_MALFORMED;

	res->name_len[0] = q.len;
	res->n_names = 1;
	offs[0] = DNS_HDR_LEN;
	chain_ttl = follow_chain(msg, len, answers, an, res, offs);
	if (res->flags & (EFW_DNS_F_CHAIN_CUT | EFW_DNS_F_CHAIN_LOOP))
		return EFW_DNS_OK;	/* no end to the chain: fail closed */
	addr_ttl = collect_addrs(msg, len, answers, an, res, offs);
	if (res->n_addrs)
		res->min_ttl = chain_ttl < addr_ttl ? chain_ttl : addr_ttl;
	return EFW_DNS_OK;
}

enum efw_dns_status efw_dns_parse_query(const u8 *msg, size_t len,
					struct efw_dns_query *q)
{
	struct dns_name n = { .buf = q->name };
	u16 flags;
	int wire;

	q->name_len = 0;
	q->name[0] = '\0';
	if (len < DNS_HDR_LEN)
		return EFW_DNS_MALFORMED;
	q->id = efw_get_be16(msg);
	flags = efw_get_be16(msg + 2);
	if ((flags & DNS_FLAG_QR) || DNS_OPCODE(flags) != 0 ||
	    efw_get_be16(msg + 4) != 1)
		return EFW_DNS_MALFORMED;
	wire = walk_name(msg, len, DNS_HDR_LEN, &n);
	if (wire < 0 || n.odd || len - DNS_HDR_LEN - wire < 4)
		return EFW_DNS_MALFORMED;
	q->name_len = n.len;
	q->qtype = efw_get_be16(msg + DNS_HDR_LEN + wire);
	q->qclass = efw_get_be16(msg + DNS_HDR_LEN + wire + 2);
	return EFW_DNS_OK;
}

enum efw_dns_status efw_dns_parse_tcp(const u8 *stream, size_t len,
				      struct efw_dns_result *res, size_t *need)
{
	size_t mlen;

	reset(res);
	if (len < 2) {
		*need = 2;
		return EFW_DNS_NEED_MORE;
	}
	mlen = efw_get_be16(stream);
	*need = 2 + mlen;
	if (mlen < DNS_HDR_LEN)
		return EFW_DNS_MALFORMED;
	if (len - 2 < mlen)
		return EFW_DNS_NEED_MORE;
	return efw_dns_parse(stream + 2, mlen, res);
}
