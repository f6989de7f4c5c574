#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 900
#
# bench/vm-peers.sh with fewer rounds (60 connections, 3 downloads per arm
# and size), for a look in a few minutes under TCG: run-vm passes no
# environment into the VM, so the settings are made here.
#   tests/kernels/vm --build build 6.1 bench/peers/vm-quick.sh
export EFW_PEERS_COUNT=${EFW_PEERS_COUNT:-60}
export EFW_PEERS_BULK_COUNT=${EFW_PEERS_BULK_COUNT:-3}
exec "$(dirname "$0")/../vm-peers.sh"
