#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: ntpool against the kernel's allocators, in UML (native speed,
# one CPU) and in the QEMU VM with Debian's 6.12 kernel (two CPUs, TCG).
# Prints both tables and writes .out/bench-uml.csv and .out/bench-vm.csv;
# then counts guest instructions per pair (.out/bench-insns.csv).
#

. "$(dirname "$0")/../test/lib.sh"

need_pkgs $PKGS_BUILD $PKGS_KUNIT $PKGS_KERNELS $PKGS_VM

# UML: the ntpool_bench KUnit suite, in a kernel without debugging options.
ver=$(dpkg-query -W -f='${Version}' linux-source-6.12)
uml_log="$NTPOOL_OUT/bench-uml.log"
NTPOOL_KUNITCONFIG="$NTPOOL_DIR/tools/bench/.kunitconfig" \
NTPOOL_KUNIT_BUILD="$NTPOOL_CACHE/uml-bench-$ver" \
	"$NTPOOL_DIR/tools/test/kunit.sh" > "$uml_log" 2>&1 || true
echo "== UML (one CPU, native speed)"
grep -a "ntpool-bench: " "$uml_log" | grep -av "ntpool-bench: csv: " |
	sed 's/^.*ntpool-bench: //'
grep -a "ntpool-bench: csv: " "$uml_log" | sed 's/^.*ntpool-bench: csv: //' \
	> "$NTPOOL_OUT/bench-uml.csv"

# VM: two CPUs, the stock kernel.  TCG emulation is slow, so the VM runs
# the short (smoke) sizes; its ratios are what it is for.
NTPOOL_BENCH=y NTPOOL_VM_CMDLINE="ntpool_bench=smoke" \
	"$NTPOOL_DIR/tools/test/vmtest.sh" 6.12 bench.sh > "$NTPOOL_OUT/bench-vm.log" 2>&1 || true
krel=$(kernel_release 6.12)
console="$NTPOOL_OUT/console-$krel-bench.log"
echo "== QEMU VM, $krel (two CPUs, TCG: ratios, not absolute times)"
tr -d '\r' < "$console" | grep -a "ntpool-bench: " | grep -av "ntpool-bench: csv: " |
	sed 's/^.*ntpool-bench: //'
tr -d '\r' < "$console" | grep -a "ntpool-bench: csv: " |
	sed 's/^.*ntpool-bench: csv: //' > "$NTPOOL_OUT/bench-vm.csv"

# VM again with four CPUs, for the scaling lines at 4 CPUs (TCG runs a host
# thread per vCPU: on a two-core host they share the cores, which the
# kmalloc baseline measured beside them shares too).
NTPOOL_BENCH=y NTPOOL_VM_SMP=4 NTPOOL_VM_CMDLINE="ntpool_bench=smoke" \
	"$NTPOOL_DIR/tools/test/vmtest.sh" 6.12 bench.sh > "$NTPOOL_OUT/bench-vm4.log" 2>&1 || true
echo "== QEMU VM, $krel, four CPUs: scaling"
tr -d '\r' < "$console" | grep -a "ntpool-bench: scaling" | sed 's/^.*ntpool-bench: //'
tr -d '\r' < "$console" | grep -a "ntpool-bench: csv: scaling" |
	sed 's/^.*ntpool-bench: csv: //' > "$NTPOOL_OUT/bench-vm4.csv"

# VM a third time, under the insn-count plugin (TCG only): guest
# instructions per pair, which move neither with the host's load nor with
# TCG's speed, and the functions they were counted in.
"$NTPOOL_DIR/tools/bench/insns.sh" > "$NTPOOL_OUT/bench-insns.log" 2>&1 || true
console="$NTPOOL_OUT/console-$krel-bench-insns.log"
echo "== QEMU VM, $krel: guest instructions per alloc+free pair (insn-count plugin)"
tr -d '\r' < "$console" | "$NTPOOL_DIR/tools/bench/insns-table.awk" \
	> "$NTPOOL_OUT/bench-insns.csv"
sed 's/^/  /' "$NTPOOL_OUT/bench-insns.csv"
"$NTPOOL_DIR/tools/bench/insns-profile.py" "$console" 40 > "$NTPOOL_OUT/bench-insns-profile.txt"
echo "(where they go, function by function: $NTPOOL_OUT/bench-insns-profile.txt)"
echo "CSV: $NTPOOL_OUT/bench-uml.csv $NTPOOL_OUT/bench-vm.csv $NTPOOL_OUT/bench-vm4.csv $NTPOOL_OUT/bench-insns.csv"
test -s "$NTPOOL_OUT/bench-uml.csv" && test -s "$NTPOOL_OUT/bench-vm.csv"
