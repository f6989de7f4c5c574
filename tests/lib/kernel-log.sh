# SPDX-License-Identifier: GPL-2.0
#
# What a kernel says when something is wrong, for the checks of its log
# (tests/vm/run-vm after a VM run, tests/vm/scenarios/lib.sh's
# check_kernel_log within a scenario): warnings (lockdep, RCU and
# debug-objects reports are warnings too), BUGs (KASAN's, atomic sleeps),
# UBSAN, oopses, stalls, panics, and "[egressfw]", which is how the kernel
# names one of our functions in a message of its own (a deprecated API
# used, a lock held too long). kmemleak's reports are read from its own
# file instead (run-vm): its log lines are only notices.
efw_splat='WARNING:|BUG:|Oops|KASAN|UBSAN:|ODEBUG:|general protection|Call Trace|Kernel panic|INFO: rcu|INFO: task .* blocked|kernel BUG|\[egressfw\]'
