#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 900
# vm-cost: 150
#
# egressfw with nftables, and rolling out a list, with real nft, dnsmasq,
# sshd, curl and ping:
#   - the verdict label bits have names (packaging/connlabel.conf, as the
#     package installs it in /etc/connlabel.conf): nft rules match
#     `ct label egressfw-allow` and `ct label egressfw-deny`;
#   - `egressctl nft-sync` puts the addresses DNS gave for the names of a
#     list's `@set` into nft sets, with the learned entry's lifetime as
#     the element's timeout; an nft rule using the set lets ICMP through
#     to those hosts only; an element leaves the set when it expires;
#   - audit mode, `egressctl report` and `report --suggest`: what the
#     unlisted clients asked for, as list lines; appended, and the mode
#     back to enforce, the same clients pass.
. "$(dirname "$0")/lib.sh"
require_module
require_tools nft dnsmasq python3 curl ping
[ -x /usr/sbin/sshd ] || skip_all "missing tool: sshd"
require_tools ssh ssh-keygen
[ -x "$EGRESSCTL" ] || skip_all "no egressctl at $EGRESSCTL"

ctl() { in_ns "$NS_FW" "$EGRESSCTL" "$@"; }
gw_nft() { in_ns "$NS_GW" nft "$@"; }
# readme_recipe NAME: the README's code block after "<!-- 87-nft: NAME -->",
# unindented: the recipes are tested as the README writes them.
readme_recipe() {
	awk -v m="<!-- 87-nft: $1 -->" '
		$0 == m { on = 1; next }
		on && /^    / { sub(/^    /, ""); print; next }
		on && /^$/ { print; next }
		on { exit }' "$EFW_REPO/README.md"
}

# The label names, added to the host's file as the package does it, and
# taken out again on exit.
"$EFW_REPO/packaging/egressfw-connlabel" add /etc/connlabel.conf ||
	bail "egressfw-connlabel add failed"
on_cleanup "$EFW_REPO/packaging/egressfw-connlabel remove /etc/connlabel.conf"

setup_gateway
add_resolver "$NS_GW"
{
	echo "no-resolv"
	echo "no-hosts"
	echo "host-record=x.apu.sophos.com,$SERVER_IP4,$SERVER_IP6,300"
	echo "host-record=r.apu.sophos.com,10.0.9.2,300"
	echo "host-record=short.apu.sophos.com,10.0.2.6,8"
	echo "host-record=other.test,10.0.2.8,300"
} >"$efw_tmp/dnsmasq.conf"
start_dnsmasq "$efw_tmp/dnsmasq.conf"
resolv_conf "$NS_CLIENT" "$RESOLVER4"
for a in 10.0.2.6/24 10.0.2.8/24 10.0.2.9/24 10.0.9.2/32; do
	printf 'addr add %s dev s0\n' "$a"
done | ns_batch "$NS_SERVER"
start_sshd
make_cert nft central.sophos.com a.vendor.test b.vendor.test c.other.test ||
	bail "cannot make a certificate"
serve_tls "$NS_SERVER" 443 nft
for p in 22 443; do
	wait_for_port "$NS_SERVER" $p || bail "server on $p did not start"
done

cat >"$efw_tmp/vendor.list" <<EOF
central.sophos.com
@set inet vendors v4 v6
*.apu.sophos.com tcp/22
EOF
expect "load a list with an @set" 0 'loaded' ctl load "$efw_tmp/vendor.list"

# curl_to NAME ADDR: an HTTPS request from the client to NAME at ADDR.
curl_to() {
	in_ns "$NS_CLIENT" curl -sS --noproxy '*' --max-time $(secs 20) \
		--cacert "$efw_tmp/ca.pem" --resolve "$1:443:$2" "https://$1/" -o /dev/null -w '%{http_code}\n'
}
refused() { ! "$@" >/dev/null 2>&1; }
# counter TABLE COMMENT: packets the rule with that comment counted.
counter() {
	gw_nft list table inet "$1" |
		awk -v c="comment \"$2\"" 'index($0, c) { for (i = 1; i < NF; i++) if ($i == "packets") print $(i + 1) }'
}

# ---------------------------------------------------------------------------
# Labels: after egressfw's hook (priority 10), nft sees its verdicts.
readme_recipe labels >"$efw_tmp/labels.nft"
expect "README's label recipe loads" 0 '' gw_nft -f "$efw_tmp/labels.nft"
expect "a listed name passes" 0 '^200$' curl_to central.sophos.com "$SERVER_IP4"
a=$(counter egressfw_labels allowed)
check "nft: ct label egressfw-allow matches its packets ($a)" [ "${a:-0}" -gt 0 ]
check "nft: ct label egressfw-deny matched nothing yet" [ "$(counter egressfw_labels denied)" -eq 0 ]
check "an unlisted name is reset" refused curl_to c.other.test 10.0.2.9
d=$(counter egressfw_labels denied)
check "nft: ct label egressfw-deny matches the denied flow's reset to the server ($d)" \
	[ "${d:-0}" -gt 0 ]

# The README's flowtable recipe: offload only flows egressfw allowed and
# no longer verifies (ALLOW without PENDING), after its hook.
readme_recipe flowtable >"$efw_tmp/flowtable.nft"
expect "README's flowtable recipe loads" 0 '' gw_nft -f "$efw_tmp/flowtable.nft"
offloaded0=$(fw_stat denied_offloaded)
expect "flowtable recipe: a listed name passes" 0 '^200$' curl_to central.sophos.com "$SERVER_IP4"
check "flowtable recipe: an unlisted name is still reset" refused curl_to c.other.test 10.0.2.9
ssh_to x.apu.sophos.com 'sleep 6; echo ok' >"$efw_tmp/offload.out" 2>&1 &
long=$!
offloaded_ssh() {
	in_ns "$NS_GW" grep -q 'dport=22 .*\[OFFLOAD\]' /proc/net/nf_conntrack
}
if in_ns "$NS_GW" test -r /proc/net/nf_conntrack; then
	check "flowtable recipe: the allowed ssh flow is offloaded" wait_until 5 offloaded_ssh
else
	ktap_skip "flowtable recipe: the allowed ssh flow is offloaded" "no /proc/net/nf_conntrack"
fi
wait "$long"
check "... and its session ends well" grep -q '^ok$' "$efw_tmp/offload.out"
check "flowtable recipe: nothing denied as offloaded" \
	[ "$(fw_stat denied_offloaded)" -eq "$offloaded0" ]
gw_nft delete table inet fastpath

# ---------------------------------------------------------------------------
# Learned addresses in nft sets, with the README's recipe: ping allowed to
# the vendor's hosts only, their traffic marked for routing table 100.
readme_recipe sets >"$efw_tmp/sets.nft"
expect "README's set recipe loads" 0 '' gw_nft -f "$efw_tmp/sets.nft"
# 10.0.9.2 is reachable only by table 100 (the README's second uplink).
printf 'rule add fwmark 0x1 lookup 100\nroute add 10.0.9.0/24 via 10.0.2.2 dev g1 table 100\n' |
	ns_batch "$NS_GW" || bail "cannot add the policy route"
bg_in "$NS_FW" nft-sync "$EGRESSCTL" nft-sync
element_in() {	# SET ADDR
	gw_nft list set inet vendors "$1" 2>/dev/null | grep -q "$2 timeout"
}
not_in() { ! element_in "$@"; }
expect "ping to a vendor host not yet resolved: dropped" 1 '' \
	in_ns "$NS_CLIENT" ping -c 1 -W $(secs 2) 10.0.2.6
# x.apu.sophos.com was learned before nft-sync started: its first dump
# of the learned table puts it in.
check "nft-sync put an address learned before it started in v4" \
	wait_until 10 element_in v4 "$SERVER_IP4"
timeout_of() {	# SET ADDR: the element's timeout as nft prints it
	gw_nft list set inet vendors "$1" | grep -o "$2 timeout [0-9a-z]*" | awk '{ print $3 }'
}
t0=$(timeout_of v4 "$SERVER_IP4")
less_than_6m() { [ -n "$t0" ] && [ "$t0" != 6m ]; }
check "... with the time its entry had left as timeout ($t0)" less_than_6m
expect "ssh to a listed name" 0 '^ok$' ssh_to x.apu.sophos.com
refreshed() { [ "$(timeout_of v4 "$SERVER_IP4")" = 6m ]; }
# dnsmasq's TTL 300 plus dns-grace 60
check "the new answer refreshed the element: timeout 6m, the entry's lifetime" \
	wait_until 10 refreshed
# (Checked after the new answer: once, in CI, the AAAA the first ssh
# resolved was not in the set within 10 s of nft-sync's start.)
check "... and its IPv6 address is in v6" wait_until 10 element_in v6 "$SERVER_IP6"
expect "the set lets ping through to the vendor host" 0 '' \
	in_ns "$NS_CLIENT" ping -c 1 -W $(secs 5) "$SERVER_IP4"
expect "... over IPv6 too" 0 '' in_ns "$NS_CLIENT" ping -6 -c 1 -W $(secs 5) "$SERVER_IP6"
expect "ping to another host is still dropped" 1 '' \
	in_ns "$NS_CLIENT" ping -c 1 -W $(secs 2) 10.0.2.8
in_ns "$NS_CLIENT" getent ahostsv4 other.test >/dev/null
check "an unlisted name's address stays out of the set" not_in v4 10.0.2.8
expect "ssh to a vendor host only table 100 routes to (marked by the set)" 0 '^ok$' \
	ssh_to r.apu.sophos.com
check "... its address is in the set" element_in v4 10.0.9.2
expect "short TTLs kept short" 0 '' ctl set dns-ttl-min 0 dns-grace 0
expect "resolve an 8 s name" 0 '10\.0\.2\.6' in_ns "$NS_CLIENT" getent ahostsv4 short.apu.sophos.com
check "its address enters the set" wait_until 10 element_in v4 10.0.2.6
expect "... and ping to it passes" 0 '' in_ns "$NS_CLIENT" ping -c 1 -W $(secs 5) 10.0.2.6
check "it leaves the set when the entry expires" wait_until 20 not_in v4 10.0.2.6
expect "... and ping to it is dropped again" 1 '' in_ns "$NS_CLIENT" ping -c 1 -W $(secs 2) 10.0.2.6
expect "TTL bounds back" 0 '' ctl set dns-ttl-min 30 dns-grace 60

# ---------------------------------------------------------------------------
# Rolling out a list: audit, report, suggest, append, enforce.
expect "rollout: the report starts empty" 0 '' ctl report --clear
expect "rollout: audit mode" 0 '' ctl set mode audit
# The rollout's clients: a listed one, unlisted names by SNI (two under
# one registrable domain), ssh to an unlisted name and to an address.
rollout_clients() {
	curl_to central.sophos.com "$SERVER_IP4" &&
	curl_to a.vendor.test 10.0.2.9 &&
	curl_to a.vendor.test 10.0.2.9 &&
	curl_to b.vendor.test 10.0.2.9 &&
	curl_to c.other.test 10.0.2.8 &&
	ssh_to other.test &&
	ssh_to 10.0.2.9
}
expect "rollout: in audit mode every client gets through" 0 '' rollout_clients
out=$(ctl report)
printf '%s\n' "$out" | sed 's/^/# /'
check "rollout: report, most frequent first" awk '
	/a\.vendor\.test/ && !a { a = NR } /b\.vendor\.test/ && !b { b = NR }
	END { exit !(a && b && a < b) }' <<<"$out"
out=$(ctl report -j)
check "rollout: report -j has exactly what the unlisted clients asked for" \
	python3 -c '
import json, sys
got = sorted((e.get("name") or e.get("address"), e["proto"], e["port"], e["count"])
             for e in json.loads(sys.argv[1]))
want = sorted([("a.vendor.test", "tcp", 443, 2), ("b.vendor.test", "tcp", 443, 1),
               ("c.other.test", "tcp", 443, 1), ("other.test", "tcp", 22, 1),
               ("10.0.2.9", "tcp", 22, 1)])
print("#", got)
sys.exit(got != want)' "$out"
ctl report --suggest >"$efw_tmp/suggested.list"
printf '%s\n' '*.vendor.test tcp/443' 'c.other.test tcp/443' 'other.test tcp/22' \
	'10.0.2.9 tcp/22' | sort >"$efw_tmp/want.list"
check "rollout: --suggest prints the list lines for them" \
	diff -u "$efw_tmp/want.list" <(grep -v '^#' "$efw_tmp/suggested.list" | sort)
cat "$efw_tmp/suggested.list" >>"$efw_tmp/vendor.list"
expect "rollout: the list with the suggestions appended loads" 0 'loaded' ctl load "$efw_tmp/vendor.list"
expect "rollout: enforce" 0 '' ctl set mode enforce
expect "rollout: in enforce mode the same clients pass" 0 '' rollout_clients
check "rollout: an unlisted client is still reset" refused curl_to d.unlisted.test 10.0.2.9

# A client that scans: the report keeps at most 1024 entries and counts
# the denials it had no room for.
expect "rollout: clear the report" 0 '' ctl report --clear
full0=$(fw_stat report_full)
in_ns "$NS_GW" ip route add 10.0.96.0/19 dev g1 || bail "no route for the scan"
in_ns "$NS_CLIENT" python3 -c '
import socket
for i in range(1100):
    s = socket.socket()
    s.setblocking(False)
    s.connect_ex(("10.0.%d.%d" % (100 + i // 250, i % 250 + 1), 22))
    s.close()
'
n=$(ctl report -j | python3 -c 'import json, sys; print(len(json.load(sys.stdin)))')
check "scan: the report holds 1024 entries ($n)" [ "$n" -eq 1024 ]
full=$(fw_stat report_full)
check "scan: report_full counts the rest ($full0 -> $full)" [ "$((full - full0))" -ge 76 ]

check_kernel_log "kernel log clean"
ktap_finish
