#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 600
# vm-cost: 40
#
# Allocation failures (the debug kernel's fault injection; a kernel
# without it skips this): failslab and fail_page_alloc fail allocations
# whose call stack runs through egressfw (the stack filter is set to the
# module's address range), while rulesets of 10 and 100,000 rules are
# loaded and DNS answers and ClientHellos flow through a gateway.
#
#  - A load that meets a failure reports an error, and the ruleset in
#    force stays: same generation, same rules, an allowed name still
#    passes, a denied one is still reset. A load that does not, commits.
#  - Under injection on the packet path the verdict fails closed: a name
#    the list does not allow never gets a TLS session, whatever fails.
#  - Once injection stops, everything works again: a load, an allowed and
#    a denied name, an address learned from DNS.
# No leak (guest-run's kmemleak scan after the scenarios) and no warning
# (the kernel log check) may come of it.
. "$(dirname "$0")/lib.sh"
require_module
require_tools python3 openssl dnsmasq
[ -x "$EGRESSCTL" ] || skip_all "no egressctl at $EGRESSCTL"

dbg=/sys/kernel/debug
[ -d "$dbg/failslab" ] || mount -t debugfs debugfs "$dbg" 2>/dev/null
[ -d "$dbg/failslab" ] && [ -d "$dbg/fail_page_alloc" ] ||
	skip_all "no failslab/fail_page_alloc in this kernel (the debug kernel has them)"

peers=$EFW_REPO/tests/peers
ctl() { in_ns "$NS_FW" "$EGRESSCTL" "$@"; }
py_tls() {	# NAME: python's verdict on a TLS connection to NAME
	in_ns "$NS_CLIENT" python3 "$peers/tls_split_client.py" "$SERVER_IP4" 443 "$1"
}

# The module's core, where the stack filter looks for a return address.
read -r mod_base mod_size < <(awk '$1 == "egressfw" { print $6, $2 }' /proc/modules)
[ -n "$mod_base" ] || bail "egressfw is not in /proc/modules"
mod_end=$(printf '0x%x' $((mod_base + mod_size)))

# inject_setup: both injectors armed but idle (probability 0), for every
# allocation (sleeping ones too), only from egressfw's stacks, quietly
# (verbose 0: no stack dump per injected failure).
inject_setup() {
	local f
	for f in failslab fail_page_alloc; do
		echo 0 >"$dbg/$f/probability"
		echo N >"$dbg/$f/ignore-gfp-wait"
		echo 0 >"$dbg/$f/verbose"
		echo 1 >"$dbg/$f/interval"
		echo -1 >"$dbg/$f/times"
		echo 0 >"$dbg/$f/space"
		echo 32 >"$dbg/$f/stacktrace-depth"
		echo "$mod_base" >"$dbg/$f/require-start"
		echo "$mod_end" >"$dbg/$f/require-end"
	done
	echo N >"$dbg/fail_page_alloc/ignore-gfp-highmem"
	echo 0 >"$dbg/fail_page_alloc/min-order"
	on_cleanup inject_off
}

# inject PERCENT [TIMES] [SPACE]: fail PERCENT% of egressfw's allocations,
# at most TIMES of them (-1: no limit), once SPACE bytes were allocated.
inject() {
	local f
	for f in failslab fail_page_alloc; do
		echo "${2:--1}" >"$dbg/$f/times"
		echo "${3:-0}" >"$dbg/$f/space"
		echo "$1" >"$dbg/$f/probability"
	done
}

inject_off() {
	echo 0 >"$dbg/failslab/probability"
	echo 0 >"$dbg/fail_page_alloc/probability"
}

rules() {
	in_ns "$NS_FW" awk '$1 == "rules" { print $2 }' /proc/net/egressfw/stats
}

# load_under_injection DESC FILE NRULES PERCENT TIMES SPACE: a load either
# commits all of FILE or reports an error and changes nothing; either way
# the ruleset in force judges allowed.test and denied.test as before.
# Counts the failed loads in $failed_loads.
load_under_injection() {
	local desc=$1 file=$2 n=$3 gen0 rules0 gen1 rules1
	gen0=$(fw_stat generation)
	rules0=$(rules)
	inject "$4" "$5" "$6"
	run_cmd ctl load "$file"
	inject_off
	gen1=$(fw_stat generation)
	rules1=$(rules)
	if [ "$rc" -eq 0 ] && grep -q "loaded $n rules" <<<"$out" &&
	   [ "$gen1" -gt "$gen0" ] && [ "$rules1" = "$n" ]; then
		ktap_ok "$desc: loaded whole (generation $gen0 -> $gen1)"
	elif [ "$rc" -ne 0 ] && grep -qi 'memory\|error\|cannot' <<<"$out" &&
	     [ "$gen1" = "$gen0" ] && [ "$rules1" = "$rules0" ]; then
		failed_loads=$((failed_loads + 1))
		ktap_ok "$desc: refused with an error, ruleset $gen0 ($rules0 rules) kept"
	else
		printf '%s\n' "$out" | tail -n 5 | sed 's/^/#   /'
		echo "# exit $rc, generation $gen0 -> $gen1, rules $rules0 -> $rules1"
		ktap_not_ok "$desc: all or nothing"
	fi
}

setup_gateway
add_resolver "$NS_GW"
{
	echo "no-resolv"
	echo "no-hosts"
	for i in $(seq 0 19); do
		echo "host-record=h$i.apu.sophos.com,10.0.2.$((20 + i)),300"
	done
} >"$efw_tmp/dnsmasq.conf"
start_dnsmasq "$efw_tmp/dnsmasq.conf"
make_cert sni allowed.test denied.test || bail "cannot make a certificate"
serve_tls "$NS_SERVER" 443 sni
wait_for_port "$NS_SERVER" 443 || bail "tls server did not start"

printf 'allowed.test\n*.apu.sophos.com tcp/22\n' >"$efw_tmp/small.list"
python3 -c '
for i in range(100000):
    print("host%d.big.test" % i)
print("allowed.test")
print("*.apu.sophos.com tcp/22")
' >"$efw_tmp/big.list"
expect "load the small list" 0 'loaded 2 rules' ctl load "$efw_tmp/small.list"
inject_setup

# Small loads, a share of whose allocations fail.
failed_loads=0
for i in 1 2 3 4 5 6; do
	load_under_injection "small load $i at 30%" "$efw_tmp/small.list" 2 30 -1 0
done
# Large loads, each failing once at a different depth (after SPACE bytes:
# the transaction, the compile, the swap), or not at all.
for space in 0 4096 1000000 8000000 30000000 200000000; do
	load_under_injection "100k load failing once after $space bytes" \
		"$efw_tmp/big.list" 100002 100 1 "$space"
done
check "some loads met a failure ($failed_loads of 12)" [ "$failed_loads" -gt 0 ]
expect "the ruleset in force allows allowed.test" 0 '^allowed$' py_tls allowed.test
expect "the ruleset in force resets denied.test" 1 '^reset$' py_tls denied.test

# The packet path under injection: DNS answers learned (or not), hellos
# judged (or dropped); a denied name never gets its TLS session.
inject 25
leaks=0
for i in $(seq 0 7); do
	in_ns "$NS_CLIENT" python3 "$peers/dns_query.py" "$RESOLVER4" "h$i.apu.sophos.com" >/dev/null 2>&1
	run_cmd py_tls denied.test
	[ "$rc" -eq 0 ] && leaks=$((leaks + 1))
	run_cmd py_tls allowed.test
done
inject_off
expect_same "under injection, denied.test never got a TLS session" 0 "$leaks"

# Injection off: everything works again.
expect "after injection: the small list loads" 0 'loaded 2 rules' ctl load "$efw_tmp/small.list"
expect "after injection: allowed.test allowed" 0 '^allowed$' py_tls allowed.test
expect "after injection: denied.test reset" 1 '^reset$' py_tls denied.test
expect "after injection: an answer is learned" 0 '^10\.0\.2\.39$' \
	in_ns "$NS_CLIENT" python3 "$peers/dns_query.py" "$RESOLVER4" h19.apu.sophos.com
expect "after injection: the address is in the cache" 0 '10\.0\.2\.39 +h19\.apu\.sophos\.com' ctl cache
expect "after injection: the 100k list loads" 0 'loaded 100002 rules' ctl load "$efw_tmp/big.list"
expect "flush" 0 'pass-through' ctl flush
check_kernel_log "kernel log clean"
ktap_finish
