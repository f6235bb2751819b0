#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs inside the test VM, on the kmemleak kernel: a block a client lost
# every pointer to is in kmemleak's report with the client's allocation
# stack; ntpool's bookkeeping neither hides it nor is reported itself.
# kmemleak is conservative: a stale copy of a pointer in a register or on a
# stack would hide a lost block.  ntmisuse loses its blocks so that no copy
# is left (see LeakBlock() in tools/samples/ntmisuse.c): the results do not
# depend on what the scan happens to find.
. /lib.sh

K=/sys/kernel/debug/kmemleak

# kmemleak reports objects older than five seconds, found unreferenced in
# two scans in a row (the first one records their contents).
scan() {
	sleep 6
	echo scan > $K
	echo scan > $K
	cat $K > "$1"
}

check "kmemleak is on" test -w $K
echo clear > $K
check "insmod ntpool on_violation=report" insmod /modules/ntpool.ko on_violation=report

echo "=== clean clients, and the bad driver loses a block while loaded"
# One scan for both: the lost block must be the only object reported.
check "insmod ntwriter writes=300" insmod /modules/ntwriter.ko writes=300
check "insmod nttags (keeps 9 blocks, small and big, until unload)" \
	insmod /modules/nttags.ko
check "insmod ntlookaside (lookaside lists, deleted at unload)" \
	insmod /modules/ntlookaside.ko
check "insmod ntmisuse lose_pointer=1" insmod /modules/ntmisuse.ko lose_pointer=1
scan /tmp/k2
cat /tmp/k2
check "kmemleak reports one unreferenced object: the clients' blocks are not" \
	count /tmp/k2 '^unreferenced object' 1
# The object is the block's room: 100 bytes in 16-byte units.
check "of 112 bytes" has /tmp/k2 '^unreferenced object 0x[0-9a-f]+ \(size 112\):'
check "its contents are the block's" has /tmp/k2 'lost by ntmisuse'
check "its backtrace passes through ntpool's allocator" \
	has /tmp/k2 'ntpool_pool_alloc'
check "and names the client's function" \
	has /tmp/k2 'AllocateAndLose\+0x[0-9a-f]+/0x[0-9a-f]+ \[ntmisuse\]'
rmmod ntlookaside nttags ntwriter
check "rmmod ntmisuse" rmmod ntmisuse
echo clear > $K

echo "=== the bad driver leaks a block at unload"
check "insmod ntmisuse leak=1" insmod /modules/ntmisuse.ko leak=1
check "rmmod ntmisuse (its only pointer to the block goes with it)" \
	rmmod ntmisuse
scan /tmp/k3
cat /tmp/k3
check "kmemleak reports one unreferenced object" \
	count /tmp/k3 '^unreferenced object' 1
check "of 112 bytes" has /tmp/k3 '^unreferenced object 0x[0-9a-f]+ \(size 112\):'
check "its contents are the kept block's" has /tmp/k3 'kept by ntmisuse'
check "allocated through ntpool" has /tmp/k3 'ntpool_pool_alloc'

check "release ntmisuse frees the leaked block" sh -c "echo 'release ntmisuse' > $D/verifier"
echo clear > $K

echo "=== the same leak with Driver Verifier tracking the client"
check "verify_drivers ntmisuse" sh -c "echo ntmisuse > $D/verify_drivers"
check "insmod ntmisuse leak=1" insmod /modules/ntmisuse.ko leak=1
check "rmmod ntmisuse" rmmod ntmisuse
dmesg > /tmp/d4
check "verifier reported 0xC4/0x62" has /tmp/d4 'Arg1: 0000000000000062'
scan /tmp/k4
cat /tmp/k4
check "kmemleak still reports the block: the verifier's record hides nothing" \
	count /tmp/k4 '^unreferenced object' 1
check "release ntmisuse frees it" sh -c "echo 'release ntmisuse' > $D/verifier"
echo clear > $K

echo "=== many tracked blocks: Pool Tracking's records are not reported"
# 4096 records in the verifier's 8192 hash lists: hundreds share a list,
# and only the first of each is referenced from memory kmemleak scans.
check "verify_drivers ntquota" sh -c "echo ntquota > $D/verify_drivers"
check "insmod ntquota count=4096 size=16 nonpaged=1 (holds its blocks)" \
	insmod /modules/ntquota.ko count=4096 size=16 nonpaged=1
cat $D/verifier > /tmp/v6
check "all 4096 allocated, none untracked" sh -c \
	"grep -A10 '^MODULE: 0x[0-9a-f]* ntquota (Loaded)\$' /tmp/v6 > /tmp/v6q &&
	 grep -qE '^    Pool Allocations Succeeded +0x1000\$' /tmp/v6q &&
	 grep -qE '^    Pool Allocations Not Tracked +0x0\$' /tmp/v6q"
scan /tmp/k6
head -40 /tmp/k6
check "kmemleak reports nothing: neither the blocks nor their records" \
	test ! -s /tmp/k6
check "rmmod ntquota" rmmod ntquota
check "verify_drivers none" sh -c "echo none > $D/verify_drivers"
echo clear > $K

check "rmmod ntpool" rmmod ntpool
scan /tmp/k5
cat /tmp/k5
check "nothing left to report, nothing once ntpool is gone" test ! -s /tmp/k5
