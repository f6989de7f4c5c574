#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 420
# vm-cost: 45
#
# The demo (tests/vm/demo/sophos.sh) is also a test: lists/sophos.list
# on a gateway lets central.sophos.com through by SNI and ssh to
# x.apu.sophos.com by DNS-learned address, resets example.com and an
# unlisted ssh host, and credits the hits to the right lines of the list.
if [ "${EFW_SUITE:-full}" = core ]; then
	. "$(dirname "$0")/lib.sh"
	skip_all "variety: real names on the paths of 20-sni and 60-dns; the full suite (stock kernels) runs it"
fi
exec "$(dirname "$0")/../demo/sophos.sh"
