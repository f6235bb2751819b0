#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs inside the test VM: lookaside lists from a timer and from process
# context, read back through debugfs "lookaside"; then ntslist's SMP
# stress of one SList and of a lookaside list's ListHead, every CPU and a
# hard-IRQ timer pushing and popping, entries freed and reallocated (the
# ABA case).  The stress is bounded by counts, not time.  vmtest.sh runs
# it with NTPOOL_VM_SMP CPUs (default 2).
# ntpool-vm: timeout=300
. /lib.sh

check "insmod ntpool" insmod /modules/ntpool.ko
check "lookaside is root only" sh -c "ls -l $D | grep -E ' lookaside$' | grep -q '^-r--------'"
check "insmod ntlookaside" insmod /modules/ntlookaside.ko
cat $D/lookaside > /tmp/la
cat /tmp/la
check "lookaside lists the non-paged list" \
	has /tmp/la '^Lookaside "ntlookaside" @ 0x[0-9a-f]{16} Tag\(hex\): 0x6e4c744e "NtLn"$'
check "lookaside lists the paged list, 512 bytes" \
	sh -c "grep -q 'Tag(hex): 0x704c744e \"NtLp\"' /tmp/la && grep -qE '^    Size           = +512   Max Alloc  = +131072$' /tmp/la"
check "the non-paged list is NonPagedPool" has /tmp/la '^    Type           =       0000 NonPagedPool$'
check "each list counted its 2000 allocations and frees" \
	count /tmp/la '^    TotalAllocates = +2000   TotalFrees = +2000$' 2
check "every hit rate is above 90%" \
	awk '/Hit Rate/ { gsub("%", ""); n++; if ($4 < 90 || $8 < 90) bad = 1 } END { exit bad || n != 2 }' /tmp/la
check "rmmod ntlookaside (deletes both lists)" rmmod ntlookaside
cat $D/lookaside > /tmp/la2
check "no list left" sh -c "! grep -q Lookaside /tmp/la2"

dmesg -c > /dev/null
# ntslist parameters on the kernel command line
# (NTPOOL_VM_CMDLINE="ntslist.ops=N") are passed to it.
args=$(tr ' ' '\n' < /proc/cmdline | sed -n 's/^ntslist\.//p')
check "insmod ntslist${args:+ $args} (the SList stress runs before it returns)" \
	insmod /modules/ntslist.ko $args
S=/sys/module/ntslist/parameters
cat $S/stats > /tmp/stats
cat /tmp/stats
val() { sed -n "s/^$1 //p" /tmp/stats; }
cpus=$(grep -c ^processor /proc/cpuinfo)
check "a worker on each of the $cpus CPUs, and the hard-IRQ timer ran" \
	test "$(val workers)" -eq "$cpus" -a "$(val timer_shots)" -ge 2000
check "entries were freed and reallocated while others popped" \
	test "$(val reallocs)" -gt 0 -a "$(val no_memory)" -eq 0
check "no entry handed out twice, none corrupt" \
	test "$(val twice)" -eq 0 -a "$(val corrupt)" -eq 0
check "every entry back on the list once: 16 of 16, all distinct" \
	test "$(val count)" -eq 16 -a "$(val unique)" -eq 16
check "the list's depth is 16" test "$(val depth)" -eq 16
check "its sequence number is the number of pushes" \
	test "$(val sequence_is_pushes)" -eq 1
check "the lookaside list's ListHead: a chain of exactly its depth" \
	test "$(val lookaside_chain)" -eq "$(val lookaside_depth)"
# Its counters are not interlocked, as on NT: under SMP they may lose
# counts, so they are not compared; nor is the depth to Depth, which the
# depth rule moves while the workers run.
check "no report during the stress" \
	sh -c "! dmesg | grep -q 'Arg1: '"
check "rmmod ntslist" rmmod ntslist
check "no leak reported at ntslist's unload (0xC4/0x62)" \
	sh -c "! dmesg | grep -q 'Arg1: 0000000000000062'"
cat $D/tags > /tmp/tags
# Every lookaside entry came back: the list lost none.
check "tags: ntslist's rows back to 0 outstanding" \
	awk '$1 ~ /^NtS[la]$/ && ($5 != 0 || $6 != 0) { print "left:", $0; bad = 1 } END { exit bad }' /tmp/tags

# A client that overwrites a chain it handed over: reported, survived.
echo report > /sys/module/ntpool/parameters/on_violation
dmesg -c > /dev/null
check "insmod ntslist corrupt=1 (an SList and a lookaside chain pointing nowhere)" \
	insmod /modules/ntslist.ko corrupt=1
cat $S/stats > /tmp/stats
dmesg > /tmp/bad
check "the pop of an entry nowhere returned NULL" test "$(val bad_pop_null)" -eq 1
check "the delete left the chain's entries allocated, not followed" \
	test "$(val bad_entries_left)" -eq 1
check "both reported as an access violation (0x1E, c0000005) reading 0xdead000000000000" \
	sh -c "test \$(grep -c 'Arg1: 00000000c0000005' /tmp/bad) -eq 2 &&
	       test \$(grep -c 'Arg4: dead000000000000' /tmp/bad) -eq 2"
check "nothing else reported (no double free)" test "$(grep -c 'Arg1: ' /tmp/bad)" -eq 2
check "rmmod ntslist" rmmod ntslist
check "no leak reported at its unload" sh -c "! dmesg | grep -q 'Arg1: 0000000000000062'"
check "rmmod ntpool" rmmod ntpool
