#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs inside the test VM with the modules of the DKMS test: ntpool as DKMS
# built and installed it, and a client built against that install.
. /lib.sh

check "insmod the DKMS-built ntpool" insmod /modules/ntpool.ko
check "insmod the client built against it" insmod /modules/ntsample.ko
check "the client imports ntpool's symbols" used_by ntpool ntsample
check "tags shows the client's block (abcd, paged)" has $D/tags '^abcd Paged +1 +0 +1 +80 '
check "rmmod the client" rmmod ntsample
check "rmmod ntpool" rmmod ntpool
