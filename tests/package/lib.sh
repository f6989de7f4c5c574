# SPDX-License-Identifier: GPL-2.0
#
# Shared by the package tests that run on the host (dkms.sh, deb.sh): as
# root, they change the host's DKMS tree, /usr/src and /lib/modules, then
# boot a VM with the module they installed. Sourced after tests/lib/ktap.sh,
# from the repository root. Command output goes to $log (a temporary file
# the caller makes and removes) and is shown only on a failure.
# shellcheck shell=bash disable=SC2154

# need_host NAME CMD...: skip the test NAME (exit 4) unless this host can
# run it: root, dkms and each CMD, and the headers of $kver, which defaults
# to Debian 12's kernel (tests/kernels/prepare 6.1).
need_host() {
	local name=$1 cmd why=
	shift
	[ "$(id -u)" -eq 0 ] || why="needs root (it installs into /usr/src and /lib/modules)"
	for cmd in dkms "$@"; do
		[ -n "$why" ] || command -v "$cmd" >/dev/null ||
			why="no $cmd (scripts/install-deps --vm, on Debian 12)"
	done
	if [ -z "$why" ]; then
		[ -n "$kver" ] || kver=$(tests/kernels/prepare -q 6.1 2>/dev/null | cut -d' ' -f2)
		[ -n "$kver" ] && [ -e "/lib/modules/$kver/build/Makefile" ] && return 0
		why="no kernel headers for '${kver:-6.1}' (apt-get install linux-headers-amd64)"
	fi
	ktap_skip "$name" "$why"
	ktap_finish
	exit 4
}

# package_lock: one package test at a time on a host (the DKMS tree is the
# host's); held on fd 8 until the test exits. Then notes whether dkms's
# signing key is there: dkms makes it on first use, and a test that made it
# removes it (forget_new_mok, in its cleanup); one that found it leaves it.
dkms_mok=/var/lib/dkms/mok.key
dkms_had_mok=1
package_lock() {
	local dir=/run/lock
	[ -d "$dir" ] || dir=/tmp
	exec 8>"$dir/egressfw-dkms-test.lock"
	flock 8
	[ -e "$dkms_mok" ] || dkms_had_mok=
}

forget_new_mok() {
	[ -n "$dkms_had_mok" ] || rm -f "$dkms_mok" "${dkms_mok%.key}.pub"
}

# step DESC CMD...: one test case; the command's output only on failure.
step() {
	local desc=$1
	shift
	if "$@" >"$log" 2>&1; then
		ktap_ok "$desc"
	else
		echo "# $*: exit $?"
		tail -n 40 "$log" | sed 's/^/#   /'
		ktap_not_ok "$desc"
		return 1
	fi
}

# vm_boot DESC BUILD KO SCENARIO...: one VM boot (tests/vm/run-vm, its files
# in BUILD/kernels/package-KVER) that loads KO, the kernel of its vermagic,
# and runs the scenarios. Its KTAP is nested in ours and its cases count as
# ours; a run that failed without a failing case (a dead VM) is one more
# failure, and DESC is the case that says so.
vm_boot() {
	local desc=$1 build=$2 ko=$3 vm_log start rc totals f=0
	shift 3
	if [ -z "$ko" ]; then
		ktap_not_ok "$desc # not built"
		return
	fi
	vm_log=$(mktemp)
	start=$(date +%s)
	tests/vm/run-vm --build "$build" \
		--work "$build/kernels/package-$(modinfo -F vermagic "$ko" | cut -d' ' -f1)" \
		--module "$ko" "$@" >"$vm_log" 2>&1
	rc=$?
	sed 's/^/    /' "$vm_log"
	echo "# the VM run took $(( $(date +%s) - start ))s"
	totals=$(grep -E '^# Totals: pass:[0-9]+ fail:[0-9]+' "$vm_log" | tail -n 1)
	rm -f "$vm_log"
	if [ -n "$totals" ]; then
		f=$(sed -E 's/.* fail:([0-9]+).*/\1/' <<<"$totals")
		ktap_pass=$((ktap_pass + $(sed -E 's/.* pass:([0-9]+).*/\1/' <<<"$totals")))
		ktap_fail=$((ktap_fail + f))
		ktap_skip=$((ktap_skip + $(sed -E 's/.* skip:([0-9]+).*/\1/' <<<"$totals")))
	fi
	ktap_n=$((ktap_n + 1))
	case "$rc" in
	0) echo "ok $ktap_n $desc" ;;
	4) [ -n "$totals" ] || ktap_skip=$((ktap_skip + 1))
	   echo "ok $ktap_n $desc # SKIP" ;;
	*) [ "$f" -eq 0 ] && ktap_fail=$((ktap_fail + 1))
	   echo "not ok $ktap_n $desc # exit $rc" ;;
	esac
}
