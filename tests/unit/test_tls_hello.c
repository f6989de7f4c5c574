// SPDX-License-Identifier: GPL-2.0
/*
 * ClientHello parser tests against real captures (tests/data/tls/NAME.bin,
 * listed with their expected SNI and flags in tests/data/tls/MANIFEST by
 * tests/data/capture-tls): each whole, followed by more data, cut short
 * anywhere, fed in random pieces, and re-framed into many records. Hellos
 * crafted from them are in test_tls_malformed.c and test_tls_sni.c.
 */
#include <string.h>

#include "kselftest_harness.h"
#include "tls_captures.h"

TEST(manifest_complete)
{
	const char *must[] = { "openssl.bin", "openssl-tls1_2.bin", "curl.bin",
			       "python.bin", "node.bin", "java17.bin",
			       "gnutls.bin", "chromium.bin" };
	const struct capture *c;
	size_t i;

	ASSERT_LE(10, load_captures());
	for (i = 0; i < sizeof(must) / sizeof(must[0]); i++) {
		c = find_capture(must[i]);
		ASSERT_NE(NULL, c) TH_LOG("%s missing from MANIFEST", must[i]);
	}
	/* Chrome sends GREASE ECH and a ~2 KB post-quantum ClientHello. */
	c = find_capture("chromium.bin");
	ASSERT_TRUE(c->flags & EFW_TLS_F_ECH);
	ASSERT_LT(1448, c->size);
}

TEST(captures_whole)
{
	struct efw_tls_hello h;
	int i;

	ASSERT_LT(0, load_captures());
	for (i = 0; i < ncaps; i++) {
		const struct capture *c = &caps[i];

		ASSERT_EQ(EFW_TLS_OK, parse(c->data, c->size, &h))
			TH_LOG("%s", c->file);
		EXPECT_STREQ(c->sni, h.sni) TH_LOG("%s", c->file);
		EXPECT_EQ(strlen(c->sni), h.sni_len) TH_LOG("%s", c->file);
		EXPECT_EQ(c->flags, h.flags) TH_LOG("%s", c->file);
		EXPECT_EQ(c->size, h.consumed) TH_LOG("%s", c->file);
		EXPECT_EQ(efw_get_be16(c->data + 1), h.record_version);
		EXPECT_EQ(0x0303, h.hello_version) TH_LOG("%s", c->file);
		EXPECT_TRUE(sane_ok(&h, c->size)) TH_LOG("%s", c->file);
	}
}

/* Trailing bytes (the next flight, early data) don't change the result. */
TEST(captures_with_trailing_data)
{
	static const u8 ccs[] = { 20, 3, 3, 0, 1, 1, 23, 3, 3, 0, 5 };
	struct efw_tls_hello h;
	int i;

	ASSERT_LT(0, load_captures());
	for (i = 0; i < ncaps; i++) {
		const struct capture *c = &caps[i];

		memcpy(work, c->data, c->size);
		memcpy(work + c->size, ccs, sizeof(ccs));
		ASSERT_EQ(EFW_TLS_OK, parse(work, c->size + sizeof(ccs), &h));
		EXPECT_STREQ(c->sni, h.sni);
		EXPECT_EQ(c->size, h.consumed);
	}
}

TEST(captures_every_prefix)
{
	struct efw_tls_hello h;
	enum efw_tls_status st;
	size_t l;
	int i;

	ASSERT_LT(0, load_captures());
	for (i = 0; i < ncaps; i++) {
		const struct capture *c = &caps[i];

		for (l = 0; l < c->size; l++) {
			st = parse(c->data, l, &h);
			ASSERT_EQ(EFW_TLS_NEED_MORE, st)
				TH_LOG("%s prefix %zu", c->file, l);
			ASSERT_LT(l, h.need) TH_LOG("%s prefix %zu", c->file, l);
			ASSERT_GE(c->size, h.need)
				TH_LOG("%s prefix %zu need %u", c->file, l, h.need);
			/* One record: the header, then the whole record. */
			if (c->records == 1)
				ASSERT_EQ(l < 5 ? 5 : c->size, h.need);
		}
	}
}

/* Bytes arrive in random pieces; the caller re-parses once ->need is met. */
TEST(captures_incremental)
{
	struct efw_tls_hello h;
	enum efw_tls_status st;
	size_t have, need, calls;
	u32 seed = 0x1234567;
	int i, round;

	ASSERT_LT(0, load_captures());
	for (i = 0; i < ncaps; i++) {
		const struct capture *c = &caps[i];

		for (round = 0; round < 50; round++) {
			have = 0;
			need = 1;
			calls = 0;
			st = EFW_TLS_NEED_MORE;
			while (st == EFW_TLS_NEED_MORE) {
				ASSERT_LT(have, c->size) TH_LOG("%s", c->file);
				have += 1 + rnd(&seed) % (round < 25 ? 8 : 1500);
				if (have > c->size)
					have = c->size;
				if (have < need)
					continue;
				st = parse(c->data, have, &h);
				calls++;
				if (st == EFW_TLS_NEED_MORE) {
					ASSERT_LT(have, h.need);
					ASSERT_GE(c->size, h.need);
					need = h.need;
				}
			}
			ASSERT_EQ(EFW_TLS_OK, st) TH_LOG("%s", c->file);
			ASSERT_EQ(c->size, have);
			ASSERT_STREQ(c->sni, h.sni);
			/* ->need never asks for less than a header or record. */
			ASSERT_GE(c->records * 2 + 1, calls) TH_LOG("%s", c->file);
		}
	}
}

TEST(reframed_records)
{
	static const size_t plans[][4] = {
		{ 1 }, { 2 }, { 3 }, { 4 }, { 5 }, { 7 }, { 100 }, { 1000 },
		{ 3, 1, 600, 16384 }, { 16384, 1 }, { 1, 16384 },
	};
	const size_t nplans = sizeof(plans) / sizeof(plans[0]);
	static struct msg m;
	struct efw_tls_hello h;
	size_t len, p, n, l, too_many, fit[4] = { 0 }, over[4] = { 0 };
	unsigned int recs;
	int i;

	ASSERT_LT(0, load_captures());
	for (i = 0; i < ncaps; i++) {
		const struct capture *c = &caps[i];
		u32 base = c->flags & ~EFW_TLS_F_MULTI_RECORD;

		to_msg(c->data, c->size, &m);
		/* The last two plans: records of one size, at most 64; more. */
		fit[0] = (m.n + EFW_TLS_MAX_RECORDS - 1) / EFW_TLS_MAX_RECORDS;
		over[0] = m.n / (EFW_TLS_MAX_RECORDS + 1);
		ASSERT_LT(0, over[0]) TH_LOG("%s", c->file);
		for (p = 0; p < nplans + 2; p++) {
			const size_t *plan = p < nplans ? plans[p] :
					     p == nplans ? fit : over;

			for (n = 0; n < 4 && plan[n]; n++)
				;
			len = frame(&m, plan, n, work, &recs);
			/* Where the parser meets a record too many, if any. */
			too_many = (size_t)EFW_TLS_MAX_RECORDS * (5 + plan[0]) + 5;
			if (p == nplans)
				ASSERT_GE(EFW_TLS_MAX_RECORDS, recs) TH_LOG("%s", c->file);
			if (p == nplans + 1)
				ASSERT_LT(EFW_TLS_MAX_RECORDS, recs) TH_LOG("%s", c->file);
			if (recs > EFW_TLS_MAX_RECORDS) {
				EXPECT_EQ(EFW_TLS_MALFORMED, parse(work, len, &h))
					TH_LOG("%s plan %zu: %u records", c->file, p, recs);
			} else {
				ASSERT_EQ(EFW_TLS_OK, parse(work, len, &h))
					TH_LOG("%s plan %zu", c->file, p);
				EXPECT_STREQ(c->sni, h.sni);
				EXPECT_EQ(base | (recs > 1 ? EFW_TLS_F_MULTI_RECORD : 0),
					  h.flags) TH_LOG("%s plan %zu", c->file, p);
				EXPECT_EQ(len, h.consumed);
			}
			if (p > 2 && p < nplans)
				continue;
			/*
			 * Records of one size: every prefix still asks for
			 * more, up to the record too many.
			 */
			for (l = 0; l < len; l++) {
				if (recs > EFW_TLS_MAX_RECORDS && l >= too_many) {
					ASSERT_EQ(EFW_TLS_MALFORMED, parse(work, l, &h))
						TH_LOG("%s plan %zu prefix %zu", c->file, p, l);
					continue;
				}
				ASSERT_EQ(EFW_TLS_NEED_MORE, parse(work, l, &h))
					TH_LOG("%s plan %zu prefix %zu", c->file, p, l);
				ASSERT_LT(l, h.need);
				ASSERT_GE(len, h.need);
			}
		}
	}
}

TEST_HARNESS_MAIN
