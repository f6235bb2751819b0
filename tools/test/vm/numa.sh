#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# ntpool-vm: numa
# Runs inside a VM with three NUMA nodes (see vmtest.sh): node 0 with a CPU
# and memory, node 1 with a CPU and no memory, node 2 with memory only.
# ExAllocatePool3's NumaNode parameter places blocks on the node asked for,
# falls back only with MM_ANY_NODE_OK, and is refused for paged pool.
. /lib.sh

# Load ntnuma with these parameters; its line is then in /tmp/last.
numa() {
	insmod /modules/ntnuma.ko "$@" && rmmod ntnuma &&
		dmesg | grep 'ntnuma: ' | tail -n 1 > /tmp/last
}

check "the VM has nodes 0, 1 and 2" \
	sh -c "test -d /sys/devices/system/node/node1 && test -d /sys/devices/system/node/node2"
check "node 1 has no memory" \
	sh -c "grep -q 'Node 1 MemTotal: *0 kB' /sys/devices/system/node/node1/meminfo"
check "insmod ntpool" insmod /modules/ntpool.ko on_violation=report

check "node=2: runs" numa node=2 count=16
cat /tmp/last
check "node=2: all 16 blocks on node 2" \
	has /tmp/last 'ntnuma: node 2: 16 of 16 blocks; on node 0: 0, 1: 0, 2: 16'
check "node=0 size=5000: runs" numa node=0 count=16 size=5000
cat /tmp/last
check "node=0: all 16 big blocks on node 0" \
	has /tmp/last 'ntnuma: node 0: 16 of 16 blocks; on node 0: 16, 1: 0, 2: 0'
check "node=1 (no memory), strict: runs" numa node=1 count=4
cat /tmp/last
check "node=1 strict: every request fails" \
	has /tmp/last 'ntnuma: node 1: 0 of 4 blocks'
check "node=1 any=1: runs" numa node=1 any=1 count=4
cat /tmp/last
check "node=1 with MM_ANY_NODE_OK: served from a node with memory" \
	has /tmp/last 'ntnuma: node 1 or any: 4 of 4 blocks; on node 0: [0-9]+, 1: 0, 2: [0-9]+'
check "node=5 (not online), strict: fails" \
	sh -c "insmod /modules/ntnuma.ko node=5 count=2 && rmmod ntnuma && dmesg | grep -q 'ntnuma: node 5: 0 of 2 blocks'"
check "node=5 with MM_ANY_NODE_OK: served" \
	sh -c "insmod /modules/ntnuma.ko node=5 any=1 count=2 && rmmod ntnuma && dmesg | grep -q 'ntnuma: node 5 or any: 2 of 2 blocks'"
check "paged pool with a NumaNode parameter: refused" \
	sh -c "insmod /modules/ntnuma.ko node=2 paged=1 count=2 && rmmod ntnuma && dmesg | grep -q 'ntnuma: node 2 (paged): 0 of 2 blocks'"
check "tags: every Numa block was freed" has $D/tags '^Numa Nonp +([0-9]+) +\1 +0 '

check "rmmod ntpool" rmmod ntpool
