# SPDX-License-Identifier: GPL-2.0
#
# Userspace side of egressfw: egressctl, unit tests, fuzzers, benchmarks,
# and the convenience targets. The module itself is built by kbuild from
# ./Kbuild (see "module" below).

BUILD ?= build
CC ?= gcc
FUZZ_CC ?= clang
# make fuzz: each fuzzer for FUZZ_RUNS executions (0: for FUZZ_SECONDS).
FUZZ_RUNS ?= 10000000
FUZZ_SECONDS ?= 60
FUZZ_CHECK_SECONDS ?= 15

include kmod/shared.mk
SHARED_SRCS := $(addprefix kmod/,$(EFW_SHARED:.o=.c))
SHARED_HDRS := $(wildcard kmod/*.h) $(wildcard include/uapi/linux/*.h)

WARNINGS := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wno-unused-parameter -Wno-sign-compare
CPPFLAGS += -Ikmod -Iinclude -D_GNU_SOURCE
CFLAGS ?= -O2 -g
# One version for egressctl, the module and the DKMS package (see the script).
VERSION := $(shell scripts/version)
CFLAGS += -std=gnu11 $(WARNINGS)
CPPFLAGS += -DEGRESSFW_VERSION=\"$(VERSION)\"
SAN := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

# egressctl nft-sync (nftset.c, nft_memo.c, nft_write.c) writes nftables
# sets through libnftnl, in nft_write.c: only egressctl links these files
# and libnftnl, not the unit tests and fuzzers.
NFT_SRCS := $(addprefix tools/egressctl/,nftset.c nft_memo.c nft_write.c)
TOOL_SRCS := $(filter-out %/main.c $(NFT_SRCS),$(wildcard tools/egressctl/*.c))
TOOL_HDRS := $(wildcard tools/egressctl/*.h)
# egressctl talks to the module over libmnl; the unit tests and fuzzers
# link the same tool sources, so they get it too.
MNL_CFLAGS := $(shell pkg-config --cflags libmnl)
MNL_LIBS := $(shell pkg-config --libs libmnl)
NFTNL_CFLAGS := $(shell pkg-config --cflags libnftnl)
NFTNL_LIBS := $(shell pkg-config --libs libnftnl)

.PHONY: all tool module check demo unit fuzz fuzz-check bench bench-vm bench-peers clean deps vm-deps vm-check \
	install dkms-install deb
all: tool

tool: $(BUILD)/egressctl
$(BUILD)/egressctl: tools/egressctl/main.c $(TOOL_SRCS) $(NFT_SRCS) $(SHARED_SRCS) $(TOOL_HDRS) $(SHARED_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Itools/egressctl $(MNL_CFLAGS) $(NFTNL_CFLAGS) $(CFLAGS) -o $@ tools/egressctl/main.c $(TOOL_SRCS) $(NFT_SRCS) $(SHARED_SRCS) $(LDFLAGS) $(NFTNL_LIBS) $(MNL_LIBS)

# The kselftest harness is a build-time dependency taken from Debian's
# linux-source-6.1 package, never committed (see README).
KSFT_DIR := $(BUILD)/kselftest
LINUX_SOURCE_TARBALL ?= /usr/src/linux-source-6.1.tar.xz
$(KSFT_DIR)/kselftest_harness.h:
	scripts/extract-kselftest-harness $(LINUX_SOURCE_TARBALL) $(KSFT_DIR)

UNIT_TESTS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(wildcard tests/unit/test_*.c))
UNIT_HELPERS := $(filter-out tests/unit/test_%.c,$(wildcard tests/unit/*.c))
$(BUILD)/tests/%: tests/unit/%.c $(UNIT_HELPERS) $(TOOL_SRCS) $(SHARED_SRCS) $(TOOL_HDRS) $(SHARED_HDRS) $(wildcard tests/unit/*.h) $(KSFT_DIR)/kselftest_harness.h
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Itools/egressctl -Itests/unit -I$(KSFT_DIR) $(MNL_CFLAGS) -O1 -g -std=gnu11 $(WARNINGS) -Wno-missing-prototypes $(SAN) \
		-o $@ $< $(UNIT_HELPERS) $(TOOL_SRCS) $(SHARED_SRCS) -lm $(MNL_LIBS)

FUZZERS := $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))
$(BUILD)/fuzz/%: tests/fuzz/%.c $(TOOL_SRCS) $(SHARED_SRCS) $(TOOL_HDRS) $(SHARED_HDRS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CPPFLAGS) -Itools/egressctl $(MNL_CFLAGS) -O1 -g -std=gnu11 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-o $@ $< $(TOOL_SRCS) $(SHARED_SRCS) $(MNL_LIBS)

# The stand-in module of the CLI tests (tests/cli/fake-egressfw.c): an
# LD_PRELOAD library answering egressctl's requests from the same tables.
FAKE_MODULE := $(BUILD)/fake-egressfw.so
$(FAKE_MODULE): tests/cli/fake-egressfw.c kmod/counters.c kmod/settings.c $(SHARED_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(MNL_CFLAGS) -shared -fPIC -O1 -g -std=gnu11 $(WARNINGS) -Wno-missing-prototypes \
		-o $@ tests/cli/fake-egressfw.c kmod/counters.c kmod/settings.c $(MNL_LIBS)

BENCHES := $(patsubst bench/%.c,$(BUILD)/bench/%,$(wildcard bench/*.c))
$(BUILD)/bench/%: bench/%.c $(SHARED_SRCS) $(SHARED_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -O2 -g -std=gnu11 $(WARNINGS) -Wno-missing-prototypes -o $@ $< $(SHARED_SRCS) -lm

deps:
	scripts/install-deps

# What the VM tests need (QEMU, the 6.1 kernel, busybox, the peers). Not
# fatal: without it the vm suite reports a skip, not a pass.
vm-deps:
	-scripts/install-deps --vm

# The module, built by kbuild (scripts/build-module, out of the tree)
# against one kernel of tests/kernels/matrix: KERNEL=6.1 (Debian 12's, the
# default), 6.12, 6.12-rt, 5.10, 7.2 or debug; tests/kernels/prepare gets
# it. KDIR=/path/to/build/tree builds against any other kernel instead.
# The result is $(BUILD)/egressfw.ko; run-vm boots the kernel of its
# vermagic.
KERNEL ?= 6.1
KDIR ?=
module:
	@mkdir -p $(BUILD)
	kdir='$(KDIR)'; [ -n "$$kdir" ] || kdir=$$(tests/kernels/prepare -q $(KERNEL) | cut -d' ' -f3) && \
	scripts/build-module "$$kdir" $(BUILD)/module || { cat $(BUILD)/module/build.log; exit 1; }
	cp $(BUILD)/module/egressfw.ko $(BUILD)/egressfw.ko

# The module's scenarios in a QEMU VM (KTAP) on KERNEL (tests/kernels/vm
# builds the module for it). VM_FLAGS: run-vm options and scenarios.
VM_FLAGS ?=
vm-check: tool
	tests/kernels/vm --build $(BUILD) $(KERNEL) $(VM_FLAGS)

# The demo: lists/sophos.list on a gateway in a VM, allowed and denied
# connections, the counters (tests/vm/demo/sophos.sh). Fails if anything
# behaves differently.
demo: deps
	scripts/install-deps --vm
	$(MAKE) tool
	tests/kernels/vm --build $(BUILD) $(KERNEL) tests/vm/demo/sophos.sh

# The whole suite: unit tests (KTAP), short fuzz runs, CLI checks, and the
# kernel matrix (tests/kernels/matrix: compile on 5.10, 6.1, 6.12,
# 6.12-rt, 7.2 and the debug kernel; the VM scenarios on 6.1, 6.12 and the
# debug kernel; DKMS on 6.1 and 6.12); a table of the matrix, then one
# summary line "N passed, N failed, N skipped".
check: deps vm-deps
	$(MAKE) tool $(FAKE_MODULE) $(UNIT_TESTS) $(FUZZERS)
	tests/run-all --build $(BUILD) --fuzz-seconds $(FUZZ_CHECK_SECONDS)

unit: tool $(UNIT_TESTS)
	tests/run-all --build $(BUILD) --only unit

fuzz: $(FUZZERS)
	tests/run-fuzz --build $(BUILD) --seconds $(FUZZ_SECONDS) --runs $(FUZZ_RUNS)

bench: $(BENCHES)
	bench/run --build $(BUILD)

# In the test VM: gateway throughput and TLS handshake rate with and
# without rules (bench/vm-gateway.sh), DNS queries/s with and without
# learning (bench/vm-dns.sh); ratios from one run.
bench-vm: deps
	scripts/install-deps --vm
	$(MAKE) tool
	tests/kernels/vm --build $(BUILD) $(KERNEL) bench/vm-gateway.sh bench/vm-dns.sh bench/vm-hello.sh

# In the test VM: egressfw beside Suricata (NFQUEUE), Squid (peek and
# splice) and a dnsmasq-filled nft set, one path per arm in one boot:
# correctness per real client and added latency per new connection, one
# table (bench/vm-peers.sh). Installs the peers itself, as demo does.
bench-peers: deps
	scripts/install-deps --vm --peers
	$(MAKE) tool
	tests/kernels/vm --build $(BUILD) $(KERNEL) bench/vm-peers.sh

# Installation on a gateway (README "Deploy on a gateway"). DESTDIR
# stages it (packagers, tests/cli/install.sh); PREFIX moves everything but
# /etc and the DKMS sources, which dkms looks for in /usr/src only.
PREFIX ?= /usr
SBINDIR ?= $(PREFIX)/sbin
DATADIR ?= $(PREFIX)/share
MANDIR ?= $(DATADIR)/man
LISTDIR ?= $(DATADIR)/egressfw/lists
BASHCOMPDIR ?= $(DATADIR)/bash-completion/completions
UNITDIR ?= $(PREFIX)/lib/systemd/system
MODULESLOADDIR ?= $(PREFIX)/lib/modules-load.d
SYSCONFDIR ?= /etc
LOCALSTATEDIR ?= /var
DKMSDIR ?= /usr/src/egressfw-$(VERSION)

# The unit names the paths chosen above, so it is made here, not copied.
install: $(BUILD)/egressctl
	install -D -m 0755 $(BUILD)/egressctl $(DESTDIR)$(SBINDIR)/egressctl
	install -D -m 0644 doc/egressctl.8 $(DESTDIR)$(MANDIR)/man8/egressctl.8
	install -D -m 0644 doc/egressfw.list.5 $(DESTDIR)$(MANDIR)/man5/egressfw.list.5
	install -D -m 0644 doc/egressfw.conf.5 $(DESTDIR)$(MANDIR)/man5/egressfw.conf.5
	install -D -m 0644 packaging/egressctl.bash-completion $(DESTDIR)$(BASHCOMPDIR)/egressctl
	install -d $(DESTDIR)$(LISTDIR)
	install -m 0644 lists/*.list $(DESTDIR)$(LISTDIR)/
	install -D -m 0644 packaging/modules-load.conf $(DESTDIR)$(MODULESLOADDIR)/egressfw.conf
	install -d $(DESTDIR)$(UNITDIR)
	sed -e 's|@SBINDIR@|$(SBINDIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' \
		packaging/egressfw.service.in >$(DESTDIR)$(UNITDIR)/egressfw.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/egressfw.service
	sed -e 's|@SBINDIR@|$(SBINDIR)|g' \
		packaging/egressfw-nft-sync.service.in >$(DESTDIR)$(UNITDIR)/egressfw-nft-sync.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/egressfw-nft-sync.service
	install -d -m 0755 $(DESTDIR)$(SYSCONFDIR)/egressfw
	test -e $(DESTDIR)$(SYSCONFDIR)/egressfw/egressfw.conf || \
		install -m 0644 packaging/egressfw.conf $(DESTDIR)$(SYSCONFDIR)/egressfw/egressfw.conf
	install -d -m 0755 $(DESTDIR)$(LOCALSTATEDIR)/lib/egressfw
	install -m 0644 packaging/connlabel.conf $(DESTDIR)$(DATADIR)/egressfw/connlabel.conf
	install -m 0755 packaging/egressfw-connlabel $(DESTDIR)$(DATADIR)/egressfw/egressfw-connlabel
	@# nft's label names: the host's file is edited, and only on the host
	@# (a package does it in its postinst).
	test -n "$(DESTDIR)" || packaging/egressfw-connlabel add $(SYSCONFDIR)/connlabel.conf

# The module's sources where dkms looks for them, with a dkms.conf and a
# VERSION file that carry this tree's version: the DKMS build has no .git.
# Then: dkms install egressfw/VERSION.
dkms-install:
	install -d $(DESTDIR)$(DKMSDIR)/kmod/compat $(DESTDIR)$(DKMSDIR)/include/uapi/linux \
		$(DESTDIR)$(DKMSDIR)/scripts
	install -m 0644 Kbuild $(DESTDIR)$(DKMSDIR)/Kbuild
	install -m 0644 kmod/*.c kmod/*.h kmod/*.mk $(DESTDIR)$(DKMSDIR)/kmod/
	install -m 0644 kmod/compat/*.c kmod/compat/*.mk $(DESTDIR)$(DKMSDIR)/kmod/compat/
	install -m 0644 include/uapi/linux/*.h $(DESTDIR)$(DKMSDIR)/include/uapi/linux/
	install -m 0755 scripts/version $(DESTDIR)$(DKMSDIR)/scripts/version
	echo '$(VERSION)' >$(DESTDIR)$(DKMSDIR)/VERSION
	sed 's/@VERSION@/$(VERSION)/' dkms.conf >$(DESTDIR)$(DKMSDIR)/dkms.conf
	@echo "egressfw $(VERSION) sources in $(DESTDIR)$(DKMSDIR); next: dkms install egressfw/$(VERSION)"

# The Debian packages egressfw-dkms and egressctl (packaging/debian/) in
# $(BUILD)/deb, checked by lintian (scripts/build-deb says how).
deb:
	scripts/install-deps --deb
	scripts/build-deb $(BUILD)/deb

clean:
	rm -rf $(BUILD)
