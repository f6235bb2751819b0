#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make vm: your own modules under ntpool, in QEMU, on Debian's stock kernel.
#
#   make vm MODULES="a.ko b.ko" [KVER=6.12|6.1] [RUN=script.sh] [PARAMS=...]
#   tools/test/vm.sh [SERIES]      (the same, with the variables in the
#                                  environment; SERIES as KVER)
#
# Builds ntpool (and ntpoolmon) for the kernel (KVER: 6.12, the default, or
# 6.1, or the full release of installed headers), boots it with a busybox
# initramfs, loads ntpool with PARAMS (default on_violation=warn: reports
# are shown, nothing stops), then MODULES in their order, and then:
#   - with RUN, runs that script (sh, in the VM, from /run.sh), prints the
#     console and powers off; exits with the script's exit status;
#   - without RUN, on a terminal: a shell on the console (debugfs mounted,
#     ntpoolmon and pooltag.txt at hand); exit, Ctrl-D or poweroff -f ends
#     it, Ctrl-A X ends QEMU at once;
#   - without RUN, when stdin is not a terminal (a pipe, a CI job): no one
#     can type, so it shows lsmod and ntpool's tags and powers off.
# The modules are in /modules/ in the VM.  Relative paths are taken from
# the directory make was started in (NTPOOL_VM_CALLER_DIR), then from the
# current one.  Nothing is counted: reports are for reading.
# NTPOOL_VM_TIMEOUT (seconds, default 600) bounds a RUN or a show;
# NTPOOL_VM_SMP the CPUs (default 2).

. "$(dirname "$0")/lib.sh"

series=${1:-6.12}
need_pkgs $PKGS_BUILD $PKGS_KERNELS $PKGS_VM $PKGS_TOOLS

if [ -f "/usr/src/linux-headers-$series/include/generated/utsrelease.h" ]; then
	krel=$series
else
	case "$series" in
	6.12|6.1) krel=$(kernel_release "$series") ;;
	*) die "KVER=$series: use 6.12, 6.1 or an installed kernel release" ;;
	esac
fi
kernel=$(vmlinuz_for "$krel")
[ -f "$kernel" ] || die "no $kernel: apt-get install linux-image-$krel"

# A path as the developer typed it: absolute, or relative to where they
# ran make (make -C changes the directory, not PWD), or to here.
resolve() {
	local p=$1 d
	case "$p" in /*) echo "$p"; return ;; esac
	for d in "${NTPOOL_VM_CALLER_DIR:-}" "$PWD"; do
		[ -n "$d" ] && [ -e "$d/$p" ] && { echo "$d/$p"; return; }
	done
	echo "${NTPOOL_VM_CALLER_DIR:-$PWD}/$p"
}

# Every module must exist and be built for this kernel: a module of another
# release would only fail at insmod, in the VM.
[ -n "${MODULES:-}" ] ||
	log "no MODULES given: only ntpool is loaded (make vm MODULES=\"path/a.ko ...\")"
mods=() names=" "
for m in ${MODULES:-}; do
	f=$(resolve "$m")
	[ -f "$f" ] || die "MODULES: no such file: $m ($f)"
	case "$f" in *.ko) ;; *) die "MODULES: $m is not a .ko file" ;; esac
	vermagic=$(modinfo -F vermagic "$f" 2>/dev/null) ||
		die "MODULES: $m is not a kernel module (modinfo cannot read it)"
	built=${vermagic%% *}
	[ "$built" = "$krel" ] || {
		log "error: MODULES: $m was built for kernel $built, not $krel"
		log "rebuild it for $krel (make -C /usr/src/linux-headers-$krel M=\$PWD modules)"
		log "or boot the kernel it was built for: KVER=$built"
		exit 1
	}
	name=$(basename "$f")
	[ "$name" != ntpool.ko ] ||
		die "MODULES: leave ntpool.ko out: make vm builds and loads it first"
	case "$names" in *" $name "*) die "MODULES: two modules named $name" ;; esac
	names+="$name "
	mods+=("$f")
done

mode=shell
if [ -n "${RUN:-}" ]; then
	run=$(resolve "$RUN")
	[ -f "$run" ] || die "RUN: no such file: $RUN ($run)"
	mode=run
elif ! [ -t 0 ] || ! [ -t 1 ]; then
	log "stdin or stdout is not a terminal: no shell; showing the modules"
	log "and ntpool's tags, then powering off (RUN=script runs a script)"
	mode=show
fi

build=$(build_for "$krel" modules)
make -s --no-print-directory -C "$NTPOOL_DIR/tools/ntpoolmon" >&2

root=$(vm_root)
trap 'rm -rf "$root" "$root.cpio.gz" "$root.result"' EXIT
cp "$NTPOOL_DIR/tools/test/vm/session.sh" "$root/steps.sh"
cp "$build/ntpool/ntpool.ko" "$root/modules/"
[ ${#mods[@]} -eq 0 ] || cp "${mods[@]}" "$root/modules/"
[ "$mode" != run ] || cp "$run" "$root/run.sh"
case "${PARAMS:-}" in *"'"*) die "PARAMS: no single quotes, please" ;; esac
cat > "$root/session.conf" <<EOF
mode=$mode
modules='${names# }'
params='${PARAMS:-on_violation=warn}'
EOF
# Beside the tree, not in .out: two make vm at once must not share it.
initrd="$root.cpio.gz"
vm_pack "$root" "$initrd"

smp=${NTPOOL_VM_SMP:-2}
[[ "$smp" =~ ^[1-9][0-9]*$ ]] || die "NTPOOL_VM_SMP must be a CPU count, not '$smp'"
# The console on stdio (with QEMU's monitor: Ctrl-A X), and a second
# serial port into a file for the result of a RUN (session.sh).
result="$root.result"
machine=(-m 1024 -smp "$smp" -serial mon:stdio -serial "file:$result")
# quiet: the boot's messages stay in dmesg; session.sh turns the console's
# log level up before it loads anything.
cmdline="console=ttyS0 panic=-1 quiet ${NTPOOL_VM_CMDLINE:-}"

# KVM if it works here (a short probe boot, once per machine), else TCG.
probe_kvm() {
	vm_qemu kvm "$kernel" "$initrd" "$cmdline ntpool_vm_probe" "${machine[@]}"
	timeout 20 "${vm_cmd[@]}" < /dev/null 2>&1 |
		grep -a "NTPOOL-VM: boot" > /dev/null
}
accel=tcg
if vm_kvm_decide probe_kvm; then
	accel=kvm
fi
vm_qemu "$accel" "$kernel" "$initrd" "$cmdline" "${machine[@]}"

if [ "$mode" = shell ]; then
	log "booting $krel with $accel; a shell follows (quit: exit, or Ctrl-A X)"
	"${vm_cmd[@]}"
	exit 0
fi

console="$NTPOOL_OUT/console-vm-$krel.log"
log "booting $krel with $accel; console in $console"
set +e
timeout "${NTPOOL_VM_TIMEOUT:-600}" "${vm_cmd[@]}" < /dev/null 2>&1 | tee "$console"
set -e
rc=$(tr -d '\r' < "$result" 2>/dev/null | sed -n 's/^rc=\([0-9]*\)$/\1/p')
if [ -z "$rc" ]; then
	# Kernel messages can cut into the marker: look for its start.
	grep -aq "NTPOOL-VM: boot" "$console" ||
		die "the VM did not boot (console in $console)"
	die "the VM did not finish within ${NTPOOL_VM_TIMEOUT:-600} s (NTPOOL_VM_TIMEOUT)"
fi
exit "$rc"
