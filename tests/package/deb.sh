#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The Debian packages, for real, on this host: `make deb` builds
# egressfw-dkms and egressctl (or --debs DIR has them), `apt-get install`
# installs both, and egressfw-dkms's postinst has DKMS build and install
# egressfw.ko for every installed kernel with headers, among them KVER.
# One VM boot (tests/vm/run-vm) tests that .ko with the packaged egressctl
# and unit: tests/package/vm-deb-dkms.sh and vm-deb-unit.sh, which are
# vm-dkms.sh and vm-unit.sh on the package's files; its KTAP is nested in
# ours. Then `apt-get purge` must leave nothing of egressfw: no file either
# package shipped, no DKMS entry, no module under /lib/modules, no
# /var/lib/egressfw.
#
# The host is left as it was found: packages left by an earlier run are
# purged first, and both are purged at the end, on a failure too, with
# the signing key dkms made for this run. Needs root, apt and dkms
# (scripts/install-deps --vm; `make deb` installs its own build
# dependencies); skips (exit 4) without them. On CI hosts only: it
# installs packages and changes /lib/modules. It takes the DKMS test's lock
# (tests/package/lib.sh): both use the host's DKMS tree.
#
# usage: tests/package/deb.sh [--build DIR] [--kver KVER] [--debs DIR]
#   --kver   the kernel release the VM boots (default: Debian 12's,
#            tests/kernels/prepare 6.1)
#   --debs   take egressfw-dkms_*.deb and egressctl_*.deb from DIR
#            instead of building them (`make deb`: BUILD/deb)
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/ktap.sh
. tests/package/lib.sh

build=build
kver=
debs=
while [ $# -gt 0 ]; do
	case "$1" in
	--build) build=$2; shift 2 ;;
	--kver) kver=$2; shift 2 ;;
	--debs) debs=$2; shift 2 ;;
	*) echo "usage: $0 [--build DIR] [--kver KVER] [--debs DIR]" >&2; exit 2 ;;
	esac
done

need_host "debian packages" apt-get dpkg-deb
pkgs="egressfw-dkms egressctl"
export DEBIAN_FRONTEND=noninteractive
# Another apt (the kernels' preparation, a person) may hold dpkg's lock.
apt_get() {
	apt-get -q -y -o DPkg::Lock::Timeout=600 "$@"
}

package_lock

# purge: both packages out, if dpkg knows them in any state (idempotent),
# and what a DKMS tree entry of the same version left without them.
purge() {
	local p installed=
	for p in $pkgs; do
		dpkg-query -W -f='${db:Status-Status}\n' "$p" 2>/dev/null | grep -qv '^not-installed$' &&
			installed="$installed $p"
	done
	# shellcheck disable=SC2086 # a list of package names
	[ -z "$installed" ] || apt_get purge $installed >"$log" 2>&1 ||
		sed 's/^/#   /' "$log"
	[ -n "$version" ] || return 0
	if dkms status "egressfw/$version" 2>/dev/null | grep -q .; then
		dkms remove "egressfw/$version" --all >"$log" 2>&1 || sed 's/^/#   /' "$log"
	fi
	rm -rf "/usr/src/egressfw-$version"
}

log=$(mktemp)
listing=$(mktemp)
cleanup() {
	purge
	forget_new_mok
	rm -f "$log" "$listing"
}
version=
trap cleanup EXIT

if [ -z "$debs" ]; then
	debs=$build/deb
	step "make deb builds both packages, lintian finds no error" make -s deb BUILD="$build"
fi
# absolute: apt-get takes a path with a slash for a file, not a name
dkms_deb=$(realpath -e "$debs"/egressfw-dkms_*_all.deb 2>/dev/null)
ctl_deb=$(realpath -e "$debs"/egressctl_*_"$(dpkg --print-architecture)".deb 2>/dev/null)
if [ "$(wc -w <<<"$dkms_deb $ctl_deb")" -ne 2 ]; then
	echo "# in $debs: $(ls "$debs" 2>&1 | tr '\n' ' ')"
	ktap_not_ok "one egressfw-dkms and one egressctl package in $debs"
	ktap_finish
	exit 1
fi
ktap_ok "one egressfw-dkms and one egressctl package in $debs"
# The DKMS version is the one the sources are installed under.
version=$(dpkg-deb -c "$dkms_deb" | sed -nE 's|.* \./usr/src/egressfw-([^/]+)/$|\1|p')
echo "# egressfw $version ($(dpkg-deb -f "$ctl_deb" Version)), kernel $kver"
# what an earlier run may have left, before anything is installed
purge

# What the packages promise before they are installed.
field() {
	dpkg-deb -f "$1" "$2"
}
expect_same "egressfw-dkms: Architecture all, Depends on dkms" "all dkms" \
	"$(field "$dkms_deb" Architecture) $(field "$dkms_deb" Depends | grep -o '^dkms\b')"
expect_same "egressctl: Depends on libmnl0, Recommends egressfw-dkms and publicsuffix" \
	"libmnl0 egressfw-dkms, publicsuffix" \
	"$(field "$ctl_deb" Depends | grep -o '\blibmnl0\b') $(field "$ctl_deb" Recommends)"
# every file under /etc is a conffile (a purge removes it, an upgrade asks)
etc_files=$(dpkg-deb -c "$ctl_deb" | awk '$1 !~ /^d/ { sub(/^\./, "", $6); print $6 }' | grep '^/etc/' | sort)
expect_same "egressctl: every file under /etc is a conffile (${etc_files//$'\n'/ })" "$etc_files" \
	"$(dpkg-deb --ctrl-tarfile "$ctl_deb" | tar -xO ./conffiles 2>/dev/null | sort)"
# The unit is neither started, stopped nor restarted by a maintainer
# script: an allowlist must not enforce before its lists are written, and
# a restart on upgrade would reload them.
expect_same "egressctl's maintainer scripts never start, stop or restart a unit" "" \
	"$(dpkg-deb --ctrl-tarfile "$ctl_deb" | tar -xO 2>/dev/null |
		grep -E 'deb-systemd-invoke|systemctl .*(start|stop|restart)')"

# Every path the packages ship, and whether it was there before: after the
# purge, the ones that were not must be gone (shared directories such as
# /usr/share/man stay).
for deb in "$dkms_deb" "$ctl_deb"; do
	dpkg-deb -c "$deb" | awk '{ sub(/^\./, "", $6); sub(/\/$/, "", $6); if ($6 != "") print $6 }'
done | sort -u | while read -r path; do
	[ -e "$path" ] || echo "$path"
done >"$listing"

start=$(date +%s)
step "apt-get install ./egressfw-dkms_*.deb ./egressctl_*.deb" \
	apt_get install --no-install-recommends "$dkms_deb" "$ctl_deb"
sed -n 's/^Building for //p' "$log" | sed 's/^/# DKMS built for: /'
echo "# apt-get install took $(( $(date +%s) - start ))s"
for p in $pkgs; do
	expect_same "$p is installed" "install ok installed" \
		"$(dpkg-query -W -f='${Status}' "$p" 2>&1)"
done

src=/usr/src/egressfw-$version
expect_same "the sources are in $src with their version" "PACKAGE_VERSION=\"$version\" $version" \
	"$(grep '^PACKAGE_VERSION=' "$src/dkms.conf" 2>&1) $(sh "$src/scripts/version" 2>&1)"
case "$(dkms status "egressfw/$version" -k "$kver" 2>&1)" in
*": installed"*) ktap_ok "dkms status for $kver: installed" ;;
*) dkms status 2>&1 | sed 's/^/#   /'; ktap_not_ok "dkms status for $kver: installed" ;;
esac
# The postinst builds for every installed kernel with headers that
# dkms.conf's range admits, not only the running one.
range=$(sed -nE 's/^BUILD_EXCLUSIVE_KERNEL="(.*)"$/\1/p' "$src/dkms.conf")
want=
got=
for k in /lib/modules/*/build/Makefile; do
	k=${k#/lib/modules/}
	k=${k%%/*}
	grep -Eq "$range" <<<"$k" || continue
	want="$want $k"
	dkms status "egressfw/$version" -k "$k" 2>/dev/null | grep -q ': installed' && got="$got $k"
done
expect_same "DKMS installed it for every kernel with headers:$want" "$want" "$got"
ko=$(ls /lib/modules/"$kver"/updates/dkms/egressfw.ko* 2>/dev/null | head -n 1)
expect_same "depmod knows it: modinfo -n egressfw" "${ko:-none}" \
	"$(modinfo -k "$kver" -n egressfw 2>&1)"
expect_same "its version is $version, its vermagic $kver's" "$version $kver" \
	"$(modinfo -F version "$ko" 2>&1) $(modinfo -F vermagic "$ko" 2>&1 | cut -d' ' -f1)"

expect "the packaged egressctl is $version" 0 "^egressctl $version\$" /usr/sbin/egressctl --version
expect_same "the unit is installed, and not enabled" "disabled" \
	"$(systemctl is-enabled egressfw.service 2>&1)"
expect_same "/var/lib/egressfw: a directory, 755, root's" "directory 755 root:root" \
	"$(stat -c '%F %a %U:%G' /var/lib/egressfw 2>&1)"
expect_same "/etc/connlabel.conf names the verdict bits for nft" \
	"125 egressfw-pending 126 egressfw-deny 127 egressfw-allow" \
	"$(grep egressfw- /etc/connlabel.conf 2>&1 | grep -v '^#' | tr '\n' ' ' | sed 's/ $//')"

# The VM boots the kernel of the module's vermagic, loads that .ko and,
# since the host's root is the VM's, finds it for modprobe and runs the
# package's egressctl and unit.
vm_boot "vm: the packages' module, egressctl and unit" "$build" "$ko" \
	tests/package/vm-deb-dkms.sh tests/package/vm-deb-unit.sh

start=$(date +%s)
# shellcheck disable=SC2086 # a list of package names
step "apt-get purge egressfw-dkms egressctl" apt_get purge $pkgs
echo "# apt-get purge took $(( $(date +%s) - start ))s"
for p in $pkgs; do
	expect_same "dpkg forgot $p" "not-installed" \
		"$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || echo not-installed)"
done
expect_same "no file or directory the packages shipped is left" "" \
	"$(while read -r path; do [ -e "$path" ] && echo "$path"; done <"$listing")"
expect_same "no /usr/src/egressfw-*, /etc/egressfw, /var/lib/egressfw" "" \
	"$(ls -d /usr/src/egressfw-* /etc/egressfw /var/lib/egressfw 2>/dev/null)"
expect_same "DKMS forgot egressfw" "" \
	"$(dkms status egressfw 2>&1; ls -d /var/lib/dkms/egressfw 2>/dev/null)"
expect_same "no egressfw.ko under /lib/modules, and depmod knows none" "" \
	"$(find /lib/modules -name 'egressfw.ko*' 2>/dev/null; modinfo -k "$kver" -n egressfw 2>/dev/null)"
expect_same "no egressfw line left in /etc/connlabel.conf" "" \
	"$(grep -s egressfw /etc/connlabel.conf)"
expect_same "no egressfw unit, enabled or not" "" \
	"$(ls /lib/systemd/system/egressfw.service /etc/systemd/system/*/egressfw.service 2>/dev/null)"
ktap_finish
