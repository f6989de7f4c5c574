#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The DKMS package, for real, on this host: `make dkms-install` puts the
# module's sources in /usr/src/egressfw-VERSION, `dkms add`, `build` and
# `install` build and install egressfw.ko for one installed Debian kernel
# (tests/kernels/matrix: 6.1 and 6.12), and one VM boot (tests/vm/run-vm)
# tests that very .ko: the scenarios tests/package/vm-*.sh check there that
# modprobe finds the installed module, that it enforces, and that the
# systemd unit's command lines work with it. Its KTAP is nested in ours.
#
# The host's DKMS state is left as it was found: a copy of this version
# left by an earlier run is removed first, and everything (the DKMS tree,
# /usr/src, the installed module, a signing key dkms made for this run) is
# removed at the end. Needs root and dkms (scripts/install-deps --vm); skips
# (exit 4) without them. On CI hosts only: it changes /lib/modules.
#
# usage: tests/package/dkms.sh [--build DIR] [--kver KVER]
#   --kver   the kernel release (default: Debian 12's, tests/kernels/prepare 6.1)
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/ktap.sh

build=build
kver=
while [ $# -gt 0 ]; do
	case "$1" in
	--build) build=$2; shift 2 ;;
	--kver) kver=$2; shift 2 ;;
	*) echo "usage: $0 [--build DIR] [--kver KVER]" >&2; exit 2 ;;
	esac
done

skip() {
	ktap_skip "dkms package" "$1"
	ktap_finish
	exit 4
}

[ "$(id -u)" -eq 0 ] || skip "needs root (dkms installs into /usr/src and /lib/modules)"
command -v dkms >/dev/null || skip "no dkms (scripts/install-deps --vm)"
[ -n "$kver" ] || kver=$(tests/kernels/prepare -q 6.1 2>/dev/null | cut -d' ' -f2)
[ -n "$kver" ] && [ -e "/lib/modules/$kver/build/Makefile" ] ||
	skip "no kernel headers for '${kver:-6.1}' (apt-get install linux-headers-amd64)"
version=$(scripts/version)
src=/usr/src/egressfw-$version
mok=/var/lib/dkms/mok.key
echo "# egressfw $version, kernel $kver"

# One run at a time on a host: the DKMS tree is the host's.
lockdir=/run/lock
[ -d "$lockdir" ] || lockdir=/tmp
exec 8>"$lockdir/egressfw-dkms-test.lock"
flock 8

# remove: this version out of dkms and /usr/src (idempotent).
remove() {
	if dkms status "egressfw/$version" 2>/dev/null | grep -q .; then
		dkms remove "egressfw/$version" --all >"$log" 2>&1 ||
			sed 's/^/#   /' "$log"
	fi
	rm -rf "$src"
}

log=$(mktemp)
had_mok=
[ -e "$mok" ] && had_mok=1
cleanup() {
	remove
	# the signing key dkms makes on first use, if it was ours
	[ -n "$had_mok" ] || rm -f "$mok" "${mok%.key}.pub"
	rm -f "$log"
}
trap cleanup EXIT
remove

# step DESC CMD...: one test case; the command's output only on failure.
step() {
	local desc=$1
	shift
	if "$@" >"$log" 2>&1; then
		ktap_ok "$desc"
	else
		echo "# $*: exit $?"
		tail -n 40 "$log" | sed 's/^/#   /'
		ktap_not_ok "$desc"
		return 1
	fi
}

step "make dkms-install puts the sources in $src" make -s dkms-install
expect_same "its dkms.conf has PACKAGE_VERSION $version" "PACKAGE_VERSION=\"$version\"" \
	"$(grep '^PACKAGE_VERSION=' "$src/dkms.conf" 2>/dev/null)"
expect_same "the tree tells its version without git" "$version" \
	"$(sh "$src/scripts/version" 2>&1)"
step "dkms add" dkms add "egressfw/$version" &&
step "dkms build for $kver" dkms build "egressfw/$version" -k "$kver" &&
step "dkms install for $kver" dkms install "egressfw/$version" -k "$kver"
# A kernel older than the supported range is refused by DKMS itself, with
# its own message, before any compiler runs (dkms.conf BUILD_EXCLUSIVE_*).
old_kdir=$(mktemp -d)
expect "dkms refuses a kernel older than 5.10 (5.4) by name" 77 \
	"BUILD_EXCLUSIVE directive which does not match this kernel" \
	dkms build "egressfw/$version" -k 5.4.0-1-amd64 --kernelsourcedir "$old_kdir"
rm -rf "$old_kdir"
case "$(dkms status "egressfw/$version" -k "$kver" 2>&1)" in
*": installed"*) ktap_ok "dkms status: installed" ;;
*) dkms status 2>&1 | sed 's/^/#   /'; ktap_not_ok "dkms status: installed" ;;
esac
ko=$(ls /lib/modules/"$kver"/updates/dkms/egressfw.ko* 2>/dev/null | head -n 1)
expect_same "depmod knows it: modinfo -n egressfw" "${ko:-none}" \
	"$(modinfo -k "$kver" -n egressfw 2>&1)"
expect_same "the DKMS module's version is $version" "$version" \
	"$(modinfo -F version "$ko" 2>&1)"
expect_same "its vermagic is $kver's" "$kver" \
	"$(modinfo -F vermagic "$ko" 2>&1 | cut -d' ' -f1)"

# The VM boots the kernel of the module's vermagic, loads that .ko and,
# since the host's /lib/modules is the VM's, finds it there for modprobe.
if [ -z "$ko" ]; then
	ktap_not_ok "vm: the DKMS-built module # not built"
else
	vm_log=$(mktemp)
	start=$(date +%s)
	tests/vm/run-vm --build "$build" --work "$build/kernels/dkms-$kver" --module "$ko" \
		tests/package/vm-dkms.sh tests/package/vm-unit.sh >"$vm_log" 2>&1
	rc=$?
	sed 's/^/    /' "$vm_log"
	echo "# the VM run took $(( $(date +%s) - start ))s"
	totals=$(grep -E '^# Totals: pass:[0-9]+ fail:[0-9]+' "$vm_log" | tail -n 1)
	rm -f "$vm_log"
	# its cases count as ours; a run that failed without a failing case
	# (a dead VM) is one more failure
	f=0
	if [ -n "$totals" ]; then
		f=$(sed -E 's/.* fail:([0-9]+).*/\1/' <<<"$totals")
		ktap_pass=$((ktap_pass + $(sed -E 's/.* pass:([0-9]+).*/\1/' <<<"$totals")))
		ktap_fail=$((ktap_fail + f))
		ktap_skip=$((ktap_skip + $(sed -E 's/.* skip:([0-9]+).*/\1/' <<<"$totals")))
	fi
	ktap_n=$((ktap_n + 1))
	case "$rc" in
	0) echo "ok $ktap_n vm: the DKMS-built module" ;;
	4) [ -n "$totals" ] || ktap_skip=$((ktap_skip + 1))
	   echo "ok $ktap_n vm: the DKMS-built module # SKIP" ;;
	*) [ "$f" -eq 0 ] && ktap_fail=$((ktap_fail + 1))
	   echo "not ok $ktap_n vm: the DKMS-built module # exit $rc" ;;
	esac
fi

remove
expect_same "dkms remove leaves no module behind" "" \
	"$(ls /lib/modules/"$kver"/updates/dkms/egressfw.ko* 2>/dev/null; modinfo -k "$kver" -n egressfw 2>/dev/null)"
expect_same "dkms forgot egressfw/$version" "" "$(dkms status "egressfw/$version" 2>&1)"
ktap_finish
