#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Host checks of marks.sh: ntpoolmon --marks --json, which the VM cannot
parse.

marks.sh prints each JSON output on the console (vm/lib.sh: to_host);
vmtest.sh saves each block in a file named after it, in the directory
given here, and counts the "ok" / "not ok" lines this prints.
"""
import json
import os
import re
import sys

DIR = sys.argv[1]
KEYS = ["mark", "newest", "blocks"]
BLOCK_KEYS = ["tag", "type", "blocks", "bytes", "module", "call_site"]
# nttags allocates under its three tags at one call site, AllocateMany.
ALLOCATE_MANY = re.compile(r"AllocateMany\+0x[0-9a-f]+/0x[0-9a-f]+ \[nttags\]$")
LOSE = re.compile(r"AllocateAndLose\+0x[0-9a-f]+/0x[0-9a-f]+ \[ntmisuse\]$")
# What nttags leaves allocated: 6 Tag1 blocks of 128 bytes (100 asked) and
# 3 Tag2 blocks of two pages (5000 asked); its Tag3 blocks are all freed.
NTTAGS_LEFT = [["Tag1", "Nonp", 6, 768, "nttags"],
               ["Tag2", "Paged", 3, 24576, "nttags"]]


def result(ok, what, detail=None):
    print("%s - %s" % ("ok" if ok else "not ok", what))
    if not ok and detail is not None:
        print("  %s: %s" % (what, detail), file=sys.stderr)


def load(block):
    """The block's JSON object, or None (with a "not ok") if it is not one."""
    path = os.path.join(DIR, block)
    try:
        with open(path, encoding="utf-8") as f:
            view = json.load(f)
    except (OSError, ValueError) as e:
        result(False, "%s: ntpoolmon's output parses as JSON" % block, e)
        return None
    ok = (isinstance(view, dict) and list(view) == KEYS and
          isinstance(view["blocks"], list) and
          all(isinstance(view[k], int) for k in KEYS[:2]) and
          all(isinstance(b, dict) and list(b) == BLOCK_KEYS
              for b in view["blocks"]))
    result(ok, "%s: a JSON object: mark, newest, blocks with their keys, in "
           "order" % block, view)
    return view if ok else None


def check_rows(block, view, want):
    """@want: the rows but their call sites, which must be AllocateMany."""
    rows = view["blocks"]
    got = [[r[k] for k in BLOCK_KEYS[:5]] for r in rows]
    result(got == want, "%s: the rows are %s" %
           (block, ", ".join("%s %s %d %d" % tuple(w[:4]) for w in want)
            or "none"), got)
    sites = [r["call_site"] for r in rows]
    if not want:
        return
    result(all(ALLOCATE_MANY.match(s) for s in sites),
           "%s: each row at AllocateMany+0x../0x.. [nttags]" % block, sites)


def check_lost(lost):
    """The block ntmisuse lost while loaded: its row alone, since mark 1."""
    want = [{"tag": "abcd", "type": "Nonp", "blocks": 1, "bytes": 128,
             "module": "ntmisuse"}]
    got = [{k: r[k] for k in BLOCK_KEYS[:5]} for r in lost["blocks"]]
    result((lost["mark"], lost["newest"]) == (1, 1) and got == want,
           "marks-lost: mark 1, the block ntmisuse lost, abcd Nonp 1 "
           "block of 128 bytes", lost)
    result(all(LOSE.match(r["call_site"]) for r in lost["blocks"]),
           "marks-lost: at AllocateAndLose+0x../0x.. [ntmisuse]", lost)


def main():
    views = {b: load(b) for b in ("marks-nttags", "marks-second",
                                  "marks-first")}
    loaded, second, first = (views[b] for b in ("marks-nttags",
                                                 "marks-second",
                                                 "marks-first"))
    if loaded:
        result(loaded["mark"] == loaded["newest"] == 1,
               "marks-nttags: mark 1 asked for, the newest", loaded)
        check_rows("marks-nttags", loaded, NTTAGS_LEFT)
    if loaded and second:
        n = loaded["mark"] + 1
        result(second["mark"] == second["newest"] == n,
               "marks-second: the next mark, %d, asked for, the newest" % n,
               second)
        check_rows("marks-second", second, [])
    if loaded and second and first:
        result((first["mark"], first["newest"]) ==
               (loaded["mark"], second["newest"]),
               "marks-first: the first mark asked for again, the second "
               "the newest", first)
        check_rows("marks-first", first, NTTAGS_LEFT)
        result(first["blocks"] == loaded["blocks"],
               "marks-first: the same rows as before the second mark, "
               "call sites and all", (first["blocks"], loaded["blocks"]))
    lost = load("marks-lost")
    if lost:
        check_lost(lost)


main()
