#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs inside the test VM: executable pool.  ntexec copies a tiny function
# into 64-byte, 4 KiB and 64 KiB blocks of every executable request, runs
# it and checks its value, and checks without executing anything that the
# no-execute requests (and the executable blocks' direct-map aliases) are
# NX; with nx_optin both ways, set at load and at run time.
. /lib.sh

# The kernel's own W+X check, where it has one (CONFIG_PTDUMP: 6.12):
# reading it while a writable and executable page is mapped WARNs.
wx_clean() {
	[ ! -e /sys/kernel/debug/check_wx_pages ] ||
		grep -q '^SUCCESS$' /sys/kernel/debug/check_wx_pages
}
passed() { test "$(dmesg | grep -cE 'ntexec: [0-9]+ checks passed, 0 failed$')" -eq "$1"; }

check "insmod ntpool" insmod /modules/ntpool.ko
check "loading ntpool maps no writable and executable page" wx_clean
check "nx_optin is Y by default" grep -q '^Y$' /sys/module/ntpool/parameters/nx_optin
check "stats show the executable pool" grep -q '^nonpaged exec small pages: ' $D/stats
check "insmod ntexec legacy=nx" insmod /modules/ntexec.ko legacy=nx
check "ntexec legacy=nx: every check passed" passed 1
check "rmmod ntexec" rmmod ntexec
check "nx_optin=N at run time" sh -c 'echo N > /sys/module/ntpool/parameters/nx_optin'
check "insmod ntexec legacy=exec" insmod /modules/ntexec.ko legacy=exec
check "ntexec legacy=exec (nx_optin=N at run time): every check passed" passed 2
check "rmmod ntexec again" rmmod ntexec
check "rmmod ntpool" rmmod ntpool

check "insmod ntpool nx_optin=N" insmod /modules/ntpool.ko nx_optin=N
check "nx_optin=N is shown" grep -q '^N$' /sys/module/ntpool/parameters/nx_optin
check "insmod ntexec legacy=exec (nx_optin=N at load)" insmod /modules/ntexec.ko legacy=exec
check "ntexec legacy=exec (nx_optin=N at load): every check passed" passed 3
check "the pool kept executable pages" grep -qE '^nonpaged exec small pages: [1-9]' $D/stats
check "rmmod ntexec, last" rmmod ntexec
check "rmmod ntpool with executable pages" rmmod ntpool
check "unloading ntpool unmapped every executable page" wx_clean
check "no check failed" sh -c '! dmesg | grep -q "ntexec: FAIL"'

echo "=== views and the leak check"
check "insmod ntpool on_violation=report verify_drivers=ntexec" \
	insmod /modules/ntpool.ko on_violation=report verify_drivers=ntexec
check "insmod ntexec keep=1 leak=1" insmod /modules/ntexec.ko keep=1 leak=1
small=$(dmesg | sed -n 's/.*ntexec: keeping 64 bytes at \([0-9a-f]*\) and .*/\1/p' | tail -n 1)
big=$(dmesg | sed -n 's/.*ntexec: keeping 64 bytes at [0-9a-f]* and 65536 bytes at \([0-9a-f]*\)$/\1/p' | tail -n 1)
echo "$small" > $D/pool
cat $D/pool > /tmp/pool
check "pool: the 64-byte block's page is the executable region" \
	has /tmp/pool "^Pool page $small region is Nonpaged pool \\(executable\\)$"
check "pool: the block is starred, allocated, tag Exec" \
	has /tmp/pool '^\*[0-9a-f]{16} size: +50 previous size: +[0-9a-f]+ +\(Allocated\) \*Exec$'
echo "$big" > $D/pool
check "pool: the 64 KiB block's entry" \
	has $D/pool "^\\*$big : large page allocation, tag is Exec, size is 0x10000 bytes$"
check "bigpool: the 64 KiB block, type NpEx, owner ntexec" \
	has $D/bigpool "^$big +65536 +16 Exec NpEx +ntexec "
echo Exec > $D/poolfind
cat $D/poolfind > /tmp/find
check "poolfind Exec (non-paged): the 64 KiB block" \
	has /tmp/find "^ $big : large page allocation, tag is Exec, size is 0x10000 bytes$"
check "poolfind Exec (non-paged): the 64-byte block" \
	has /tmp/find '^ [0-9a-f]{16} size: +50 previous size: +[0-9a-f]+ +\(Allocated\) +Exec$'
check "tags: Exec counted as non-paged, 2 in use" has $D/tags '^Exec Nonp +[0-9]+ +[0-9]+ +2 '
check "rmmod ntexec (leaking)" rmmod ntexec
dmesg > /tmp/leak
check "console: the leak at unload, 0xC4/0x62" \
	has /tmp/leak 'ntpool: Arg1: 0000000000000062, A driver has forgotten to free its pool allocations prior to unloading\.$'
check "console: Arg4 is 2 allocations" \
	has /tmp/leak 'ntpool: Arg4: 0000000000000002, Total # of \(paged\+nonpaged\) allocations'
check "console: the leaked 64-byte block" has /tmp/leak "  0x0*$small  0x00000040  Exec  0x"
check "console: the leaked 64 KiB block" has /tmp/leak "  0x0*$big  0x00010000  Exec  0x"
check "release ntexec frees the leftover" sh -c "echo 'release ntexec' > $D/verifier"
check "tags: Exec all freed after release" has $D/tags '^Exec Nonp +[0-9]+ +[0-9]+ +0 '
check "rmmod ntpool after the release" rmmod ntpool
echo "exec done"
