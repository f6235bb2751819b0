#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs inside the test VM: ntpool's trace events through the host's own
# perf (Debian's linux-perf) and bpftrace, run from the host's /usr, on
# sample clients whose allocations are known: the commands of
# Documentation/tracing.rst, with what they print checked.
# ntpool-vm: host-tools
# ntpool-vm: timeout=300
. /lib.sh

# "tool OUT CMD...": CMD on the host's /usr, its output in OUT and its
# errors in OUT.err (never on the console, where a tool's "WARNING:" would
# read as a kernel splat).
tool() {
	out=$1
	shift
	on_host "$@" > "$out" 2> "$out.err"
}
# "in_order FILE PATTERN..." do lines match the patterns, one after the
# other (others may come between)?
in_order() {
	file=$1
	shift
	printf '%s\n' "$@" > /tmp/in_order
	awk 'NR == FNR { p[++n] = $0; next }
		k < n && $0 ~ p[k + 1] { k++ } END { exit k < n }' /tmp/in_order "$file"
}

tools_up() { host_tools_up && test -x $H/usr/bin/perf && test -x $H/usr/bin/bpftrace; }
check "the host's /usr is mounted, with perf and bpftrace" tools_up
if ! test -x $H/usr/bin/bpftrace; then
	echo "not ok - perf and bpftrace cannot run without the host's /usr: the rest is not run"
	exit 0
fi
check "insmod ntpool on_violation=report" insmod /modules/ntpool.ko on_violation=report
check "the pool type is a number in the events' format, for perf" \
	has /sys/kernel/debug/tracing/events/ntpool/ntpool_alloc/format \
	'__print_symbolic\(REC->pool_type, \{ 0, "NonPagedPool" \}, \{ 1, "PagedPool" \}\)'

echo "=== perf record and perf script: nttags loaded and unloaded"
check "perf record -e ntpool:ntpool_alloc -e ntpool:ntpool_free -- (insmod, rmmod nttags)" \
	tool /tmp/record perf record -e ntpool:ntpool_alloc -e ntpool:ntpool_free \
	-o /tmp/nttags.data -- sh -c 'insmod /modules/nttags.ko && rmmod nttags'
check "perf record wrote 36 samples" has /tmp/record.err '\(36 samples\)'
check "perf script" tool /tmp/script perf script -i /tmp/nttags.data
head -n 3 /tmp/script
check "36 events, all of nttags" count /tmp/script ' ntpool:ntpool_(alloc|free): tag=Tag[123] .* module=nttags$' 36
# (perf names the caller from what it knew of the kernel's symbols when it
# started: in a module loaded since, a raw address or a wrong name.)
ev() { echo "^ +$1 +[0-9]+ \[[0-9]+\] +[0-9.]+: +ntpool:ntpool_$2: tag=$3 size=$4 pool=$5 ptr=0x[0-9a-f]+ caller=[^ ]+ module=nttags\$"; }
check "10 allocations of Tag1, 100 bytes, non-paged" count /tmp/script "$(ev insmod alloc Tag1 100 NonPagedPool)" 10
check "3 allocations of Tag2, 5000 bytes, paged" count /tmp/script "$(ev insmod alloc Tag2 5000 PagedPool)" 3
check "5 allocations of Tag3, 1000 bytes, paged" count /tmp/script "$(ev insmod alloc Tag3 1000 PagedPool)" 5
check "insmod frees 5 Tag3 blocks (1024 bytes each)" count /tmp/script "$(ev insmod free Tag3 1024 PagedPool)" 5
check "insmod frees 4 Tag1 blocks (128 bytes each)" count /tmp/script "$(ev insmod free Tag1 128 NonPagedPool)" 4
check "rmmod frees the other 6 Tag1 blocks" count /tmp/script "$(ev rmmod free Tag1 128 NonPagedPool)" 6
check "rmmod frees the 3 Tag2 blocks (8192 bytes each)" count /tmp/script "$(ev rmmod free Tag2 8192 PagedPool)" 3
sed -n 's/.*ntpool_alloc: .* ptr=\([^ ]*\) .*/\1/p' /tmp/script | sort > /tmp/allocated
sed -n 's/.*ntpool_free: .* ptr=\([^ ]*\) .*/\1/p' /tmp/script | sort > /tmp/freed
check "every block freed is one allocated, once" \
	sh -c "cmp -s /tmp/allocated /tmp/freed && test \$(uniq /tmp/freed | wc -l) -eq 18"

echo "=== perf record --filter, system-wide"
check "perf record -e ntpool:ntpool_alloc --filter 'module == \"ntwriter\"' -a -- (ntwriter writes=20, nttags)" \
	tool /tmp/record2 perf record -e ntpool:ntpool_alloc --filter 'module == "ntwriter"' \
	-a -o /tmp/filter.data -- sh -c 'insmod /modules/ntwriter.ko writes=20 && insmod /modules/nttags.ko'
check "perf script" tool /tmp/script2 perf script -i /tmp/filter.data
head -n 3 /tmp/script2
check "20 events, every one of ntwriter's WrB1 buffers" \
	count /tmp/script2 '^ +insmod +[0-9]+ .* ntpool:ntpool_alloc: tag=WrB1 size=[0-9]+ pool=PagedPool ptr=0x[0-9a-f]+ caller=[^ ]+ module=ntwriter$' 20
check "and nothing else" test "$(grep -c . /tmp/script2)" -eq 20
rmmod nttags ntwriter

echo "=== bpftrace: allocations counted by tag"
check "bpftrace -e 'tracepoint:ntpool:ntpool_alloc { @[args->tag] = count(); }' -c 'insmod nttags'" \
	tool /tmp/bt1 bpftrace -e 'tracepoint:ntpool:ntpool_alloc { @[args->tag] = count(); }' \
	-c '/usr/sbin/insmod /modules/nttags.ko'
cat /tmp/bt1
check "@[Tag1]: 10" has /tmp/bt1 '^@\[Tag1\]: 10$'
check "@[Tag2]: 3" has /tmp/bt1 '^@\[Tag2\]: 3$'
check "@[Tag3]: 5" has /tmp/bt1 '^@\[Tag3\]: 5$'
check "no other tag" count /tmp/bt1 '^@' 3
rmmod nttags

echo "=== bpftrace: a histogram of the sizes of one tag"
check "bpftrace -e 'tracepoint:ntpool:ntpool_alloc /args->tag == \"WrB1\"/ { @ = hist(args->size); }' -c 'insmod ntwriter writes=100'" \
	tool /tmp/bt2 bpftrace -e 'tracepoint:ntpool:ntpool_alloc /args->tag == "WrB1"/ { @ = hist(args->size); }' \
	-c '/usr/sbin/insmod /modules/ntwriter.ko writes=100'
cat /tmp/bt2
# ntwriter's lengths (xorshift32 from seed 1, 1..10000 bytes), counted in
# bpftrace's power-of-two buckets ("low count"); and the histogram's
# non-empty buckets the same way.
awk 'BEGIN {
	x = 1
	for (i = 0; i < 100; i++) {
		x = xor(x, and(lshift(x, 13), 4294967295))
		x = xor(x, rshift(x, 17))
		x = xor(x, and(lshift(x, 5), 4294967295))
		for (low = 1; low * 2 <= x % 10000 + 1; low *= 2)
			;
		n[low]++
	}
	for (low in n)
		print low, n[low]
}' | sort -n > /tmp/hist-expected
awk '/^\[/ {
	sub(/ *\|.*/, "")
	low = substr($1, 2)
	sub(/[],]$/, "", low)
	unit = low ~ /K$/ ? 1024 : low ~ /M$/ ? 1048576 : 1
	sub(/[KM]$/, "", low)
	if ($NF > 0)
		print low * unit, $NF
}' /tmp/bt2 | sort -n > /tmp/hist
check "the histogram has ntwriter's 100 lengths in their buckets" \
	sh -c "test -s /tmp/hist && cmp -s /tmp/hist /tmp/hist-expected"
rmmod ntwriter

echo "=== bpftrace: the stacks that allocate one tag"
check "bpftrace -e 'tracepoint:ntpool:ntpool_alloc /args->tag == \"Tag2\"/ { @[kstack] = count(); }' -c 'insmod nttags'" \
	tool /tmp/bt3 bpftrace -e 'tracepoint:ntpool:ntpool_alloc /args->tag == "Tag2"/ { @[kstack] = count(); }' \
	-c '/usr/sbin/insmod /modules/nttags.ko'
cat /tmp/bt3
# One stack per way into ntpool: the first allocation at a call site makes
# its site on the general path, the next may take the fast path (pcp.c),
# whether a kept big block is there depends on the suites run before.
stacks=$(grep -c '^@\[$' /tmp/bt3)
check "one or two stacks" sh -c "test $stacks -ge 1 -a $stacks -le 2"
check "3 allocations in all" \
	sh -c "test \$(sed -n 's/^\]: \([0-9]*\)$/\\1/p' /tmp/bt3 | awk '{ n += \$1 } END { print n }') -eq 3"
check "each through nttags' AllocateMany, called from the module's init (do_init_module)" \
	sh -c "test \$(grep -c '^ \+AllocateMany+[0-9]\+$' /tmp/bt3) -eq $stacks -a \$(grep -c '^ \+do_init_module+[0-9]\+$' /tmp/bt3) -eq $stacks"
rmmod nttags

echo "=== bpftrace: violations with their stacks"
check "bpftrace -e 'tracepoint:ntpool:ntpool_violation { printf(...); print(kstack); }' -c 'insmod ntmisuse wrong_tag=1'" \
	tool /tmp/bt4 bpftrace -e 'tracepoint:ntpool:ntpool_violation { printf("0x%x 0x%lx %s\n", args->code, args->arg1, str(args->module)); print(kstack); }' \
	-c '/usr/sbin/insmod /modules/ntmisuse.ko wrong_tag=1'
cat /tmp/bt4
check "one violation: 0xC2, Arg1 0xA, by ntmisuse" count /tmp/bt4 '^0xc2 0xa ntmisuse$' 1
check "its stack goes through ntmisuse's WrongTag" \
	in_order /tmp/bt4 '^0xc2 0xa ntmisuse$' '^ +WrongTag\+[0-9]+$'
rmmod ntmisuse

for f in /tmp/record /tmp/script /tmp/record2 /tmp/script2 /tmp/bt1 /tmp/bt2 /tmp/bt3 /tmp/bt4; do
	sed "s|^|${f#/tmp/}: |" "$f.err"
done > /tmp/errors
check "perf and bpftrace printed no warning or error" \
	sh -c "! grep -qiE 'warn|error|fail' /tmp/errors"
sed 's/WARN/warn/g' /tmp/errors
check "rmmod ntpool" rmmod ntpool
check "the host's /usr is let go, its 9p modules unloaded" host_tools_down
