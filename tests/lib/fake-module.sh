# SPDX-License-Identifier: GPL-2.0
#
# The stand-in module for CLI tests (tests/cli/fake-egressfw.c, preloaded
# into egressctl). Source it, then
#
#	fake_module_setup DIR || { ktap_skip ...; }
#	fk load my.list           # egressctl against the stand-in
#
# Sets fake (the .so), FAKE_EGRESSFW_DIR=DIR/fake (its state: what tests
# seed, and its log) and log; fails when the .so was not built.
fake_module_setup() {
	fake=${FAKE_EGRESSFW:-build/fake-egressfw.so}
	[ -f "$fake" ] || return 1
	export FAKE_EGRESSFW_DIR=$1/fake
	mkdir -p "$FAKE_EGRESSFW_DIR"
	log=$FAKE_EGRESSFW_DIR/log
	# An ASan build of egressctl wants its runtime first; the stand-in
	# is fine after it.
	export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0
}

fk() {
	LD_PRELOAD=$fake "$ctl" "$@"
}
