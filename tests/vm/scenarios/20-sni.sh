#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 900
# vm-cost: 370
#
# SNI and CIDR enforcement with real peers, in both topologies (a gateway
# forwarding for a client, and a host's own traffic), IPv4 and IPv6:
# curl, openssl s_client, python's ssl, a client that splits its
# ClientHello at awkward places, and chromium (its ~2 KB ClientHello spans
# two segments). Allowed connections must transfer data; denied ones must
# be reset at once. Then the counters must tell the story.
. "$(dirname "$0")/lib.sh"
require_module
require_tools curl openssl python3
[ -x "$EGRESSCTL" ] || skip_all "no egressctl at $EGRESSCTL"

peers=$EFW_REPO/tests/peers
list=$EFW_REPO/tests/vm/lists/sni.list
make_cert sni allowed.test '*.wild.test' tf-abc-bucket.s3.test central.sophos.com ||
	bail "cannot make a certificate"

# fast_fail DESC MAXSECS PATTERN CMD...: CMD fails (non-zero) within
# MAXSECS seconds (scaled, see secs) and its output matches PATTERN: a
# reset, not a timeout.
fast_fail() {
	local desc=$1 max=$2 pattern=$3 t0 t1
	shift 3
	t0=$(date +%s%N)
	run_cmd "$@"
	t1=$(date +%s%N)
	if [ "$rc" -eq 0 ] || ! grep -Eq -- "$pattern" <<<"$out" ||
	   [ $(((t1 - t0) / 1000000)) -gt $(($(secs "$max") * 1000)) ]; then
		echo "# $*: exit $rc after $(((t1 - t0) / 1000000)) ms; output:"
		printf '%s\n' "$out" | sed 's/^/#   /'
		ktap_not_ok "$desc"
	else
		ktap_ok "$desc"
	fi
}

# rule_allowed PATTERN: the allowed-connections column of PATTERN's rule.
rule_allowed() {
	in_ns "$NS_FW" awk -v p="$1" '$6 == p { print $2 }' /proc/net/egressfw/rules
}

curl_tls() {	# NAME ADDR [curl options]
	local name=$1 addr=$2
	shift 2
	in_ns "$NS_CLIENT" curl -sS --noproxy '*' --max-time $(secs 15) \
		--resolve "$name:443:$addr" "$@" "https://$name/"
}

run_topology() {
	local topo=$1 addr v
	serve_tls "$NS_SERVER" 443 sni
	bg_in "$NS_SERVER" banner22 python3 "$peers/banner_server.py" 22 SSH-2.0-test
	bg_in "$NS_SERVER" banner25 python3 "$peers/banner_server.py" 25 "220 smtp.test"
	# a second server address: outside the tcp/22 rules, inside tcp/25's
	printf 'addr add 10.0.2.3/24 dev s0\naddr add fd00:2::3/64 dev s0 nodad\n' |
		ns_batch "$NS_SERVER"
	for p in 443 22 25; do
		wait_for_port "$NS_SERVER" $p || bail "$topo: server on $p did not start"
	done
	expect "$topo: load sni.list" 0 'loaded' in_ns "$NS_FW" "$EGRESSCTL" load "$list"

	for addr in "$SERVER_IP4" "$SERVER_IP6"; do
		v=v4
		[ "$addr" = "$SERVER_IP6" ] && v=v6
		# curl: allowed names transfer, others are reset (-k: only the
		# firewall can stop them).
		expect "$topo $v: curl allowed.test" 0 's_server' \
			curl_tls allowed.test "$addr" --cacert "$efw_tmp/ca.pem"
		# (variety: the matcher's kinds of pattern, unit-tested in depth)
		variety expect "$topo $v: curl x.wild.test (wildcard)" 0 's_server' \
			curl_tls x.wild.test "$addr" --cacert "$efw_tmp/ca.pem"
		variety expect "$topo $v: curl a.b.wild.test (wildcard, depth 2)" 0 's_server' \
			curl_tls a.b.wild.test "$addr" -k
		variety expect "$topo $v: curl tf-abc-bucket.s3.test (glob)" 0 's_server' \
			curl_tls tf-abc-bucket.s3.test "$addr" --cacert "$efw_tmp/ca.pem"
		fast_fail "$topo $v: curl denied.test reset" 5 'reset|Connection' \
			curl_tls denied.test "$addr" -k
		variety fast_fail "$topo $v: curl evilallowed.test reset" 5 'reset|Connection' \
			curl_tls evilallowed.test "$addr" -k
		variety fast_fail "$topo $v: curl wild.test (apex) reset" 5 'reset|Connection' \
			curl_tls wild.test "$addr" -k
		# openssl s_client (variety but for the hello without SNI)
		variety expect "$topo $v: s_client allowed.test" 0 '' in_ns "$NS_CLIENT" \
			timeout $(secs 15) openssl s_client -brief -connect "$(url_host "$addr"):443" \
			-servername allowed.test -CAfile "$efw_tmp/ca.pem" </dev/null
		variety fast_fail "$topo $v: s_client denied.test reset" 5 'reset|errno|error' \
			in_ns "$NS_CLIENT" timeout $(secs 15) openssl s_client -brief \
			-connect "$(url_host "$addr"):443" -servername denied.test </dev/null
		fast_fail "$topo $v: s_client without SNI reset" 5 'reset|errno|error' \
			in_ns "$NS_CLIENT" timeout $(secs 15) openssl s_client -brief -noservername \
			-connect "$(url_host "$addr"):443" </dev/null
		# python's ssl, whole and in awkward pieces
		expect "$topo $v: python allowed" 0 '^allowed$' in_ns "$NS_CLIENT" \
			python3 "$peers/tls_split_client.py" "$addr" 443 allowed.test
		expect "$topo $v: python denied reset" 1 '^reset$' in_ns "$NS_CLIENT" \
			python3 "$peers/tls_split_client.py" "$addr" 443 denied.test
		# plain text on the TLS port
		fast_fail "$topo $v: http on 443 reset" 5 'reset|Connection|Empty' \
			in_ns "$NS_CLIENT" curl -sS --noproxy '*' --max-time $(secs 15) \
			"http://$(url_host "$addr"):443/"
		# the non-TLS ports: CIDR rules decide at the SYN
		expect "$topo $v: tcp/22 to a listed address" 0 '^SSH-2.0-test' \
			in_ns "$NS_CLIENT" python3 "$peers/line_client.py" "$addr" 22
		variety expect "$topo $v: tcp/25 inside the listed subnet" 0 '^220 smtp' \
			in_ns "$NS_CLIENT" python3 "$peers/line_client.py" "${addr%2}3" 25
		fast_fail "$topo $v: tcp/22 to an unlisted address refused" 5 'refused' \
			in_ns "$NS_CLIENT" python3 "$peers/line_client.py" "${addr%2}3" 22
	done

	# The ClientHello cut at awkward offsets and re-framed (IPv4). The
	# core suite keeps one byte at a time and many records with delays.
	# (--records 16: some 35 records, within the 64 a hello may span.)
	for split in "--split 1" "--split sni" "--records 16" \
		     "--records 100 --split 3,50 --delay 100" "--split 5 --delay 300"; do
		kind=variety
		case "$split" in "--split 1"|"--records 100"*) kind= ;; esac
		# shellcheck disable=SC2086
		$kind expect "$topo: split hello ($split) allowed" 0 '^allowed$' \
			in_ns "$NS_CLIENT" python3 "$peers/tls_split_client.py" \
			"$SERVER_IP4" 443 allowed.test $split
		# shellcheck disable=SC2086
		$kind expect "$topo: split hello ($split) denied" 1 '^reset$' \
			in_ns "$NS_CLIENT" python3 "$peers/tls_split_client.py" \
			"$SERVER_IP4" 443 denied.test $split
	done
	# A hello in records of 4 bytes spans over 64: refused, whatever its SNI.
	variety expect "$topo: hello in 4-byte records (over 64) refused" 1 '^reset$' \
		in_ns "$NS_CLIENT" python3 "$peers/tls_split_client.py" \
		"$SERVER_IP4" 443 allowed.test --records 4
	# A 2.1 KB hello in two segments, as chromium sends it.
	expect "$topo: 2 KB hello in two segments allowed" 0 '^allowed$' \
		in_ns "$NS_CLIENT" python3 "$peers/tls_split_client.py" \
		"$SERVER_IP4" 443 allowed.test --pad 2100 --split 1448
	expect "$topo: 2 KB hello in two segments denied" 1 '^reset$' \
		in_ns "$NS_CLIENT" python3 "$peers/tls_split_client.py" \
		"$SERVER_IP4" 443 denied.test --pad 2100 --split 1448

	# Counters: /proc and egressctl show agree with what happened.
	v=$(rule_allowed allowed.test)
	if [ "${v:-0}" -ge "$(full_suite && echo 12 || echo 7)" ]; then
		ktap_ok "$topo: /proc rules credits allowed.test ($v)"
	else
		in_ns "$NS_FW" cat /proc/net/egressfw/rules | sed 's/^/# /'
		ktap_not_ok "$topo: /proc rules credits allowed.test (${v:-none})"
	fi
	for k in allowed_sni allowed_cidr denied_no_match denied_no_sni denied_not_tls; do
		v=$(fw_stat $k)
		if [ "${v:-0}" -gt 0 ]; then
			ktap_ok "$topo: stats $k counted ($v)"
		else
			in_ns "$NS_FW" cat /proc/net/egressfw/stats | sed 's/^/# /'
			ktap_not_ok "$topo: stats $k counted"
		fi
	done
	expect "$topo: egressctl show lists the hits" 0 'allowed\.test' \
		in_ns "$NS_FW" "$EGRESSCTL" show
}

setup_gateway
run_topology gateway
if ! full_suite; then
	# Chromium: the 2 KB two-segment hello above takes the same path.
	ktap_skip "gateway: chromium" "variety case: the full suite (stock kernels) runs it"
elif command -v chromium >/dev/null 2>&1; then
	chrome() {	# NAME: chromium fetches https://NAME/ through the gateway
		in_ns "$NS_CLIENT" timeout $(secs 180) chromium --headless --no-sandbox \
			--disable-gpu --disable-quic --no-first-run \
			--disable-background-networking --disable-component-update \
			--disable-sync --user-data-dir="$efw_tmp/chrome-$1" \
			--ignore-certificate-errors \
			--host-resolver-rules="MAP $1 $SERVER_IP4" \
			--dump-dom "https://$1/"
	}
	# Chrome sends GREASE ECH on every connection: judged by its SNI.
	expect "gateway: chromium allowed.test (GREASE ECH passes)" 0 's_server' chrome allowed.test
	expect "gateway: set ech deny" 0 '' in_ns "$NS_FW" "$EGRESSCTL" set ech deny
	run_cmd chrome allowed.test
	if grep -q 's_server' <<<"$out" || ! grep -q 'ERR_CONNECTION_RESET' <<<"$out" ||
	   [ "$(fw_stat denied_ech)" -lt 1 ]; then
		printf '%s\n' "$out" | tail -n 5 | sed 's/^/#   /'
		ktap_not_ok "gateway: ech deny resets chromium (its GREASE ECH)"
	else
		ktap_ok "gateway: ech deny resets chromium (its GREASE ECH)"
	fi
	expect "gateway: set ech outer" 0 '' in_ns "$NS_FW" "$EGRESSCTL" set ech outer
	run_cmd chrome denied.test
	if grep -q 's_server' <<<"$out" || ! grep -q 'ERR_CONNECTION_RESET' <<<"$out"; then
		printf '%s\n' "$out" | tail -n 5 | sed 's/^/#   /'
		ktap_not_ok "gateway: chromium denied.test reset"
	else
		ktap_ok "gateway: chromium denied.test reset"
	fi
else
	ktap_skip "gateway: chromium" "chromium not installed"
fi

# TCP Fast Open: with a cookie, the ClientHello rides in the SYN.
in_ns "$NS_SERVER" sysctl -qw net.ipv4.tcp_fastopen=3
in_ns "$NS_CLIENT" sysctl -qw net.ipv4.tcp_fastopen=1
bg_in "$NS_SERVER" tfo python3 "$peers/tls_fastopen_server.py" 8443 \
	"$efw_tmp/sni.pem" "$efw_tmp/sni.key"
wait_for_port "$NS_SERVER" 8443 || bail "fast open server did not start"
expect "gateway: set tls-ports 443,8443" 0 '' in_ns "$NS_GW" "$EGRESSCTL" set tls-ports 443,8443
printf 'allowed.test tcp/8443\n' >"$efw_tmp/tfo.list"
expect "gateway: load a tcp/8443 list" 0 'loaded' in_ns "$NS_GW" "$EGRESSCTL" load "$efw_tmp/tfo.list"
tfo() {	# NAME: a Fast Open TLS connection to port 8443
	in_ns "$NS_CLIENT" python3 "$peers/tls_split_client.py" "$SERVER_IP4" 8443 "$1" --fastopen
}
expect "gateway: fast open, first (gets a cookie)" 0 '^allowed$' tfo allowed.test
expect "gateway: fast open with the hello in the SYN, allowed" 0 '^allowed$' tfo allowed.test
expect "gateway: fast open with the hello in the SYN, denied" 1 '^reset$' tfo denied.test
v=$(in_ns "$NS_SERVER" nstat -az TcpExtTCPFastOpenPassive | awk '/TCPFastOpenPassive/ { print $2 }')
if [ "${v:-0}" -ge 1 ]; then
	ktap_ok "gateway: the server saw data in SYNs ($v)"
else
	ktap_not_ok "gateway: the server saw data in SYNs"
fi
teardown

setup_host
run_topology host
teardown
check_kernel_log "kernel log clean"
ktap_finish
