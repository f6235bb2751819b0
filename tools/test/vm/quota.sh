#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs inside the test VM: pool quota charged to the memory cgroup of the
# task that loads the client (ntquota), uncharged when the blocks are
# freed, and refused over the cgroup's memory.max.  Small quota blocks
# share pages charged to their cgroup: the cgroup pays for those pages,
# not a page per block, and is uncharged exactly when a kernel thread
# frees them.
. /lib.sh

CG=/sys/fs/cgroup
mount -t cgroup2 none $CG
echo +memory > $CG/cgroup.subtree_control
mkdir $CG/q1 $CG/q2 $CG/q3 $CG/q4

# insmod run by a shell that first moves itself into cgroup $1.
insmod_in() {
	cg=$1
	shift
	sh -c "echo \$\$ > $CG/$cg/cgroup.procs && exec insmod $*"
}
# "ctl_in CGROUP COMMAND": a shell in CGROUP writes COMMAND to ntquota's
# control file (its allocations are charged to that shell's cgroup).
ctl_in() {
	sh -c "echo \$\$ > $CG/$1/cgroup.procs && echo $2 > /sys/kernel/debug/ntquota"
}
has_msg() { dmesg | grep -qE "$1"; }
# memory.stat is flushed every 2 s.
stat_of() { sed -n "s/^$2 //p" $CG/$1/memory.stat; }
# "stat_until CGROUP STAT OP VALUE": wait up to 5 s for the flush that
# makes "test STAT OP VALUE" true.
stat_until() {
	tries=0
	while [ $tries -lt 25 ]; do
		test "$(stat_of $1 $2)" "$3" "$4" && return 0
		sleep 0.2
		tries=$((tries + 1))
	done
	return 1
}

check "insmod ntpool on_violation=report" insmod /modules/ntpool.ko on_violation=report

echo "=== paged quota, from cgroup q1"
before=$(cat $CG/q1/memory.current)
check "insmod ntquota count=64 size=3000 in q1" \
	insmod_in q1 /modules/ntquota.ko count=64 size=3000
dmesg > /tmp/d1
check "64 blocks, all with QuotaCharged" \
	has /tmp/d1 'ntquota: 64 of 64 blocks of 3000 bytes, 64 with QuotaCharged$'
after=$(cat $CG/q1/memory.current)
# memory.current moves in batches: each CPU keeps a stock of up to 64
# pages charged ahead (MEMCG_CHARGE_BATCH), which a charge may take from
# without moving it.  memory.stat counts each page: that is checked.
check "q1's memory.stat vmalloc holds the 64 pages" stat_until q1 vmalloc -ge 262144
echo "q1 memory.current: $before -> $after; vmalloc $(stat_of q1 vmalloc)"
check "rmmod ntquota" rmmod ntquota
# (memory.current keeps a per-CPU stock of charged pages: not exact.)
check "freeing the blocks uncharged q1's vmalloc" stat_until q1 vmalloc -eq 0

echo "=== non-paged quota with ExAllocatePool2(POOL_FLAG_USE_QUOTA), from q1"
# (The flush that showed vmalloc back at 0 flushed the kernel stat too.)
before=$(cat $CG/q1/memory.current)
kernel_before=$(stat_of q1 kernel)
check "insmod ntquota nonpaged=1 pool2=1 count=64 size=3000 in q1" \
	insmod_in q1 /modules/ntquota.ko nonpaged=1 pool2=1 count=64 size=3000
after=$(cat $CG/q1/memory.current)
check "q1's memory.stat kernel grew by 64 pages or more" \
	stat_until q1 kernel -ge $((kernel_before + 262144))
echo "q1 memory.current: $before -> $after; kernel $kernel_before -> $(stat_of q1 kernel)"
dmesg > /tmp/d2
check "64 blocks with QuotaCharged" \
	has /tmp/d2 'ntquota: 64 of 64 blocks of 3000 bytes, 64 with QuotaCharged$'
check "tags counts the blocks under Qota, non-paged" has $D/tags '^Qota Nonp +64 +0 +64 '
check "rmmod ntquota" rmmod ntquota

echo "=== from the root cgroup nothing is charged"
check "insmod ntquota count=8 (root cgroup)" insmod /modules/ntquota.ko count=8
dmesg > /tmp/d3
check "8 blocks, none with QuotaCharged" \
	has /tmp/d3 'ntquota: 8 of 8 blocks of 3000 bytes, 0 with QuotaCharged$'
check "rmmod ntquota" rmmod ntquota

echo "=== over memory.max: the quota is exceeded"
echo 1M > $CG/q2/memory.max
check "insmod ntquota fail=1 count=1024 in q2 (memory.max 1M)" \
	insmod_in q2 /modules/ntquota.ko fail=1 count=1024
dmesg > /tmp/d4
n=$(sed -n 's/.*ntquota: \([0-9]*\) of 1024 blocks.*/\1/p' /tmp/d4 | tail -n 1)
echo "q2: $n blocks before the limit"
check "the allocations stop short of the limit: fewer than 256 pages" \
	sh -c "test -n '$n' && test '$n' -gt 0 && test '$n' -lt 256"
check "the refused block is NULL, not raised (POOL_QUOTA_FAIL_INSTEAD_OF_RAISE)" \
	sh -c "grep -q 'ntquota: block $n of 1024: no quota left' /tmp/d4 && ! grep -q 'KMODE_EXCEPTION_NOT_HANDLED' /tmp/d4"
check "q2 stays within memory.max" test "$(cat $CG/q2/memory.current)" -le 1048576
check "no OOM kill in q2" test "$(sed -n 's/^oom_kill //p' $CG/q2/memory.events)" -eq 0
check "rmmod ntquota" rmmod ntquota

echo 1M > $CG/q3/memory.max
check "insmod ntquota count=1024 in q3, raising" \
	insmod_in q3 /modules/ntquota.ko count=1024
dmesg > /tmp/d5
check "the quota routine raised STATUS_QUOTA_EXCEEDED: 0x1E, Arg1 c0000044" \
	has /tmp/d5 'Arg1: 00000000c0000044'
check "rmmod ntquota" rmmod ntquota

echo "=== small quota blocks share the pages of their cgroup (paged, q4)"
# 256 blocks of 64 bytes: 80 bytes with the header, 51 to a page: 6 pages,
# where a page per block would be 256.  memory.stat's vmalloc counts
# exactly the charged vmalloc pages, which only ntpool allocates here.
check "insmod ntquota count=0 size=64" insmod /modules/ntquota.ko count=0 size=64
echo 256 > /sys/module/ntquota/parameters/count
check "q4's vmalloc is 0 before" stat_until q4 vmalloc -eq 0
dmesg -c > /dev/null
check "a process in q4 allocates 256 blocks of 64 bytes" ctl_in q4 alloc
dmesg > /tmp/d6
check "256 blocks, all with QuotaCharged" \
	has /tmp/d6 'ntquota: 256 of 256 blocks of 64 bytes, 256 with QuotaCharged$'
check "their header's PoolType is PagedPool + 1 with the quota bit: 0x0a" \
	has /tmp/d6 'ntquota: PoolType 0x0a$'
check "q4 pays for 6 pages, exactly" stat_until q4 vmalloc -eq $((6 * 4096))
echo "q4 vmalloc: $(stat_of q4 vmalloc)"
# 80 bytes each: a page's 16 spare bytes stay a free block of their own.
check "tags counts the 256 blocks' bytes under Qota, paged" \
	has $D/tags '^Qota Paged +[0-9]+ +[0-9]+ +256 +20480 '
echo "Qota 1" > $D/poolfind
addr=$(sed -n 's/^ \([0-9a-f]\{16\}\) size:.*(Allocated)  Qota$/\1/p' $D/poolfind | head -n 1)
echo "$addr" > $D/pool
cat $D/pool > /tmp/pool4
check "!pool on one of them names q4 as the page's payer" \
	has /tmp/pool4 '^Quota: the page.s blocks are charged to memory cgroup /q4$'
check "a work item frees them (a kernel thread, not q4's process)" \
	sh -c "echo free > /sys/kernel/debug/ntquota"
check "the free is done by the work item" has_msg 'ntquota: freed from a work item'
check "q4's vmalloc is back to 0, exactly" stat_until q4 vmalloc -eq 0
check "rmmod ntquota" rmmod ntquota

echo "=== small quota blocks, non-paged (q4)"
check "insmod ntquota nonpaged=1 count=0 size=64" \
	insmod /modules/ntquota.ko nonpaged=1 count=0 size=64
echo 256 > /sys/module/ntquota/parameters/count
# The kernel stat also counts the control file each write opens in q4
# (a struct file, charged by the byte from a per-CPU stock of a page):
# exact to a page per CPU.
sleep 2.5
kernel_before=$(stat_of q4 kernel)
slack=$(( $(nproc) * 4096 ))
check "a process in q4 allocates 256 blocks of 64 bytes" ctl_in q4 alloc
check "q4's kernel memory grew by the 6 pages" \
	stat_until q4 kernel -ge $((kernel_before + 6 * 4096))
kernel_after=$(stat_of q4 kernel)
echo "q4 kernel: $kernel_before -> $kernel_after"
check "and by no more than the 6 pages and the control file" \
	test $((kernel_after - kernel_before)) -le $((6 * 4096 + slack))
check "a work item frees them" sh -c "echo free > /sys/kernel/debug/ntquota"
check "q4's kernel memory is back where it was" \
	stat_until q4 kernel -le $((kernel_before + slack))
echo "q4 kernel after the free: $(stat_of q4 kernel)"
check "rmmod ntquota" rmmod ntquota

echo "=== over memory.max with small blocks (q2, 1M)"
# 4096 blocks of 1000 bytes, 4 to a page, would need 4 MiB.
check "insmod ntquota count=0 size=1000 fail=1" \
	insmod /modules/ntquota.ko count=0 size=1000 fail=1
echo 4096 > /sys/module/ntquota/parameters/count
dmesg -c > /dev/null
check "a process in q2 allocates until the limit" ctl_in q2 alloc
dmesg > /tmp/d7
check "the limit refuses a small quota block (NULL: POOL_QUOTA_FAIL_INSTEAD_OF_RAISE)" \
	has /tmp/d7 'ntquota: block [0-9]+ of 4096: no quota left'
check "q2 stays within memory.max" test "$(cat $CG/q2/memory.current)" -le 1048576
check "no OOM kill in q2" test "$(sed -n 's/^oom_kill //p' $CG/q2/memory.events)" -eq 0
check "rmmod ntquota" rmmod ntquota
check "q2's vmalloc is back to 0" stat_until q2 vmalloc -eq 0

check "rmmod ntpool" rmmod ntpool
