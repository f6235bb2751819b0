#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# DKMS POST_BUILD (run in the build directory): keep ntpool's
# Module.symvers for this kernel where client modules find it.
#   post-build.sh DEST BUILD   (BUILD: the Makefile's build/<release>)
set -e
mkdir -p "$1"
cp "${2:-.}/Module.symvers" "$1/Module.symvers"
