#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 300
# vm-cost: 70
#
# Ruleset life cycle through egressctl, on a gateway: a reload while a long
# transfer runs (the transfer survives, new connections follow the new
# list), a list with a syntax error (nothing changes), an unprivileged
# load (EPERM), audit mode, flush back to pass-through, and deleting a
# namespace with live and half-open flows in it.
. "$(dirname "$0")/lib.sh"
require_module
require_tools curl openssl python3 setpriv
[ -x "$EGRESSCTL" ] || skip_all "no egressctl at $EGRESSCTL"

peers=$EFW_REPO/tests/peers
lists=$EFW_REPO/tests/vm/lists
make_cert sni allowed.test other.test || bail "cannot make a certificate"

py_tls() {	# NAME: python's verdict on a TLS connection to NAME
	in_ns "$NS_CLIENT" python3 "$peers/tls_split_client.py" "$SERVER_IP4" 443 "$1"
}

setup_gateway
# A 4 MB file served by s_server -WWW, fetched at 400 KB/s: ~10 s.
www=$efw_tmp/www
mkdir -p "$www"
head -c 4000000 /dev/urandom >"$www/big"
sum=$(sha256sum <"$www/big" | cut -d' ' -f1)
(cd "$www" && bg_in "$NS_SERVER" www openssl s_server -quiet -WWW -accept 443 \
	-cert "$efw_tmp/sni.pem" -key "$efw_tmp/sni.key")
wait_for_port "$NS_SERVER" 443 || bail "tls server did not start"

expect "no ruleset: everything passes" 0 '^allowed$' py_tls unlisted.test
expect "load sni.list" 0 'loaded' in_ns "$NS_FW" "$EGRESSCTL" load "$lists/sni.list"
expect "allowed.test allowed" 0 '^allowed$' py_tls allowed.test
expect "other.test denied" 1 '^reset$' py_tls other.test
gen=$(fw_stat generation)

# Reload while a transfer through an allowed name runs.
in_ns "$NS_CLIENT" curl -sS --noproxy '*' --max-time $(secs 60) --limit-rate 400k \
	--cacert "$efw_tmp/ca.pem" --resolve "allowed.test:443:$SERVER_IP4" \
	-o "$efw_tmp/big.out" https://allowed.test/big >"$efw_tmp/curl.log" 2>&1 &
curl_pid=$!
# the reload must come after the handshake: wait for the first bytes
# (a fixed sleep was too short on the debug kernel)
wait_until 20 test -s "$efw_tmp/big.out"
printf 'other.test\n' >"$efw_tmp/other.list"
expect "reload with a list without allowed.test" 0 'loaded' \
	in_ns "$NS_FW" "$EGRESSCTL" load "$efw_tmp/other.list"
expect "after reload: other.test allowed" 0 '^allowed$' py_tls other.test
expect "after reload: allowed.test denied" 1 '^reset$' py_tls allowed.test
if wait "$curl_pid" && [ "$(sha256sum <"$efw_tmp/big.out" | cut -d' ' -f1)" = "$sum" ]; then
	ktap_ok "transfer running across the reload completes intact"
else
	sed 's/^/# /' "$efw_tmp/curl.log"
	ktap_not_ok "transfer running across the reload completes intact"
fi

# A broken list changes nothing.
gen=$(fw_stat generation)
expect "broken list refused with file:line:col" 1 'broken.list:4:[0-9]+:' \
	in_ns "$NS_FW" "$EGRESSCTL" load "$lists/broken.list"
if [ "$(fw_stat generation)" = "$gen" ]; then
	ktap_ok "broken list: generation unchanged"
else
	ktap_not_ok "broken list: generation unchanged"
fi
expect "broken list: old rules still enforced" 0 '^allowed$' py_tls other.test

# Unprivileged: the kernel says no, and nothing changes.
expect "unprivileged load: permission denied" 3 'permission denied' \
	in_ns "$NS_FW" setpriv --reuid=65534 --regid=65534 --clear-groups \
	--inh-caps=-all "$EGRESSCTL" load "$lists/sni.list"
expect "unprivileged flush: permission denied" 3 'permission denied' \
	in_ns "$NS_FW" setpriv --reuid=65534 --regid=65534 --clear-groups \
	--inh-caps=-all "$EGRESSCTL" flush
expect "after unprivileged attempts: old rules" 1 '^reset$' py_tls allowed.test

# Audit mode lets everything through and counts what it would deny.
before=$(fw_stat denied_no_match)
expect "set mode audit" 0 '' in_ns "$NS_FW" "$EGRESSCTL" set mode audit
expect "audit: allowed.test passes" 0 '^allowed$' py_tls allowed.test
if [ "$(fw_stat denied_no_match)" -gt "$before" ]; then
	ktap_ok "audit: the would-be deny is counted"
else
	ktap_not_ok "audit: the would-be deny is counted"
fi
expect "set mode enforce" 0 '' in_ns "$NS_FW" "$EGRESSCTL" set mode enforce
expect "enforce again: allowed.test denied" 1 '^reset$' py_tls allowed.test

# Flush: back to pass-through.
expect "flush" 0 'pass-through' in_ns "$NS_FW" "$EGRESSCTL" flush
expect "after flush: everything passes" 0 '^allowed$' py_tls unlisted.test
if [ "$(fw_stat loaded)" = 0 ]; then
	ktap_ok "after flush: /proc says nothing is loaded"
else
	ktap_not_ok "after flush: /proc says nothing is loaded"
fi

# Delete the namespaces while flows are open and half-open: an allowed
# connection that idles, and SYNs to 443 that never send a ClientHello.
expect "reload sni.list" 0 'loaded' in_ns "$NS_FW" "$EGRESSCTL" load "$lists/sni.list"
# A small pending table: the SYN flood below overflows it.
expect "set pending-max 5" 0 '' in_ns "$NS_FW" "$EGRESSCTL" set pending-max 5
in_ns "$NS_CLIENT" python3 -c '
import socket, sys, time
socks = []
for i in range(20):
    s = socket.socket(); s.setblocking(False)
    try:
        s.connect((sys.argv[1], 443))
    except BlockingIOError:
        pass
    socks.append(s)
time.sleep(60)
' "$SERVER_IP4" &
on_cleanup "kill $!"
overflowed() { [ "$(fw_stat denied_pending_overflow)" -ge 1 ]; }
wait_until 20 overflowed
v=$(fw_stat pending)
if [ "${v:-0}" -ge 1 ]; then
	ktap_ok "half-open flows wait for their ClientHello ($v pending)"
else
	in_ns "$NS_FW" cat /proc/net/egressfw/stats | sed 's/^/# /'
	ktap_not_ok "half-open flows wait for their ClientHello"
fi
v=$(fw_stat denied_pending_overflow)
if [ "${v:-0}" -ge 1 ] && [ "$(fw_stat pending)" -le 5 ]; then
	ktap_ok "pending table bounded: overflow denied ($v)"
else
	in_ns "$NS_FW" cat /proc/net/egressfw/stats | sed 's/^/# /'
	ktap_not_ok "pending table bounded: overflow denied"
fi
teardown
check_kernel_log "namespaces with live flows deleted: kernel log clean"
ktap_finish
