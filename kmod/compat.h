/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel-version differences, force-included by Kbuild into every file of
 * the module. The code is written against the newest kernel's API; this
 * header supplies that API on the older kernels we support (5.10 and
 * later), one shim per API, each naming the kernel version that changed
 * it.
 *
 * Whether a kernel has an API is asked of the compiler, not guessed from
 * the version number: kmod/compat/probes.mk compiles each section of
 * kmod/compat/probes.c against the target kernel and passes
 * -DEFW_HAVE_<NAME> for the ones that build. Distributions backport
 * (Debian's 5.10 has kvrealloc() and its 6.12 has system_dfl_wq), so a
 * version test would pick the wrong side.
 *
 * No shim changes what a user can observe, except where said below.
 */
#ifndef EGRESSFW_COMPAT_H
#define EGRESSFW_COMPAT_H

#include <linux/version.h>

/*
 * The oldest kernel we build and test on (README "Kernels"). This one is
 * a version test on purpose: it is a support statement, not a feature.
 * dkms.conf says the same to DKMS, which then refuses with a message of
 * its own before the compiler ever runs.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(5, 10, 0)
#error "egressfw supports Linux 5.10 and later"
#endif

/*
 * Every verdict lives in conntrack label bits: without labels the module
 * could judge nothing, and a firewall that loads and passes everything
 * is worse than one that does not build (dkms.conf says so to DKMS).
 */
#include <linux/kconfig.h>
#if !IS_ENABLED(CONFIG_NF_CONNTRACK) || !IS_ENABLED(CONFIG_NF_CONNTRACK_LABELS)
#error "egressfw needs a kernel with CONFIG_NF_CONNTRACK and CONFIG_NF_CONNTRACK_LABELS"
#endif

#include <linux/types.h>
#include <linux/string.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>

/*
 * kvrealloc(): mainline added it in 5.15 as (p, oldsize, newsize, gfp)
 * (5.10.y stable has it too); 6.12 dropped the old size, which it now
 * finds itself. efw_kvrealloc() takes both sizes and uses what the
 * kernel has, down to a plain copy.
 */
static inline void *efw_kvrealloc(void *p, size_t oldsize, size_t newsize,
				  gfp_t gfp)
{
#if defined(EFW_HAVE_KVREALLOC)
	return kvrealloc(p, newsize, gfp);
#elif defined(EFW_HAVE_KVREALLOC_OLDSIZE)
	return kvrealloc(p, oldsize, newsize, gfp);
#else
	void *n = kvmalloc(newsize, gfp);

	if (n && p)
		memcpy(n, p, min(oldsize, newsize));
	if (n)
		kvfree(p);
	return n;
#endif
}

/*
 * nla_strscpy(): 5.11 renamed nla_strlcpy() and made it return -E2BIG
 * when the string was cut. The shim returns what the new one would.
 */
#ifndef EFW_HAVE_NLA_STRSCPY
#include <net/netlink.h>
static inline ssize_t nla_strscpy(char *dst, const struct nlattr *nla,
				  size_t dstsize)
{
	size_t srclen = nla_strlcpy(dst, nla, dstsize);

	if (!dstsize)
		return -E2BIG;
	return srclen >= dstsize ? -E2BIG : (ssize_t)srclen;
}
#endif

/*
 * vmalloc_huge(): 5.18. Before it, big tables are mapped with small
 * pages: the same behaviour, only more TLB misses on a million rules.
 */
#ifndef EFW_HAVE_VMALLOC_HUGE
#define vmalloc_huge(size, gfp) __vmalloc(size, gfp)
#endif

/*
 * system_dfl_wq: 6.17 (and 6.12.y) named the unbound system queue, and
 * 7.2 warns about work queued on system_wq. Our sweeps need no
 * particular CPU; before the name existed, the unbound queue was
 * system_unbound_wq.
 */
#ifndef EFW_HAVE_SYSTEM_DFL_WQ
#define system_dfl_wq system_unbound_wq
#endif

/*
 * GENL_MCAST_CAP_NET_ADMIN (6.7, and the 6.1.y stable kernels): only a
 * holder of CAP_NET_ADMIN in the namespace may join the events group.
 * Before, any local user may (README "Threat model" says so): there is
 * no hook for a family to refuse a bind.
 */
#ifdef EFW_HAVE_GENL_MCAST_CAP
#define EFW_MCAST_ADMIN_ONLY GENL_MCAST_CAP_NET_ADMIN
#else
#define EFW_MCAST_ADMIN_ONLY 0
#endif

#endif /* EGRESSFW_COMPAT_H */
