#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host tests of ntpoolmon: parsing, sorting, filtering, pool views, pooltag
# descriptions and JSON, of the tags, sites and marks views, against
# fixture files.
#
# Prints "ok - ..." / "not ok - ..." lines and, last, "N passed, N failed".

. "$(dirname "$0")/lib.sh"

need_pkgs $PKGS_BUILD $PKGS_TOOLS
make -s -C "$NTPOOL_DIR/tools/ntpoolmon" >&2
mon="$NTPOOL_DIR/tools/ntpoolmon/ntpoolmon"
fx="$NTPOOL_DIR/tools/test/fixtures"

check() {
	local desc=$1
	shift
	if "$@"; then
		result ok "ntpoolmon: $desc"
	else
		result "not ok" "ntpoolmon: $desc"
	fi
}

# The tag/type pairs of a --once snapshot, in order, one line.
order() {
	"$mon" --once -f "$fx/tags.txt" "$@" | tail -n +2 |
		awk '{ printf "%s/%s ", substr($0, 2, 4), ($0 ~ / Paged /) ? "P" : "N" }'
}
expect_order() {
	local want=$1 got
	shift
	got=$(order "$@")
	[ "$got" = "$want" ] || { echo "  want: $want" >&2; echo "  got:  $got" >&2; return 1; }
}

check "--once lists every row, sorted by tag" \
	expect_order "Aaaa/N Aaaa/P Ovfl/N Vpb /P WrB1/P Zed1/N "
check "-s a sorts by allocs, largest first" \
	expect_order "WrB1/P Vpb /P Aaaa/N Zed1/N Aaaa/P Ovfl/N " -s a
check "-s f sorts by frees" \
	expect_order "WrB1/P Vpb /P Aaaa/N Aaaa/P Ovfl/N Zed1/N " -s f
check "-s d sorts by diff" \
	expect_order "Vpb /P WrB1/P Zed1/N Aaaa/N Ovfl/N Aaaa/P " -s d
check "-s b sorts by bytes" \
	expect_order "WrB1/P Zed1/N Vpb /P Aaaa/N Ovfl/N Aaaa/P " -s b
check "-s m sorts by bytes per allocation" \
	expect_order "Zed1/N WrB1/P Vpb /P Aaaa/N Ovfl/N Aaaa/P " -s m
check "-p shows nonpaged pool only" \
	expect_order "Aaaa/N Ovfl/N Zed1/N " -p
check "-p -p shows paged pool only" \
	expect_order "Aaaa/P Vpb /P WrB1/P " -p -p
check "-i with a wildcard includes matching tags only" \
	expect_order "WrB1/P Zed1/N " -i 'W*' -i 'Z??1'
check "-x excludes matching tags" \
	expect_order "Ovfl/N Vpb /P WrB1/P " -x 'A*' -x Zed1
check "a short pattern stands for a tag padded with spaces" \
	expect_order "Vpb /P " -i Vpb
check "patterns are case-sensitive" \
	expect_order "" -i wrb1

line() { "$mon" --once -f "$fx/tags.txt" "$@" | grep -F " $1 "; }
check "--once keeps the counts of the table" \
	bash -c "'$mon' --once -f '$fx/tags.txt' | grep -qE '^ WrB1 Paged +500 +480 +20 +81920 +4096  ntwriter \[ntwriter.ko - Staged write buffers\]$'"
check "-g descriptions replace the table's" \
	bash -c "'$mon' --once -g '$fx/pooltag.txt' -f '$fx/tags.txt' | grep -qE '^ Aaaa Nonp .*ntwriter \[test.ko - The A tag\]$'"
check "-g wildcard entries describe matching tags" \
	bash -c "'$mon' --once -g '$fx/pooltag.txt' -f '$fx/tags.txt' | grep -qE '^ Zed1 Nonp .*\[zed.ko - Zed family\]$'"

json_check() {
	"$mon" --json -f "$fx/tags.txt" "$@" | python3 -c '
import json, sys
rows = json.load(sys.stdin)
by = {(r["tag"], r["type"]): r for r in rows}
w = by[("WrB1", "Paged")]
assert (w["allocs"], w["frees"], w["diff"], w["bytes"], w["per_alloc"],
        w["peak_bytes"], w["failed"]) == (500, 480, 20, 81920, 4096, 99999, 0), w
assert w["modules"] == "ntwriter" and w["description"] == "[ntwriter.ko - Staged write buffers]"
a = by[("Aaaa", "Paged")]
assert a["failed"] == 1 and a["modules"] == "ntwriter,ntmisuse", a
assert ("Vpb ", "Paged") in by and len(rows) == 6, rows
'
}
check "--json gives the table's numbers, tags with spaces intact" json_check

# --sites: the table by call site (fixtures/sites.txt, as ntpool prints it).
sites() { "$mon" --sites -f "$fx/sites.txt" "$@"; }
# The tag (its first four characters), type and module of each row, in
# order, one line.
site_order() {
	sites "$@" | tail -n +2 | awk '{
		match($0, / (Nonp|Paged) /)
		split(substr($0, RSTART + 1), f, / +/)
		printf "%s/%s/%s ", substr($0, 2, 4), f[1] == "Paged" ? "P" : "N", f[8]
	}'
}
expect_site_order() {
	local want=$1 got
	shift
	got=$(site_order "$@")
	[ "$got" = "$want" ] || { echo "  want: $want" >&2; echo "  got:  $got" >&2; return 1; }
}
check "--sites lists every row in ntpool's order (tag, module, call site)" \
	expect_site_order "\x01/N/ntmisuse Tag1/N/nttags Tag2/P/nttags Tag3/P/nttags Vpb /P/ntwriter Vpb /P/vmlinux WrB1/P/ntmisuse WrB1/N/ntwriter WrB1/P/ntwriter WrB2/P/ntwriter "
check "--sites -s b sorts by bytes, largest first, ties in ntpool's order" \
	expect_site_order "WrB1/P/ntwriter Vpb /P/vmlinux Tag2/P/nttags WrB2/P/ntwriter Tag1/N/nttags WrB1/N/ntwriter \x01/N/ntmisuse Tag3/P/nttags Vpb /P/ntwriter WrB1/P/ntmisuse " -s b
check "--sites -s a sorts by allocs" \
	expect_site_order "WrB1/P/ntwriter Vpb /P/vmlinux Tag1/N/nttags WrB2/P/ntwriter WrB1/P/ntmisuse Tag3/P/nttags Vpb /P/ntwriter Tag2/P/nttags WrB1/N/ntwriter \x01/N/ntmisuse " -s a
check "--sites -i, -x and -p filter as for tags" \
	expect_site_order "WrB1/P/ntmisuse WrB1/P/ntwriter WrB2/P/ntwriter " -p -p -i 'WrB*' -x Vpb
check "--sites -i with a short pattern finds the tag padded with spaces" \
	expect_site_order "Vpb /P/ntwriter Vpb /P/vmlinux " -i Vpb
check "--sites keeps each row's counts, flags, module and call site" \
	bash -c "'$mon' --sites -f '$fx/sites.txt' | grep -qE '^ WrB1 +Paged +500 +480 +20 +81920 +99999 MT +ntwriter +StageWrite\+0x31/0x120 \[ntwriter\]$' &&
		'$mon' --sites -f '$fx/sites.txt' | grep -qE '^ Tag1 +Nonp +10 +4 +6 +768 +1280 T +nttags +AllocateMany\+0x4a/0x90 \[nttags\]$' &&
		'$mon' --sites -f '$fx/sites.txt' | grep -qE '^ Vpb +Paged +4 +4 +0 +0 +4096 M +ntwriter +0xffffffffc0a81234$' &&
		'$mon' --sites -f '$fx/sites.txt' | grep -qE '^ \\\\x01Abc +Nonp +1 +0 +1 +128 +128 - +ntmisuse +BadTag\+0x8/0x40 \[ntmisuse\]$'"
check "--sites: the header names every column, widened to the longest tag" \
	bash -c "'$mon' --sites -f '$fx/sites.txt' | head -1 | grep -qE '^ Tag {5}Type +Allocs +Frees +Diff +Bytes +Peak Bytes Flags Module +Call site$'"

sites_json_check() {
	"$mon" --sites --json -f "$fx/sites.txt" "$@" | python3 -c '
import json, sys
rows = json.load(sys.stdin)
keys = ["tag", "type", "allocs", "frees", "diff", "bytes", "peak_bytes",
        "many_modules", "many_tags", "module", "call_site"]
assert all(list(r) == keys for r in rows), rows[0]
assert len(rows) == 10, len(rows)
by = {(r["tag"], r["type"], r["module"]): r for r in rows}
w = by[("WrB1", "Paged", "ntwriter")]
assert [w[k] for k in keys[2:]] == [500, 480, 20, 81920, 99999, True, True,
        "ntwriter", "StageWrite+0x31/0x120 [ntwriter]"], w
t = by[("Tag3", "Paged", "nttags")]
assert [t[k] for k in keys[2:9]] == [5, 5, 0, 0, 5120, False, True], t
v = by[("Vpb ", "Paged", "ntwriter")]
assert v["many_modules"] is True and v["many_tags"] is False, v
assert v["call_site"] == "0xffffffffc0a81234", v
x = by[("\\x01Abc", "Nonp", "ntmisuse")]
assert x["many_modules"] is False and x["many_tags"] is False, x
'
}
check "--sites --json: every row, its numbers, flags as booleans, tags escaped" \
	sites_json_check
check "--sites --json -i Tag1: the one Tag1 row" \
	bash -c "'$mon' --sites --json -i Tag1 -f '$fx/sites.txt' | python3 -c 'import json, sys; r = json.load(sys.stdin); assert [x[\"tag\"] for x in r] == [\"Tag1\"], r'"

# Files that are not sites tables: a tags table, a bad flag, a row cut
# short, a call site missing; and a sites table that is not a tags table,
# even with no rows.
bad=$(mktemp -d)
trap 'rm -rf "$bad"' EXIT
sed 's/ MT    ntwriter / MX    ntwriter /' "$fx/sites.txt" > "$bad/flag.txt"
sed '4s/ 24576 T .*/ 24576/' "$fx/sites.txt" > "$bad/short.txt"
sed '5s/ nttags .*/ nttags/' "$fx/sites.txt" > "$bad/nosite.txt"
head -n 1 "$fx/sites.txt" > "$bad/empty.txt"
# "refused FILE TABLE OPTION": ntpoolmon OPTION fails on FILE, saying that
# it is not an ntpool TABLE table.
refused() {
	local file=$1 table=$2 out
	out=$("$mon" "$3" -f "$file" 2>&1 >/dev/null) && return 1
	[ "$out" = "ntpoolmon: cannot read $file: not an ntpool $table table" ] ||
		{ echo "  got: $out" >&2; return 1; }
}
check "--sites refuses a tags table: not an ntpool sites table" \
	refused "$fx/tags.txt" sites --sites
check "--sites refuses a flag other than M, T, MT or -" \
	refused "$bad/flag.txt" sites --sites
check "--sites refuses a row cut short" refused "$bad/short.txt" sites --sites
check "--sites refuses a row without a call site" \
	refused "$bad/nosite.txt" sites --sites
check "--sites: the fixture's changed copies differ from it (the refusals above mean something)" \
	bash -c "! cmp -s '$fx/sites.txt' '$bad/flag.txt' && ! cmp -s '$fx/sites.txt' '$bad/short.txt' && ! cmp -s '$fx/sites.txt' '$bad/nosite.txt'"
check "--once refuses a sites table: not an ntpool tags table" \
	refused "$fx/sites.txt" tags --once
check "--json refuses a sites table with its header only" \
	refused "$bad/empty.txt" tags --json
check "--sites refuses the tags views' options (-w, -g, -c)" \
	bash -c "'$mon' --sites -w 80 -f '$fx/sites.txt' 2>&1 >/dev/null | grep -q 'does not take -w' &&
		! '$mon' --sites -g '$fx/pooltag.txt' -f '$fx/sites.txt' 2>/dev/null &&
		! '$mon' --sites -c -f '$fx/sites.txt' 2>/dev/null"

# --marks: the blocks since a mark (fixtures/marks.txt, as ntpool prints
# it: mark 3 asked for, 5 the newest; the overflow row last, as ntpool
# sorts it).
marks() { "$mon" --marks -f "$fx/marks.txt" "$@"; }
# The tag (its first four characters), type and module of each row, in
# order, one line.
mark_order() {
	marks "$@" | tail -n +3 | awk '{
		match($0, / (Nonp|Paged) /)
		split(substr($0, RSTART + 1), f, / +/)
		printf "%s/%s/%s ", substr($0, 2, 4), f[1] == "Paged" ? "P" : "N", f[4]
	}'
}
expect_mark_order() {
	local want=$1 got
	shift
	got=$(mark_order "$@")
	[ "$got" = "$want" ] || { echo "  want: $want" >&2; echo "  got:  $got" >&2; return 1; }
}
check "--marks: the title names the mark asked for and the newest" \
	bash -c "'$mon' --marks -f '$fx/marks.txt' | head -1 | grep -qx 'Mark 3 (newest 5): blocks allocated since, still outstanding'"
check "--marks: the header names every column, widened to the longest tag" \
	bash -c "'$mon' --marks -f '$fx/marks.txt' | sed -n 2p | grep -qE '^ Tag {5}Type +Blocks +Bytes Module +Call site$'"
check "--marks lists every row in ntpool's order, Ovfl last" \
	expect_mark_order "\x01/N/ntmisuse Tag1/N/nttags Tag2/P/nttags Vpb /P/ntwriter WrB1/N/ntwriter WrB1/P/ntwriter Ovfl/N/ntwriter "
check "--marks -i, -x and -p filter as for tags" \
	expect_mark_order "WrB1/P/ntwriter " -p -p -i 'WrB*' -x Vpb
check "--marks -p: non-paged rows only" \
	expect_mark_order "\x01/N/ntmisuse Tag1/N/nttags WrB1/N/ntwriter Ovfl/N/ntwriter " -p
check "--marks -i with a short pattern finds the tag padded with spaces" \
	expect_mark_order "Vpb /P/ntwriter " -i Vpb
check "--marks keeps each row's counts, module and call site" \
	bash -c "'$mon' --marks -f '$fx/marks.txt' | grep -qE '^ Tag1 +Nonp +6 +768 nttags +AllocateMany\+0x46/0x80 \[nttags\]$' &&
		'$mon' --marks -f '$fx/marks.txt' | grep -qE '^ Tag2 +Paged +3 +24576 nttags +AllocateMany\+0x46/0x80 \[nttags\]$' &&
		'$mon' --marks -f '$fx/marks.txt' | grep -qE '^ Vpb +Paged +2 +2048 ntwriter +0xffffffffc0a81234$' &&
		'$mon' --marks -f '$fx/marks.txt' | grep -qE '^ Ovfl +Nonp +4 +512 ntwriter +-$'"

marks_json_check() {
	"$mon" --marks --json -f "$fx/marks.txt" "$@" | python3 -c '
import json, sys
view = json.load(sys.stdin)
assert list(view) == ["mark", "newest", "blocks"], view
assert (view["mark"], view["newest"]) == (3, 5), view
rows = view["blocks"]
keys = ["tag", "type", "blocks", "bytes", "module", "call_site"]
assert all(list(r) == keys for r in rows), rows[0]
got = [[r[k] for k in keys] for r in rows]
assert got == [
    ["\\x01Abc", "Nonp", 1, 128, "ntmisuse", "BadTag+0x8/0x40 [ntmisuse]"],
    ["Tag1", "Nonp", 6, 768, "nttags", "AllocateMany+0x46/0x80 [nttags]"],
    ["Tag2", "Paged", 3, 24576, "nttags", "AllocateMany+0x46/0x80 [nttags]"],
    ["Vpb ", "Paged", 2, 2048, "ntwriter", "0xffffffffc0a81234"],
    ["WrB1", "Nonp", 1, 128, "ntwriter", "StageWrite+0x31/0x120 [ntwriter]"],
    ["WrB1", "Paged", 20, 81920, "ntwriter", "StageWrite+0x31/0x120 [ntwriter]"],
    ["Ovfl", "Nonp", 4, 512, "ntwriter", "-"]], got
'
}
check "--marks --json: the mark, the newest, every row with its numbers, tags escaped" \
	marks_json_check
check "--marks --once is --marks (a snapshot either way), as for --sites" \
	bash -c "cmp -s <('$mon' --marks --once -f '$fx/marks.txt') <('$mon' --marks -f '$fx/marks.txt')"
check "--marks --json -i Tag3 (no such row): the marks and an empty list" \
	bash -c "'$mon' --marks --json -i Tag3 -f '$fx/marks.txt' | python3 -c 'import json, sys; v = json.load(sys.stdin); assert v == {\"mark\": 3, \"newest\": 5, \"blocks\": []}, v'"
check "--marks --json of a view with no rows: an empty list" \
	bash -c "head -n 2 '$fx/marks.txt' | sed 's/Mark 3 (newest 5)/Mark 7 (newest 7)/' > '$bad/marks-empty.txt' &&
		'$mon' --marks --json -f '$bad/marks-empty.txt' | python3 -c 'import json, sys; v = json.load(sys.stdin); assert v == {\"mark\": 7, \"newest\": 7, \"blocks\": []}, v'"

# A mark asked for that has since become too old: the kernel prints a line
# instead of the table.  ntpoolmon fails with that line, in text and JSON
# alike: no table is not an empty one.
printf 'Mark 2 (newest 18): blocks allocated since, still outstanding\nmark 2 is too old: only the newest 16 can be asked for\n' \
	> "$bad/marks-old.txt"
too_old() {
	local out
	out=$("$mon" --marks "$@" -f "$bad/marks-old.txt" 2>&1 >/dev/null) && return 1
	[ "$out" = "ntpoolmon: $bad/marks-old.txt: mark 2 is too old: only the newest 16 can be asked for" ] ||
		{ echo "  got: $out" >&2; return 1; }
	[ -z "$("$mon" --marks "$@" -f "$bad/marks-old.txt" 2>/dev/null)" ]
}
check "--marks fails on a mark too old, saying the kernel's line, printing nothing" too_old
check "--marks --json fails on a mark too old the same way" too_old --json

# ntpool had no memory to count in: no table, an error of its own.
for line in "no memory for the table" "(not walked: no memory to count in)"; do
	printf 'Mark 1 (newest 1): blocks allocated since, still outstanding\n%s\n' "$line" \
		> "$bad/marks-nomem.txt"
	check "--marks fails on '$line': Cannot allocate memory" \
		bash -c "out=\$('$mon' --marks -f '$bad/marks-nomem.txt' 2>&1 >/dev/null); [ \"\$out\" = 'ntpoolmon: cannot read $bad/marks-nomem.txt: Cannot allocate memory' ]"
done

# Files that are not marks tables: a tags and a sites table, a title
# changed, a row cut short, a row without a call site, a title alone.
sed '1s/still outstanding/still live/' "$fx/marks.txt" > "$bad/marks-title.txt"
sed '4s/ 768 .*/ 768/' "$fx/marks.txt" > "$bad/marks-short.txt"
sed '5s/ nttags .*/ nttags/' "$fx/marks.txt" > "$bad/marks-nosite.txt"
head -n 1 "$fx/marks.txt" > "$bad/marks-title-only.txt"
check "--marks refuses a tags table: not an ntpool marks table" \
	refused "$fx/tags.txt" marks --marks
check "--marks refuses a sites table" refused "$fx/sites.txt" marks --marks
check "--marks refuses a changed title" \
	refused "$bad/marks-title.txt" marks --marks
check "--marks refuses a row cut short" \
	refused "$bad/marks-short.txt" marks --marks
check "--marks refuses a row without a call site" \
	refused "$bad/marks-nosite.txt" marks --marks
check "--marks refuses a title with no table" \
	refused "$bad/marks-title-only.txt" marks --marks
check "--marks: the fixture's changed copies differ from it (the refusals above mean something)" \
	bash -c "for f in title short nosite; do ! cmp -s '$fx/marks.txt' '$bad/marks-\$f.txt' || exit 1; done"
check "--sites and --once refuse a marks view" \
	bash -c "$(declare -f refused); mon='$mon'; refused '$fx/marks.txt' sites --sites && refused '$fx/marks.txt' tags --once"
check "--marks refuses the tables' options (-s, -w, -g, -c) and --sites" \
	bash -c "'$mon' --marks -s b -f '$fx/marks.txt' 2>&1 >/dev/null | grep -q 'does not take -s' &&
		! '$mon' --marks -w 80 -f '$fx/marks.txt' 2>/dev/null &&
		! '$mon' --marks -g '$fx/pooltag.txt' -f '$fx/marks.txt' 2>/dev/null &&
		! '$mon' --marks -c -f '$fx/marks.txt' 2>/dev/null &&
		'$mon' --marks --sites -f '$fx/marks.txt' 2>&1 >/dev/null | grep -q 'two views'"

check "a file that is not a tags table is refused" \
	bash -c "! '$mon' --once -f '$fx/pooltag.txt' 2>/dev/null"
check "a missing file is refused" \
	bash -c "! '$mon' --once -f /nonexistent 2>/dev/null"
check "unknown options are refused with usage" \
	bash -c "'$mon' --bogus 2>&1 >/dev/null | grep -q '^Usage: ntpoolmon'"
check "a bad sort key is refused" \
	bash -c "! '$mon' --once -s z -f '$fx/tags.txt' 2>/dev/null"
check "--help explains every option" \
	bash -c "'$mon' --help | grep -q -- '--include' && '$mon' --help | grep -q -- '--json' && '$mon' --help | grep -q -- '--sites' && '$mon' --help | grep -q -- '--marks' && '$mon' --help | grep -q 'q or Esc quit'"
check "the binary is static (runs in the busybox VM)" \
	bash -c "file '$mon' | grep -q 'statically linked'"

live_check() {
	tmux kill-session -t ntpoolmon-test 2>/dev/null || true
	tmux new-session -d -s ntpoolmon-test -x 160 -y 30 \
		"'$mon' -f '$fx/tags.txt' -r 1"
	sleep 1
	tmux send-keys -t ntpoolmon-test b
	sleep 1
	local screen
	screen=$(tmux capture-pane -p -t ntpoolmon-test)
	tmux send-keys -t ntpoolmon-test q
	sleep 0.5
	echo "$screen" | grep -q "sorted by bytes" &&
		echo "$screen" | sed -n 4p | grep -q "WrB1 Paged"
}
check "live view: key b sorts by bytes" live_check

# Widths.  A --once snapshot of the fixture; the length of its longest
# line; whether all its 7 lines fit in a width.
snap() { "$mon" --once -f "$fx/tags.txt" "$@"; }
longest() { snap "$@" | awk '{ if (length > n) n = length } END { print n + 0 }'; }
fits() {
	local w=$1
	shift
	[ "$(snap "$@" | wc -l)" -eq 7 ] && [ "$(longest "$@")" -le "$w" ]
}
check "-w 80: no line is longer than 80 columns" fits 80 -w 80
check "-w 80: poolmon's columns Tag Type Allocs Frees Diff Bytes Per Alloc" \
	bash -c "'$mon' --once -f '$fx/tags.txt' -w 80 | head -1 | grep -qE '^ Tag +Type +Allocs +Frees +Diff +Bytes +Per Alloc  Modules'"
check "-w 80: the numbers are whole, the description cut" \
	bash -c "'$mon' --once -f '$fx/tags.txt' -w 80 | grep -qE '^ WrB1 Paged +500 +480 +20 +81920 +4096  ntwriter \[ntwriter.ko - ' &&
		! '$mon' --once -f '$fx/tags.txt' -w 80 | grep -q 'Staged write buffers\]'"
check "-w 200: no line is longer than 200 columns" fits 200 -w 200
check "-w 200: the whole table, descriptions and all" \
	bash -c "'$mon' --once -f '$fx/tags.txt' -w 200 | grep -qE '^ WrB1 Paged +500 +480 +20 +81920 +4096  ntwriter \[ntwriter.ko - Staged write buffers\]$' &&
		'$mon' --once -f '$fx/tags.txt' -w 200 | grep -qF ' - [ntpool - allocations whose tag could not be tracked]'"
check "-w 40: Per Alloc and the text go, Tag Type Allocs Frees Diff Bytes stay" \
	bash -c "'$mon' --once -f '$fx/tags.txt' -w 40 | head -1 | grep -qE '^ Tag +Type +Allocs +Frees +Diff +Bytes$'"
check "-w 40: no line is longer than 40 columns" fits 40 -w 40
check "into a pipe: no limit, even with COLUMNS=80, as -w 0" \
	bash -c "[ \"\$(COLUMNS=80 '$mon' --once -f '$fx/tags.txt' | md5sum)\" = \"\$('$mon' --once -f '$fx/tags.txt' -w 0 | md5sum)\" ] &&
		COLUMNS=80 '$mon' --once -f '$fx/tags.txt' | grep -q 'Staged write buffers\]$'"
check "a width that is not a number is refused" \
	bash -c "! '$mon' --once -f '$fx/tags.txt' -w 8x 2>/dev/null"

# On a terminal of COLS columns (tmux): no line of the screen, wrapped
# lines joined again, is longer than LIMIT; each fixture row is on a line
# of its own; WANT is on the screen.
width_check() {
	local cols=$1 limit=$2 cmd=$3 want=$4 screen
	tmux kill-session -t ntpoolmon-width 2>/dev/null || true
	tmux new-session -d -s ntpoolmon-width -x "$cols" -y 30 "$cmd; sleep 30"
	sleep 1.5
	screen=$(tmux capture-pane -p -J -t ntpoolmon-width)
	tmux kill-session -t ntpoolmon-width 2>/dev/null || true
	echo "$screen" | awk -v w="$limit" 'length > w { bad = 1 } END { exit bad }' &&
		[ "$(echo "$screen" | grep -cE '^ (Aaaa|Ovfl|Vpb |WrB1|Zed1) (Nonp|Paged) ')" -eq 6 ] &&
		echo "$screen" | grep -qE "$want" ||
		{ echo "$screen" | head -12 >&2; return 1; }
}
check "--once on an 80-column terminal fits it, one line a row" \
	width_check 80 80 "'$mon' --once -f '$fx/tags.txt'" '^ WrB1 Paged +500 +480 +20 +81920 +4096  ntwriter'
check "--once on a terminal follows COLUMNS" \
	width_check 120 60 "COLUMNS=60 '$mon' --once -f '$fx/tags.txt'" '^ WrB1 Paged +500 +480 +20 +81920 +4096  ntwriter'
check "--once on a terminal of unknown width (a serial console): no limit" \
	width_check 80 200 "stty cols 0 rows 0; '$mon' --once -f '$fx/tags.txt'" 'ntwriter \[ntwriter.ko - Staged write buffers\]$'
check "live view at 80 columns: no row wraps, change columns kept" \
	width_check 80 80 "'$mon' -f '$fx/tags.txt' -r 1" '^ Tag +Type +Allocs +\( \) +Frees +\( \) +Diff +Bytes +\( \) +Per Alloc'
check "live view at 200 columns: the descriptions whole" \
	width_check 200 200 "'$mon' -f '$fx/tags.txt' -r 1" '^ WrB1 Paged +500 +0 +480 +0 +20 +81920 +0 +4096  ntwriter \[ntwriter.ko - Staged write buffers\]$'

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
