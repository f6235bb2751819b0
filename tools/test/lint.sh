#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Kernel style checks: W=1 builds against Debian's 6.12 and 6.1 headers with
# no warnings, sparse (C=1) with no warnings, checkpatch with no errors or
# warnings (kernel scripts from the cached linux-source tree), the parts of
# the source calling downward only, and the documentation.
#
# Prints "ok - ..." / "not ok - ..." lines and, last, "N passed, N failed".

. "$(dirname "$0")/lib.sh"

need_pkgs $PKGS_BUILD $PKGS_KERNELS $PKGS_LINT $PKGS_KUNIT

# Build in a private copy with extra flags; warnings are failures.  The
# copy is made afresh for the W=1 build; sparse then runs over the same
# copy (C=2 checks every file, and with the same flags nothing is compiled
# again).
build_log() {
	local krel=$1 flags=$2 dir="$NTPOOL_OUT/lint-$1"
	if [ "$flags" = W=1 ]; then
		rm -rf "$dir"
		mkdir -p "$dir"
		(cd "$NTPOOL_DIR" && tar --exclude=./.out --exclude=./.git \
			--exclude=./build -cf - .) | (cd "$dir" && tar -xf -)
	fi
	make -C "$(kdir_for "$krel")" M="$dir" CONFIG_NTPOOL=m NTPOOL_BENCH=y $flags modules 2>&1 &&
	make -C "$(kdir_for "$krel")" M="$dir/tools/samples" \
		NTPOOL_SYMVERS="$dir/Module.symvers" $flags modules 2>&1
}

for series in 6.12 6.1; do
	krel=$(kernel_release "$series")
	logf="$NTPOOL_OUT/lint-w1-$krel.log"
	if build_log "$krel" W=1 > "$logf" && ! grep -qE 'warning:|error:' "$logf"; then
		result ok "W=1 build against $krel has no warnings"
	else
		result "not ok" "W=1 build against $krel has no warnings"
		grep -B2 -A6 -E 'warning:|error' "$logf" | head -60 >&2
	fi
done

# Only what sparse says about ntpool's own files counts.  Sparse 0.6.4 has
# no -Wno-multichar, so the NT tag literals of the sample clients ('1BrW')
# are let through; ntpool itself spells its few tags in hex.
sparse_findings() {
	grep -F "$NTPOOL_OUT/lint-$krel/" "$logf" |
		grep -E ': (warning|error):' |
		grep -v 'multi-character character constant' || true
}
for series in 6.12 6.1; do
	krel=$(kernel_release "$series")
	logf="$NTPOOL_OUT/lint-sparse-$krel.log"
	# ... and sparse must have looked at every source file.
	if build_log "$krel" "W=1 C=2" > "$logf" && [ -z "$(sparse_findings)" ] &&
	   [ "$(grep -c '^  CHECK ' "$logf")" -ge "$(find "$NTPOOL_DIR"/ntpool -name '*.c' ! -name '*.mod.c' | wc -l)" ]; then
		result ok "sparse (C=2) against $krel reports nothing"
	else
		result "not ok" "sparse (C=2) against $krel reports nothing"
		sparse_findings | head -40 >&2
	fi
done

# checkpatch and kernel-doc from Debian's 6.12 source (extracted once).
src=$(linux_source)
checkpatch="$src/scripts/checkpatch.pl"
files=$(cd "$NTPOOL_DIR" && find ntpool include kunit tools/samples \
	tools/ntpoolmon -name '*.[ch]' ! -name '*.mod.c' | sort)
logf="$NTPOOL_OUT/lint-checkpatch.log"
# Trace event headers are laid out the kernel's way (TP_STRUCT__entry( on a
# line of its own, TP_PROTO under the event's name), which --strict's
# layout checks do not know: those two are off for ntpool/report/trace.h only.
trace_ignore=OPEN_ENDED_LINE,PARENTHESIS_ALIGNMENT
if (cd "$NTPOOL_DIR" &&
    perl "$checkpatch" --no-tree --strict --terse --show-types \
	-f $(echo "$files" | grep -v '^ntpool/report/trace\.h$') &&
    perl "$checkpatch" --no-tree --strict --terse --show-types \
	--ignore "$trace_ignore" -f ntpool/report/trace.h) > "$logf" 2>&1 &&
   ! grep -qE '(ERROR|WARNING|CHECK):' "$logf"; then
	result ok "checkpatch --strict is clean"
else
	result "not ok" "checkpatch --strict is clean"
	head -40 "$logf" >&2
fi

logf="$NTPOOL_OUT/lint-kernel-doc.log"
if (cd "$NTPOOL_DIR" && perl "$src/scripts/kernel-doc" -none -Wall \
	include/ntpool/*.h ntpool/*.[ch] ntpool/*/*.[ch]) > "$logf" 2>&1 && ! grep -q . "$logf"; then
	result ok "kernel-doc -Wall finds nothing to warn about"
else
	result "not ok" "kernel-doc -Wall finds nothing to warn about"
	head -20 "$logf" >&2
fi

# api.rst's kernel-doc directives, as Sphinx would run them: each must
# produce its reference without a warning.
logf="$NTPOOL_OUT/lint-api-rst.log"
: > "$logf"
api_ok=1
while read -r file export; do
	out=$(cd "$NTPOOL_DIR" && perl "$src/scripts/kernel-doc" -rst -sphinx-version 5.3.0 -Wall \
		${export:+-export} "$file" 2>> "$logf") || api_ok=
	[ -n "$out" ] || { echo "$file: no reference produced" >> "$logf"; api_ok=; }
done < <(awk '/^\.\. kernel-doc::/ { if (f) print f, e; f = $3; e = "" }
	     /:export:/ { e = "export" } END { if (f) print f, e }' \
	     "$NTPOOL_DIR/Documentation/api.rst")
if [ -n "$api_ok" ] && ! grep -q . "$logf"; then
	result ok "api.rst: every kernel-doc directive renders without warnings"
else
	result "not ok" "api.rst: every kernel-doc directive renders without warnings"
	head -20 "$logf" >&2
fi

# The parts call downward only (Documentation/internals.rst).
if python3 "$NTPOOL_DIR/tools/test/layers.py" > "$NTPOOL_OUT/lint-layers.log" 2>&1; then
	result ok "no source includes a part above its own"
else
	result "not ok" "no source includes a part above its own"
	head -20 "$NTPOOL_OUT/lint-layers.log" >&2
fi

if python3 "$NTPOOL_DIR/tools/test/rst-check.py" > "$NTPOOL_OUT/lint-rst.log" 2>&1; then
	result ok "Documentation/*.rst parse without warnings"
else
	result "not ok" "Documentation/*.rst parse without warnings"
	head -20 "$NTPOOL_OUT/lint-rst.log" >&2
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
