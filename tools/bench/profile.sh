#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench-profile: where the time of the mixed random case goes, in UML.
#
# A UML kernel is a process of the host, so the host's perf can sample it
# like any program, ntpool and the slab allocator alike, with their
# symbols.  The benchmark's UML kernel (the one make bench builds) is
# built and checked with one round of the case alone, then run again
# under "perf record -e cpu-clock" with NTPOOL_PROFILE_ROUNDS rounds
# (default 16) of it: a batch of kmalloc() and one of ntpool in each.
#
# Prints the rounds and their medians, the functions that took the time
# and, in ntpool's free and allocation paths and in kfree(), the
# instructions that most samples fell on, each under the one before it in
# the listing: the timer's interrupt is taken once the instruction it
# waited behind retires, so the samples of a load that waits for memory
# name the instruction after it.  The data stays in
# .out/bench-profile.data for "perf report -i" and "perf annotate -i".
# Needs root, or kernel.perf_event_paranoid at 2 or less (Debian's
# default is 3).

. "$(dirname "$0")/../test/lib.sh"

need_pkgs $PKGS_BUILD $PKGS_KUNIT linux-perf

# A round takes a second or two: KUnit gives the suite 300 s.
rounds=${NTPOOL_PROFILE_ROUNDS:-16}
if ! [[ "$rounds" =~ ^[0-9]{1,3}$ ]] || ((10#$rounds < 1 || 10#$rounds > 200)); then
	echo "NTPOOL_PROFILE_ROUNDS: a number of rounds from 1 to 200, not '$rounds'" >&2
	exit 2
fi
rounds=$((10#$rounds))
paranoid=$(cat /proc/sys/kernel/perf_event_paranoid 2>/dev/null || echo 0)
if [ "$(id -u)" -ne 0 ] && [ "$paranoid" -gt 2 ]; then
	echo "perf cannot sample here: run as root, or sudo sysctl kernel.perf_event_paranoid=2" >&2
	exit 2
fi

ver=$(linux_source_version)
build=$NTPOOL_CACHE/uml-bench-$ver
data=$NTPOOL_OUT/bench-profile.data
log=$NTPOOL_OUT/bench-profile.log

# Did the run logged in $1 get to the medians?  If not, its log's end and
# $2 are shown, and the script stops.  (kunit.py prints no summary when it
# shows the kernel's log, as the benchmark has it do: the medians' line is
# what says the case ran.)
ran_or_die() {
	grep -aq "ntpool-bench: mixed .*profile rounds" "$1" && return
	tail -20 "$1"
	echo "$2: $1" >&2
	exit 1
}

# The benchmark's kernel, built if need be, and one round run by kunit.py:
# the kernel is known to boot and the case to run before it is profiled.
first=$NTPOOL_OUT/bench-profile-build.log
NTPOOL_KUNITCONFIG="$NTPOOL_DIR/tools/bench/.kunitconfig" \
NTPOOL_KUNIT_BUILD="$build" NTPOOL_KUNIT_ARG="ntpool.bench_profile=1" \
	"$NTPOOL_DIR/tools/test/kunit.sh" > "$first" 2>&1 || true
ran_or_die "$first" "the UML benchmark kernel did not build or run"

# The command line kunit.py gives a UML kernel, and the rounds.  The
# kernel halts once the suite has run.  The build directory is shared by
# every clone (kunit.sh): its lock is held while the kernel runs.  UML's
# console is given a pipe, as kunit.py gives it, not the terminal (which
# it would set raw).
exec 9>"$NTPOOL_CACHE/kunit.lock"
flock 9
exec 8< <(exec sleep 100000)
feeder=$!
rc=0
timeout 900 perf record -q -e cpu-clock -F 4000 -o "$data" -- \
	"$build/linux" mem=1G console=tty kunit_shutdown=halt kunit.enable=1 \
	"ntpool.bench_profile=$rounds" <&8 > "$log" 2>&1 || rc=$?
kill "$feeder" 2>/dev/null || true
exec 8<&-
flock -u 9
ran_or_die "$log" "the profiled run did not finish (exit $rc)"

echo "== the rounds (ns per operation, an allocation or a free)"
grep -a "ntpool-bench: " "$log" | grep -av "csv: " | sed 's/^.*ntpool-bench: //'

echo "== where the samples fell, function by function (1% and more)"
perf report -i "$data" --no-children --sort sym --stdio --percent-limit 1 2>/dev/null |
	grep -v -e '^#' -e '^$' || true

# Samples per instruction of one function: each line with at least 5% of
# the function's samples, under the instruction before it.
hot_lines() {
	perf annotate -i "$data" --stdio -s "$1" 2>/dev/null |
	awk -v fn="$1" '
		/^ *[0-9]+\.[0-9]+ :/ {
			line = $0
			sub(/^ *[0-9]+\.[0-9]+ : */, "", line)
			if ($1 + 0 >= 5) {
				if (!shown++)
					printf "-- %s\n", fn
				if (prev != "")
					printf "          %s\n", prev
				printf "  %6.2f%%  %s\n", $1, line
			}
			prev = line
		}'
}

echo "== the instructions most samples fell on (% of the function's)"
for fn in ntpool_free ntpool_allocate ntpool_small_alloc kfree __slab_free; do
	hot_lines "$fn"
done
echo "perf data: $data"
