#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-cost: 23
#
# Unloading the module while flows are open, decided and pending, with a
# ruleset loaded in two namespaces: rmmod succeeds, the kernel stays
# quiet, and the module loads again afterwards (for the scenarios after
# this one and the harness's own final unload).
. "$(dirname "$0")/lib.sh"
require_module
require_tools python3 openssl rmmod insmod
[ -x "$EGRESSCTL" ] || skip_all "no egressctl at $EGRESSCTL"
[ -r "${EFW_MODULE:-}" ] || skip_all "EFW_MODULE does not name the module file"

peers=$EFW_REPO/tests/peers
make_cert sni allowed.test || bail "cannot make a certificate"
setup_gateway
serve_tls "$NS_SERVER" 443 sni
wait_for_port "$NS_SERVER" 443 || bail "tls server did not start"
expect "load in the gateway" 0 'loaded' \
	in_ns "$NS_GW" "$EGRESSCTL" load "$EFW_REPO/tests/vm/lists/sni.list"
expect "load in the client too" 0 'loaded' \
	in_ns "$NS_CLIENT" "$EGRESSCTL" load "$EFW_REPO/tests/vm/lists/sni.list"

# An allowed connection that stays open, and SYNs with no ClientHello.
in_ns "$NS_CLIENT" python3 -c '
import socket, ssl, sys, time
ctx = ssl.create_default_context(); ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
keep = ctx.wrap_socket(socket.create_connection((sys.argv[1], 443)),
                       server_hostname="allowed.test")
half = []
for i in range(10):
    s = socket.socket(); s.setblocking(False)
    try:
        s.connect((sys.argv[1], 443))
    except BlockingIOError:
        pass
    half.append(s)
print("open", flush=True)
time.sleep(60)
' "$SERVER_IP4" >"$efw_tmp/holder.log" 2>&1 &
on_cleanup "kill $!"
for ((i = 0; i < 200; i++)); do
	grep -q open "$efw_tmp/holder.log" && break
	sleep 0.05
done
expect "flows are open" 0 'open' cat "$efw_tmp/holder.log"
expect "rmmod with live and pending flows" 0 '' rmmod egressfw
check_kernel_log "kernel log clean after the unload"
teardown
expect "the module loads again" 0 '' insmod "$EFW_MODULE"
ktap_finish
