/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few definitions the kernel-agnostic parts of egressfw (pattern
 * validator, matcher, ClientHello and DNS parsers) need, mapped onto the
 * kernel when built as part of egressfw.ko and onto libc when built into
 * egressctl, the unit tests, the fuzzers and the benchmarks.
 *
 * Those files include only this header, so the same .c file is compiled
 * in both worlds without #ifdefs of its own.
 */
#ifndef EGRESSFW_PORTABLE_H
#define EGRESSFW_PORTABLE_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/sort.h>
#include <linux/random.h>

/*
 * Big allocations made while loading a list: charged to the loader's
 * memory cgroup, and a failure (a size past what kvmalloc takes, over
 * INT_MAX) is an error returned, not a warning, which a kernel booted
 * with panic_on_warn would turn into a panic.
 */
#define EFW_GFP_BIG (GFP_KERNEL_ACCOUNT | __GFP_NOWARN)

/*
 * Matcher tables can be many MiB for 1M rules: kvmalloc falls back to
 * vmalloc. They are built in process context for the process that loads
 * the list, so its memory cgroup pays for them (EFW_GFP_BIG).
 */
#define efw_alloc(size) kvmalloc(size, EFW_GFP_BIG)
#define efw_zalloc(size) kvzalloc(size, EFW_GFP_BIG)
#define efw_free(ptr) kvfree(ptr)
#define efw_sort(base, num, size, cmp) sort(base, num, size, cmp, NULL)
#define efw_random_u32() get_random_u32()

/*
 * A big table read at random on the packet path (the matcher's node table,
 * 64 MiB at a million rules), zeroed, @size a multiple of EFW_HUGE_PAGE.
 * vmalloc_huge() maps it with 2 MiB pages where it can (and falls back to
 * small pages), so that its reads miss the TLB far less often; kvmalloc()
 * would vmalloc it with small pages. efw_free() frees it.
 */
#define EFW_HUGE_PAGE PMD_SIZE
#define efw_alloc_huge(size) vmalloc_huge(size, EFW_GFP_BIG | __GFP_ZERO)
#else
#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <string.h>
#include <stdlib.h>
#include <errno.h>
#include <sys/random.h>
#include <sys/mman.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int32_t s32;
typedef int64_t s64;

#define efw_alloc(size) malloc(size)
#define efw_zalloc(size) calloc(1, size)
#define efw_free(ptr) free(ptr)
#define efw_sort(base, num, size, cmp) qsort(base, num, size, cmp)

static inline u32 efw_random_u32(void)
{
	u32 v = 0x9e3779b9;

	/* A seed for hash tables: if getrandom() fails, a constant will do. */
	if (getrandom(&v, sizeof(v), 0) != sizeof(v))
		v = 0x9e3779b9;
	return v;
}

/* The same with transparent huge pages, which must be asked for. */
#define EFW_HUGE_PAGE (2UL << 20)
static inline void *efw_alloc_huge(size_t size)
{
	void *p = aligned_alloc(EFW_HUGE_PAGE, size);

	if (!p)
		return NULL;
	/* Only a hint: without huge pages the table works all the same. */
	madvise(p, size, MADV_HUGEPAGE);
	memset(p, 0, size);
	return p;
}
#endif

/* RFC 1035 limits, in presentation form without the trailing dot. */
#define EFW_NAME_MAX 253
#define EFW_LABEL_MAX 63

static inline u16 efw_get_be16(const u8 *p)
{
	return (u16)((p[0] << 8) | p[1]);
}

static inline u32 efw_get_be24(const u8 *p)
{
	return ((u32)p[0] << 16) | ((u32)p[1] << 8) | p[2];
}

static inline u32 efw_get_be32(const u8 *p)
{
	return ((u32)p[0] << 24) | ((u32)p[1] << 16) | ((u32)p[2] << 8) | p[3];
}

/* ASCII only: names on the wire and in lists are compared byte-wise. */
static inline char efw_lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c + ('a' - 'A')) : c;
}

#endif /* EGRESSFW_PORTABLE_H */
