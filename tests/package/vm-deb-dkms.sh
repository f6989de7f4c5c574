#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# In the VM booted by tests/package/deb.sh: vm-dkms.sh with the egressctl
# the egressctl package installed on the host (whose root is the VM's).
export EFW_PACKAGE=deb EGRESSCTL=/usr/sbin/egressctl
exec "$EFW_REPO/tests/package/vm-dkms.sh"
