#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `egressctl check` and the shipped lists, through the real binary.
cd "$(dirname "$0")/../.."
. tests/lib/ktap.sh
ctl=${EGRESSCTL:-build/egressctl}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The issue's acceptance commands.
expect "sophos: foo.sophos.com allowed" 0 '^lists/sophos.list:[0-9]+ \*\.sophos\.com tcp/443$' \
	"$ctl" check lists/sophos.list foo.sophos.com
expect "sophos: evilsophos.com denied" 1 '^denied: no rule allows evilsophos.com tcp/443' \
	"$ctl" check lists/sophos.list evilsophos.com
expect "sophos: x.apu.sophos.com tcp/22 allowed" 0 '^lists/sophos.list:[0-9]+ \*\.apu\.sophos\.com tcp/22$' \
	"$ctl" check lists/sophos.list x.apu.sophos.com tcp/22
expect "cisco: 146.112.62.7 tcp/443 allowed by its /24" 0 '^lists/cisco-esa.list:[0-9]+ 146\.112\.62\.0/24 tcp/443$' \
	"$ctl" check lists/cisco-esa.list 146.112.62.7 tcp/443

# The shipped lists are valid, alone and merged.
expect "sophos.list validates" 0 '^lists/sophos.list: [0-9]+ rules: [0-9]+ exact, [0-9]+ wildcard, 9 glob, 0 cidr$' \
	"$ctl" check lists/sophos.list
expect "cisco-esa.list validates" 0 '^lists/cisco-esa.list: [0-9]+ rules: .* 6 cidr$' \
	"$ctl" check lists/cisco-esa.list
expect "both lists merge" 0 'cisco-esa.list: ' "$ctl" check lists/sophos.list lists/cisco-esa.list
run_cmd "$ctl" check lists/sophos.list
out2=$out
run_cmd "$ctl" check lists/cisco-esa.list
out="$out2
$out"
if grep -q warning <<<"$out"; then
	printf '%s\n' "$out" | sed 's/^/#   /'
	ktap_not_ok "shipped lists have no warnings"
else
	ktap_ok "shipped lists have no warnings"
fi

# Names: the first rule in list order decides; the apex is not a wildcard match.
expect "central.sophos.com credited to its exact line first" 0 \
	'^lists/sophos.list:[0-9]+ central\.sophos\.com tcp/443$' "$ctl" check lists/sophos.list central.sophos.com
run_cmd "$ctl" check lists/sophos.list central.sophos.com
if [ "$(head -n 1 <<<"$out")" = "$(grep -n '^central.sophos.com$' lists/sophos.list | sed 's/^\([0-9]*\):/lists\/sophos.list:\1 /') tcp/443" ] &&
   grep -q '\*\.sophos\.com' <<<"$out"; then
	ktap_ok "check prints the deciding line, then other matching rules"
else
	printf '%s\n' "$out" | sed 's/^/#   /'
	ktap_not_ok "check prints the deciding line, then other matching rules"
fi
expect "upper case and trailing dot" 0 'central\.sophos\.com' "$ctl" check lists/sophos.list CENTRAL.Sophos.COM.
expect "sophos.com.evil.com denied" 1 '^denied' "$ctl" check lists/sophos.list sophos.com.evil.com
expect "glob instance allowed" 0 'tf-presigned-url-eu-west-1-prod-\*-bucket' \
	"$ctl" check lists/sophos.list tf-presigned-url-eu-west-1-prod-12ab-bucket.s3.eu-west-1.amazonaws.com
expect "apu host on 443 is allowed by *.sophos.com" 0 '\*\.sophos\.com tcp/443' \
	"$ctl" check lists/sophos.list x.apu.sophos.com
expect "central.sophos.com on tcp/22 denied, with a hint" 1 'note: these rules match the name on other ports' \
	"$ctl" check lists/sophos.list central.sophos.com tcp/22
expect "bare port means tcp" 0 'apu' "$ctl" check lists/sophos.list x.apu.sophos.com 22
expect "udp/443 not allowed by a tcp rule" 1 '^denied: no rule allows central.sophos.com udp/443' \
	"$ctl" check lists/sophos.list central.sophos.com udp/443
expect "ocsp on port 80" 0 'ocsp\.digicert\.com tcp/80,443' "$ctl" check lists/sophos.list ocsp.digicert.com tcp/80

# Addresses.
expect "cisco IPv6 range" 0 '2a04:e4c7:ffff::/48' "$ctl" check lists/cisco-esa.list 2a04:e4c7:ffff:1::5
expect "cisco: address outside every range" 1 '^denied' "$ctl" check lists/cisco-esa.list 146.112.64.1
expect "cisco: range not open on tcp/22" 1 '^denied' "$ctl" check lists/cisco-esa.list 146.112.62.7 tcp/22
expect "cisco: trailing-dot name from the page" 0 'login\.microsoftonline\.com' \
	"$ctl" check lists/cisco-esa.list login.microsoftonline.com

# Usage errors: exit 2.
expect "query that is a pattern" 2 'is a pattern' "$ctl" check lists/sophos.list '*.sophos.com'
expect "invalid query" 2 'not a name or address' "$ctl" check lists/sophos.list 'bad name!'
expect "invalid port in query" 2 "invalid port 'tcp/99999'" "$ctl" check lists/sophos.list foo.sophos.com tcp/99999
expect "no arguments" 2 'usage' "$ctl" check
expect "unknown command" 2 "unknown command" "$ctl" frobnicate
expect "--help lists check" 0 'check FILE' "$ctl" --help
expect "help check describes the command" 0 'PROTO/PORT' "$ctl" help check
expect "--version" 0 '^egressctl [0-9a-z.-]+' "$ctl" --version

# Errors name file:line:col and nothing is used.
cat >"$tmp/bad.list" <<'LIST'
# a comment
good.example.com
bad..example.com
ok.example.com tcp/99999
LIST
expect "error names file:line:col (empty label)" 1 "bad.list:3:5: invalid pattern 'bad..example.com'" \
	"$ctl" check "$tmp/bad.list"
expect "error names file:line:col (the bad number)" 1 "bad.list:4:20: invalid port 'tcp/99999'" \
	"$ctl" check "$tmp/bad.list"
expect "a list with errors decides nothing" 1 'would not be loaded' \
	"$ctl" check "$tmp/bad.list" good.example.com
printf 'a.example.com\na.example.com\n' >"$tmp/dup.list"
expect "duplicate is a warning, not an error" 0 'dup.list:2:1: warning: duplicate entry, same as .*dup.list:1' \
	"$ctl" check "$tmp/dup.list"
printf 'ok.example.com\n\xff.example.com\n' >"$tmp/latin1.list"
expect "non-UTF-8 rejected" 1 'latin1.list:2:1: invalid UTF-8' "$ctl" check "$tmp/latin1.list"
printf 'ok.example.com\nx\0y.example.com\n' >"$tmp/nul.list"
expect "NUL byte rejected" 1 'nul.list:2:2: NUL byte' "$ctl" check "$tmp/nul.list"
expect "missing file" 1 'nonexistent.list: No such file' "$ctl" check "$tmp/nonexistent.list"
printf 'crlf.example.com\r\n' >"$tmp/crlf.list"
expect "CRLF line endings accepted" 0 'crlf.list:1 crlf.example.com' "$ctl" check "$tmp/crlf.list" crlf.example.com
# A directory stands for its *.list files, in byte order of the names
# (B before a: not the locale's order, which differs between hosts).
mkdir -p "$tmp/dir" "$tmp/empty"
printf 'a.example.com\nb.example.com tcp/22\n' >"$tmp/dir/a.list"
printf 'b.example.com\n' >"$tmp/dir/B.list"
printf 'bad..name\n' >"$tmp/dir/.hidden.list"
printf 'bad..name\n' >"$tmp/dir/notes.txt"
run_cmd "$ctl" check "$tmp/dir"
expect_same "a directory: its *.list files in byte order, nothing else" \
	"0 $tmp/dir/B.list: 1 rules $tmp/dir/a.list: 2 rules" \
	"$rc $(grep -o '^.*: [0-9]* rules' <<<"$out" | tr '\n' ' ' | sed 's/ $//')"
expect "a directory: the first file in byte order decides" 0 "^$tmp/dir/B.list:1 b.example.com tcp/443" \
	"$ctl" check "$tmp/dir/" b.example.com
expect "a directory without lists is an error" 1 "empty: no \*\.list files in the directory" \
	"$ctl" check "$tmp/empty"
expect "merged files: later file decides" 0 "dup.list:1 a.example.com" \
	"$ctl" check lists/sophos.list "$tmp/dup.list" a.example.com

# @set: the nft sets of the entries after it (egressfw.list(5)).
cat >"$tmp/sets.list" <<'LIST'
a.example.com
@set inet egf v4 v6
b.example.com
@set none
c.example.com
LIST
expect "@set: valid, counted in the summary" 0 'sets.list: 3 rules: 3 exact, 0 wildcard, 0 glob, 0 cidr; 1 with nft sets$' \
	"$ctl" check "$tmp/sets.list"
expect "@set: a decision names the rule's sets" 0 '^.*sets.list:3 b\.example\.com tcp/443 @set inet egf v4 v6$' \
	"$ctl" check "$tmp/sets.list" b.example.com
expect "@set none: none after it" 0 '^.*sets.list:5 c\.example\.com tcp/443$' \
	"$ctl" check "$tmp/sets.list" c.example.com
long=$(printf 's%.0s' $(seq 1 120))
cat >"$tmp/badsets.list" <<LIST
@set arp t s
@set inet egf
@set inet 9egf v4
@set inet egf v4 v\$4
@set inet egf v4 v4
@set inet egf $long
@set none v4
@foo bar
@set
LIST
run_cmd "$ctl" check "$tmp/badsets.list"
check "bad @set lines: exit 1" [ "$rc" -eq 1 ]
for want in "badsets.list:1:6: invalid @set 'arp t s': unknown nft family (expected ip, ip6, inet, bridge or netdev)" \
	    "badsets.list:2:14: invalid @set 'inet egf': expected at least one SET after the table" \
	    "badsets.list:3:11: invalid @set 'inet 9egf v4': invalid nft table name" \
	    "badsets.list:4:19: invalid @set 'inet egf v4 v\$4': invalid nft set name" \
	    "badsets.list:5:18: invalid @set 'inet egf v4 v4': set named twice" \
	    "badsets.list:6:15: invalid @set 'inet egf $long': longer than 127 bytes" \
	    "badsets.list:7:11: '@set none' takes nothing after it" \
	    "badsets.list:8:1: unknown directive '@foo' (expected @set)" \
	    "badsets.list:9:1: '@set' needs FAMILY TABLE SET [SET...], or none"; do
	check "error: ${want#badsets.list:}" grep -qF -- "$want" <<<"$out"
done

ktap_finish
