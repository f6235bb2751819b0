#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs inside the test VM (busybox): load ntpool and the sample client,
# unload both.  Prints "ok - ..." / "not ok - ..." lines the host counts.
. /lib.sh

check "insmod ntpool" insmod /modules/ntpool.ko
check "ntpool is loaded" in_modules ntpool
check "insmod ntwriter, a client built only against <ntpool/ntpool.h>" \
	insmod /modules/ntwriter.ko writes=500
check "ntwriter is loaded next to ntpool" in_modules ntwriter
check "ntwriter imports ntpool's symbols" used_by ntpool ntwriter
check "rmmod ntpool is refused while a client imports it" \
	sh -c '! rmmod ntpool 2>/dev/null'
check "rmmod ntwriter" rmmod ntwriter
check "rmmod ntpool" rmmod ntpool
check "ntpool is unloaded" sh -c '! in_modules ntpool 2>/dev/null && ! grep -q "^ntpool " /proc/modules'

# Misuse, in report mode: reported, refused, and the pool stays usable.
check "insmod ntpool on_violation=report" \
	insmod /modules/ntpool.ko on_violation=report
check "insmod ntmisuse with every misuse" \
	insmod /modules/ntmisuse.ko double_free=1 wrong_tag=1 overrun=1 \
	paged_in_spinlock=1 zero_size=1 bad_pointer=1 tag_zero=1
check "insmod ntwriter after the misuse" insmod /modules/ntwriter.ko writes=50
check "rmmod ntwriter ntmisuse" rmmod ntwriter ntmisuse
check "rmmod ntpool after the misuse" rmmod ntpool
