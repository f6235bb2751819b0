#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The demo, inside the VM: what a developer porting a Windows driver sees.

say() { echo; echo "### $*"; }

say "insmod ntpool.ko on_violation=report"
insmod /modules/ntpool.ko on_violation=report
sleep 0.2

say "insmod ntwriter.ko: a Windows-style driver staging writes in ExAllocatePool2(POOL_FLAG_PAGED, 1..10000, 'WrB1') buffers"
insmod /modules/ntwriter.ko writes=2000
sleep 0.2
grep -E '^(ntpool|ntwriter) ' /proc/modules

say "insmod ntmisuse.ko: the classic pool bugs, each reported as NT bugchecks them"
insmod /modules/ntmisuse.ko
sleep 0.2

say "rmmod the clients, then ntpool (every page goes back)"
rmmod ntmisuse ntwriter
rmmod ntpool
sleep 0.2
