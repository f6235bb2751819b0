#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot a stock Debian kernel in QEMU with a busybox initramfs, load ntpool
# and its sample clients, and check the console.
#
#   vmtest.sh [SERIES] [STEPS]   SERIES 6.12 (default), 6.1, or kmemleak
#                                (a kernel built with kmemleak, see lib.sh);
#                                STEPS a script of tools/test/vm/ (core.sh)
#
# Prints "ok - ..." / "not ok - ..." lines and, last, "N passed, N failed".

. "$(dirname "$0")/lib.sh"

series=${1:-6.12}
steps=${2:-core.sh}

need_pkgs $PKGS_BUILD $PKGS_KERNELS $PKGS_VM $PKGS_TOOLS
[ "$series" != kmemleak ] || need_pkgs $PKGS_KUNIT
krel=$(kernel_release "$series")
# NTPOOL_VM_MODULES names a directory of ready modules to test instead
# (the DKMS test's); otherwise ntpool and the samples are built here.
build=${NTPOOL_VM_MODULES:-$(build_for "$krel")}
make -s -C "$NTPOOL_DIR/tools/ntpoolmon" >&2
log "testing on $krel"

# Build the initramfs: busybox, the modules, the steps.
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,proc,sys,dev,modules}
cp /bin/busybox "$root/bin/busybox"
cp "$NTPOOL_DIR/tools/test/vm/init" "$root/init"
cp "$NTPOOL_DIR/tools/test/vm/$steps" "$root/steps.sh"
cp "$NTPOOL_DIR/tools/test/vm/lib.sh" "$root/lib.sh"
chmod +x "$root/init"
find "$build" -name '*.ko' -exec cp {} "$root/modules/" \;
cp "$NTPOOL_DIR/tools/ntpoolmon/ntpoolmon" "$NTPOOL_DIR/tools/pooltag.txt" "$root/"
initrd="$NTPOOL_OUT/initrd-$krel.cpio.gz"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) > "$initrd"

# A steps file marked "ntpool-vm: allow-oops" provokes oopses on purpose:
# the kernel must not panic on them, and the console check below is its own
# .expect file instead of "no BUG/WARN/Oops".
allow_oops=
grep -q "ntpool-vm: allow-oops" "$NTPOOL_DIR/tools/test/vm/$steps" && allow_oops=1
oops_cmdline="oops=panic"
[ -z "$allow_oops" ] || oops_cmdline=""

# A steps file marked "ntpool-vm: slow" (hundreds of module loads under
# TCG on a busy machine) gets twice the time.
vm_timeout=300
! grep -q "ntpool-vm: slow" "$NTPOOL_DIR/tools/test/vm/$steps" || vm_timeout=600

# A steps file marked "ntpool-vm: numa" runs with three NUMA nodes: node 0
# with CPU 0 and memory, node 1 with CPU 1 and no memory, node 2 with
# memory only (the order Linux numbers them in); one CPU per socket, so
# that no cache is shared across nodes.
machine=(-m 1024 -smp 2)
if grep -q "ntpool-vm: numa" "$NTPOOL_DIR/tools/test/vm/$steps"; then
	machine=(-m 1024 -smp 2,sockets=2,cores=1,threads=1
		-object memory-backend-ram,id=m0,size=512M
		-object memory-backend-ram,id=m2,size=512M
		-numa node,nodeid=0,cpus=0,memdev=m0
		-numa node,nodeid=1,cpus=1
		-numa node,nodeid=2,memdev=m2)
fi

# KVM is tried first, briefly: on some machines it exists but stalls in the
# kernel's decompressor, and TCG is used instead.
console="$NTPOOL_OUT/console-$krel-${steps%.sh}.log"
boot() {
	timeout "$2" qemu-system-x86_64 -accel "$1" "${machine[@]}" \
		-nographic -no-reboot -kernel "$(vmlinuz_for "$krel")" \
		-initrd "$initrd" \
		-append "console=ttyS0 panic=-1 $oops_cmdline loglevel=7 ${NTPOOL_VM_CMDLINE:-}" \
		> "$console" 2>&1 || true
	# Kernel messages can interleave with the marker: look for its start.
	grep -aq "NTPOOL-VM: boot" "$console"
}
# The probe's answer is kept in the cache, so that a machine where KVM
# stalls pays for the probe once.
kvm_state="$NTPOOL_CACHE/kvm-works"
accel=tcg
if [ -w /dev/kvm ] && [ "${NTPOOL_ACCEL:-}" != tcg ] &&
   [ "$(cat "$kvm_state" 2>/dev/null)" != no ]; then
	if boot kvm 20; then
		accel=kvm
		echo yes > "$kvm_state"
	else
		echo no > "$kvm_state"
	fi
fi
if [ "$accel" = tcg ]; then
	# A kernel that dies before /init runs has run none of ntpool: under
	# TCG that happens, rarely (an int3 oops while patching kernel text
	# was seen once); such a boot is tried once more.
	if ! boot tcg "$vm_timeout"; then
		log "the VM died before /init ran; booting it once more"
		cp "$console" "$console.first"
		boot tcg "$vm_timeout" || { cat "$console" >&2; die "VM did not boot"; }
	fi
fi
log "VM ran with $accel; console in $console"

# Results: the steps' own lines, then the console checks.
while IFS= read -r line; do
	case "$line" in
	"ok - "*) result ok "$krel: ${line#ok - }" ;;
	"not ok - "*) result "not ok" "$krel: ${line#not ok - }" ;;
	esac
done < <(tr -d '\r' < "$console")

expect() {
	if tr -d '\r' < "$console" | grep -aqE "$1"; then
		result ok "$krel: console shows: $2"
	else
		result "not ok" "$krel: console shows: $2"
	fi
}
expect_not() {
	if tr -d '\r' < "$console" | grep -aqE "$1"; then
		result "not ok" "$krel: console free of $2"
		tr -d '\r' < "$console" | grep -aE -A20 "$1" | head -40 >&2
	else
		result ok "$krel: console free of $2"
	fi
}
expect "NTPOOL-VM: steps done" "all steps ran"
if [ -f "$NTPOOL_DIR/tools/test/vm/${steps%.sh}.expect" ]; then
	while IFS='|' read -r pattern what; do
		[ -n "$pattern" ] && [ "${pattern:0:1}" != "#" ] || continue
		expect "$pattern" "$what"
	done < "$NTPOOL_DIR/tools/test/vm/${steps%.sh}.expect"
fi
if [ -z "$allow_oops" ]; then
	expect_not "BUG:|WARNING:|Oops|general protection|sleeping function called from invalid context|Call Trace:|Kernel panic" \
		"BUG/WARN/Oops"
else
	expect_not "WARNING:|sleeping function called from invalid context|Kernel panic" \
		"WARN and panic"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
