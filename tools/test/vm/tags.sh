#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs inside the test VM: the nttags client's known allocations, read back
# through every debugfs view and through ntpoolmon.
. /lib.sh

check "insmod ntpool" insmod /modules/ntpool.ko
check "debugfs files are root only" \
	sh -c "test \$(ls -l $D | grep -E ' (tags|sites|poolused|bigpool)$' | grep -c '^-r--------') -eq 4 && test \$(ls -l $D | grep -E ' (pool|poolfind|pooltag)$' | grep -c '^-rw-------') -eq 3"
check "pooltag accepts tools/pooltag.txt" sh -c "cat /pooltag.txt > $D/pooltag"
check "pooltag refuses a malformed line" sh -c "! echo 'Bad1 - two fields' > $D/pooltag 2>/dev/null"
check "pooltag shows what was loaded" has $D/pooltag '^Tag1 - nttags.ko +- nttags sample, small non-paged blocks$'

# A pooltag.txt the size of Windows' (hundreds of KB), which cat writes in
# pieces that end mid-line: 6000 entries, A000 to F999.
awk 'BEGIN { for (i = 0; i < 6000; i++)
	printf "%c%03d - gen%d.sys - generated entry %d, long enough that the file takes several pages\n",
		65 + int(i / 1000), i % 1000, i % 7, i }' > /tmp/big.txt
check "pooltag: the big file is hundreds of KB" test "$(wc -c < /tmp/big.txt)" -gt 400000
check "pooltag accepts the big file written with cat" sh -c "cat /tmp/big.txt > $D/pooltag"
cat $D/pooltag > /tmp/pt1
check "pooltag: all 6000 entries and tools/pooltag.txt's are loaded" \
	test "$(grep -c . /tmp/pt1)" -eq "$((6000 + $(grep -v '^rem' /pooltag.txt | grep -c ' - ')))"
check "pooltag: an entry from the middle of the file reads back" \
	has /tmp/pt1 '^C123 - gen2.sys +- generated entry 2123, long enough that the file takes several pages$'
check "pooltag: lines split across 7-byte writes load the same" \
	sh -c "dd if=/tmp/big.txt of=$D/pooltag bs=7 2>/dev/null && cat $D/pooltag | cmp -s - /tmp/pt1"
printf 'Zz01 - z.sys - a good line\nnot a pooltag line\n' > /tmp/bad.txt
check "pooltag refuses a load with a malformed line: -EINVAL" \
	sh -c "! dd if=/tmp/bad.txt of=$D/pooltag 2>/tmp/err && grep -q 'Invalid argument' /tmp/err"
check "pooltag: the refused load changed nothing" sh -c "cat $D/pooltag | cmp -s - /tmp/pt1"
check "insmod nttags" insmod /modules/nttags.ko
dmesg > /tmp/dmesg
tag1=$(sed -n 's/.*nttags: Tag1 block at \([0-9a-f]*\),.*/\1/p' /tmp/dmesg)
tag2=$(sed -n 's/.*Tag2 block at \([0-9a-f]*\)$/\1/p' /tmp/dmesg)
check "nttags printed its block addresses" test -n "$tag1" -a -n "$tag2"

cat $D/tags > /tmp/tags
cat /tmp/tags
check "tags: Tag1 Nonp 10 allocs, 4 frees, 6 live, 768 bytes, 128 per alloc, owner nttags" \
	has /tmp/tags '^Tag1 Nonp +10 +4 +6 +768 +128 +[0-9]+ +0 nttags \[nttags.ko - nttags sample, small non-paged blocks\]$'
check "tags: Tag2 Paged 3 allocs, 3 live, 24576 bytes (whole pages)" \
	has /tmp/tags '^Tag2 Paged +3 +0 +3 +24576 +8192 +[0-9]+ +0 nttags '
check "tags: Tag3 Paged 5 allocs, 5 frees, nothing live" \
	has /tmp/tags '^Tag3 Paged +5 +5 +0 +0 +0 +[0-9]+ +0 nttags '
check "tags: no Nonp row for Tag2" lacks /tmp/tags '^Tag2 Nonp' 

cat $D/poolused > /tmp/poolused
check "poolused: Tag1 6 non-paged allocations, 768 bytes" \
	has /tmp/poolused '^ Tag1 +6 +768 +0 +0	nttags sample, small non-paged blocks, Binary : nttags.ko$'
check "poolused: Tag2 3 paged allocations, 24576 bytes" \
	has /tmp/poolused '^ Tag2 +0 +0 +3 +24576	'
check "poolused: no row for Tag3, nothing is live" lacks /tmp/poolused '^ Tag3' 
check "poolused: a TOTAL row" has /tmp/poolused '^ TOTAL +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+$'

cat $D/bigpool > /tmp/bigpool
cat /tmp/bigpool
check "bigpool: the three Tag2 blocks, 5000 bytes, 2 pages, owner and caller" \
	count /tmp/bigpool '^[0-9a-f]{16} +5000 +2 Tag2 Paged nttags +AllocateMany\+0x[0-9a-f]+/0x[0-9a-f]+ \[nttags\]$' 3
check "bigpool: the printed Tag2 block is listed" has /tmp/bigpool "^0*$tag2 "

check "pool refuses an address that does not parse" sh -c "! echo zz > $D/pool 2>/dev/null"
echo "$tag1" > $D/pool
cat $D/pool > /tmp/pool
cat /tmp/pool
check "pool: the page of the Tag1 block, in non-paged pool" \
	has /tmp/pool "^Pool page 0*$tag1 region is Nonpaged pool$"
check "pool: the whole page walked, one starred block" count /tmp/pool '^\*' 1
check "pool: the starred block is the Tag1 block" \
	has /tmp/pool '^\*[0-9a-f]{16} size:   80 previous size: +[0-9a-f]+  \(Allocated\) \*Tag1$'
# The starred block's header is 16 bytes before the block nttags printed:
# its own address, not a pointer into it.
star=$(sed -n 's/^\*\([0-9a-f]*\) size:.*/\1/p' /tmp/pool | tail -c 9)
check "pool: nttags printed the Tag1 block's own address, just after its header" \
	sh -c "test -n '$star' && test \$((0x\$(echo $tag1 | tail -c 9) - 0x$star)) -eq 16"
check "pool: its pooltag line names the description and nttags" \
	has /tmp/pool '^		Pooltag Tag1 : nttags sample, small non-paged blocks, Binary : nttags$'
check "pool: the walk covers the page (ends with a block)" \
	has /tmp/pool '^ [0-9a-f]{16} size: +[0-9a-f]+ previous size:'
echo "$tag2" > $D/pool
check "pool: a big block shows its entry" \
	has $D/pool "^\*0*$tag2 : large page allocation, tag is Tag2, size is 0x2000 bytes$"
for addr in ffffffffff000000 1000; do
	echo $addr > $D/pool
	check "pool: $addr, not ntpool's, gets one line" \
		sh -c "test \$(wc -l < $D/pool) -eq 1 && grep -q 'is not in a pool page ntpool owns' $D/pool"
done

check "poolfind refuses a bad pool type" sh -c "! echo 'Tag1 7' > $D/poolfind 2>/dev/null"
echo "Tag1" > $D/poolfind
cat $D/poolfind > /tmp/find1
check "poolfind Tag1: the six live blocks, non-paged" \
	count /tmp/find1 '^ [0-9a-f]{16} size:   80 previous size: +[0-9a-f]+  \(Allocated\)  Tag1$' 6
echo "Tag?" > $D/poolfind
cat $D/poolfind > /tmp/find3
check "poolfind 'Tag?' (non-paged, the default): the six small Tag1 blocks" \
	count /tmp/find3 '^ [0-9a-f]{16} size:   80 previous size: +[0-9a-f]+  \(Allocated\)  Tag1$' 6
check "poolfind 'Tag?': no paged Tag2 block in non-paged pool" lacks /tmp/find3 Tag2
echo "Tag? 1" > $D/poolfind
cat $D/poolfind > /tmp/find2
check "poolfind 'Tag? 1': the big Tag2 blocks, table first" \
	sh -c "head -1 /tmp/find2 | grep -q '^Scanning large pool allocation table for Tag: Tag?$' && test \$(grep -c 'large page allocation, tag is Tag2' /tmp/find2) -eq 3"
check "poolfind 'Tag? 1': no freed Tag3 block" lacks /tmp/find2 Tag3
echo "0x31676154 0" > $D/poolfind
check "poolfind by value finds Tag1" count $D/poolfind '\(Allocated\)  Tag1$' 6

/ntpoolmon --once -i 'Tag*' > /tmp/mon
cat /tmp/mon
check "ntpoolmon --once shows Tag1 as tags does" \
	has /tmp/mon '^ Tag1 Nonp +10 +4 +6 +768 +128  nttags '
check "ntpoolmon --once shows Tag2 as tags does" \
	has /tmp/mon '^ Tag2 Paged +3 +0 +3 +24576 +8192  nttags '
check "ntpoolmon --once -s b puts Tag2 first" \
	sh -c "/ntpoolmon --once -s b -i 'Tag*' | sed -n 2p | grep -q '^ Tag2 '"
/ntpoolmon --json -i Tag1 > /tmp/json
cat /tmp/json
check "ntpoolmon --json shows Tag1 as tags does" \
	has /tmp/json '"tag": "Tag1", "type": "Nonp", "allocs": 10, "frees": 4, "diff": 6, "bytes": 768, "per_alloc": 128'
to_host tags-nttags /tmp/json

# sites: nttags allocates under its three tags at one call site, in
# AllocateMany, which each row names (T: the call site uses more than one
# tag).  Peak Bytes is the highest total seen when a CPU's share was folded
# or a reader summed (debugfs.rst): the host checker (tags.host.py) checks
# that it is between Bytes and the most the site held.
site='nttags +AllocateMany\+0x[0-9a-f]+/0x[0-9a-f]+ \[nttags\]$'
cat $D/sites > /tmp/sites
cat /tmp/sites
check "sites: a header with poolmon's counts, Peak Bytes, Flags, Module, Call site" \
	has /tmp/sites '^Tag  Type +Allocs +Frees +Diff +Bytes +Peak Bytes Flags Module +Call site$'
check "sites: Tag1 Nonp 10 allocs, 4 frees, 6 live, 768 bytes, T, at AllocateMany" \
	has /tmp/sites "^Tag1 Nonp +10 +4 +6 +768 +[0-9]+ T +$site"
check "sites: Tag2 Paged 3 allocs, 3 live, 24576 bytes, peak 24576, T, at AllocateMany" \
	has /tmp/sites "^Tag2 Paged +3 +0 +3 +24576 +24576 T +$site"
check "sites: Tag3 Paged 5 allocs, 5 frees, nothing live, T, at AllocateMany" \
	has /tmp/sites "^Tag3 Paged +5 +5 +0 +0 +[0-9]+ T +$site"
check "sites: one row for each of nttags' tags" count /tmp/sites '^Tag[1-3] ' 3
check "sites: nttags' rows name one call site" \
	sh -c "test \$(grep '^Tag[1-3] ' /tmp/sites | sed 's/.* nttags  *//' | sort -u | wc -l) -eq 1"
/ntpoolmon --sites -i 'Tag*' > /tmp/monsites
cat /tmp/monsites
check "ntpoolmon --sites shows Tag1 as sites does" \
	has /tmp/monsites "^ Tag1 Nonp +10 +4 +6 +768 +[0-9]+ T +$site"
/ntpoolmon --sites --json -i 'Tag*' > /tmp/sites.json
to_host sites-nttags /tmp/sites.json

check "rmmod nttags" rmmod nttags
cat $D/tags > /tmp/tags2
check "tags after unload: Tag1 all freed" has /tmp/tags2 '^Tag1 Nonp +10 +10 +0 +0 +0 '
check "tags after unload: Tag2 all freed" has /tmp/tags2 '^Tag2 Paged +3 +3 +0 +0 +0 '
# The sites stay, with what they counted; the call site keeps its name
# (taken at unload), though nttags' code is gone.
cat $D/sites > /tmp/sites2
check "sites after unload: Tag1 all freed, AllocateMany still named" \
	has /tmp/sites2 "^Tag1 Nonp +10 +10 +0 +0 +[0-9]+ T +$site"
check "sites after unload: Tag2 all freed, peak kept, AllocateMany still named" \
	has /tmp/sites2 "^Tag2 Paged +3 +3 +0 +0 +24576 T +$site"
check "sites after unload: Tag3 as before" \
	has /tmp/sites2 "^Tag3 Paged +5 +5 +0 +0 +[0-9]+ T +$site"
/ntpoolmon --sites --json -i 'Tag*' > /tmp/sites2.json
to_host sites-unloaded /tmp/sites2.json
# New tags where nothing may sleep: from a hard-interrupt hrtimer and with
# interrupts off, with Pool Tracking on (each block tracked and untracked
# there too).  On 6.1 this once warned (softirqs enabled in hard IRQ).
check "verify nttags" sh -c "echo nttags > $D/verify_drivers"
check "insmod nttags irq_tags=40" insmod /modules/nttags.ko irq_tags=40
check "nttags: 40 rounds without sleeping, none failed" \
	sh -c "dmesg | grep -q 'nttags: 40 rounds of new tags without sleeping, 0 failed'"
cat $D/tags > /tmp/tags3
check "tags: 40 rows made in the hard-IRQ timer, each 1 alloc and 1 free" \
	count /tmp/tags3 '^Iq[0-9]{2} Nonp +1 +1 +0 +0 ' 40
check "tags: 40 rows made with interrupts off, each 1 alloc and 1 free" \
	count /tmp/tags3 '^Ix[0-9]{2} Nonp +1 +1 +0 +0 ' 40
check "tags: IxLv, 40 allocated with interrupts off and freed in the timer" \
	has /tmp/tags3 '^IxLv Nonp +40 +40 +0 +0 '
# The 40 Iq tags come from one call site, in the timer: each row is
# flagged T.
cat $D/sites > /tmp/sites3
check "sites: 40 Iq rows, 1 alloc, 1 free, T, at IrqTimer" \
	count /tmp/sites3 '^Iq[0-9]{2} Nonp +1 +1 +0 +0 +[0-9]+ T +nttags +IrqTimer\+0x[0-9a-f]+/0x[0-9a-f]+ \[nttags\]$' 40
check "sites: the Iq rows name one call site" \
	sh -c "test \$(grep '^Iq' /tmp/sites3 | sed 's/.* nttags  *//' | sort -u | wc -l) -eq 1"
/ntpoolmon --sites --json -i 'Iq*' > /tmp/sites3.json
to_host sites-irq /tmp/sites3.json
check "rmmod nttags (irq_tags)" rmmod nttags
check "verify no module" sh -c "echo none > $D/verify_drivers"

# ntwriter's tag, written '1BrW' in C, shows as the docs, tools/pooltag.txt
# and ntpoolmon.rst's example write it: WrB1, with its description.
check "insmod ntwriter writes=30" insmod /modules/ntwriter.ko writes=30
cat $D/tags > /tmp/tags4
grep "^WrB1 " /tmp/tags4
check "tags: ntwriter's '1BrW' shows as WrB1, described by tools/pooltag.txt" \
	has /tmp/tags4 '^WrB1 Paged +30 +30 +0 +0 +0 +[0-9]+ +0 ntwriter \[ntwriter.ko - ntwriter sample, staged write buffers\]$'
check "tags: no row 1BrW" lacks /tmp/tags4 '^1BrW '
check "pooltag: the WrB1 entry" \
	has $D/pooltag '^WrB1 - ntwriter.ko +- ntwriter sample, staged write buffers$'
check "ntpoolmon --once -i 'WrB*' (ntpoolmon.rst's example) shows WrB1 described" \
	sh -c "/ntpoolmon --once -i 'WrB*' | grep -qE '^ WrB1 Paged +30 +30 +0 +0 +0  ntwriter \[ntwriter.ko - ntwriter sample, staged write buffers\]$'"
check "rmmod ntwriter" rmmod ntwriter
check "tags: every row nttags and ntwriter made has a tools/pooltag.txt description" \
	sh -c "grep -E '^(Tag[1-3]|Iq[0-9]{2}|Ix[0-9]{2}|IxLv|WrB1) ' /tmp/tags4 > /tmp/ours && test \$(grep -c . /tmp/ours) -eq 85 && ! grep -v '\[nt[a-z]*\.ko - ' /tmp/ours"

# A tag two modules use: ntsample and ntmisuse (asked for no misuse) both
# allocate under 'dcba' (abcd), each at a call site of its own that uses no
# other tag: flagged M, not T.
check "insmod ntsample" insmod /modules/ntsample.ko
check "insmod ntmisuse, no misuse asked for" insmod /modules/ntmisuse.ko
cat $D/sites > /tmp/sites5
grep '^abcd ' /tmp/sites5
check "sites: two abcd rows" count /tmp/sites5 '^abcd ' 2
check "sites: abcd at ntsample's DriverEntry, its registry path live, M" \
	has /tmp/sites5 '^abcd Paged +1 +0 +1 +[0-9]+ +[0-9]+ M +ntsample +DriverEntry\+0x[0-9a-f]+/0x[0-9a-f]+ \[ntsample\]$'
check "sites: abcd in ntmisuse, allocated and freed, M" \
	has /tmp/sites5 '^abcd Paged +1 +1 +0 +0 +[0-9]+ M +ntmisuse +[A-Za-z_]+\+0x[0-9a-f]+/0x[0-9a-f]+ \[ntmisuse\]$'
/ntpoolmon --sites --json -i abcd > /tmp/sites5.json
to_host sites-shared /tmp/sites5.json
check "rmmod ntmisuse" rmmod ntmisuse
check "rmmod ntsample" rmmod ntsample
check "rmmod ntpool" rmmod ntpool
