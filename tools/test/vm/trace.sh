#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs inside the test VM: ntpool's trace events through tracefs, with the
# events the sample clients cause, and a filter on the tag as text.
. /lib.sh

T=/sys/kernel/tracing
E=$T/events/ntpool
mount -t tracefs tracefs $T 2>/dev/null

check "insmod ntpool on_violation=report" insmod /modules/ntpool.ko on_violation=report
check "tracefs lists the four ntpool events" \
	sh -c "test -d $E/ntpool_alloc && test -d $E/ntpool_free && test -d $E/ntpool_hit_tag && test -d $E/ntpool_violation"
check "ntpool_alloc's format has tag, size, pool_type, ptr, caller, module" \
	sh -c "for f in 'char tag\[17\]' 'size_t size' 'int pool_type' 'const void \* ptr' 'unsigned long caller' '__data_loc char\[\] module'; do grep -q \"field:\$f;\" $E/ntpool_alloc/format || exit 1; done"
check "ntpool_violation's format has the code and four arguments" \
	sh -c "for f in 'u32 code' 'u64 arg1' 'u64 arg4'; do grep -q \"field:\$f;\" $E/ntpool_violation/format || exit 1; done"

echo "=== allocations and frees of one tag, by filter"
# (ftrace drops the event's filter when a new one is refused: first.)
check "a filter on a field the events lack is refused" \
	sh -c "! echo 'colour == 1' > $E/ntpool_alloc/filter 2>/dev/null"
check "filter ntpool_alloc on tag == \"WrB1\"" sh -c "echo 'tag == \"WrB1\"' > $E/ntpool_alloc/filter"
check "filter ntpool_free on tag == \"WrB1\"" sh -c "echo 'tag == \"WrB1\"' > $E/ntpool_free/filter"
echo 1 > $E/ntpool_alloc/enable
echo 1 > $E/ntpool_free/enable
check "insmod ntwriter writes=20 (20 buffers tagged WrB1)" \
	insmod /modules/ntwriter.ko writes=20
check "insmod nttags (other tags, filtered out)" insmod /modules/nttags.ko
echo 0 > $E/ntpool_alloc/enable
echo 0 > $E/ntpool_free/enable
cat $T/trace > /tmp/t1
grep ntpool_ /tmp/t1 | head -4
check "20 ntpool_alloc events, all tag WrB1 from ntwriter in paged pool" \
	sh -c "test \$(grep -cE 'ntpool_alloc: tag=WrB1 size=[0-9]+ pool=PagedPool ptr=[^ ]+ caller=(WriteBuffered|DriverEntry)\+0x[0-9a-f]+/0x[0-9a-f]+ \[ntwriter\] module=ntwriter$' /tmp/t1) -eq 20"
check "20 ntpool_free events for them" \
	sh -c "test \$(grep -cE 'ntpool_free: tag=WrB1 size=[0-9]+ pool=PagedPool .* module=ntwriter$' /tmp/t1) -eq 20"
check "the sizes lie in 1..10000" \
	sh -c "grep -oE 'ntpool_alloc: tag=WrB1 size=[0-9]+' /tmp/t1 | grep -oE '[0-9]+\$' | awk '\$1 < 1 || \$1 > 10000 { bad = 1 } END { exit bad }'"
check "no event of nttags' tags got through the filter" lacks /tmp/t1 'tag=Tag[123]'
# ptr is hashed by default (the hash-ptr trace option); off, it is the
# block's address, the one ntwriter printed for its first write.
first=$(dmesg | sed -n 's/.*ntwriter: write 0: .* at \([0-9a-f]*\) (vmalloc.*/\1/p' | tail -n 1)
check "hash-ptr is on by default" has $T/options/hash-ptr '^1$'
echo 0 > $T/options/hash-ptr
cat $T/trace > /tmp/t1raw
echo 1 > $T/options/hash-ptr
# (6.1 then prints the first text field, tag, empty: tracing.rst.)
check "hash-ptr off: every ptr of the 20 allocations is a kernel address" \
	sh -c "test \$(grep -cE 'ntpool_alloc: tag=[^ ]* size=[0-9]+ pool=PagedPool ptr=ffff[0-9a-f]{12} caller=[^ ]+ \[ntwriter\] module=ntwriter$' /tmp/t1raw) -eq 20"
check "hash-ptr off: the first one is the address ntwriter printed" \
	sh -c "test -n '$first' && grep -q 'ntpool_alloc: tag=[^ ]* size=[0-9]* pool=PagedPool ptr=$first caller=' /tmp/t1raw"
rmmod nttags ntwriter

echo "=== PoolHitTag and violations"
echo > $T/trace
echo 0 > $E/ntpool_alloc/filter
echo 0 > $E/ntpool_free/filter
echo 1 > $E/ntpool_hit_tag/enable
echo 1 > $E/ntpool_violation/enable
check "hit_tag abcd" sh -c "echo abcd > $D/hit_tag"
check "insmod ntsample (tag abcd)" insmod /modules/ntsample.ko
# The caller is symbolised when the trace is read: read it while the module
# is still loaded.
cat $T/trace > /tmp/t2
check "ntpool_hit_tag on ntsample's allocation" \
	has /tmp/t2 'ntpool_hit_tag: tag=abcd alloc size=59 ptr=[^ ]+ caller=DriverEntry\+0x[0-9a-f]+/0x[0-9a-f]+ \[ntsample\] module=ntsample$'
check "rmmod ntsample" rmmod ntsample
echo 0 > $D/hit_tag
check "insmod ntmisuse wrong_tag=1" insmod /modules/ntmisuse.ko wrong_tag=1
echo 0 > $E/enable
cat $T/trace > /tmp/t3
grep ntpool_ /tmp/t3
check "ntpool_hit_tag on its free, at unload" \
	has /tmp/t3 'ntpool_hit_tag: tag=abcd free size=80 .* module=ntsample$'
check "ntpool_violation for the wrong-tag free: 0xC2, Arg1 0xA, the two tags" \
	has /tmp/t3 'ntpool_violation: code=0xc2 args=\(0xa, 0x[0-9a-f]+, 0x64636261, 0x676e7257\) caller=WrongTag\+0x[0-9a-f]+/0x[0-9a-f]+ \[ntmisuse\] module=ntmisuse$'
check "exactly one violation event" count /tmp/t3 'ntpool_violation:' 1
check "exactly two hit-tag events" count /tmp/t3 'ntpool_hit_tag:' 2
rmmod ntmisuse

check "rmmod ntpool" rmmod ntpool
