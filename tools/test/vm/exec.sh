#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs inside the test VM: executable pool.  ntexec copies a tiny function
# into 64-byte, 4 KiB and 64 KiB blocks of every executable request, runs
# it and checks its value, and checks without executing anything that the
# no-execute requests (and the executable blocks' direct-map aliases) are
# NX; with nx_optin both ways, set at load and at run time.
. /lib.sh

passed() { test "$(dmesg | grep -cE 'ntexec: [0-9]+ checks passed, 0 failed$')" -eq "$1"; }

check "insmod ntpool" insmod /modules/ntpool.ko
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
check "no check failed" sh -c '! dmesg | grep -q "ntexec: FAIL"'
echo "exec done"
