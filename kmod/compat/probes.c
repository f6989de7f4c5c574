// SPDX-License-Identifier: GPL-2.0
/*
 * Feature probes: kmod/compat/probes.mk compiles this file once per
 * EFW_PROBE_<NAME> below, with the target kernel's own flags, and passes
 * -DEFW_HAVE_<NAME> to the module when the section compiles. compat.h
 * then bridges whatever the kernel lacks. Asking the compiler is more
 * reliable than a version number: distributions backport APIs (Debian's
 * 5.10 has kvrealloc(), which mainline added in 5.15).
 *
 * Each section names the API and the kernel version that changed it.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>
#include <net/netlink.h>
#include <net/genetlink.h>

#if defined(EFW_PROBE_SANITY)
/* Must always compile: if it does not, the probe command itself is broken. */
static __maybe_unused void *efw_probe(size_t n)
{
	return kmalloc(n, GFP_KERNEL);
}

#elif defined(EFW_PROBE_KVREALLOC)
/* kvrealloc(p, size, gfp): 6.12 dropped the old-size argument. */
static __maybe_unused void *efw_probe(void *p)
{
	return kvrealloc(p, 64, GFP_KERNEL);
}

#elif defined(EFW_PROBE_KVREALLOC_OLDSIZE)
/* kvrealloc(p, oldsize, newsize, gfp): 5.15 to 6.11 (and 5.10.y stable). */
static __maybe_unused void *efw_probe(void *p)
{
	return kvrealloc(p, 32, 64, GFP_KERNEL);
}

#elif defined(EFW_PROBE_NLA_STRSCPY)
/* nla_strscpy(): 5.11 renamed nla_strlcpy() and made it return -E2BIG. */
static __maybe_unused ssize_t efw_probe(char *dst, const struct nlattr *nla)
{
	return nla_strscpy(dst, nla, 16);
}

#elif defined(EFW_PROBE_VMALLOC_HUGE)
/* vmalloc_huge(): 5.18; huge-page backed vmalloc on request. */
static __maybe_unused void *efw_probe(unsigned long size)
{
	return vmalloc_huge(size, GFP_KERNEL);
}

#elif defined(EFW_PROBE_SYSTEM_DFL_WQ)
/* system_dfl_wq: 6.18 named the unbound queue and deprecated system_wq. */
static __maybe_unused struct workqueue_struct *efw_probe(void)
{
	return system_dfl_wq;
}

#elif defined(EFW_PROBE_GENL_MCAST_CAP)
/*
 * GENL_MCAST_CAP_NET_ADMIN: 6.7 (and the 6.1.y stable kernels): joining
 * the multicast group needs CAP_NET_ADMIN in the namespace.
 */
static const struct genl_multicast_group efw_probe __maybe_unused = {
	.name = "probe", .flags = GENL_MCAST_CAP_NET_ADMIN,
};

#else
#error "probes.c: no EFW_PROBE_<NAME> given"
#endif
