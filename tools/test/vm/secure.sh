#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# ntpool-vm: allow-oops
# Runs inside the test VM: a secure pool (ntsecure).  Validate and update
# with the cookie; a write through the client's pointer faults, in a thread
# of its own, and leaves the contents unchanged.
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
