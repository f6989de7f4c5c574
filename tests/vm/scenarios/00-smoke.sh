#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-cost: 42
#
# Smoke test, good for any build of egressfw.ko: the module is loaded, and
# with no ruleset it passes everything (the contract that makes loading it
# safe): plain TCP and TLS on a guarded port, IPv4 and IPv6, forwarded by a
# gateway and sent by a host itself. Then it unloads, and the kernel said
# nothing alarming meanwhile.
. "$(dirname "$0")/lib.sh"
require_tools curl python3 openssl rmmod

if [ -d /sys/module/egressfw ]; then
	ktap_ok "egressfw is loaded"
else
	ktap_not_ok "egressfw is loaded"
fi

# What the server hands out is unique to this run, so that only an end to
# end transfer can produce it.
www=$efw_tmp/www
mkdir -p "$www"
token=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
echo "$token" >"$www/token"
make_cert www.example.test www.example.test || bail "cannot make a certificate"

# check_transfers TOPOLOGY: HTTP on 8080 and HTTPS on 443, over IPv4 and IPv6,
# from the client to the server.
check_transfers() {
	local topo=$1 addr
	serve_http "$NS_SERVER" 8080 "$www"
	serve_tls "$NS_SERVER" 443 www.example.test
	wait_for_port "$NS_SERVER" 8080 || bail "http server did not start"
	wait_for_port "$NS_SERVER" 443 || bail "tls server did not start"
	for addr in "$SERVER_IP4" "$SERVER_IP6"; do
		expect "$topo: http to $addr:8080" 0 "^$token\$" \
			in_ns "$NS_CLIENT" curl -sS --noproxy '*' --max-time $(secs 20) \
			"http://$(url_host "$addr"):8080/token"
		expect "$topo: tls with SNI to $addr:443" 0 's_server' \
			in_ns "$NS_CLIENT" curl -sS --noproxy '*' --max-time $(secs 20) \
			--cacert "$efw_tmp/ca.pem" \
			--resolve "www.example.test:443:$addr" https://www.example.test/
	done
}

setup_gateway
check_transfers gateway
teardown

setup_host
check_transfers host
teardown

expect "rmmod egressfw" 0 "" rmmod egressfw
if [ -d /sys/module/egressfw ]; then
	ktap_not_ok "egressfw is gone after rmmod"
else
	ktap_ok "egressfw is gone after rmmod"
fi
check_kernel_log "kernel log clean"
ktap_finish
