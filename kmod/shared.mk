# SPDX-License-Identifier: GPL-2.0
#
# The kernel-agnostic objects: compiled into egressfw.ko by Kbuild and into
# egressctl, the unit tests, the fuzzers and the benchmarks by Makefile.
# They include only portable.h and their own headers.
EFW_SHARED := pattern.o
EFW_SHARED += match.o
EFW_SHARED += match_name_build.o
EFW_SHARED += match_name_globs.o
EFW_SHARED += match_name.o
EFW_SHARED += match_addr.o
EFW_SHARED += tls_hello.o
EFW_SHARED += dns_answer.o
EFW_SHARED += counters.o
EFW_SHARED += settings.o
