#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 600
# vm-cost: 70
#
# A small-office gateway: a WAN side (the "internet", with a TLS server,
# an sshd and a resolver) and two LAN segments (a client; a server with
# an sshd, a TLS service and dnsmasq) behind an nftables gateway that
# masquerades LAN traffic out and port-forwards (DNAT) inbound SSH and
# HTTPS to the LAN server. egressfw is set up as README "Deploy on a
# gateway" says: a directory with the lists and an egressfw.conf naming
# the WAN interface (egress-interfaces), loaded by `egressctl load DIR`.
#
# What must hold: the LAN client's unlisted connections out are reset and
# its listed ones pass; the port-forwards work in both directions (an ssh
# login from the internet runs a command on the LAN server, and gets its
# output back); LAN-to-LAN traffic passes; DNS answers are learned only
# when they come in by the WAN side; `local pass` spares the gateway's
# own connections. And without egress-interfaces (the default, a plain
# host's setting) the same port-forward is reset: the case this setting
# exists for. Last, an nft flowtable that offloads established flows
# (their later packets skip the FORWARD hook): a flow offloaded before
# its verdict is denied, and the server's application reads nothing.
#
#   client  c0 10.0.1.2 -- g0 10.0.1.1 [gw] g1 10.0.2.1 -- s0 10.0.2.2  internet
#   lansrv  l0 10.0.4.2 -- g2 10.0.4.1 [gw]
. "$(dirname "$0")/lib.sh"
require_module
require_tools nft curl openssl python3 dnsmasq
[ -x /usr/sbin/sshd ] || skip_all "missing tool: sshd"
require_tools ssh ssh-keygen
[ -x "$EGRESSCTL" ] || skip_all "no egressctl at $EGRESSCTL"

peers=$EFW_REPO/tests/peers
ctl() { in_ns "$NS_GW" "$EGRESSCTL" "$@"; }

setup_gateway
NS_INET=$NS_SERVER
add_ns NS_LAN lansrv || bail "cannot make the LAN server's namespace"
link_ns "$NS_GW" g2 10.0.4.1/24 fd00:4::1/64 "$NS_LAN" l0 10.0.4.2/24 fd00:4::2/64 &&
default_route "$NS_LAN" 10.0.4.1 fd00:4::1 || bail "cannot link the LAN server"
# The internet knows no route to the LAN: the gateway masquerades.
in_ns "$NS_INET" ip route del default
in_ns "$NS_GW" nft -f - <<'NFT' || bail "nft refused the gateway's ruleset"
table ip gw {
	chain prerouting {
		type nat hook prerouting priority dstnat;
		iifname "g1" tcp dport 2222 dnat to 10.0.4.2:22
		iifname "g1" tcp dport 8443 dnat to 10.0.4.2:443
	}
	chain postrouting {
		type nat hook postrouting priority srcnat;
		oifname "g1" masquerade
	}
}
NFT

# The internet: a listed and an unlisted name on one TLS server, an sshd,
# a resolver. The LAN server: an sshd (the port-forward's target), a TLS
# service, a dnsmasq that answers for a name the list names.
make_cert inet allowed.example.test blocked.example.test &&
make_cert lan office.lan.test || bail "cannot make certificates"
serve_tls "$NS_INET" 443 inet
start_sshd
NS_SERVER=$NS_LAN start_sshd
NS_SERVER=$NS_LAN serve_tls "$NS_LAN" 443 lan
printf 'host-record=ssh.vendor.test,10.0.2.2,300\n' >"$efw_tmp/inet-dns.conf"
printf 'host-record=ssh.vendor.test,10.0.2.9,300\nhost-record=lan.vendor.test,10.0.2.9,300\n' >"$efw_tmp/lan-dns.conf"
for side in "$NS_INET 10.0.2.2 inet" "$NS_LAN 10.0.4.2 lan"; do
	set -- $side
	bg_in "$1" "dnsmasq-$3" dnsmasq --keep-in-foreground --no-resolv --no-hosts \
		--conf-file="$efw_tmp/$3-dns.conf" --listen-address="$2" --bind-interfaces \
		--user=root --pid-file= --log-facility=-
done
in_ns "$NS_INET" ip addr add 10.0.2.9/24 dev s0
wait_for_port "$NS_INET" 443 && wait_for_port "$NS_INET" 22 && wait_for_port "$NS_LAN" 22 &&
wait_for_port "$NS_LAN" 443 && wait_for_port "$NS_INET" 53 udp && wait_for_port "$NS_LAN" 53 udp ||
	bail "the servers did not start"

# The gateway's configuration, as /etc/egressfw would hold it.
etc=$efw_tmp/etc
mkdir -p "$etc"
cat >"$etc/vendors.list" <<'LIST'
allowed.example.test
ssh.vendor.test tcp/22
lan.vendor.test tcp/22
LIST
cat >"$etc/egressfw.conf" <<'CONF'
# The WAN side: only what leaves by g1 is judged.
egress-interfaces = g1
CONF

curl_inet() {	# NAME: an HTTPS GET of NAME from the LAN client, at the internet server
	in_ns "$NS_CLIENT" curl -sS --max-time "$(secs 20)" --cacert "$efw_tmp/ca.pem" \
		--resolve "$1:443:10.0.2.2" "https://$1/"
}
ssh_from() {	# NS ADDR PORT [COMMAND]: a full ssh login, the command's output
	local ns=$1 addr=$2 port=$3
	shift 3
	in_ns "$ns" timeout "$(secs 40)" ssh -p "$port" -o BatchMode=yes \
		-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
		-o ConnectTimeout="$(secs 20)" -o LogLevel=ERROR \
		-i "$efw_tmp/client_key" "root@$addr" "${@:-echo ok}"
}
banner_from() {	# NS ADDR PORT: the first line a TCP service sends, if any
	in_ns "$1" python3 "$peers/line_client.py" "$2" "$3" 2>&1
}
dig_from() {	# NS SERVER NAME: a lookup of NAME at SERVER
	in_ns "$1" python3 "$peers/dns_query.py" "$2" "$3"
}
stat_of() { fw_stat "$1"; }
not() { ! "$@"; }

# --- the same port-forward without egress-interfaces: judged as egress --
NS_FW=$NS_GW
expect "load the lists alone (no egress-interfaces: every interface)" 0 '^loaded 3 rules' \
	ctl load "$etc/vendors.list"
denied0=$(stat_of denied_no_match)
run_cmd ssh_from "$NS_INET" 10.0.2.1 2222
check "default: the inbound port-forward to the LAN sshd is reset" [ "$rc" -ne 0 ]
check "... as a connection out with no rule (denied_no_match)" [ "$(stat_of denied_no_match)" -gt "$denied0" ]

# --- the gateway as configured ------------------------------------------
expect "load the directory: lists and egressfw.conf" 0 '^loaded 3 rules' ctl load "$etc"
expect "config shows the WAN side" 0 '^egress-interfaces = g1$' ctl config
not_egress0=$(stat_of not_egress)

expect "LAN client: a listed name on the internet" 0 'Ciphers' curl_inet allowed.example.test
run_cmd curl_inet blocked.example.test
check "LAN client: an unlisted name is refused" [ "$rc" -ne 0 ]
check "... by a reset, at once (denied_no_match)" grep -Eqi 'reset|refused|closed' <<<"$out"
check "LAN client: ssh to the internet by address, unlisted, gets no banner" \
	not grep -q SSH- <<<"$(banner_from "$NS_CLIENT" 10.0.2.2 22)"

expect "internet -> gw:2222 -> LAN sshd: a login runs a command and returns its output" 0 '^lan-ok$' \
	ssh_from "$NS_INET" 10.0.2.1 2222 'echo lan-ok'
expect "internet -> gw:8443 -> LAN HTTPS, a name no list names" 0 'Ciphers' \
	in_ns "$NS_INET" curl -sS --max-time "$(secs 20)" --cacert "$efw_tmp/ca.pem" \
	--resolve office.lan.test:8443:10.0.2.1 https://office.lan.test:8443/
check "the port-forwards were not judged (not_egress)" [ "$(stat_of not_egress)" -ge $((not_egress0 + 2)) ]
expect "LAN to LAN: the client logs in to the LAN server" 0 '^ok$' ssh_from "$NS_CLIENT" 10.0.4.2 22
expect "LAN to LAN: and reads its HTTPS service" 0 'Ciphers' \
	in_ns "$NS_CLIENT" curl -sS --max-time "$(secs 20)" --cacert "$efw_tmp/ca.pem" \
	--resolve office.lan.test:443:10.0.4.2 https://office.lan.test/

# DNS: answers learned only when they come in by the WAN side.
wrong0=$(stat_of dns_wrong_way)
expect "LAN client asks the LAN dnsmasq for lan.vendor.test" 0 '10.0.2.9' dig_from "$NS_CLIENT" 10.0.4.2 lan.vendor.test
check "an answer from the LAN side is not learned" not grep -q 'lan.vendor.test' <<<"$(ctl cache)"
check "... and counted (dns_wrong_way)" [ "$(stat_of dns_wrong_way)" -gt "$wrong0" ]
check "so ssh to that address stays refused" not grep -q SSH- <<<"$(banner_from "$NS_CLIENT" 10.0.2.9 22)"
expect "LAN client asks the internet resolver for ssh.vendor.test" 0 '10.0.2.2' dig_from "$NS_CLIENT" 10.0.2.2 ssh.vendor.test
check "an answer from the WAN side is learned" grep -q 'ssh.vendor.test' <<<"$(ctl cache)"
expect "ssh to the learned address passes" 0 '^ok$' ssh_from "$NS_CLIENT" 10.0.2.2 22

# The gateway's own connections: judged by default, spared by local pass.
run_cmd in_ns "$NS_GW" curl -sS --max-time "$(secs 20)" --cacert "$efw_tmp/ca.pem" \
	--resolve blocked.example.test:443:10.0.2.2 https://blocked.example.test/
check "local judge: the gateway's own unlisted connection is refused" [ "$rc" -ne 0 ]
printf 'local = pass\n' >>"$etc/egressfw.conf"
expect "reload with local = pass" 0 '^loaded' ctl load "$etc"
expect "local pass: the gateway's own connection is not judged" 0 'Ciphers' \
	in_ns "$NS_GW" curl -sS --max-time "$(secs 20)" --cacert "$efw_tmp/ca.pem" \
	--resolve blocked.example.test:443:10.0.2.2 https://blocked.example.test/
run_cmd curl_inet blocked.example.test
check "local pass: the LAN client's still is refused" [ "$rc" -ne 0 ]

# A name pattern for the WAN side ("g1*"), and a line deleted is a setting
# undone: the file is the whole configuration.
printf 'egress-interfaces = g1*\n' >"$etc/egressfw.conf"
expect "reload with egress-interfaces = g1*" 0 '^loaded' ctl load "$etc"
expect "config: local back to its default" 0 '^local = judge$' ctl config
expect "g1*: the port-forward still works" 0 '^ok$' ssh_from "$NS_INET" 10.0.2.1 2222
run_cmd curl_inet blocked.example.test
check "g1*: the LAN client's unlisted name is still refused" [ "$rc" -ne 0 ]

# A flowtable offloading every established flow: the ClientHello would
# skip the FORWARD hook. The flow is denied when it is offloaded (the
# handshake's last ACK), before any byte of the hello.
sink=$efw_tmp/sink.bin
: >"$sink"
bg_in "$NS_INET" sink python3 "$peers/sink_server.py" 4443 "$sink"
wait_for_port "$NS_INET" 4443 || bail "the sink server did not start"
printf 'egress-interfaces = g1\ntls-ports = 443,4443\n' >"$etc/egressfw.conf"
expect "reload with tls-ports 443,4443" 0 '^loaded' ctl load "$etc"
in_ns "$NS_GW" nft -f - <<'NFT' || bail "nft refused the flowtable"
table inet fastpath {
	flowtable ft {
		hook ingress priority 0; devices = { g0, g1 };
	}
	chain forward {
		type filter hook forward priority 0;
		ct state established flow add @ft
	}
}
NFT
offloaded0=$(stat_of denied_offloaded)
run_cmd in_ns "$NS_CLIENT" curl -sS --max-time "$(secs 20)" --cacert "$efw_tmp/ca.pem" \
	--resolve blocked.example.test:4443:10.0.2.2 https://blocked.example.test:4443/
check "flowtable: an unlisted name's connection fails" [ "$rc" -ne 0 ]
sleep 1
check "... and the server's application read none of its hello" \
	not grep -q blocked.example.test "$sink"
check "... denied as offloaded before its verdict (denied_offloaded)" \
	[ "$(stat_of denied_offloaded)" -gt "$offloaded0" ]
in_ns "$NS_GW" nft delete table inet fastpath

check_kernel_log "no kernel warnings"
ktap_finish
