#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs inside the test VM: the SMP stress.  ntstress allocates and frees on
# every CPU, from a hard-IRQ and a softirq timer, hands blocks to other
# CPUs and frees blocks on two CPUs at once, while every debugfs view is
# read in a loop and sample clients are loaded and unloaded.  Then the
# invariants: no block corrupted or handed out twice, every racing second
# free reported exactly once, every tag row back to 0, a clean unload.
# The run is bounded by ntstress's counts; its verdict does not depend on
# timing.  vmtest.sh runs it with NTPOOL_VM_SMP CPUs (default 2); ntstress
# parameters on the kernel command line (NTPOOL_VM_CMDLINE="ntstress.ops=N")
# are passed to it.  On a busy two-core host under TCG it runs about two
# minutes, most of it printing the racing frees' reports to the console.
# ntpool-vm: timeout=600
. /lib.sh

S=/sys/module/ntstress/parameters

check "insmod ntpool on_violation=report verify_drivers=ntsample" \
	insmod /modules/ntpool.ko on_violation=report verify_drivers=ntsample
check "pooltag accepts tools/pooltag.txt" sh -c "cat /pooltag.txt > $D/pooltag"

# Both loops run until /tmp/stop exists, and at least three passes; each
# writes "passes failures" to its file.
read_views() {
	n=0 bad=0
	while [ ! -e /tmp/stop ] || [ $n -lt 3 ]; do
		for f in tags poolused bigpool lookaside verifier; do
			cat $D/$f > /dev/null || bad=$((bad + 1))
		done
		# Blocks ntstress allocated lately, live or freed since:
		# the block's start and an address inside it.
		for a in $(cat $S/live_small $S/live_big 2>/dev/null); do
			for addr in "$a" "${a%?}4"; do
				{ echo "$addr" > $D/pool && cat $D/pool > /dev/null; } ||
					bad=$((bad + 1))
			done
		done
		for pat in 'Sts? 0' 'Sts? 1' Race 'Tag*'; do
			{ echo "$pat" > $D/poolfind && cat $D/poolfind > /dev/null; } ||
				bad=$((bad + 1))
		done
		n=$((n + 1))
	done
	echo "$n $bad" > /tmp/readers
}

churn() {
	n=0 bad=0
	while [ ! -e /tmp/stop ] || [ $n -lt 3 ]; do
		for m in ntsample nttags ntlookaside; do
			{ insmod /modules/$m.ko && rmmod $m; } || bad=$((bad + 1))
		done
		n=$((n + 1))
	done
	echo "$n $bad" > /tmp/churn
}

rm -f /tmp/stop
read_views &
readers=$!
churn &
churner=$!
start=$(date +%s)
args=$(tr ' ' '\n' < /proc/cmdline | sed -n 's/^ntstress\.//p')
# On a debug kernel the race rounds, which wait for two CPUs to meet, take
# most of the time (over five minutes for 1500 under TCG): a third of them
# there, unless the command line says otherwise.
if on_debug_kernel && ! echo "$args" | grep -q '^rounds='; then
	args="${args:+$args }rounds=500"
fi
# The racing frees' reports stay off the console, whose every character
# the emulated machine prints with the console lock held; the log is moved
# to a file every ten seconds, and its splats go to the console.
dmesg -n 1
check "insmod ntstress${args:+ $args}" insmod /modules/ntstress.ko $args
# The run ends by itself once its counts are done; the bound is generous.
i=0
while in_modules ntstress && [ "$(cat $S/done 2>/dev/null)" != 1 ] &&
      [ $i -lt 540 ]; do
	sleep 1
	i=$((i + 1))
	[ $((i % 10)) -ne 0 ] || dmesg -c >> /tmp/stress-log
done
dmesg -c >> /tmp/stress-log
dmesg -n 7
show_splats /tmp/stress-log
check "the stress run finished" test "$(cat $S/done 2>/dev/null)" = 1
echo "stress ran for $(($(date +%s) - start)) s"
touch /tmp/stop
wait $readers $churner

cat $S/stats > /tmp/stats
cat /tmp/stats
val() { sed -n "s/^$1 //p" /tmp/stats; }
rounds=$(cat $S/rounds)
check "a worker on each of the $(grep -c ^processor /proc/cpuinfo) CPUs" \
	test "$(val workers)" -eq "$(grep -c ^processor /proc/cpuinfo)"
check "per-CPU cached, other small and big blocks were all allocated" \
	test "$(val pcp_allocs)" -gt 0 -a "$(val mid_allocs)" -gt 0 -a "$(val big_allocs)" -gt 0
check "blocks were freed by another CPU than their allocator's" \
	test "$(val remote_frees)" -gt 0
check "the hard-IRQ and softirq users ran their counts" \
	test "$(val irq_ops)" -ge "$(cat $S/timer_ops)" -a "$(val softirq_ops)" -ge "$(cat $S/timer_ops)"
check "no block corrupted ($(val checks) checked before their free)" \
	test "$(val corrupt)" -eq 0
check "no block handed out twice" test "$(val twice)" -eq 0
check "all $rounds race rounds ran" test "$(val race_rounds)" -eq "$rounds"
check "each race round: exactly one of the two frees reported" \
	test "$(val race_one)" -eq "$rounds" -a "$(val race_bad)" -eq 0
check "each racing report is 0xC2 already freed, wrong tag or bad address" \
	test "$(val race_bad_kind)" -eq 0
check "no report but the racing second frees" test "$(val reports_other)" -eq 0
check "reports: one per race round" test "$(val reports)" -eq "$rounds"

cat $D/verifier > /tmp/verifier
sed -n '/^Violations reported/,$p' /tmp/verifier
check "verifier counts as many reports as ntstress saw" \
	test "$(awk '/^Violations reported/ { v = 1 } v && /Arg1 0x[0-9a-f]+: [0-9]+$/ { s += $NF } END { print s + 0 }' /tmp/verifier)" -eq "$rounds"
check "verifier: only 0xC2 already freed, wrong tag or bad address" \
	sh -c "sed -n '/^Violations reported/,\$p' /tmp/verifier | grep 'Arg1 0x' | grep -qvE '^  BAD_POOL_CALLER \(c2\) Arg1 0x(7|a|99): ' && exit 1 || exit 0"

read -r n bad < /tmp/readers
check "debugfs views read $n times meanwhile, every read and write accepted" \
	test "$bad" -eq 0 -a "$n" -ge 3
read -r n bad < /tmp/churn
check "sample clients loaded and unloaded $n times meanwhile, no failure" \
	test "$bad" -eq 0 -a "$n" -ge 3

dmesg -c > /dev/null
check "rmmod ntstress" rmmod ntstress
dmesg > /tmp/dmesg
check "no leak reported at ntstress's unload (0xC4/0x62)" \
	sh -c "! grep -q 'Arg1: 0000000000000062' /tmp/dmesg"

cat $D/tags > /tmp/tags
cat /tmp/tags
check "tags: Race counted $rounds allocations and $rounds frees in all" \
	test "$(awk '$1 == "Race" { a += $3; f += $4 } END { print a + 0, f + 0 }' /tmp/tags)" = "$rounds $rounds"
check "tags: ntstress's rows all there (Sts0-3, StsH, StsS, Race, Rchk)" \
	test "$(grep -cE '^(Sts[0-3HS]|Race|Rchk) ' /tmp/tags)" -ge 8
check "tags: every row back to 0 outstanding and 0 bytes" \
	awk 'NR > 1 && ($5 != 0 || $6 != 0) { print "left:", $0; bad = 1 } END { exit bad }' /tmp/tags
check "rmmod ntpool" rmmod ntpool
