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
#   The drgn helpers against debugfs, on memory dumps of the 6.1 and 6.12
#   VMs, live and after a panic, and inside the VM on its running kernel,
#   through /proc/kcore (drgn-test.sh dump, kcore).
#
# The steps run side by side, NTPOOL_CHECK_JOBS at a time (default: one per
# CPU), longest first; what they share is built first, once: the debug
# kernels, ntpool and the samples for each kernel, ntpoolmon.  Each step's
# output is printed when it ends, and a progress line at least every 30
# seconds; the logs are in .out/check/.  NTPOOL_CHECK_STEPS picks steps
# (below).  The last line sums them all: "N passed, N failed".

. "$(dirname "$0")/lib.sh"

need_pkgs $PKGS_BUILD $PKGS_KERNELS $PKGS_VM $PKGS_KUNIT $PKGS_LINT $PKGS_TOOLS \
	$PKGS_DKMS $PKGS_DEBUG $PKGS_TRACE $PKGS_DRGN

jobs_max=${NTPOOL_CHECK_JOBS:-$(nproc)}
[[ "$jobs_max" =~ ^[1-9][0-9]*$ ]] ||
	die "NTPOOL_CHECK_JOBS must be a number of jobs, not '$jobs_max'"
logs="$NTPOOL_OUT/check"
rm -rf "$logs"
mkdir -p "$logs"
t="$NTPOOL_DIR/tools/test"

# The steps, in the order they start: what others wait for first, then the
# longest.  "step NAME AFTER CMD...": NAME runs once every step in AFTER
# (comma-separated, or "-") has ended well.  A step whose name starts with
# "build-" is a preparation: it prints no result line, and counts as one
# failure only if it fails (its dependents then count one failure each).
# NTPOOL_CHECK_STEPS, an extended regex, keeps only the steps it matches
# (and every preparation), e.g. '^vm-' for the VM suites.
names=() afters=() cmds=()
step() {
	[[ "$1" == build-* ]] || [[ "$1" =~ ${NTPOOL_CHECK_STEPS:-.} ]] || return 0
	names+=("$1")
	afters+=("$2")
	shift 2
	cmds+=("$(printf '%q ' "$@")")
}

# Preparations.  The debug kernels take minutes on a cold cache; ntpool and
# the samples are built once per kernel and handed to every VM step.  KUnit
# builds its UML kernel itself (minutes on a cold cache too): it starts
# beside the first debug kernel.
step build-debug-6.12 - "$t/check-build.sh" debug-6.12 "$logs/modules-debug-6.12"
step kunit - "$t/kunit.sh"
for k in debug-6.1 6.12 6.1; do
	step "build-$k" - "$t/check-build.sh" "$k" "$logs/modules-$k"
done
# The benchmark's smoke test needs ntpool alone.
step build-bench - env NTPOOL_BENCH=y "$t/check-build.sh" 6.12 "$logs/modules-bench" modules
step build-ntpoolmon - make -s -C "$NTPOOL_DIR/tools/ntpoolmon"

# A VM step: "vm SERIES SUITE..." boots SERIES once and runs the suites
# (tools/test/vm/SUITE.sh) one after the other, with the modules its build
# step made.  A boot costs seconds (on a debug kernel, ten), so suites
# share one, except those that provoke oopses or need their own topology.
vm() {
	local series=$1
	shift
	local suites=("$@")
	step "vm-$series-$(IFS=+; echo "${suites[*]}")" "build-$series,build-ntpoolmon" \
		env "NTPOOL_VM_MODULES=$logs/modules-$series" \
		"$t/vmtest.sh" "$series" "$(IFS=,; echo "${suites[*]/%/.sh}")"
}

# The long ones first.  On the 6.12 debug kernel every VM suite but perf runs, and
# kmemleak's (first in its boot, so that kmemleak starts from a clean
# slate); on the 6.1 one the suites that lock differently on 6.1 or race
# (tags from interrupts, verified frees with interrupts off and in hard IRQ,
# lookaside lists, the SMP stress).  The fuzz, which corrupts pool memory
# on purpose, runs last in its boot.
vm debug-6.12 core lookaside pcp fuzz
vm debug-6.12 quota tags marks clients exec
vm debug-6.12 kmemleak verifier verdict trace stress
step lint - "$t/lint.sh"
vm debug-6.1 tags verifier verdict lookaside stress
# perf runs the host's perf and bpftrace, which the debug kernels (no 9p,
# BPF or BTF) cannot.
for series in 6.12 6.1; do
	vm "$series" core tags marks verifier verdict lookaside trace perf quota pcp clients stress exec fuzz
done
step dkms - "$t/dkms-test.sh"
# The drgn helpers on dumps of a VM that ntpool's panic policy stopped, and
# in the VM on /proc/kcore; on 6.12, ntpool.py places ntpool.ko's debug
# info itself (drgn 0.0.22 cannot).
for series in 6.1 6.12; do
	step "vm-$series-drgn" "build-$series,build-ntpoolmon" \
		env "NTPOOL_VM_MODULES=$logs/modules-$series" "$t/drgn-test.sh" "$series" dump
	step "vm-$series-drgn-kcore" "build-$series,build-ntpoolmon" \
		env "NTPOOL_VM_MODULES=$logs/modules-$series" "$t/drgn-test.sh" "$series" kcore
done
step vm-cmd build-6.12,build-6.1,build-ntpoolmon "$t/vm-cmd-test.sh"
for series in debug-6.12 6.12 6.1; do
	for s in secure numa special; do vm "$series" "$s"; done
done
step ntpoolmon build-ntpoolmon "$t/ntpoolmon-test.sh"
step tags - "$t/tags-check.py"
step vm-6.12-bench-smoke build-bench,build-ntpoolmon \
	env "NTPOOL_VM_MODULES=$logs/modules-bench" NTPOOL_BENCH=y \
	NTPOOL_VM_CMDLINE=ntpool_bench=smoke "$t/vmtest.sh" 6.12 bench.sh
# make bench's instruction counts: the plugin builds, loads and counts.
step vm-6.12-bench-insns build-bench \
	env "NTPOOL_VM_MODULES=$logs/modules-bench" "$t/../bench/insns.sh"

# The scheduler: start what is ready, up to jobs_max at a time; report each
# step as it ends.
declare -A state pid_of start_of took
for n in "${names[@]}"; do state[$n]=waiting; done
total_passed=0 total_failed=0
running=0 t0=$SECONDS last_news=$SECONDS

# Is every step NAME waits for done?  Prints "failed" if one failed.
deps_state() {
	local d
	[ "$1" != - ] || { echo ready; return; }
	for d in ${1//,/ }; do
		case "${state[$d]}" in
		done) ;;
		failed|skipped) echo failed; return ;;
		*) echo waiting; return ;;
		esac
	done
	echo ready
}

finish() {
	local n=$1 rc=$2 logf="$logs/$1.log" line p f
	took[$n]=$((SECONDS - start_of[$n]))
	running=$((running - 1))
	if [[ "$n" == build-* ]]; then
		if [ "$rc" -eq 0 ]; then
			state[$n]=done
			log "== $n: done (${took[$n]} s)"
			return
		fi
		state[$n]=failed
		cat "$logf"
		log "== $n failed (${took[$n]} s): counted as one failure"
		total_failed=$((total_failed + 1))
		return
	fi
	state[$n]=done
	cat "$logf"
	# No line at all (the step died) must not end the run: it is counted.
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$logf" | tail -n 1 || true)
	if [ -z "$line" ]; then
		log "$n produced no result line: counted as one failure"
		line="0 passed, 1 failed"
	fi
	p=${line%% passed*}
	f=${line#*passed, }
	f=${f%% failed*}
	total_passed=$((total_passed + p))
	total_failed=$((total_failed + f))
	[ "$f" -eq 0 ] || state[$n]=failed
	log "== $n: $line (${took[$n]} s)"
}

progress() {
	local n list=""
	for n in "${names[@]}"; do
		[ "${state[$n]}" != running ] ||
			list+=" $n ($((SECONDS - start_of[$n])) s)"
	done
	log "check: $((SECONDS - t0)) s, $total_passed passed, $total_failed failed; running:$list"
}

while :; do
	for i in "${!names[@]}"; do
		n=${names[$i]}
		[ "${state[$n]}" = waiting ] || continue
		case "$(deps_state "${afters[$i]}")" in
		failed)
			state[$n]=skipped
			log "== $n: not run, a step it needs failed: counted as one failure"
			total_failed=$((total_failed + 1))
			;;
		ready)
			[ "$running" -lt "$jobs_max" ] || continue
			log "== $n: starting"
			( eval "${cmds[$i]}" ) > "$logs/$n.log" 2>&1 < /dev/null &
			pid_of[$n]=$!
			start_of[$n]=$SECONDS
			state[$n]=running
			running=$((running + 1))
			;;
		esac
	done
	[ "$running" -gt 0 ] || break
	sleep 1
	for n in "${names[@]}"; do
		[ "${state[$n]}" = running ] || continue
		kill -0 "${pid_of[$n]}" 2>/dev/null && continue
		set +e
		wait "${pid_of[$n]}"
		rc=$?
		set -e
		finish "$n" "$rc"
		last_news=$SECONDS
	done
	if [ $((SECONDS - last_news)) -ge 30 ]; then
		progress
		last_news=$SECONDS
	fi
done

# Where the time went, longest first (also in .out/check/times).
for n in "${names[@]}"; do
	[ -z "${took[$n]:-}" ] || echo "${took[$n]} $n"
done | sort -rn > "$logs/times"
log "check took $((SECONDS - t0)) s with $jobs_max jobs at a time; the longest steps:"
head -n 8 "$logs/times" | sed 's/^/ntpool:   /' >&2

# What failed, last, where a reader of only the end of the output (CI
# keeps a tail) sees it: each failed step's "not ok" lines, or the end of
# its log when it has none (it died, or a preparation failed).
for n in "${names[@]}"; do
	case "${state[$n]}" in
	failed) ;;
	skipped) log "FAILED $n: not run, a step it needs failed"; continue ;;
	*) continue ;;
	esac
	log "FAILED $n (log: $logs/$n.log):"
	if grep -q '^not ok' "$logs/$n.log"; then
		grep '^not ok' "$logs/$n.log" | head -n 20
	else
		tail -n 15 "$logs/$n.log"
	fi | sed 's/^/ntpool:   /' >&2
done

echo "$total_passed passed, $total_failed failed"
[ "$total_failed" -eq 0 ]
