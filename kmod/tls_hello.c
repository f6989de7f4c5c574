// SPDX-License-Identifier: GPL-2.0
/*
 * TLS ClientHello parser (see tls_hello.h for the contract).
 *
 * Two passes over the caller's buffer, both bounded by it:
 *
 *  1. framing: walk the TLS record headers from the first byte, check each
 *     one, and learn the handshake message length from the first four bytes
 *     of the handshake stream (which may themselves straddle records). This
 *     pass alone decides NEED_MORE, so a valid prefix is never reported as
 *     anything else, and ->need is always the end of the record header or
 *     record the walk stopped in.
 *  2. body: once every record carrying the ClientHello is in the buffer,
 *     read the message through a cursor that hops over the record headers
 *     found in pass 1. Nothing is copied but the host name itself.
 *
 * Nothing is trusted: every vector length is checked against the vector or
 * message holding it before a byte of it is read, so the cursor never runs
 * past the handshake message, and pass 1 proved the message is in the
 * buffer.
 */
#include "portable.h"
#include "tls_hello.h"

#define TLS_RECORD_HEADER	5
/* TLSPlaintext.length bound */
#define TLS_RECORD_MAX		(1U << 14)
#define TLS_CT_HANDSHAKE	22
#define TLS_HS_HEADER		4
#define TLS_HS_CLIENT_HELLO	1
#define TLS_RANDOM_LEN		32
#define TLS_SESSION_ID_MAX	32

#define TLS_EXT_SERVER_NAME	0x0000
#define TLS_EXT_ECH		0xfe0d
#define TLS_SNI_HOST_NAME	0
#define TLS_ECH_INNER		1

/*
 * Reads the handshake message as one byte stream although its bytes sit in
 * the payloads of one or more records. @pos is the buffer offset of the
 * next byte, @left what remains of the current record's payload at @pos.
 * @hs_left counts the message bytes not yet read; reads beyond it fail, so
 * the cursor never leaves the records pass 1 checked.
 */
struct hs_cursor {
	const u8 *buf;
	size_t len;
	size_t pos;
	u32 left;
	u32 hs_left;
	bool bad;
};

/* Step over the header of the next record when the current one is used up. */
static bool cur_refill(struct hs_cursor *c)
{
	if (c->left)
		return true;
	/* Pass 1 saw these headers; checked again so a bug can't overread. */
	if (c->len - c->pos < TLS_RECORD_HEADER) {
		c->bad = true;
		return false;
	}
	c->left = efw_get_be16(c->buf + c->pos + 3);
	c->pos += TLS_RECORD_HEADER;
	if (!c->left || c->left > c->len - c->pos) {
		c->bad = true;
		return false;
	}
	return true;
}

static u8 cur_u8(struct hs_cursor *c)
{
	u8 v;

	if (c->bad || !c->hs_left || !cur_refill(c)) {
		c->bad = true;
		return 0;
	}
	v = c->buf[c->pos++];
	c->left--;
	c->hs_left--;
	return v;
}

static u16 cur_u16(struct hs_cursor *c)
{
	u16 hi = cur_u8(c);

	return (u16)((hi << 8) | cur_u8(c));
}

static void cur_skip(struct hs_cursor *c, u32 n)
{
	u32 step;

	if (c->bad || n > c->hs_left) {
		c->bad = true;
		return;
	}
	while (n) {
		if (!cur_refill(c))
			return;
		step = n < c->left ? n : c->left;
		c->pos += step;
		c->left -= step;
		c->hs_left -= step;
		n -= step;
	}
}

/* Message bytes read so far: vector ends are kept as such offsets. */
static u32 cur_offset(const struct hs_cursor *c, u32 msg_len)
{
	return msg_len - c->hs_left;
}

static bool host_char(u8 ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' || ch == '.';
}

/*
 * Copy a HostName of @n bytes into ->sni, lower-cased, without its one
 * optional trailing dot. Only names a DNS lookup could have produced get
 * through: the matcher compares label by label and must never see empty
 * labels, oversized labels or bytes outside the host name alphabet.
 */
static bool read_host_name(struct hs_cursor *c, u32 n,
			   struct efw_tls_hello *out)
{
	u32 i, label = 0;
	u8 ch;

	if (!n || n > EFW_NAME_MAX + 1 || n > c->hs_left)
		return false;
	for (i = 0; i < n; i++) {
		ch = cur_u8(c);
		if (!host_char(ch))
			return false;
		if (ch == '.') {
			if (!label)
				return false;	/* leading dot or ".." */
			label = 0;
		} else if (++label > EFW_LABEL_MAX) {
			return false;
		}
		out->sni[i] = efw_lower((char)ch);
	}
	if (c->bad)
		return false;
	if (out->sni[n - 1] == '.')
		n--;
	/* Only a name of 254 bytes ending in a dot may exceed the bound. */
	if (n > EFW_NAME_MAX)
		return false;
	out->sni[n] = '\0';
	out->sni_len = (u16)n;
	return true;
}

/*
 * server_name extension body (RFC 6066 3): a ServerNameList that fills the
 * extension exactly. Only host_name is defined, and the list may carry it
 * once; an entry of another type cannot even be delimited, so it is
 * refused rather than guessed at.
 */
static bool parse_server_name(struct hs_cursor *c, u32 ext_len, u32 msg_len,
			      struct efw_tls_hello *out)
{
	u32 list_len, end, name_len;
	bool have_host = false;

	if (ext_len < 2)
		return false;
	list_len = cur_u16(c);
	if (list_len != ext_len - 2 || !list_len)
		return false;
	end = cur_offset(c, msg_len) + list_len;
	while (!c->bad && cur_offset(c, msg_len) < end) {
		if (end - cur_offset(c, msg_len) < 3)
			return false;
		if (cur_u8(c) != TLS_SNI_HOST_NAME || have_host)
			return false;
		name_len = cur_u16(c);
		if (name_len > end - cur_offset(c, msg_len))
			return false;
		if (!read_host_name(c, name_len, out))
			return false;
		have_host = true;
	}
	return !c->bad && have_host;
}

static enum efw_tls_status parse_extensions(struct hs_cursor *c, u32 msg_len,
					    struct efw_tls_hello *out)
{
	u32 type, ext_len, ext_end, block_len;
	bool seen_sni = false, seen_ech = false;

	/* Extensions are optional: an SSL 3.0-style hello ends here. */
	if (!c->hs_left)
		return EFW_TLS_OK;
	if (c->hs_left < 2)
		return EFW_TLS_MALFORMED;
	block_len = cur_u16(c);
	if (block_len != c->hs_left)
		return EFW_TLS_MALFORMED;
	while (c->hs_left) {
		if (c->hs_left < 4)
			return EFW_TLS_MALFORMED;
		type = cur_u16(c);
		ext_len = cur_u16(c);
		if (ext_len > c->hs_left)
			return EFW_TLS_MALFORMED;
		ext_end = cur_offset(c, msg_len) + ext_len;
		switch (type) {
		case TLS_EXT_SERVER_NAME:
			/*
			 * Two of them would let a client show us one name
			 * and the server another.
			 */
			if (seen_sni)
				return EFW_TLS_MALFORMED;
			seen_sni = true;
			if (!parse_server_name(c, ext_len, msg_len, out))
				return EFW_TLS_MALFORMED;
			break;
		case TLS_EXT_ECH:
			/* Only its first byte, ECHClientHelloType, is ours. */
			if (seen_ech || !ext_len)
				return EFW_TLS_MALFORMED;
			seen_ech = true;
			out->flags |= EFW_TLS_F_ECH;
			if (cur_u8(c) == TLS_ECH_INNER)
				out->flags |= EFW_TLS_F_ECH_INNER;
			cur_skip(c, ext_len - 1);
			break;
		default:
			cur_skip(c, ext_len);
			break;
		}
		/* Each extension body is read exactly, never into the next. */
		if (c->bad || cur_offset(c, msg_len) != ext_end)
			return EFW_TLS_MALFORMED;
	}
	return EFW_TLS_OK;
}

static enum efw_tls_status parse_body(struct hs_cursor *c, u32 msg_len,
				      struct efw_tls_hello *out)
{
	enum efw_tls_status ret;
	u32 n;

	/* legacy_version, random, legacy_session_id length */
	if (c->hs_left < 2 + TLS_RANDOM_LEN + 1)
		return EFW_TLS_MALFORMED;
	out->hello_version = cur_u16(c);
	if (out->hello_version >> 8 != 3)
		return EFW_TLS_MALFORMED;
	cur_skip(c, TLS_RANDOM_LEN);
	n = cur_u8(c);
	if (n > TLS_SESSION_ID_MAX || n > c->hs_left)
		return EFW_TLS_MALFORMED;
	cur_skip(c, n);

	/* cipher_suites<2..2^16-2>: whole two-byte suites */
	if (c->hs_left < 2)
		return EFW_TLS_MALFORMED;
	n = cur_u16(c);
	if (!n || (n & 1) || n > c->hs_left)
		return EFW_TLS_MALFORMED;
	cur_skip(c, n);

	/* legacy_compression_methods<1..2^8-1> */
	if (c->hs_left < 1)
		return EFW_TLS_MALFORMED;
	n = cur_u8(c);
	if (!n || n > c->hs_left)
		return EFW_TLS_MALFORMED;
	cur_skip(c, n);
	if (c->bad)
		return EFW_TLS_MALFORMED;

	ret = parse_extensions(c, msg_len, out);
	if (ret != EFW_TLS_OK)
		return ret;
	if (!out->sni_len) {
		out->flags |= EFW_TLS_F_NO_SNI;
		out->sni[0] = '\0';
	}
	return EFW_TLS_OK;
}

/*
 * The record layer never looks at a byte it has not been given: the
 * content type and major version are judged as soon as they arrive, so
 * a connection that is not TLS is let go after its first byte or two.
 */
static enum efw_tls_status check_partial_header(const u8 *p, size_t avail,
						bool first)
{
	if (avail >= 1 && p[0] != TLS_CT_HANDSHAKE)
		return first ? EFW_TLS_NOT_TLS : EFW_TLS_MALFORMED;
	if (avail >= 2 && p[1] != 3)
		return first ? EFW_TLS_NOT_TLS : EFW_TLS_MALFORMED;
	if (avail >= TLS_RECORD_HEADER) {
		u32 rec_len = efw_get_be16(p + 3);

		if (!rec_len || rec_len > TLS_RECORD_MAX)
			return EFW_TLS_MALFORMED;
	}
	return EFW_TLS_NEED_MORE;
}

static enum efw_tls_status need_more(struct efw_tls_hello *out, size_t need)
{
	out->need = (u32)need;
	return EFW_TLS_NEED_MORE;
}

enum efw_tls_status efw_tls_parse_hello(const u8 *buf, size_t len,
					struct efw_tls_hello *out)
{
	enum efw_tls_status ret;
	struct hs_cursor c;
	size_t pos = 0, avail;
	u32 rec_len, stream = 0, hs_len = 0, take, i;
	u8 hs_hdr[TLS_HS_HEADER];
	u32 hs_hdr_n = 0, records = 0;

	memset(out, 0, sizeof(*out));

	/*
	 * Pass 1. Each iteration takes one record header, then as much of
	 * the handshake header as the record's payload holds. The loop ends
	 * when the records seen cover the whole message; since a record may
	 * not carry bytes beyond it, they then cover it exactly.
	 */
	while (hs_hdr_n < TLS_HS_HEADER || stream < TLS_HS_HEADER + hs_len) {
		avail = len - pos;
		if (avail < TLS_RECORD_HEADER) {
			ret = check_partial_header(buf + pos, avail, !records);
			if (ret != EFW_TLS_NEED_MORE)
				return ret;
			return need_more(out, pos + TLS_RECORD_HEADER);
		}
		ret = check_partial_header(buf + pos, TLS_RECORD_HEADER,
					   !records);
		if (ret != EFW_TLS_NEED_MORE)
			return ret;
		rec_len = efw_get_be16(buf + pos + 3);
		if (!records)
			out->record_version = efw_get_be16(buf + pos + 1);
		if (++records > EFW_TLS_MAX_RECORDS)
			return EFW_TLS_MALFORMED;
		pos += TLS_RECORD_HEADER;
		stream += rec_len;
		avail = len - pos;

		if (hs_hdr_n < TLS_HS_HEADER) {
			take = TLS_HS_HEADER - hs_hdr_n;
			if (take > rec_len)
				take = rec_len;
			if (take > avail)
				take = (u32)avail;
			for (i = 0; i < take; i++)
				hs_hdr[hs_hdr_n++] = buf[pos + i];
			/* msg_type: the first byte of the first payload */
			if (hs_hdr_n && hs_hdr[0] != TLS_HS_CLIENT_HELLO)
				return EFW_TLS_NOT_TLS;
			if (hs_hdr_n == TLS_HS_HEADER) {
				hs_len = efw_get_be24(hs_hdr + 1);
				if (hs_len > EFW_TLS_MAX_HELLO)
					return EFW_TLS_MALFORMED;
			}
		}
		/*
		 * Anything after the ClientHello in its last record would be
		 * a second handshake message in the client's first flight,
		 * which no protocol version allows.
		 */
		if (hs_hdr_n == TLS_HS_HEADER &&
		    stream > TLS_HS_HEADER + hs_len)
			return EFW_TLS_MALFORMED;
		if (rec_len > avail)
			return need_more(out, pos + rec_len);
		pos += rec_len;
	}

	/* Pass 2: the records [0, pos) hold the message and nothing more. */
	c.buf = buf;
	c.len = pos;
	c.pos = TLS_RECORD_HEADER;
	c.left = efw_get_be16(buf + 3);
	c.hs_left = TLS_HS_HEADER + hs_len;
	c.bad = false;
	cur_skip(&c, TLS_HS_HEADER);
	if (c.bad)
		return EFW_TLS_MALFORMED;

	ret = parse_body(&c, hs_len + TLS_HS_HEADER, out);
	if (ret != EFW_TLS_OK) {
		out->sni_len = 0;
		out->sni[0] = '\0';
		return ret;
	}
	out->consumed = (u32)pos;
	if (records > 1)
		out->flags |= EFW_TLS_F_MULTI_RECORD;
	return EFW_TLS_OK;
}
