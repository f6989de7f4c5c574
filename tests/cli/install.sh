#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make install` into a staging DESTDIR: exactly the files a gateway needs,
# where egressctl(8) and the README say they are, with the right modes; the
# unit made from packaging/egressfw.service.in names the installed paths,
# for the default PREFIX and another one, and systemd-analyze accepts it.
# What the unit runs is tested in the VM (tests/package/vm-unit.sh).
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/ktap.sh
ctl=${EGRESSCTL:-build/egressctl}
build=$(dirname "$ctl")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

root=$tmp/root
expect "make install DESTDIR=..." 0 "" make -s install DESTDIR="$root" BUILD="$build"
lists=$(cd lists && for l in *.list; do echo "f 644 usr/share/egressfw/lists/$l"; done)
want=$(sort <<EOT
f 644 etc/egressfw/egressfw.conf
d 755 var/lib/egressfw
f 755 usr/sbin/egressctl
f 644 usr/share/man/man8/egressctl.8
f 644 usr/share/man/man5/egressfw.list.5
f 644 usr/share/man/man5/egressfw.conf.5
f 644 usr/share/bash-completion/completions/egressctl
f 644 usr/lib/modules-load.d/egressfw.conf
f 644 usr/lib/systemd/system/egressfw.service
f 644 usr/lib/systemd/system/egressfw-nft-sync.service
f 644 usr/share/egressfw/connlabel.conf
f 755 usr/share/egressfw/egressfw-connlabel
$lists
EOT
)
# every file, and the directories nothing else was installed in
got=$(cd "$root" && find . -mindepth 1 \( -type f -o -type d -empty \) -printf '%y %m %P\n' | sort)
expect_same "exactly the expected files, with their modes" "$want" "$got"
expect "the installed egressctl runs" 0 '^egressctl ' "$root/usr/sbin/egressctl" --version
expect_same "the lists are the shipped ones" "" \
	"$(for l in lists/*.list; do cmp -s "$l" "$root/usr/share/egressfw/lists/${l#lists/}" || echo "$l"; done)"
expect_same "modules-load.d loads egressfw" "egressfw" \
	"$(grep -v '^#' "$root/usr/lib/modules-load.d/egressfw.conf")"

unit=$root/usr/lib/systemd/system/egressfw.service
expect_same "the unit has every @...@ filled in" "" "$(grep -n '@[A-Z]*@' "$unit")"
expect_same "the unit's commands, for PREFIX=/usr" \
	"ExecStartPre=/sbin/modprobe egressfw
ExecStart=/usr/sbin/egressctl load --boot /etc/egressfw
ExecReload=/usr/sbin/egressctl load --boot /etc/egressfw" "$(grep '^Exec' "$unit")"
nft_unit=$root/usr/lib/systemd/system/egressfw-nft-sync.service
expect_same "the nft-sync unit runs the installed egressctl, after the egressfw unit" \
	"Wants=egressfw.service
After=egressfw.service nftables.service
ExecStart=/usr/sbin/egressctl nft-sync
Restart=on-failure" "$(grep -E '^(Wants|Requires|After|ExecStart|Restart)=' "$nft_unit")"
expect_same "the installed egressfw.conf is the shipped one, valid" "" \
	"$(cmp packaging/egressfw.conf "$root/etc/egressfw/egressfw.conf" && "$ctl" check "$root/etc/egressfw/egressfw.conf" >/dev/null)"
printf 'mode = audit\n' >"$root/etc/egressfw/egressfw.conf"
make -s install DESTDIR="$root" BUILD="$build" >/dev/null 2>&1
expect_same "a second install keeps the operator's egressfw.conf" "mode = audit" "$(cat "$root/etc/egressfw/egressfw.conf")"
expect_same "a oneshot that stays active, with no ExecStop (stop keeps the rules)" \
	"Type=oneshot RemainAfterExit=yes" "$(grep -E '^(Type|RemainAfterExit|ExecStop)' "$unit" | tr '\n' ' ' | sed 's/ $//')"

# Another PREFIX and SYSCONFDIR: the unit follows, and, its programs now
# existing on this host, systemd-analyze can check all of it.
other=$tmp/other
expect "make install PREFIX=... SYSCONFDIR=..." 0 "" \
	make -s install PREFIX="$other/usr/local" SYSCONFDIR="$other/etc" LOCALSTATEDIR="$other/var" BUILD="$build"
unit=$other/usr/local/lib/systemd/system/egressfw.service
expect_same "the unit's commands follow PREFIX and SYSCONFDIR" \
	"ExecStart=$other/usr/local/sbin/egressctl load --boot $other/etc/egressfw" "$(grep '^ExecStart=' "$unit")"
if command -v systemd-analyze >/dev/null && [ -x /sbin/modprobe ]; then
	expect "systemd-analyze verify accepts the unit" 0 "" systemd-analyze verify --man=no "$unit"
	expect "systemd-analyze verify accepts the nft-sync unit" 0 "" \
		systemd-analyze verify --man=no "$other/usr/local/lib/systemd/system/egressfw-nft-sync.service"
else
	ktap_skip "systemd-analyze verify accepts the unit" "no systemd-analyze or /sbin/modprobe"
	ktap_skip "systemd-analyze verify accepts the nft-sync unit" "no systemd-analyze or /sbin/modprobe"
fi
ktap_finish
