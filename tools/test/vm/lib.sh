#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Helpers for the steps run inside the test VM (sourced as /lib.sh).
# Each check prints "ok - ..." or "not ok - ...", which the host counts.

D=/sys/kernel/debug/ntpool

check() {
	desc=$1
	shift
	if "$@"; then echo "ok - $desc"; else echo "not ok - $desc"; fi
}

has() { grep -qE "$2" "$1"; }
# A copy with content (debugfs files report size 0) that lacks a pattern.
lacks() { test -s "$1" && ! grep -qE "$2" "$1"; }
count() { test "$(grep -cE "$2" "$1")" -eq "$3"; }
in_modules() { grep -q "^$1 " /proc/modules; }
used_by() { grep "^$1 " /proc/modules | grep -q "$2"; }
