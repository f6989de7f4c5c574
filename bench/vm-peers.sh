#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 3600
#
# egressfw beside its peers (issue 15), run in the test VM by
# `make bench-peers` (not a test: it reports what it measured, and fails
# only if the test bed itself breaks).
#
# One client -> gateway -> server path per arm, all in one boot, sharing
# one server namespace (one python server, bench/peers/server.py):
#   none      no filtering, conntrack on (an nft "ct state" rule)
#   egressfw  the same, plus an egressfw list loaded in that gateway only
#             (egressfw's state is per network namespace)
#   suricata  Suricata 7 in IPS mode on NFQUEUE (nft "queue"), a tls.sni
#             pass rule over a dataset of the listed names (lower-cased
#             first), reject other TLS once the ClientHello is parsed
#             (ssl_state: a hello cut in pieces is not judged early) and
#             anything on 443 that is not TLS
#   squid     Squid (squid-openssl) as a transparent proxy (nft redirect
#             to an "https_port intercept ssl-bump"), peek at step 1,
#             splice listed SNI (ssl::server_name), terminate the rest
#   nftset    an nft set of addresses filled by dnsmasq --nftset for the
#             listed names, forward to port 443 only for those addresses
# Every arm's gateway runs dnsmasq for its clients (the names resolve to
# that arm's server addresses), so each client resolves as a real one.
#
# Measured, per list size (EFW_PEERS_SIZES, default "10 1000 100000"):
#  - correctness: real clients (curl, openssl s_client, python ssl, a
#    no-SNI hello, plain HTTP on 443, and tests/peers/tls_split_client.py:
#    the hello cut inside the name, the hello spread over several TLS
#    records, a listed name in upper case) against what an SNI allowlist
#    should do: listed -> allowed (names are case-insensitive), anything
#    else -> refused; at the first size also Chromium (its ~2 KB hello),
#    with the client's offloads on (the hello crosses the gateway as one
#    2 KB packet) and off (two segments, as from a real NIC without GRO
#    on the gateway);
#  - added latency per new connection: connect to the first byte of the
#    answer (TLS handshake + GET), bench/peers/latency.py, one connection
#    per arm per round in a random order, median and p99 minus the "none"
#    arm's;
#  - user-space memory (RSS) and CPU time of each gateway's processes
#    (the daemons; dnsmasq in every arm), CPU over the latency run and
#    over the bulk run; and the kernel memory of egressfw's ruleset
#    (from its loader's memory cgroup);
#  - bulk throughput: one TLS download, then one upload, of EFW_PEERS_BULK
#    bytes per arm per round, interleaved likewise, median;
#  - egressfw's own time per ClientHello (hook entry to verdict), from its
#    "timing" histogram over the latency run (bench/vm-hello.sh).
# Prints one table at the end. An arm whose tool is missing is left out
# and said so.
. "$(dirname "$0")/../tests/vm/scenarios/lib.sh"
. "$(dirname "$0")/stats.sh"
require_tools python3 nft curl openssl dnsmasq
PEERS=$EFW_REPO/bench/peers
SIZES=${EFW_PEERS_SIZES:-10 1000 100000}
COUNT=${EFW_PEERS_COUNT:-200}
T=${EFW_PEERS_TIMEOUT:-5}
BULK=${EFW_PEERS_BULK:-20000000}
BULK_COUNT=${EFW_PEERS_BULK_COUNT:-5}

# The VM's kernel cannot autoload modules from the chroot.
modprobe -a veth nf_tables nft_ct nft_queue nfnetlink_queue nft_redir nft_nat \
	nft_chain_nat nf_nat nft_reject nft_reject_inet nft_reject_ipv4 nf_reject_ipv4 \
	nft_compat xt_NFQUEUE 2>/dev/null

# egressfw's time per hello: its "timing" histogram (kmod/timing.h)
hello_timing_on

ARMS=(none)
if [ -d /sys/module/egressfw ] && [ -x "$EGRESSCTL" ]; then
	ARMS+=(egressfw)
else
	echo "# arm egressfw left out: module not loaded or no $EGRESSCTL"
fi
if command -v suricata >/dev/null; then ARMS+=(suricata); else echo "# arm suricata left out: not installed"; fi
if [ -x /usr/sbin/squid ] && /usr/sbin/squid -v | grep -q -- --with-openssl; then
	ARMS+=(squid)
else
	echo "# arm squid left out: no squid built with OpenSSL (squid-openssl)"
fi
ARMS+=(nftset)

declare -A NS_C NS_G NUM
setup_arms() {
	local i=0 arm
	add_ns NS_S server || bail "cannot make the server namespace"
	for arm in "${ARMS[@]}"; do
		i=$((i + 1))
		NUM[$arm]=$((40 + i))
		add_ns "NS_C[$arm]" "c$arm" && add_ns "NS_G[$arm]" "g$arm" ||
			bail "cannot make namespaces for $arm"
		local n=${NUM[$arm]}
		link_ns "${NS_C[$arm]}" c0 10.$n.1.2/24 fd00:$n:1::2/64 \
			"${NS_G[$arm]}" g0 10.$n.1.1/24 fd00:$n:1::1/64 &&
		link_ns "${NS_G[$arm]}" g1 10.$n.2.1/24 fd00:$n:2::1/64 \
			"$NS_S" "s$i" 10.$n.2.2/24 fd00:$n:2::2/64 &&
		printf 'addr add 10.%s.2.3/24 dev s%s\naddr add 10.%s.2.4/24 dev s%s\nroute add 10.%s.1.0/24 via 10.%s.2.1\n' \
			"$n" "$i" "$n" "$i" "$n" "$n" | ns_batch "$NS_S" &&
		in_ns "${NS_G[$arm]}" sysctl -qw net.ipv4.ip_forward=1 &&
		default_route "${NS_C[$arm]}" 10.$n.1.1 fd00:$n:1::1 &&
		resolv_conf "${NS_C[$arm]}" 10.$n.1.1 ||
			bail "cannot make the topology for $arm"
	done
}

# names N: the list of N names: the two the cases use, then fillers.
names() {
	echo allowed.test
	echo plain.test
	python3 -c "import sys
for i in range(int(sys.argv[1]) - 2): print('host%d.bench.test' % i)" "$1"
}

# records N: the zone every arm's resolver answers (arm number N).
records() {
	echo "host-record=allowed.test,10.$1.2.2,300"
	echo "host-record=denied.test,10.$1.2.3,300"
	echo "host-record=plain.test,10.$1.2.4,300"
}

# dnsmasq for an arm's clients, on its gateway; nftset's fills its set.
start_dns() {	# ARM SIZE
	local arm=$1 n=${NUM[$1]} conf=$efw_tmp/dnsmasq-$1.conf
	{
		echo no-resolv
		echo no-hosts
		if [ "$arm" = nftset ]; then
			# dnsmasq adds to a set only from answers it forwards,
			# never from its own records: the records go upstream
			echo server=127.0.0.2#5353
			# 20 names a line: dnsmasq reads lines of 1 kB or less
			names "$2" | paste -d/ - - - - - - - - - - - - - - - - - - - - |
				sed 's#/*$##; s#.*#nftset=/&/4\#inet\#peers\#allow#'
		else
			records "$n"
		fi
	} >"$conf"
	if [ "$arm" = nftset ]; then
		{ echo no-resolv; echo no-hosts; records "$n"; } >"$conf.upstream"
		bg_in "${NS_G[$arm]}" "dnsmasq-up-$arm" dnsmasq --keep-in-foreground \
			--conf-file="$conf.upstream" --listen-address=127.0.0.2 --port=5353 \
			--bind-interfaces --user=root --pid-file= --log-facility=-
		wait_for_port "${NS_G[$arm]}" 5353 udp || bail "upstream dnsmasq did not start for $arm"
	fi
	bg_in "${NS_G[$arm]}" "dnsmasq-$arm" dnsmasq --keep-in-foreground --conf-file="$conf" \
		--listen-address=10.$n.1.1 --bind-interfaces --user=root --pid-file= --log-facility=-
	wait_for_port "${NS_G[$arm]}" 53 udp || bail "dnsmasq did not start for $arm"
}

# The gateway's nft table: conntrack on in every arm, plus the arm's own.
nft_arm() {	# ARM
	local arm=$1 ns=${NS_G[$1]}
	in_ns "$ns" nft delete table inet peers 2>/dev/null
	in_ns "$ns" nft -f - <<EOF || return 1
table inet peers {
	set allow { type ipv4_addr; flags timeout; timeout 1h; }
	chain filter {
		type filter hook forward priority 0; policy accept;
		ct state established,related counter accept
	}
}
EOF
	case $arm in
	suricata)
		# every packet of port-443 flows, both ways, goes to Suricata
		# (no "bypass": if it is not there, nothing passes)
		if ! in_ns "$ns" nft insert rule inet peers filter tcp dport 443 queue num 0 2>/dev/null; then
			# kernels without nft_queue (a host, not the VM): xt NFQUEUE
			in_ns "$ns" iptables -I FORWARD -p tcp --dport 443 -j NFQUEUE --queue-num 0 &&
			in_ns "$ns" iptables -I FORWARD -p tcp --sport 443 -j NFQUEUE --queue-num 0 || return 1
		else
			in_ns "$ns" nft insert rule inet peers filter tcp sport 443 queue num 0 || return 1
		fi
		;;
	squid)
		in_ns "$ns" nft -f - <<EOF || return 1
table inet peers {
	chain pre {
		type nat hook prerouting priority dstnat;
		iifname "g0" tcp dport 443 redirect to :3129
	}
}
EOF
		;;
	nftset)
		in_ns "$ns" nft -f - <<EOF || return 1
table inet peers {
	chain filter {
		iifname "g0" tcp dport 443 ip daddr @allow accept
		iifname "g0" meta l4proto tcp reject with tcp reset
		iifname "g0" reject
	}
}
EOF
		;;
	esac
}

start_suricata() {	# SIZE
	local d=$efw_tmp/suricata
	rm -rf "$d"; mkdir -p "$d"
	# one process for all names (a fork per name takes minutes at 100,000
	# under emulation)
	names "$1" | python3 -c 'import base64, sys
for n in sys.stdin: print(base64.b64encode(n.rstrip("\n").encode()).decode())' >"$d/names.b64"
	cat >"$d/peers.rules" <<EOF
pass tls any any -> any 443 (msg:"listed SNI"; flow:to_server,established; tls.sni; to_lowercase; dataset:isset,efwlisted,type string,load $d/names.b64; sid:1; rev:1;)
reject tls any any -> any 443 (msg:"TLS, SNI unlisted or absent"; flow:to_server,established; ssl_state:client_hello; sid:2; rev:1;)
reject tcp any any -> any 443 (msg:"not TLS on 443"; flow:to_server,established; app-layer-protocol:!tls; sid:3; rev:1;)
EOF
	bg_in "${NS_G[suricata]}" suricata suricata -c /etc/suricata/suricata.yaml -q 0 \
		-S "$d/peers.rules" -l "$d" --pidfile "$d/pid" -k none \
		--set stream.checksum-validation=no --set stream.inline=yes
	wait_until 120 grep -qi 'engine started' "$efw_tmp/suricata.log" ||
		{ sed 's/^/# /' "$efw_tmp/suricata.log" | tail -20; bail "suricata did not start"; }
}

start_squid() {	# SIZE
	local d=$efw_tmp/squid
	rm -rf "$d"; mkdir -p "$d"; chmod 777 "$d"
	names "$1" >"$d/names.txt"
	cat >"$d/squid.conf" <<EOF
pid_filename $d/squid.pid
cache_log $d/cache.log
access_log $d/access.log
coredump_dir $d
cache deny all
shutdown_lifetime 0 seconds
http_port 127.0.0.1:3128
https_port 3129 intercept ssl-bump tls-cert=$efw_tmp/ca.pem tls-key=$efw_tmp/ca.key generate-host-certificates=off
acl step1 at_step SslBump1
acl listed ssl::server_name "$d/names.txt"
ssl_bump peek step1
ssl_bump splice listed
ssl_bump terminate all
http_access allow all
dns_nameservers 10.${NUM[squid]}.1.1
EOF
	chmod 644 "$efw_tmp/ca.key"
	bg_in "${NS_G[squid]}" squid /usr/sbin/squid -N -f "$d/squid.conf"
	wait_for_port "${NS_G[squid]}" 3129 || { sed 's/^/# /' "$d/cache.log" | tail -20; bail "squid did not start"; }
}

# Stop every per-size daemon (dnsmasq, suricata, squid) before the next size.
stop_daemons() {
	local ns pids
	for ns in "${NS_G[@]}"; do
		pids=$(ip netns pids "$ns" 2>/dev/null)
		# shellcheck disable=SC2086
		[ -n "$pids" ] && kill $pids 2>/dev/null
	done
	for ns in "${NS_G[@]}"; do
		wait_until 20 test -z "$(ip netns pids "$ns")" || {
			pids=$(ip netns pids "$ns")
			# shellcheck disable=SC2086
			[ -n "$pids" ] && kill -9 $pids 2>/dev/null
		}
	done
}

# ns_usage NS: "RSS_KB CPU_TICKS" summed over NS's processes (user space
# only: what the kernel does for nft, NFQUEUE or egressfw in softirq is
# charged to no process).
ns_usage() {
	local pid rss=0 cpu=0 r u st
	for pid in $(ip netns pids "$1"); do
		r=$(awk '$1 == "VmRSS:" { print $2 }' "/proc/$pid/status" 2>/dev/null)
		# utime and stime: fields 14 and 15, counted after the ")" that
		# ends the command name (which may hold blanks)
		read -r u st < <(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null | awk '{ print $12, $13 }')
		rss=$((rss + ${r:-0}))
		cpu=$((cpu + ${u:-0} + ${st:-0}))
	done
	echo "$rss $cpu"
}

# load_egressfw SIZE: load the list into egressfw's gateway; where there
# is a memory cgroup, from a fresh one, so that the kernel memory the
# ruleset takes (charged to its loader's cgroup, egressctl(8)) is measured:
# what the cgroup holds after the load, less page cache (the list file).
load_egressfw() {
	local cg=/sys/fs/cgroup d held file
	[ -e $cg/cgroup.controllers ] || mount -t cgroup2 none $cg 2>/dev/null
	if [ -e $cg/cgroup.controllers ] && grep -qw memory $cg/cgroup.controllers; then
		echo +memory >$cg/cgroup.subtree_control 2>/dev/null
		d=$cg/efwpeers-$efw_id-$1
		mkdir -p "$d"
		# into the cgroup first: ip netns exec mounts a /sys of its own
		sh -c "echo \$\$ >$d/cgroup.procs &&
			exec ip netns exec ${NS_G[egressfw]} $EGRESSCTL load $efw_tmp/egressfw.list" \
			>/dev/null || return 1
		held=$(cat "$d/memory.current")
		file=$(awk '$1 == "file" { print $2 }' "$d/memory.stat")
		echo "$1 egressfw kmem_kb=$(((held - ${file:-0}) / 1024))" | tee -a "$efw_tmp/kmem" |
			sed 's/^/# ruleset memory /'
		rmdir "$d" 2>/dev/null
		return 0
	fi
	in_ns "${NS_G[egressfw]}" "$EGRESSCTL" load "$efw_tmp/egressfw.list" >/dev/null
}

configure() {	# SIZE
	local arm
	stop_daemons
	for arm in "${ARMS[@]}"; do
		nft_arm "$arm" || bail "nft rules for $arm"
		start_dns "$arm" "$1"
	done
	if [[ " ${ARMS[*]} " == *" egressfw "* ]]; then
		names "$1" >"$efw_tmp/egressfw.list"
		load_egressfw "$1" || bail "egressctl load"
	fi
	[[ " ${ARMS[*]} " == *" suricata "* ]] && start_suricata "$1"
	[[ " ${ARMS[*]} " == *" squid "* ]] && start_squid "$1"
}

# The cases: NAME EXPECT, then the client that runs it. Each prints
# "allowed" or "refused: HOW".
CASES="curl-listed:allowed curl-unlisted:refused curl-shared-ip:refused
openssl-listed:allowed openssl-unlisted:refused python-listed:allowed
python-unlisted:refused no-sni:refused plain-http-443:refused
split-hello-listed:allowed split-hello-unlisted:refused
multi-record-hello-listed:allowed multi-record-hello-unlisted:refused
upper-case-sni-listed:allowed"
# Chromium is slow to start under emulation: at the first size only.
CHROMIUM_CASES="chromium-listed:allowed chromium-unlisted:refused
chromium-2-segments-listed:allowed chromium-2-segments-unlisted:refused"

curl_to() {	# NS CURL-ARGS...: allowed if the page came back
	local out rc
	out=$(in_ns "$1" curl -sS --max-time "$T" --cacert "$efw_tmp/ca.pem" "${@:2}" 2>&1)
	rc=$?
	if [ $rc -eq 0 ] && [ "$out" = ok ]; then
		echo allowed
	else
		echo "refused: curl $rc $(echo "$out" | head -n 1 | cut -c1-60)"
	fi
}

s_client_to() {	# NS S_CLIENT-ARGS...
	local out
	out=$(printf 'GET / HTTP/1.0\r\n\r\n' | in_ns "$1" timeout "$T" openssl s_client -quiet -ign_eof \
		-CAfile "$efw_tmp/ca.pem" "${@:2}" 2>&1)
	if printf '%s\n' "$out" | grep -qx ok; then
		echo allowed
	else
		echo "refused: s_client $(printf '%s\n' "$out" | grep -v '^depth=\|^verify' | head -n 1 | cut -c1-60)"
	fi
}

python_to() {	# NS NAME
	in_ns "$1" python3 - "$2" "$efw_tmp/ca.pem" "$T" <<'PY'
import socket, ssl, sys
name, ca, t = sys.argv[1], sys.argv[2], float(sys.argv[3])
ctx = ssl.create_default_context(cafile=ca)
try:
    with socket.create_connection((name, 443), timeout=t) as s:
        with ctx.wrap_socket(s, server_hostname=name) as c:
            c.sendall(b"GET / HTTP/1.0\r\n\r\n")
            data = b""
            while True:
                d = c.recv(4096)
                if not d:
                    break
                data += d
    print("allowed" if data.endswith(b"\r\n\r\nok\n") else "refused: python reply %r" % data[:40])
except Exception as e:
    print("refused: python %s %s" % (type(e).__name__, str(e)[:50]))
PY
}

run_case() {	# ARM CASE
	local ns=${NS_C[$1]} n=${NUM[$1]} out
	case $2 in
	curl-listed) curl_to "$ns" https://allowed.test/ ;;
	curl-unlisted) curl_to "$ns" https://denied.test/ ;;
	curl-shared-ip) curl_to "$ns" --resolve denied.test:443:10.$n.2.2 https://denied.test/ ;;
	openssl-listed) s_client_to "$ns" -connect allowed.test:443 -servername allowed.test ;;
	openssl-unlisted) s_client_to "$ns" -connect denied.test:443 -servername denied.test ;;
	python-listed) python_to "$ns" allowed.test ;;
	python-unlisted) python_to "$ns" denied.test ;;
	no-sni) s_client_to "$ns" -connect 10.$n.2.2:443 -noservername ;;
	plain-http-443) curl_to "$ns" http://plain.test:443/ ;;
	split-hello-listed) split_client "$ns" 10.$n.2.2 allowed.test --split sni --delay 50 ;;
	split-hello-unlisted) split_client "$ns" 10.$n.2.3 denied.test --split sni --delay 50 ;;
	multi-record-hello-listed) split_client "$ns" 10.$n.2.2 allowed.test --records 64 ;;
	multi-record-hello-unlisted) split_client "$ns" 10.$n.2.3 denied.test --records 64 ;;
	upper-case-sni-listed) split_client "$ns" 10.$n.2.2 ALLOWED.TEST ;;
	chromium-listed) chromium_to "$ns" allowed.test on ;;
	chromium-unlisted) chromium_to "$ns" denied.test on ;;
	chromium-2-segments-listed) chromium_to "$ns" allowed.test off ;;
	chromium-2-segments-unlisted) chromium_to "$ns" denied.test off ;;
	esac
}

# chromium_to NS NAME on|off: headless Chromium loads https://NAME/ with
# the client's TCP segmentation offloads on or off (off: its 2 KB hello
# leaves as two segments; on: as one 2 KB packet).
chromium_to() {
	local out
	in_ns "$1" ethtool -K c0 tso "$3" gso "$3" >/dev/null 2>&1 ||
		{ echo "refused: ethtool -K c0 tso $3 failed"; return; }
	out=$(in_ns "$1" timeout 120 chromium --headless --no-sandbox --disable-gpu \
		--disable-quic --no-first-run --disable-background-networking \
		--disable-component-update --disable-sync --ignore-certificate-errors \
		--user-data-dir="$(mktemp -d "$efw_tmp/chrome.XXXXXX")" \
		--dump-dom "https://$2/" 2>&1)
	in_ns "$1" ethtool -K c0 tso on gso on >/dev/null 2>&1
	if grep -q '<pre[^>]*>ok' <<<"$out"; then
		echo allowed
	else
		[ -n "${EFW_PEERS_DEBUG:-}" ] && printf '%s\n' "$out" | tail -n 20 | sed 's/^/# chromium: /' >&2
		echo "refused: chromium $(grep -o 'ERR_[A-Z_]*' <<<"$out" | head -n 1)"
	fi
}

# split_client NS ADDR NAME ARGS...: tests/peers/tls_split_client.py
split_client() {
	local out
	out=$(in_ns "$1" python3 "$EFW_REPO/tests/peers/tls_split_client.py" --timeout "$T" \
		"${@:4}" "$2" 443 "$3")
	case $out in
	allowed) echo allowed ;;
	*) echo "refused: split client $out" ;;
	esac
}

# why ARM CASE: what explains a failure of that peer in that case (shown
# only next to a failure that was measured).
why() {
	case $1:$2 in
	none:*) echo "no filtering" ;;
	nftset:curl-shared-ip) echo "no SNI: the address was learned for a listed name" ;;
	nftset:no-sni | nftset:plain-http-443) echo "address-based: anything to a learned address passes" ;;
	nftset:*) echo "address-based" ;;
	squid:*-listed) echo "proxy: see squid cache.log" ;;
	*) echo "" ;;
	esac
}

# EFW_PEERS_LOGS=DIR: keep the daemons' logs there (copied at exit).
if [ -n "${EFW_PEERS_LOGS:-}" ]; then
	mkdir -p "$EFW_PEERS_LOGS"
	on_cleanup "cp -r $efw_tmp/. $EFW_PEERS_LOGS/"
fi
make_cert srv allowed.test denied.test plain.test || bail "cannot make a certificate"
setup_arms
plain=()
for arm in "${ARMS[@]}"; do
	plain+=(--plain "10.${NUM[$arm]}.2.4")
done
bg_in "$NS_S" server python3 "$PEERS/server.py" --cert "$efw_tmp/srv.pem" --key "$efw_tmp/srv.key" \
	"${plain[@]}"
wait_for_port "$NS_S" 443 || bail "the server did not start"

echo "# arms: ${ARMS[*]}; sizes: $SIZES; $COUNT connections per arm and size"
first_cases="$CASES $CHROMIUM_CASES"
if ! command -v chromium >/dev/null || ! command -v ethtool >/dev/null; then
	echo "# Chromium cases left out: chromium or ethtool not installed (install-deps --peers)"
	first_cases=$CASES
fi
for size in $SIZES; do
	configure "$size"
	cases=$CASES
	[ "$size" = "${SIZES%% *}" ] && cases=$first_cases
	for arm in "${ARMS[@]}"; do
		for c in $cases; do
			res=$(run_case "$arm" "${c%%:*}")
			got=${res%%:*}
			[ "$got" = "${c#*:}" ] || res="$res | $(why "$arm" "${c%%:*}")"
			echo "$size $arm ${c%%:*} ${c#*:} $res" >>"$efw_tmp/cases"
			echo "# $size $arm ${c%%:*}: $res"
		done
	done
	specs=()
	for arm in "${ARMS[@]}"; do
		specs+=("$arm=${NS_C[$arm]}=10.${NUM[$arm]}.2.2")
	done
	for arm in "${ARMS[@]}"; do
		ns_usage "${NS_G[$arm]}" >"$efw_tmp/usage-$arm"
	done
	hello_hist_clear
	python3 "$PEERS/latency.py" --count "$COUNT" --timeout "$T" "${specs[@]}" |
		sed "s/^/$size /" | tee -a "$efw_tmp/latency" | sed 's/^/# latency /'
	hello_hist_lines >"$efw_tmp/hist"
	n=$(hist_count "$efw_tmp/hist")
	[ "$n" -gt 0 ] && echo "$size egressfw hellos=$n med_ns=$(hist_pct "$efw_tmp/hist" 50)" \
		"p99_ns=$(hist_pct "$efw_tmp/hist" 99)" | tee -a "$efw_tmp/hello" |
		sed 's/^/# module time per hello /'
	for arm in "${ARMS[@]}"; do
		read -r _ cpu0 <"$efw_tmp/usage-$arm"
		read -r rss cpu1 < <(ns_usage "${NS_G[$arm]}")
		echo "$size $arm rss_kb=$rss cpu_ms=$(((cpu1 - cpu0) * 1000 / $(getconf CLK_TCK)))"
	done | tee -a "$efw_tmp/usage" | sed 's/^/# usage /'
	for arm in "${ARMS[@]}"; do
		ns_usage "${NS_G[$arm]}" >"$efw_tmp/usage-$arm"
	done
	python3 "$PEERS/latency.py" --bulk "$BULK" --count "$BULK_COUNT" --timeout 120 "${specs[@]}" |
		sed "s/^/$size /" | tee -a "$efw_tmp/bulk" | sed 's/^/# bulk /'
	python3 "$PEERS/latency.py" --bulk "$BULK" --upload --count "$BULK_COUNT" --timeout 120 \
		"${specs[@]}" | sed "s/^/$size /" | tee -a "$efw_tmp/upload" | sed 's/^/# upload /'
	for arm in "${ARMS[@]}"; do
		read -r _ cpu0 <"$efw_tmp/usage-$arm"
		read -r _ cpu1 < <(ns_usage "${NS_G[$arm]}")
		echo "$size $arm cpu_ms=$(((cpu1 - cpu0) * 1000 / $(getconf CLK_TCK)))"
	done | tee -a "$efw_tmp/usage-bulk" | sed 's/^/# usage bulk /'
done
stop_daemons

python3 "$PEERS/table.py" "$efw_tmp/cases" "$efw_tmp/latency" "$efw_tmp/usage" "$efw_tmp/bulk" \
	"$efw_tmp/upload" "$efw_tmp/usage-bulk" "$efw_tmp/kmem" "$efw_tmp/hello" "${ARMS[@]}"
ktap_ok "benchmark ran"
ktap_finish
