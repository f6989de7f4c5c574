#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 900
#
# Gateway benchmark, run in the test VM by `make bench-vm` (not a test:
# it reports numbers, and fails only if something does not work).
#
# Side by side in one run, alternating so drift hits both alike, with
# conntrack active in the gateway in both arms (an nft table that matches
# "ct state"): on a real gateway it always is, and egressfw needs it, so
# the difference is egressfw's own cost:
#  - TCP throughput (iperf3, 5 s) through the gateway with no ruleset
#    (egressfw's hooks unregistered) and with a ruleset whose CIDR entry
#    guards and allows the iperf3 port, so every packet takes the
#    decided-flow path (label lookup, bit test);
#  - TLS handshakes per second (python ssl, a new connection each, SNI
#    allowed) with no ruleset and with 100k rules loaded, so each
#    handshake is reassembled, parsed and matched.
# Also reported: throughput with no conntrack at all, for scale.
# Prints medians and the ratios "with / without".
. "$(dirname "$0")/../tests/vm/scenarios/lib.sh"
. "$(dirname "$0")/stats.sh"
require_module
require_tools iperf3 python3 openssl nft
[ -x "$EGRESSCTL" ] || skip_all "no egressctl at $EGRESSCTL"
ROUNDS=${EFW_BENCH_ROUNDS:-3}

make_cert sni allowed.test || bail "cannot make a certificate"
setup_gateway
bg_in "$NS_SERVER" iperf iperf3 -s
serve_tls "$NS_SERVER" 443 sni
wait_for_port "$NS_SERVER" 5201 || bail "iperf3 did not start"
wait_for_port "$NS_SERVER" 443 || bail "tls server did not start"

{
	printf '%s tcp/5201\n' "$SERVER_IP4"
	echo allowed.test
	python3 -c '
for i in range(100000 - 2):
    print(("*.zone%d.bench.test" if i % 5 == 0 else "host%d.bench.test") % i)
'
} >"$efw_tmp/bench.list"

with_rules() {	# on|off
	if [ "$1" = on ]; then
		in_ns "$NS_GW" "$EGRESSCTL" load "$efw_tmp/bench.list" >/dev/null
	else
		in_ns "$NS_GW" "$EGRESSCTL" flush >/dev/null
	fi
}

throughput() {	# bits/s of one 5 s iperf3 run
	in_ns "$NS_CLIENT" iperf3 -c "$SERVER_IP4" -t 5 -J |
		python3 -c 'import json,sys; print(int(json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"]))'
}

handshakes() {	# TLS handshakes completed in 5 s
	in_ns "$NS_CLIENT" python3 -c '
import socket, ssl, sys, time
ctx = ssl.create_default_context(); ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
n, end = 0, time.monotonic() + 5
while time.monotonic() < end:
    with socket.create_connection((sys.argv[1], 443)) as s:
        with ctx.wrap_socket(s, server_hostname="allowed.test"):
            n += 1
print(n)
' "$SERVER_IP4"
}

conntrack() {	# on|off: an nft table that makes the gateway track flows
	if [ "$1" = on ]; then
		# the VM's kernel cannot autoload from the chroot
		modprobe -a nf_tables nft_ct 2>/dev/null
		in_ns "$NS_GW" nft add table inet efwbench &&
		in_ns "$NS_GW" nft add chain inet efwbench pass \
			'{ type filter hook forward priority 0; policy accept; }' &&
		in_ns "$NS_GW" nft add rule inet efwbench pass \
			ct state established,related counter accept
	else
		in_ns "$NS_GW" nft delete table inet efwbench
	fi
}

: >"$efw_tmp/tp.off"; : >"$efw_tmp/tp.on"; : >"$efw_tmp/hs.off"; : >"$efw_tmp/hs.on"
: >"$efw_tmp/tp.bare"
for ((r = 1; r <= ROUNDS; r++)); do
	throughput >>"$efw_tmp/tp.bare" || bail "iperf3 failed (no conntrack)"
	conntrack on || bail "cannot add the nft table"
	for mode in off on; do
		with_rules $mode || bail "cannot switch the ruleset $mode"
		throughput >>"$efw_tmp/tp.$mode" || bail "iperf3 failed ($mode)"
		handshakes >>"$efw_tmp/hs.$mode" || bail "handshakes failed ($mode)"
	done
	with_rules off
	conntrack off
done
for f in tp.bare tp.off tp.on hs.off hs.on; do
	echo "# $f: $(tr '\n' ' ' <"$efw_tmp/$f")"
done
tp_bare=$(median <"$efw_tmp/tp.bare")
tp_off=$(median <"$efw_tmp/tp.off")
tp_on=$(median <"$efw_tmp/tp.on")
hs_off=$(median <"$efw_tmp/hs.off")
hs_on=$(median <"$efw_tmp/hs.on")
echo "# rounds: $ROUNDS, alternating; medians"
echo "# throughput: no conntrack $((tp_bare / 1000000)) Mbit/s; with conntrack: no ruleset $((tp_off / 1000000)) Mbit/s, CIDR-guarded flow $((tp_on / 1000000)) Mbit/s, ratio $(python3 -c "print('%.3f' % ($tp_on / $tp_off))")"
echo "# TLS handshakes per 5 s: no ruleset $hs_off, 100k rules $hs_on, ratio $(python3 -c "print('%.3f' % ($hs_on / $hs_off))")"
echo "bench vm-gateway throughput_bare_bps=$tp_bare throughput_off_bps=$tp_off throughput_on_bps=$tp_on handshakes_off=$hs_off handshakes_on=$hs_on"
ktap_ok "benchmark ran"
ktap_finish
