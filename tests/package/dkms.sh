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
. tests/package/lib.sh

build=build
kver=
while [ $# -gt 0 ]; do
	case "$1" in
	--build) build=$2; shift 2 ;;
	--kver) kver=$2; shift 2 ;;
	*) echo "usage: $0 [--build DIR] [--kver KVER]" >&2; exit 2 ;;
	esac
done

need_host "dkms package"
version=$(scripts/version)
src=/usr/src/egressfw-$version
echo "# egressfw $version, kernel $kver"

package_lock

# remove: this version out of dkms and /usr/src (idempotent).
remove() {
	if dkms status "egressfw/$version" 2>/dev/null | grep -q .; then
		dkms remove "egressfw/$version" --all >"$log" 2>&1 ||
			sed 's/^/#   /' "$log"
	fi
	rm -rf "$src"
}

log=$(mktemp)
cleanup() {
	remove
	forget_new_mok
	rm -f "$log"
}
trap cleanup EXIT
remove

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
vm_boot "vm: the DKMS-built module" "$build" "$ko" \
	tests/package/vm-dkms.sh tests/package/vm-unit.sh

remove
expect_same "dkms remove leaves no module behind" "" \
	"$(ls /lib/modules/"$kver"/updates/dkms/egressfw.ko* 2>/dev/null; modinfo -k "$kver" -n egressfw 2>/dev/null)"
expect_same "dkms forgot egressfw/$version" "" "$(dkms status "egressfw/$version" 2>&1)"
ktap_finish
