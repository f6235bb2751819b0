#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The drgn helpers (tools/drgn/ntpool.py) against debugfs, on memory dumps
# of the test VM or inside it on the running kernel
# (Documentation/postmortem.rst):
#
#   drgn-test.sh [SERIES] [WAY]   SERIES 6.1 (the default) or 6.12;
#                                 WAY dump (the default) or kcore
#
# For each scenario (c4: a leak at unload, 0xC4/0x62; c2: a double free,
# 0xC2/0x07) one boot of Debian's stock kernel, with ntpool loaded with
# on_violation=panic and sample clients (tools/test/drgn/guest.sh).
#
# dump: the guest sends what debugfs shows, then the host dumps its memory
# while it runs ("live": the guest waits, idle, until the dump is written);
# the guest sends debugfs again and provokes the bugcheck, and the host
# dumps the panicked guest.  drgn then reads each dump, with the -dbg
# vmlinux of the kernel and ntpool.ko, and every helper's output must
# equal what debugfs showed for the same state: all of them on the live
# dump; on the panic dump, those whose state the panic did not change, and
# ntpool_analyze against the report the console printed.
#
# kcore: the live kernel itself.  The guest runs the host's drgn (the
# host's /usr and the directory of -dbg vmlinux files shared read-only
# over virtio-9p) on /proc/kcore, with ntpool.ko from its initramfs: it
# sends what debugfs shows, what each helper printed, and debugfs once
# more.  Every helper's output must equal, byte for byte, what debugfs
# showed (the same comparisons as on the live dump, ntpool_analyze
# against the console's last report), and debugfs must show the same
# after drgn ran as before (the samples are idle: the helpers read the
# state debugfs showed).
#
# On 6.12, drgn 0.0.22 cannot place ntpool.ko's debug info (it reads
# struct module's layout of before 6.4): ntpool.py places it itself
# (--ko ntpool.ko), and the same comparisons must hold.
#
# The test is skipped (and says so) when Debian's archive has no
# linux-image-RELEASE-dbg for the kernel installed.
#
# NTPOOL_DUMP_SCENARIOS picks scenarios (default "c4 c2"); NTPOOL_DUMP_KEEP=1
# keeps the dumps (about 550 MB each) in .out/drgn-RELEASE/SCENARIO/, for
# reading by hand (Documentation/postmortem.rst).  The kcore runs' files
# are in .out/drgn-kcore-RELEASE/SCENARIO/.
#
# Prints "ok - ..." / "not ok - ..." lines and "N passed, N failed".

. "$(dirname "$0")/lib.sh"

series=${1:-6.1}
way=${2:-dump}
case "$way" in dump|kcore) ;; *) die "WAY must be dump or kcore, not '$way'" ;; esac
need_pkgs $PKGS_BUILD $PKGS_KERNELS $PKGS_VM $PKGS_TOOLS $PKGS_DRGN
krel=$(kernel_release "$series")
set +e
vmlinux=$(debug_vmlinux "$krel")
rc=$?
set -e
if [ "$rc" -eq 2 ]; then
	echo "# SKIP drgn test ($way): Debian's archive has no linux-image-$krel-dbg"
	echo "0 passed, 0 failed"
	exit 0
fi
[ "$rc" -eq 0 ] || die "could not get the vmlinux with debug info of $krel"
build=${NTPOOL_VM_MODULES:-$(build_for "$krel")}
make -s -C "$NTPOOL_DIR/tools/ntpoolmon" >&2
# ntpool and the samples the guest loads.
for m in ntpool nttags ntsample ntmisuse; do
	[ -f "$build/$m.ko" ] || [ -f "$build/ntpool/$m.ko" ] ||
		[ -f "$build/tools/samples/$m.ko" ] || die "no $m.ko in $build"
done
ko() { find "$build" -name "$1.ko" | head -n 1; }
# drgn 0.0.22 places a module's debug info where struct module's layout
# of before Linux 6.4 says the module is: from 6.4 on, ntpool.py places
# ntpool.ko's itself (its --ko, instead of drgn's -s).
ko_by=drgn
[ "$(printf '%s\n' 6.4 "${krel%%-*}" | sort -V | head -n 1)" != 6.4 ] ||
	ko_by=script

out="$NTPOOL_OUT/drgn-$krel"
[ "$way" = dump ] || out="$NTPOOL_OUT/drgn-kcore-$krel"
rm -rf "$out"
mkdir -p "$out"
root=$(vm_root)
trap 'rm -rf "$root"' EXIT
cp "$NTPOOL_DIR/tools/test/drgn/guest.sh" "$root/steps.sh"
find "$build" -name '*.ko' -exec cp {} "$root/modules/" \;
if [ "$way" = dump ]; then
	# fw_cfg hands the kernel's vmcoreinfo to QEMU's vmcoreinfo device.
	fw_cfg=$(find "/lib/modules/$krel" -name 'qemu_fw_cfg.ko*' | head -n 1)
	[ -n "$fw_cfg" ] || die "no qemu_fw_cfg module for $krel"
	case "$fw_cfg" in
	*.xz) xz -dc "$fw_cfg" > "$root/modules/qemu_fw_cfg.ko" ;;
	*.zst) zstd -qdc "$fw_cfg" > "$root/modules/qemu_fw_cfg.ko" ;;
	*) cp "$fw_cfg" "$root/modules/qemu_fw_cfg.ko" ;;
	esac
	# 512 MB: the dumps are as large as the guest's memory.
	machine=(-m 512 -smp 2)
	limit=120
else
	# The host's drgn and python3 run in the guest (vm/lib.sh:
	# host_tools_up), with the 9p modules; the vmlinux (600 MB) is read
	# over 9p too, the helpers from the initramfs.
	vm_kernel_modules "$krel" "$root/kmods" virtio_pci 9pnet_virtio 9p
	cp "$NTPOOL_DIR/tools/drgn/ntpool.py" "$root/ntpool.py"
	machine=(-m 1024 -smp 2
		-virtfs local,path=/usr,mount_tag=hostusr,security_model=none,readonly=on
		-virtfs "local,path=$(dirname "$vmlinux"),mount_tag=ntpooldbg,security_model=none,readonly=on")
	# A boot with drgn takes about 20 s under TCG; one that hangs
	# before /init (seen once in 40 boots) costs this limit, then boots
	# again.
	limit=180
fi
initrd="$out/initrd.cpio.gz"
vm_pack "$root" "$initrd"

accel=tcg
! vm_kvm_worth_trying || [ "$(cat "$vm_kvm_state" 2>/dev/null)" != yes ] ||
	accel=kvm

# "same WHAT EXPECTED ACTUAL": one result from two files that must agree.
same() {
	if diff -u "$2" "$3" > "$3.diff"; then
		result ok "$1"
	else
		result "not ok" "$1"
		head -n 20 "$3.diff" | sed 's/^/# /'
	fi
}

# What ntpool_verifier MODULE prints, from the debugfs verifier: the
# Driver Verification List keeps MODULE's section only.
verifier_of() {
	awk -v mod="$1" '
		/^Driver Verification List$/ { list = 1 }
		/^Violations reported$/ { list = 0 }
		list && /^MODULE: / { inmod = 1; keep = ($3 == mod) }
		!list || !inmod || keep { print }' "$2"
}

# What ntpool_poolused Tag? prints, from the debugfs poolused: the rows of
# tags that begin with "Tag", and their total.
poolused_tag() {
	awk '
		/^ TOTAL / { printf " %-5s %12d %12d %12d %12d\n", "TOTAL", a, b, c, d; next }
		/^ [^ ]+ +-?[0-9]+ / { if ($1 !~ /^Tag.$/) next; a += $2; b += $3; c += $4; d += $5 }
		{ print }' "$1"
}

# The last report the console shows (before the line STOP, if given), as
# ntpool_analyze prints it: from "*** Fatal System Error" to the caller,
# without the kernel's prefixes and without what the report printed after
# the arguments (the leak table).
console_report() {
	tr -d '\r' < "$1" | sed 's/^\[ *[0-9.]*\] //; s/^ntpool: //' |
	awk -v stop="${2:-}" '
		# Read to the end: an early exit would kill tr with SIGPIPE,
		# and pipefail the test with it.
		stopped { next }
		stop != "" && index($0, stop) { stopped = 1; next }
		/^\*\*\* Fatal System Error/ { n = 0; keep = 1; after = 0; skipping = 0 }
		!keep { next }
		/^STACK_TEXT:/ { keep = 0; next }
		/^CALLER: / { skipping = 0 }
		after && !/^(\t|CALLER: )/ { skipping = 1 }
		/^Arg4: / { after = 1 }
		skipping { next }
		{ line[n++] = $0 }
		END {
			if (!n) print "No bugcheck reported since ntpool was loaded"
			for (i = 0; i < n; i++) print line[i]
		}'
}

# What the provoking step changes between the guest's last look at
# debugfs and the panic.  c4: the unload marks ntmisuse unloaded and
# counts the violation; applied to what debugfs showed, the verifier views
# must match.  c2: the bad driver allocates and frees a block (its tag's
# row, its module's counters, and a Tag1 page that its block may come
# from) before the double free: those views are compared on the live dump
# only.
panic_edit() {
	case "$1" in
	c4) sed -e '/^MODULE: .* ntmisuse (Loaded)$/s/(Loaded)/(Unloaded)/' \
		-e '/^Violations reported$/,$s/^  none$/  DRIVER_VERIFIER_DETECTED_VIOLATION (c4) Arg1 0x62: 1/' ;;
	*) cat ;;
	esac
}
panic_skips() {
	case "$1" in
	c2) echo "tags verifier verifier-module pool-small" ;;
	esac
}

# "helpers DIR PHASE": DIR/PHASE-NAME.drgn for each query, and
# DIR/PHASE-analyze.drgn.
helpers() {
	local dir=$1 phase=$2 name cmd
	while read -r name cmd; do
		echo "$dir/$phase-$name.drgn $cmd"
	done < "$dir/$phase-queries" > "$dir/$phase-batch"
	echo "$dir/$phase-analyze.drgn analyze" >> "$dir/$phase-batch"
	if [ "$ko_by" = script ]; then
		set -- "$NTPOOL_DIR/tools/drgn/ntpool.py" --ko "$(ko ntpool)"
	else
		set -- -s "$(ko ntpool)" "$NTPOOL_DIR/tools/drgn/ntpool.py"
	fi
	drgn -q --no-default-symbols -c "$dir/$phase.core" -s "$vmlinux" \
		"$@" --batch < "$dir/$phase-batch" 2> "$dir/$phase-drgn.log"
}

# "expected DIR PHASE NAME": what debugfs showed for query NAME.
expected() {
	local dir=$1 phase=$2 name=$3
	case "$name" in
	verifier-module)
		verifier_of "$(sed -n 's/^verifier-module verifier //p' \
			"$dir/$phase-queries")" "$dir/$phase-verifier" ;;
	poolused-tag) poolused_tag "$dir/$phase-poolused" ;;
	*) cat "$dir/$phase-$name" ;;
	esac
}

# "compare SCENARIO DIR PHASE LABEL": each helper's output, DIR/PHASE-NAME.drgn,
# against what debugfs showed for the same state.
compare() {
	local scenario=$1 dir=$2 phase=$3 label=$4 name cmd
	while read -r name cmd; do
		if [ "$phase" = live ]; then
			expected "$dir" live "$name"
		else
			case " $(panic_skips "$scenario") " in
			*" $name "*) continue ;;
			esac
			expected "$dir" panic "$name" | panic_edit "$scenario"
		fi > "$dir/$phase-$name.expected"
		same "$label: ntpool.py $cmd prints what debugfs did" \
			"$dir/$phase-$name.expected" "$dir/$phase-$name.drgn"
	done < "$dir/$phase-queries"
}

# "dump_results SCENARIO DIR": the panic, the two dumps, and the helpers
# run on them here.
dump_results() {
	local scenario=$1 dir=$2 code phase
	case "$scenario" in
	c4) code='0xc4 \(0x62,' ;;
	c2) code='0xc2 \(0x7,' ;;
	esac
	if grep -aqE "Kernel panic - not syncing: ntpool: bugcheck $code" "$dir/console.log"; then
		result ok "$scenario: the kernel panicked on the bugcheck"
	else
		result "not ok" "$scenario: the kernel panicked on the bugcheck"
	fi
	for phase in live panic; do
		if [ ! -s "$dir/$phase.core" ]; then
			result "not ok" "$scenario: QEMU dumped the $phase guest"
			continue
		fi
		result ok "$scenario: QEMU dumped the $phase guest"
		if ! helpers "$dir" "$phase"; then
			result "not ok" "$scenario $phase: drgn ran the helpers"
			sed 's/^/# /' "$dir/$phase-drgn.log" | tail -n 20
			continue
		fi
		result ok "$scenario $phase: drgn ran the helpers"
		compare "$scenario" "$dir" "$phase" "$scenario $phase"
	done
	console_report "$dir/console.log" "NTPOOL-VM: live dump" > "$dir/live-analyze.expected"
	console_report "$dir/console.log" > "$dir/panic-analyze.expected"
	for phase in live panic; do
		[ -f "$dir/$phase-analyze.drgn" ] || continue
		same "$scenario $phase: ntpool_analyze prints the console's last report" \
			"$dir/$phase-analyze.expected" "$dir/$phase-analyze.drgn"
	done
	[ -n "${NTPOOL_DUMP_KEEP:-}" ] || rm -f "$dir"/*.core
}

# "kcore_results SCENARIO DIR": what the helpers printed in the guest, on
# /proc/kcore (the guest says whether drgn ran: its console's lines).
kcore_results() {
	local scenario=$1 dir=$2 name cmd f
	if grep -aq "NTPOOL-VM: steps done" "$dir/console.log"; then
		result ok "$scenario kcore: the guest ran to its end"
	else
		result "not ok" "$scenario kcore: the guest ran to its end"
	fi
	# Reading /proc/kcore is the kernel's work too (hardened usercopy,
	# vmalloc's holes): any splat fails.
	if grep -anE "$SPLATS|Call Trace:" "$dir/console.log" > "$dir/splats"; then
		result "not ok" "$scenario kcore: console free of kernel splats"
		head -n 20 "$dir/splats" | sed 's/^/# splat at console line /'
	else
		result ok "$scenario kcore: console free of kernel splats"
	fi
	if [ ! -s "$dir/live-queries" ] || [ ! -s "$dir/after-queries" ]; then
		result "not ok" "$scenario kcore: the guest sent debugfs, before and after drgn ran"
		return
	fi
	[ ! -s "$dir/live-drgn.log" ] || sed 's/^/# drgn: /' "$dir/live-drgn.log" | tail -n 20
	compare "$scenario" "$dir" live "$scenario kcore"
	console_report "$dir/console.log" > "$dir/live-analyze.expected"
	same "$scenario kcore: ntpool_analyze prints the console's last report" \
		"$dir/live-analyze.expected" "$dir/live-analyze.drgn"
	# Nothing changed while drgn ran: debugfs showed the same after.
	for f in queries $(cut -d' ' -f1 "$dir/live-queries" |
			grep -vx 'poolused-tag\|verifier-module'); do
		same "$scenario kcore: debugfs $f shows the same after drgn ran" \
			"$dir/live-$f" "$dir/after-$f"
	done
}

for scenario in ${NTPOOL_DUMP_SCENARIOS:-c4 c2}; do
	dir="$out/$scenario"
	mkdir -p "$dir"
	vm_qemu "$accel" "$(vmlinuz_for "$krel")" "$initrd" \
		"console=ttyS0 panic=0 loglevel=7 ntpool_dump=$scenario ntpool_drgn=$way ntpool_ko=$ko_by" \
		"${machine[@]}"
	log "booting $krel ($accel) for scenario $scenario ($way); console in $dir/console.log"
	progress_start "VM on $krel, drgn scenario $scenario ($way)"
	for try in 1 2; do
		python3 "$NTPOOL_DIR/tools/test/dump-vm.py" "$dir" "$limit" \
			"${vm_cmd[@]}" || true
		# A kernel that dies before /init ran none of the test (a
		# rare TCG artefact, vmtest.sh): it boots once more.
		grep -aq "NTPOOL-VM: booted" "$dir/console.log" && break
		[ "$try" = 2 ] || log "the VM died before /init ran; booting it once more"
		cp "$dir/console.log" "$dir/console.log.try$try"
	done
	progress_stop
	results_from "$dir/console.log" "$scenario"
	"${way}_results" "$scenario" "$dir"
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
