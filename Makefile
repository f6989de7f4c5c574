# SPDX-License-Identifier: GPL-2.0
#
# Userspace side of egressfw: egressctl, unit tests, fuzzers, benchmarks,
# and the convenience targets. The module itself is built by kbuild from
# ./Kbuild (see "module" below).

BUILD ?= build
CC ?= gcc
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_CHECK_SECONDS ?= 15

include kmod/shared.mk
SHARED_SRCS := $(addprefix kmod/,$(EFW_SHARED:.o=.c))
SHARED_HDRS := $(wildcard kmod/*.h) $(wildcard include/uapi/linux/*.h)

WARNINGS := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wno-unused-parameter -Wno-sign-compare
CPPFLAGS += -Ikmod -Iinclude -D_GNU_SOURCE
CFLAGS ?= -O2 -g
VERSION := $(shell git describe --tags --dirty 2>/dev/null || cat VERSION)
CFLAGS += -std=gnu11 $(WARNINGS)
CPPFLAGS += -DEGRESSFW_VERSION=\"$(VERSION)\"
SAN := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

TOOL_SRCS := $(filter-out %/main.c,$(wildcard tools/egressctl/*.c))
TOOL_HDRS := $(wildcard tools/egressctl/*.h)

.PHONY: all tool module check unit fuzz fuzz-check bench clean deps
all: tool

tool: $(BUILD)/egressctl
$(BUILD)/egressctl: tools/egressctl/main.c $(TOOL_SRCS) $(SHARED_SRCS) $(TOOL_HDRS) $(SHARED_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Itools/egressctl $(CFLAGS) -o $@ tools/egressctl/main.c $(TOOL_SRCS) $(SHARED_SRCS) $(LDFLAGS)

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
	$(CC) $(CPPFLAGS) -Itools/egressctl -Itests/unit -I$(KSFT_DIR) -O1 -g -std=gnu11 $(WARNINGS) -Wno-missing-prototypes $(SAN) \
		-o $@ $< $(UNIT_HELPERS) $(TOOL_SRCS) $(SHARED_SRCS) -lm

FUZZERS := $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))
$(BUILD)/fuzz/%: tests/fuzz/%.c $(TOOL_SRCS) $(SHARED_SRCS) $(TOOL_HDRS) $(SHARED_HDRS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CPPFLAGS) -Itools/egressctl -O1 -g -std=gnu11 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-o $@ $< $(TOOL_SRCS) $(SHARED_SRCS)

BENCHES := $(patsubst bench/%.c,$(BUILD)/bench/%,$(wildcard bench/*.c))
$(BUILD)/bench/%: bench/%.c $(SHARED_SRCS) $(SHARED_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -O2 -g -std=gnu11 $(WARNINGS) -Wno-missing-prototypes -o $@ $< $(SHARED_SRCS) -lm

deps:
	scripts/install-deps

# The whole suite: unit tests (KTAP), short fuzz runs, CLI checks; one
# summary line "N passed, N failed, N skipped" at the end.
check: deps
	$(MAKE) tool $(UNIT_TESTS) $(FUZZERS)
	tests/run-all --build $(BUILD) --fuzz-seconds $(FUZZ_CHECK_SECONDS)

unit: tool $(UNIT_TESTS)
	tests/run-all --build $(BUILD) --only unit

fuzz: $(FUZZERS)
	tests/run-fuzz --build $(BUILD) --seconds $(FUZZ_SECONDS)

bench: $(BENCHES)
	bench/run --build $(BUILD)

clean:
	rm -rf $(BUILD)
