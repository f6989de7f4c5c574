// SPDX-License-Identifier: GPL-2.0
/*
 * Matcher scale benchmark: the compiled matcher (kmod/match*.c) against a
 * naive linear scan (what xt_tls does: glob-match every rule's pattern
 * against the name, first match wins) on generated rule sets of 1k, 100k
 * and 1M rules.
 *
 * Rules: ~70% exact names, ~20% wildcards, ~10% globs shaped like the S3
 * presigned-URL buckets of real allowlists, ~1% CIDRs; names of 2..5 labels
 * from a word vocabulary under ~50 public suffixes. Queries: half are names
 * the rules match (exact names, instances of wildcards and globs), half
 * names under the same suffixes built from words no rule uses. Queries are
 * drawn at random from a pool of 200k names, each batch copied to a hot
 * buffer before the clock starts (a packet's SNI was just parsed); at 1M
 * rules the matcher's tables are far bigger than the caches, so the numbers
 * include the memory misses a busy gateway would see.
 *
 * Per size it prints build time, matcher bytes per rule, median and p99
 * ns/lookup (per-batch averages of BATCH lookups, clock overhead
 * subtracted), the naive scan's median, and their ratio.
 *
 * Then, per size, the memory floor the lookups are up against, measured in
 * the same run: the latency of one random read over a buffer as big as the
 * matcher's table (efw_matcher_memory(): every byte the build keeps), and
 * the lookup median divided by it, "lookup/chase" in reads. The read is a
 * pointer chase: the buffer cut into CHASE_SLOT-byte (cache-line) slots,
 * each holding the address of the next along one random cycle through all
 * of them (Sattolo's algorithm), so every load depends on the one before
 * and goes to a line no prefetcher can guess; CHASE_READS of them are
 * timed and divided, median of CHASE_ROUNDS rounds. A lookup that needs k
 * dependent cache misses cannot take less than k reads, so the ratio is
 * how far the matcher is from what this machine's memory allows: near 1,
 * there is little left to win; well above, the time goes to compute or to
 * more dependent misses than needed. It can be below 1: the matcher
 * prefetches all of a name's probes before reading any (their misses
 * overlap), a batch's lookups are independent so the CPU overlaps them
 * too, and hot parts of the table stay cached. The buffer is at least
 * CHASE_MIN (64 KiB) even for a smaller table: above the L1d of current
 * cores (32-48 KiB), so the unit is a real cache miss rather than a
 * few-cycle L1 hit, and 1024 slots keep the cycle long and random. It gets
 * huge pages when the matcher's table does (from 16 MiB, the threshold of
 * efw_match_alloc_table()), so both pay the same TLB misses. Near the
 * size of the last-level cache the floor jumps from a cache hit to a DRAM
 * read, and which side a buffer lands on can change from run to run (page
 * placement, neighbours): read a ratio against the chase of its own run.
 *
 * Last, one machine-readable line "bench match size=... " per size.
 *
 * usage: match [--sizes 1000,100000,1000000] [--seed N] [--quick]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "match.h"

#define BATCH 16
#define POOL 200000		/* distinct queries per size */
#define VOCAB 40000		/* words for rules; as many more for misses */
#define CHASE_SLOT 64		/* a cache line: one slot, one miss */
#define CHASE_MIN (64 << 10)	/* smallest chase buffer (see above) */
#define CHASE_HUGE (8 * EFW_HUGE_PAGE)	/* as efw_match_alloc_table() */
#define CHASE_READS (1U << 20)	/* dependent reads per round */
#define CHASE_ROUNDS 7

static u64 rng = 0x9e3779b97f4a7c15ULL;

static u32 rnd(u32 n)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (u32)(((rng * 0x2545f4914f6cdd1dULL) >> 32) % n);
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static const char *const suffixes[] = {
	"com", "net", "org", "io", "de", "fr", "nl", "uk", "co.uk", "com.au",
	"co.jp", "ch", "se", "it", "es", "pl", "ca", "us", "info", "biz",
	"cloud", "app", "dev", "ai", "eu", "in", "br", "com.br", "ru", "cn",
	"sophos.com", "sophosxl.net", "microsoft.com", "windows.net",
	"azure.com", "office365.com", "googleapis.com", "gstatic.com",
	"cloudfront.net", "akamaiedge.net", "fastly.net", "github.com",
	"githubusercontent.com", "amazonaws.com", "s3.amazonaws.com",
	"ubuntu.com", "debian.org", "apple.com", "icloud.com", "cisco.com",
};
#define NSUF (sizeof(suffixes) / sizeof(suffixes[0]))

static const char *const regions[] = {
	"us-east-1", "us-east-2", "us-west-1", "us-west-2", "eu-west-1",
	"eu-west-2", "eu-west-3", "eu-central-1", "eu-north-1", "ap-south-1",
	"ap-northeast-1", "ap-northeast-2", "ap-southeast-1", "ap-southeast-2",
	"ca-central-1", "sa-east-1", "me-south-1", "af-south-1",
};
#define NREG (sizeof(regions) / sizeof(regions[0]))

/* Pronounceable words; words[VOCAB..2*VOCAB) are never used by rules. */
static char words[2 * VOCAB][16];

static void make_words(void)
{
	static const char c[] = "bcdfghklmnprstvwxz", v[] = "aeiou";

	for (int i = 0; i < 2 * VOCAB; i++) {
		char *w = words[i];
		int syl = 1 + rnd(4), o = 0;

		for (int s = 0; s < syl; s++) {
			w[o++] = c[rnd(sizeof(c) - 1)];
			w[o++] = v[rnd(sizeof(v) - 1)];
			if (rnd(3) == 0)
				w[o++] = c[rnd(sizeof(c) - 1)];
		}
		if (rnd(5) == 0)
			o += sprintf(w + o, "%u", rnd(100));
		w[o] = '\0';
	}
}

static const char *word(bool miss)
{
	return words[rnd(VOCAB) + (miss ? VOCAB : 0)];
}

/* 1..3 words and a suffix: 2..5 labels. */
static void make_name(char *out, bool miss)
{
	int k = rnd(10), nw = k < 2 ? 1 : k < 7 ? 2 : 3;
	int o = 0;

	for (int i = 0; i < nw; i++)
		o += sprintf(out + o, "%s.", word(miss));
	strcpy(out + o, suffixes[rnd(NSUF)]);
}

struct ruleset {
	struct efw_pattern *pats;
	struct efw_rule_spec *specs;
	u32 n;
};

static const struct efw_port_range p443[] = { { EFW_PROTO_TCP, 443, 443 } };
static const struct efw_port_range p443q[] = {
	{ EFW_PROTO_TCP, 443, 443 }, { EFW_PROTO_UDP, 443, 443 },
};
static const struct efw_port_range p22[] = { { EFW_PROTO_TCP, 22, 22 } };
static const struct efw_port_range pweb[] = { { EFW_PROTO_TCP, 80, 80 },
					      { EFW_PROTO_TCP, 443, 443 } };

static void set_name(struct efw_pattern *p, int kind, const char *s)
{
	p->kind = kind;
	p->name_len = strlen(s);
	memcpy(p->name, s, p->name_len + 1);
}

static void make_rule(struct efw_pattern *p, struct efw_rule_spec *sp)
{
	char buf[256];
	int k = rnd(1000);

	memset(p, 0, sizeof(*p));
	if (k < 10) {
		/* CIDRs: 2/3 IPv4, 1/3 IPv6, host bits clear. */
		if (rnd(3)) {
			u32 len = 16 + rnd(17), a = (u32)rnd(1U << 31) << 1;

			a &= len ? ~0U << (32 - len) : 0;
			p->kind = EFW_KIND_CIDR4;
			p->prefix_len = len;
			p->addr[0] = a >> 24;
			p->addr[1] = a >> 16;
			p->addr[2] = a >> 8;
			p->addr[3] = a;
		} else {
			p->kind = EFW_KIND_CIDR6;
			p->prefix_len = 32 + 16 * rnd(3);
			p->addr[0] = 0x20;
			p->addr[1] = 0x01;
			for (int i = 2; i < p->prefix_len / 8; i++)
				p->addr[i] = rnd(256);
		}
	} else if (k < 700) {
		make_name(buf, false);
		set_name(p, EFW_KIND_EXACT, buf);
	} else if (k < 900) {
		buf[0] = '*';
		buf[1] = '.';
		make_name(buf + 2, false);
		set_name(p, EFW_KIND_WILDCARD, buf);
	} else {
		switch (rnd(3)) {
		case 0:
			snprintf(buf, sizeof(buf),
				 "tf-presigned-url-%s-%s-*-bucket.s3.%s.amazonaws.com",
				 word(false), regions[rnd(NREG)], regions[rnd(NREG)]);
			break;
		case 1:
			snprintf(buf, sizeof(buf), "%s-*.%s.%s", word(false),
				 word(false), suffixes[rnd(NSUF)]);
			break;
		default:
			snprintf(buf, sizeof(buf), "%s*-%s.%s", word(false),
				 word(false), suffixes[rnd(NSUF)]);
			break;
		}
		set_name(p, EFW_KIND_GLOB, buf);
	}
	sp->pattern = p;
	k = rnd(100);
	if (k < 85) {
		sp->ports = p443;
		sp->n_ports = 1;
	} else if (k < 90) {
		sp->ports = p443q;
		sp->n_ports = 2;
	} else if (k < 95) {
		sp->ports = p22;
		sp->n_ports = 1;
	} else {
		sp->ports = pweb;
		sp->n_ports = 2;
	}
}

/* A name this rule matches. */
static void instance(const struct efw_pattern *p, char *out)
{
	int o = 0;

	if (p->kind == EFW_KIND_WILDCARD) {
		sprintf(out, "%s%s", word(true), p->name + 1);
		return;
	}
	for (const char *s = p->name; *s; s++) {
		if (*s != '*') {
			out[o++] = *s;
			continue;
		}
		for (int j = rnd(9); j > 0; j--)
			out[o++] = "abcdefghijklmnopqrstuvwxyz0123456789"[rnd(36)];
	}
	out[o] = '\0';
}

/* The naive scan: xt_tls-style glob over every rule, first match wins. */
static bool naive_glob(const char *p, const char *s)
{
	const char *star = NULL, *mark = NULL;

	while (*s) {
		if (*p == '*') {
			star = ++p;
			mark = s;
		} else if (*p == *s) {
			p++;
			s++;
		} else if (star) {
			p = star;
			s = ++mark;
		} else {
			return false;
		}
	}
	while (*p == '*')
		p++;
	return !*p;
}

static s32 naive_match(const struct ruleset *rs, const char *name, u8 proto,
		       u16 port)
{
	char low[256];
	size_t i, len = strlen(name);

	if (len > 253)
		return -1;
	for (i = 0; i <= len; i++)
		low[i] = efw_lower(name[i]);
	for (i = 0; i < rs->n; i++) {
		const struct efw_rule_spec *sp = &rs->specs[i];

		if (sp->pattern->kind > EFW_KIND_GLOB)
			continue;
		if (naive_glob(sp->pattern->name, low) &&
		    efw_ports_cover(sp->ports, sp->n_ports, proto, port))
			return i;
	}
	return -1;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Median clock_gettime() pair cost, subtracted from every batch. */
static double clock_overhead(void)
{
	double s[1001];

	for (int i = 0; i < 1001; i++) {
		double t0 = now_ns();

		s[i] = now_ns() - t0;
	}
	qsort(s, 1001, sizeof(s[0]), cmp_double);
	return s[500];
}

struct result {
	u32 n;
	double build_ms, bytes_per_rule, med, p99, naive_med, naive_p99;
	u32 naive_queries;
	double hit_rate;
	size_t table_bytes, chase_bytes;
	double chase_ns;
};

static volatile s32 sink;
static void *volatile chase_sink;

/*
 * The chase has its own generator, so that a --seed still gives the same
 * rules and queries as before it existed.
 */
static u64 chase_rng = 0xd1b54a32d192ed03ULL;

static size_t chase_rnd(size_t n)
{
	chase_rng ^= chase_rng >> 12;
	chase_rng ^= chase_rng << 25;
	chase_rng ^= chase_rng >> 27;
	return (size_t)((chase_rng * 0x2545f4914f6cdd1dULL) % n);
}

/*
 * Nanoseconds per read of a pointer chase over at least @bytes (the buffer
 * used goes to *@used): median of CHASE_ROUNDS rounds of @reads dependent
 * loads, after one untimed round.
 */
static double chase(size_t bytes, u32 reads, size_t *used)
{
	size_t n, i;
	char *buf;
	double s[CHASE_ROUNDS];

	if (bytes < CHASE_MIN)
		bytes = CHASE_MIN;
	if (bytes >= CHASE_HUGE) {
		bytes = (bytes + EFW_HUGE_PAGE - 1) & ~(EFW_HUGE_PAGE - 1);
		buf = efw_alloc_huge(bytes);
	} else {
		bytes = (bytes + CHASE_SLOT - 1) & ~(size_t)(CHASE_SLOT - 1);
		buf = aligned_alloc(CHASE_SLOT, bytes);
	}
	if (!buf) {
		fprintf(stderr, "out of memory\n");
		exit(1);
	}
	*used = bytes;
	n = bytes / CHASE_SLOT;

	/*
	 * Sattolo's algorithm, in place: start from every slot pointing to
	 * itself and swap slot i's pointer with that of a random j < i
	 * (never j == i). The result is one cycle through all n slots, so
	 * the chase visits the whole buffer, in an order with no stride.
	 */
	for (i = 0; i < n; i++)
		*(void **)(buf + i * CHASE_SLOT) = buf + i * CHASE_SLOT;
	for (i = n - 1; i > 0; i--) {
		void **a = (void **)(buf + i * CHASE_SLOT);
		void **b = (void **)(buf + chase_rnd(i) * CHASE_SLOT);
		void *t = *a;

		*a = *b;
		*b = t;
	}

	for (int r = -1; r < CHASE_ROUNDS; r++) {
		void *p = buf;
		double t = now_ns();

		/* Each load's address is the previous load's value. */
		for (u32 k = 0; k < reads; k++)
			p = *(void **)p;
		t = now_ns() - t;
		chase_sink = p;
		if (r >= 0)
			s[r] = t / reads;
	}
	free(buf);
	qsort(s, CHASE_ROUNDS, sizeof(s[0]), cmp_double);
	return s[CHASE_ROUNDS / 2];
}

static void run(u32 n, struct result *res, bool quick)
{
	struct ruleset rs;
	struct efw_matcher *m;
	char *pool_text, tmp[256];
	u32 *pool_off;
	size_t pool_used = 0;
	u32 *order, i, nname = 0, *name_rules, nbatch, hits = 0;
	double t0, ovh, *samples;
	int err = 0;

	rs.n = n;
	rs.pats = calloc(n, sizeof(*rs.pats));
	rs.specs = calloc(n, sizeof(*rs.specs));
	name_rules = calloc(n, sizeof(*name_rules));
	pool_text = malloc(POOL * 256);
	pool_off = malloc((POOL + 1) * sizeof(*pool_off));
	if (!rs.pats || !rs.specs || !name_rules || !pool_text || !pool_off) {
		fprintf(stderr, "out of memory\n");
		exit(1);
	}
	for (i = 0; i < n; i++) {
		make_rule(&rs.pats[i], &rs.specs[i]);
		if (rs.pats[i].kind <= EFW_KIND_GLOB)
			name_rules[nname++] = i;
	}

	t0 = now_ns();
	m = efw_matcher_build(rs.specs, n, &err);
	res->build_ms = (now_ns() - t0) / 1e6;
	if (!m) {
		fprintf(stderr, "build of %u rules failed: %d\n", n, err);
		exit(1);
	}
	res->n = n;
	res->bytes_per_rule = (double)efw_matcher_memory(m) / n;

	/* Half instances of rules, half names no rule should match. */
	/* Packed back to back, so the pool itself does not flush the cache. */
	for (i = 0; i < POOL; i++) {
		if (i & 1)
			instance(&rs.pats[name_rules[rnd(nname)]], tmp);
		else
			make_name(tmp, true);
		pool_off[i] = pool_used;
		memcpy(pool_text + pool_used, tmp, strlen(tmp) + 1);
		pool_used += strlen(tmp) + 1;
	}
	pool_off[POOL] = pool_used;
#define QN(i) (pool_text + pool_off[i])
#define QL(i) (pool_off[(i) + 1] - pool_off[i] - 1)

	/* Matcher: the whole pool, in random order, several times over. */
	nbatch = (quick ? 1 : 4) * POOL / BATCH;
	order = malloc(nbatch * BATCH * sizeof(*order));
	samples = malloc(nbatch * sizeof(*samples));
	for (i = 0; i < nbatch * BATCH; i++)
		order[i] = rnd(POOL);
	for (i = 0; i < POOL; i++)	/* warm up page tables, branch predictors */
		sink = efw_match_name(m, QN(i), QL(i), EFW_PROTO_TCP, 443);
	ovh = clock_overhead();
	for (i = 0; i < nbatch; i++) {
		static char hot[BATCH][256];
		size_t len[BATCH];
		double t;

		/*
		 * A packet's SNI was just parsed and is in the cache: copy
		 * the batch's names out of the (big, cold) pool first, so the
		 * clock only sees the matcher's own memory traffic.
		 */
		for (int j = 0; j < BATCH; j++) {
			len[j] = QL(order[i * BATCH + j]);
			memcpy(hot[j], QN(order[i * BATCH + j]), len[j]);
		}
		t = now_ns();
		for (int j = 0; j < BATCH; j++)
			sink = efw_match_name(m, hot[j], len[j], EFW_PROTO_TCP,
					      443);
		samples[i] = (now_ns() - t - ovh) / BATCH;
	}
	qsort(samples, nbatch, sizeof(*samples), cmp_double);
	res->med = samples[nbatch / 2];
	res->p99 = samples[(u32)(nbatch * 0.99)];
	for (i = 0; i < POOL; i++)
		hits += efw_match_name(m, QN(i), QL(i), EFW_PROTO_TCP, 443) >= 0;
	res->hit_rate = (double)hits / POOL;

	/* The floor: one random read over as many bytes as the table. */
	res->table_bytes = efw_matcher_memory(m);
	res->chase_ns = chase(res->table_bytes,
			      quick ? CHASE_READS / 4 : CHASE_READS,
			      &res->chase_bytes);

	/* Naive: enough queries for about a second, checked against m. */
	res->naive_queries = (u32)(2e8 / n);
	if (quick)
		res->naive_queries /= 4;
	if (res->naive_queries < 20)
		res->naive_queries = 20;
	if (res->naive_queries > 20000)
		res->naive_queries = 20000;
	free(samples);
	samples = malloc(res->naive_queries * sizeof(*samples));
	for (i = 0; i < res->naive_queries; i++) {
		const char *q = QN(rnd(POOL));
		s32 a, b;
		double t;

		t = now_ns();
		a = naive_match(&rs, q, EFW_PROTO_TCP, 443);
		samples[i] = now_ns() - t - ovh;
		/*
		 * The naive glob lets '*' cross dots, so it may only match
		 * more, never less: a sanity check of both.
		 */
		b = efw_match_name(m, q, strlen(q), EFW_PROTO_TCP, 443);
		if (b >= 0 && (a < 0 || a > b)) {
			fprintf(stderr, "mismatch on %s: naive %d matcher %d\n",
				q, a, b);
			exit(1);
		}
	}
	qsort(samples, res->naive_queries, sizeof(*samples), cmp_double);
	res->naive_med = samples[res->naive_queries / 2];
	res->naive_p99 = samples[(u32)(res->naive_queries * 0.99)];

	free(samples);
	free(order);
	efw_matcher_free(m);
	free(pool_off);
	free(pool_text);
	free(name_rules);
	free(rs.specs);
	free(rs.pats);
}

int main(int argc, char **argv)
{
	u32 sizes[16] = { 1000, 100000, 1000000 }, nsizes = 3;
	struct result res[16];
	bool quick = false;
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--sizes") && i + 1 < argc) {
			char *s = argv[++i], *end;

			for (nsizes = 0; *s && nsizes < 16; s = end) {
				sizes[nsizes] = strtoul(s, &end, 10);
				if (end == s || !sizes[nsizes] ||
				    sizes[nsizes] > EFW_MATCH_MAX_RULES) {
					fprintf(stderr, "bad --sizes\n");
					return 2;
				}
				nsizes++;
				if (*end == ',')
					end++;
			}
		} else if (!strcmp(argv[i], "--seed") && i + 1 < argc) {
			rng = strtoull(argv[++i], NULL, 0) | 1;
		} else if (!strcmp(argv[i], "--quick")) {
			quick = true;
		} else {
			fprintf(stderr,
				"usage: %s [--sizes N,N,...] [--seed N] [--quick]\n",
				argv[0]);
			return 2;
		}
	}

	make_words();
	printf("matcher benchmark: name lookups, tcp/443, %d-lookup batches, "
	       "~50%% matching queries\n\n", BATCH);
	printf("%9s %10s %10s %9s %9s %11s %11s %9s %7s\n", "rules",
	       "build ms", "bytes/rule", "med ns", "p99 ns", "naive med",
	       "naive p99", "ratio", "hits");
	for (i = 0; i < (int)nsizes; i++) {
		struct result *r = &res[i];

		run(sizes[i], r, quick);
		printf("%9u %10.1f %10.1f %9.1f %9.1f %11.0f %11.0f %8.0fx %6.1f%%\n",
		       r->n, r->build_ms, r->bytes_per_rule, r->med, r->p99,
		       r->naive_med, r->naive_p99, r->naive_med / r->med,
		       100 * r->hit_rate);
		fflush(stdout);
	}
	printf("\nmemory floor: one random read (pointer chase, %d-byte slots in "
	       "one random cycle)\nover a buffer the size of the matcher's "
	       "table, at least %d KiB; lookup/chase = med ns in reads\n\n",
	       CHASE_SLOT, CHASE_MIN >> 10);
	printf("%9s %12s %12s %9s %9s %14s\n", "rules", "table bytes",
	       "chase bytes", "chase ns", "med ns", "lookup/chase");
	for (i = 0; i < (int)nsizes; i++) {
		struct result *r = &res[i];

		printf("%9u %12zu %12zu %9.1f %9.1f %8.1f reads\n", r->n,
		       r->table_bytes, r->chase_bytes, r->chase_ns, r->med,
		       r->med / r->chase_ns);
	}
	printf("\n");
	for (i = 0; i < (int)nsizes; i++) {
		struct result *r = &res[i];

		printf("bench match size=%u build_ms=%.1f bytes_per_rule=%.1f "
		       "median_ns=%.1f p99_ns=%.1f naive_median_ns=%.0f "
		       "naive_p99_ns=%.0f naive_queries=%u ratio=%.0f "
		       "table_bytes=%zu chase_bytes=%zu chase_ns=%.1f "
		       "lookup_reads=%.2f\n",
		       r->n, r->build_ms, r->bytes_per_rule, r->med, r->p99,
		       r->naive_med, r->naive_p99, r->naive_queries,
		       r->naive_med / r->med, r->table_bytes, r->chase_bytes,
		       r->chase_ns, r->med / r->chase_ns);
	}
	return 0;
}
