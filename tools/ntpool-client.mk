# SPDX-License-Identifier: GPL-2.0
#
# Build a client module against ntpool: add this one line to its Kbuild
# (or Makefile) file:
#
#   include /path/to/ntpool/tools/ntpool-client.mk
#
# (for ntpool installed with DKMS: /usr/src/ntpool-<version>/tools/...).
# It puts <ntpool/ntpool.h> on the include path, lets NT-style
# multi-character tags ('1BrW') compile without warnings, and hands ntpool's
# Module.symvers to modpost (KBUILD_EXTRA_SYMBOLS) so the client links
# against ntpool's exports, with their CRCs.  The Module.symvers must be of
# ntpool built for the same kernel release as the client; it is, in order:
# NTPOOL_SYMVERS if set; the one of ntpool built in its own sources for
# that release (build/<release>/, "make KDIR=..."); the one DKMS keeps for
# that release.  With none, the client's build stops and says how to get
# one.

# The real ntpool tree, also when this file is reached through a link (as
# from build/<release>/ or a copy of the samples).
ntpool_dir := $(abspath $(dir $(realpath $(lastword $(MAKEFILE_LIST))))/..)
ntpool_version := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"$$/\1/p' \
			    $(ntpool_dir)/dkms.conf)
ccflags-y += -I$(ntpool_dir)/include -Wno-multichar

# The kernel release the client is built for, as its vermagic will say
# (UTS_RELEASE: Debian's 6.1 headers have another KERNELRELEASE): of the
# kernel tree kbuild runs in (6.1 exports abs_objtree; 6.12 runs kbuild in
# it), or of KDIR in a Makefile that includes this file outside kbuild.
ntpool_kdir := $(if $(KERNELRELEASE),$(or $(abs_objtree),$(CURDIR)),$(KDIR))
ntpool_krel := $(or $(if $(ntpool_kdir),$(shell sed -n \
	's/^\#define UTS_RELEASE "\(.*\)"$$/\1/p' \
	$(ntpool_kdir)/include/generated/utsrelease.h 2>/dev/null)),$(KERNELRELEASE))
ifneq ($(ntpool_krel),)
NTPOOL_SYMVERS ?= $(firstword $(wildcard \
	$(ntpool_dir)/build/$(ntpool_krel)/Module.symvers \
	/var/lib/dkms/ntpool/$(ntpool_version)/$(ntpool_krel)/*/Module.symvers))
ifeq ($(NTPOOL_SYMVERS),)
$(error ntpool: not built for kernel $(ntpool_krel) (no $(ntpool_dir)/build/$(ntpool_krel)/Module.symvers): build it first with "make -C $(ntpool_dir) KDIR=$(ntpool_kdir)", or install it with DKMS for that kernel ("make -C $(ntpool_dir) dkms-install KVER=$(ntpool_krel)"), or set NTPOOL_SYMVERS)
endif
KBUILD_EXTRA_SYMBOLS += $(NTPOOL_SYMVERS)
endif
