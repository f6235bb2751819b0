#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs inside the test VM: debugfs "marks", the blocks allocated since a
# mark and still outstanding, read with cat and with ntpoolmon --marks
# (whose JSON marks.host.py parses), around the nttags client's known
# allocations: 6 of its 10 Tag1 blocks (100 bytes, 128-byte blocks) and its
# 3 Tag2 blocks (5000 bytes, two pages each) stay; its 5 Tag3 blocks are
# freed before it is loaded.
. /lib.sh

# The mark a "marks" copy counts from, and the newest.
asked() { sed -n 's/^Mark \([0-9]*\) (newest [0-9]*): .*/\1/p' "$1"; }
newest() { sed -n 's/^Mark [0-9]* (newest \([0-9]*\)): .*/\1/p' "$1"; }
# "refused TEXT": writing TEXT to marks fails with -EINVAL.
refused() { ! sh -c "echo '$1' > $D/marks" 2>/tmp/err && grep -q 'Invalid argument' /tmp/err; }
title='blocks allocated since, still outstanding$'
header='^Tag  Type        Blocks        Bytes Module           Call site$'
site='nttags +AllocateMany\+0x[0-9a-f]+/0x[0-9a-f]+ \[nttags\]$'
tag1="^Tag1 Nonp +6 +768 $site"
tag2="^Tag2 Paged +3 +24576 $site"

check "insmod ntpool" insmod /modules/ntpool.ko
check "marks is root only, read and write" \
	sh -c "ls -l $D/marks | grep -q '^-rw------- '"
cat $D/marks > /tmp/m0
check "marks: freshly loaded, no mark yet: mark 0, newest 0" \
	has /tmp/m0 "^Mark 0 \(newest 0\): $title"
check "echo mark > marks" sh -c "echo mark > $D/marks"
cat $D/marks > /tmp/m1
cat /tmp/m1
first=$(asked /tmp/m1)
check "marks: the new mark is mark 1, the newest, asked for" \
	test "$first" = 1 -a "$(newest /tmp/m1)" = 1
check "marks: the table's header" has /tmp/m1 "$header"
check "marks: nothing allocated since the mark, no row" \
	test "$(wc -l < /tmp/m1)" -eq 2

check "insmod nttags" insmod /modules/nttags.ko
cat $D/marks > /tmp/m2
cat /tmp/m2
check "marks after nttags: still mark $first, the newest" \
	has /tmp/m2 "^Mark $first \(newest $first\): $title"
check "marks: Tag1 Nonp, 6 blocks (4 of 10 freed), 768 bytes, at AllocateMany" \
	has /tmp/m2 "$tag1"
check "marks: Tag2 Paged, 3 blocks, 24576 bytes (two pages each), at AllocateMany" \
	has /tmp/m2 "$tag2"
check "marks: no Tag3, all freed" lacks /tmp/m2 '^Tag3 '
check "marks: those two rows and nothing else" test "$(wc -l < /tmp/m2)" -eq 4
/ntpoolmon --marks > /tmp/mon2
cat /tmp/mon2
check "ntpoolmon --marks: the title and the two rows, as marks" \
	sh -c "head -1 /tmp/mon2 | grep -qE '^Mark $first \(newest $first\): $title' &&
		grep -qE '^ Tag1 +Nonp +6 +768 $site' /tmp/mon2 &&
		grep -qE '^ Tag2 +Paged +3 +24576 $site' /tmp/mon2 &&
		test \$(wc -l < /tmp/mon2) -eq 4"
check "ntpoolmon --marks -p -p: the paged row only" \
	sh -c "/ntpoolmon --marks -p -p | tail -n +3 | grep -cE '^ Tag2 +Paged ' | grep -qx 1 &&
		test \$(/ntpoolmon --marks -p -p | wc -l) -eq 3"
/ntpoolmon --marks --json > /tmp/marks-nttags.json
to_host marks-nttags /tmp/marks-nttags.json

# A second mark: nttags' blocks were allocated before it.
check "echo mark > marks, again" sh -c "echo mark > $D/marks"
cat $D/marks > /tmp/m3
cat /tmp/m3
second=$(asked /tmp/m3)
check "marks: the second mark is the next number, the newest" \
	test "$second" = $((first + 1)) -a "$(newest /tmp/m3)" = "$second"
check "marks since the second mark: no row" \
	sh -c "grep -qE '$header' /tmp/m3 && test \$(wc -l < /tmp/m3) -eq 2"
/ntpoolmon --marks --json > /tmp/marks-second.json
to_host marks-second /tmp/marks-second.json

# Asking for the first mark again shows nttags' blocks again.
check "echo $first > marks (the first mark)" sh -c "echo $first > $D/marks"
cat $D/marks > /tmp/m4
cat /tmp/m4
check "marks: mark $first asked for, $second the newest" \
	has /tmp/m4 "^Mark $first \(newest $second\): $title"
check "marks since the first mark: Tag1 and Tag2 again, nothing else" \
	sh -c "grep -qE '$tag1' /tmp/m4 && grep -qE '$tag2' /tmp/m4 && test \$(wc -l < /tmp/m4) -eq 4"
/ntpoolmon --marks --json > /tmp/marks-first.json
to_host marks-first /tmp/marks-first.json

# Writes that are refused change nothing: the same mark asked for, the
# same newest, the same rows.
for bad in bogus 0 -1 "$((second + 1))" "${first}x" "mark 2"; do
	check "marks refuses '$bad': -EINVAL" refused "$bad"
done
cat $D/marks > /tmp/m5
check "marks: the refused writes changed nothing" cmp -s /tmp/m4 /tmp/m5

# Only the newest mark and the 15 before it can be asked for.  After 16
# more marks (newest: second + 16), the first mark is 17 back.
i=0
while [ $i -lt 16 ]; do echo mark > $D/marks; i=$((i + 1)); done
last=$((second + 16))
check "marks: 16 more marks, the newest is $last" \
	has $D/marks "^Mark $last \(newest $last\): $title"
check "marks refuses the first mark ($first), now 17 back" refused "$first"
check "marks refuses mark $second, 16 back" refused "$second"
check "marks accepts mark $((second + 1)), 15 back" \
	sh -c "echo $((second + 1)) > $D/marks"
check "marks: mark $((second + 1)) asked for, $last the newest" \
	has $D/marks "^Mark $((second + 1)) \(newest $last\): $title"

# nttags' blocks freed: nothing outstanding since the first mark either.
check "rmmod nttags" rmmod nttags
check "echo mark > marks, then asks for mark $last" \
	sh -c "echo mark > $D/marks && echo $last > $D/marks"
cat $D/marks > /tmp/m6
check "marks after nttags unloaded: no row" \
	sh -c "grep -qE '^Mark $last \(newest $((last + 1))\): $title' /tmp/m6 &&
		test \$(wc -l < /tmp/m6) -eq 2"
check "rmmod ntpool" rmmod ntpool

# verifier.rst's worked example: which call site leaks during one
# operation.  The operation is loading ntmisuse lose_pointer=1, which
# forgets its only pointer to a block and frees its other block: no leak
# check runs while it stays loaded, but the marks name the lost block's
# call site.  ntpool reports the leak at unload (0xC4/0x62), hence report.
check "insmod ntpool on_violation=report" \
	insmod /modules/ntpool.ko on_violation=report
check "marks after ntpool reloaded: forgotten, mark 0, newest 0" \
	has $D/marks "^Mark 0 \(newest 0\): $title"
check "echo mark > marks (reloaded)" sh -c "echo mark > $D/marks"
check "insmod ntmisuse lose_pointer=1" \
	insmod /modules/ntmisuse.ko lose_pointer=1
cat $D/marks > /tmp/m7
cat /tmp/m7
/ntpoolmon --marks > /tmp/mon7
cat /tmp/mon7
check "marks: mark 1 again, the first since ntpool was reloaded" \
	has /tmp/m7 "^Mark 1 \(newest 1\): $title"
check "marks: the lost block, abcd Nonp, 1 block of 128 bytes, at AllocateAndLose" \
	has /tmp/m7 '^abcd Nonp +1 +128 ntmisuse +AllocateAndLose\+0x[0-9a-f]+/0x[0-9a-f]+ \[ntmisuse\]$'
check "marks: that row alone (ntmisuse's paged block was freed)" \
	test "$(wc -l < /tmp/m7)" -eq 3
/ntpoolmon --marks --json > /tmp/marks-lost.json
cat /tmp/marks-lost.json
to_host marks-lost /tmp/marks-lost.json
check "rmmod ntmisuse: the leak reported at unload" rmmod ntmisuse
check "console: 0xC4/0x62 names ntmisuse" \
	sh -c "dmesg | grep -q 'Name of the driver having the issue (ntmisuse)'"
check "marks: the leftover stays, its call site still named" \
	has $D/marks '^abcd Nonp +1 +128 ntmisuse +AllocateAndLose\+0x[0-9a-f]+/0x[0-9a-f]+ \[ntmisuse\]$'
check "release ntmisuse" sh -c "echo 'release ntmisuse' > $D/verifier"
cat $D/marks > /tmp/m8
check "marks after release: no row" test "$(wc -l < /tmp/m8)" -eq 2
check "rmmod ntpool (reloaded)" rmmod ntpool
