#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs inside the test VM: the machine-readable verdict (reports.json and
# the uevents of /dev/ntpool) and low-resources simulation with its log
# (!verifier 4), on whatever fault-injection support the kernel has, and
# Pool Tracking's allocate/free log (!verifier 0x80).
# reports.json is printed to the console between markers for the host,
# which parses every line with a JSON parser (verdict.host).
# ntpool-vm: timeout=400
. /lib.sh

F=$D/fault_injection

# Every uevent, as one line per event: what a CI job's listener sees.
# A kernel without CONFIG_NET (the debug kernels) has no uevent socket:
# the listener exits at once, and the uevent checks are left out.
uevent sh -c 'echo "$ACTION $SUBSYSTEM $DEVPATH ${NTPOOL_EVENT:--} ${NTPOOL_CODE:--} ${NTPOOL_ARG1:--} ${NTPOOL_MODULE:--} ${NTPOOL_SEQ:--}" >> /tmp/uevents' 2>/dev/null &
listener=$!
sleep 1
uevents=
! kill -0 $listener 2>/dev/null || uevents=1
[ -n "$uevents" ] || echo "# no uevent socket on this kernel: uevent checks left out"

check "insmod ntpool on_violation=report verify_drivers=ntsample" \
	insmod /modules/ntpool.ko on_violation=report verify_drivers=ntsample
check "/dev/ntpool is a character device" test -c /dev/ntpool
check "reports.json exists, empty" sh -c "test -f $D/reports.json && test -z \"\$(cat $D/reports.json)\""

echo "=== low-resources simulation"
ls $F
for f in probability interval times tags modules delay_secs log; do
	check "fault_injection/$f exists" test -e $F/$f
done
check "probability is 0: simulation off" has $F/probability '^0$'
check "probability refuses 101" sh -c "! echo 101 > $F/probability 2>/dev/null"
check "verifier: 0x04 not ticked while off" has $D/verifier '^    \[ \] \(0x00000004\) Randomized low resources simulation$'
cat $F/log > /tmp/l0
check "log: nothing injected yet" has /tmp/l0 '^Faults injected: 0x0;'
# The kernel's fault_attr (where it has one) prints a stack with each
# failure unless told not to: the log is what is checked here.
[ ! -e $F/verbose ] || echo 0 > $F/verbose
echo 100 > $F/probability
echo -1 > $F/times
echo abcd > $F/tags
check "verifier: 0x04 ticked while on" has $D/verifier '^    \[X\] \(0x00000004\) Randomized low resources simulation$'
check "insmod ntsample fails: its only allocation is failed on purpose" \
	sh -c "! insmod /modules/ntsample.ko 2>/dev/null"
cat $F/log > /tmp/l1
cat /tmp/l1
# busybox's insmod tries init_module() after finit_module(): each attempt
# fails its allocation, so there are one or two.
injected() { sed -n 's/^Faults injected: 0x\([0-9a-f]*\);.*/\1/p' "$1"; }
n1=$((0x$(injected /tmp/l1)))
check "log: failures injected, each listed" \
	sh -c "test $n1 -ge 1 && test \$(grep -c '^Entry (index' /tmp/l1) -eq $n1"
check "log: the newest first" \
	test "$(grep -m 1 '^Entry' /tmp/l1)" = "Entry (index 0x$(printf %x $((n1 - 1))))"
check "log: the oldest is index 0" has /tmp/l1 '^Entry \(index 0x0\)$'
check "log: module, pool, size and tag" has /tmp/l1 '^    Module: ntsample  Pool: Paged  Size: 0x3b  Tag: abcd$'
check "log: the call site, named after the module is gone" \
	has /tmp/l1 '^    Caller: 0x[0-9a-f]{16}  DriverEntry\+0x[0-9a-f]+/0x[0-9a-f]+ \[ntsample\]$'
check "log: time, CPU and thread (insmod)" has /tmp/l1 '^    Time: [0-9]+\.[0-9]{6}  CPU: [0-9]+  Thread: insmod \(pid [0-9]+\)$'
check "log: the stack, from the caller through the module's init" \
	sh -c "grep -q '^      DriverEntry+0x' /tmp/l1 && grep -q '^      ntsample_init+0x' /tmp/l1"
echo othermod > $F/modules
check "insmod ntsample: another module is selected, no failure" insmod /modules/ntsample.ko
check "rmmod ntsample" rmmod ntsample
echo '*' > $F/modules

echo "=== times and interval"
echo 3 > $F/times
for i in 1 2 3 4 5 6; do
	insmod /modules/ntsample.ko 2>/dev/null && break
done
check "times 3: a load succeeds once the three failures are used up" in_modules ntsample
rmmod ntsample
n2=$((0x$(injected $F/log)))
check "times 3: exactly three more failures injected" test $((n2 - n1)) -eq 3
check "times used up: reads 0" has $F/times '^0$'
# ntsample init_leak=100 allocates "Init" first, then "abcd": with
# interval 2 every second candidate fails, which is each attempt's abcd.
echo -1 > $F/times
echo 2 > $F/interval
echo '*' > $F/tags
check "interval 2: insmod ntsample init_leak=100 fails" \
	sh -c "! insmod /modules/ntsample.ko init_leak=100 2>/dev/null"
cat $F/log > /tmp/l3
n3=$((0x$(injected /tmp/l3)))
check "interval 2: every failure injected is the second allocation (abcd)" \
	sh -c "test $((n3 - n2)) -ge 1 && test \$(grep '^    Module:' /tmp/l3 | head -n $((n3 - n2)) | grep -c 'Tag: abcd\$') -eq $((n3 - n2))"
echo 0 > $F/probability
echo 1 > $F/interval
check "verifier: 0x04 not ticked once off again" has $D/verifier '^    \[ \] \(0x00000004\) Randomized low resources simulation$'
# Each failed attempt left its Init block (0xC4/0x62 at its unload).
check "release the Init blocks the failed loads left" sh -c "echo 'release ntsample' > $D/verifier"

echo "=== reports.json and uevents"
check "insmod ntsample leak=1" insmod /modules/ntsample.ko leak=1
check "rmmod ntsample (leaking)" rmmod ntsample
check "release ntsample" sh -c "echo 'release ntsample' > $D/verifier"
check "insmod ntsample (clean)" insmod /modules/ntsample.ko
check "rmmod ntsample (clean)" rmmod ntsample
check "insmod ntmisuse wrong_tag=1" insmod /modules/ntmisuse.ko wrong_tag=1
check "rmmod ntmisuse" rmmod ntmisuse
cat $D/reports.json > /tmp/r1
check "reports.json: one line per verdict so far (the clean unloads too)" \
	test "$(wc -l < /tmp/r1)" -ge 5
check "reports.json: the leak, 0xc4 with Arg1 0x62, naming ntsample" \
	has /tmp/r1 '"code":"0xc4","name":"DRIVER_VERIFIER_DETECTED_VIOLATION",.*"args":\["0x62",.*"module":"ntsample"'
check "reports.json: a clean unload of ntsample" has /tmp/r1 '"event":"unload",.*"module":"ntsample","verdict":"clean"'
check "reports.json: the wrong tag, 0xc2/0xa, the allocator's tag abcd" \
	has /tmp/r1 '"code":"0xc2",.*"args":\["0xa",.*"module":"ntmisuse","tag":"abcd"'
echo "=== the allocate/free log (!verifier 0x80)"
check "log: the header of !verifier 0x80" \
	has $D/log '^Log of recent kernel pool Allocate and Free operations:$'
echo "ntmisuse:full" > $D/verify_drivers
dmesg -c > /dev/null
check "insmod ntmisuse double_free=1 (under Pool Tracking, with stacks)" \
	insmod /modules/ntmisuse.ko double_free=1
dmesg > /tmp/a0
check "console: the double free names the block's last allocation" \
	has /tmp/a0 'ntpool: LAST ALLOCATION OF THE BLOCK \(Pool Tracking log\):$'
check "console: and its last free, by DoubleFree" \
	sh -c "grep -A 3 'LAST FREE OF THE BLOCK' /tmp/a0 | grep -q 'ntpool:     Caller: 0x[0-9a-f]*  DoubleFree+0x'"
addr=$(sed -n 's/.*ntpool: Pool block \([0-9a-f]*\), Size .*/\1/p' /tmp/a0 | head -n 1)
check "log takes the block's address" sh -c "echo $addr > $D/log"
cat $D/log > /tmp/a1
cat /tmp/a1
check "log: searching for the block" has /tmp/a1 "searching for address 0x$addr\.\$"
# (Older entries of the address may follow: blocks of earlier modules.)
check "log: the two newest entries are the block's, 100 bytes, by insmod" \
	test "$(grep '^Pool block' /tmp/a1 | head -n 2 | grep -c "^Pool block $addr, Size 00000064, Thread insmod (pid [0-9]*)\$")" -eq 2
free_at=$(grep -n '^    Free ' /tmp/a1 | head -n 1 | cut -d: -f1)
alloc_at=$(grep -n '^    Allocate ' /tmp/a1 | head -n 1 | cut -d: -f1)
check "log: newest first, the free before the allocation" \
	test "${free_at:-0}" -gt 0 -a "${alloc_at:-0}" -gt "${free_at:-0}"
check "log: tag, pool and module" \
	has /tmp/a1 '^    Allocate  Tag: abcd  Pool: Nonpaged  Module: ntmisuse  CPU: [0-9]+  Time: [0-9]+\.[0-9]{6}$'
check "log: the free's call site and stack, DoubleFree" \
	sh -c "grep -q '^    Caller: 0x[0-9a-f]\{16\}  DoubleFree+0x' /tmp/a1 && grep -q '^      DoubleFree+0x' /tmp/a1"
# The allocation is in init code, gone by now: named when the report was
# made (reports.json), an address when the log is read.
check "log: the allocation's call site" has /tmp/a1 '^    Caller: 0x[0-9a-f]{16}  '
check "log refuses what is not an address" sh -c "! echo nothex > $D/log 2>/dev/null"
echo all > $D/log
check "log, all: the newest entries" has $D/log 'showing the newest 0x'
cat $D/reports.json > /tmp/r3
check "rmmod ntmisuse" rmmod ntmisuse
echo none > $D/verify_drivers

# Reports beyond the ring's 64 lines: the oldest go.
n=0
while [ $n -lt 35 ]; do
	insmod /modules/ntmisuse.ko wrong_tag=1 double_free=1 2>/dev/null
	rmmod ntmisuse 2>/dev/null
	n=$((n + 1))
done
cat $D/reports.json > /tmp/r2
check "reports.json keeps the last 64 lines" test "$(wc -l < /tmp/r2)" -eq 64
if [ -n "$uevents" ]; then
	sleep 1
	kill $listener
	cat /tmp/uevents
	check "uevent: change of misc/ntpool for the leak, 0xc4 0x62 ntsample" \
		has /tmp/uevents '^change misc /devices/virtual/misc/ntpool bugcheck 0xc4 0x62 ntsample [1-9][0-9]*$'
	check "uevent: the clean unload of ntsample" \
		has /tmp/uevents '^change misc /devices/virtual/misc/ntpool unload - - ntsample [1-9][0-9]*$'
	check "uevent: the wrong tag of ntmisuse" \
		has /tmp/uevents '^change misc /devices/virtual/misc/ntpool bugcheck 0xc2 0xa ntmisuse [1-9][0-9]*$'
fi
# The lines, and the uevents' seqs, for the host to parse and match.
dmesg -n 1
echo "NTPOOL-DATA: begin reports-1"
cat /tmp/r1
echo "NTPOOL-DATA: end reports-1"
echo "NTPOOL-DATA: begin reports-2"
cat /tmp/r2
echo "NTPOOL-DATA: end reports-2"
echo "NTPOOL-DATA: begin reports-3"
grep '"args":\["0x7",' /tmp/r3 | tail -n 1
echo "NTPOOL-DATA: end reports-3"
if [ -n "$uevents" ]; then
	echo "NTPOOL-DATA: begin uevents"
	grep '^change ' /tmp/uevents
	echo "NTPOOL-DATA: end uevents"
fi
dmesg -n 7
check "rmmod ntpool" rmmod ntpool
