#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 420
#
# The demo (`make demo`): a client behind a gateway that runs egressfw
# with lists/sophos.list loaded. The client resolves names through a real
# resolver (dnsmasq) behind the gateway, as it would on a real network;
# the "internet" is one server namespace with a TLS server that answers
# for any name and an sshd. Allowed names get a page or an ssh login,
# others a reset at once. Every step is also a KTAP check, so the demo
# fails loudly if anything behaves differently.
. "$(dirname "$0")/../scenarios/lib.sh"
require_module
require_tools curl openssl dnsmasq ssh ssh-keygen
[ -x /usr/sbin/sshd ] || skip_all "missing tool: sshd"
[ -x "$EGRESSCTL" ] || skip_all "no egressctl at $EGRESSCTL"

say() {
	printf '#\n# == %s\n' "$*"
}

# said DESC STATUS PATTERN CMD...: expect(), then show what CMD printed.
said() {
	expect "$@"
	printf '%s\n' "$out" | sed 's/^/#   /'
}

make_cert www central.sophos.com eu-west-1.prod.hydra.sophos.com example.com evilsophos.com ||
	bail "cannot make a certificate"
setup_gateway
add_resolver "$NS_GW"
# The "internet": web names on .2 and .3, an ssh host of Sophos's on .4,
# someone else's ssh host on .8.
cat >"$efw_tmp/zone.conf" <<EOZ
no-resolv
no-hosts
host-record=central.sophos.com,10.0.2.2,300
host-record=eu-west-1.prod.hydra.sophos.com,10.0.2.2,300
host-record=example.com,10.0.2.3,300
host-record=evilsophos.com,10.0.2.3,300
host-record=x.apu.sophos.com,10.0.2.4,300
host-record=build.example.com,10.0.2.8,300
EOZ
printf 'addr add 10.0.2.%s/24 dev s0\n' 3 4 8 | ns_batch "$NS_SERVER"
start_dnsmasq "$efw_tmp/zone.conf"
resolv_conf "$NS_CLIENT" "$RESOLVER4"
serve_tls "$NS_SERVER" 443 www
start_sshd
wait_for_port "$NS_SERVER" 443 || bail "tls server did not start"
wait_for_port "$NS_SERVER" 22 || bail "sshd did not start"

say "client -> gateway (egressfw) -> server; the resolver sits behind the gateway too"
say "loading lists/sophos.list on the gateway"
said "egressctl load lists/sophos.list" 0 'loaded' \
	in_ns "$NS_GW" "$EGRESSCTL" load "$EFW_REPO/lists/sophos.list"

fetch() {	# NAME: the client fetches https://NAME/ (resolved by DNS)
	in_ns "$NS_CLIENT" curl -sS --noproxy '*' --max-time $(secs 10) -k -o /dev/null \
		-w 'HTTP %{http_code}\n' "https://$1/"
}

say "allowed: https://central.sophos.com (listed by name, judged by its TLS SNI)"
said "central.sophos.com is allowed and answers" 0 '^HTTP 200$' fetch central.sophos.com
say "allowed: https://eu-west-1.prod.hydra.sophos.com (below *.sophos.com)"
said "a host below *.sophos.com is allowed" 0 '^HTTP 200$' fetch eu-west-1.prod.hydra.sophos.com
say "denied: https://example.com (not on the list): the client is reset at once"
said "example.com is reset" 35 'reset' fetch example.com
say "denied: https://evilsophos.com (a look-alike)"
said "evilsophos.com is reset" 35 'reset' fetch evilsophos.com
say "allowed: ssh x.apu.sophos.com (*.apu.sophos.com tcp/22; no SNI in ssh: the"
say "gateway learned the address from the DNS answer the client got)"
said "ssh to x.apu.sophos.com logs in" 0 '^ok$' ssh_to x.apu.sophos.com
say "denied: ssh build.example.com (an unlisted host): reset at once"
t0=$SECONDS
said "ssh to build.example.com is reset" 255 'reset|refused' ssh_to build.example.com
if [ $((SECONDS - t0)) -le "$(secs 5)" ]; then
	ktap_ok "the ssh reset came at once ($((SECONDS - t0)) s)"
else
	ktap_not_ok "the ssh reset came at once ($((SECONDS - t0)) s)"
fi

say "the rules that were used (egressctl show, rules with hits)"
expect "egressctl show credits central.sophos.com" 0 'central\.sophos\.com' \
	in_ns "$NS_GW" "$EGRESSCTL" show
in_ns "$NS_GW" "$EGRESSCTL" show | awk 'NR == 1 || $5 != 0' | head -n 8 | sed 's/^/#   /'
# Each hit is credited to its own line of the list.
credited() {	# PATTERN COLUMN: the counter COLUMN of PATTERN's line in /proc
	local line
	line=$(grep -n "^$(sed 's/[.*]/\\&/g' <<<"$1")\( \|$\)" "$EFW_REPO/lists/sophos.list" | head -n 1 | cut -d: -f1)
	in_ns "$NS_GW" awk -v src="$EFW_REPO/lists/sophos.list:$line" -v p="$1" -v c="$2" \
		'$5 == src && $6 == p { print $c }' /proc/net/egressfw/rules
}
hit=$(credited central.sophos.com 8)
check "/proc rules: central.sophos.com's line is credited by SNI (${hit:-nothing})" [ "${hit:-0}" -ge 1 ]
hit=$(credited '*.apu.sophos.com' 9)
check "/proc rules: *.apu.sophos.com's line is credited by DNS (${hit:-nothing})" [ "${hit:-0}" -ge 1 ]
say "/proc/net/egressfw/rules on the gateway (rules with hits)"
in_ns "$NS_GW" awk 'NR == 1 || $2 != 0' /proc/net/egressfw/rules | sed 's/^/#   /'
say "addresses the gateway learned from DNS (egressctl cache)"
said "egressctl cache lists x.apu.sophos.com" 0 '10\.0\.2\.4 +x\.apu\.sophos\.com' \
	in_ns "$NS_GW" "$EGRESSCTL" cache
say "/proc/net/egressfw/stats on the gateway"
in_ns "$NS_GW" cat /proc/net/egressfw/stats | sed 's/^/#   /'
ktap_finish
