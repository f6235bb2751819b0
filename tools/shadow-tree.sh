#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Mirror ntpool's sources into a build directory, as symbolic links:
#
#   tools/shadow-tree.sh SRC DEST
#
# The Makefile builds for each kernel release in build/<release>/ (kbuild of
# 6.1 and 6.12 puts its objects next to the sources, and has no MO=), so
# that builds for several kernels keep their own objects and Module.symvers.
# Only sources are mirrored: in a git work tree the files git tracks (or
# new ones it does not ignore), elsewhere (a DKMS copy, an unpacked
# tarball) the files named like sources; never the products of an in-tree
# build.  Links to sources that are gone are removed.

set -e
src=$1
dest=$2
[ -d "$src" ] && [ -n "$dest" ] || {
	echo "usage: $0 SRC DEST" >&2
	exit 2
}
src=$(cd "$src" && pwd)
mkdir -p "$dest"

# (A tree inside some other git work tree that ignores it is listed with
# find too: git knows none of its files.)
files() {
	if [ -z "${NTPOOL_NO_GIT:-}" ] &&
	   git -C "$src" ls-files --error-unmatch Kbuild >/dev/null 2>&1; then
		git -C "$src" ls-files --cached --others --exclude-standard
	else
		(cd "$src" && find . \( -path ./build -o -path ./.out -o \
			-path ./.git \) -prune -o -type f -print) | sed 's|^\./||'
	fi
}
sources() {
	files | grep -E '(^|/)(Kbuild|Kconfig|Makefile|dkms\.conf|[^/]*\.mk|[^/]*\.[ch])$' |
		grep -vE '(^|/)[^/]*\.mod\.c$|^build/|^\.out/'
}

sources | sort -u | while IFS= read -r f; do
	[ -e "$src/$f" ] || continue
	[ "$(readlink "$dest/$f" 2>/dev/null)" = "$src/$f" ] && continue
	mkdir -p "$dest/$(dirname "$f")"
	ln -sfn "$src/$f" "$dest/$f"
done
# Sources deleted or renamed since the last build.
find "$dest" -xtype l -delete
