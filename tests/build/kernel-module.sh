#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# egressfw.ko builds against one kernel of the matrix with kbuild (as DKMS
# does, from the files DKMS ships), without a single compiler or modpost
# warning under W=1, holds the kernel-agnostic core, and its feature
# probes (kmod/compat/probes.c) answer as that kernel's API says they
# must.
#
# usage: tests/build/kernel-module.sh NAME KDIR [OUT]
#   NAME   the matrix's name for the kernel (tests/kernels/matrix)
#   KDIR   its build tree (tests/kernels/prepare prints it)
#   OUT    where to build (default: a temporary directory, removed)
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/ktap.sh

name=${1:-}
kdir=${2:-}
out=${3:-}
if [ -z "$name" ] || [ -z "$kdir" ]; then
	echo "usage: $0 NAME KDIR [OUT]" >&2
	exit 2
fi
if [ -z "$out" ]; then
	out=$(mktemp -d)
	trap 'rm -rf "$out"' EXIT
fi
echo "# kernel $name: $kdir"

if scripts/build-module -W "$kdir" "$out"; then
	ktap_ok "$name: kbuild egressfw.ko (W=1)"
else
	tail -n 40 "$out/build.log" | sed 's/^/#   /'
	ktap_not_ok "$name: kbuild egressfw.ko (W=1)"
fi
# modpost's "WARNING:" too (an undefined or GPL-only symbol, a section
# mismatch): each is a module that fails to load somewhere.
if grep -Ei 'warning:|error:' "$out/build.log" >/dev/null; then
	grep -Ei 'warning:|error:' "$out/build.log" | head -n 40 | sed 's/^/#   /'
	ktap_not_ok "$name: no compiler or modpost warnings"
else
	ktap_ok "$name: no compiler or modpost warnings"
fi

ko=$out/egressfw.ko
missing=
for sym in efw_pattern_parse efw_matcher_build efw_match_name efw_match_addr \
	   efw_tls_parse_hello efw_dns_parse efw_dns_parse_tcp; do
	nm "$ko" 2>/dev/null | grep -q " T $sym$" || missing="$missing $sym"
done
if [ -z "$missing" ] && [ -f "$ko" ]; then
	ktap_ok "$name: egressfw.ko holds the shared core"
else
	echo "# missing:$missing"
	ktap_not_ok "$name: egressfw.ko holds the shared core"
fi
expect_same "$name: module license is GPL" GPL "$(modinfo -F license "$ko" 2>&1)"
expect_same "$name: module version is scripts/version's" "$(scripts/version)" \
	"$(modinfo -F version "$ko" 2>&1)"
expect_same "$name: vermagic is the kernel's" \
	"$(sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' \
	   "$kdir/include/generated/utsrelease.h" 2>&1)" \
	"$(modinfo -F vermagic "$ko" 2>&1 | cut -d' ' -f1)"

# The probes' answers, as kbuild passed them to the compiler. Each API
# below is older than the newest kernel and newer than the oldest, so a
# probe that never finds its API (a broken probe) or always does (a shim
# that is never compiled) fails here.
have=$(grep -o 'EFW_HAVE_[A-Z0-9_]*' "$out/src/kmod/.main.o.cmd" 2>/dev/null |
       sort -u | sed 's/EFW_HAVE_//' | tr '\n' ' ')
echo "# feature probes found: ${have:-none}"
has() {
	case " $have " in *" $1 "*) return 0 ;; esac
	return 1
}
case "$name" in
7.2|debug)
	missing=
	for p in KVREALLOC NLA_STRSCPY VMALLOC_HUGE SYSTEM_DFL_WQ GENL_MCAST_CAP; do
		has "$p" || missing="$missing $p"
	done
	expect_same "$name: the newest kernel has every probed API" "" "$missing"
	;;
5.10)
	found=
	for p in KVREALLOC NLA_STRSCPY VMALLOC_HUGE SYSTEM_DFL_WQ GENL_MCAST_CAP; do
		has "$p" && found="$found $p"
	done
	expect_same "$name: the oldest kernel lacks the APIs added after it" "" "$found"
	;;
esac
ktap_finish
