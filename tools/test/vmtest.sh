#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot a Debian kernel in QEMU with a busybox initramfs, load ntpool and its
# sample clients, and check the console: any kernel splat fails the run.
#
#   vmtest.sh [SERIES] [STEPS]   SERIES 6.12 (default) or 6.1, Debian's
#                                stock kernels, or debug-6.12 or debug-6.1,
#                                debug kernels built from Debian's sources
#                                (KASAN, lockdep, kmemleak...: see lib.sh);
#                                kmemleak is another name for debug-6.12;
#                                STEPS a script of tools/test/vm/ (core.sh),
#                                or several, comma-separated, run one after
#                                the other in one boot (tags.sh,trace.sh)
#
# NTPOOL_VM_SMP=N boots the VM with N CPUs (default 2; not for "numa"
# steps, which fix their own topology).
# NTPOOL_VM_PLUGIN=FILE loads a QEMU TCG plugin (make bench's insn-count).
#
# Prints "ok - ..." / "not ok - ..." lines and, last, "N passed, N failed".

. "$(dirname "$0")/lib.sh"

series=${1:-6.12}
steps=${2:-core.sh}
IFS=, read -r -a suites <<< "$steps"
[ "${#suites[@]}" -gt 0 ] || die "no steps file given"
for s in "${suites[@]}"; do
	[ -f "$NTPOOL_DIR/tools/test/vm/$s" ] || die "no steps file tools/test/vm/$s"
done
# The files' names, for the console, the initramfs and the result lines.
label=$(IFS=+; echo "${suites[*]%.sh}")
# marked MARK: do the steps files carry "ntpool-vm: MARK"?
marked() {
	local s
	for s in "${suites[@]}"; do
		grep -q "ntpool-vm: $1" "$NTPOOL_DIR/tools/test/vm/$s" && return 0
	done
	return 1
}
# Oopses provoked on purpose, or a topology of its own, need a boot each.
if [ "${#suites[@]}" -gt 1 ] && { marked allow-oops || marked numa; }; then
	die "$steps: a steps file marked allow-oops or numa runs alone"
fi

need_pkgs $PKGS_BUILD $PKGS_KERNELS $PKGS_VM $PKGS_TOOLS
debug=
case "$series" in debug-*|kmemleak) debug=1; need_pkgs $PKGS_DEBUG ;; esac
# A steps file marked "ntpool-vm: host-tools" runs the host's perf and
# bpftrace: the VM gets the host's /usr, read-only over virtio-9p, and the
# kernel's 9p modules (vm/lib.sh: host_tools_up).  Debian's kernels have
# them; the debug kernels do not.
host_tools=
if marked host-tools; then
	[ -z "$debug" ] || die "$steps: host-tools steps need a Debian kernel, not $series"
	host_tools=1
	need_pkgs $PKGS_TRACE
fi
krel=$(kernel_release "$series")
# NTPOOL_VM_MODULES names a directory of ready modules to test instead
# (the DKMS test's); otherwise ntpool and the samples are built here.
build=${NTPOOL_VM_MODULES:-$(build_for "$krel")}
make -s -C "$NTPOOL_DIR/tools/ntpoolmon" >&2
log "testing on $krel"

# Build the initramfs: busybox, the modules, the steps.  Each steps file
# is one suite, between "NTPOOL-VM: suite NAME" and "NTPOOL-VM: suite NAME
# ended, exit STATUS" lines (every suite ends with status 0, unless killed);
# after it, what it left loaded is unloaded, the console log
# level restored and the kernel log emptied, so that the next one starts as
# after a boot (vm/lib.sh: next_suite).
root=$(vm_root)
trap 'rm -rf "$root"' EXIT
echo ". /lib.sh" > "$root/steps.sh"
for s in "${suites[@]}"; do
	cp "$NTPOOL_DIR/tools/test/vm/$s" "$root/suite-$s"
	cat >> "$root/steps.sh" <<-EOF
		echo "NTPOOL-VM: suite ${s%.sh}"
		sh /suite-$s
		echo "NTPOOL-VM: suite ${s%.sh} ended, exit \$?"
		next_suite
	EOF
done
echo "$SPLATS|Call Trace:" > "$root/splats"
find "$build" -name '*.ko' -exec cp {} "$root/modules/" \;
[ -z "$host_tools" ] ||
	vm_kernel_modules "$krel" "$root/kmods" virtio_pci 9pnet_virtio 9p
initrd="$NTPOOL_OUT/initrd-$krel-$label.cpio.gz"
vm_pack "$root" "$initrd"

# A steps file marked "ntpool-vm: allow-oops" provokes oopses on purpose:
# the kernel must not panic on them, and the console check below is its own
# .expect file instead of "no BUG/WARN/Oops".
allow_oops=
! marked allow-oops || allow_oops=1
oops_cmdline="oops=panic"
[ -z "$allow_oops" ] || oops_cmdline=""
# Every KASAN report, not only the first (lockdep reports its first only).
# No RCU stall warnings: under TCG on a busy host the guest's CPUs are
# starved for seconds (seen at boot, before ntpool was loaded), which RCU
# reports with a backtrace; a real hang ends in the timeout instead.
# ntpool_vm.debug=1 tells the steps they run on a debug kernel (vm/lib.sh).
debug_cmdline=
[ -z "$debug" ] ||
	debug_cmdline="kasan_multi_shot rcupdate.rcu_cpu_stall_suppress=1 ntpool_vm.debug=1"

# NTPOOL_VM_SMP asks for more CPUs (the stress suite gains from them on a
# machine that has them); the default is 2.
smp=${NTPOOL_VM_SMP:-2}
[[ "$smp" =~ ^[1-9][0-9]*$ ]] || die "NTPOOL_VM_SMP must be a CPU count, not '$smp'"

# A debug kernel gets more memory (KASAN's shadow, lockdep's tables,
# kmemleak's objects) and more time (below): under TCG it runs several
# times slower.
mem=1024
[ -z "$debug" ] || mem=2048
machine=(-m "$mem" -smp "$smp")
[ -z "${NTPOOL_VM_PLUGIN:-}" ] || machine+=(-plugin "$NTPOOL_VM_PLUGIN" -d plugin)

# A steps file marked "ntpool-vm: numa" runs with three NUMA nodes: node 0
# with CPU 0 and memory, node 1 with CPU 1 and no memory, node 2 with
# memory only (the order Linux numbers them in); one CPU per socket, so
# that no cache is shared across nodes.
if marked numa; then
	machine=(-m "$mem" -smp 2,sockets=2,cores=1,threads=1
		-object memory-backend-ram,id=m0,size=$((mem / 2))M
		-object memory-backend-ram,id=m2,size=$((mem / 2))M
		-numa node,nodeid=0,cpus=0,memdev=m0
		-numa node,nodeid=1,cpus=1
		-numa node,nodeid=2,memdev=m2)
fi

# The host's /usr, read-only, for host-tools steps.
[ -z "$host_tools" ] ||
	machine+=(-virtfs local,path=/usr,mount_tag=hostusr,security_model=none,readonly=on)

# KVM is tried first, briefly: on some machines it exists but stalls in the
# kernel's decompressor, and TCG is used instead.
console="$NTPOOL_OUT/console-$krel-$label.log"
boot() {
	progress_start "VM on $krel running $steps ($1)"
	vm_qemu "$1" "$(vmlinuz_for "$krel")" "$initrd" \
		"console=ttyS0 panic=-1 $oops_cmdline loglevel=7 $debug_cmdline ${NTPOOL_VM_CMDLINE:-}" \
		"${machine[@]}"
	timeout "$2" "${vm_cmd[@]}" > "$console" 2>&1 || true
	progress_stop
	# Kernel messages can interleave with the marker: look for its start.
	grep -aq "NTPOOL-VM: boot" "$console"
}
# The probe's answer is kept in the cache, so that a machine where KVM
# stalls pays for the probe once.
# A steps file marked "ntpool-vm: timeout=N" runs for up to N seconds,
# under KVM too, instead of 300 (TCG) and 20 (KVM); several in one boot
# get the sum of theirs.
limit=0 kvm_limit=0
for s in "${suites[@]}"; do
	t=$(sed -n 's/.*ntpool-vm: timeout=\([0-9][0-9]*\).*/\1/p' \
		"$NTPOOL_DIR/tools/test/vm/$s" | head -n 1)
	limit=$((limit + ${t:-300}))
	kvm_limit=$((kvm_limit + ${t:-20}))
done
[ -z "$debug" ] || limit=$((limit * 4))
# One 20-second probe per machine (vm_kvm_decide), then the real run.
accel=tcg
if vm_kvm_decide boot kvm 20 && boot kvm "$kvm_limit"; then
	accel=kvm
fi
if [ "$accel" = tcg ]; then
	# A kernel that dies before /init runs has run none of ntpool: under
	# TCG that happens, rarely (an int3 oops while patching kernel text
	# was seen once); such a boot is tried once more.
	if ! boot tcg "$limit"; then
		log "the VM died before /init ran; booting it once more"
		cp "$console" "$console.first"
		boot tcg "$limit" || { cat "$console" >&2; die "VM did not boot"; }
	fi
fi
# Under TCG a CPU can run a stale copy of code that another CPU is
# patching (a static key flipped): it traps on text_poke_bp's int3 after
# the int3 is gone from memory.  Such an int3 oops (6.12 prints "Oops:
# int3: 0000 [#", 6.1 "int3: 0000 [#"), whose code bytes show no int3
# before the trapping address, is the emulator's: the run is repeated,
# once, if it is the first sign of trouble on the console (no "not ok"
# line and no splat before it).  An int3 still in memory is a splat like
# any other.
stale_int3() {
	# (awk reads to the end: under pipefail, tr must not die of SIGPIPE.)
	tr -d '\r' < "$console" | awk -v splats="$SPLATS" '
		decided { next }
		!oops && /int3: 0000 \[#/ { oops = 1; next }
		!oops && (/^not ok - / || $0 ~ splats) { decided = 1; next }
		oops && /Code: / {
			stale = / [0-9a-f][0-9a-f] <[0-9a-f][0-9a-f]>/ && !/ cc </
			decided = 1
			next
		}
		oops && ++after > 20 { decided = 1 }
		END { exit !stale }'
}
if [ "$accel" = tcg ] && stale_int3; then
	log "a CPU trapped on an int3 already patched away (an emulation artefact): running the VM once more"
	cp "$console" "$console.int3"
	boot tcg "$limit" || { cat "$console" >&2; die "VM did not boot"; }
fi
log "VM ran with $accel; console in $console"

# Results, suite by suite: the steps' own lines, then the console checks,
# on the suite's section of the console: from its "NTPOOL-VM: suite NAME"
# line to the next suite's (the first from the top, the last to the end,
# so that a splat at boot or after the last suite is in one too).
sections="$console.d"
rm -rf "$sections"
mkdir -p "$sections"
tr -d '\r' < "$console" | awk -v dir="$sections" -v names="$label" '
	BEGIN { n = split(names, name, "+"); k = 1 }
	k < n && index($0, "NTPOOL-VM: suite " name[k + 1]) { k++ }
	{ print > (dir "/" name[k]) }'

# grep reads to the end: with pipefail, a grep -q that stopped at the first
# match would fail the check whenever tr had more to write (SIGPIPE).
# "expect FILE PATTERN WHAT"
expect() {
	if grep -aE "$2" "$1" > /dev/null; then
		result ok "$who: console shows: $3"
	else
		result "not ok" "$who: console shows: $3"
	fi
}
# Any splat fails the run; a backtrace too (printed with none of SPLATS).
splats="$SPLATS|Call Trace:"
# An allow-oops steps file provokes page faults on purpose: those are
# allowed, with the oops line and the backtrace they print, and nothing else
# (6.12 prints "Oops: Oops: 0002 [#1]", 6.1 "Oops: 0002 [#1]"; a general
# protection fault "Oops: general protection fault, ...": not allowed).
allowed='^$' # (nothing: every line grep -n prints has a number)
[ -z "$allow_oops" ] || allowed='BUG: unable to handle page fault for address'
[ -z "$allow_oops" ] || allowed+='|Oops: (Oops: )?[0-9a-f]{4} \[#|Call Trace:'
but=
[ -z "$allow_oops" ] || but=" but the page faults provoked"
# "expect_no_splat FILE"
expect_no_splat() {
	local first
	grep -anE "$splats" "$1" | grep -avE "$allowed" > "$1.splats" || true
	if [ ! -s "$1.splats" ]; then
		result ok "$who: console free of kernel splats$but"
		return
	fi
	result "not ok" "$who: console free of kernel splats$but"
	head -n 20 "$1.splats" | sed 's/^/# splat at console line /'
	# The first splat in full, for the log.
	first=$(head -n 1 "$1.splats" | cut -d: -f1)
	sed -n "$((first > 5 ? first - 5 : 1)),$((first + 40))p" "$1" >&2
}

# A suite's to-host blocks (vm/lib.sh: to_host), each in a file named after
# it, for its host checker, tools/test/vm/SUITE.host.py, whose "ok" and "not
# ok" lines count as the suite's (details on its standard error).  A line of kernel messages that interleaves
# with a block has no "NTPOOL-HOST: " and is left out.
# "host_check SECTION NAME"
host_check() {
	local checker="$NTPOOL_DIR/tools/test/vm/$2.host.py" dir="$1.host"
	[ -f "$checker" ] || return 0
	mkdir -p "$dir"
	awk -v dir="$dir" '
		i = index($0, "NTPOOL-VM: to-host ") {
			split(substr($0, i + 19), w, " ")
			block = w[2] == "begin" ? w[1] : ""
			if (block != "")
				printf "" > (dir "/" block)
			next
		}
		block != "" && (i = index($0, "NTPOOL-HOST: ")) {
			print substr($0, i + 13) > (dir "/" block)
		}' "$1"
	local rc=0
	python3 "$checker" "$dir" > "$dir/results" 2> "$dir/errors" || rc=$?
	results_from "$dir/results" "$who: host"
	if [ "$rc" -eq 0 ]; then
		result ok "$who: host: $2.host.py ran to its end"
	else
		result "not ok" "$who: host: $2.host.py ran to its end (exit $rc)"
	fi
	cat "$dir/errors" >&2
}

for s in "${suites[@]}"; do
	name=${s%.sh}
	section="$sections/$name"
	touch "$section"
	# One suite's lines read as before; several name their suite.
	who=$krel
	[ "${#suites[@]}" -eq 1 ] || who="$krel $name"
	results_from "$section" "$who"
	host_check "$section" "$name"
	expect "$section" "NTPOOL-VM: suite $name ended, exit 0\$" "all steps ran"
	if [ -f "$NTPOOL_DIR/tools/test/vm/$name.expect" ]; then
		while IFS='|' read -r pattern what; do
			[ -n "$pattern" ] && [ "${pattern:0:1}" != "#" ] || continue
			expect "$section" "$pattern" "$what"
		done < "$NTPOOL_DIR/tools/test/vm/$name.expect"
	fi
	# A suite's NAME.host parses on the host what the steps printed
	# (JSON, with python3's json module), printing ok / not ok lines.
	if [ -x "$NTPOOL_DIR/tools/test/vm/$name.host" ]; then
		"$NTPOOL_DIR/tools/test/vm/$name.host" "$section" > "$section.host" ||
			echo "not ok - $name.host ran to its end" >> "$section.host"
		results_from "$section.host" "$who"
	fi
	expect_no_splat "$section"
done
# The kernel ran on to its restart after the steps: a splat printed late
# (by deferred work after the last step) is in the console too.
who=$krel
expect "$sections/${suites[-1]%.sh}" "reboot: Restarting system" \
	"the kernel ran on to its restart"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
