#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# In the VM booted by tests/package/deb.sh: vm-unit.sh on the unit,
# /etc/egressfw and egressctl the egressctl package installed on the host
# (whose root is the VM's), not on `make install`'s.
export EFW_PACKAGE=deb EGRESSCTL=/usr/sbin/egressctl
exec "$EFW_REPO/tests/package/vm-unit.sh"
