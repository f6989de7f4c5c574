# SPDX-License-Identifier: GPL-2.0
#
# Included by the top-level Kbuild: compile each section of probes.c with
# the target kernel's flags (those kbuild itself compiles the module with)
# and turn every section that compiles into -DEFW_HAVE_<NAME> for
# compat.h. Runs when kbuild reads Kbuild, before any object is built.
EFW_PROBES := KVREALLOC KVREALLOC_OLDSIZE NLA_STRSCPY VMALLOC_HUGE SYSTEM_DFL_WQ \
	GENL_MCAST_CAP

efw_probe_cc = $(CC) $(NOSTDINC_FLAGS) $(LINUXINCLUDE) \
	-include $(srctree)/include/linux/compiler_types.h \
	$(KBUILD_CPPFLAGS) $(KBUILD_CFLAGS) $(KBUILD_CFLAGS_MODULE) \
	-fsyntax-only -Werror=implicit-function-declaration \
	-Werror=incompatible-pointer-types -Werror=int-conversion
efw_probe = $(shell $(efw_probe_cc) -DEFW_PROBE_$(1) $(src)/kmod/compat/probes.c \
	>/dev/null 2>&1 && echo -DEFW_HAVE_$(1))

# A probe command that cannot compile anything would make every feature
# look absent: stop with the compiler's own words instead.
ifeq ($(call efw_probe,SANITY),)
$(error egressfw: the feature probe does not compile against this kernel: \
	$(shell $(efw_probe_cc) -DEFW_PROBE_SANITY $(src)/kmod/compat/probes.c 2>&1 | head -n 5))
endif

EFW_COMPAT_FLAGS := $(foreach p,$(EFW_PROBES),$(call efw_probe,$(p)))
