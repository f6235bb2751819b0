#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: install what is needed (Debian 12) and run every test:
#   the KUnit suites under UML (kunit.sh), style and warnings (lint.sh),
#   ntpoolmon's host tests (ntpoolmon-test.sh), DKMS install and a client
#   built against it (dkms-test.sh), the VM tests on Debian's
#   6.12 and 6.1 kernels and on debug kernels built once from Debian's 6.12
#   and 6.1 sources with KASAN, lockdep, DEBUG_ATOMIC_SLEEP, DEBUG_LIST,
#   DEBUG_OBJECTS, KFENCE and kmemleak (vmtest.sh debug-6.12, debug-6.1;
#   tools/test/kernel/debug.config).  Any kernel splat fails a suite.
# The last line sums them all: "N passed, N failed".

. "$(dirname "$0")/lib.sh"

need_pkgs $PKGS_BUILD $PKGS_KERNELS $PKGS_VM $PKGS_KUNIT $PKGS_LINT $PKGS_TOOLS \
	$PKGS_DKMS $PKGS_DEBUG

total_passed=0 total_failed=0
run() {
	local name=$1 logf="$NTPOOL_OUT/check-$1.log" line p f
	shift
	log "== $name"
	set +e
	"$@" 2>&1 | tee "$logf"
	set -e
	# No line at all (the step died) must not end the run: it is counted.
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$logf" | tail -n 1 || true)
	if [ -z "$line" ]; then
		log "$name produced no result line: counted as one failure"
		line="0 passed, 1 failed"
	fi
	p=${line%% passed*}
	f=${line#*passed, }
	f=${f%% failed*}
	total_passed=$((total_passed + p))
	total_failed=$((total_failed + f))
	log "== $name: $line"
}

t="$NTPOOL_DIR/tools/test"
run kunit "$t/kunit.sh"
run lint "$t/lint.sh"
run ntpoolmon "$t/ntpoolmon-test.sh"
run tags "$t/tags-check.py"
run dkms "$t/dkms-test.sh"
run vm-6.12-bench-smoke env NTPOOL_BENCH=y NTPOOL_VM_CMDLINE=ntpool_bench=smoke \
	"$t/vmtest.sh" 6.12 bench.sh
# Every VM suite on Debian's stock kernels and on the 6.12 debug kernel
# (built once, cached; vmtest.sh debug-SERIES); on the 6.1 debug kernel the
# suites whose locking differs on 6.1 (rhashtable's bucket locks disable
# softirqs there): tags from interrupts, verified frees with interrupts off
# and in hard IRQ, the SMP stress.
vm_suites="core tags verifier special lookaside trace quota numa secure pcp clients stress fuzz"
for series in 6.12 6.1 debug-6.12; do
	for steps in $vm_suites; do
		run "vm-$series-$steps" "$t/vmtest.sh" "$series" "$steps.sh"
	done
done
run vm-debug-6.12-kmemleak "$t/vmtest.sh" debug-6.12 kmemleak.sh
for steps in tags verifier lookaside stress; do
	run "vm-debug-6.1-$steps" "$t/vmtest.sh" debug-6.1 "$steps.sh"
done

echo "$total_passed passed, $total_failed failed"
[ "$total_failed" -eq 0 ]
