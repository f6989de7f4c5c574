#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The man pages render without a warning (groff, mandoc's lint, and
# `man ./doc/egressctl.8` as a reader types it) and cannot drift from the
# tool: every command, option, setting key and deny reason that egressctl's
# own help names is in egressctl(8), --version is the tree's version, and
# egressfw.list(5)'s example list and error message are what egressctl
# really accepts and says.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/ktap.sh
. tests/lib/help.sh
ctl=${EGRESSCTL:-build/egressctl}
ctl=$(cd "$(dirname "$ctl")" && pwd)/$(basename "$ctl")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# quiet DESC CMD...: CMD exits 0 and prints nothing at all (warnings go to
# stderr or, for mandoc -Tlint, stdout).
quiet() {
	local desc=$1
	shift
	run_cmd "$@"
	if [ "$rc" -eq 0 ] && [ -z "$out" ]; then
		ktap_ok "$desc"
	else
		echo "# $*: exit $rc"
		printf '%s\n' "$out" | head -n 20 | sed 's/^/#   /'
		ktap_not_ok "$desc"
	fi
}

for page in doc/egressctl.8 doc/egressfw.list.5 doc/egressfw.conf.5; do
	if command -v groff >/dev/null; then
		quiet "$page: groff -man -ww renders it without a warning" \
			groff -man -Tutf8 -ww -z "$page"
	else
		ktap_skip "$page: groff renders it" "no groff (apt-get install groff-base)"
	fi
	if command -v mandoc >/dev/null; then
		quiet "$page: mandoc -Tlint finds nothing" mandoc -Tlint "$page"
	else
		ktap_skip "$page: mandoc -Tlint" "no mandoc (apt-get install mandoc)"
	fi
done

if ! command -v man >/dev/null; then
	ktap_skip "man ./doc/egressctl.8" "no man (apt-get install man-db)"
	ktap_finish
	exit
fi
# Wide, so that no name is broken across lines.
MANWIDTH=200 MANPAGER=cat man --warnings ./doc/egressctl.8 >"$tmp/page" 2>"$tmp/err"
rc=$?
if [ "$rc" -eq 0 ] && [ ! -s "$tmp/err" ] && grep -q '^EGRESSCTL(8)' "$tmp/page"; then
	ktap_ok "man ./doc/egressctl.8 renders, without a warning"
else
	echo "# man exit $rc"
	sed 's/^/#   /' "$tmp/err"
	ktap_not_ok "man ./doc/egressctl.8 renders, without a warning"
fi
page=$(cat "$tmp/page")

# found DESC MIN WORD...: the help text yielded at least MIN words, so a
# broken extraction cannot make the checks after it pass by checking none
# (a new command or option only adds to them).
found() {
	local desc=$1 min=$2
	shift 2
	if [ $# -ge "$min" ]; then
		ktap_ok "$desc ($#)"
	else
		echo "# found only: $*"
		ktap_not_ok "$desc"
	fi
}

# in_page DESC REGEX: a line of the rendered egressctl(8) matches REGEX.
in_page() {
	if grep -Eq -- "$2" <<<"$page"; then
		ktap_ok "$1"
	else
		echo "# no line of the page matches /$2/"
		ktap_not_ok "$1"
	fi
}

help=$("$ctl" --help)
commands=$(help_commands "$ctl")
found "--help names the commands" 8 $commands
for c in $commands; do
	in_page "egressctl(8) has a subsection for '$c'" "^   $c( |$)"
done

# Options: every -x and --xyz in the help texts, at a word's start.
all_help=$help
for c in $commands; do
	[ "$c" = help ] || all_help="$all_help
$("$ctl" help "$c")"
done
options=$(help_options <<<"$all_help")
found "the help texts name the options" 6 $options
for o in $options; do
	in_page "egressctl(8) documents $o" "(^|[][ |,(])$o([][ ,|)]|$)"
done

keys=$(help_set_keys "$ctl")
found "help set names the keys" 5 $keys
for k in $keys; do
	in_page "egressctl(8) documents set $k" "^ +$k "
done
reasons=$("$ctl" help stats | sed -n '/denials by reason:/,/In audit mode/p' |
	sed -nE 's/^  ([a-z_]+)  +.*/\1/p')
found "help stats names the deny reasons" 6 $reasons
for r in $reasons; do
	in_page "egressctl(8) documents the deny reason $r" "^ +$r "
done
statuses=$(grep -oE '\b[0-9] (success|denied|usage|system)' <<<"$help" | cut -c1)
found "--help names the exit statuses" 4 $statuses
for s in $statuses; do
	in_page "egressctl(8) documents exit status $s" "^ +$s {4,}[A-Z]"
done

expect_same "--version is scripts/version's" "egressctl $(scripts/version)" "$("$ctl" --version)"

# egressfw.list(5): its example loads cleanly, its error is the real one.
sed -n '/^\.SH EXAMPLES/,/^\.SH/ p' doc/egressfw.list.5 | sed -n '/^\.EX/,/^\.EE/ p' |
	sed '1d;$d; s/\\-/-/g; s/\\e/\\/g' >"$tmp/example.list"
expect "egressfw.list(5)'s example list is valid, without a warning" 0 '^[^ ]+: [1-9][0-9]* rules' \
	"$ctl" check "$tmp/example.list"
if grep -q warning <<<"$out"; then
	ktap_not_ok "... and without a warning"
else
	ktap_ok "... and without a warning"
fi
want=$(sed -n "s/^\(sophos\.list:[0-9]*:[0-9]*: .*\)/\1/p" doc/egressfw.list.5 | sed 's/\\-/-/g')
line=$(sed -n 's/^for instance, for a line \([0-9]*\)$/\1/p' doc/egressfw.list.5)
entry=$(sed -n '/^for instance, for a line/ { n; s/^\.B //p }' doc/egressfw.list.5)
{
	for i in $(seq 2 "${line:-1}"); do echo "# padding"; done
	echo "$entry"
} >"$tmp/sophos.list"
(cd "$tmp" && "$ctl" check sophos.list) >"$tmp/err.out" 2>&1
expect_same "egressfw.list(5)'s error message is egressctl's" "$want" "$(head -n 1 "$tmp/err.out")"

# egressfw.conf(5): its example is a valid file, and it names every key
# `egressctl set` takes.
sed -n '/^\.SH EXAMPLES/,/^\.SH/ p' doc/egressfw.conf.5 | sed -n '/^\.EX/,/^\.EE/ p' |
	sed '1d;$d; s/\\-/-/g' >"$tmp/example.conf"
expect "egressfw.conf(5)'s example is a valid file" 0 'settings valid' "$ctl" check "$tmp/example.conf"
conf_page=$(MANWIDTH=200 MANPAGER=cat man ./doc/egressfw.conf.5 2>/dev/null)
missing=
for k in $keys boot-fallback; do
	grep -Eq -- "(^|[ ,])$k([ ,.]|$)" <<<"$conf_page" || missing="$missing $k"
done
expect_same "egressfw.conf(5) names every key" "" "$missing"
ktap_finish
