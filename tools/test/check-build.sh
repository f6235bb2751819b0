#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A preparation step of make check: build ntpool and the sample clients for
# one kernel series (building the debug kernel first if it is one), and put
# the modules in DIR, for the VM steps to use (NTPOOL_VM_MODULES=DIR).
# TARGET is the Makefile's (default all; modules: ntpool alone).
#
#   check-build.sh SERIES DIR [TARGET]

. "$(dirname "$0")/lib.sh"

series=$1 out=$2 target=${3:-all}
krel=$(kernel_release "$series")
build=$(build_for "$krel" "$target")
rm -rf "$out"
mkdir -p "$out"
find "$build" -name '*.ko' -exec cp {} "$out/" \;
ls "$out"/ntpool.ko > /dev/null || die "no ntpool.ko built for $krel"
log "modules for $krel in $out"
