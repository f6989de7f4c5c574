// SPDX-License-Identifier: GPL-2.0
/*
 * The DNS answer parser (kmod/dns_answer.c) on real dnsmasq responses from
 * tests/data/dns (expected values in its MANIFEST, written from the zone
 * dnsmasq was given, see tests/data/capture-dns): each capture whole, every
 * prefix of every capture, and a fixed-seed mutation loop. Messages built
 * here are in test_dns_built.c (well-formed) and test_dns_hostile.c.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "dns_expect.h"
#include "dns_result.h"

#define DATA "tests/data/dns/"

static u8 *load(const char *file, size_t *len)
{
	char path[256];
	u8 *buf = NULL;
	FILE *f;
	long n;

	snprintf(path, sizeof(path), DATA "%s", file);
	f = fopen(path, "rb");
	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 &&
	    fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc(n);
		if (buf && fread(buf, 1, n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		*len = n;
	}
	fclose(f);
	return buf;
}

static bool is_tcp(const char *file)
{
	size_t n = strlen(file);

	return n > 4 && !strcmp(file + n - 4, ".tcp");
}

static bool is_capture(const char *file)
{
	size_t n = strlen(file);

	return is_tcp(file) || (n > 4 && !strcmp(file + n - 4, ".bin"));
}

struct manifest_line {
	char file[64];
	unsigned int id, qtype, rcode;
	char flags[8];
	u32 min_ttl;
	unsigned int n_addrs, dropped;
	char chain[1024];
	char addrs[2048];
};

static int read_manifest(struct manifest_line *lines, int max)
{
	char buf[4096];
	FILE *f = fopen(DATA "MANIFEST", "r");
	int n = 0;

	if (!f)
		return -1;
	while (n < max && fgets(buf, sizeof(buf), f)) {
		struct manifest_line *l = &lines[n];

		if (buf[0] == '#' || buf[0] == '\n')
			continue;
		if (sscanf(buf, "%63s %x %u %u %7s %u %u %u %1023s %2047s",
			   l->file, &l->id, &l->qtype, &l->rcode, l->flags,
			   &l->min_ttl, &l->n_addrs, &l->dropped, l->chain,
			   l->addrs) != 10) {
			n = -1;
			break;
		}
		n++;
	}
	fclose(f);
	return n;
}

#define MAX_LINES 64

TEST(captures_match_manifest)
{
	static struct manifest_line lines[MAX_LINES];
	static struct efw_dns_result r;
	int n = read_manifest(lines, MAX_LINES), i;

	ASSERT_GE(n, 16) TH_LOG("MANIFEST unreadable or short (%d)", n);
	for (i = 0; i < n; i++) {
		const struct manifest_line *l = &lines[i];
		enum efw_dns_status st;
		size_t len = 0, need = 0;
		u8 *buf = load(l->file, &len);

		ASSERT_NE(NULL, buf) TH_LOG("%s missing", l->file);
		if (is_tcp(l->file)) {
			st = efw_dns_parse_tcp(buf, len, &r, &need);
			EXPECT_EQ(len, need) TH_LOG("%s", l->file);
		} else {
			st = efw_dns_parse(buf, len, &r);
		}
		ASSERT_EQ(EFW_DNS_OK, st) TH_LOG("%s", l->file);
		ASSERT_TRUE(sane(&r, st)) TH_LOG("%s", l->file);
		EXPECT_EQ(l->id, r.id) TH_LOG("%s", l->file);
		EXPECT_EQ(l->qtype, r.qtype) TH_LOG("%s", l->file);
		EXPECT_EQ(l->rcode, r.rcode) TH_LOG("%s", l->file);
		EXPECT_EQ(!strcmp(l->flags, "tc") ? EFW_DNS_F_TRUNCATED : 0,
			  r.flags) TH_LOG("%s", l->file);
		EXPECT_EQ(l->min_ttl, r.min_ttl) TH_LOG("%s", l->file);
		EXPECT_EQ(l->n_addrs, r.n_addrs) TH_LOG("%s", l->file);
		EXPECT_EQ(l->dropped, r.addrs_dropped) TH_LOG("%s", l->file);
		expect_chain_addrs(_metadata, l->file, &r, l->chain, l->addrs);
		/* Nothing dropped: then every expected address came back. */
		if (!r.addrs_dropped && !(r.flags & EFW_DNS_F_TRUNCATED))
			EXPECT_EQ(count_list(l->addrs), r.n_addrs)
				TH_LOG("%s", l->file);
		free(buf);
	}
}

/* Every capture in the directory is described, so none goes unchecked. */
TEST(every_capture_in_manifest)
{
	static struct manifest_line lines[MAX_LINES];
	int n = read_manifest(lines, MAX_LINES), i, files = 0;
	struct dirent *e;
	DIR *d;

	ASSERT_GT(n, 0);
	d = opendir(DATA);
	ASSERT_NE(NULL, d);
	while ((e = readdir(d))) {
		bool found = false;

		if (!is_capture(e->d_name))
			continue;
		files++;
		for (i = 0; i < n; i++)
			found |= !strcmp(lines[i].file, e->d_name);
		EXPECT_TRUE(found) TH_LOG("%s not in MANIFEST", e->d_name);
	}
	closedir(d);
	EXPECT_EQ(n, files);
}

/* The captures do exercise compression: dnsmasq points back at names. */
TEST(captures_use_compression)
{
	static const char *const files[] = {
		"a.bin", "cname3-a.bin", "mixcase.bin", "many.tcp",
	};
	unsigned int i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		size_t len = 0;
		u8 *buf = load(files[i], &len);

		ASSERT_NE(NULL, buf);
		EXPECT_NE(NULL, memmem(buf, len, "\xc0\x0c", 2))
			TH_LOG("%s", files[i]);
		free(buf);
	}
}

/* cname3-a.bin: host.cdn.test's owner is a pointer into the CNAME RDATA. */
TEST(capture_pointer_into_rdata)
{
	static struct efw_dns_result r;
	size_t len = 0;
	u8 *buf = load("cname3-a.bin", &len);

	ASSERT_NE(NULL, buf);
	ASSERT_EQ(104, len);
	/* the last RR: 2-byte owner, 10 fixed, 4 RDATA */
	ASSERT_EQ(0xc0, buf[len - 16] & 0xc0);
	EXPECT_GT((size_t)(((buf[len - 16] & 0x3f) << 8) | buf[len - 15]),
		  (size_t)34);	/* beyond the question */
	ASSERT_EQ(EFW_DNS_OK, efw_dns_parse(buf, len, &r));
	EXPECT_STREQ("host.cdn.test", r.names[2]);
	free(buf);
}

/* Every strict prefix of every capture is refused, never misread. */
TEST(captures_truncated_everywhere)
{
	static struct efw_dns_result r;
	struct dirent *e;
	DIR *d = opendir(DATA);
	int files = 0;

	ASSERT_NE(NULL, d);
	while ((e = readdir(d))) {
		size_t len = 0, cut, need, mlen;
		const u8 *m;
		u8 *buf, *framed;

		if (!is_capture(e->d_name))
			continue;
		buf = load(e->d_name, &len);
		ASSERT_NE(NULL, buf);
		files++;
		m = is_tcp(e->d_name) ? buf + 2 : buf;
		mlen = is_tcp(e->d_name) ? len - 2 : len;
		for (cut = 0; cut < mlen; cut++) {
			u8 *copy = malloc(cut ? cut : 1);	/* ASan sees overreads */

			memcpy(copy, m, cut);
			ASSERT_EQ(EFW_DNS_MALFORMED, efw_dns_parse(copy, cut, &r))
				TH_LOG("%s cut at %zu", e->d_name, cut);
			ASSERT_TRUE(sane(&r, EFW_DNS_MALFORMED));
			free(copy);
		}
		/* The same message framed for TCP, fed a byte short each time. */
		framed = malloc(mlen + 2);
		framed[0] = mlen >> 8;
		framed[1] = mlen & 0xff;
		memcpy(framed + 2, m, mlen);
		for (cut = 0; cut < mlen + 2; cut++) {
			u8 *copy = malloc(cut ? cut : 1);

			memcpy(copy, framed, cut);
			need = 0;
			ASSERT_EQ(EFW_DNS_NEED_MORE,
				  efw_dns_parse_tcp(copy, cut, &r, &need))
				TH_LOG("%s cut at %zu", e->d_name, cut);
			EXPECT_EQ(cut < 2 ? 2 : mlen + 2, need);
			free(copy);
		}
		ASSERT_EQ(EFW_DNS_OK,
			  efw_dns_parse_tcp(framed, mlen + 2, &r, &need));
		EXPECT_EQ(mlen + 2, need);
		free(framed);
		free(buf);
	}
	closedir(d);
	EXPECT_GE(files, 16);
}

static u32 rnd_state = 0x2545f491;

static u32 rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

/* Fixed-seed mutations of every capture: no crash, invariants hold. */
TEST(captures_mutated)
{
	static struct efw_dns_result r;
	static const u8 interesting[] = { 0x00, 0x01, 0x3f, 0x40, 0x7f, 0x80,
					  0xc0, 0xc0, 0xff, 0x0c, 0x05, 0x1c };
	struct dirent *e;
	DIR *d = opendir(DATA);
	unsigned int runs = 0, ok = 0;

	ASSERT_NE(NULL, d);
	while ((e = readdir(d))) {
		size_t len = 0, need;
		u8 *buf;
		int it;

		if (!is_capture(e->d_name))
			continue;
		buf = load(e->d_name, &len);
		ASSERT_NE(NULL, buf);
		for (it = 0; it < 2000; it++) {
			size_t n = len, pos;
			u8 *copy = malloc(len + 1);
			unsigned int k, edits = 1 + rnd() % 6;
			enum efw_dns_status st;

			memcpy(copy, buf, len);
			for (k = 0; k < edits; k++) {
				pos = rnd() % len;
				switch (rnd() % 4) {
				case 0:
					copy[pos] = rnd();
					break;
				case 1:
					copy[pos] = interesting[rnd() % sizeof(interesting)];
					break;
				case 2:
					copy[pos] ^= 1u << (rnd() % 8);
					break;
				default:
					n = pos + 1;	/* truncate */
					break;
				}
			}
			if (is_tcp(e->d_name))
				st = efw_dns_parse_tcp(copy, n, &r, &need);
			else
				st = efw_dns_parse(copy, n, &r);
			ASSERT_TRUE(sane(&r, st))
				TH_LOG("%s iteration %d", e->d_name, it);
			ok += st == EFW_DNS_OK;
			runs++;
			free(copy);
		}
		free(buf);
	}
	closedir(d);
	EXPECT_GE(runs, 30000);
	/* The mutations are not all caught at the header: some still parse. */
	EXPECT_GT(ok, 100);
	TH_LOG("%u mutated messages, %u parsed", runs, ok);
}

TEST_HARNESS_MAIN
