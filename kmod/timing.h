/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The module's own time per ClientHello (timing.c), for benchmarks and
 * operators who want to see it: from the hook's entry to its verdict on
 * the packet that completes a ClientHello (reassembly, parse, match).
 * Off by default, and then one patched-out branch per packet (a static
 * key); on with the module parameter "timing":
 *
 *	echo 1 >/sys/module/egressfw/parameters/timing
 *	cat /sys/kernel/debug/egressfw/hello_ns      # a histogram
 *	echo >/sys/kernel/debug/egressfw/hello_ns    # empty it
 */
#ifndef EGRESSFW_TIMING_H
#define EGRESSFW_TIMING_H

#include <linux/jump_label.h>
#include <linux/types.h>

DECLARE_STATIC_KEY_FALSE(efw_timing_key);

static inline bool efw_timing_on(void)
{
	return static_branch_unlikely(&efw_timing_key);
}

/* Count one ClientHello's verdict that took @ns. Any context. */
void efw_timing_note(u64 ns);

void __init efw_timing_init(void);
void efw_timing_exit(void);

#endif /* EGRESSFW_TIMING_H */
