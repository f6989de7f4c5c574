# SPDX-License-Identifier: GPL-2.0
#
# Minimal KTAP reporting for shell test scripts, ending with the same
# "# Totals:" line as the kselftest harness so tests/run-all can tally.
# Source it, call the check functions, end with `ktap_finish`.

ktap_n=0
ktap_pass=0
ktap_fail=0
ktap_skip=0
echo "TAP version 13"

ktap_ok() {
	ktap_n=$((ktap_n + 1)) ktap_pass=$((ktap_pass + 1))
	echo "ok $ktap_n $*"
}

ktap_not_ok() {
	ktap_n=$((ktap_n + 1)) ktap_fail=$((ktap_fail + 1))
	echo "not ok $ktap_n $*"
}

ktap_skip() {
	ktap_n=$((ktap_n + 1)) ktap_skip=$((ktap_skip + 1))
	echo "ok $ktap_n $1 # SKIP ${2:-}"
}

# run_cmd CMD...: run and keep the exit status in $rc, output in $out.
run_cmd() {
	out=$("$@" 2>&1)
	rc=$?
}

# expect DESC STATUS PATTERN CMD...: CMD exits with STATUS and its output
# (stdout and stderr) matches the extended regex PATTERN ("" = anything).
expect() {
	local desc=$1 status=$2 pattern=$3
	shift 3
	run_cmd "$@"
	if [ "$rc" -ne "$status" ]; then
		echo "# $*: exit $rc, expected $status; output:"
		printf '%s\n' "$out" | sed 's/^/#   /'
		ktap_not_ok "$desc"
	elif [ -n "$pattern" ] && ! grep -Eq -- "$pattern" <<<"$out"; then
		echo "# $*: output does not match /$pattern/:"
		printf '%s\n' "$out" | sed 's/^/#   /'
		ktap_not_ok "$desc"
	else
		ktap_ok "$desc"
	fi
}

# check DESC CMD...: a test case that passes when CMD (a shell test) does.
# A suite that has more to show on a failure (a log) defines
# ktap_fail_context, which is called then.
check() {
	local desc=$1
	shift
	if "$@"; then
		ktap_ok "$desc"
	else
		echo "# failed: $*"
		if declare -F ktap_fail_context >/dev/null; then
			ktap_fail_context
		fi
		ktap_not_ok "$desc"
	fi
}

# expect_same DESC EXPECTED ACTUAL: the two strings are equal.
expect_same() {
	if [ "$2" = "$3" ]; then
		ktap_ok "$1"
	else
		echo "# expected '$2', got '$3'"
		ktap_not_ok "$1"
	fi
}

ktap_finish() {
	echo "1..$ktap_n"
	echo "# Totals: pass:$ktap_pass fail:$ktap_fail xfail:0 xpass:0 skip:$ktap_skip error:0"
	[ "$ktap_fail" -eq 0 ]
}
