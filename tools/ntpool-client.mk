# SPDX-License-Identifier: GPL-2.0
#
# Build a client module against ntpool: add this one line to its Kbuild
# (or Makefile) file:
#
#   include /path/to/ntpool/tools/ntpool-client.mk
#
# It puts <ntpool/ntpool.h> on the include path, lets NT-style
# multi-character tags ('WrB1') compile without warnings, and hands ntpool's
# Module.symvers to modpost so the client links against ntpool's exports.

ntpool_dir := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))/..)
ccflags-y += -I$(ntpool_dir)/include -Wno-multichar
KBUILD_EXTRA_SYMBOLS += $(ntpool_dir)/Module.symvers
