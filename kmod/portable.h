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
#include <linux/sort.h>
#include <linux/random.h>

/* Matcher tables can be many MiB for 1M rules: kvmalloc falls back to vmalloc. */
#define efw_alloc(size) kvmalloc(size, GFP_KERNEL)
#define efw_zalloc(size) kvzalloc(size, GFP_KERNEL)
#define efw_free(ptr) kvfree(ptr)
#define efw_sort(base, num, size, cmp) sort(base, num, size, cmp, NULL)
#define efw_random_u32() get_random_u32()
#else
#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <string.h>
#include <stdlib.h>
#include <errno.h>
#include <sys/random.h>

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
