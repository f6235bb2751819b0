#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs inside the test VM: pool quota charged to the memory cgroup of the
# task that loads the client (ntquota), uncharged when the blocks are
# freed, and refused over the cgroup's memory.max.
. /lib.sh

CG=/sys/fs/cgroup
mount -t cgroup2 none $CG
echo +memory > $CG/cgroup.subtree_control
mkdir $CG/q1 $CG/q2 $CG/q3

# insmod run by a shell that first moves itself into cgroup $1.
insmod_in() {
	cg=$1
	shift
	sh -c "echo \$\$ > $CG/$cg/cgroup.procs && exec insmod $*"
}
# memory.current is exact at once; memory.stat is flushed every 2 s.
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
check "q1's memory.current grew by 64 pages or more" test $((after - before)) -ge 262144
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
check "q1's memory.current grew by 64 pages or more" test $((after - before)) -ge 262144
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

check "rmmod ntpool" rmmod ntpool
