#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs inside the test VM (busybox, two CPUs): the per-CPU caches of freed
# blocks give their blocks back to their pages under memory pressure (the
# shrinker, through drop_caches) and when a CPU goes offline.
. /lib.sh

cached() { sed -n 's/^per-CPU cached blocks: //p' $D/stats; }
stat_is() { test "$(sed -n "s/^$1: //p" $D/stats)" = "$2"; }

check "insmod ntpool" insmod /modules/ntpool.ko
check "stats shows the per-CPU caches" has $D/stats '^per-CPU cached blocks: [0-9]+$'

# ntwriter frees its paged blocks in module_init, on the CPU insmod runs on.
check "insmod ntwriter on CPU 0" taskset 1 insmod /modules/ntwriter.ko writes=300
check "rmmod ntwriter" rmmod ntwriter
check "freed blocks wait on CPU 0's cache" test "$(cached)" -gt 0
echo 2 > /proc/sys/vm/drop_caches
check "memory pressure drains every cache (shrinker)" test "$(cached)" -eq 0
check "the empty pages kept are drained too" stat_is "paged empty pages kept" 0
check "drained pages are back: no small page left" stat_is "paged small pages" 0

check "insmod ntwriter on CPU 1" taskset 2 insmod /modules/ntwriter.ko writes=300
check "rmmod ntwriter" rmmod ntwriter
before=$(cached)
check "freed blocks wait on CPU 1's cache" test "$before" -gt 0
check "CPU 1 goes offline" sh -c 'echo 0 > /sys/devices/system/cpu/cpu1/online'
check "its cache was drained when it went" test "$(cached)" -eq 0
check "CPU 1 comes back" sh -c 'echo 1 > /sys/devices/system/cpu/cpu1/online'
check "its cache works again" taskset 2 insmod /modules/ntwriter.ko writes=50
check "rmmod ntwriter" rmmod ntwriter
check "no block quarantined" stat_is "paged quarantined blocks" 0
check "rmmod ntpool" rmmod ntpool
