#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run ntpool's KUnit suites under UML with kunit.py from Debian's
# linux-source-6.12.  The extracted source and the UML build directory are
# cached outside the clone, keyed by the package version, and rebuilt when
# absent; ntpool's sources are copied into drivers/ntpool on every run.
#
# Prints kunit.py's results and, last, "N passed, N failed".

. "$(dirname "$0")/lib.sh"

need_pkgs $PKGS_BUILD $PKGS_KUNIT
ver=$(dpkg-query -W -f='${Version}' linux-source-6.12)
src="$NTPOOL_CACHE/linux-source-$ver"
build=${NTPOOL_KUNIT_BUILD:-$NTPOOL_CACHE/uml-build-$ver}
kunitconfig=${NTPOOL_KUNITCONFIG:-$NTPOOL_DIR/kunit/.kunitconfig}

if [ ! -f "$src/.ntpool-ready" ]; then
	log "extracting linux-source $ver into $src (once)"
	rm -rf "$src" "$src.tmp"
	mkdir -p "$src.tmp"
	tar -xaf /usr/src/linux-source-6.12.tar.xz -C "$src.tmp" \
		--strip-components=1
	# Hook drivers/ntpool into the tree's Kconfig and Makefile.
	sed -i '$ i source "drivers/ntpool/Kconfig"' "$src.tmp/drivers/Kconfig"
	echo 'obj-y += ntpool/' >> "$src.tmp/drivers/Makefile"
	touch "$src.tmp/.ntpool-ready"
	mv "$src.tmp" "$src"
fi

# Copy the sources only: build products of out-of-tree builds must not leak
# into the kernel tree.
rm -rf "$src/drivers/ntpool"
mkdir -p "$src/drivers/ntpool"
(cd "$NTPOOL_DIR" && find . \( -name .git -o -name .out \) -prune -o \
	\( -name '*.[ch]' -o -name Kbuild -o -name Kconfig -o \
	   -name .kunitconfig \) -print | cpio -pdm --quiet "$src/drivers/ntpool")

# kunit.py shows the kernel's log lines too when asked (the benchmark).
raw=
[ -z "${NTPOOL_KUNITCONFIG:-}" ] || raw=--raw_output=all

out="$NTPOOL_OUT/kunit${NTPOOL_KUNITCONFIG:+-bench}.log"
set +e
python3 "$src/tools/testing/kunit/kunit.py" run \
	--kunitconfig="$kunitconfig" \
	--build_dir="$build" --jobs="$(nproc)" --timeout=600 $raw 2>&1 | tee "$out"
rc=${PIPESTATUS[0]}
set -e

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
[ "$rc" -eq 0 ] || [ "$failed" -gt 0 ] || failed=1
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
