#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Host checks of tags.sh: ntpoolmon's JSON, which the VM cannot parse.

tags.sh prints each JSON output on the console (vm/lib.sh: to_host);
vmtest.sh saves each block in a file named after it, in the directory
given here, and counts the "ok" / "not ok" lines this prints.
"""
import json
import os
import re
import sys

DIR = sys.argv[1]
SITE_KEYS = ["tag", "type", "allocs", "frees", "diff", "bytes", "peak_bytes",
             "many_modules", "many_tags", "module", "call_site"]
# nttags allocates under its three tags at one call site, AllocateMany.
ALLOCATE_MANY = re.compile(r"AllocateMany\+0x[0-9a-f]+/0x[0-9a-f]+ \[nttags\]$")
IRQ_TIMER = re.compile(r"IrqTimer\+0x[0-9a-f]+/0x[0-9a-f]+ \[nttags\]$")


def result(ok, what, detail=None):
    print("%s - %s" % ("ok" if ok else "not ok", what))
    if not ok and detail is not None:
        print("  %s: %s" % (what, detail), file=sys.stderr)


def load(block):
    """The block's JSON, or None (with a "not ok") if it does not parse."""
    path = os.path.join(DIR, block)
    try:
        with open(path, encoding="utf-8") as f:
            rows = json.load(f)
    except (OSError, ValueError) as e:
        result(False, "%s: ntpoolmon's output parses as JSON" % block, e)
        return None
    if not isinstance(rows, list):
        result(False, "%s: ntpoolmon's output is a JSON array" % block, rows)
        return None
    result(True, "%s: ntpoolmon's output parses as a JSON array (%d rows)" %
           (block, len(rows)))
    return rows


def counts(row):
    """All but the tag, the peak and the call site."""
    return [row.get(k) for k in SITE_KEYS[1:6] + SITE_KEYS[7:10]]


def peak_fits(row, most):
    """Peak Bytes is the highest total seen at a fold or a read: at least
    what is live now (each read raises it), at most what was ever live."""
    peak = row.get("peak_bytes")
    return isinstance(peak, int) and row.get("bytes") <= peak <= most


def check_tags(rows):
    want = {"tag": "Tag1", "type": "Nonp", "allocs": 10, "frees": 4,
            "diff": 6, "bytes": 768, "per_alloc": 128, "failed": 0,
            "modules": "nttags",
            "description": "[nttags.ko - nttags sample, small non-paged blocks]"}
    got = [{k: r.get(k) for k in want} for r in rows]
    result(got == [want], "tags-nttags: ntpoolmon --json -i Tag1 is the "
           "Tag1 row of tags", rows)


# The most each of nttags' tags held: 10 x 128, 3 x 8192, 5 x 1024 bytes.
NTTAGS_MOST = {"Tag1": 1280, "Tag2": 24576, "Tag3": 5120}


def check_nttags_sites(block, rows, live):
    """The three rows of nttags' AllocateMany; @live: nttags is loaded."""
    want = {
        "Tag1": ["Nonp", 10, 4 if live else 10, 6 if live else 0,
                 768 if live else 0, False, True, "nttags"],
        "Tag2": ["Paged", 3, 0 if live else 3, 3 if live else 0,
                 24576 if live else 0, False, True, "nttags"],
        "Tag3": ["Paged", 5, 5, 0, 0, False, True, "nttags"],
    }
    result(all(list(r) == SITE_KEYS for r in rows),
           "%s: each object has the sites keys, in order" % block, rows[:1])
    got = {r.get("tag"): counts(r) for r in rows}
    result(got == want and len(rows) == 3,
           "%s: Tag1, Tag2, Tag3: counts, flags, module" % block,
           "%s, not %s" % (rows, want))
    result(len(got) == 3 and
           all(peak_fits(r, NTTAGS_MOST.get(r.get("tag"), -1)) for r in rows),
           "%s: each peak between the bytes live and the most held" % block,
           rows)
    sites = {r.get("call_site") for r in rows}
    result(len(sites) == 1 and all(ALLOCATE_MANY.match(s or "") for s in sites),
           "%s: one call site, AllocateMany+0x../0x.. [nttags]" % block, sites)


def check_peaks_kept(loaded, unloaded):
    """Nothing allocated at the site since: its peaks stay as they were."""
    before = {r.get("tag"): r.get("peak_bytes") for r in loaded}
    after = {r.get("tag"): r.get("peak_bytes") for r in unloaded}
    result(len(before) == 3 and before == after,
           "sites-unloaded: the peaks are those seen while nttags was loaded",
           "%s, then %s" % (before, after))


def check_irq_sites(rows):
    want = ["Nonp", 1, 1, 0, 0, False, True, "nttags"]
    tags = sorted(r.get("tag") for r in rows)
    result(tags == ["Iq%02d" % i for i in range(40)],
           "sites-irq: the 40 Iq tags, Iq00 to Iq39", tags)
    # 64 bytes: an 80-byte block.
    result(all(counts(r) == want and peak_fits(r, 80) for r in rows),
           "sites-irq: each 1 alloc, 1 free, peak at most 80, many_tags, "
           "nttags", [r for r in rows if counts(r) != want][:3])
    sites = {r.get("call_site") for r in rows}
    result(len(sites) == 1 and all(IRQ_TIMER.match(s or "") for s in sites),
           "sites-irq: one call site, IrqTimer+0x../0x.. [nttags]", sites)


def check_shared_sites(rows):
    """abcd, used by ntsample and ntmisuse: many_modules, not many_tags."""
    got = sorted((r.get("module"), r.get("tag"), r.get("type"),
                  r.get("many_modules"), r.get("many_tags")) for r in rows)
    want = [(m, "abcd", "Paged", True, False) for m in ("ntmisuse", "ntsample")]
    result(got == want, "sites-shared: abcd in ntmisuse and ntsample, "
           "many_modules, not many_tags", rows)


def main():
    rows = load("tags-nttags")
    if rows is not None:
        check_tags(rows)
    loaded = load("sites-nttags")
    if loaded is not None:
        check_nttags_sites("sites-nttags", loaded, True)
    unloaded = load("sites-unloaded")
    if unloaded is not None:
        check_nttags_sites("sites-unloaded", unloaded, False)
    if loaded is not None and unloaded is not None:
        check_peaks_kept(loaded, unloaded)
    rows = load("sites-irq")
    if rows is not None:
        check_irq_sites(rows)
    rows = load("sites-shared")
    if rows is not None:
        check_shared_sites(rows)


main()
