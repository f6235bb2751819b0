#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs inside the test VM: the corruption fuzz.  ntfuzz corrupts one thing
# per case (a field of an allocated or a free block's header, a free-list
# link, a byte of slack, a write after free, a big block freed at a wrong
# offset; both pools; per-CPU and locked paths) and then checks that the
# pool still hands out distinct blocks and keeps their contents.  Each case
# gets one line:
#   ok - fuzz N NAME: reported 0x19/0x5 (at the free), 0xc2/0x7 (after)
#   ok - fuzz N NAME: harmless
#   not ok - fuzz N NAME: why
# A case fails on a splat in the kernel log, a block handed out twice or
# changed, a report of another code than 0x19, 0xC2 or 0xC1, a tag row left
# off by blocks that were all freed, a walk of the victim's page that no
# longer adds up (if it did before) with nothing reported, or a corrupt allocated header or
# slack byte (past what ExQueryPoolBlockSize gave) not reported when the
# block is freed.
# Reports go to the kernel log; the console gets only the case lines, and a
# crash follows the "=== fuzz N" line of the case that caused it.  Each
# case marks its start in the kernel log, which is read (a process, slow
# on an emulated CPU) once per BATCH cases: a splat counts against the case
# whose mark it follows, whose line is then printed.
# ntfuzz_cases=FIRST-LAST on the kernel command line runs only those.
. /lib.sh
F=/sys/kernel/debug/ntfuzz

check "insmod ntpool on_violation=report" insmod /modules/ntpool.ko on_violation=report
check "insmod ntfuzz" insmod /modules/ntfuzz.ko
cat $F/cases > /tmp/cases
total=$(wc -l < /tmp/cases)
range=$(sed -n 's/.*ntfuzz_cases=\([0-9]*-[0-9]*\).*/\1/p' /proc/cmdline)
first=1 last=$total
[ -z "$range" ] || { first=${range%-*}; last=${range#*-}; }
[ "$last" -le "$total" ] || last=$total
echo "fuzz: $total cases, running $first to $last"

# One awk runs every case: a process per file read would cost more than
# the cases themselves on an emulated CPU.
cat > /tmp/fuzz.awk <<'EOF'
function hex(s,    n, i, c) {
	sub(/^0x/, "", s)
	n = 0
	for (i = 1; i <= length(s); i++) {
		c = index("0123456789abcdef", substr(s, i, 1))
		if (!c)
			return -1
		n = n * 16 + c - 1
	}
	return n
}
function slurp(file, arr,    n, line) {
	n = 0
	while ((getline line < file) > 0)
		arr[++n] = line
	close(file)
	return n
}
function put(file, text) {
	printf "%s\n", text > file
	close(file)
}
# "  BAD_POOL_HEADER (19) Arg1 0x21: 3" -> arr["0x19/0x21"] = 3
function violations(arr,    lines, n, i, f, k) {
	for (k in arr)
		delete arr[k]
	n = slurp(D "/verifier", lines)
	for (i = 1; i <= n; i++) {
		if (lines[i] !~ / \([0-9a-f]+\) Arg1 0x[0-9a-f]+: [0-9]+$/)
			continue
		split(lines[i], f, " ")
		k = f[length(f) - 3]
		gsub(/[()]/, "", k)
		k = "0x" k "/" f[length(f) - 1]
		sub(/:$/, "", k)
		arr[k] = f[length(f)]
	}
}
# Rows of the fuzz's tags: arr["FzCk Nonp"] = "outstanding/bytes"
function tags(arr,    lines, n, i, f, k) {
	for (k in arr)
		delete arr[k]
	n = slurp(D "/tags", lines)
	for (i = 1; i <= n; i++) {
		split(lines[i], f, " ")
		if (f[1] ~ /^Fz/)
			arr[f[1] " " f[2]] = f[5] "/" f[6]
	}
}
function copy(from, to,    k) {
	for (k in to)
		delete to[k]
	for (k in from)
		to[k] = from[k]
}
function reports(now, before,    k, s, n) {
	s = ""
	for (k in now) {
		n = now[k] - before[k]
		if (n <= 0)
			continue
		s = s (s ? " " : "") k (n > 1 ? "x" n : "")
		nreports++
		if (k !~ /^0x(19|c2|c1)\//)
			bad = bad "; unexpected report " k
	}
	return s
}
# The page walk of "pool": each previous size matches, the page adds up.
function page_view(page,    lines, n, i, f, size, last, bytes, blocks, view) {
	if (page == "")
		return ""
	put(D "/pool", page)
	n = slurp(D "/pool", lines)
	for (i = 1; i <= n; i++) {
		if (lines[i] ~ /walk stopped/)
			view = view "; " lines[i]
		if (lines[i] !~ /^[ *][0-9a-f]+ size: +[0-9a-f]+ previous size: +[0-9a-f]+ /)
			continue
		split(lines[i], f, " ")
		size = hex(f[3])
		if (blocks && hex(f[6]) != last)
			view = view "; " f[1] " previous size " f[6] " after a block of " last
		last = size
		bytes += size
		blocks++
	}
	if (blocks && bytes != 4096)
		view = view "; blocks add up to " bytes " bytes"
	sub(/^; /, "", view)
	return view
}
# The kernel log since the last read, cut down by grep to the cases' marks
# and the lines that read like a splat (the host's list, /splats): each of
# these goes to splat[case].
function read_log(    lines, n, i, f) {
	system("dmesg -c | grep -aE -e 'ntfuzz-case [0-9]+$' -f /splats > /tmp/k")
	n = slurp("/tmp/k", lines)
	for (i = 1; i <= n; i++) {
		if (lines[i] ~ /ntfuzz-case [0-9]+$/) {
			split(lines[i], f, "ntfuzz-case ")
			logged = f[2] + 0
			marked[logged] = 1
		} else {
			splat[logged] = splat[logged] "\n# " lines[i]
		}
	}
}
# Print the held lines of the cases run since the last batch.  A splat
# makes its case's line "not ok"; so does a mark missing from the log (the
# log overflowed between two reads, and a splat may have gone with it).
function flush_batch(    i, n, line, why) {
	read_log()
	for (i = 1; i <= held; i++) {
		n = held_case[i]
		line = held_line[i]
		why = ""
		if (n in splat)
			why = "splat in the kernel log"
		else if (!(n in marked))
			why = "its mark is missing from the kernel log"
		if (why != "") {
			if (sub(/^ok - /, "not ok - ", line)) {
				sub(/: /, ": " why " [", line)
				line = line "]"
			} else {
				line = line "; " why
			}
		}
		print line splat[n]
		delete splat[n]
		delete marked[n]
		if (line ~ /^not ok/)
			nbad++
		else if (held_reported[i])
			nreported++
		else
			nharmless++
	}
	held = 0
	fflush()
}
# A case's line waits for the batch's read of the kernel log.
function hold(n, line, reported) {
	held++
	held_case[held] = n
	held_line[held] = line
	held_reported[held] = reported
	if (held >= BATCH)
		flush_batch()
}
function run_case(n, name,    r, nr, i, f, page, expect, check, at_free, after, pre, view, what, k, was) {
	print "=== fuzz " n " " name
	fflush()
	put("/dev/kmsg", "ntfuzz-case " n)
	bad = ""
	nreports = 0
	put(F "/run", n)
	nr = slurp(F "/run", r)
	for (i = 1; i <= nr; i++) {
		split(r[i], f, " ")
		if (f[1] == "page")
			page = f[2]
	}
	pre = page_view(page)
	put(F "/run", "corrupt")
	violations(v1)
	put(F "/run", "finish")
	nr = slurp(F "/run", r)
	violations(v2)
	tags(t2)
	for (i = 1; i <= nr; i++) {
		split(r[i], f, " ")
		if (f[1] == "expect")
			expect = f[2]
		else if (f[1] == "check")
			check = r[i]
		else if (f[1] == "setup")
			bad = bad "; " r[i]
	}
	# A page an earlier case left corrupt cannot tell this case's doing.
	view = pre ? "" : page_view(page)
	at_free = reports(v1, v0)
	after = reports(v2, v1)
	for (k in t2) {
		if (k !~ /^FzCk / && nreports)
			continue
		was = k in t0 ? t0[k] : "0/0"
		if (t2[k] != was)
			bad = bad "; tag row " k " (outstanding/bytes) went from " was " to " t2[k]
	}
	if (check != "check ok" && !bad)
		bad = bad "; " (check ? check : "no check result")
	if (expect == "report" && at_free !~ /0x(19|c2|c1)\//)
		bad = bad "; corruption of an allocated block not reported at its free"
	if (view && !nreports)
		bad = bad "; pool view of the page, nothing reported" view
	what = nreports ? "reported" : "harmless"
	if (at_free)
		what = what " " at_free " (at the free)"
	if (after)
		what = what (at_free ? "," : "") " " after " (after)"
	if (view && nreports)
		what = what "; pool view shows the corruption"
	if (bad) {
		sub(/^; /, "", bad)
		hold(n, sprintf("not ok - fuzz %s %s: %s [%s]", n, name, bad, what), 0)
	} else {
		hold(n, sprintf("ok - fuzz %s %s: %s", n, name, what), nreports)
	}
	copy(v2, v0)
	copy(t2, t0)
}
BEGIN {
	violations(v0)
	tags(t0)
	read_log()
	BATCH = 20
}
$1 >= FIRST && $1 <= LAST {
	run_case($1, $2)
	ran++
}
END {
	flush_batch()
	# Splats before the first case, or after a case's line was printed.
	for (k in splat) {
		printf "not ok - fuzz: splat in the kernel log %s%s\n", \
			k == "" ? "before the first case" : "after case " k, splat[k]
		nbad++
	}
	print ran + 0 > "/tmp/ran"
	printf "fuzz: %d cases, %d reported, %d harmless, %d not ok\n", ran, nreported, nharmless, nbad
}
EOF

# Reports stay in the kernel log; crashes still reach the console.  The
# cases' marks in the log must not be rate-limited.
echo 1 > /proc/sys/kernel/printk
echo on > /proc/sys/kernel/printk_devkmsg
awk -v D=$D -v F=$F -v FIRST="$first" -v LAST="$last" -f /tmp/fuzz.awk /tmp/cases
echo 7 > /proc/sys/kernel/printk
echo ratelimit > /proc/sys/kernel/printk_devkmsg
ran=$(cat /tmp/ran)
check "fuzz ran every case asked for ($ran)" test "$ran" -eq $((last - first + 1))

check "rmmod ntfuzz" rmmod ntfuzz
cat $D/verifier > /tmp/v.end
sed -n '/^Violations reported/,$p' /tmp/v.end
check "rmmod ntpool" rmmod ntpool
