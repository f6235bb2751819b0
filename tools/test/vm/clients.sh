#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs inside the test VM: client ids never run out.  A driver reloaded
# 300 times under Driver Verifier, leaking a block each time: every unload
# is reported (0xC4/0x62) naming it, also once its leftovers hold every id;
# "release" frees them all.  Then a lookaside list whose Depth the client
# overwrote, and one used after it was deleted: reports, no crash.
# ntpool-vm: timeout=600
. /lib.sh

RELOADS=300

check "insmod ntpool on_violation=report verify_drivers=ntmisuse" \
	insmod /modules/ntpool.ko on_violation=report verify_drivers=ntmisuse

echo "=== $RELOADS leaking reloads"
# Reports stay in the log buffer, off the console: 300 of them are long.
dmesg -n 1
dmesg -c > /dev/null
# Few processes per round (the debug kernel runs each slowly): the log is
# moved to a file every ten rounds (some 20 KB, far from filling the log
# buffer), and the reports are counted at the end.
# Each unload waits for RCU grace periods, some 70 ms each on an idle
# emulated machine: the reloads ask for expedited ones.
echo 1 > /sys/kernel/rcu_expedited
unloads=0 i=0
while [ $i -lt $RELOADS ]; do
	if insmod /modules/ntmisuse.ko lose_pointer=1 && rmmod ntmisuse; then
		unloads=$((unloads + 1))
	fi
	i=$((i + 1))
	[ $((i % 10)) -ne 0 ] || dmesg -c >> /tmp/all
done
dmesg -c >> /tmp/all
echo 0 > /sys/kernel/rcu_expedited
dmesg -n 7
show_splats /tmp/all
reports=$(grep -c 'Arg1: 0000000000000062, A driver has forgotten to free' /tmp/all)
named=$(grep -cE 'Arg2: [0-9a-f]{16}, Name of the driver having the issue \(ntmisuse\)$' /tmp/all)
one_block=$(grep -cE 'Arg4: 0000000000000001, Total # of' /tmp/all)
echo "$unloads loads and unloads; reports $reports, naming ntmisuse $named, of one block $one_block"
check "$RELOADS loads and unloads of ntmisuse" test $unloads -eq $RELOADS
check "each unload reported 0xC4/0x62 naming ntmisuse, one block" \
	test $reports -eq $RELOADS -a $named -eq $RELOADS -a $one_block -eq $RELOADS
check "the leftovers filled the table: later loads shared id 0" \
	has /tmp/all 'client ids all held: ntmisuse shares id 0'
cat $D/verifier > /tmp/v
check "verifier counts $RELOADS leaks at unload" \
	has /tmp/v "DRIVER_VERIFIER_DETECTED_VIOLATION \(c4\) Arg1 0x62: $RELOADS\$"
check "verifier lists ntmisuse $RELOADS times, unloaded" \
	count /tmp/v '^MODULE: 0x[0-9a-f]{16} ntmisuse \(Unloaded\)$' $RELOADS
check "tags: abcd holds $RELOADS blocks" has $D/tags "^abcd Nonp +[0-9]+ +[0-9]+ +$RELOADS "
check "release ntmisuse frees them all" sh -c "echo 'release ntmisuse' > $D/verifier"
check "console: released $RELOADS blocks" \
	sh -c "dmesg | grep -q 'ntpool: released $RELOADS blocks left by ntmisuse'"
check "tags: abcd all freed after release" has $D/tags '^abcd Nonp +[0-9]+ +[0-9]+ +0 +0 '
cat $D/verifier > /tmp/v2
check "verifier no longer lists ntmisuse" lacks /tmp/v2 ntmisuse
dmesg -c > /dev/null
check "loaded again after release, with an id of its own" \
	sh -c "insmod /modules/ntmisuse.ko lose_pointer=1 && rmmod ntmisuse && ! dmesg | grep -q 'shares id 0' && dmesg | grep -q 'Name of the driver having the issue (ntmisuse)'"
check "release ntmisuse again" sh -c "echo 'release ntmisuse' > $D/verifier"

echo "=== lookaside lists the client broke"
dmesg -c > /dev/null
check "insmod ntlookaside depth=65535 use_deleted=1" \
	insmod /modules/ntlookaside.ko depth=65535 use_deleted=1
dmesg > /tmp/la
check "allocating from the deleted list: 0xC4/0xCB, NULL" \
	sh -c "grep -q 'Arg1: 00000000000000cb' /tmp/la && grep -q 'ntlookaside: allocation from the deleted list refused' /tmp/la"
check "Depth 65535 written by the client: 256 cached, 44 back to the pool" \
	has /tmp/la 'ntlookaside: 300 entries freed to a list of Depth 65535: 44 went back to the pool$'
# The depth worker runs once a second.
sleep 2
cat $D/lookaside > /tmp/la2
cat /tmp/la2
check "Depth stays at most 256 after the depth worker ran" \
	awk '/Current Depth/ { n++; if ($4 > 256) bad = 1 } END { exit bad || !n }' /tmp/la2
check "rmmod ntlookaside" rmmod ntlookaside
check "rmmod ntpool" rmmod ntpool
