/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TLS ClientHello parser: finds the server_name (SNI) a client asks for.
 *
 * The caller keeps the bytes a client has sent on a connection so far,
 * contiguous and in order from the first byte (the module reassembles TCP
 * segments into such a buffer, up to a bound), and calls
 * efw_tls_parse_hello() each time more bytes arrived. The parser is
 * stateless: it looks at the whole prefix every time, which keeps it simple
 * and the cost bounded by the buffer bound.
 *
 * A ClientHello may be fragmented over several TLS records (RFC 8446
 * 5.1); the parser follows the handshake message across records.
 *
 * Verdicts, and what the caller can rely on:
 *  - NEED_MORE: nothing wrong so far, the hello is not complete. Every
 *    proper prefix of a valid ClientHello gets it (never another verdict);
 *    ->need is the end of the record header or record the parser stopped
 *    in, so need > len and never beyond the hello's last record. Feeding
 *    bytes in pieces converges to the verdict of feeding them at once.
 *  - NOT_TLS: the first record is not a handshake record of TLS/SSL 3.x
 *    (content type, major version) or does not start a ClientHello
 *    (msg_type); SSLv2-style hellos land here. Decided from the first
 *    bytes, so plain-text protocols are let go early.
 *  - MALFORMED: any inconsistency after that: record length 0 or over
 *    2^14, a later record not of type handshake, a hello over
 *    EFW_TLS_MAX_HELLO or over EFW_TLS_MAX_RECORDS records, bytes after the hello in its last record, a
 *    vector overrunning its container, an extensions block whose length
 *    is not the rest of the message, two server_name or two ECH
 *    extensions, a ServerNameList not exactly one host_name, or a
 *    host_name that is not a DNS name: [A-Za-z0-9_.-] only, 1..253
 *    bytes (after one trailing dot is dropped), labels of 1..63 bytes.
 *  - OK: ->sni, ->flags and ->consumed are set; bytes after ->consumed
 *    (the client's next records) are not looked at.
 */
#ifndef EGRESSFW_TLS_HELLO_H
#define EGRESSFW_TLS_HELLO_H

#include "portable.h"

enum efw_tls_status {
	EFW_TLS_OK = 0,		/* a whole ClientHello was parsed */
	EFW_TLS_NEED_MORE,	/* a valid prefix: feed at least ->need bytes */
	EFW_TLS_NOT_TLS,	/* the first bytes are not a TLS handshake record */
	EFW_TLS_MALFORMED,	/* a TLS handshake that breaks the rules */
};

/* ->flags */
#define EFW_TLS_F_NO_SNI	(1U << 0) /* no server_name extension, or no host_name in it */
#define EFW_TLS_F_ECH		(1U << 1) /* encrypted_client_hello (0xfe0d) present: real or GREASE, they look alike by design */
#define EFW_TLS_F_ECH_INNER	(1U << 2) /* ... and of type inner (should never be seen on the wire) */
#define EFW_TLS_F_MULTI_RECORD	(1U << 3) /* the ClientHello spanned more than one record */

struct efw_tls_hello {
	u32 need;		/* NEED_MORE: total buffer length needed next (> len given) */
	u32 consumed;		/* OK: bytes of the buffer holding the ClientHello records */
	u32 flags;
	u16 record_version;	/* legacy_record_version of the first record */
	u16 hello_version;	/* legacy_version in the ClientHello */
	u16 sni_len;		/* OK and !NO_SNI: length of ->sni, else 0 */
	/* lower-cased host_name without its trailing dot, NUL-terminated */
	char sni[EFW_NAME_MAX + 1];
};

/*
 * Longest ClientHello the parser accepts (handshake body, bytes). Clients
 * send a few hundred bytes to ~2 KiB (post-quantum key shares); 16 KiB is
 * one full record and far beyond any real ClientHello.
 */
#define EFW_TLS_MAX_HELLO (16 * 1024)

/*
 * Most records a ClientHello may span. Clients send it in one record
 * (two for a hello over 2^14 bytes, which EFW_TLS_MAX_HELLO refuses
 * anyway); splitting it into many tiny records is only ever a way to
 * make a middlebox work: each parse walks every record header.
 */
#define EFW_TLS_MAX_RECORDS 64

enum efw_tls_status efw_tls_parse_hello(const u8 *buf, size_t len,
					struct efw_tls_hello *out);

#endif /* EGRESSFW_TLS_HELLO_H */
