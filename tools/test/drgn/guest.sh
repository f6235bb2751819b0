#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The drgn test, inside the VM (as /steps.sh; tools/test/drgn-test.sh runs
# it): ntpool with on_violation=panic and sample clients, whose state
# debugfs shows, set up for the scenario the kernel command line names
# (ntpool_dump=c4 or c2).  Then, with ntpool_drgn=dump, the host takes a
# dump of the running guest, the bad driver provokes the scenario's
# bugcheck (c4: 0xC4/0x62, a leak at unload; c2: 0xC2/0x07, a double
# free), and the host dumps the panicked guest.  With ntpool_drgn=kcore,
# the guest runs drgn itself, from the host's /usr (vm/lib.sh:
# host_tools_up), on this very kernel through /proc/kcore: the host's
# directory of -dbg vmlinux files is shared read-only too (9p tag
# ntpooldbg), and the guest sends what each helper printed.
#
# Talks to the host (tools/test/dump-vm.py) on /dev/ttyS1: each debugfs
# file is sent as "FILE NAME", its lines, "EOF NAME".
. /lib.sh

scenario=$(sed -n 's/.*ntpool_dump=\([a-z0-9]*\).*/\1/p' /proc/cmdline)
way=$(sed -n 's/.*ntpool_drgn=\([a-z]*\).*/\1/p' /proc/cmdline)
ko_by=$(sed -n 's/.*ntpool_ko=\([a-z]*\).*/\1/p' /proc/cmdline)
# Open once, for the whole run: a serial port no one holds open drops
# what arrives (the host's "go").
exec 3<> /dev/ttyS1
stty raw -echo <&3

# "send NAME CMD...": CMD's output to the host as file NAME.
send() {
	name=$1
	shift
	{ echo "FILE $name"; "$@"; echo "EOF $name"; } >&3
}

# "ask QUERY FILE": write QUERY to a debugfs file that takes one, and
# read it back.
ask() { echo "$1" > "$D/$2" && cat "$D/$2"; }

# Each view the helpers print, with what to ask: one "NAME COMMAND [ARGS]"
# per line (COMMAND as tools/drgn/ntpool.py takes it), and what debugfs
# shows for it.
capture() {
	prefix=$1
	small=$(ask '* 0' poolfind | sed -n 's/^ \([0-9a-f]\{16\}\) size:.*(Allocated)  Tag1$/\1/p' | sed -n 2p)
	big=$(sed -n 's/^\([0-9a-f]\{16\}\) .* Tag2 Paged .*/\1/p' $D/bigpool | head -n 1)
	# An address inside each block: past the small block's header, and
	# into the big block's second page.
	small=$(printf '%016x' $((0x$small + 0x18)))
	big=$(printf '%016x' $((0x$big + 0x1010)))
	{
		echo "tags tags"
		echo "poolused poolused"
		echo "poolused-tag poolused Tag?"
		echo "verifier verifier"
		echo "verifier-module verifier $verified"
		echo "bigpool bigpool"
		echo "poolfind-0 poolfind * 0"
		echo "poolfind-1 poolfind * 1"
		echo "poolfind-tag2 poolfind Tag2 1"
		echo "pool-small pool $small"
		echo "pool-big pool $big"
		echo "pool-none pool 0000000000001000"
	} > /tmp/queries
	send "$prefix-queries" cat /tmp/queries
	send "$prefix-tags" cat $D/tags
	send "$prefix-poolused" cat $D/poolused
	send "$prefix-verifier" cat $D/verifier
	send "$prefix-bigpool" cat $D/bigpool
	send "$prefix-poolfind-0" ask '* 0' poolfind
	send "$prefix-poolfind-1" ask '* 1' poolfind
	send "$prefix-poolfind-tag2" ask 'Tag2 1' poolfind
	send "$prefix-pool-small" ask "$small" pool
	send "$prefix-pool-big" ask "$big" pool
	send "$prefix-pool-none" ask 0000000000001000 pool
}

# The helpers, in one drgn run from the host's /usr, on /proc/kcore: for
# each query of /tmp/queries, what it printed as the file live-NAME.drgn
# (and live-analyze.drgn), sent to the host; drgn's errors as
# live-drgn.log.
kcore_helpers() {
	rm -rf $H/tmp/drgn
	mkdir -p $H/tmp/drgn
	cp /ntpool.py $H/tmp/ntpool.py
	while read -r name cmd; do
		echo "/tmp/drgn/live-$name.drgn $cmd"
	done < /tmp/queries > $H/tmp/batch
	echo "/tmp/drgn/live-analyze.drgn analyze" >> $H/tmp/batch
	# ntpool_ko=script: ntpool.py places ntpool.ko's debug info itself
	# (drgn-test.sh says when).
	if [ "$ko_by" = script ]; then
		set -- /tmp/ntpool.py --ko /modules/ntpool.ko
	else
		set -- -s /modules/ntpool.ko /tmp/ntpool.py
	fi
	on_host drgn -q --no-default-symbols -k -s "/dbg/vmlinux-$(uname -r)" \
		"$@" --batch < $H/tmp/batch > $H/tmp/drgn.log 2>&1
	rc=$?
	send live-drgn.log cat $H/tmp/drgn.log
	for f in $H/tmp/drgn/*.drgn; do
		[ ! -f "$f" ] || send "${f##*/}" cat "$f"
	done
	return $rc
}

# The host's /usr, and the vmlinux files, mounted in $H/dbg.
kcore_up() {
	host_tools_up && test -x $H/usr/bin/drgn && mkdir -p $H/dbg &&
	mount_9p ntpooldbg $H/dbg && test -r "$H/dbg/vmlinux-$(uname -r)"
}

# ntpool_drgn=kcore: debugfs, then the helpers on /proc/kcore, then
# debugfs again (the state the helpers read is the one debugfs showed only
# if nothing changed meanwhile: the samples are idle).
kcore() {
	check "the host's /usr, with drgn, and the vmlinux with debug info are mounted" kcore_up
	check "/proc/kcore is there" test -r /proc/kcore
	capture live
	echo "NTPOOL-VM: drgn on /proc/kcore"
	check "drgn ran the helpers on /proc/kcore" kcore_helpers
	capture after
	umount $H/dbg
	host_tools_down
}

# vmcoreinfo for the dump (QEMU's -device vmcoreinfo): the fw_cfg driver
# hands it to QEMU.
[ "$way" = kcore ] ||
	check "insmod qemu_fw_cfg (vmcoreinfo for the dump)" insmod /modules/qemu_fw_cfg.ko
# The module verified, whose !verifier 3 is asked for: in c4 the one that
# leaks.
case "$scenario" in
c4) verified=ntmisuse ;;
*) verified=ntsample ;;
esac
check "insmod ntpool on_violation=panic verify_drivers=$verified" \
	insmod /modules/ntpool.ko on_violation=panic verify_drivers=$verified
cat /pooltag.txt > $D/pooltag
check "insmod nttags" insmod /modules/nttags.ko
check "insmod ntsample" insmod /modules/ntsample.ko
[ "$scenario" != c4 ] || check "insmod ntmisuse leak=1" insmod /modules/ntmisuse.ko leak=1

# A report to analyze in the live dump: the policy "report" for once,
# and the bad driver allocating with tag 0 (0xC2/0x9B).
if [ "$scenario" = c2 ]; then
	echo report > $D/on_violation
	check "insmod ntmisuse tag_zero=1 (0xC2/0x9B, reported)" \
		insmod /modules/ntmisuse.ko tag_zero=1
	check "rmmod ntmisuse" rmmod ntmisuse
	echo panic > $D/on_violation
fi

if [ "$way" = kcore ]; then
	kcore
	exit 0
fi

capture live
echo "NTPOOL-VM: live dump"
echo "DUMP live" >&3
read -r go <&3
check "the host took the live dump" test "$go" = go

capture panic
echo "PANIC panic" >&3
case "$scenario" in
c4)
	echo "NTPOOL-VM: rmmod ntmisuse: 0xC4/0x62 and a panic"
	rmmod ntmisuse
	;;
c2)
	echo "NTPOOL-VM: insmod ntmisuse double_free=1: 0xC2/0x07 and a panic"
	insmod /modules/ntmisuse.ko double_free=1
	;;
esac
echo "not ok - the kernel did not panic"
