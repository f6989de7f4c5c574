#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# egressctl's kernel commands (load, show, flush, stats, set, config)
# without the module: what must happen when it is missing, usage errors,
# help texts; then the wire protocol against tests/cli/fake-egressfw.c, an
# LD_PRELOAD stand-in for the module written from the uapi header. The
# real module is exercised by the VM tests.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/ktap.sh
ctl=${EGRESSCTL:-build/egressctl}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Where load keeps its last-known-good copy: never this host's own. A
# directory that does not exist: no copy, until the tests below make it.
export EGRESSFW_STATE_DIR=$tmp/state

# A list with an error on line 3, column 5.
cat >"$tmp/bad.list" <<'LIST'
good.example.com
other.example.com
bad..example.com
LIST

# --- no module on this host -------------------------------------------
if [ -d /sys/module/egressfw ]; then
	for c in show stats flush load; do
		ktap_skip "$c without the module" "egressfw is loaded here"
	done
else
	for c in show stats flush config "set mode audit" "load lists/sophos.list"; do
		# shellcheck disable=SC2086
		expect "$c: module not loaded, exit 3" 3 \
			'^egressfw: kernel module not loaded \(modprobe egressfw\)$' "$ctl" $c
	done
fi

# A bad list is refused before any contact with the kernel: exit 1, not
# the 3 a missing module would give.
expect "load of a bad list: file:line:col, exit 1" 1 "bad.list:3:5: invalid pattern 'bad..example.com'" \
	"$ctl" load "$tmp/bad.list"
run_cmd "$ctl" load "$tmp/bad.list"
if grep -q 'egressfw:' <<<"$out"; then
	printf '%s\n' "$out" | sed 's/^/#   /'
	ktap_not_ok "load of a bad list does not reach the kernel"
else
	ktap_ok "load of a bad list does not reach the kernel"
fi
expect "load of a bad list among good ones" 1 'nothing loaded' \
	"$ctl" load lists/sophos.list "$tmp/bad.list"
expect "load of a missing file" 1 'nonexistent.list: No such file' "$ctl" load "$tmp/nonexistent.list"
# One rule more than a ruleset holds (1,048,576) is refused before the
# kernel is asked: exit 1, nothing sent (tests/vm/scenarios/40-scale.sh
# loads exactly the maximum).
python3 -c 'import sys; sys.stdout.write("".join("h%d.test\n" % i for i in range(1048577)))' \
	>"$tmp/over.list"
expect "load of 1,048,577 rules: refused before the kernel, exit 1" 1 \
	'^egressctl: 1048577 rules: more than the module takes \(1048576\): nothing loaded$' \
	"$ctl" load "$tmp/over.list"
rm -f "$tmp/over.list"

# --- usage errors: exit 2, before the kernel is asked ------------------
expect "set mode bogus" 2 "invalid mode 'bogus'" "$ctl" set mode bogus
expect "set tls-ports 0" 2 "invalid TLS port '0'" "$ctl" set tls-ports 0
expect "set tls-ports 65536" 2 "invalid TLS port '65536'" "$ctl" set tls-ports 443,65536
expect "set tls-ports trailing comma" 2 "invalid TLS port ''" "$ctl" set tls-ports 443,
expect "set tls-ports: 17 ports" 2 'at most 16 TLS ports' "$ctl" set tls-ports "$(seq -s, 1 17)"
expect "set hello-max abc" 2 "invalid hello-max 'abc'" "$ctl" set hello-max abc
expect "set hello-timeout -1" 2 "invalid hello-timeout '-1'" "$ctl" set hello-timeout -1
expect "set pending-max 0" 2 "invalid pending-max '0'" "$ctl" set pending-max 0
expect "set pending-max over u32" 2 "invalid pending-max" "$ctl" set pending-max 4294967296
expect "set unknown key" 2 "unknown key 'frob'" "$ctl" set frob 1
expect "set key without value" 2 "'mode' needs a value" "$ctl" set mode
expect "show -x" 2 "unknown option '-x'" "$ctl" show -x
expect "stats extra argument" 2 "unexpected argument 'now'" "$ctl" stats now
expect "config -x" 2 "unknown option '-x'" "$ctl" config -x
expect "flush extra argument" 2 "unexpected argument" "$ctl" flush all
expect "load without files" 2 'usage: egressctl load \[--config FILE\] \[--boot\] FILE' "$ctl" load
expect "load -x" 2 "unknown option '-x'" "$ctl" load -x lists/sophos.list

# --- help ----------------------------------------------------------------
for c in "check FILE" "load FILE" "show \[-j\]" "flush" "stats \[-j\|--prometheus\]" "set \[KEY VALUE\]" "config \[-j\]"; do
	expect "--help lists ${c%% *}" 0 "^  $c" "$ctl" --help
done
expect "help load" 0 'atomic' "$ctl" help load
expect "help show" 0 'LAST-HIT' "$ctl" help show
expect "help flush" 0 'pass-through' "$ctl" help flush
expect "help stats" 0 'pending_overflow' "$ctl" help stats
expect "help set names every key" 0 'pending-max FLOWS' "$ctl" help set
expect "help config" 0 'hello_timeout_ms' "$ctl" help config
expect "show --help" 0 '^usage: egressctl show \[-j\]' "$ctl" show --help

# --- the protocol, against the stand-in module --------------------------
# built by make (make check builds it; tests/run-all names it)
. tests/lib/fake-module.sh
if ! fake_module_setup "$tmp"; then
	ktap_skip "protocol checks" "no stand-in module $fake (make build/fake-egressfw.so)"
	ktap_finish
	exit
fi
not() { ! "$@"; }

# A failed check shows what the stand-in module logged.
ktap_fail_context() {
	tail -n 20 "$log" 2>/dev/null | sed 's/^/#   log: /'
}

expect "show before any load" 0 '^no ruleset loaded: all traffic passes$' fk show
expect "show -j before any load" 0 '^\[\]$' fk show -j

n_sophos=$("$ctl" check lists/sophos.list | sed -E 's/.*: ([0-9]+) rules.*/\1/')
: >"$log"
expect "load sophos.list" 0 "^loaded $n_sophos rules from lists/sophos.list \(generation 1\)$" \
	fk load lists/sophos.list
check "one rule per entry reached the module" [ "$(grep -c '^rule ' "$log")" -eq "$n_sophos" ]
check "rule ids run 0..n-1 in list order" \
	[ "$(grep '^rule ' "$log" | awk '{ print $2 }' | tr '\n' ' ')" = "$(seq -s ' ' 0 $((n_sophos - 1))) " ]
check "commit carries the rule count" grep -qx "commit $n_sophos origin 0" "$log"
first=$(grep -vE '^\s*(#|$)' lists/sophos.list | head -n 1 | awk '{ print $1 }')
first_line=$(grep -nvE '^\s*(#|$)' lists/sophos.list | head -n 1 | cut -d: -f1)
check "rule 0 is the first entry, with file:line and tcp/443" \
	grep -qx "rule 0 $first lists/sophos.list:$first_line 6/443-443" "$log"
check "a tcp/22 entry keeps its port" grep -qE '^rule [0-9]+ \*\.apu\.sophos\.com lists/sophos.list:[0-9]+ 6/22-22$' "$log"

# Big list: several ADD messages, none over 16 KiB, ids continuous.
{
	for i in $(seq 0 4999); do echo "host$i.example.com tcp/80,443 udp/443"; done
	echo 10.0.0.1
	echo '2001:DB8:0:0::1 tcp/25'
	echo '146.112.62.0/24 tcp/443,8443'
} >"$tmp/big.list"
: >"$log"
expect "load a 5003-rule list" 0 '^loaded 5003 rules .* \(generation 2\)$' fk load "$tmp/big.list"
adds=$(grep -c '^add ' "$log")
check "it took several ADD messages ($adds)" [ "$adds" -gt 10 ]
check "every ADD fits 16 KiB" [ -z "$(awk '/^add / && $2 > 16384' "$log")" ]
check "every ADD is well filled (> 12 KiB but the last)" \
	[ "$(awk '/^add / && $2 < 12288' "$log" | wc -l)" -le 1 ]
check "ids continuous across messages" \
	[ "$(grep '^rule ' "$log" | awk '{ print $2 }' | tr '\n' ' ')" = "$(seq -s ' ' 0 5002) " ]
check "port ranges: tcp/80, tcp/443, udp/443 in that order" \
	grep -qx "rule 0 host0.example.com $tmp/big.list:1 6/80-80,6/443-443,17/443-443" "$log"
check "a host address goes without /32" grep -qE '^rule 5000 10\.0\.0\.1 ' "$log"
check "IPv6 in canonical text" grep -qE '^rule 5001 2001:db8::1 .* 6/25-25$' "$log"
check "a CIDR keeps its prefix" grep -qE '^rule 5002 146\.112\.62\.0/24 .* 6/443-443,6/8443-8443$' "$log"

# A directory: its *.list files in byte order, as the systemd unit loads
# /etc/egressfw; none at all is an error that reaches nothing.
mkdir -p "$tmp/etc" "$tmp/etc-empty"
printf 'one.example.com\n' >"$tmp/etc/b.list"
printf '10.1.0.0/16 tcp/22\n' >"$tmp/etc/a.list"
: >"$log"
expect "load a directory" 0 "^loaded 2 rules from $tmp/etc/a.list, $tmp/etc/b.list " fk load "$tmp/etc"
check "its files in byte order, with file:line" \
	[ "$(grep '^rule ' "$log" | awk '{ print $2, $3, $4 }' | tr '\n' ';')" = "0 10.1.0.0/16 $tmp/etc/a.list:1;1 one.example.com $tmp/etc/b.list:1;" ]
: >"$log"
expect "load a directory without lists: exit 1" 1 "etc-empty: no \*\.list files in the directory" \
	fk load "$tmp/etc-empty"
check "... and nothing reached the module" [ ! -s "$log" ]

# SOURCE is at most 255 bytes: a long path loses its head, not the line.
long=$tmp/$(printf 'd%.0s' $(seq 1 120))/$(printf 'e%.0s' $(seq 1 120))
mkdir -p "$long"
printf 'one.example.com\n' >"$long/long.list"
: >"$log"
expect "load from a path over 255 bytes" 0 '^loaded 1 rule from ' fk load "$long/long.list"
src=$(grep '^rule 0 ' "$log" | awk '{ print $4 }')
check "its source is truncated on the left to 255 bytes (${#src})" \
	[ "${#src}" -le 255 -a "${src:0:3}" = "..." -a "${src: -12}" = "/long.list:1" ]

# show: a header and one line per rule; -j is JSON with numbers as numbers.
fk load lists/sophos.list >/dev/null 2>&1
expect "show: header line" 0 '^ *ID +SOURCE +PATTERN +PORTS +ALLOWED +LAST-HIT +LEARNED$' fk show
run_cmd fk show
check "show: one line per rule" [ "$(wc -l <<<"$out")" -eq $((n_sophos + 1)) ]
check "show: a rule line has id, source, pattern, ports, counters" \
	grep -qE "^ +1 +lists/sophos.list:[0-9]+ +[a-z0-9.*-]+ +tcp/443 +10 +7s ago +1$" <<<"$out"
check "show: never hit is '-'" grep -qE '^ +0 .* +0 +- +0$' <<<"$out"
if command -v python3 >/dev/null; then
	run_cmd fk show -j
	check "show -j: a JSON array of the rules with typed fields" python3 -c '
import json, sys
rules = json.loads(sys.argv[1])
assert len(rules) == int(sys.argv[2]), len(rules)
for i, r in enumerate(rules):
    assert r["id"] == i
    assert isinstance(r["allowed"], int) and isinstance(r["learned"], int)
    assert r["last_hit"] is None or isinstance(r["last_hit"], int)
    assert r["source"].startswith("lists/sophos.list:")
    assert r["ports"] and r["pattern"]
assert rules[1]["last_hit"] == 7 and rules[0]["last_hit"] is None
' "$out" "$n_sophos"
	run_cmd fk stats -j
	check "stats -j: every counter, as numbers" python3 -c '
import json, sys
s = json.loads(sys.argv[1])
assert s["loaded"] is True and s["rules"] > 0 and s["generation"] > 0
assert s["packets"] == 1000 and s["flows"] == 100
assert s["allowed"] == {"cidr": 7, "sni": 80, "dns": 3}
assert s["denied"] == {"no_match": 11, "no_sni": 22, "not_tls": 33, "malformed": 44,
                       "pending_overflow": 55, "timeout": 66, "strict": 77,
                       "quic": 88, "dns_server": 99, "ech": 110, "offloaded": 121}, s["denied"]
assert s["dns"] == {"answers": 500, "ignored": 5, "unsolicited": 2, "wrong_way": 3,
                    "unmatched": 4, "learned": 40, "refreshed": 450, "evicted": 1,
                    "entries": 39}, s["dns"]
assert s["events_suppressed"] == 6 and s["over_budget"] == 8
assert s["not_egress"] == 9 and s["last_good"] == 0
' "$out"
else
	ktap_skip "show -j is JSON" "python3 missing"
	ktap_skip "stats -j is JSON" "python3 missing"
fi
run_cmd fk stats
check "stats: every counter by name" [ "$rc" -eq 0 -a \
	"$(grep -cE '^(loaded +yes|generation +[0-9]+|rules +[0-9]+|packets +1000|flows +100|allowed (cidr +7|sni +80|dns +3)|denied (no_match +11|no_sni +22|not_tls +33|malformed +44|pending_overflow +55|timeout +66|strict +77|quic +88|dns_server +99|ech +110|offloaded +121)|dns (answers +500|ignored +5|unsolicited +2|wrong way +3|unmatched +4|learned +40|refreshed +450|evicted +1|entries +39)|events suppressed +6|over budget +8|not egress +9|last good +0)$' <<<"$out")" -eq 32 ]

# stats --prometheus: the text exposition format, per-rule series too.
run_cmd fk stats --prometheus
prom=$out
check "stats --prometheus: exit 0" [ "$rc" -eq 0 ]
for line in 'egressfw_ruleset_loaded 1' 'egressfw_packets_total 1000' 'egressfw_flows_total 100' \
	    'egressfw_allowed_total{by="cidr"} 7' 'egressfw_allowed_total{by="dns"} 3' \
	    'egressfw_denied_total{reason="no_match"} 11' 'egressfw_denied_total{reason="timeout"} 66' \
	    '# TYPE egressfw_denied_total counter' '# TYPE egressfw_rule_allowed_total counter' \
	    "egressfw_ruleset_rules $n_sophos" \
	    "egressfw_rule_allowed_total{id=\"0\",pattern=\"$first\",ports=\"tcp/443\",source=\"lists/sophos.list:$first_line\"} 0"; do
	check "--prometheus: $line" grep -qxF -- "$line" <<<"$prom"
done
check "--prometheus: one allowed and one learned series per rule" \
	[ "$(grep -c '^egressfw_rule_allowed_total{' <<<"$prom")" -eq "$n_sophos" -a \
	  "$(grep -c '^egressfw_rule_learned_addresses{' <<<"$prom")" -eq "$n_sophos" ]
check "--prometheus: a last-hit sample only for rules hit (odd ids here)" \
	[ "$(grep -c '^egressfw_rule_last_hit_seconds{' <<<"$prom")" -eq $((n_sophos / 2)) ]
# Odd bytes in a list's path reach the source label escaped; a newline
# cannot pass through the stand-in's state file, test_prometheus has it.
odd=$tmp/'say "hi"\back'
mkdir -p "$odd"
printf 'odd.example.com tcp/22\n' >"$odd/x.list"
fk load "$odd/x.list" >/dev/null 2>&1
run_cmd fk stats --prometheus
check "--prometheus: quotes and backslashes escaped in labels" grep -qxF -- \
	"egressfw_rule_allowed_total{id=\"0\",pattern=\"odd.example.com\",ports=\"tcp/22\",source=\"$tmp/say \\\"hi\\\"\\\\back/x.list:1\"} 0" <<<"$out"
# Debian's python3-prometheus-client is for Debian's python3, which need
# not be the first on PATH.
prom_py=
for py in python3 /usr/bin/python3; do
	"$py" -c 'import prometheus_client.parser' 2>/dev/null && { prom_py=$py; break; }
done
if [ -n "$prom_py" ]; then
	check "--prometheus: Prometheus' own parser reads it back, labels unescaped" "$prom_py" -c '
import sys
from prometheus_client.parser import text_string_to_metric_families as parse
fams = {f.name: f for f in parse(sys.argv[1])}
assert fams["egressfw_denied"].type == "counter"
assert {s.labels["reason"]: s.value for s in fams["egressfw_denied"].samples} == {
    "no_match": 11, "no_sni": 22, "not_tls": 33, "malformed": 44,
    "pending_overflow": 55, "timeout": 66, "strict": 77, "quic": 88,
    "dns_server": 99, "ech": 110, "offloaded": 121}
assert fams["egressfw_dns_learned"].samples[0].value == 40
assert fams["egressfw_dns_entries"].samples[0].value == 39
assert fams["egressfw_ruleset_loaded"].type == "gauge"
assert fams["egressfw_last_good"].type == "gauge"
assert fams["egressfw_dns_unmatched"].samples[0].value == 4
assert fams["egressfw_not_egress"].samples[0].value == 9
[r] = fams["egressfw_rule_allowed"].samples
assert r.labels == {"id": "0", "pattern": "odd.example.com", "ports": "tcp/22",
                    "source": sys.argv[2] + "/x.list:1"}, r.labels
' "$out" "$odd"
else
	ktap_skip "--prometheus: Prometheus' parser reads it" "no python3-prometheus-client"
fi
expect "stats: an unknown option" 2 "unknown option '--prom'" fk stats --prom
fk load lists/sophos.list >/dev/null 2>&1

# Dumps interrupted by a commit are read again; a ruleset that never holds
# still is reported, not shown half.
expect "show after one interrupted dump" 0 "central\.sophos\.com" env FAKE_EGRESSFW_INTR=1 LD_PRELOAD="$fake" "$ctl" show
run_cmd env FAKE_EGRESSFW_INTR=1 LD_PRELOAD="$fake" "$ctl" show
check "nothing of the interrupted dump is shown" not grep -q stale.example <<<"$out"
expect "show when every dump is interrupted" 3 'kept changing' \
	env FAKE_EGRESSFW_INTR=1000 LD_PRELOAD="$fake" "$ctl" show

# BEGIN while another load runs: retried, then a clear failure.
: >"$log"
expect "load waits for a busy namespace" 0 '^loaded ' env FAKE_EGRESSFW_BUSY=2 LD_PRELOAD="$fake" "$ctl" load lists/sophos.list
check "it retried twice" [ "$(grep -c '^busy' "$log")" -eq 2 ]
expect "load gives up on a namespace that stays busy" 3 'another load is in progress.*try again' \
	env FAKE_EGRESSFW_BUSY=1000 LD_PRELOAD="$fake" "$ctl" load lists/sophos.list

# A refused rule: named by file:line, the transaction aborted, nothing changed.
gen_before=$(fk stats | awk '$1 == "generation" { print $2 }')
: >"$log"
expect "refused rule: exit 3, named by file:line and the module's words" 3 \
	"the module refused $tmp/big.list:4702 'host4701.example.com' \(rule 4701\): Invalid argument: invalid pattern" \
	env FAKE_EGRESSFW_REFUSE=4701 LD_PRELOAD="$fake" "$ctl" load "$tmp/big.list"
check "refused load sends ABORT" grep -qx abort "$log"
check "refused load sends no COMMIT" not grep -q '^commit' "$log"
check "the ruleset did not change" [ "$(fk stats | awk '$1 == "generation" { print $2 }')" = "$gen_before" ]

expect "EPERM: need CAP_NET_ADMIN" 3 '^egressfw: permission denied: need CAP_NET_ADMIN \(run as root\)$' \
	env FAKE_EGRESSFW_EPERM=1 LD_PRELOAD="$fake" "$ctl" load lists/sophos.list
expect "EPERM on flush" 3 'need CAP_NET_ADMIN' env FAKE_EGRESSFW_EPERM=1 LD_PRELOAD="$fake" "$ctl" flush

# Settings.
expect "set several keys at once" 0 '' fk set mode audit tls-ports 443,8443,443 hello-timeout 2000
expect "config shows them" 0 '^tls-ports = 443,8443$' fk config
expect "set without arguments prints the config" 0 '^mode = audit$' fk set
expect "config -j" 0 '^\{"mode":"audit","tls_ports":\[443,8443\],"hello_max":17408,"hello_timeout_ms":2000,"pending_max":4096,"strict":false,"quic":"list","ech":"outer","dns_ttl_min":30,"dns_ttl_max":3600,"dns_grace":60,"dns_max":65536,"dns_servers":\[\],"egress_interfaces":\[\],"local":"judge"\}$' fk config -j
expect "set strict, quic and the dns bounds" 0 '' fk set strict on quic deny dns-ttl-min 0 dns-ttl-max 60 dns-grace 5 dns-max 100
expect "config -j shows the new settings" 0 '"strict":true,"quic":"deny","ech":"outer","dns_ttl_min":0,"dns_ttl_max":60,"dns_grace":5,"dns_max":100' fk config -j
expect "set: a bad strict value is a usage error" 2 "invalid strict 'maybe' \(expected off or on\)" fk set strict maybe
expect "set: a bad dns-servers address is a usage error" 2 "invalid dns-servers address '10.0.0.300'" fk set dns-servers 10.0.0.1,10.0.0.300
expect "set: too many dns-servers" 2 'at most 16 dns-servers' fk set dns-servers 1.1.1.1,1.1.1.2,1.1.1.3,1.1.1.4,1.1.1.5,1.1.1.6,1.1.1.7,1.1.1.8,1.1.1.9,1.1.1.10,1.1.1.11,1.1.1.12,1.1.1.13,1.1.1.14,1.1.1.15,1.1.1.16,1.1.1.17
expect "set: dns-ttl-min takes 0, hello-max does not" 2 "invalid hello-max '0'" fk set dns-ttl-min 0 hello-max 0
expect "a value the module refuses: exit 2 with its reason" 2 \
	'refused the setting: .*hello-max: 512 to 65536 bytes' fk set hello-max 100

# Flush and the empty list.
expect "flush" 0 '^flushed: the namespace is back to pass-through \(no ruleset\)$' fk flush
expect "show after flush" 0 '^no ruleset loaded: all traffic passes$' fk show
expect "stats after flush" 0 '^loaded +no' fk stats
printf '# nothing\n' >"$tmp/empty.list"
expect "an empty list loads, with a warning" 0 'warning: no rules: every guarded connection will be denied' \
	fk load "$tmp/empty.list"
expect "show of an empty ruleset says it denies" 0 'the ruleset is empty' fk show

# --- the configuration file and the boot fallbacks ---------------------
# egressfw.conf(5): a directory's egressfw.conf is loaded with its lists,
# in the same COMMIT; config prints a file that loads back the same.
etc=$tmp/gw
mkdir -p "$etc" "$EGRESSFW_STATE_DIR"
cp lists/sophos.list "$etc/"
cat >"$etc/egressfw.conf" <<'CONF'
# a gateway
mode = audit
egress-interfaces = wan0,ppp*
   local=pass
CONF
expect "check: a directory with egressfw.conf" 0 'egressfw.conf: settings valid' "$ctl" check "$etc"
: >"$log"
expect "load: a directory with egressfw.conf" 0 '^loaded 108 rules' fk load "$etc"
check "the settings go in the COMMIT" grep -qx "commit 108 with config origin 0" "$log"
check "and in no SET_CONFIG" not grep -q '^set_config' "$log"
run_cmd fk config
check "config: the file's settings" grep -qx 'egress-interfaces = wan0,ppp\*' <<<"$out"
check "config: local pass" grep -qx 'local = pass' <<<"$out"
check "config: a setting the file does not name is at its default" grep -qx 'tls-ports = 443' <<<"$out"
printf '%s\n' "$out" >"$tmp/pasted.conf"
expect "config's output is a valid configuration file" 0 'settings valid' "$ctl" check "$tmp/pasted.conf"
fk set mode enforce tls-ports 8443 >/dev/null
expect "load --config of config's output" 0 '^loaded' fk load --config "$tmp/pasted.conf" lists/sophos.list
expect "gives the same settings back" 0 '' diff <(fk config) "$tmp/pasted.conf"
expect "a configuration file and a directory that holds one" 2 'two configuration files' \
	fk load --config "$tmp/pasted.conf" "$etc"

# Errors: file:line:col, nothing sent.
printf 'mode = audit\nhello-max = 100\negress-interfaces = eth0,a/b\nmystery = 1\nmode = enforce\n' >"$tmp/bad.conf"
run_cmd "$ctl" check "$tmp/bad.conf"
check "check of a bad file: exit 1" [ "$rc" -eq 1 ]
check "a value out of the module's range, by line and column" grep -q 'bad.conf:2:13: hello-max 100 is out of range (512 to 65536 bytes)' <<<"$out"
check "a bad interface name" grep -q "bad.conf:3:21: invalid egress-interfaces name 'a/b'" <<<"$out"
check "an unknown key" grep -q "bad.conf:4:1: unknown key 'mystery'" <<<"$out"
check "a key given twice" grep -q "bad.conf:5:1: 'mode' given twice" <<<"$out"
: >"$log"
expect "load with a bad configuration file: exit 1" 1 'nothing loaded' fk load --config "$tmp/bad.conf" lists/sophos.list
expect "load --config without a file: a usage error" 2 '^egressctl load: --config needs a file$' fk load --config
check "nothing reaches the kernel" not grep -q '^cmd' "$log"

# The last-known-good copy: what the last load loaded, rules and settings.
fk load "$etc" >/dev/null
expect "last-known-good rules kept, valid" 0 '108 rules' "$ctl" check "$EGRESSFW_STATE_DIR/last-good.list"
check "last-known-good settings kept" grep -qx 'egress-interfaces = wan0,ppp\*' "$EGRESSFW_STATE_DIR/last-good.conf"
expect "they decide as the lists do" 0 'sophos' "$ctl" check "$EGRESSFW_STATE_DIR/last-good.list" central.sophos.com
printf 'bad..example.com\n' >"$etc/zz-typo.list"
: >"$log"
expect "--boot, lists broken, a ruleset in force: it stays, exit 1" 1 'ruleset in force .* stays' fk load --boot "$etc"
check "no commit" not grep -q '^commit' "$log"
fk flush >/dev/null
: >"$log"
expect "--boot, lists broken, nothing in force: the last-known-good copy" 1 'running the last-known-good copy' \
	fk load --boot "$etc"
check "committed as last-known-good" grep -qx 'commit 108 with config origin 1' "$log"
expect "stats says so" 0 '^last good +1$' fk stats
expect "so does --prometheus" 0 '^egressfw_last_good 1$' fk stats --prometheus
rm -f "$EGRESSFW_STATE_DIR"/last-good.*
fk flush >/dev/null
expect "--boot, no copy either: deny every guarded connection" 1 'every guarded connection is denied' \
	fk load --boot "$etc"
expect "stats: last_good 2" 0 '^last good +2$' fk stats
expect "the ruleset is empty" 0 'the ruleset is empty' fk show
check "with the configuration file's settings" grep -qx 'egress-interfaces = wan0,ppp\*' <(fk config)
fk flush >/dev/null
printf 'boot-fallback = pass\n' >>"$etc/egressfw.conf"
expect "--boot, boot-fallback = pass: pass-through, exit 1" 1 'pass-through \(boot-fallback = pass\)' \
	fk load --boot "$etc"
expect "nothing loaded" 0 '^loaded +no' fk stats
rm "$etc/zz-typo.list"
expect "--boot with good lists: loaded, exit 0" 0 '^loaded 108 rules' fk load --boot "$etc"

# A module older than egressctl (the package upgraded, the module not yet
# reloaded): a plain load works as before; one with settings says why not.
old() { env FAKE_EGRESSFW_MAXATTR=11 LD_PRELOAD="$fake" "$ctl" "$@"; }
expect "an older module: a load of lists alone works" 0 '^loaded 108 rules' old load lists/sophos.list
expect "an older module: a load with settings says why it cannot" 3 \
	'older than this egressctl .* nothing loaded' old load "$etc"
expect "stats: last_good 0" 0 '^last good +0$' fk stats

# --- @set: the nft sets of a rule's learned addresses --------------------
cat >"$tmp/sets.list" <<'LIST'
plain.example.com
@set inet egf v4 v6
a.example.com
*.b.example.com tcp/22
	@set   ip filter	gw_v4   # blanks and a comment
10.0.0.0/8
@set none
c.example.com
@set inet egf v4
LIST
printf 'd.example.com\n' >"$tmp/sets2.list"
: >"$log"
expect "load a list with @set" 0 '^loaded 6 rules' fk load "$tmp/sets.list" "$tmp/sets2.list"
check "a rule before any @set sends no set" grep -qE '^rule 0 plain\.example\.com [^ ]+ 6/443-443$' "$log"
check "the rules after @set carry its sets" grep -qE '^rule 1 a\.example\.com [^ ]+ 6/443-443 set inet egf v4 v6$' "$log"
check "... until the next directive" grep -qE '^rule 2 \*\.b\.example\.com [^ ]+ 6/22-22 set inet egf v4 v6$' "$log"
check "a second @set replaces it, in canonical form" grep -qE '^rule 3 10\.0\.0\.0/8 [^ ]+ 6/443-443 set ip filter gw_v4$' "$log"
check "@set none ends it" grep -qE '^rule 4 c\.example\.com [^ ]+ 6/443-443$' "$log"
check "a @set ends with its file" grep -qE '^rule 5 d\.example\.com [^ ]+ 6/443-443$' "$log"
run_cmd fk show
check "show: a SET column when a rule has sets" \
	grep -qE '^ *ID +SOURCE +PATTERN +PORTS +ALLOWED +LAST-HIT +LEARNED +SET$' <<<"$out"
check "show: a rule's sets" grep -qE '^ +1 +[^ ]+sets\.list:3 +a\.example\.com +.* +inet egf v4 v6$' <<<"$out"
check "show: '-' for a rule without" grep -qE '^ +0 +[^ ]+ +plain\.example\.com +.* +-$' <<<"$out"
run_cmd fk show -j
check "show -j: set, the string" grep -qF '"pattern":"a.example.com","ports":"tcp/443","allowed":10,"allowed_dns":0,"last_hit":7,"learned":1,"set":"inet egf v4 v6"}' <<<"$out"
check "show -j: set, null without" grep -qF '"learned":0,"set":null}' <<<"$out"
check "the last-known-good copy keeps the @set lines" \
	[ "$(grep -E '^@set' "$EGRESSFW_STATE_DIR/last-good.list" | tr '\n' ';')" = \
	  "@set inet egf v4 v6;@set ip filter gw_v4;@set none;" ]
expect "... and decides with them" 0 '^[^ ]+last-good.list:[0-9]+ a\.example\.com tcp/443 @set inet egf v4 v6$' \
	"$ctl" check "$EGRESSFW_STATE_DIR/last-good.list" a.example.com
grep '^rule ' "$log" | cut -d' ' -f1-3,5- >"$tmp/sets.rules"
cp "$EGRESSFW_STATE_DIR/last-good.list" "$tmp/last-good.list"
: >"$log"
expect "the copy loads" 0 '^loaded 6 rules' fk load "$tmp/last-good.list"
expect_same "... into the same rules and sets" "$(cat "$tmp/sets.rules")" \
	"$(grep '^rule ' "$log" | cut -d' ' -f1-3,5-)"
: >"$log"
expect "an older module: a list with @set loads, without its sets, and says so" 0 \
	'warning: the loaded egressfw module is older than this egressctl and does not take @set' \
	env FAKE_EGRESSFW_MAXATTR=12 LD_PRELOAD="$fake" "$ctl" load "$tmp/sets.list"
check "... no rule carried a set" not grep -q ' set ' "$log"
check "... and every rule reached it" [ "$(grep -c '^rule ' "$log")" -eq 5 ]

ktap_finish
