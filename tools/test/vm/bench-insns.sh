#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs inside the VM under the insn-count QEMU plugin (make bench): the
# batches whose instructions it counts, then the kernel's and ntpool's
# function symbols, for tools/bench/insns-profile.py (Debian's System.map
# is a stub).
. /lib.sh
check "insmod ntpool (with its benchmark)" insmod /modules/ntpool.ko
check "bench insns" sh -c "echo insns > /sys/kernel/debug/ntpool/bench"
awk '$2 == "t" || $2 == "T" { print "ntpool-ksym: " $0 }' /proc/kallsyms
check "rmmod ntpool" rmmod ntpool
