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
# against ntpool's exports, with their CRCs.  The Module.symvers used is,
# in order: NTPOOL_SYMVERS if set; the one of ntpool built in its own
# sources ("make"); the one DKMS keeps for the kernel being built against.

ntpool_dir := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))/..)
ntpool_version := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"$$/\1/p' \
			    $(ntpool_dir)/dkms.conf)
ccflags-y += -I$(ntpool_dir)/include -Wno-multichar

NTPOOL_SYMVERS ?= $(firstword $(wildcard $(ntpool_dir)/Module.symvers \
	/var/lib/dkms/ntpool/$(ntpool_version)/$(KERNELRELEASE)/*/Module.symvers))
ifeq ($(NTPOOL_SYMVERS),)
$(error ntpool: no Module.symvers for $(KERNELRELEASE): build ntpool ("make"), install it with DKMS ("make dkms-install") or set NTPOOL_SYMVERS)
endif
KBUILD_EXTRA_SYMBOLS += $(NTPOOL_SYMVERS)
