#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ntpool through DKMS, as README.md tells a user to install it: for each of
# Debian's 6.12 and 6.1 kernels, "make dkms-install KVER=...", a client
# module built from its own directory against the installed ntpool (the
# make fragment and DKMS's Module.symvers), and both loaded in the VM.
# Uninstalls ntpool from DKMS at the end.
#
# Prints "ok - ..." / "not ok - ..." lines and, last, "N passed, N failed".

. "$(dirname "$0")/lib.sh"

need_pkgs $PKGS_BUILD $PKGS_KERNELS $PKGS_VM $PKGS_DKMS

check() {
	local desc=$1
	shift
	if "$@" >> "$logf" 2>&1; then result ok "$desc"; else
		result "not ok" "$desc"
		tail -20 "$logf" >&2
	fi
}

version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$NTPOOL_DIR/dkms.conf")
symvers_of() { echo "/var/lib/dkms/ntpool/$version/$1/x86_64/Module.symvers"; }
logf="$NTPOOL_OUT/dkms.log"
: > "$logf"

# A client the way a user keeps one: its own directory, one Kbuild line.
client_build() {
	local krel=$1 dir=$2
	rm -rf "$dir"
	mkdir -p "$dir"
	cp "$NTPOOL_DIR/tools/samples/ntsample.c" "$dir/"
	printf 'include /usr/src/ntpool-%s/tools/ntpool-client.mk\nobj-m := ntsample.o\n' \
		"$version" > "$dir/Kbuild"
	make -C "/lib/modules/$krel/build" M="$dir" modules > "$dir/build.log" 2>&1 &&
		! grep -E 'WARNING|undefined' "$dir/build.log"
}

for series in 6.12 6.1; do
	krel=$(kernel_release "$series")
	client="$NTPOOL_OUT/dkms-client-$krel"
	mods="$NTPOOL_OUT/dkms-modules-$krel"
	check "$krel: make dkms-install KVER=$krel" \
		make -C "$NTPOOL_DIR" dkms-install KVER="$krel"
	check "$krel: dkms status shows ntpool/$version installed" \
		sh -c "dkms status -m ntpool -v $version -k $krel | grep -q ': installed'"
	# Compressed where the kernel's modules are (6.12), plain otherwise.
	ko=$(ls /lib/modules/"$krel"/updates/dkms/ntpool.ko* 2>/dev/null | head -n 1)
	ko=${ko:-/lib/modules/$krel/updates/dkms/ntpool.ko}
	check "$krel: the module is in updates/dkms, version $version" \
		sh -c "test \"\$(modinfo -F version $ko)\" = $version"
	check "$krel: built for this kernel (vermagic)" \
		sh -c "modinfo -F vermagic $ko | grep -q '^$krel '"
	check "$krel: modprobe finds it (depmod ran)" \
		sh -c "modprobe -S $krel --show-depends ntpool | grep -q updates/dkms/ntpool.ko"
	check "$krel: DKMS keeps ntpool's Module.symvers for clients" \
		grep -q 'ntpool_allocate' "$(symvers_of "$krel")"
	check "$krel: a client builds against the installed ntpool, no modpost warnings" \
		client_build "$krel" "$client"
	check "$krel: the client depends on ntpool" \
		sh -c "test \"\$(modinfo -F depends $client/ntsample.ko)\" = ntpool"
	rm -rf "$mods"
	mkdir -p "$mods"
	case "$ko" in
	*.xz) xz -dc "$ko" > "$mods/ntpool.ko" ;;
	*) cp "$ko" "$mods/ntpool.ko" ;;
	esac
	cp "$client/ntsample.ko" "$mods/"
	set +e
	NTPOOL_VM_MODULES="$mods" "$NTPOOL_DIR/tools/test/vmtest.sh" "$series" dkms.sh \
		> "$NTPOOL_OUT/dkms-vm-$krel.log" 2>&1
	set -e
	results_from "$NTPOOL_OUT/dkms-vm-$krel.log"
done

check "make dkms-uninstall" make -C "$NTPOOL_DIR" dkms-uninstall
check "dkms no longer lists ntpool" sh -c "! dkms status -m ntpool | grep -q ."

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
