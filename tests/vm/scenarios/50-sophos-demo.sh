#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 300
#
# The demo (tests/vm/demo/sophos.sh) is also a test: lists/sophos.list
# on a gateway lets central.sophos.com through, resets example.com, and
# credits the hit to the right line of the list.
exec "$(dirname "$0")/../demo/sophos.sh"
