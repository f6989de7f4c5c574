#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 300
#
# The demo (`make demo`): a client behind a gateway that runs egressfw
# with lists/sophos.list loaded. The "internet" is one server namespace
# that answers TLS for any name; the client maps names to it the way a
# resolver would. Allowed names get a page, others a reset. Every step is
# also a KTAP check, so the demo fails loudly if anything behaves
# differently.
. "$(dirname "$0")/../scenarios/lib.sh"
require_module
require_tools curl openssl
[ -x "$EGRESSCTL" ] || skip_all "no egressctl at $EGRESSCTL"

say() {
	printf '#\n# == %s\n' "$*"
}

# said DESC STATUS PATTERN CMD...: expect(), then show what CMD printed.
said() {
	expect "$@"
	printf '%s\n' "$out" | sed 's/^/#   /'
}

make_cert www central.sophos.com example.com || bail "cannot make a certificate"
setup_gateway
serve_tls "$NS_SERVER" 443 www
wait_for_port "$NS_SERVER" 443 || bail "tls server did not start"

say "client -> gateway (egressfw) -> server; loading lists/sophos.list on the gateway"
said "egressctl load lists/sophos.list" 0 'loaded' \
	in_ns "$NS_GW" "$EGRESSCTL" load "$EFW_REPO/lists/sophos.list"

fetch() {	# NAME: the client fetches https://NAME/
	in_ns "$NS_CLIENT" curl -sS --noproxy '*' --max-time 10 -k -o /dev/null \
		-w 'HTTP %{http_code}\n' --resolve "$1:443:$SERVER_IP4" "https://$1/"
}

say "allowed: https://central.sophos.com (listed by name)"
said "central.sophos.com is allowed and answers" 0 '^HTTP 200$' fetch central.sophos.com
say "allowed: https://eu-west-1.prod.hydra.sophos.com (below *.sophos.com)"
said "a host below *.sophos.com is allowed" 0 '^HTTP 200$' fetch eu-west-1.prod.hydra.sophos.com
say "denied: https://example.com (not on the list): the client is reset at once"
said "example.com is reset" 35 'reset' fetch example.com
say "denied: https://evilsophos.com (a look-alike)"
said "evilsophos.com is reset" 35 'reset' fetch evilsophos.com

say "the rules that were used (egressctl show, first lines)"
expect "egressctl show credits central.sophos.com" 0 'central\.sophos\.com' \
	in_ns "$NS_GW" "$EGRESSCTL" show
in_ns "$NS_GW" "$EGRESSCTL" show | awk 'NR == 1 || $5 != 0' | head -n 8 | sed 's/^/#   /'
# The hit is credited to central.sophos.com's own line of the list.
line=$(grep -n '^central\.sophos\.com$' "$EFW_REPO/lists/sophos.list" | cut -d: -f1)
hit=$(in_ns "$NS_GW" awk -v src="$EFW_REPO/lists/sophos.list:$line" \
	'$5 == src && $6 == "central.sophos.com" { print $2 }' /proc/net/egressfw/rules)
if [ "${hit:-0}" -ge 1 ]; then
	ktap_ok "/proc rules: the hit is on lists/sophos.list:$line"
else
	ktap_not_ok "/proc rules: the hit is on lists/sophos.list:$line (got ${hit:-nothing})"
fi
say "/proc/net/egressfw/rules on the gateway (rules with hits)"
in_ns "$NS_GW" awk 'NR == 1 || $2 != 0' /proc/net/egressfw/rules | sed 's/^/#   /'
say "/proc/net/egressfw/stats on the gateway"
in_ns "$NS_GW" cat /proc/net/egressfw/stats | sed 's/^/#   /'
ktap_finish
