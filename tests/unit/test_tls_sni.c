// SPDX-License-Identifier: GPL-2.0
/*
 * ClientHello parser tests on the server_name and ECH extensions of hellos
 * crafted from the captures: SNI removed, replaced by names valid or not,
 * at and past their length limits, duplicated, in lists of odd shapes, and
 * ECH outer and inner.
 */
#include <string.h>

#include "kselftest_harness.h"
#include "tls_captures.h"

/*
 * Replace @del bytes at @off in the extensions block with @ins (@n bytes)
 * and fix the block and message lengths around them.
 */
static void splice_ext(struct msg *m, size_t off, size_t del, const u8 *ins,
		       size_t n)
{
	struct layout l;
	long delta = (long)n - (long)del;

	map_msg(m, &l);
	memmove(m->p + off + n, m->p + off + del, m->n - off - del);
	if (n)
		memcpy(m->p + off, ins, n);
	m->n += delta;
	put16(m->p + l.exts, efw_get_be16(m->p + l.exts) + delta);
	put24(m->p + 1, efw_get_be24(m->p + 1) + delta);
}

/* A server_name extension with the given entries (type, name) */
static size_t sni_ext(u8 *out, const char *name, size_t name_len, int entries,
		      u8 name_type)
{
	size_t o = 4 + 2;
	int i;

	for (i = 0; i < entries; i++) {
		out[o++] = name_type;
		put16(out + o, name_len);
		o += 2;
		memcpy(out + o, name, name_len);
		o += name_len;
	}
	put16(out, 0);
	put16(out + 2, o - 4);
	put16(out + 4, o - 6);
	return o;
}

/* Give the hello of capture @c the SNI @name (or add one); frame in one record. */
static size_t with_name(const struct capture *c, const char *name,
			size_t name_len, int entries, u8 type, u8 *out)
{
	static struct msg m;
	struct layout l;
	u8 ext[1024];
	size_t n;

	to_msg(c->data, c->size, &m);
	map_msg(&m, &l);
	n = sni_ext(ext, name, name_len, entries, type);
	if (l.sni_ext)
		splice_ext(&m, l.sni_ext, 4 + efw_get_be16(m.p + l.sni_ext + 2),
			   ext, n);
	else
		splice_ext(&m, m.n, 0, ext, n);
	return frame1(&m, out);
}

TEST(no_sni)
{
	static struct msg m;
	struct efw_tls_hello h;
	struct layout l;
	size_t len;
	int i;

	ASSERT_LT(0, load_captures());
	for (i = 0; i < ncaps; i++) {
		const struct capture *c = &caps[i];

		to_msg(c->data, c->size, &m);
		map_msg(&m, &l);
		if (!l.sni_ext)
			continue;
		splice_ext(&m, l.sni_ext, 4 + efw_get_be16(m.p + l.sni_ext + 2),
			   NULL, 0);
		len = frame1(&m, work);
		ASSERT_EQ(EFW_TLS_OK, parse(work, len, &h)) TH_LOG("%s", c->file);
		EXPECT_EQ(0, h.sni_len);
		EXPECT_STREQ("", h.sni);
		EXPECT_EQ((c->flags & ~EFW_TLS_F_MULTI_RECORD) | EFW_TLS_F_NO_SNI,
			  h.flags) TH_LOG("%s", c->file);
	}
}

TEST(sni_names)
{
	static const struct {
		const char *in, *out;	/* out NULL: MALFORMED */
	} cases[] = {
		{ "central.sophos.com", "central.sophos.com" },
		{ "Central.SOPHOS.Com", "central.sophos.com" },
		{ "central.sophos.com.", "central.sophos.com" },
		{ "a", "a" },
		{ "_dmarc.x-y.example", "_dmarc.x-y.example" },
		{ "xn--bcher-kva.example", "xn--bcher-kva.example" },
		{ "1.2.3.4", "1.2.3.4" },
		{ "", NULL },
		{ ".", NULL },
		{ "central.sophos.com..", NULL },
		{ ".central.sophos.com", NULL },
		{ "central..sophos.com", NULL },
		{ "central.sophos.com/x", NULL },
		{ "central sophos.com", NULL },
		{ "*.sophos.com", NULL },
		{ "central.sophos.com:443", NULL },
		{ "b\xc3\xbc" "cher.example", NULL },
		{ "[::1]", NULL },
	};
	const struct capture *c;
	struct efw_tls_hello h;
	enum efw_tls_status st;
	size_t i, len;

	c = find_capture("chromium.bin");
	ASSERT_NE(NULL, c);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		len = with_name(c, cases[i].in, strlen(cases[i].in), 1, 0, work);
		st = parse(work, len, &h);
		if (!cases[i].out) {
			EXPECT_EQ(EFW_TLS_MALFORMED, st) TH_LOG("'%s'", cases[i].in);
			continue;
		}
		ASSERT_EQ(EFW_TLS_OK, st) TH_LOG("'%s'", cases[i].in);
		EXPECT_STREQ(cases[i].out, h.sni);
		EXPECT_EQ(EFW_TLS_F_ECH, h.flags);
	}
	/* A NUL inside the name */
	len = with_name(c, "evil.com\0.sophos.com", 20, 1, 0, work);
	EXPECT_EQ(EFW_TLS_MALFORMED, parse(work, len, &h));
}

TEST(sni_lengths)
{
	char name[300];
	const struct capture *c;
	struct efw_tls_hello h;
	size_t len, i;

	c = find_capture("openssl.bin");
	ASSERT_NE(NULL, c);
	/* 63-byte labels: 4 labels of 63 + "a" = 253 bytes. */
	memset(name, 'a', sizeof(name));
	for (i = 63; i < 260; i += 64)
		name[i] = '.';
	len = with_name(c, name, 253, 1, 0, work);
	ASSERT_EQ(EFW_TLS_OK, parse(work, len, &h));
	EXPECT_EQ(253, h.sni_len);
	EXPECT_EQ(253, strlen(h.sni));
	/* 254 bytes: too long, unless the last is the root dot. */
	name[253] = 'a';
	len = with_name(c, name, 254, 1, 0, work);
	EXPECT_EQ(EFW_TLS_MALFORMED, parse(work, len, &h));
	name[253] = '.';
	len = with_name(c, name, 254, 1, 0, work);
	ASSERT_EQ(EFW_TLS_OK, parse(work, len, &h));
	EXPECT_EQ(253, h.sni_len);
	len = with_name(c, name, 255, 1, 0, work);
	EXPECT_EQ(EFW_TLS_MALFORMED, parse(work, len, &h));
	/* A 64-byte label */
	memset(name, 'b', 64);
	strcpy(name + 64, ".com");
	len = with_name(c, name, 68, 1, 0, work);
	EXPECT_EQ(EFW_TLS_MALFORMED, parse(work, len, &h));
	len = with_name(c, name + 1, 67, 1, 0, work);
	EXPECT_EQ(EFW_TLS_OK, parse(work, len, &h));
}

TEST(sni_list_shapes)
{
	static struct msg m;
	const struct capture *c;
	struct efw_tls_hello h;
	struct layout l;
	u8 ext[600];
	size_t len, n;

	c = find_capture("node.bin");
	ASSERT_NE(NULL, c);
	/* Two host_name entries in one list */
	len = with_name(c, "a.example", 9, 2, 0, work);
	EXPECT_EQ(EFW_TLS_MALFORMED, parse(work, len, &h));
	/* An unknown name type */
	len = with_name(c, "a.example", 9, 1, 1, work);
	EXPECT_EQ(EFW_TLS_MALFORMED, parse(work, len, &h));
	/* An empty list */
	len = with_name(c, "", 0, 0, 0, work);
	EXPECT_EQ(EFW_TLS_MALFORMED, parse(work, len, &h));

	/* A second server_name extension, same or different name */
	to_msg(c->data, c->size, &m);
	n = sni_ext(ext, "www.example.com", 15, 1, 0);
	splice_ext(&m, m.n, 0, ext, n);
	len = frame1(&m, work);
	EXPECT_EQ(EFW_TLS_MALFORMED, parse(work, len, &h));
	to_msg(c->data, c->size, &m);
	n = sni_ext(ext, "evil.example", 12, 1, 0);
	splice_ext(&m, m.n, 0, ext, n);
	len = frame1(&m, work);
	EXPECT_EQ(EFW_TLS_MALFORMED, parse(work, len, &h));

	/* An empty server_name extension (what servers send back) */
	to_msg(c->data, c->size, &m);
	map_msg(&m, &l);
	ASSERT_NE(0, l.sni_ext);
	splice_ext(&m, l.sni_ext, 4 + efw_get_be16(m.p + l.sni_ext + 2),
		   (const u8 *)"\0\0\0\0", 4);
	len = frame1(&m, work);
	EXPECT_EQ(EFW_TLS_MALFORMED, parse(work, len, &h));

	/*
	 * The list shorter than the extension, the bytes after it shaped
	 * like an empty padding extension: still one extension, refused.
	 */
	to_msg(c->data, c->size, &m);
	n = sni_ext(ext, "a.example", 9, 1, 0);
	memcpy(ext + n, "\x00\x15\x00\x00", 4);
	n += 4;
	put16(ext + 2, n - 4);
	map_msg(&m, &l);
	splice_ext(&m, l.sni_ext, 4 + efw_get_be16(m.p + l.sni_ext + 2), ext, n);
	len = frame1(&m, work);
	EXPECT_EQ(EFW_TLS_MALFORMED, parse(work, len, &h));
}

TEST(ech)
{
	static struct msg m;
	static const u8 inner[] = { 0xfe, 0x0d, 0, 1, 1 };
	static const u8 outer[] = { 0xfe, 0x0d, 0, 3, 0, 0, 1 };
	static const u8 empty[] = { 0xfe, 0x0d, 0, 0 };
	const struct capture *c;
	struct efw_tls_hello h;
	size_t len;

	c = find_capture("python.bin");
	ASSERT_NE(NULL, c);
	to_msg(c->data, c->size, &m);
	splice_ext(&m, m.n, 0, inner, sizeof(inner));
	len = frame1(&m, work);
	ASSERT_EQ(EFW_TLS_OK, parse(work, len, &h));
	EXPECT_EQ(EFW_TLS_F_ECH | EFW_TLS_F_ECH_INNER, h.flags);
	EXPECT_STREQ("www.example.com", h.sni);
	/* Twice */
	splice_ext(&m, m.n, 0, outer, sizeof(outer));
	len = frame1(&m, work);
	EXPECT_EQ(EFW_TLS_MALFORMED, parse(work, len, &h));

	to_msg(c->data, c->size, &m);
	splice_ext(&m, m.n, 0, outer, sizeof(outer));
	len = frame1(&m, work);
	ASSERT_EQ(EFW_TLS_OK, parse(work, len, &h));
	EXPECT_EQ(EFW_TLS_F_ECH, h.flags);

	to_msg(c->data, c->size, &m);
	splice_ext(&m, m.n, 0, empty, sizeof(empty));
	len = frame1(&m, work);
	EXPECT_EQ(EFW_TLS_MALFORMED, parse(work, len, &h));
}

TEST_HARNESS_MAIN
