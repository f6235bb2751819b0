#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make vm as README.md shows it: a client built in a directory of its own
# (outside the clone, one line of Kbuild including tools/ntpool-client.mk),
# run with "make -C <clone> vm MODULES=<relative path> RUN=<script outside
# the clone>" on Debian's 6.12 and 6.1 kernels; the checks made before
# booting (a missing module, a module of another kernel); the run without
# a terminal; and the interactive shell, in tmux, quit with "exit" (6.12)
# and with QEMU's Ctrl-A X (6.1).
#
# Prints "ok - ..." / "not ok - ..." lines and, last, "N passed, N failed".

. "$(dirname "$0")/lib.sh"

need_pkgs $PKGS_BUILD $PKGS_KERNELS $PKGS_VM $PKGS_TOOLS

tmp=$(mktemp -d)
sock="ntpool-vm-test-$$"
cleanup() {
	tmux -L "$sock" kill-server 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT

# Does the console captured in FILE show PATTERN?  (grep reads it all: a
# grep -q that stops early would kill tr with SIGPIPE, and pipefail would
# make that a "no".)
shows() { tr -d '\r' < "$1" | grep -aE "$2" > /dev/null; }
check() {
	local desc=$1
	shift
	if "$@"; then result ok "$desc"; else result "not ok" "$desc"; fi
}

# The script the VM runs, outside the clone: unload the client, load it
# again with its leak, unload it (Driver Verifier's 0xC4/0x62), and exit
# with a status of its own, which make vm must hand back.
# (Its lines wait a little: the kernel's messages are printed straight to
# the console, and would cut into a line still going out.)
cat > "$tmp/leak.sh" <<'EOF'
sleep 1
echo "RUN-SCRIPT: on_violation=$(cat /sys/module/ntpool/parameters/on_violation)"
rmmod ntsample
insmod /modules/ntsample.ko leak=1
rmmod ntsample
sleep 1
echo "RUN-SCRIPT: done"
exit 3
EOF

for series in 6.12 6.1; do
	krel=$(kernel_release "$series")
	client="$tmp/client-$series"
	mkdir -p "$client"
	cp "$NTPOOL_DIR/tools/samples/ntsample.c" "$client/"
	printf 'include %s/tools/ntpool-client.mk\nobj-m := ntsample.o\n' \
		"$NTPOOL_DIR" > "$client/Kbuild"
	build=$(build_for "$krel" modules)
	check "$krel: a client builds out of the clone against ntpool-client.mk" \
		sh -c "make -s -C '$(kdir_for "$krel")' M='$client' modules \
			> '$client/build.log' 2>&1"
	# Each release's ntpool has its own CRCs: the client must carry the
	# ones of ntpool built for its release, not another's.
	crc=$(awk '$2 == "ntpool_allocate" { print $1 }' "$build/Module.symvers")
	check "$krel: the client links against ntpool built for $krel (CRC $crc)" \
		grep -q "{ $crc, \"ntpool_allocate\" }" "$client/ntsample.mod.c"

	out="$tmp/run-$series.log"
	set +e
	(cd "$client" && make -C "$NTPOOL_DIR" vm KVER="$series" \
		MODULES=ntsample.ko RUN=../leak.sh) > "$out" 2>&1
	rc=$?
	set -e
	check "$krel: make vm RUN=: ntpool loaded with on_violation=warn" \
		shows "$out" "RUN-SCRIPT: on_violation=warn"
	check "$krel: make vm RUN=: the module (a path relative to make's caller) loaded" \
		sh -c "tr -d '\r' < '$out' | grep -a 'ntsample: DriverEntry' > /dev/null &&
			! grep -aq 'insmod .* failed' '$out'"
	check "$krel: make vm RUN=: the script outside the clone ran" \
		shows "$out" "RUN-SCRIPT: done"
	check "$krel: make vm RUN=: the leak report is shown (0xC4/0x62)" \
		shows "$out" "DRIVER_VERIFIER_DETECTED_VIOLATION \(c4\)"
	check "$krel: make vm RUN=: the VM powered off after the script" \
		shows "$out" "NTPOOL-VM: steps done"
	check "$krel: make vm RUN=: exits with the script's status (3)" \
		sh -c "[ $rc -ne 0 ] && grep -aq 'vm] Error 3' '$out'"
done

# Fails, says PATTERN (a fixed string), and boots nothing.
refused() {
	local out=$1 pattern=$2
	shift 2
	! "$@" > "$out" 2>&1 && grep -qF "$pattern" "$out" && ! grep -q "booting" "$out"
}

# A client for a release ntpool was not built for stops at build time,
# naming the release and the command (an ntpool tree of its own, with a
# version DKMS has not installed, so that nothing else matches).
fake="$tmp/ntpool-unbuilt"
mkdir -p "$fake/tools" "$tmp/client-unbuilt"
cp "$NTPOOL_DIR/tools/ntpool-client.mk" "$fake/tools/"
ln -s "$NTPOOL_DIR/include" "$fake/include"
echo 'PACKAGE_VERSION="0.0.0-unbuilt"' > "$fake/dkms.conf"
cp "$NTPOOL_DIR/tools/samples/ntsample.c" "$tmp/client-unbuilt/"
printf 'include %s/tools/ntpool-client.mk\nobj-m := ntsample.o\n' "$fake" \
	> "$tmp/client-unbuilt/Kbuild"
k61=$(kernel_release 6.1)
check "a client for a release ntpool was not built for stops, saying how to build it" \
	refused "$tmp/unbuilt.log" \
	"ntpool: not built for kernel $k61 (no $fake/build/$k61/Module.symvers): build it first with \"make -C $fake KDIR=/usr/src/linux-headers-$k61\"" \
	make -C "$(kdir_for "$k61")" M="$tmp/client-unbuilt" modules

# Checked before booting: no VM starts.
k612=$(kernel_release 6.12)
check "make vm refuses a missing module, before booting" \
	refused "$tmp/missing.log" "no such file: nosuch.ko" \
	make -C "$NTPOOL_DIR" vm MODULES=nosuch.ko
check "make vm refuses a module built for another kernel, before booting" \
	refused "$tmp/other.log" "was built for kernel $k61, not $k612" \
	make -C "$NTPOOL_DIR" vm MODULES="$tmp/client-6.1/ntsample.ko"

# No terminal, no RUN: loads, shows, powers off.
out="$tmp/show.log"
set +e
make -C "$NTPOOL_DIR" vm MODULES="$tmp/client-6.12/ntsample.ko" < /dev/null > "$out" 2>&1
rc=$?
set -e
check "make vm without a terminal: runs, shows ntpool's tags, exits 0" \
	sh -c "[ $rc -eq 0 ] && tr -d '\r' < '$out' | grep -aE '^abcd +Paged' > /dev/null"

# The interactive shell, in tmux: wait (up to 300 s) for PATTERN in the
# pane's log.
wait_for() {
	local logf=$1 pattern=$2 i
	for i in $(seq 1 1500); do
		shows "$logf" "$pattern" && return 0
		sleep 0.2
	done
	return 1
}
interactive() {
	local series=$1 quit=$2 logf="$tmp/tmux-$1.log" s="vm-${1/./}"
	: > "$logf"
	tmux -L "$sock" new-session -d -s "$s" -x 150 -y 40 \
		"cd '$tmp/client-$series' && make -C '$NTPOOL_DIR' vm KVER=$series MODULES=ntsample.ko; echo \"MAKE-VM: exited \$?\"; sleep 30"
	tmux -L "$sock" pipe-pane -t "$s" -o "cat >> '$logf'"
	check "$series: make vm on a terminal: a shell with the banner saying how to quit" \
		wait_for "$logf" "To quit: exit"
	tmux -L "$sock" send-keys -t "$s" \
		"echo MODS=\$(grep -c '^ntsample ' /proc/modules) MON=\$(ntpoolmon --once | grep -c abcd)" Enter
	check "$series: make vm on a terminal: typed commands run (module loaded, ntpoolmon on PATH)" \
		wait_for "$logf" "MODS=1 MON=1"
	case "$quit" in
	exit) tmux -L "$sock" send-keys -t "$s" "exit" Enter ;;
	ctrl-a-x) tmux -L "$sock" send-keys -t "$s" C-a x ;;
	esac
	check "$series: make vm on a terminal: quits with $quit" \
		wait_for "$logf" "MAKE-VM: exited 0"
	tmux -L "$sock" kill-session -t "$s" 2>/dev/null || true
}
interactive 6.12 exit
interactive 6.1 ctrl-a-x

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
