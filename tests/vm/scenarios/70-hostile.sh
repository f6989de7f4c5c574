#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 300
# vm-cost: 60
#
# A hostile client behind the gateway: it crafts its own segments
# (tests/peers/raw_tcp.py) to get a forbidden ClientHello past the
# verdict. Each case sends the hostile packets, then asserts what the
# server's *application* read (tests/peers/sink_server.py records it)
# and what the client got back; each one got through before the fix
# named in its description (README "Threat model").
#
# The allowlist names central.sophos.com; the forbidden hello is python's
# capture (SNI www.example.com), the allowed one openssl's.
. "$(dirname "$0")/lib.sh"
require_module
require_tools python3 nft setpriv
[ -x "$EGRESSCTL" ] || skip_all "no egressctl at $EGRESSCTL"

peers=$EFW_REPO/tests/peers
tls=$EFW_REPO/tests/data/tls
evil=$tls/python.bin
good=$tls/openssl.bin
ctl() { in_ns "$NS_FW" "$EGRESSCTL" "$@"; }

setup_gateway
sink=$efw_tmp/sink.bin
greeted=$efw_tmp/greeted.bin
bg_in "$NS_SERVER" sink python3 "$peers/sink_server.py" 443 "$sink"
bg_in "$NS_SERVER" greeter python3 "$peers/sink_server.py" 8443 "$greeted" SERVER-SPEAKS-FIRST
# The raw client's own kernel would answer the server with resets.
in_ns "$NS_CLIENT" nft -f - <<EOF || bail "cannot set up nft in the client"
add table ip efwraw
add chain ip efwraw out { type filter hook output priority 0; }
add rule ip efwraw out tcp flags rst meta mark != 1 drop
EOF
# What the client sends with a TTL under 10 is lost one hop past the
# gateway: the server's namespace drops it (a router would, once the TTL
# runs out).
in_ns "$NS_SERVER" nft -f - <<EOF || bail "cannot set up nft in the server"
add table ip efwttl
add chain ip efwttl pre { type filter hook prerouting priority -300; }
add rule ip efwttl pre ip ttl < 10 drop
EOF
printf 'central.sophos.com\n' >"$efw_tmp/one.list"
printf 'central.sophos.com\nwww.example.com\n' >"$efw_tmp/two.list"
wait_for_port "$NS_SERVER" 443 || bail "sink server did not start"
wait_for_port "$NS_SERVER" 8443 || bail "greeting server did not start"
expect "load the list" 0 'loaded 1 rule ' ctl load "$efw_tmp/one.list"
expect "tls-ports 443 and 8443" 0 '' ctl set tls-ports 443,8443

sport=40000
# attack PORT STEP...: a new flow (a new source port) that does the
# handshake, then runs STEPs; its JSON result in $got, and in $read what
# the server application read meanwhile. attack_raw: the same without the
# handshake (STEPs do it).
attack() {
	local port=$1
	shift
	attack_raw "$port" syn "$@"
}
attack_raw() {
	local port=$1 before
	shift
	sport=$((sport + 1))
	before=$(stat -c %s "$sink")
	got=$(in_ns "$NS_CLIENT" python3 "$peers/raw_tcp.py" "$CLIENT_IP4" \
		"$SERVER_IP4" "$port" "$sport" "$@" wait:$(secs 1))
	sleep 0.5
	read=$(tail -c +$((before + 1)) "$sink" | tr -c '[:print:]' '.')
	echo "# $got"
	[ -n "$read" ] && echo "# the server read: ${read:0:120}"
}
field() { python3 -c 'import json, sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$got" "$1"; }
read_has() { grep -q -- "$1" <<<"$read"; }
not_read() { ! read_has "$1"; }
not_field_has() { ! grep -q -- "$2" <<<"$(field "$1")"; }
hex() { od -An -tx1 -v "$1" | tr -d ' \n'; }

# The control: the forbidden hello sent the ordinary way is reset.
attack 443 sendfile:0:PA:"$evil"
check "control: the forbidden hello is reset" [ "$(field rst)" = True ]
check "control: the server read none of it" not_read www.example.com

# Finding 2: a segment that starts at the SYN's own sequence number. The
# server drops the byte before its first expected one and reads the rest.
attack 443 send:-1:PA:58"$(hex "$evil")"
check "pre-ISN byte + forbidden hello: the client is reset" [ "$(field rst)" = True ]
check "pre-ISN byte + forbidden hello: the server read none of it" not_read www.example.com

# Finding 1: an ICMP error about the flow, shaped to read as a TCP
# segment carrying the allowed hello, then the forbidden hello itself.
attack 443 icmp:0:"$(hex "$good")" wait:0.5 sendfile:0:PA:"$evil"
check "ICMP-borne allowed hello, then the forbidden one: reset" [ "$(field rst)" = True ]
check "ICMP-borne allowed hello: the server read no forbidden hello" not_read www.example.com

# Finding 4 (part): urgent data is read out of band, not as the stream.
attack 443 sendfile:0:PAU:"$good"
check "allowed hello sent as urgent data: reset" [ "$(field rst)" = True ]
check "urgent hello: the server read none of it" not_read central.sophos.com

# Finding 4: the allowed hello is lost past the gateway (its TTL runs
# out), and the client sends the forbidden one in its place, at the same
# offset: the verdict was the allowed hello's, the server reads the other.
attack 443 ttl:8 sendfile:0:PA:"$good" ttl:64 wait:0.5 sendfile:0:PA:"$evil"
check "allowed hello lost past the gateway, forbidden one resent in its place: reset" \
	[ "$(field rst)" = True ]
check "... the server read none of the forbidden hello" not_read www.example.com

# Finding 4: the first SYN is lost past the gateway; a second one starts
# the stream 600 bytes lower. Counting from the first SYN, the gateway
# would judge the allowed hello at byte 600, while the server reads the
# forbidden one at byte 0.
{ cat "$evil"; head -c $((600 - $(stat -c %s "$evil"))) /dev/zero; cat "$good"; } \
	>"$efw_tmp/evil-then-good.bin"
attack_raw 443 ttl:8 rawsyn ttl:64 isn:-600 syn sendfile:0:PA:"$efw_tmp/evil-then-good.bin"
check "first SYN lost, the stream started lower: the server read no forbidden hello" \
	not_read www.example.com
check "... and the client is reset" [ "$(field rst)" = True ]

# The same lost SYN with an allowed hello: the stream is judged from the
# byte the server expects, and passes.
attack_raw 443 ttl:8 rawsyn ttl:64 isn:-600 syn sendfile:0:PA:"$good"
check "first SYN lost, allowed hello from the server's first byte: not reset" \
	[ "$(field rst)" = False ]
check "... the server read it" read_has central.sophos.com
check "... and its acknowledgement ended the verification" [ "$(fw_stat pending)" -eq 0 ]

# Finding 4: a client that forges the server's acknowledgement of the
# allowed hello (from its own side) does not end the verification.
gw_mac=$(in_ns "$NS_GW" cat /sys/class/net/g0/address)
attack 443 ttl:8 sendfile:0:PA:"$good" ttl:64 forgeack:400:c0:"$gw_mac" wait:0.5 \
	sendfile:0:PA:"$evil"
check "forged acknowledgement, then the forbidden hello in place of the lost one: reset" \
	[ "$(field rst)" = True ]
check "... the server read none of it" not_read www.example.com

# Finding 3: the server speaks first, before any verdict (TLS is
# client first): nothing of it reaches the client.
denied0=$(fw_stat denied_not_tls)
attack 8443 wait:$(secs 1)
check "server speaking first: the client read nothing" \
	not_field_has data "$(printf SERVER-SPEAKS-FIRST | od -An -tx1 -v | tr -d ' \n')"
check "server speaking first: the client is reset" [ "$(field rst)" = True ]
check "server speaking first: denied not_tls" [ "$(fw_stat denied_not_tls)" -gt "$denied0" ]

# Finding 3: past hello-timeout, a pending flow's bare ACK is reset.
expect "hello-timeout 300 ms" 0 '' ctl set hello-timeout 300
attack 443 wait:$(secs 2) ack
check "bare ACK past the hello deadline: reset" [ "$(field rst)" = True ]
expect "hello-timeout back to 10 s" 0 '' ctl set hello-timeout 10000

# Finding 17: a complete hello followed by early data in the same segment
# is judged by the hello (hello-max 512: the segment is bigger).
expect "hello-max 512" 0 '' ctl set hello-max 512
{ cat "$good"; head -c 600 /dev/zero | tr '\0' 'E'; } >"$efw_tmp/good-0rtt.bin"
attack 443 sendfile:0:PA:"$efw_tmp/good-0rtt.bin"
check "allowed hello + 600 bytes of early data: not reset" [ "$(field rst)" = False ]
check "allowed hello + early data: the server read the hello" read_has central.sophos.com
expect "hello-max back to 17408" 0 '' ctl set hello-max 17408

# Finding 10: a denied flow's conntrack entry is gone, so a later
# connection on the same ports is judged afresh once the list allows it
# (before, the entry stayed ESTABLISHED and the new SYN was dropped).
fixed() {
	in_ns "$NS_CLIENT" python3 "$peers/fixed_port_client.py" "$SERVER_IP4" 443 \
		41000 "$evil" "$(secs 3)"
}
ct_entries() {	# the gateway's conntrack entries from client port 41000
	[ -r /proc/net/nf_conntrack ] || { echo 0; return; }
	in_ns "$NS_GW" grep -c 'sport=41000 dport=443 ' /proc/net/nf_conntrack
}
expect "a real client's forbidden hello is reset" 0 '^reset$' fixed
if in_ns "$NS_GW" test -r /proc/net/nf_conntrack; then
	check "its conntrack entry is gone" [ "$(ct_entries)" -eq 0 ]
else
	ktap_skip "its conntrack entry is gone" "no /proc/net/nf_conntrack in this kernel"
fi
expect "load a list that allows www.example.com" 0 'loaded 2 rules' ctl load "$efw_tmp/two.list"
before=$(stat -c %s "$sink")
expect "the same ports, now allowed: connected, the server is quiet" 0 '^quiet$' fixed
read=$(tail -c +$((before + 1)) "$sink" | tr -c '[:print:]' '.')
check "the same ports, now allowed: the server read the hello" read_has www.example.com

# Finding 9: one client's bare SYNs to an address that never answers take
# at most its share (an eighth) of the table of flows waiting for a
# ClientHello: another client's connection is still judged, not refused.
in_ns "$NS_CLIENT" ip addr add 10.0.1.3/24 dev c0
over0=$(fw_stat denied_pending_overflow)
in_ns "$NS_CLIENT" python3 "$peers/syn_flood.py" "$CLIENT_IP4" 10.0.2.99 443 4200
check "4200 SYNs from one client: its excess is refused" \
	[ "$(fw_stat denied_pending_overflow)" -gt "$over0" ]
check "... and it holds at most 512 places" [ "$(fw_stat pending)" -le 512 ]
before=$(stat -c %s "$sink")
expect "another client's allowed hello meanwhile: connected, the server is quiet" 0 '^quiet$' \
	in_ns "$NS_CLIENT" python3 "$peers/fixed_port_client.py" "$SERVER_IP4" 443 41001 \
	"$good" "$(secs 3)" 10.0.1.3
read=$(tail -c +$((before + 1)) "$sink" | tr -c '[:print:]' '.')
check "... and the server read its hello" read_has central.sophos.com

# Finding 6: the client answers its own DNS query, forging the resolver's
# address, in a frame to the gateway (whose rp_filter is off, the
# kernel's default). The answer matches the query's flow, but it comes in
# from the client's side: not learned. The same answer from the
# resolver's side is.
add_resolver "$NS_GW"
in_ns "$NS_GW" sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0 \
	net.ipv4.conf.g0.rp_filter=0
printf 'central.sophos.com\n*.apu.sophos.com tcp/22\n' >"$efw_tmp/dns.list"
expect "load a list with *.apu.sophos.com tcp/22" 0 'loaded 2 rules' ctl load "$efw_tmp/dns.list"
cached() { ctl cache | awk -v n="$1" '$2 == n' | wc -l; }
not() { ! "$@"; }
ask() {	# NAME [ID]: the client asks the resolver for NAME, from UDP port 40053
	in_ns "$NS_CLIENT" python3 "$peers/dns_spoof.py" --id "${2:-0x4242}" --ask "$RESOLVER4" 40053 "$1"
}
answer() {	# NAME ADDR [ID]: an answer from the resolver's side, to port 40053
	in_ns "$NS_RESOLVER" python3 "$peers/dns_spoof.py" --id "${3:-0x4242}" "$CLIENT_IP4" 40053 "$1" "$2"
}
ask forged.apu.sophos.com
gw_mac=$(in_ns "$NS_GW" cat /sys/class/net/g0/address)
wrong0=$(fw_stat dns_wrong_way)
in_ns "$NS_CLIENT" python3 "$peers/dns_spoof.py" "$CLIENT_IP4" 40053 forged.apu.sophos.com \
	10.0.2.9 "$RESOLVER4" c0 "$gw_mac"
sleep 0.5
check "a client's forged answer on its own query: not learned" [ "$(cached forged.apu.sophos.com)" -eq 0 ]
check "... counted as dns_wrong_way" [ "$(fw_stat dns_wrong_way)" -gt "$wrong0" ]
ask genuine.apu.sophos.com
answer genuine.apu.sophos.com 10.0.2.8
sleep 0.5
check "the same answer from the resolver's side: learned" [ "$(cached genuine.apu.sophos.com)" -eq 1 ]

# Finding 6, off the path: a sender on the resolver's side that found the
# client's port must also repeat the query's transaction id and question,
# and a query is answered once.
unmatched0=$(fw_stat dns_unmatched)
ask wrongid.apu.sophos.com 0x4242
answer wrongid.apu.sophos.com 10.0.2.8 0x1313
sleep 0.5
check "an answer with another transaction id: not learned" [ "$(cached wrongid.apu.sophos.com)" -eq 0 ]
check "... counted as dns_unmatched" [ "$(fw_stat dns_unmatched)" -gt "$unmatched0" ]
ask asked.apu.sophos.com
answer other.apu.sophos.com 10.0.2.8
sleep 0.5
check "an answer to another question, with the query's id: not learned" [ "$(cached other.apu.sophos.com)" -eq 0 ]
answer asked.apu.sophos.com 10.0.2.5
answer asked.apu.sophos.com 10.0.2.4
sleep 0.5
check "the answer to the query: learned" \
	[ "$(ctl cache | awk '$2 == "asked.apu.sophos.com" { print $1 }')" = 10.0.2.5 ]
check "a second answer to the same query: not learned" \
	not grep -q '^10.0.2.4 ' <<<"$(ctl cache)"

# Finding 5: over TCP, an answer's TXT record holds another answer, framed,
# and the resolver's segment boundary falls where it starts. Read from the
# start of each segment, it teaches its address; read at message
# boundaries it is a TXT string.
bg_in "$NS_RESOLVER" tcpdns python3 "$peers/dns_tcp_split.py" "$RESOLVER4" \
	planted.apu.sophos.com 10.0.2.7
wait_for_port "$NS_RESOLVER" 53 || bail "the TCP resolver did not start"
in_ns "$NS_CLIENT" python3 "$peers/dns_query.py" --tcp "$RESOLVER4" txt.apu.sophos.com >/dev/null
sleep 0.5
check "an answer planted in a TXT record at a TCP segment boundary: not learned" \
	[ "$(cached planted.apu.sophos.com)" -eq 0 ]

# Finding 7: host-wide budgets. Each namespace has its bounds, a user may
# have many namespaces: the ClientHello buffers and learned entries of all
# of them together stay within the module's budgets, and a refusal is
# counted. Here the budgets are cut to nothing and put back.
params=/sys/module/${EFW_MODULE_NAME:-egressfw}/parameters
if [ -w $params/hello_budget_kib ]; then
	hello_budget=$(cat $params/hello_budget_kib) dns_budget=$(cat $params/dns_budget_kib)
	over0=$(fw_stat over_budget)
	echo 1 >$params/hello_budget_kib
	attack 443 sendfile:0:PA:"$good"
	echo "$hello_budget" >$params/hello_budget_kib
	check "hello buffers over the host-wide budget: the allowed hello is reset" \
		[ "$(field rst)" = True ]
	check "... counted as over_budget" [ "$(fw_stat over_budget)" -gt "$over0" ]
	attack 443 sendfile:0:PA:"$good"
	check "... and within it again, it passes" [ "$(field rst)" = False ]
	over0=$(fw_stat over_budget)
	ask budget.apu.sophos.com
	echo 0 >$params/dns_budget_kib
	answer budget.apu.sophos.com 10.0.2.6
	sleep 0.5
	echo "$dns_budget" >$params/dns_budget_kib
	check "learned entries over the host-wide budget: not learned" \
		[ "$(cached budget.apu.sophos.com)" -eq 0 ]
	check "... counted as over_budget" [ "$(fw_stat over_budget)" -gt "$over0" ]
else
	check "the module has host-wide budgets ($params)" false
fi

# Finding 14: the names clients resolved and the deny events are the
# namespace admin's business, not any local user's.
nobody() {
	in_ns "$NS_FW" setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$@"
}
refused() { ! "$@" >/dev/null 2>&1; }
expect "unprivileged egressctl cache: permission denied" 3 'permission denied' \
	nobody "$EGRESSCTL" cache
check "unprivileged read of /proc/net/egressfw/dns: refused" \
	refused nobody cat /proc/net/egressfw/dns
expect "unprivileged egressctl monitor: permission denied" 3 'permission denied' \
	nobody timeout $(secs 5) "$EGRESSCTL" monitor
check "root still reads the learned table" [ "$(cached genuine.apu.sophos.com)" -eq 1 ]

# Finding 7: any user may own a network namespace (unshare -Urn) and
# administer egressfw there. Its settings that bound kernel memory no
# cgroup pays for stop at their defaults, its lists at 65,536 rules.
if nobody unshare -Urn true 2>/dev/null; then
	pub=$(mktemp -d)
	chmod 755 "$pub"
	on_cleanup "rm -rf $pub"
	printf 'central.sophos.com\n' >"$pub/one.list"
	python3 -c 'print("\n".join("h%d.test" % i for i in range(65537)))' >"$pub/big.list"
	chmod 644 "$pub"/*.list
	own() { nobody unshare -Urn "$EGRESSCTL" "$@"; }
	expect "own namespace: pending-max above its default refused" 2 \
		'pending-max: at most 4096 flows in a namespace an unprivileged user owns' \
		own set pending-max 4097
	expect "own namespace: hello-max above its default refused" 2 'at most 17408 bytes' \
		own set hello-max 65536
	expect "own namespace: dns-max above its default refused" 2 'at most 65536 entries' \
		own set dns-max 4194304
	expect "own namespace: the defaults may be set" 0 '' \
		own set pending-max 4096 hello-max 17408 dns-max 65536
	expect "own namespace: a list loads" 0 'loaded 1 rule ' own load "$pub/one.list"
	expect "own namespace: 65,537 rules refused" 3 \
		'too many rules for a namespace of an unprivileged user' own load "$pub/big.list"
	expect "the host's namespace: pending-max above the default still accepted" 0 '' \
		ctl set pending-max 8192
	expect "... and back" 0 '' ctl set pending-max 4096
else
	ktap_skip "own namespace: limits" "unprivileged user namespaces are off in this kernel"
fi

# Finding 7: the kernel memory of a ruleset is the loader's memory
# cgroup's to pay: after a load from a fresh cgroup, the cgroup still
# holds it, well beyond the list file's page cache.
cg=/sys/fs/cgroup
[ -e $cg/cgroup.controllers ] || mount -t cgroup2 none $cg 2>/dev/null
if [ -e $cg/cgroup.controllers ] && grep -qw memory $cg/cgroup.controllers; then
	echo +memory >$cg/cgroup.subtree_control 2>/dev/null
	mkdir -p $cg/efwload
	python3 -c 'print("\n".join("h%d.scale.test" % i for i in range(65536)))' >"$efw_tmp/65k.list"
	# Into the cgroup first: ip netns exec mounts a /sys of its own.
	sh -c "echo \$\$ >$cg/efwload/cgroup.procs &&
		exec ip netns exec $NS_FW $EGRESSCTL load $efw_tmp/65k.list" >/dev/null
	held=$(cat $cg/efwload/memory.current)
	file=$(stat -c %s "$efw_tmp/65k.list")
	echo "# the loader's cgroup holds $held bytes; the list is $file bytes"
	check "a ruleset's kernel memory is charged to its loader's cgroup" [ "$held" -gt $((file * 4)) ]
	expect "load the small list again" 0 'loaded 2 rules' ctl load "$efw_tmp/dns.list"
	rmdir $cg/efwload 2>/dev/null
else
	ktap_skip "a ruleset's kernel memory is charged to its loader's cgroup" "no memory cgroup"
fi

check_kernel_log "kernel log clean"
ktap_finish
