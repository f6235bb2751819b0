#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs inside the VM: the benchmark (NTPOOL_BENCH_MODE: run or smoke).
. /lib.sh
mode=$(sed -n 's/.*ntpool_bench=\([a-z]*\).*/\1/p' /proc/cmdline)
check "insmod ntpool (with its benchmark)" insmod /modules/ntpool.ko
check "bench $mode" sh -c "echo ${mode:-smoke} > /sys/kernel/debug/ntpool/bench"
check "rmmod ntpool" rmmod ntpool
