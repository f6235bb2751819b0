#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs inside the test VM: Driver Verifier on the Sample driver: a clean
# unload, a leak (0xC4/0x62), verifier's figures, release, PoolHitTag.
. /lib.sh

check "insmod ntpool on_violation=report verify_drivers=ntsample" \
	insmod /modules/ntpool.ko on_violation=report verify_drivers=ntsample
check "verify_drivers shows the module parameter" has $D/verify_drivers '^ntsample$'
check "on_violation shows report" has $D/on_violation '^report$'
check "on_violation refuses what does not parse" sh -c "! echo sometimes > $D/on_violation 2>/dev/null"
check "verify_drivers refuses what does not parse" sh -c "! echo 'a:half' > $D/verify_drivers 2>/dev/null"

echo "=== clean load and unload"
check "insmod ntsample" insmod /modules/ntsample.ko
cat $D/verifier > /tmp/v1
cat /tmp/v1
check "verifier lists ntsample, loaded, under Pool Tracking" \
	sh -c "grep -qE '^MODULE: 0x[0-9a-f]{16} ntsample \(Loaded\)$' /tmp/v1 && grep -q '^    Verification: Pool Tracking$' /tmp/v1"
# The header's Level is the OR of the flags ticked below it.
flags_agree() {
	level=$(sed -n 's/^Verify Flags Level 0x\([0-9a-f]*\)$/\1/p' "$1")
	sum=0
	for f in $(sed -n 's/^    \[X\] (0x\([0-9a-f]*\)) .*/\1/p' "$1"); do
		sum=$((sum | 0x$f))
	done
	test -n "$level" && test $((0x$level)) -eq $sum
}
check "verifier: Level 0xa, Force IRQL checking and Pool tracking" \
	sh -c "grep -q '^Verify Flags Level 0x0000000a$' /tmp/v1 && grep -q '^    \[X\] (0x00000002) Force IRQL checking$' /tmp/v1 && grep -q '^    \[X\] (0x00000008) Pool tracking$' /tmp/v1"
check "verifier: Level is the OR of the flags ticked" flags_agree /tmp/v1
check "verifier: 0x10 is NT's I/O verification, not ticked" has /tmp/v1 '^    \[ \] \(0x00000010\) I/O verification$'
check "verifier: one paged allocation now" has /tmp/v1 '^      Current Pool Allocations: \( 0x00000000 / 0x00000001 \)$'
check "verifier: its row names tag abcd and the caller DriverEntry" \
	has /tmp/v1 '^      0x[0-9a-f]{16}  0x0000003b  abcd  0x[0-9a-f]{16}  DriverEntry\+0x'
check "rmmod ntsample" rmmod ntsample
dmesg > /tmp/d1
check "no leak reported for a clean unload" lacks /tmp/d1 'DRIVER_VERIFIER_DETECTED_VIOLATION'

echo "=== leaking unload"
check "insmod ntsample leak=1" insmod /modules/ntsample.ko leak=1
check "rmmod ntsample (leaking)" rmmod ntsample
dmesg > /tmp/d2
check "console: DRIVER_VERIFIER_DETECTED_VIOLATION (c4)" has /tmp/d2 'ntpool: DRIVER_VERIFIER_DETECTED_VIOLATION \(c4\)$'
check "console: Arg1 62, the leak at unload" has /tmp/d2 'ntpool: Arg1: 0000000000000062, A driver has forgotten to free its pool allocations prior to unloading\.$'
check "console: Arg2 names the module" has /tmp/d2 'ntpool: Arg2: [0-9a-f]{16}, Name of the driver having the issue \(ntsample\)$'
check "console: Arg4 is 1 allocation" has /tmp/d2 'ntpool: Arg4: 0000000000000001, Total # of \(paged\+nonpaged\) allocations'
check "console: the leaked row, tag abcd, with its caller" \
	has /tmp/d2 '  0x[0-9a-f]{16}  0x0000003b  abcd  0x[0-9a-f]{16}  DriverEntry\+0x'
cat $D/verifier > /tmp/v2
check "verifier: ntsample stays listed, unloaded, with its leftover" \
	sh -c "grep -qE '^MODULE: 0x[0-9a-f]{16} ntsample \(Unloaded\)$' /tmp/v2 && grep -qE '^      Current Pool Allocations: \( 0x00000000 / 0x00000001 \)$' /tmp/v2"
check "verifier: peak figures" has /tmp/v2 '^      Peak Pool Allocations:    \( 0x00000000 / 0x00000001 \)$'
check "verifier: the leak is counted among violations" has /tmp/v2 'DRIVER_VERIFIER_DETECTED_VIOLATION \(c4\) Arg1 0x62: 1$'
check "tags: abcd still in use, owner ntsample" has $D/tags '^abcd Paged +2 +1 +1 +80 +80 .* ntsample'
check "release refuses a module that left nothing" sh -c "! echo 'release ntwriter' > $D/verifier 2>/dev/null"
check "release ntsample frees the leftover" sh -c "echo 'release ntsample' > $D/verifier"
check "tags: abcd all freed after release" has $D/tags '^abcd Paged +2 +2 +0 +0 '
cat $D/verifier > /tmp/v3
cat /tmp/v3
check "verifier: ntsample no longer listed" lacks /tmp/v3 ntsample

echo "=== call sites named after their code is gone: in init code and elsewhere"
# ntsample_init allocates init_leak bytes ("Init") in init code, freed by
# the kernel once it returns; DriverEntry, outside init, the "abcd" block.
INIT_ROW='0x[0-9a-f]{16}  0x00000064  Init  0x[0-9a-f]{16}  ntsample_init\+0x[0-9a-f]+/0x[0-9a-f]+ \[ntsample\]$'
ENTRY_ROW='0x[0-9a-f]{16}  0x0000003b  abcd  0x[0-9a-f]{16}  DriverEntry\+0x[0-9a-f]+/0x[0-9a-f]+ \[ntsample\]$'
dmesg -c > /dev/null
check "insmod ntsample leak=1 init_leak=100" insmod /modules/ntsample.ko leak=1 init_leak=100
cat $D/verifier > /tmp/v5
check "verifier, loaded: the init code's call site is named after init" has /tmp/v5 "^      $INIT_ROW"
check "rmmod ntsample (leaking both)" rmmod ntsample
dmesg > /tmp/d6
check "console: Arg4 is 2 allocations" has /tmp/d6 'ntpool: Arg4: 0000000000000002, Total # of'
check "console: the block allocated in init code, named" has /tmp/d6 "ntpool:   $INIT_ROW"
check "console: the block allocated elsewhere, named" has /tmp/d6 "ntpool:   $ENTRY_ROW"
cat $D/verifier > /tmp/v6
check "verifier after the unload: the init code's call site, named" has /tmp/v6 "^      $INIT_ROW"
check "verifier after the unload: the other call site, named" has /tmp/v6 "^      $ENTRY_ROW"
# Loaded again while its leftovers are listed: two ids, one name.
check "insmod ntsample again" insmod /modules/ntsample.ko
cat $D/tags > /tmp/t6
check "tags: abcd's Modules column names ntsample once" \
	sh -c "grep -qE '^abcd Paged +4 +2 +2 .* ntsample$' /tmp/t6 && ! grep -q 'ntsample,ntsample' /tmp/t6"
check "rmmod ntsample (clean)" rmmod ntsample
check "release ntsample" sh -c "echo 'release ntsample' > $D/verifier"
# Unverified, only a big block has its caller recorded: named the same.
check "verify_drivers none" sh -c "echo none > $D/verify_drivers"
check "insmod ntsample init_leak=8192 (unverified)" insmod /modules/ntsample.ko init_leak=8192
check "rmmod ntsample (leaking the big block)" rmmod ntsample
dmesg > /tmp/d7
BIG_ROW='0x[0-9a-f]{16}  0x00002000  Init  0x[0-9a-f]{16}  ntsample_init\+0x[0-9a-f]+/0x[0-9a-f]+ \[ntsample\]$'
check "console: the big block from init code, named" has /tmp/d7 "ntpool:   $BIG_ROW"
check "verifier after the unload: the big block's call site, named" has $D/verifier "^      $BIG_ROW"
check "verifier: both allocations of the unverified module counted as not tracked" \
	sh -c "grep -A8 '^MODULE: 0x[0-9a-f]* ntsample (Unloaded)\$' $D/verifier | grep -q '^    Pool Allocations Not Tracked  *0x2\$'"
cat $D/verifier > /tmp/v7
check "verifier, nothing verified: Level 0x2" has /tmp/v7 '^Verify Flags Level 0x00000002$'
check "verifier, nothing verified: Level is the OR of the flags ticked" flags_agree /tmp/v7
check "bigpool after the unload: its call site, named" \
	has $D/bigpool '^[0-9a-f]{16} +8192 +2 Init Nonp  ntsample +ntsample_init\+0x[0-9a-f]+/0x[0-9a-f]+ \[ntsample\]$'
check "release ntsample" sh -c "echo 'release ntsample' > $D/verifier"
check "verify_drivers ntsample again" sh -c "echo ntsample > $D/verify_drivers"

echo "=== PoolHitTag"
check "hit_tag refuses what does not parse" sh -c "! echo 'abcd sideways' > $D/hit_tag 2>/dev/null"
check "hit_tag abcd" sh -c "echo abcd > $D/hit_tag"
check "insmod ntsample" insmod /modules/ntsample.ko
check "rmmod ntsample" rmmod ntsample
dmesg > /tmp/d3
check "console: a break on the allocation" has /tmp/d3 'ntpool: PoolHitTag abcd: allocation of 59 bytes at [0-9a-f]+ by DriverEntry\+0x[0-9a-f]+/0x[0-9a-f]+ \[ntsample\] \(module ntsample\)$'
check "console: a break on the free" has /tmp/d3 'ntpool: PoolHitTag abcd: free of 80 bytes at [0-9a-f]+ by DriverUnload\+0x[0-9a-f]+/0x[0-9a-f]+ \[ntsample\] \(module ntsample\)$'
check "console: the break instruction line, twice" \
	sh -c "test \$(grep -c 'Break instruction exception - code 80000003 (first chance)' /tmp/d3) -eq 2"
check "hit_tag counts the hits" has $D/hit_tag '^abcd both hits=2$'
check "hit_tag 0 turns it off" sh -c "echo 0 > $D/hit_tag && grep -q '^0 hits=2$' $D/hit_tag"

echo "=== the bad driver under Driver Verifier: 0xC4 instead of 0xC2"
check "verify_drivers ntmisuse" sh -c "echo ntmisuse > $D/verify_drivers"
dmesg -c > /dev/null
check "insmod ntmisuse zero_size=1 paged_in_spinlock=1 double_free=1" \
	insmod /modules/ntmisuse.ko zero_size=1 paged_in_spinlock=1 double_free=1
dmesg > /tmp/d5
check "zero bytes: 0xC4/0x00 at IRQL 0" \
	sh -c "grep -A1 'Arg1: 0000000000000000, Caller is trying to allocate zero bytes' /tmp/d5 | grep -q 'Arg2: 0000000000000000, Current IRQL'"
check "paged pool under a spin lock: 0xC4/0x01 at IRQL 2" \
	sh -c "grep -q 'Arg1: 0000000000000001' /tmp/d5 && grep -q 'Arg2: 0000000000000002, Current IRQL' /tmp/d5"
check "the double free is still BAD_POOL_CALLER 0x07" has /tmp/d5 'Arg1: 0000000000000007, Attempt to free pool which was already freed'
check "no leak at unload: every block was freed" \
	sh -c "rmmod ntmisuse && ! dmesg | grep -q 'Arg1: 0000000000000062'"
cat $D/verifier > /tmp/v4
check "verifier counts the two 0xC4 reports" \
	sh -c "grep -q 'DRIVER_VERIFIER_DETECTED_VIOLATION (c4) Arg1 0x0: 1' /tmp/v4 && grep -q 'DRIVER_VERIFIER_DETECTED_VIOLATION (c4) Arg1 0x1: 1' /tmp/v4"

check "rmmod ntpool" rmmod ntpool
