#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# egressfw.ko builds from the repository root against Debian 12's kernel
# headers with kbuild (as DKMS does), without a single compiler warning,
# and holds the kernel-agnostic core.
cd "$(dirname "$0")/../.."
. tests/lib/ktap.sh

kdir=${KDIR:-}
if [ -z "$kdir" ]; then
	for d in /lib/modules/*/build; do
		[ -e "$d/Makefile" ] && kdir=$d
	done
fi
if [ -z "$kdir" ]; then
	ktap_skip "kbuild egressfw.ko" "no kernel headers (apt-get install linux-headers-amd64)"
	ktap_finish
	exit
fi
echo "# kernel headers: $kdir"

log=$(mktemp)
trap 'rm -f "$log"' EXIT
make -C "$kdir" M="$PWD" clean >/dev/null 2>&1
if make -C "$kdir" M="$PWD" W=1 modules >"$log" 2>&1; then
	ktap_ok "kbuild egressfw.ko"
else
	sed 's/^/#   /' "$log"
	ktap_not_ok "kbuild egressfw.ko"
fi
if grep -E 'warning:|error:' "$log" >/dev/null; then
	grep -E 'warning:|error:' "$log" | sed 's/^/#   /'
	ktap_not_ok "no compiler warnings (W=1)"
else
	ktap_ok "no compiler warnings (W=1)"
fi

missing=
for sym in efw_pattern_parse efw_matcher_build efw_match_name efw_match_addr \
	   efw_tls_parse_hello efw_dns_parse efw_dns_parse_tcp; do
	nm egressfw.ko 2>/dev/null | grep -q " T $sym$" || missing="$missing $sym"
done
if [ -z "$missing" ] && [ -f egressfw.ko ]; then
	ktap_ok "egressfw.ko holds the shared core"
else
	echo "# missing:$missing"
	ktap_not_ok "egressfw.ko holds the shared core"
fi
if [ "$(modinfo -F license egressfw.ko 2>/dev/null)" = GPL ]; then
	ktap_ok "module license is GPL"
else
	ktap_not_ok "module license is GPL"
fi
expect_same "module version is scripts/version's" "$(scripts/version)" \
	"$(modinfo -F version egressfw.ko 2>&1)"
make -C "$kdir" M="$PWD" clean >/dev/null 2>&1
ktap_finish
