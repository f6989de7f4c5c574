#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 1200
#
# Per-connection cost, run in the test VM by `make bench-vm` (not a test:
# it reports numbers, and fails only if something does not work).
#
# A client opens TLS connections through the gateway, one after another,
# each timed from connect() to the first byte of the server's answer to
# a GET; arms side by side, interleaved per batch so drift hits all
# alike, conntrack on in every arm: no ruleset, 10 rules, 100,000 rules.
# The added latency of an arm is its median (and p99) minus the no-ruleset
# arm's. And the module's own time per ClientHello, from the hook's entry
# to its verdict on the packet that completes the hello (reassembly,
# parse, match), as the module measures it with its "timing" parameter
# (kmod/timing.h), median and p99 from its histogram (bucket lower
# bounds, so within 19% below).
#
# Under QEMU/TCG every instruction is emulated: the absolute numbers are
# many times a real machine's; the module's time against the whole
# connection's, and one arm against another, are what carry over.
. "$(dirname "$0")/../tests/vm/scenarios/lib.sh"
. "$(dirname "$0")/stats.sh"
require_module
require_tools python3 openssl nft
[ -x "$EGRESSCTL" ] || skip_all "no egressctl at $EGRESSCTL"
ROUNDS=${EFW_BENCH_ROUNDS:-5}
PER_BATCH=${EFW_BENCH_CONNECTIONS:-40}
hello_timing_on || bail "no debugfs, or this module has no timing parameter"

make_cert hello allowed.test || bail "cannot make a certificate"
setup_gateway
serve_tls "$NS_SERVER" 443 hello
wait_for_port "$NS_SERVER" 443 || bail "tls server did not start"
modprobe -a nf_tables nft_ct 2>/dev/null
in_ns "$NS_GW" nft -f - <<'EOF' || bail "cannot add the conntrack table"
table inet efwbench {
	chain pass {
		type filter hook forward priority 0; policy accept;
		ct state established,related counter accept
	}
}
EOF

list_of() {	# N: a list of N rules, allowed.test among them
	echo allowed.test
	python3 -c '
import sys
for i in range(int(sys.argv[1]) - 1):
    print(("*.zone%d.bench.test" if i % 5 == 0 else "host%d.bench.test") % i)
' "$1"
}
list_of 10 >"$efw_tmp/10.list"
list_of 100000 >"$efw_tmp/100000.list"

arm() {	# none|10|100000
	if [ "$1" = none ]; then
		in_ns "$NS_GW" "$EGRESSCTL" flush >/dev/null
	else
		in_ns "$NS_GW" "$EGRESSCTL" load "$efw_tmp/$1.list" >/dev/null
	fi
}

# batch: PER_BATCH connections, one per line: microseconds from connect()
# to the first byte of the answer.
batch() {
	in_ns "$NS_CLIENT" python3 -c '
import socket, ssl, sys, time
ctx = ssl.create_default_context(); ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
for _ in range(int(sys.argv[2])):
    t0 = time.perf_counter()
    with socket.create_connection((sys.argv[1], 443)) as s:
        with ctx.wrap_socket(s, server_hostname="allowed.test") as t:
            t.sendall(b"GET / HTTP/1.0\r\n\r\n")
            if not t.recv(1):
                sys.exit("no answer")
    print(int((time.perf_counter() - t0) * 1e6))
' "$SERVER_IP4" "$PER_BATCH"
}

for a in none 10 100000; do
	: >"$efw_tmp/lat.$a"
	: >"$efw_tmp/hist.$a"
done
for ((r = 1; r <= ROUNDS; r++)); do
	for a in none 10 100000; do
		arm "$a" || bail "cannot switch to the $a arm"
		hello_hist_clear
		batch >>"$efw_tmp/lat.$a" || bail "connections failed ($a)"
		hello_hist_lines >>"$efw_tmp/hist.$a"
	done
done
arm none

n_conn=$((ROUNDS * PER_BATCH))
base50=$(pct "$efw_tmp/lat.none" 50)
base99=$(pct "$efw_tmp/lat.none" 99)
echo "# $ROUNDS rounds x $PER_BATCH connections per arm, interleaved; microseconds"
printf '# %-14s %10s %10s %12s %12s %14s %14s %8s\n' arm median p99 'added med' 'added p99' 'module med ns' 'module p99 ns' hellos
for a in none 10 100000; do
	m50=$(pct "$efw_tmp/lat.$a" 50)
	m99=$(pct "$efw_tmp/lat.$a" 99)
	hellos=$(hist_count "$efw_tmp/hist.$a")
	if [ "$a" = none ]; then
		h50=- h99=-
	else
		h50=$(hist_pct "$efw_tmp/hist.$a" 50)
		h99=$(hist_pct "$efw_tmp/hist.$a" 99)
	fi
	printf '# %-14s %10s %10s %12s %12s %14s %14s %8s\n' "$([ "$a" = none ] && echo 'no ruleset' || echo "$a rules")" \
		"$m50" "$m99" "$((m50 - base50))" "$((m99 - base99))" "${h50:--}" "${h99:--}" "$hellos"
	echo "bench vm-hello arm=$a connections=$n_conn median_us=$m50 p99_us=$m99 added_median_us=$((m50 - base50)) module_median_ns=$h50 module_p99_ns=$h99 hellos=$hellos"
	if [ "$a" != none ] && [ "$hellos" -lt "$n_conn" ]; then
		echo "# $a rules: $hellos hellos timed for $n_conn connections"
		ktap_not_ok "every connection's hello was timed ($a rules)"
	fi
done
ktap_ok "benchmark ran"
ktap_finish
