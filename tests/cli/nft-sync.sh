#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `egressctl nft-sync` against the stand-in module (tests/cli/fake-egressfw.c,
# seeded with learned addresses) and the host kernel's real nf_tables, in
# a network namespace of its own (unshare -n), read back with `nft -j`:
# the addresses go to the sets of their family with the learned entry's
# lifetime as timeout, a refresh moves the timeout (one transaction:
# delete and add), missing or unfit sets are said once and the others
# written, events of the "learned" group are written until SIGTERM, and
# a lost event (ENOBUFS) reads the whole table again, a set made later
# (or made anew) is filled at the next 30 s recheck.
self=$(realpath "$0")
cd "$(dirname "$0")/../.." || exit 1
# The whole script in a network namespace of its own: its nft tables are
# nobody else's.
if [ -z "${EFW_NFT_SYNC_NETNS:-}" ] && unshare -n true 2>/dev/null; then
	EFW_NFT_SYNC_NETNS=1 exec unshare -n "$self" "$@"
fi
. tests/lib/ktap.sh
ctl=${EGRESSCTL:-build/egressctl}
fake=${FAKE_EGRESSFW:-build/fake-egressfw.so}

skip_all() {
	ktap_skip "nft-sync" "$1"
	ktap_finish
	exit 4
}
[ -n "${EFW_NFT_SYNC_NETNS:-}" ] || skip_all "cannot make a network namespace (unshare -n: not root?)"
command -v nft >/dev/null || skip_all "no nft (apt-get install nftables)"
command -v python3 >/dev/null || skip_all "no python3"
. tests/lib/fake-module.sh
nft list tables >/dev/null 2>&1 || skip_all "no nf_tables in this kernel"

tmp=$(mktemp -d)
mon=
cleanup() {
	[ -n "$mon" ] && kill "$mon" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
fake_module_setup "$tmp" || skip_all "no stand-in module $fake (make build/fake-egressfw.so)"
ktap_fail_context() {
	tail -n 20 "$log" 2>/dev/null | sed 's/^/#   log: /'
	nft list ruleset 2>&1 | sed 's/^/#   nft: /'
}

# seed FILE LINE...: the cache (or learned) file, one entry a line, given
# as "ADDR NAME EXPIRES SETS" with SETS after the third blank.
seed() {
	local file=$FAKE_EGRESSFW_DIR/$1 l a n e sets
	shift
	: >"$file"
	for l in "$@"; do
		read -r a n e sets <<<"$l"
		printf '%s\t%s\t%s\t%s\t0' "$a" "$n" "$e" "$e" >>"$file"
		# several specs: separated by '|'
		[ -n "$sets" ] && printf '\t%s' "${sets//|/$'\t'}" >>"$file"
		printf '\n' >>"$file"
	done
}

# elem SET ADDR: "TIMEOUT EXPIRES" of ADDR in inet egf SET, or nothing.
elem() {
	nft -j list set inet egf "$1" | python3 -c '
import json, sys
for o in json.load(sys.stdin)["nftables"]:
    for e in o.get("set", {}).get("elem", []):
        e = e.get("elem", e)
        if isinstance(e, dict) and e.get("val") == sys.argv[1]:
            print(e["timeout"], e["expires"])
' "$2"
}
# timeout_near SET ADDR SECONDS: ADDR is in SET with that timeout, and
# expires in it, give or take the seconds this test takes.
timeout_near() {
	local t x
	read -r t x <<<"$(elem "$1" "$2")"
	[ "$t" = "$3" ] && [ "$x" -le "$3" ] && [ "$x" -ge $(($3 - 10)) ]
}
absent() { [ -z "$(elem "$1" "$2")" ]; }
present() { [ -n "$(elem "$1" "$2")" ]; }
# within SECONDS CMD...: CMD, every 0.1 s, until it succeeds or the time
# is up (then false).
within() {
	local n=$(($1 * 10))
	shift
	until "$@"; do
		n=$((n - 1))
		[ "$n" -gt 0 ] || return 1
		sleep 0.1
	done
}

# --- without the module, and usage ---------------------------------------
if [ ! -d /sys/module/egressfw ]; then
	expect "nft-sync: module not loaded, exit 3" 3 \
		'^egressfw: kernel module not loaded \(modprobe egressfw\)$' "$ctl" nft-sync --once
else
	ktap_skip "nft-sync without the module" "egressfw is loaded here"
fi
expect "nft-sync: an unknown argument is a usage error" 2 "unexpected argument '--twice'" fk nft-sync --twice
expect "help nft-sync" 0 'flags timeout' "$ctl" help nft-sync

nft -f - <<'EOF' || skip_all "nft cannot make the test table"
table inet egf {
	set v4 { type ipv4_addr; flags timeout; }
	set v6 { type ipv6_addr; flags timeout; }
	set plain { type ipv4_addr; }
	set ports { type inet_service; flags timeout; }
}
EOF

# --- --once: what the module holds now ------------------------------------
seed cache "192.0.2.7 a.example.com 300 inet egf v4 v6" \
	"2001:db8::7 a.example.com 600 inet egf v4 v6" \
	"192.0.2.9 nosets.example.com 300" \
	"198.51.100.1 b.example.com 100 inet egf v4" \
	"198.51.100.1 c.example.com 500 inet egf v4 v6"
: >"$log"
expect "nft-sync --once: exit 0, what it wrote" 0 '^3 elements written to 2 sets$' fk nft-sync --once
check "the learned cache was dumped once" [ "$(grep -c '^cmd 10 ' "$log")" -eq 1 ]
expect "cache -j: an entry's sets" 0 '"name":"a\.example\.com","expires":300,"ttl":300,"rule":0,"sets":\["inet egf v4 v6"\]' \
	fk cache -j
expect "cache -j: none" 0 '"name":"nosets\.example\.com","expires":300,"ttl":300,"rule":0,"sets":\[\]' \
	fk cache -j
check "the IPv4 address is in v4, its timeout the entry's EXPIRES" timeout_near v4 192.0.2.7 300
check "the IPv6 address is in v6, with its own" timeout_near v6 2001:db8::7 600
check "no IPv6 address in v4" [ "$(elem v4 2001:db8::7)" = "" ]
check "no IPv4 address in v6" absent v6 192.0.2.7
check "an entry without sets is written nowhere" absent v4 192.0.2.9
check "an address learned for two names: the later expiry" timeout_near v4 198.51.100.1 500

# A refresh moves the timeout, up or down: one transaction that deletes
# and adds the element (nft monitor sees both in one generation).
# (line-buffered: its output is a file, read as it comes)
stdbuf -oL nft monitor >"$tmp/monitor" 2>&1 &
mon=$!
# It listens once it sees a change: make some until it does.
nft add set inet egf marker '{ type ipv4_addr; }'
for i in $(seq 100); do
	nft add element inet egf marker "{ 10.0.0.$i }"
	grep -q '^add element inet egf marker' "$tmp/monitor" && break
	sleep 0.1
done
seed cache "192.0.2.7 a.example.com 900 inet egf v4 v6"
expect "refresh with a longer lifetime" 0 '^1 element written to 1 set$' fk nft-sync --once
check "the timeout moved to the new lifetime" timeout_near v4 192.0.2.7 900
ours_seen() { grep -q '^# new generation .*egressctl' "$tmp/monitor"; }
within 5 ours_seen
kill "$mon" 2>/dev/null
wait "$mon" 2>/dev/null
mon=
check "nft monitor: the element deleted and added in one generation" python3 -c '
import sys
lines = open(sys.argv[1]).read().splitlines()
gens = [n for n, l in enumerate(lines) if l.startswith("# new generation")]
i = [n for n in gens if "egressctl" in lines[n]][0]
ours = lines[max([n for n in gens if n < i], default=-1) + 1:i]
assert any(l.startswith("delete element inet egf v4 { 192.0.2.7") for l in ours), ours
assert any(l.startswith("add element inet egf v4 { 192.0.2.7 timeout 15m") for l in ours), ours
' "$tmp/monitor"
seed cache "192.0.2.7 a.example.com 60 inet egf v4 v6"
expect "refresh with a shorter lifetime" 0 '^1 element written' fk nft-sync --once
check "the timeout moved down too" timeout_near v4 192.0.2.7 60
nft delete set inet egf marker

# Sets that cannot be written: said once each, the others written, exit 3.
seed cache "192.0.2.20 d.example.com 300 inet egf v4 nosuch plain ports" \
	"192.0.2.21 e.example.com 300 inet egf v4 nosuch plain ports" \
	"192.0.2.22 f.example.com 300 inet nosuchtable v4|inet egf v6" \
	"192.0.2.23 g.example.com 300 bogus family v4"
run_cmd fk nft-sync --once
check "a set that cannot be written: exit 3" [ "$rc" -eq 3 ]
check "a missing set: said once" [ "$(grep -c '^egressctl nft-sync: set inet egf nosuch: no such set' <<<"$out")" -eq 1 ]
check "a set without flags timeout: said once" \
	[ "$(grep -c '^egressctl nft-sync: set inet egf plain: it has no timeouts: give it flags timeout$' <<<"$out")" -eq 1 ]
check "a set of another type: said once" \
	[ "$(grep -c '^egressctl nft-sync: set inet egf ports: its type is neither ipv4_addr nor ipv6_addr' <<<"$out")" -eq 1 ]
check "a missing table: said" grep -q '^egressctl nft-sync: set inet nosuchtable v4: no such set (or table)' <<<"$out"
check "a spec whose sets take no IPv4: said" \
	grep -q "^egressctl nft-sync: no set of 'inet egf v6' takes IPv4 addresses" <<<"$out"
check "a spec that is not one: said, skipped" \
	grep -q "^egressctl nft-sync: the module names the sets 'bogus family v4': unknown nft family" <<<"$out"
check "the other sets are written all the same" [ "$(grep -c '^2 elements written to 1 set$' <<<"$out")" -eq 1 ]
check "... with their timeouts" timeout_near v4 192.0.2.21 300
check "nothing went to the set without timeouts" absent plain 192.0.2.20
if [ "$rc" -ne 3 ]; then printf '%s\n' "$out" | sed 's/^/#   /'; fi

# --- listening: the "learned" group --------------------------------------
# The group is joined before the dump, events are written as they come, a
# lost one (ENOBUFS) reads the table again, SIGTERM ends it with exit 0.
seed cache "192.0.2.30 h.example.com 300 inet egf v4 v6"
seed learned "192.0.2.31 i.example.com 120 inet egf v4 v6" \
	"2001:db8::31 i.example.com 240 inet egf v4 v6"
: >"$log"
FAKE_EGRESSFW_ENOBUFS=1 LD_PRELOAD=$fake "$ctl" nft-sync >"$tmp/sync.out" 2>&1 &
pid=$!
within 10 present v6 2001:db8::31
check "an event's IPv4 address is written" timeout_near v4 192.0.2.31 120
check "an event's IPv6 address is written" timeout_near v6 2001:db8::31 240
check "the dump's address is written" timeout_near v4 192.0.2.30 300
kill -TERM "$pid"
wait "$pid"
rc=$?
check "SIGTERM: exit 0 ($rc)" [ "$rc" -eq 0 ]
check "the group was joined before the dump" \
	[ "$(grep -E '^(joined learned|cmd 10 )' "$log" | head -n 2 | tr '\n' ';')" = "joined learned, 2 queued;cmd 10 len 20;" ]
check "events lost (ENOBUFS): the cache dumped again" [ "$(grep -c '^cmd 10 ' "$log")" -eq 2 ]
check "... and said" grep -q 'learned addresses lost (receive buffer full): reading them all again' "$tmp/sync.out"
if ! grep -q 'listening for learned addresses' "$tmp/sync.out"; then
	sed 's/^/#   /' "$tmp/sync.out"
fi
# --- listening: sets made later, or made anew ---------------------------
# A set missing at the start is said once and asked for again every 30 s
# (EFW_NFT_RECHECK_SEC): once it exists it is filled; a set deleted and
# made again (a new handle: the ruleset reloaded) is filled again.
seed cache "192.0.2.40 j.example.com 300 inet egf late"
seed learned
LD_PRELOAD=$fake "$ctl" nft-sync >"$tmp/late.out" 2>&1 &
pid=$!
missing='^egressctl nft-sync: set inet egf late: no such set'
said_missing() { grep -c "$missing" "$tmp/late.out"; }
within 10 grep -q "$missing" "$tmp/late.out"
check "listening, a set not there yet: said" [ "$(said_missing)" -eq 1 ]
nft add set inet egf late '{ type ipv4_addr; flags timeout; }'
# within one recheck, and a second if the first came just before the set
within 65 present late 192.0.2.40
check "the set, made later, is filled at a recheck" timeout_near late 192.0.2.40 300
check "... and was said missing only once" [ "$(said_missing)" -eq 1 ]
nft delete set inet egf late
nft add set inet egf late '{ type ipv4_addr; flags timeout; }'
within 65 present late 192.0.2.40
check "the set, deleted and made again, is filled again" timeout_near late 192.0.2.40 300
kill -TERM "$pid"
wait "$pid"
rc=$?
check "SIGTERM: exit 0 ($rc)" [ "$rc" -eq 0 ]
[ "$rc" -eq 0 ] || sed 's/^/#   /' "$tmp/late.out"
nft delete set inet egf late

expect "a module without the learned group: said, exit 3" 3 'has no "learned" group: it is older' \
	env FAKE_EGRESSFW_MAXATTR=12 LD_PRELOAD="$fake" "$ctl" nft-sync
ktap_finish
