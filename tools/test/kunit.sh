#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run ntpool's KUnit suites under UML with kunit.py from Debian's
# linux-source-6.12.  The extracted source and the UML build directory are
# cached outside the clone, keyed by the package version, and rebuilt when
# absent; ntpool's sources are copied into drivers/ntpool on every run.
# A kernel splat in the run's log (lockdep, KASAN, sleeping in atomic
# context, WARNING...: SPLATS in lib.sh) fails it even if every test passed.
#
# Prints kunit.py's results, a "not ok" line per splat and, last,
# "N passed, N failed".

. "$(dirname "$0")/lib.sh"

need_pkgs $PKGS_BUILD $PKGS_KUNIT
ver=$(linux_source_version)
src=$(linux_source)
build=${NTPOOL_KUNIT_BUILD:-$NTPOOL_CACHE/uml-build-$ver}
kunitconfig=${NTPOOL_KUNITCONFIG:-$NTPOOL_DIR/kunit/.kunitconfig}

# The extracted tree and its UML build are shared by every clone on the
# machine: one run at a time.
exec 9>"$NTPOOL_CACHE/kunit.lock"
flock 9

# Copy the sources only: build products of out-of-tree builds must not leak
# into the kernel tree.  A file is replaced only when its contents differ,
# and then gets a new time: make must rebuild what changed even when the
# clone's file is older than an object built from another clone's copy.
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
(cd "$NTPOOL_DIR" && find . \( -name .git -o -name .out -o -path ./build \) -prune -o \
	\( -name '*.[ch]' -o -name Kbuild -o -name Kconfig -o \
	   -name .kunitconfig -o -name dkms.conf \) -print | cpio -pd --quiet "$stage")
dst="$src/drivers/ntpool"
mkdir -p "$dst"
(cd "$dst" && find . -type f \( -name '*.[ch]' -o -name Kbuild -o \
	-name Kconfig -o -name .kunitconfig -o -name dkms.conf \) -print) |
while IFS= read -r f; do
	[ -e "$stage/$f" ] || rm -f "$dst/$f"
done
(cd "$stage" && find . -type f -print) | while IFS= read -r f; do
	if ! cmp -s "$stage/$f" "$dst/$f"; then
		mkdir -p "$(dirname "$dst/$f")"
		rm -f "$dst/$f"
		cp "$stage/$f" "$dst/$f"
	fi
done

# kunit.py shows the kernel's log lines too when asked (the benchmark).
raw=
[ -z "${NTPOOL_KUNITCONFIG:-}" ] || raw=--raw_output=all
# One more kernel argument, if asked (tools/bench/profile.sh).
args=()
[ -z "${NTPOOL_KUNIT_ARG:-}" ] || args=(--kernel_args="$NTPOOL_KUNIT_ARG")

out="$NTPOOL_OUT/kunit${NTPOOL_KUNITCONFIG:+-bench}.log"
# kunit.py is silent while it builds (minutes on a cold cache).
progress_start "KUnit under UML (kunit.py: build, then run)" "$build"
set +e
python3 "$src/tools/testing/kunit/kunit.py" run \
	--kunitconfig="$kunitconfig" \
	--build_dir="$build" --jobs="$(nproc)" --timeout=600 $raw "${args[@]}" 2>&1 | tee "$out"
rc=${PIPESTATUS[0]}
set -e
progress_stop
# kunit.py's parsed output leaves out the kernel's own lines: the whole log
# is the build directory's test.log (ours while the lock is held).
klog="$NTPOOL_OUT/kunit${NTPOOL_KUNITCONFIG:+-bench}-kernel.log"
cp "$build/test.log" "$klog" 2>/dev/null || : > "$klog"

summary=$(grep -E 'Testing complete\. Ran [0-9]+ tests' "$out" | tail -n 1)
if [ -z "$summary" ]; then
	log "kunit.py did not run the tests (exit $rc); see $out"
	echo "0 passed, 1 failed"
	exit 1
fi
passed=$(echo "$summary" | grep -oE 'passed: [0-9]+' | grep -oE '[0-9]+' || echo 0)
failed=$(echo "$summary" | grep -oE 'failed: [0-9]+' | grep -oE '[0-9]+' || echo 0)
crashed=$(echo "$summary" | grep -oE 'crashed: [0-9]+' | grep -oE '[0-9]+' || echo 0)
failed=$((failed + crashed))
# Each distinct splat line is a failure, shown with what precedes and
# follows it (the function and the backtrace).  One warning is UML's own,
# at every boot: kunit.py's arch_uml.config enables virtio PCI with no
# device for it (arch/um/drivers/virt-pci.c).
uml_own='WARNING: .* at arch/um/drivers/virt-pci\.c:'
while IFS= read -r splat; do
	echo "not ok - kernel log: $splat"
	grep -aF -m 1 -B 3 -A 25 -- "$splat" "$klog" | sed 's/^/# /'
	failed=$((failed + 1))
done < <(grep -aE "$SPLATS" "$klog" | grep -avE "$uml_own" |
	sed 's/^\[[ 0-9.]*\] //' | awk '!seen[$0]++')
[ "$rc" -eq 0 ] || [ "$failed" -gt 0 ] || failed=1
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
