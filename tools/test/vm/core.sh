#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs inside the test VM (busybox): load ntpool and the sample client,
# unload both.  Prints "ok - ..." / "not ok - ..." lines the host counts.

check() {
	desc=$1
	shift
	if "$@"; then echo "ok - $desc"; else echo "not ok - $desc"; fi
}

in_modules() { grep -q "^$1 " /proc/modules; }
used_by() { grep "^$1 " /proc/modules | grep -q "$2"; }

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
