#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# ntpool-vm: allow-oops
# Runs inside the test VM: a secure pool (ntsecure).  Validate and update
# with the cookie; sizes no machine holds fail and updates past an
# allocation are refused, with no fault; frees in hard interrupts while
# another thread allocates; a write through the client's pointer faults,
# in a thread of its own, and leaves the contents unchanged.
. /lib.sh

check "insmod ntpool on_violation=report" insmod /modules/ntpool.ko on_violation=report
check "insmod ntsecure" insmod /modules/ntsecure.ko
dmesg > /tmp/d1
check "the table has its initial contents; Validate: TRUE, FALSE with another cookie" \
	has /tmp/d1 'ntsecure: table "key0=alpha;key1=bravo;", valid 1, wrong cookie valid 0$'
check "ExSecurePoolUpdate with the cookie succeeds" \
	has /tmp/d1 'ntsecure: update with the cookie: 0x00000000, table "key0=BRAVO;key1=bravo;"$'
check "without it: STATUS_INVALID_PARAMETER, nothing changed" \
	has /tmp/d1 'ntsecure: update without it: 0xc000000d, table "key0=BRAVO;key1=bravo;"$'
check "tags counts the table under NSec" has $D/tags '^NSec Nonp +1 +0 +1 +4096 '
check "rmmod ntsecure: ExFreePool2 and ExDestroyPool" rmmod ntsecure
check "tags: the table was freed" has $D/tags '^NSec Nonp +1 +1 +0 +0 '
check "no report for a correct use" lacks /tmp/d1 'BAD_POOL_CALLER'

echo "=== sizes no machine holds"
# A page more than the machine's memory (MemTotal is totalram_pages()).
ram_plus_page=$(( $(sed -n 's/^MemTotal: *\([0-9]*\) kB/\1/p' /proc/meminfo) * 1024 + 4096 ))
check "insmod ntsecure huge=1" insmod /modules/ntsecure.ko huge=1
dmesg > /tmp/d4
# 2^44 + 4096, SIZE_MAX, 2^32 + 16, the machine's memory and a page more
for size in 17592186048512 18446744073709551615 4294967312 $ram_plus_page; do
	check "$size bytes: NULL, an update at offset 8192 refused" \
		has /tmp/d4 "ntsecure: $size bytes: NULL, update at 8192: 0xc000000d\$"
done
check "no size is allocated" lacks /tmp/d4 'ntsecure: [0-9]+ bytes: allocated'
check "updates past the table's end: STATUS_INVALID_PARAMETER" \
	has /tmp/d4 'ntsecure: updates past the table: 0xc000000d at 256, 0xc000000d at 8192$'
check "rmmod ntsecure" rmmod ntsecure
check "tags: nothing of NSec outstanding" has $D/tags '^NSec Nonp +[0-9]+ +[0-9]+ +0 +0 '
dmesg > /tmp/d4
check "no fault, no WARN" lacks /tmp/d4 'BUG:|WARNING:|general protection|Oops|Call Trace:'

echo "=== frees in hard interrupts"
check "insmod ntsecure irqfree=200" insmod /modules/ntsecure.ko irqfree=200
dmesg > /tmp/d5
check "every allocation freed in a hard interrupt" \
	has /tmp/d5 'ntsecure: 200 of 200 allocations freed in hard interrupts$'
check "rmmod ntsecure" rmmod ntsecure
check "tags: nothing of NSec outstanding" has $D/tags '^NSec Nonp +[0-9]+ +[0-9]+ +0 +0 '
dmesg > /tmp/d5
splat='BUG:|WARNING:|general protection|Oops|Call Trace:'
lockdep='possible .*deadlock|inconsistent lock state|lock order detected'
check "no splat (lockdep, WARN, BUG)" lacks /tmp/d5 "$splat|$lockdep"

echo "=== a direct write"
check "insmod ntsecure write=1" insmod /modules/ntsecure.ko write=1
sleep 1
dmesg > /tmp/d2
check "the write faults: a page fault on a present, read-only page" \
	sh -c "grep -q 'BUG: unable to handle page fault for address' /tmp/d2 && grep -q 'permissions violation' /tmp/d2"
check "in the writing thread" has /tmp/d2 'WriteDirectly\+0x'
check "the write never completed" lacks /tmp/d2 'the direct write went through'
check "rmmod ntsecure" rmmod ntsecure
dmesg > /tmp/d3
check "the table was unchanged at unload" \
	has /tmp/d3 'ntsecure: DriverUnload: table "key0=BRAVO;key1=bravo;"$'
check "rmmod ntpool" rmmod ntpool
