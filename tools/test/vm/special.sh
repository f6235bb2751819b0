#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# ntpool-vm: allow-oops
# Runs inside the test VM: special pool.  A clean use, then an overrun, an
# underrun and a use after free, each from a thread of its own that the
# fault kills; the console must name the NT bugcheck of each fault.
. /lib.sh

check "insmod ntpool on_violation=report" insmod /modules/ntpool.ko on_violation=report
check "special_pool refuses what does not parse" sh -c "! echo '0x18' > $D/special_pool 2>/dev/null"
check "special_pool: none by default" grep -q '^none$' $D/special_pool
check "insmod ntspecial (no fault)" insmod /modules/ntspecial.ko
check "verifier counts the special pool allocation" \
	grep -qE '^  Pool Allocations Succeeded SpecialPool +0x1$' $D/verifier
check "rmmod ntspecial" rmmod ntspecial
for f in overrun underrun use_after_free; do
	check "insmod ntspecial fault=$f" insmod /modules/ntspecial.ko fault=$f
	sleep 1
	check "rmmod ntspecial after $f" sh -c "rmmod ntspecial 2>/dev/null || true"
done
echo "special done"
