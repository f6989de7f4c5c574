#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# packaging/egressctl.bash-completion offers what egressctl takes: the
# commands of `egressctl --help`, the options of `egressctl help COMMAND`,
# the keys of `egressctl help set`, and for load and check only *.list
# files and directories. Compared with the help texts, so the two cannot
# drift apart.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/ktap.sh
. tests/lib/help.sh
ctl=${EGRESSCTL:-build/egressctl}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

. packaging/egressctl.bash-completion

# complete WORD...: what a TAB offers after the words (the last one is
# the word being completed), sorted, one line.
complete_words() {
	COMP_WORDS=(egressctl "$@")
	COMP_CWORD=$#
	_egressctl
	printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ' | sed 's/ $//'
}

# sorted WORD...
sorted() {
	printf '%s\n' "$@" | sort | tr '\n' ' ' | sed 's/ $//'
}

commands=$(help_commands "$ctl")
expect_same "egressctl TAB: the commands of --help, --help, --version" \
	"$(sorted $commands --help --version)" "$(complete_words "")"
expect_same "egressctl help TAB: the commands" \
	"$(sorted $(grep -vx help <<<"$commands"))" "$(complete_words help "")"
expect_same "egressctl st TAB" "stats" "$(complete_words st)"

# options: as man.sh finds them in each command's help, plus --help
for c in show stats config report nft-sync; do
	opts=$("$ctl" help "$c" | help_options)
	expect_same "egressctl $c TAB: its options" "$(sorted $opts --help)" "$(complete_words "$c" "")"
done

keys=$(help_set_keys "$ctl")
expect_same "egressctl set TAB: the keys of help set" "$(sorted $keys)" "$(complete_words set "")"
expect_same "egressctl set mode TAB" "audit enforce" "$(complete_words set mode "")"
expect_same "egressctl set mode audit TAB: a key again" "$(sorted $keys)" \
	"$(complete_words set mode audit "")"
expect_same "egressctl set hello-max TAB: a number, nothing offered" "" \
	"$(complete_words set hello-max "")"

mkdir -p "$tmp/etc/sub"
touch "$tmp/etc/a.list" "$tmp/etc/b.list" "$tmp/etc/notes.txt"
expect_same "egressctl load DIR/TAB: *.list files and directories only" \
	"$tmp/etc/a.list $tmp/etc/b.list $tmp/etc/sub" "$(complete_words load "$tmp/etc/")"
expect_same "egressctl check FILE DIR/TAB: the same" \
	"$tmp/etc/a.list $tmp/etc/b.list $tmp/etc/sub" "$(complete_words check x.list "$tmp/etc/")"
ktap_finish
