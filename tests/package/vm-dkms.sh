#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# In the VM booted by tests/package/dkms.sh: the module dkms built and
# installed on the host (the host's /lib/modules is the VM's) is the one
# loaded, modprobe finds it and its dependencies by name, as the systemd
# unit and modules-load.d do at boot, its version is egressctl's, and it
# enforces: a TLS connection to a listed name passes, another is reset,
# and the counters, /proc and Prometheus' format alike, say so.
. "$EFW_REPO/tests/vm/scenarios/lib.sh"
require_module
require_tools modinfo modprobe rmmod curl openssl
[ -x "$EGRESSCTL" ] || skip_all "no egressctl at $EGRESSCTL"

kver=$(uname -r)
ko=$(modinfo -n egressfw 2>&1)
case "$ko" in
"/lib/modules/$kver/updates/dkms/egressfw.ko"*) ktap_ok "modprobe's egressfw is DKMS's: $ko" ;;
*) echo "# modinfo -n egressfw: $ko"; ktap_not_ok "modprobe's egressfw is DKMS's" ;;
esac
expect_same "the loaded module is that file (srcversion)" "$(modinfo -F srcversion egressfw 2>&1)" \
	"$(cat /sys/module/egressfw/srcversion 2>&1)"
expect_same "module and egressctl have one version" "egressctl $(cat /sys/module/egressfw/version 2>&1)" \
	"$("$EGRESSCTL" --version)"

expect "rmmod egressfw" 0 "" rmmod egressfw
expect "modprobe egressfw loads it, dependencies first" 0 "" modprobe egressfw
expect_same "loaded again, from $ko" "$(modinfo -F srcversion egressfw 2>&1)" \
	"$(cat /sys/module/egressfw/srcversion 2>&1)"

# It enforces: one allowed name, everything else on 443 reset.
setup_host
make_cert allowed allowed.example.test || bail "cannot make a certificate"
serve_tls "$NS_SERVER" 443 allowed
wait_for_port "$NS_SERVER" 443 || bail "tls server did not start"
echo allowed.example.test >"$efw_tmp/allowed.list"
expect "load a list" 0 '^loaded 1 rule' in_ns "$NS_FW" "$EGRESSCTL" load "$efw_tmp/allowed.list"
expect "allowed.example.test passes" 0 's_server' \
	in_ns "$NS_CLIENT" curl -sS --noproxy '*' --max-time $(secs 15) --cacert "$efw_tmp/ca.pem" \
	--resolve "allowed.example.test:443:$SERVER_IP4" https://allowed.example.test/
run_cmd in_ns "$NS_CLIENT" curl -sS -k --noproxy '*' --max-time $(secs 15) \
	--resolve "denied.example.test:443:$SERVER_IP4" https://denied.example.test/
if [ "$rc" -ne 0 ] && grep -Eq 'reset|Connection' <<<"$out"; then
	ktap_ok "denied.example.test is reset"
else
	echo "# curl exit $rc: $out"
	ktap_not_ok "denied.example.test is reset"
fi
expect "the rule counted the allowed connection" 0 '^0 1 ' \
	in_ns "$NS_FW" sed -n 2p /proc/net/egressfw/rules
# ... and so does a Prometheus scrape of the real module's counters
run_cmd in_ns "$NS_FW" "$EGRESSCTL" stats --prometheus
for line in "egressfw_rule_allowed_total{id=\"0\",pattern=\"allowed.example.test\",ports=\"tcp/443\",source=\"$efw_tmp/allowed.list:1\"} 1" \
	    'egressfw_allowed_total{by="sni"} 1' 'egressfw_denied_total{reason="no_match"} 1'; do
	if [ "$rc" -eq 0 ] && grep -qxF -- "$line" <<<"$out"; then
		ktap_ok "stats --prometheus: $line"
	else
		printf '%s\n' "$out" | grep -v '^#' | sed 's/^/#   /'
		ktap_not_ok "stats --prometheus: $line"
	fi
done
teardown
check_kernel_log "kernel log clean"
ktap_finish
