#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The demo, inside the VM: what a developer porting a Windows driver sees.

say() { echo; echo "### $*"; }
D=/sys/kernel/debug/ntpool

say "insmod ntpool.ko on_violation=report verify_drivers=ntsample; load tools/pooltag.txt"
insmod /modules/ntpool.ko on_violation=report verify_drivers=ntsample
cat /pooltag.txt > $D/pooltag
sleep 0.2

say "insmod ntwriter.ko: a Windows-style driver staging writes in ExAllocatePool2(POOL_FLAG_PAGED, 1..10000, '1BrW') buffers, tag WrB1 in every view"
insmod /modules/ntwriter.ko writes=2000
sleep 0.2

T=/sys/kernel/tracing
mount -t tracefs tracefs $T 2>/dev/null
say "trace events: echo 'tag == \"WrB1\"' > $T/events/ntpool/ntpool_alloc/filter; insmod ntwriter.ko writes=3 again; echo 0 > $T/options/hash-ptr (real addresses)"
rmmod ntwriter
echo 'tag == "WrB1"' > $T/events/ntpool/ntpool_alloc/filter
echo 1 > $T/events/ntpool/ntpool_alloc/enable
insmod /modules/ntwriter.ko writes=3
echo 0 > $T/events/ntpool/ntpool_alloc/enable
echo 0 > $T/options/hash-ptr
grep ntpool_alloc $T/trace

say "insmod nttags.ko: known allocations under the tags Tag1, Tag2, Tag3"
insmod /modules/nttags.ko
sleep 0.2

say "cat $D/tags    (poolmon's table)"
cat $D/tags

say "ntpoolmon --once -s b    (poolmon for ntpool, sorted by bytes)"
/ntpoolmon --once -s b

say "cat $D/poolused    (!poolused)"
cat $D/poolused

addr=$(dmesg | sed -n 's/.*nttags: Tag1 block at \([0-9a-f]*\),.*/\1/p')
say "echo $addr > $D/pool; cat $D/pool    (!pool on a Tag1 pointer)"
echo "$addr" > $D/pool
cat $D/pool

say "echo 'Tag?' > $D/poolfind; cat $D/poolfind    (!poolfind Tag?: non-paged pool, the default)"
echo 'Tag?' > $D/poolfind
cat $D/poolfind

say "echo 'Tag? 1' > $D/poolfind; cat $D/poolfind    (!poolfind Tag? 1: paged pool, where nttags has only big blocks)"
echo 'Tag? 1' > $D/poolfind
cat $D/poolfind

say "cat $D/bigpool"
cat $D/bigpool

say "echo abcd > $D/hit_tag; insmod ntsample.ko leak=1; rmmod ntsample    (PoolHitTag, then the Sample driver forgets to free: Driver Verifier's 0xC4/0x62)"
echo abcd > $D/hit_tag
insmod /modules/ntsample.ko leak=1
rmmod ntsample
echo 0 > $D/hit_tag
sleep 0.2

say "cat $D/verifier    (!verifier 3: the unloaded module and its leftover)"
cat $D/verifier

say "insmod ntlookaside.ko; cat $D/lookaside    (lookaside lists from a timer and from process context: !lookaside)"
insmod /modules/ntlookaside.ko
cat $D/lookaside
rmmod ntlookaside

say "insmod ntmisuse.ko: the classic pool bugs, each reported as NT bugchecks them"
insmod /modules/ntmisuse.ko double_free=1 wrong_tag=1 overrun=1 \
	paged_in_spinlock=1 zero_size=1 bad_pointer=1 tag_zero=1
sleep 0.2

say "rmmod the clients, then ntpool (every page goes back)"
rmmod ntmisuse nttags ntwriter
rmmod ntpool
sleep 0.2
