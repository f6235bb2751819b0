#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: on a fresh Debian 12 machine, install what is needed, build
# ntpool and the sample clients against Debian's 6.12 kernel headers, boot
# that kernel in QEMU, load them, and show the console.

. "$(dirname "$0")/lib.sh"

series=${1:-6.12}
# What the run is doing (building, booting) as it goes; the rest when done.
set +e
"$NTPOOL_DIR/tools/test/vmtest.sh" "$series" demo.sh 2>&1 |
	tee "$NTPOOL_OUT/demo-run.log" | grep --line-buffered '^ntpool: ' >&2
rc=${PIPESTATUS[0]}
set -e
krel=$(kernel_release "$series")
console="$NTPOOL_OUT/console-$krel-demo.log"
[ -f "$console" ] || { cat "$NTPOOL_OUT/demo-run.log"; die "the VM did not run"; }
echo "ntpool demo on Debian's kernel $krel (QEMU); full console: $console"
tr -d '\r' < "$console" | sed -n '/NTPOOL-VM: booted/,/NTPOOL-VM: steps done/p' |
	grep -av '^NTPOOL-VM: suite ' | sed -e 's/^\[ *[0-9.]*\] //'
grep -E 'console free of' "$NTPOOL_OUT/demo-run.log" || true
exit $rc
