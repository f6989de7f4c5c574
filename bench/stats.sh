# SPDX-License-Identifier: GPL-2.0
# Sourced by the bench/vm-*.sh benchmarks: their statistics, and the
# module's hello timing (kmod/timing.h), written once.

# median: the median of the numbers on stdin, one per line.
median() {
	sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

# pct FILE P: the P-th percentile of FILE's numbers (nearest rank).
pct() {
	sort -n "$1" | awk -v p="$2" '{ v[NR] = $1 } END { i = int(NR * p / 100 + 0.999999); if (i < 1) i = 1; print v[i] }'
}

# hist_pct FILE P: the same from "LOW COUNT" histogram lines (counts of
# equal LOWs summed), as the LOW of the bucket that holds the P-th
# percentile: a bucket's floor, so below the true value by at most the
# bucket's width.
hist_pct() {
	awk '{ n[$1] += $2; t += $2 } END { for (k in n) print k, n[k], t }' "$1" | sort -n |
		awk -v p="$2" '{ c += $2; if (c >= $3 * p / 100) { print $1; exit } }'
}

# hist_count FILE: the number of samples in FILE's "LOW COUNT" lines.
hist_count() {
	awk '{ t += $2 } END { print t + 0 }' "$1"
}

# hello_timing_on: turn the module's time-per-hello histogram on (off
# again at cleanup) and set HELLO_HIST to its path; fails, with
# HELLO_HIST empty, if the module was built without it or there is no
# debugfs. hello_hist_clear empties it, hello_hist_lines prints its
# "LOW COUNT" lines (for hist_pct and hist_count); both do nothing
# while HELLO_HIST is empty.
hello_timing_on() {
	local timing=/sys/module/egressfw/parameters/timing

	HELLO_HIST=/sys/kernel/debug/egressfw/hello_ns
	mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug 2>/dev/null
	if ! [ -w "$timing" ] || ! [ -e "$HELLO_HIST" ]; then
		HELLO_HIST=
		return 1
	fi
	on_cleanup "echo 0 >$timing"
	echo 1 >"$timing"
}

hello_hist_clear() {
	[ -z "$HELLO_HIST" ] || echo >"$HELLO_HIST"
}

hello_hist_lines() {
	[ -z "$HELLO_HIST" ] || grep -v '^count' "$HELLO_HIST"
}
