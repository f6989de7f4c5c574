#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 900
#
# DNS benchmark, run in the test VM by `make bench-vm` (not a test: it
# reports numbers, and fails only if something does not work).
#
# A client asks dnsmasq, behind the gateway, for 500 names in turn (one
# UDP query at a time, 5 s per run) and counts the answers. Side by side
# in one run, alternating, with conntrack active in the gateway in every
# arm (egressfw needs it; a real gateway has it):
#  - off:     no ruleset (egressfw's hooks unregistered);
#  - nomatch: a 10k-rule list that matches none of the names, so every
#             answer is parsed and its names matched, nothing learned;
#  - learn:   the same list plus *.apu.sophos.com tcp/22, so every answer
#             is learned (500 entries, then refreshed).
# Prints medians, the ratios against "off", and the cost per answer the
# difference implies.
. "$(dirname "$0")/../tests/vm/scenarios/lib.sh"
. "$(dirname "$0")/stats.sh"
require_module
require_tools dnsmasq python3 nft
[ -x "$EGRESSCTL" ] || skip_all "no egressctl at $EGRESSCTL"
ROUNDS=${EFW_BENCH_ROUNDS:-3}

setup_gateway
add_ns NS_RESOLVER resolver || bail "cannot make the resolver namespace"
link_ns "$NS_GW" r1 10.0.3.1/24 fd00:3::1/64 "$NS_RESOLVER" r0 10.0.3.2/24 fd00:3::2/64 &&
default_route "$NS_RESOLVER" 10.0.3.1 fd00:3::1 || bail "cannot link the resolver"
{
	echo no-resolv
	echo no-hosts
	for i in $(seq 0 499); do
		echo "host-record=h$i.apu.sophos.com,10.1.$((i / 250)).$((i % 250 + 1)),300"
	done
} >"$efw_tmp/dnsmasq.conf"
bg_in "$NS_RESOLVER" dnsmasq dnsmasq --keep-in-foreground --conf-file="$efw_tmp/dnsmasq.conf" \
	--listen-address=10.0.3.2 --bind-interfaces --user=root --pid-file= --log-facility=-
wait_for_port "$NS_RESOLVER" 53 udp || bail "dnsmasq did not start"

python3 -c '
for i in range(10000):
    print(("*.zone%d.bench.test" if i % 5 == 0 else "host%d.bench.test") % i)
' >"$efw_tmp/nomatch.list"
{ cat "$efw_tmp/nomatch.list"; echo '*.apu.sophos.com tcp/22'; } >"$efw_tmp/learn.list"

arm() {	# off|nomatch|learn
	case $1 in
	off) in_ns "$NS_GW" "$EGRESSCTL" flush >/dev/null ;;
	*) in_ns "$NS_GW" "$EGRESSCTL" load "$efw_tmp/$1.list" >/dev/null ;;
	esac
}

queries() {	# answers received in 5 s
	in_ns "$NS_CLIENT" python3 - <<'PY'
import random, socket, struct, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(2)
s.connect(("10.0.3.2", 53))
n, i, end = 0, 0, time.monotonic() + 5
while time.monotonic() < end:
    qid = random.randrange(65536)
    q = struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 0)
    for label in ("h%d" % (i % 500), "apu", "sophos", "com"):
        q += bytes([len(label)]) + label.encode()
    s.send(q + b"\0\0\1\0\1")
    i += 1
    try:
        if struct.unpack("!H", s.recv(4096)[:2])[0] == qid:
            n += 1
    except socket.timeout:
        pass
print(n)
PY
}

modprobe -a nf_tables nft_ct 2>/dev/null
in_ns "$NS_GW" nft add table inet efwbench &&
in_ns "$NS_GW" nft add chain inet efwbench pass \
	'{ type filter hook forward priority 0; policy accept; }' &&
in_ns "$NS_GW" nft add rule inet efwbench pass ct state established,related counter accept ||
	bail "cannot add the nft table"

for a in off nomatch learn; do : >"$efw_tmp/q.$a"; done
for ((r = 1; r <= ROUNDS; r++)); do
	for a in off nomatch learn; do
		arm $a || bail "cannot switch to $a"
		queries >>"$efw_tmp/q.$a" || bail "queries failed ($a)"
	done
done
arm learn
entries=$(in_ns "$NS_GW" awk '$1 == "dns_entries" { print $2 }' /proc/net/egressfw/stats)
arm off
for a in off nomatch learn; do
	echo "# answers per 5 s, $a: $(tr '\n' ' ' <"$efw_tmp/q.$a")"
done
q_off=$(median <"$efw_tmp/q.off")
q_nomatch=$(median <"$efw_tmp/q.nomatch")
q_learn=$(median <"$efw_tmp/q.learn")
echo "# rounds: $ROUNDS, alternating; medians; learned entries after a learn run: $entries"
python3 - "$q_off" "$q_nomatch" "$q_learn" <<'PY'
import sys
off, nomatch, learn = (int(x) for x in sys.argv[1:])
print("# queries/s: no ruleset %.0f, parse+match %.0f (ratio %.3f), learning %.0f (ratio %.3f)"
      % (off / 5, nomatch / 5, nomatch / off, learn / 5, learn / off))
print("# implied cost per answer (TCG, whole round trip): parse+match %.1f us, learning %.1f us"
      % ((5 / nomatch - 5 / off) * 1e6, (5 / learn - 5 / off) * 1e6))
PY
echo "bench vm-dns answers_off=$q_off answers_nomatch=$q_nomatch answers_learn=$q_learn"
[ "${entries:-0}" -ge 400 ] || bail "the learn arm learned only ${entries:-0} entries"
ktap_ok "benchmark ran"
ktap_finish
