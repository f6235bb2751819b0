#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Guest instructions per alloc+free pair: builds the insn-count QEMU plugin
# and boots the 6.12 VM under it (TCG) with the benchmark's "insns" batches
# (tools/test/vm/bench-insns.sh).  Prints vmtest.sh's results; the console
# log holds the counts, for insns-table.awk and insns-profile.py.
# NTPOOL_VM_MODULES, if set, names ready modules built with NTPOOL_BENCH=y.
#

. "$(dirname "$0")/../test/lib.sh"

plugin="$NTPOOL_OUT/insn-count.so"
gcc -O2 -shared -fPIC -Wall -o "$plugin" "$NTPOOL_DIR/tools/bench/insn-count.c" ||
	die "could not build the insn-count plugin"
NTPOOL_BENCH=y NTPOOL_ACCEL=tcg NTPOOL_VM_PLUGIN="$plugin,profile=on" \
	exec "$NTPOOL_DIR/tools/test/vmtest.sh" 6.12 bench-insns.sh
