#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# In the VM booted by tests/package/dkms.sh, with the DKMS-installed
# module: egressfw.service's command lines do what egressctl(8) says the
# unit does. systemd does not run in the VM, so this runs what the unit
# would run: `make install` puts everything in place in the VM's root (a
# throwaway overlay), or, with EFW_PACKAGE=deb (vm-deb-unit.sh, booted by
# tests/package/deb.sh), the egressctl package has, and the
# ExecStartPre=, ExecStart= and ExecReload= lines are read from the
# installed unit and run as they are, against
# /etc/egressfw, in the VM's own network namespace as at boot. A reboot
# is played by flushing the ruleset and running ExecStart again: the
# settings of egressfw.conf come back, and broken lists bring back the
# last-known-good copy, or deny-all, never pass-through.
. "$EFW_REPO/tests/vm/scenarios/lib.sh"
require_module
require_tools make modprobe rmmod
[ -x "$EGRESSCTL" ] || skip_all "no egressctl at $EGRESSCTL"

unit=/usr/lib/systemd/system/egressfw.service
etc=/etc/egressfw
state=/var/lib/egressfw
if [ "${EFW_PACKAGE:-}" = deb ]; then
	# vm-deb-unit.sh: what the egressctl package installed on the host,
	# whose root is the VM's (the unit in /lib, as bookworm has them)
	unit=/lib/systemd/system/egressfw.service
	expect_same "the unit and egressfw.conf are the egressctl package's" egressctl \
		"$(dpkg-query -S "$unit" "$etc/egressfw.conf" 2>&1 | cut -d: -f1 | sort -u)"
else
	rm -rf "$etc" "$state"
	expect "make install into the VM's root" 0 "" \
		make -s -C "$EFW_REPO" install BUILD="$(dirname "$EGRESSCTL")"
fi
[ -r "$unit" ] || bail "no $unit installed"
[ -d "$state" ] || bail "no $state installed"
[ -r "$etc/egressfw.conf" ] || bail "no $etc/egressfw.conf installed"
on_cleanup "\"$EGRESSCTL\" flush; rm -rf $etc $state"

# unit_line KEY: the one KEY= command line of the unit. Only plain words:
# no quoting, variables or prefixes, whose meaning is systemd's parser's,
# not this test's; anything else fails here rather than be run wrongly.
unit_line() {
	local lines
	lines=$(sed -n "s/^$1=//p" "$unit")
	case "$lines" in
	/*[\"\'\$\;\&\|\\*?~%]*) ;;
	/*) [ "$(grep -c . <<<"$lines")" -eq 1 ] && echo "$lines" && return 0 ;;
	esac
	echo "# $1= in $unit: '$lines'"
	return 1
}

start_pre=$(unit_line ExecStartPre) && start=$(unit_line ExecStart) &&
	reload=$(unit_line ExecReload)
if [ $? -eq 0 ]; then
	ktap_ok "the unit has one plain ExecStartPre, ExecStart and ExecReload"
else
	bail "the unit's command lines cannot be run without systemd"
fi
echo "# ExecStartPre=$start_pre"
echo "# ExecStart=$start"
echo "# ExecReload=$reload"

# run_line DESC STATUS PATTERN LINE: run a unit command line as systemd
# would (split at blanks, no shell), with expect's checks.
run_line() {
	local words
	read -ra words <<<"$4"
	expect "$1" "$2" "$3" "${words[@]}"
}

# rules: the loaded rules, without their counters.
rules() {
	awk 'NR > 1 { print $1, $5, $6, $7 }' /proc/net/egressfw/rules
}
stat_value() {
	awk -v k="$1" '$1 == k { print $2 }' /proc/net/egressfw/stats
}

# Boot: the module is loaded by modules-load.d and by ExecStartPre.
expect "rmmod egressfw (as before boot)" 0 "" rmmod egressfw
for m in $(grep -v '^#' /usr/lib/modules-load.d/egressfw.conf); do
	expect "modules-load.d: modprobe $m" 0 "" modprobe "$m"
done
expect "rmmod egressfw again" 0 "" rmmod egressfw
run_line "ExecStartPre loads the module" 0 "" "$start_pre"
expect_same "... and it is loaded" yes "$([ -d /sys/module/egressfw ] && echo yes)"

# No list at all, no copy: a failure that says why, and deny-all.
expect "the installed egressfw.conf is valid" 0 'settings valid' "$EGRESSCTL" check "$etc/egressfw.conf"
run_line "ExecStart without a list fails and says why" 1 \
	"^$etc: no \\*\\.list files in the directory" "$start"
expect_same "... and denies every guarded flow: an empty ruleset, last_good 2" "1 0 2" \
	"$(stat_value loaded) $(stat_value rules) $(stat_value last_good)"
"$EGRESSCTL" flush >/dev/null

# Lists: every *.list of the directory, in name order, and the settings.
cp /usr/share/egressfw/lists/sophos.list "$etc/"
printf 'mode = audit\negress-interfaces = wan0\n' >>"$etc/egressfw.conf"
printf 'site.example.com tcp/8443\n' >"$etc/local.list"
printf 'bad..example.com\n' >"$etc/local.list.orig"
n=$("$EGRESSCTL" check "$etc/local.list" "$etc/sophos.list" | awk '{ n += $2 } END { print n }')
run_line "ExecStart loads $etc" 0 \
	"^loaded $n rules from $etc/local.list, $etc/sophos.list \\(generation [0-9]+\\)$" "$start"
expect_same "the kernel has the $n rules, local.list's first" "$n 0 $etc/local.list:1 site.example.com tcp/8443" \
	"$(rules | wc -l) $(rules | head -n 1)"
expect_same "... from the configured lists (last_good 0)" 0 "$(stat_value last_good)"
expect "... with egressfw.conf's settings" 0 '^egress-interfaces = wan0$' "$EGRESSCTL" config
expect "the last-known-good copy is kept" 0 "^$state/last-good.list: $n rules" "$EGRESSCTL" check "$state/last-good.list"
gen=$(stat_value generation)

# Reload: the directory again, atomically.
printf 'new.example.com\n' >>"$etc/local.list"
run_line "ExecReload loads the changed list" 0 "^loaded $((n + 1)) rules " "$reload"
expect_same "the new rule is in, the generation moved on" \
	"1 $etc/local.list:2 new.example.com tcp/443 $((gen + 1))" "$(rules | sed -n 2p) $(stat_value generation)"
gen=$(stat_value generation)
before=$(rules)

# A bad list: the command fails, names the place, the rules stay.
printf 'bad..example.com\n' >"$etc/zz-broken.list"
run_line "ExecReload with a bad list fails, naming file:line:col" 1 \
	"^$etc/zz-broken.list:1:5: invalid pattern 'bad..example.com'" "$reload"
expect_same "... and the running rules stay" "$before $gen" "$(rules) $(stat_value generation)"
run_line "ExecStart (a restart) with the bad list fails too" 1 "ruleset in force .* stays" "$start"
expect_same "... and the running rules stay" "$before $gen" "$(rules) $(stat_value generation)"

# A reboot: the settings come back from egressfw.conf.
rm "$etc/zz-broken.list"
"$EGRESSCTL" flush >/dev/null
"$EGRESSCTL" set mode enforce egress-interfaces any >/dev/null
expect "rmmod egressfw (a reboot)" 0 "" rmmod egressfw
run_line "ExecStartPre after the reboot" 0 "" "$start_pre"
run_line "ExecStart after the reboot" 0 "^loaded $((n + 1)) rules" "$start"
expect "the settings are egressfw.conf's again" 0 '^mode = audit$' "$EGRESSCTL" config

# A reboot with a broken list: the last-known-good copy, loudly.
printf 'bad..example.com\n' >"$etc/zz-broken.list"
expect "rmmod egressfw (a reboot)" 0 "" rmmod egressfw
run_line "ExecStartPre after the reboot" 0 "" "$start_pre"
run_line "ExecStart with a broken list fails, loading the last-known-good copy" 1 \
	"running the last-known-good copy from $state" "$start"
expect_same "the last good rules, flagged (last_good 1)" "$((n + 1)) 1" \
	"$(stat_value rules) $(stat_value last_good)"
expect "and the last good settings" 0 '^egress-interfaces = wan0$' "$EGRESSCTL" config

# No copy either: deny-all, or pass-through if egressfw.conf says so.
rm -f "$state"/last-good.*
"$EGRESSCTL" flush >/dev/null
run_line "ExecStart, broken list, no copy: fails, denying" 1 "every guarded connection is denied" "$start"
expect_same "an empty ruleset (last_good 2)" "1 0 2" \
	"$(stat_value loaded) $(stat_value rules) $(stat_value last_good)"
"$EGRESSCTL" flush >/dev/null
printf 'boot-fallback = pass\n' >>"$etc/egressfw.conf"
run_line "ExecStart, broken list, boot-fallback = pass: fails, passing" 1 "pass-through" "$start"
expect_same "no ruleset" 0 "$(stat_value loaded)"

check_kernel_log "kernel log clean"
ktap_finish
