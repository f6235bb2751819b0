#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Shared helpers for ntpool's test and demo scripts (sourced, not run).
# Everything expensive lives in a cache outside the clone, keyed by version:
#   $NTPOOL_CACHE (default ~/.cache/ntpool)

set -euo pipefail

NTPOOL_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
NTPOOL_CACHE=${NTPOOL_CACHE:-$HOME/.cache/ntpool}
NTPOOL_OUT=${NTPOOL_OUT:-$NTPOOL_DIR/.out}
mkdir -p "$NTPOOL_CACHE" "$NTPOOL_OUT"

log() { echo "ntpool: $*" >&2; }
die() { log "error: $*"; exit 1; }

# A progress line every 30 seconds while something long and silent runs (a
# kernel build): "progress_start WHAT [DIR]" ... "progress_stop"; with DIR,
# the line counts the objects built in it.  The lines stop with the shell
# that asked for them, even if it dies first.
progress_pid=
progress_start() {
	local what=$1 dir=${2:-} t0=$SECONDS parent=$BASHPID
	# Short sleeps: a killed loop leaves no sleep holding stderr open.
	( next=$((t0 + 30))
	  while sleep 1 && kill -0 "$parent" 2>/dev/null; do
		[ "$SECONDS" -ge "$next" ] || continue
		next=$((next + 30))
		log "$what: $((SECONDS - t0)) s${dir:+, $(find "$dir" -name '*.o' | wc -l) objects built}"
	  done ) > /dev/null &
	progress_pid=$!
}
progress_stop() {
	[ -n "$progress_pid" ] || return 0
	kill "$progress_pid" 2>/dev/null || true
	wait "$progress_pid" 2>/dev/null || true
	progress_pid=
}

# One process at a time fills a cache entry: "cache_lock NAME" holds the
# lock until the (sub)shell that took it exits.
cache_lock() {
	local fd
	exec {fd}>"$NTPOOL_CACHE/.lock-$1"
	flock "$fd"
}

# Debian packages each part needs.
PKGS_BUILD="make gcc libc6-dev bc flex bison libelf-dev libssl-dev kmod"
PKGS_KERNELS="linux-headers-6.12-amd64 linux-image-6.12-amd64 linux-headers-amd64 linux-image-amd64"
PKGS_VM="qemu-system-x86 busybox-static cpio gzip"
PKGS_KUNIT="linux-source-6.12 python3 xz-utils"
PKGS_DEBUG="linux-source-6.12 linux-source-6.1 xz-utils"
PKGS_LINT="sparse python3-docutils"
PKGS_TOOLS="libncurses-dev file tmux python3"
PKGS_DKMS="dkms xz-utils"
# The host's tracing tools, which the VM runs from the host's /usr.
PKGS_TRACE="linux-perf bpftrace xz-utils"
PKGS_DRGN="python3-drgn python3"

# A kernel splat: a line with which the kernel reports a bug of its own or
# of a module (extended regex).  KASAN's, KFENCE's and the sleeping-in-atomic
# reports start with "BUG:"; lockdep's, ODEBUG's and list debugging's with
# "WARNING:" (6.1 prints list corruption without it); the rest are reports
# without either header, lockdep turning itself off among them (a lock it
# cannot track, such as an uninitialised one, ends its checks for the run).
SPLATS='BUG:|WARNING:|kernel BUG at|Oops|general protection fault'
SPLATS+='|sleeping function called from invalid context'
SPLATS+='|inconsistent lock state|possible (circular|recursive) locking'
SPLATS+='|turning off the locking correctness validator'
SPLATS+='|list_(add|del) corruption|ODEBUG|KFENCE:|UBSAN:|Kernel panic'

# A test result: "ok - WHAT" or "not ok - WHAT" ($1 is ok or "not ok"),
# counted in $passed and $failed for the "N passed, N failed" line.
passed=0 failed=0
result() {
	echo "$1 - $2"
	if [ "$1" = ok ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
}

# Count again the results another script printed into FILE (the VM's
# console, a vmtest.sh log), each named with PREFIX (if any) in front.
results_from() {
	local line prefix=${2:+$2: }
	while IFS= read -r line; do
		case "$line" in
		"ok - "*) result ok "$prefix${line#ok - }" ;;
		"not ok - "*) result "not ok" "$prefix${line#not ok - }" ;;
		esac
	done < "$1"
}

# Install the Debian packages that are missing (apt-get update at most once).
need_pkgs() {
	local missing=() p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
			grep -q "install ok installed" || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	log "installing ${missing[*]}"
	local sudo=""
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	progress_start "installing ${#missing[@]} packages"
	if [ -z "${NTPOOL_APT_UPDATED:-}" ]; then
		$sudo apt-get update -qq >&2
		export NTPOOL_APT_UPDATED=1
	fi
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
		--no-install-recommends "${missing[@]}" >&2
	progress_stop
}

# Kernel release (uname -r) of the newest installed Debian kernel of a series;
# the series "debug-6.12" and "debug-6.1" are the debug kernels below, built
# on demand, and "kmemleak" is another name for debug-6.12 (it has kmemleak).
kernel_release() {
	local series=$1 f
	[ "$series" != kmemleak ] || series=debug-6.12
	case "$series" in
	debug-*)
		debug_kernel "${series#debug-}" > /dev/null
		echo "$series"
		return
		;;
	esac
	f=$(ls -d /usr/src/linux-headers-"$series".*-amd64 2>/dev/null |
		sort -V | tail -n 1)
	[ -n "$f" ] || die "no linux-headers for $series installed"
	basename "$f" | sed 's/^linux-headers-//'
}

# The vmlinux with DWARF of a Debian kernel release, for drgn: from the
# release's linux-image-RELEASE-dbg package, fetched with apt-get download
# and of which only vmlinux is kept, in the cache (about 40 seconds and
# 350 MB, instead of installing the package's 6 GB of module symbols).
# Prints the path; fails with 2 if the archive has no -dbg package of the
# release, 1 if fetching it failed.
debug_vmlinux() {
	local krel=$1 dir deb
	dir="$NTPOOL_CACHE/vmlinux-dbg"
	mkdir -p "$dir"
	[ -f "$dir/vmlinux-$krel" ] || cache_lock "vmlinux-$krel"
	if [ ! -f "$dir/vmlinux-$krel" ]; then
		# Package lists older than the kernel installed do not know
		# its -dbg package yet: read them again, once.
		if ! apt-cache show "linux-image-$krel-dbg" > /dev/null 2>&1 &&
		   [ -z "${NTPOOL_APT_UPDATED:-}" ]; then
			local sudo=""
			[ "$(id -u)" -eq 0 ] || sudo=sudo
			$sudo apt-get update -qq >&2 || true
			export NTPOOL_APT_UPDATED=1
		fi
		apt-cache show "linux-image-$krel-dbg" > /dev/null 2>&1 ||
			{ log "no linux-image-$krel-dbg in the archive"; return 2; }
		log "fetching vmlinux with debug info for $krel (once)"
		rm -rf "$dir/tmp"
		mkdir -p "$dir/tmp"
		(cd "$dir/tmp" && apt-get download -q "linux-image-$krel-dbg") >&2 ||
			{ log "apt-get download linux-image-$krel-dbg failed"; return 1; }
		deb=$(ls "$dir/tmp"/*.deb)
		# tar stops reading at the one member it wants: dpkg-deb's
		# broken pipe then is expected, and the file says if it worked.
		dpkg-deb --fsys-tarfile "$deb" 2>/dev/null |
			tar -xO --occurrence=1 "./usr/lib/debug/boot/vmlinux-$krel" \
			> "$dir/tmp/vmlinux" || true
		[ -s "$dir/tmp/vmlinux" ] ||
			{ log "no vmlinux in $deb"; return 1; }
		mv "$dir/tmp/vmlinux" "$dir/vmlinux-$krel"
		rm -rf "$dir/tmp"
	fi
	echo "$dir/vmlinux-$krel"
}

kdir_for() {
	case "$1" in
	debug-*) debug_kernel "${1#debug-}" ;;
	*) echo "/usr/src/linux-headers-$1" ;;
	esac
}
vmlinuz_for() {
	case "$1" in
	debug-*) echo "$(debug_kernel "${1#debug-}")/arch/x86/boot/bzImage" ;;
	*) echo "/boot/vmlinuz-$1" ;;
	esac
}

# Version of Debian's linux-source package of a series (default 6.12).
linux_source_version() { dpkg-query -W -f='${Version}' "linux-source-${1:-6.12}"; }

# Debian's linux-source-SERIES (6.12 or 6.1), extracted once into the cache.
# Prints the directory.
linux_tree() {
	local series=$1 dir
	dir="$NTPOOL_CACHE/linux-$series-$(linux_source_version "$series")"
	[ -f "$dir/.ntpool-ready" ] || cache_lock "linux-$series"
	if [ ! -f "$dir/.ntpool-ready" ]; then
		need_pkgs "linux-source-$series" xz-utils
		log "extracting linux-source-$series into $dir (once)"
		rm -rf "$dir" "$dir.tmp"
		mkdir -p "$dir.tmp"
		tar -xaf "/usr/src/linux-source-$series.tar.xz" -C "$dir.tmp" \
			--strip-components=1
		touch "$dir.tmp/.ntpool-ready"
		mv "$dir.tmp" "$dir"
	fi
	echo "$dir"
}

# Debian's linux-source-6.12, extracted once into the cache, with
# drivers/ntpool hooked into its Kconfig and Makefile (for KUnit).  A tree
# of its own: kunit.sh rewrites drivers/ntpool in it on every run, which
# must not race with a kernel build.  Prints the directory.
linux_source() {
	local src
	src="$NTPOOL_CACHE/linux-source-$(linux_source_version)"
	[ -f "$src/.ntpool-ready" ] || cache_lock linux-source
	if [ ! -f "$src/.ntpool-ready" ]; then
		log "extracting linux-source into $src (once)"
		rm -rf "$src" "$src.tmp"
		mkdir -p "$src.tmp"
		tar -xaf /usr/src/linux-source-6.12.tar.xz -C "$src.tmp" \
			--strip-components=1
		sed -i '$ i source "drivers/ntpool/Kconfig"' \
			"$src.tmp/drivers/Kconfig"
		echo 'obj-y += ntpool/' >> "$src.tmp/drivers/Makefile"
		touch "$src.tmp/.ntpool-ready"
		mv "$src.tmp" "$src"
	fi
	echo "$src"
}

# Options the debug kernel must end up with: a fragment line that
# olddefconfig drops (a missing dependency) must not pass unnoticed.
DEBUG_KERNEL_MUST="KASAN KASAN_GENERIC PROVE_LOCKING DEBUG_ATOMIC_SLEEP
	DEBUG_LIST DEBUG_OBJECTS KFENCE DEBUG_KMEMLEAK DEBUG_PREEMPT NUMA
	ACPI_NUMA MEMCG EVENT_TRACING MODULE_UNLOAD DEBUG_FS"

# A small x86_64 debug kernel built from linux-source-SERIES (6.12 or 6.1)
# with tools/test/kernel/debug.config on top of tinyconfig: KASAN, lockdep,
# atomic-sleep, list and object debugging, KFENCE and kmemleak.  Cached and
# keyed by the source version and the fragment; built once (about 3 minutes
# on two idle cores, 360 CPU seconds).  From a tree of its own, not
# linux_source's.  Prints the build directory: a KDIR for modules, and
# arch/x86/boot/bzImage.
debug_kernel() {
	local series=$1 src frag key build opt
	case "$series" in 6.12|6.1) ;; *) die "no debug kernel for $series" ;; esac
	frag="$NTPOOL_DIR/tools/test/kernel/debug.config"
	key=$(md5sum < "$frag" | cut -c1-8)
	build="$NTPOOL_CACHE/debug-build-$(linux_source_version "$series")-$key"
	[ -f "$build/.ntpool-ready" ] || cache_lock "debug-$series"
	if [ ! -f "$build/.ntpool-ready" ]; then
		src=$(linux_tree "$series")
		log "building the debug kernel $series in $build (once)"
		rm -rf "$build"
		mkdir -p "$build"
		make -s -C "$src" O="$build" ARCH=x86_64 tinyconfig >&2
		"$src/scripts/kconfig/merge_config.sh" -m -O "$build" \
			"$build/.config" "$frag" >&2
		make -s -C "$src" O="$build" ARCH=x86_64 olddefconfig >&2
		for opt in $DEBUG_KERNEL_MUST; do
			grep -q "^CONFIG_$opt=y" "$build/.config" ||
				die "debug kernel $series: CONFIG_$opt did not stick"
		done
		progress_start "building the debug kernel $series (about 1150 objects)" "$build"
		make -s -C "$src" O="$build" ARCH=x86_64 -j"$(nproc)" \
			bzImage modules >&2 || die "debug kernel $series: build failed"
		progress_stop
		touch "$build/.ntpool-ready"
	fi
	echo "$build"
}

# Build ntpool and the samples for one kernel release with the Makefile, in
# its build directory for that release (build/<release>/: links to the
# sources only, so an in-tree build cannot leak into it, and an unchanged
# tree is not rebuilt).  Prints the directory holding ntpool.ko (in
# ntpool/) and the samples' .ko files (in tools/samples/).  NTPOOL_BENCH=y
# in the environment builds ntpool with its benchmark, in a directory of
# its own (build/<release>-bench/).  TARGET is a Makefile target (default
# all: ntpool and the samples).  Builds for one release take turns.
build_for() {
	local krel=$1 target=${2:-all} kdir rel
	case "$target" in
	all) log "building ntpool and the sample clients for $krel" ;;
	*) log "building ntpool ($target) for $krel" ;;
	esac
	kdir=$(kdir_for "$krel")
	rel=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' \
		"$kdir/include/generated/utsrelease.h")
	[ -n "$rel" ] || die "no kernel release in $kdir"
	flock "$NTPOOL_OUT/build-$rel${NTPOOL_BENCH:+-bench}.lock" \
		make -s --no-print-directory -C "$NTPOOL_DIR" KDIR="$kdir" \
		${NTPOOL_BENCH:+NTPOOL_BENCH=y} "$target" >&2 ||
		die "build against $krel failed"
	echo "$NTPOOL_DIR/build/$rel${NTPOOL_BENCH:+-bench}"
}

# The test VM's initramfs, in a new temporary directory: busybox, /init
# (tools/test/vm/init, which runs /steps.sh), the steps' helpers (/lib.sh),
# ntpoolmon and pooltag.txt; the caller adds /steps.sh and /modules/*.ko.
# Prints the directory.
vm_root() {
	local root
	root=$(mktemp -d)
	mkdir -p "$root"/{bin,proc,sys,dev,modules}
	cp /bin/busybox "$root/bin/busybox"
	cp "$NTPOOL_DIR/tools/test/vm/init" "$root/init"
	cp "$NTPOOL_DIR/tools/test/vm/lib.sh" "$root/lib.sh"
	chmod +x "$root/init"
	cp "$NTPOOL_DIR/tools/ntpoolmon/ntpoolmon" "$NTPOOL_DIR/tools/pooltag.txt" "$root/"
	echo "$root"
}

# The modules of Debian's kernel KREL that MODULE... need, in the order
# they load (modprobe's), uncompressed into DIR, which gets the list of
# their names in DIR/order (busybox's insmod loads them from there).
# Built-in modules are left out.  "vm_kernel_modules KREL DIR MODULE..."
vm_kernel_modules() {
	local krel=$1 dir=$2 m ko name
	shift 2
	mkdir -p "$dir"
	: > "$dir/order"
	for m in "$@"; do
		modprobe -S "$krel" --show-depends "$m" ||
			die "no module $m for $krel"
	done | sed -n 's/^insmod \([^ ]*\).*/\1/p' | while read -r ko; do
		name=$(basename "$ko" | sed 's/\.ko\(\.xz\)\?$//')
		! grep -qx "$name" "$dir/order" || continue
		case "$ko" in
		*.xz) xz -dc "$ko" ;;	# 6.12's
		*) cat "$ko" ;;
		esac > "$dir/$name.ko"
		echo "$name" >> "$dir/order"
	done
}

# Pack the initramfs tree ROOT into the archive OUT (gzipped cpio).
vm_pack() {
	(cd "$1" && find . | cpio -o -H newc --quiet | gzip -1) > "$2"
}

# The QEMU command of the test VM, into the array vm_cmd:
#   vm_qemu ACCEL KERNEL INITRD APPEND [MACHINE OPTIONS...]
# The serial console is stdin and stdout (-nographic: Ctrl-A X quits), and
# the kernel's restart ends QEMU (-no-reboot).
vm_qemu() {
	local accel=$1 kernel=$2 initrd=$3 append=$4
	shift 4
	vm_cmd=(qemu-system-x86_64 -accel "$accel" "$@" -nographic -no-reboot
		-kernel "$kernel" -initrd "$initrd" -append "$append")
}

# KVM is worth a try: /dev/kvm is usable, NTPOOL_ACCEL is not tcg, and no
# earlier probe found it failing (on some machines it exists but stalls in
# the kernel's decompressor).  The probe's answer is kept in the cache:
# vm_kvm_verdict yes|no.
vm_kvm_state="$NTPOOL_CACHE/kvm-works"
vm_kvm_worth_trying() {
	[ -w /dev/kvm ] && [ "${NTPOOL_ACCEL:-}" != tcg ] &&
		[ "$(cat "$vm_kvm_state" 2>/dev/null)" != no ]
}
vm_kvm_verdict() { echo "$1" > "$vm_kvm_state"; }
# Is KVM to be used?  "vm_kvm_decide PROBE...": the first caller on the
# machine runs the probe command (a short boot that succeeds if the VM got
# to /init) and records its verdict; callers side by side wait for it
# under a lock, instead of each trying KVM for as long as its run may take.
vm_kvm_decide() {
	vm_kvm_worth_trying || return 1
	(
		cache_lock kvm-probe
		[ ! -s "$vm_kvm_state" ] || exit 0
		if "$@"; then vm_kvm_verdict yes; else vm_kvm_verdict no; fi
	)
	[ "$(cat "$vm_kvm_state" 2>/dev/null)" = yes ]
}
