# SPDX-License-Identifier: GPL-2.0
#
# Helpers for the VM scenarios, in the manner of the kernel's netfilter
# selftests: each scenario builds its own network namespaces joined by veth
# pairs, checks real peers over real sockets, reports KTAP (tests/lib/ktap.sh:
# ktap_ok, ktap_not_ok, expect, ktap_finish) and removes what it made on
# exit. Source it first thing:
#
#	. "$(dirname "$0")/lib.sh"
#	require_module
#	require_tools curl python3
#	setup_gateway			# or setup_host
#	serve_http "$NS_SERVER" 8080 "$dir"
#	wait_for_port "$NS_SERVER" 8080 || bail "no http server"
#	expect "http through the gateway" 0 "" in_ns "$NS_CLIENT" curl ...
#	ktap_finish
#
# Topologies set NS_CLIENT, NS_SERVER, NS_GW (empty for setup_host), NS_FW
# (where egressfw acts and rules are loaded), CLIENT_IP4/6, SERVER_IP4/6.
# Scratch files go in $efw_tmp (readable by every user: peers that drop
# privileges read their files there). A scenario may need more than
# run-vm's default time: a "# vm-timeout: SECONDS" line says so.
#
# Time limits a scenario sets go through secs(), which scales them for
# slow kernels (run-vm --timeout-scale, EFW_TIMEOUT_SCALE: the debug
# kernel). A check that something happens "at once" (a reset, not a
# timeout) compares with a scaled bound too: the timeout it tells apart
# is scaled alike.
#
# Exit status: 0 pass, 1 failure, 4 skip (a tool or the module is missing).
# run-vm runs scenarios inside the VM as root, from the repository, with
# EFW_REPO, EFW_MODULE (the .ko, to reload it with parameters), EGRESSCTL and
# EFW_IN_VM=1 set; they also run on any machine with the module loaded.
# Addresses are 10.0.0.0/16 and fd00::/16, only ever inside these namespaces.

# shellcheck disable=SC2034 # the topology variables are for the scenarios
EFW_REPO=${EFW_REPO:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)}
EGRESSCTL=${EGRESSCTL:-$EFW_REPO/build/egressctl}
ksft_skip=4
efw_scale=${EFW_TIMEOUT_SCALE:-1}
# EFW_SUITE=core (tests/kernels/matrix: the debug kernel, several times
# slower): cases marked "variety" below are reported as skipped. Such a
# case takes a module path another case of the same scenario already
# takes, with another client, name or address family: the stock kernels
# run them all (EFW_SUITE=full, the default).
efw_suite=${EFW_SUITE:-full}

# secs N: N seconds, scaled for the kernel under test.
secs() {
	echo $(($1 * efw_scale))
}

. "$EFW_REPO/tests/lib/ktap.sh"
. "$EFW_REPO/tests/lib/kernel-log.sh"

# A suffix per run, so that namespaces never clash with another run's or
# with a half-cleaned one.
efw_id=$(mktemp -u XXXXXX)
efw_tmp=$(mktemp -d)
chmod 755 "$efw_tmp"
efw_namespaces=()
efw_cleanups=()
efw_dmesg_mark=$(dmesg 2>/dev/null | wc -l)

# teardown: undo everything made so far (cleanups, then namespaces), so a
# scenario can build a second topology. Processes in our namespaces are
# killed first: daemons (dnsmasq, sshd) fork away from any pid we know.
teardown() {
	local ns i pids
	for ((i = ${#efw_cleanups[@]} - 1; i >= 0; i--)); do
		eval "${efw_cleanups[i]}" >/dev/null 2>&1
	done
	for ns in "${efw_namespaces[@]}"; do
		pids=$(ip netns pids "$ns" 2>/dev/null)
		# shellcheck disable=SC2086
		[ -n "$pids" ] && kill -9 $pids 2>/dev/null
		ip netns del "$ns" 2>/dev/null
	done
	efw_cleanups=()
	efw_namespaces=()
}

# cleanup: at exit, whatever happened.
cleanup() {
	teardown
	rm -rf "$efw_tmp"
}
trap cleanup EXIT

# on_cleanup COMMAND: run COMMAND (a shell string) at exit, before the
# namespaces go; last registered, first run.
on_cleanup() {
	efw_cleanups+=("$1")
}

# skip_all REASON: nothing here can be tested; say why and exit 4.
skip_all() {
	ktap_skip "$(basename "$0" .sh)" "$1"
	ktap_finish
	exit $ksft_skip
}

# require_tools CMD...: skip the scenario unless every CMD is installed.
require_tools() {
	local t
	for t in "$@"; do
		command -v "$t" >/dev/null 2>&1 || skip_all "missing tool: $t"
	done
}

# require_module: skip unless egressfw is loaded (run-vm loads it).
require_module() {
	[ -d /sys/module/egressfw ] || skip_all "egressfw is not loaded"
}

[ "$(id -u)" -eq 0 ] || skip_all "needs root (namespaces)"
require_tools ip ss timeout

# in_ns NS CMD...: run CMD in namespace NS.
in_ns() {
	local ns=$1
	shift
	ip netns exec "$ns" "$@"
}

# add_ns VAR NAME: make a namespace with lo up and store its name in VAR
# (not printed: a command substitution would forget it for cleanup).
add_ns() {
	local ns=efw-$2-$efw_id
	ip netns add "$ns" || return 1
	efw_namespaces+=("$ns")
	printf -v "$1" '%s' "$ns"
	ip -n "$ns" link set lo up
	# addresses, link-local ones too, are usable at once, not after
	# duplicate address detection (the links are made after this)
	in_ns "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
}

# ns_batch NS: run the `ip` commands on stdin in NS, one process for all
# (every exec counts under TCG).
ns_batch() {
	ip -n "$1" -batch -
}

# link_ns NS1 IF1 ADDR4/LEN ADDR6/LEN NS2 IF2 ADDR4/LEN ADDR6/LEN: a veth
# pair between two namespaces, up, with an IPv4 and an IPv6 address on each
# end, MTU 1500.
link_ns() {
	local ns1=$1 if1=$2 ns2=$5 if2=$6
	ip link add "$if1" netns "$ns1" mtu 1500 type veth peer name "$if2" netns "$ns2" mtu 1500 ||
		return 1
	printf 'addr add %s dev %s\naddr add %s dev %s nodad\nlink set %s up\n' \
		"$3" "$if1" "$4" "$if1" "$if1" | ns_batch "$ns1" &&
	printf 'addr add %s dev %s\naddr add %s dev %s nodad\nlink set %s up\n' \
		"$7" "$if2" "$8" "$if2" "$if2" | ns_batch "$ns2"
}

# default_route NS GW4 GW6
default_route() {
	printf 'route add default via %s\nroute add ::/0 via %s\n' "$2" "$3" | ns_batch "$1"
}

# setup_gateway: client -> gw -> server. The gateway forwards, so egressfw
# acts in its FORWARD hook; NS_FW names the namespace where rules go.
#
#   NS_CLIENT  c0 10.0.1.2 fd00:1::2 -- g0 10.0.1.1 fd00:1::1  NS_GW
#   NS_GW      g1 10.0.2.1 fd00:2::1 -- s0 10.0.2.2 fd00:2::2  NS_SERVER
setup_gateway() {
	add_ns NS_CLIENT client && add_ns NS_GW gw && add_ns NS_SERVER server ||
		bail "cannot make namespaces"
	link_ns "$NS_CLIENT" c0 10.0.1.2/24 fd00:1::2/64 "$NS_GW" g0 10.0.1.1/24 fd00:1::1/64 &&
	link_ns "$NS_GW" g1 10.0.2.1/24 fd00:2::1/64 "$NS_SERVER" s0 10.0.2.2/24 fd00:2::2/64 &&
	in_ns "$NS_GW" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 &&
	default_route "$NS_CLIENT" 10.0.1.1 fd00:1::1 &&
	default_route "$NS_SERVER" 10.0.2.1 fd00:2::1 ||
		bail "cannot make the gateway topology"
	NS_FW=$NS_GW
	CLIENT_IP4=10.0.1.2 CLIENT_IP6=fd00:1::2
	SERVER_IP4=10.0.2.2 SERVER_IP6=fd00:2::2
}

# setup_host: the client's own traffic, straight to the server: egressfw
# acts in the client's LOCAL_OUT hook; NS_FW is the client. The server has
# the same addresses as in setup_gateway.
#
#   NS_CLIENT  c0 10.0.2.1 fd00:2::1 -- s0 10.0.2.2 fd00:2::2  NS_SERVER
setup_host() {
	add_ns NS_CLIENT client && add_ns NS_SERVER server ||
		bail "cannot make namespaces"
	link_ns "$NS_CLIENT" c0 10.0.2.1/24 fd00:2::1/64 "$NS_SERVER" s0 10.0.2.2/24 fd00:2::2/64 ||
		bail "cannot make the host topology"
	NS_GW=
	NS_FW=$NS_CLIENT
	CLIENT_IP4=10.0.2.1 CLIENT_IP6=fd00:2::1
	SERVER_IP4=10.0.2.2 SERVER_IP6=fd00:2::2
}

# add_resolver NS: a resolver namespace NS_RESOLVER linked to NS
# (r1 10.0.3.1 fd00:3::1 -- r0 10.0.3.2 fd00:3::2), routed through it, so
# its answers pass NS on their way to the clients. Sets RESOLVER4.
add_resolver() {
	add_ns NS_RESOLVER resolver || bail "cannot make the resolver namespace"
	link_ns "$1" r1 10.0.3.1/24 fd00:3::1/64 "$NS_RESOLVER" r0 10.0.3.2/24 fd00:3::2/64 &&
	default_route "$NS_RESOLVER" 10.0.3.1 fd00:3::1 ||
		bail "cannot link the resolver"
	RESOLVER4=10.0.3.2
}

# start_dnsmasq CONF: dnsmasq in NS_RESOLVER with the zone in CONF (a
# dnsmasq configuration: host-record=, cname=, ...); waits until it listens.
start_dnsmasq() {
	bg_in "$NS_RESOLVER" dnsmasq dnsmasq --keep-in-foreground --conf-file="$1" \
		--listen-address=10.0.3.2 --listen-address=fd00:3::2 --bind-interfaces \
		--user=root --pid-file= --log-facility=-
	wait_for_port "$NS_RESOLVER" 53 udp || bail "dnsmasq did not start"
}

# resolv_conf NS SERVER: NS's processes resolve through SERVER
# (ip netns exec bind-mounts /etc/netns/NS/resolv.conf).
resolv_conf() {
	mkdir -p "/etc/netns/$1"
	printf 'nameserver %s\noptions timeout:2 attempts:2\n' "$2" >"/etc/netns/$1/resolv.conf"
	on_cleanup "rm -rf /etc/netns/$1"
}

# start_sshd: a real sshd on port 22 of NS_SERVER (every address) that
# lets root in with the key $efw_tmp/client_key. Does not wait. Each
# namespace's sshd has a configuration file of its own: one rewritten
# while another sshd starts could be read half written.
start_sshd() {
	local conf=$efw_tmp/sshd-$NS_SERVER.conf
	[ -f "$efw_tmp/host_key" ] ||
	{ ssh-keygen -q -t ed25519 -N '' -f "$efw_tmp/host_key" &&
	  ssh-keygen -q -t ed25519 -N '' -f "$efw_tmp/client_key"; } ||
		bail "ssh-keygen failed"
	cp "$efw_tmp/client_key.pub" "$efw_tmp/authorized_keys"
	mkdir -p /run/sshd
	cat >"$conf" <<EOC
Port 22
ListenAddress 0.0.0.0
ListenAddress ::
HostKey $efw_tmp/host_key
AuthorizedKeysFile $efw_tmp/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PidFile none
UseDNS no
EOC
	bg_in "$NS_SERVER" "sshd-$NS_SERVER" /usr/sbin/sshd -D -e -f "$conf"
}

# ssh_to HOST [COMMAND]: a full ssh login from NS_CLIENT (by name: the
# client resolves it), running COMMAND (default: echo ok).
ssh_to() {
	local host=$1
	shift
	in_ns "$NS_CLIENT" timeout $(secs 40) ssh -o BatchMode=yes -o StrictHostKeyChecking=no \
		-o UserKnownHostsFile=/dev/null -o ConnectTimeout=$(secs 20) -o LogLevel=ERROR \
		-i "$efw_tmp/client_key" "root@$host" "${@:-echo ok}"
}

# bail REASON: the test bed itself broke: one failure, end here.
bail() {
	ktap_not_ok "setup: $1"
	ktap_finish
	exit 1
}

# wait_for_port NS PORT [tcp|udp] [SECONDS]: until something listens on
# PORT in NS (default: tcp, 60 s; scaled: python's startup alone can take
# tens of seconds under TCG when two VMs share two cores). Polls; a fixed
# sleep is either too long or, under TCG, too short. `ss -N` enters the
# namespace itself: cheaper than `ip netns exec`, and every poll takes CPU
# from the starting server.
wait_for_port() {
	local ns=$1 port=$2 proto=${3:-tcp} secs opt=-Hltn end
	secs=$(secs "${4:-60}")
	[ "$proto" = udp ] && opt=-Hlun
	end=$((SECONDS + secs))
	while [ "$SECONDS" -le "$end" ]; do
		[ -n "$(ss -N "$ns" $opt "sport = :$port" 2>/dev/null)" ] && return 0
		sleep 0.1
	done
	echo "# nothing listens on $proto/$port in $ns after ${secs}s"
	return 1
}

# full_suite: whether variety cases run (see efw_suite).
full_suite() {
	[ "$efw_suite" = full ]
}

# variety TESTFN DESC ARGS...: TESTFN (expect, fast_fail, check, ...) with
# DESC and ARGS on the full suite; a KTAP skip in the core suite.
variety() {
	local fn=$1
	shift
	if full_suite; then
		"$fn" "$@"
	else
		ktap_skip "$1" "variety case: the full suite (stock kernels) runs it"
	fi
}

# wait_until SECONDS CMD...: until CMD succeeds (polled; SECONDS scaled);
# its status at the end. For state that a background client makes: a
# fixed sleep is too short on a slow kernel, and too long on a fast one.
wait_until() {
	local end=$((SECONDS + $(secs "$1")))
	shift
	until "$@"; do
		[ "$SECONDS" -lt "$end" ] || return 1
		sleep 0.2
	done
}

# bg_in NS LOGNAME CMD...: start CMD in NS in the background, its output in
# $efw_tmp/LOGNAME.log; killed at cleanup.
bg_in() {
	local ns=$1 name=$2
	shift 2
	in_ns "$ns" "$@" >"$efw_tmp/$name.log" 2>&1 &
	on_cleanup "kill $!"
}

# serve_http NS PORT DIR: python's HTTP server on PORT (IPv4 and IPv6),
# serving DIR. It does not wait: start every server, then wait_for_port
# each (python takes seconds to start under TCG).
serve_http() {
	bg_in "$1" "http-$2" python3 -m http.server --bind :: --directory "$3" "$2"
}

# make_cert NAME...: a CA ($efw_tmp/ca.pem) on first use, and a server
# certificate for the names ($efw_tmp/NAME1.pem, key NAME1.key) signed by
# it. EC keys: fast even under TCG. openssl's complaints, if any, become
# KTAP diagnostics.
make_cert() {
	local name=$1 san='' n log=$efw_tmp/openssl.log
	if [ ! -f "$efw_tmp/ca.pem" ]; then
		openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
			-keyout "$efw_tmp/ca.key" -out "$efw_tmp/ca.pem" -days 2 \
			-subj "/CN=egressfw test CA" >"$log" 2>&1 || { sed 's/^/# /' "$log"; return 1; }
	fi
	for n in "$@"; do
		san="${san:+$san,}DNS:$n"
	done
	printf 'subjectAltName=%s\n' "$san" >"$efw_tmp/$name.ext"
	{
		openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
			-keyout "$efw_tmp/$name.key" -out "$efw_tmp/$name.csr" \
			-subj "/CN=$name" &&
		openssl x509 -req -in "$efw_tmp/$name.csr" -CA "$efw_tmp/ca.pem" \
			-CAkey "$efw_tmp/ca.key" -CAcreateserial -days 2 \
			-extfile "$efw_tmp/$name.ext" -out "$efw_tmp/$name.pem"
	} >"$log" 2>&1 || { sed 's/^/# /' "$log"; return 1; }
}

# serve_tls NS PORT NAME: openssl s_server with NAME's certificate on PORT
# (IPv4 and IPv6: "-accept PORT" is dual-stack, "[::]:PORT" is not),
# answering HTTP GETs with a status page. Does not wait, like serve_http.
serve_tls() {
	bg_in "$1" "tls-$2" openssl s_server -quiet -www -accept "$2" \
		-cert "$efw_tmp/$3.pem" -key "$efw_tmp/$3.key"
}

# url_host ADDR: ADDR as the host part of a URL.
url_host() {
	case "$1" in
	*:*) echo "[$1]" ;;
	*) echo "$1" ;;
	esac
}

# fw_stat NAME: a counter from /proc/net/egressfw/stats of the firewall's netns.
fw_stat() {
	in_ns "$NS_FW" awk -v k="$1" '$1 == k { print $2 }' /proc/net/egressfw/stats
}

# kernel_log_new: the kernel log since this scenario started.
kernel_log_new() {
	dmesg | tail -n +$((efw_dmesg_mark + 1))
}

# check_kernel_log DESC: a test case that fails on any kernel splat since
# the scenario started (run-vm checks the whole log again at the end).
check_kernel_log() {
	local hits
	hits=$(kernel_log_new | grep -E "$efw_splat")
	if [ -n "$hits" ]; then
		printf '%s\n' "$hits" | head -n 20 | sed 's/^/# /'
		ktap_not_ok "$1"
	else
		ktap_ok "$1"
	fi
}
