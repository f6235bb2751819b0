#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Helpers for the steps run inside the test VM (sourced as /lib.sh).
# Each check prints "ok - ..." or "not ok - ...", which the host counts.

D=/sys/kernel/debug/ntpool

# A debug kernel (KASAN, lockdep...) runs several times slower under TCG.
on_debug_kernel() { grep -qw ntpool_vm.debug=1 /proc/cmdline; }

check() {
	desc=$1
	shift
	if "$@"; then echo "ok - $desc"; else echo "not ok - $desc"; fi
}

has() { grep -qE "$2" "$1"; }
# A copy with content (debugfs files report size 0) that lacks a pattern.
lacks() { test -s "$1" && ! grep -qE "$2" "$1"; }
count() { test "$(grep -cE "$2" "$1")" -eq "$3"; }
in_modules() { grep -q "^$1 " /proc/modules; }
used_by() { grep "^$1 " /proc/modules | grep -q "$2"; }

# The VM has no JSON parser: "to_host NAME FILE" prints FILE on the
# console, each line after "NTPOOL-HOST: ", between "NTPOOL-VM: to-host NAME
# begin" and "... end" lines.  vmtest.sh gives a suite's blocks to its host
# checker, tools/test/vm/SUITE.host.py, which parses and checks them.
to_host() {
	echo "NTPOOL-VM: to-host $1 begin"
	sed 's/^/NTPOOL-HOST: /' "$2"
	echo "NTPOOL-VM: to-host $1 end"
}

# A step may keep a long run of expected reports off the console (dmesg -n 1,
# then dmesg -c into a file): the host's console check would not see a
# kernel splat among them.  show_splats FILE prints every line of FILE that
# reads like one (the host's list, /splats) to the console, where the host
# finds it.
show_splats() { grep -aE -f /splats "$1" || true; }

# Between two suites of one boot: unload what the first left loaded
# (clients before the modules they import), undo what a suite that stopped
# half-way may have left set (expedited RCU, unrated /dev/kmsg, a CPU
# offline), put the console's log level back and empty the kernel log,
# whose splats (if the suite kept some off the console) go to the console
# first.
next_suite() {
	for pass in 1 2 3; do
		left=$(cut -d' ' -f1 /proc/modules)
		[ -n "$left" ] || break
		echo "NTPOOL-VM: unloading" $left
		for m in $left; do rmmod "$m" 2>/dev/null; done
	done
	echo 0 > /sys/kernel/rcu_expedited
	echo ratelimit > /proc/sys/kernel/printk_devkmsg
	for cpu in /sys/devices/system/cpu/cpu*/online; do
		[ "$(cat "$cpu")" = 1 ] || echo 1 > "$cpu"
	done
	dmesg -n 7
	dmesg -c > /tmp/suite-log
	show_splats /tmp/suite-log
}

# The host's programs (perf, bpftrace), for a steps file marked
# "ntpool-vm: host-tools": vmtest.sh shares the host's /usr read-only
# (virtio-9p, tag hostusr) and puts the 9p modules in /kmods.  host_tools_up
# mounts it in $H, with the links of a merged /usr, the kernel's file
# systems, /modules and a /tmp of its own; on_host CMD... runs a program
# there, as root; host_tools_down undoes it all.
H=/host
# "mount_9p TAG DIR": the host's directory shared as TAG, read-only.
mount_9p() {
	mount -t 9p -o ro,trans=virtio,version=9p2000.L,cache=loose,msize=262144 \
		"$1" "$2"
}
host_tools_up() {
	for m in $(cat /kmods/order); do
		insmod "/kmods/$m.ko" || return 1
	done
	mkdir -p $H/usr $H/proc $H/sys $H/dev $H/tmp $H/modules
	mount_9p hostusr $H/usr || return 1
	for d in bin sbin lib lib64; do ln -sfn usr/$d $H/$d; done
	mount -t proc proc $H/proc &&
	mount -t sysfs sysfs $H/sys &&
	mount -t tracefs tracefs $H/sys/kernel/tracing &&
	mount -t debugfs debugfs $H/sys/kernel/debug &&
	mount -t devtmpfs devtmpfs $H/dev &&
	mount -t tmpfs tmpfs $H/tmp &&
	mount -o bind /modules $H/modules
}
on_host() { chroot $H /usr/bin/env -i HOME=/tmp PATH=/usr/sbin:/usr/bin "$@"; }
host_tools_down() {
	for m in modules tmp dev sys/kernel/debug sys/kernel/tracing sys proc usr; do
		umount $H/$m 2>/dev/null
	done
	for m in $(sed '1!G;h;$!d' /kmods/order); do rmmod "$m" || return 1; done
}
