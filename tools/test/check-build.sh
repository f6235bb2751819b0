#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A preparation step of make check: build ntpool and the sample clients for
# one kernel series (building the debug kernel first if it is one), and put
# the modules in DIR, for the VM steps to use (NTPOOL_VM_MODULES=DIR).
#
#   check-build.sh SERIES DIR

. "$(dirname "$0")/lib.sh"

series=$1 out=$2
krel=$(kernel_release "$series")
build=$(build_for "$krel")
rm -rf "$out"
mkdir -p "$out"
find "$build" -name '*.ko' -exec cp {} "$out/" \;
ls "$out"/ntpool.ko > /dev/null || die "no ntpool.ko built for $krel"
log "modules for $krel in $out"
