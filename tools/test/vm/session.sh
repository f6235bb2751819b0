#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make vm, inside the VM (as /steps.sh): load ntpool, then the developer's
# modules in their order, then run their script or give them a shell.
# /session.conf (written by tools/test/vm.sh) sets:
#   mode     shell, run (/run.sh) or show (the tags, for a stdin that is
#            not a terminal)
#   modules  the .ko files in /modules/ to load after ntpool, in order
#   params   ntpool's module parameters
. /session.conf

D=/sys/kernel/debug/ntpool
export PATH=/bin:/ PS1='ntpool-vm:$PWD# '
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
# The kernel booted quiet: from here on every message reaches the console.
dmesg -n 8

# The KVM probe only needs to get this far.
case " $(cat /proc/cmdline) " in *" ntpool_vm_probe "*) exit 0 ;; esac

echo "NTPOOL-VM: insmod ntpool.ko $params"
# shellcheck disable=SC2086 # params are words
insmod /modules/ntpool.ko $params || echo "NTPOOL-VM: insmod ntpool.ko failed"
[ -d $D ] && cat /pooltag.txt > $D/pooltag
for m in $modules; do
	echo "NTPOOL-VM: insmod $m"
	insmod "/modules/$m" || echo "NTPOOL-VM: insmod $m failed"
done

# The result for the host, on the second serial port (a file there):
# nothing else writes to it, unlike the console, where kernel messages can
# cut into a line.
result() { [ -c /dev/ttyS1 ] && echo "$1" > /dev/ttyS1; }

case "$mode" in
run)
	echo "NTPOOL-VM: running the RUN script"
	sh /run.sh
	rc=$?
	echo "NTPOOL-VM: the RUN script exited with $rc"
	result "rc=$rc"
	;;
show)
	echo "NTPOOL-VM: lsmod; cat $D/tags"
	lsmod
	cat $D/tags
	result "rc=0"
	;;
shell)
	cat <<EOF

ntpool VM, Debian's kernel $(uname -r): ntpool and your modules are loaded
  (/modules/*.ko; ntpool's parameters: ${params:-none}).
  cat $D/tags, ntpoolmon, dmesg; pooltag.txt is loaded from /pooltag.txt
  To quit: exit (or Ctrl-D, or poweroff -f); Ctrl-A X quits QEMU at once.

EOF
	# A shell with the console as its controlling terminal (Ctrl-C works).
	setsid cttyhack sh
	;;
esac
