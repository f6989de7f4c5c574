# SPDX-License-Identifier: GPL-2.0
#
# What egressctl's own help texts name, for the tests that keep the man
# page (tests/cli/man.sh) and the bash completion (tests/cli/completion.sh)
# in step with the tool. Each prints one word per line; CTL is egressctl.

# help_commands CTL: the commands listed by `egressctl --help`.
help_commands() {
	"$1" --help | sed -n '/^commands:/,/^$/ s/^  \([a-z][a-z-]*\).*/\1/p'
}

# help_options: the -x and --xyz words of the text on stdin, at a word's
# start (not the "-learned" of "DNS-learned"), sorted.
help_options() {
	grep -oE '(^|[][ |,(])--?[a-z][a-z-]*' | sed -E 's/^[][ |,(]//' | sort -u
}

# help_set_keys CTL: the KEYs of `egressctl help set`'s table (a KEY VALUE
# too long for its column stands alone on its line).
help_set_keys() {
	"$1" help set | sed -nE 's/^  ([a-z][a-z-]*) [^ ]+(   .*|$)/\1/p'
}
