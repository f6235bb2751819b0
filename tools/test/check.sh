#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: install what is needed (Debian 12) and run every test:
#   the KUnit suites under UML (kunit.sh), style and warnings (lint.sh),
#   ntpoolmon's host tests (ntpoolmon-test.sh), DKMS install and a client
#   built against it (dkms-test.sh), the VM tests on Debian's
#   6.12 and 6.1 kernels and on a kernel built with kmemleak (vmtest.sh).
# The last line sums them all: "N passed, N failed".

. "$(dirname "$0")/lib.sh"

need_pkgs $PKGS_BUILD $PKGS_KERNELS $PKGS_VM $PKGS_KUNIT $PKGS_LINT $PKGS_TOOLS \
	$PKGS_DKMS

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
run dkms "$t/dkms-test.sh"
run vm-6.12-bench-smoke env NTPOOL_BENCH=y NTPOOL_VM_CMDLINE=ntpool_bench=smoke \
	"$t/vmtest.sh" 6.12 bench.sh
# kmemleak needs a kernel built with it: a small one, from linux-source.
run vm-kmemleak "$t/vmtest.sh" kmemleak kmemleak.sh
for series in 6.12 6.1; do
	for steps in core tags verifier special lookaside trace quota numa secure clients; do
		run "vm-$series-$steps" "$t/vmtest.sh" "$series" "$steps.sh"
	done
done

echo "$total_passed passed, $total_failed failed"
[ "$total_failed" -eq 0 ]
