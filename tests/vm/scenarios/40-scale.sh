#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 600
# vm-cost: 81
#
# The most rules a ruleset holds (1,048,576): egressctl load pushes them in
# many netlink messages as one transaction, the module compiles and swaps
# them in, and a name from the middle of the list is then allowed while
# an unlisted one is reset. (One more is refused: tests/cli.)
. "$(dirname "$0")/lib.sh"
require_module
require_tools python3 openssl
[ -x "$EGRESSCTL" ] || skip_all "no egressctl at $EGRESSCTL"
# the core suite (the debug kernel): a quarter, still past the size where
# the matcher's table goes to huge pages
N=${EFW_SCALE_RULES:-$(full_suite && echo 1048576 || echo 250000)}

peers=$EFW_REPO/tests/peers
# near the middle, a multiple of 10: an exact name (the list below)
mid=$((N / 20 * 10))
make_cert sni "host$mid.scale.test" || bail "cannot make a certificate"
python3 - "$N" >"$efw_tmp/big.list" <<'PY'
import sys
n = int(sys.argv[1])
out = sys.stdout
for i in range(n):
    k = i % 10
    if k < 7:
        out.write("host%d.scale.test\n" % i)
    elif k < 9:
        out.write("*.zone%d.scale.test\n" % i)
    else:
        out.write("tf-%d-*-bucket.s3.scale.test\n" % i)
PY

setup_host
serve_tls "$NS_SERVER" 443 sni
wait_for_port "$NS_SERVER" 443 || bail "tls server did not start"
t0=$(date +%s)
expect "load $N rules" 0 "loaded $N rules" in_ns "$NS_FW" "$EGRESSCTL" load "$efw_tmp/big.list"
echo "# load took $(( $(date +%s) - t0 ))s under this VM"
rules=$(in_ns "$NS_FW" awk '$1 == "rules" { print $2 }' /proc/net/egressfw/stats)
if [ "$rules" = "$N" ]; then
	ktap_ok "/proc stats: $N rules"
else
	ktap_not_ok "/proc stats: $N rules (got ${rules:-none})"
fi
expect "a name from the middle of the list allowed" 0 '^allowed$' \
	in_ns "$NS_CLIENT" python3 "$peers/tls_split_client.py" "$SERVER_IP4" 443 "host$mid.scale.test"
expect "a name below a wildcard allowed" 0 '^allowed$' \
	in_ns "$NS_CLIENT" python3 "$peers/tls_split_client.py" "$SERVER_IP4" 443 a.zone777.scale.test
expect "an unlisted name reset" 1 '^reset$' \
	in_ns "$NS_CLIENT" python3 "$peers/tls_split_client.py" "$SERVER_IP4" 443 "host$mid.scale.test.evil"
expect "flush a million rules" 0 'pass-through' in_ns "$NS_FW" "$EGRESSCTL" flush
check_kernel_log "kernel log clean"
ktap_finish
