#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs inside the test VM: lookaside lists from a timer and from process
# context, read back through debugfs "lookaside".
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
check "rmmod ntpool" rmmod ntpool
