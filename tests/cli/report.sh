#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# egressctl report: the report of denials (GET_REPORT, CLEAR_REPORT)
# against tests/cli/fake-egressfw.c, seeded through its report file: the
# text and its order, -j, --suggest's lines (exact for a seeded report,
# valid for `egressctl check`, and allowing what was denied), --clear,
# and the errors (no module, no permission, an older module). The
# grouping rules themselves are tests/unit/test_suggest.c's.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/ktap.sh
ctl=${EGRESSCTL:-build/egressctl}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# --- without the module, usage, help --------------------------------------
if [ -d /sys/module/egressfw ]; then
	ktap_skip "report without the module" "egressfw is loaded here"
else
	expect "report: module not loaded, exit 3" 3 \
		'^egressfw: kernel module not loaded \(modprobe egressfw\)$' "$ctl" report
fi
expect "report -x: usage error" 2 "unknown option '-x'" "$ctl" report -x
expect "report extra argument: usage error" 2 "unexpected argument 'now'" "$ctl" report now
expect "report --suggest -j: they go alone" 2 'go alone' "$ctl" report --suggest -j
expect "report --clear --suggest: they go alone" 2 'usage: egressctl report \[-j\|--suggest\|--clear\]' \
	"$ctl" report --clear --suggest
expect "--help lists report" 0 '^  report \[-j\|--suggest\|--clear\]$' "$ctl" --help
expect "help report names the columns" 0 'LAST-SEEN' "$ctl" help report
expect "help report names --suggest" 0 '--suggest' "$ctl" help report

. tests/lib/fake-module.sh
if ! fake_module_setup "$tmp"; then
	ktap_skip "report against the stand-in module" "no stand-in module $fake (make build/fake-egressfw.so)"
	ktap_finish
	exit
fi
report=$FAKE_EGRESSFW_DIR/report
not() { ! "$@"; }
ktap_fail_context() {
	tail -n 20 "$log" 2>/dev/null | sed 's/^/#   log: /'
}

# A small public suffix list, so that --suggest's output does not depend
# on the publicsuffix package's version.
cat >"$tmp/psl.dat" <<'PSL'
// ===BEGIN ICANN DOMAINS===
com
net
uk
co.uk
*.ck
!www.ck
// ===END ICANN DOMAINS===
// ===BEGIN PRIVATE DOMAINS===
github.io
// ===END PRIVATE DOMAINS===
PSL
export EGRESSFW_PUBLIC_SUFFIX_LIST=$tmp/psl.dat

expect "an empty report: says so, exit 0" 0 '^no denials recorded$' fk report
expect "an empty report, -j: []" 0 '^\[\]$' fk report -j
expect "an empty report, --suggest: a comment that says so" 0 '^# nothing to suggest: no denials recorded$' \
	fk report --suggest

# Seeded: NAME|ADDR PROTO PORT COUNT FIRST LAST REASON [audit]. Ages of
# hours and days, so that a second going by changes no line.
now=$(date +%s)
h=3600 d=86400
seed() {
	local IFS=$'\t'
	printf '%s\n' "$*" >>"$report"
}
: >"$report"
seed a.example.com tcp 443 12 $((now - 9 * d)) $((now - 3 * h)) no_match
seed b.example.com tcp 8443 12 $((now - 9 * d)) $((now - 5 * h)) no_match audit
seed example.com tcp 443 3 $((now - 9 * d)) $((now - 3 * d)) no_match
seed www.bbc.co.uk tcp 443 3 $((now - 9 * d)) $((now - 3 * d)) no_match
seed news.bbc.co.uk tcp 443 2 $((now - 9 * d)) $((now - 3 * d)) no_match audit
seed one.co.uk tcp 443 1 $((now - 9 * d)) $((now - 4 * d)) no_match
seed two.co.uk tcp 443 1 $((now - 9 * d)) $((now - 4 * d)) no_match
seed alice.github.io tcp 443 1 $((now - 9 * d)) $((now - 4 * d)) no_match
seed bob.github.io tcp 443 1 $((now - 9 * d)) $((now - 4 * d)) no_match
seed x.a.www.ck udp 443 1 $((now - 9 * d)) $((now - 4 * d)) no_match
seed y.a.www.ck udp 443 1 $((now - 9 * d)) $((now - 4 * d)) no_match
seed xn--bcher-kva.example tcp 443 1 $((now - 9 * d)) $((now - 4 * d)) no_match
seed 198.51.100.7 tcp 22 30 $((now - 9 * d)) $((now - 2 * h)) no_match
seed 198.51.100.7 tcp 2222 1 $((now - 9 * d)) $((now - 4 * d)) no_match
seed 2001:db8::7 tcp 443 1 $((now - 9 * d)) $((now - 4 * d)) no_match
seed ssh.example.net tcp 22 4 $((now - 9 * d)) $((now - 2 * d)) no_match
seed ssh.example.net tcp 23 4 $((now - 9 * d)) $((now - 2 * d)) no_match
seed central.example.org tcp 443 7 $((now - 9 * d)) $((now - 6 * h)) strict
seed quic.example.org udp 443 1 $((now - 9 * d)) $((now - 4 * d)) quic audit
seed "$(printf 'evil\033[2J.example')" tcp 443 1 $((now - 9 * d)) $((now - 4 * d)) no_match

: >"$log"
run_cmd fk report
text=$out
check "report: exit 0" [ "$rc" -eq 0 ]
# EGRESSFW_CMD_GET_REPORT is 13, CLEAR_REPORT 14; no attributes (len 20).
check "report asked GET_REPORT" grep -qx "cmd 13 len 20" "$log"
expect_same "report: a header, then most denials first, ties by last seen, then name" \
"COUNT  DESTINATION            PORT      REASON    LAST-SEEN
   30  198.51.100.7           tcp/22    no_match  2h ago
   12  a.example.com          tcp/443   no_match  3h ago
   12  b.example.com          tcp/8443  no_match  5h ago (audit)
    7  central.example.org    tcp/443   strict    6h ago
    4  ssh.example.net        tcp/22    no_match  2d ago
    4  ssh.example.net        tcp/23    no_match  2d ago
    3  example.com            tcp/443   no_match  3d ago
    3  www.bbc.co.uk          tcp/443   no_match  3d ago
    2  news.bbc.co.uk         tcp/443   no_match  3d ago (audit)
    1  alice.github.io        tcp/443   no_match  4d ago
    1  bob.github.io          tcp/443   no_match  4d ago
    1  evil\\x1b[2J.example    tcp/443   no_match  4d ago
    1  one.co.uk              tcp/443   no_match  4d ago
    1  quic.example.org       udp/443   quic      4d ago (audit)
    1  two.co.uk              tcp/443   no_match  4d ago
    1  x.a.www.ck             udp/443   no_match  4d ago
    1  xn--bcher-kva.example  tcp/443   no_match  4d ago
    1  y.a.www.ck             udp/443   no_match  4d ago
    1  198.51.100.7           tcp/2222  no_match  4d ago
    1  2001:db8::7            tcp/443   no_match  4d ago" "$text"
check "report: a client's escape bytes never reach the terminal" not grep -q $'\033' <<<"$text"

run_cmd fk report -j
check "report -j: exit 0" [ "$rc" -eq 0 ]
if ! command -v python3 >/dev/null; then
	ktap_skip "report -j is JSON" "python3 missing"
else
	check "report -j: python3 -m json.tool reads it" python3 -m json.tool <<<"$out" >/dev/null
	check "report -j: the entries, typed, in the report's order" python3 -c '
import json, sys
v = json.loads(sys.argv[1])
assert len(v) == 20, len(v)
assert v[0] == {"name": None, "family": 4, "address": "198.51.100.7", "proto": "tcp",
                "port": 22, "count": 30, "first": int(sys.argv[2]) - 9 * 86400,
                "last": int(sys.argv[2]) - 7200, "reason": "no_match", "audit": False}, v[0]
assert v[2]["name"] == "b.example.com" and v[2]["audit"] is True and v[2]["family"] is None
assert v[3]["reason"] == "strict"
assert v[11]["name"] == "evil\x1b[2J.example", v[11]
assert v[19]["family"] == 6 and v[19]["address"] == "2001:db8::7"
' "$out" "$now"
fi

# --- --suggest ---------------------------------------------------------------
run_cmd env LD_PRELOAD="$fake" "$ctl" report --suggest
check "--suggest: exit 0" [ "$rc" -eq 0 ]
LD_PRELOAD=$fake "$ctl" report --suggest >"$tmp/suggested.list" 2>"$tmp/suggest.err"
check "--suggest: first a comment saying where the lines come from" \
	grep -qE '^# egressctl report --suggest, host [^ ]+, network namespace [0-9]+, [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}: destinations denied for no_match' \
	<(head -n 1 "$tmp/suggested.list")
expect_same "--suggest: the lines, exact" \
"*.www.ck udp/443
example.com tcp/443
*.example.com tcp/443,8443
xn--bcher-kva.example tcp/443
alice.github.io tcp/443
bob.github.io tcp/443
ssh.example.net tcp/22-23
*.bbc.co.uk tcp/443
one.co.uk tcp/443
two.co.uk tcp/443
198.51.100.7 tcp/22,2222
2001:db8::7 tcp/443" "$(tail -n +2 "$tmp/suggested.list")"
check "--suggest: what it left out, and why, on stderr" \
	[ "$(grep -c 'not suggested' "$tmp/suggest.err")" -eq 3 ]
check "... the strict denial" grep -q 'not suggested: 1 entry denied for strict, which a list line does not allow' "$tmp/suggest.err"
check "... the quic denial" grep -q 'not suggested: 1 entry denied for quic' "$tmp/suggest.err"
check "... the name with escape bytes, escaped" \
	grep -qF 'not suggested: evil\x1b[2J.example tcp/443: ' "$tmp/suggest.err"
expect "--suggest's output is a valid list, without a warning" 0 ': 12 rules: 7 exact, 3 wildcard, 0 glob, 2 cidr' \
	"$ctl" check "$tmp/suggested.list"
check "... without a warning" not grep -q warning <<<"$out"
# Every no_match denial it suggests a line for is now allowed.
allowed=0 denied=
while IFS=$'\t' read -r dest proto port _ _ _ reason _; do
	# the strict and quic ones are not suggested, nor the name with escapes
	if [ "$reason" != no_match ] || [ "${dest#evil}" != "$dest" ]; then
		continue
	fi
	if "$ctl" check "$tmp/suggested.list" "$dest" "$proto/$port" >/dev/null 2>&1; then
		allowed=$((allowed + 1))
	else
		denied="$denied $dest $proto/$port"
	fi
done <"$report"
expect_same "the suggested list allows each of the 17 no_match denials" "17:" "$allowed:$denied"
expect "... and not the public suffix itself" 1 '' "$ctl" check "$tmp/suggested.list" three.co.uk
expect "... nor the apex of a wildcard it added for names below" 1 '' \
	"$ctl" check "$tmp/suggested.list" bbc.co.uk
cat lists/sophos.list "$tmp/suggested.list" >"$tmp/appended.list"
expect "appended to a list, it still checks" 0 '' "$ctl" check "$tmp/appended.list"

# Debian's list gives the same answer for these names, when installed.
if [ -f /usr/share/publicsuffix/public_suffix_list.dat ]; then
	run_cmd env -u EGRESSFW_PUBLIC_SUFFIX_LIST LD_PRELOAD="$fake" "$ctl" report --suggest
	expect_same "--suggest with Debian's publicsuffix list: the same lines" \
		"$(tail -n +2 "$tmp/suggested.list")" "$(grep -v '^#' <<<"$out" | grep -v 'not suggested')"
else
	ktap_skip "--suggest with Debian's publicsuffix list" "no /usr/share/publicsuffix (apt-get install publicsuffix)"
fi

# Without a list: exact names only (a wildcard could be *.co.uk), and said so.
LD_PRELOAD=$fake EGRESSFW_PUBLIC_SUFFIX_LIST=$tmp/none.dat "$ctl" report --suggest \
	>"$tmp/fallback.list" 2>"$tmp/fallback.err"
check "no public suffix list: exit 0" [ $? -eq 0 ]
check "... says so on stderr, naming the file" \
	grep -q "egressctl report: $tmp/none.dat: No such file or directory: every name is suggested as it is, no wildcard" "$tmp/fallback.err"
check "... and suggests no wildcard" bash -c '! grep -q "^\*" "$1" && grep -q "co\.uk tcp/443" "$1"' _ "$tmp/fallback.list"
expect "... still a valid list" 0 ' rules: ' "$ctl" check "$tmp/fallback.list"

# --- a full report --------------------------------------------------------
: >"$report"
for i in $(seq 1 1024); do
	printf 'h%d.example.com\ttcp\t443\t1\t%d\t%d\tno_match\n' "$i" "$now" "$now"
done >>"$report"
run_cmd fk report
check "1024 entries: all listed" [ "$(grep -c 'example.com' <<<"$out")" -eq 1024 ]
check "... and the report said to be full" \
	grep -q 'egressctl report: the report is full (1024 entries)' <<<"$out"
expect_same "1024 names below one domain: one wildcard" '*.example.com tcp/443' \
	"$(LD_PRELOAD=$fake "$ctl" report --suggest 2>/dev/null | grep -v '^#')"

# --- --clear, and the errors ----------------------------------------------
: >"$log"
expect "--clear" 0 '^report cleared$' fk report --clear
check "it sent CLEAR_REPORT" grep -qx "cmd 14 len 20" "$log"
check "the stand-in emptied its report" grep -qx clear_report "$log"
expect "after --clear: no denials recorded" 0 '^no denials recorded$' fk report

expect "report without CAP_NET_ADMIN" 3 '^egressfw: permission denied: need CAP_NET_ADMIN \(run as root\)$' \
	env FAKE_EGRESSFW_EPERM=1 LD_PRELOAD="$fake" "$ctl" report
expect "--clear without CAP_NET_ADMIN" 3 'need CAP_NET_ADMIN' \
	env FAKE_EGRESSFW_EPERM=1 LD_PRELOAD="$fake" "$ctl" report --clear
expect "--suggest without CAP_NET_ADMIN: no lines" 3 '^egressfw: permission denied' \
	env FAKE_EGRESSFW_EPERM=1 LD_PRELOAD="$fake" "$ctl" report --suggest
expect "a module older than the report says so" 3 'older than this egressctl and keeps no report' \
	env FAKE_EGRESSFW_MAXATTR=11 LD_PRELOAD="$fake" "$ctl" report
ktap_finish
