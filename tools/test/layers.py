#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check that ntpool's parts call downward only.

The module's sources sit in one folder per part (README.md, "Layout";
Documentation/internals.rst).  A file may include the headers of its own
part and of the parts below it, never of a part above: a call needs a
declaration, so an include is where a call upward would start.  Files
straight in ntpool/ (main.c) sit above every part.

  tools/test/layers.py            check; print what breaks the rule
  tools/test/layers.py --table    also print which part includes which
"""
import os
import re
import sys

# From the top down.
PARTS = ["views", "nt", "core", "verifier", "accounting", "report", "base"]
TOP = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                   "ntpool")
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"/]+)/([^"]+)"', re.M)
# <part/header.h> finds the same file: ntpool/ is on the include path.
ANGLED = re.compile(r'^\s*#\s*include\s+<(%s)/([^>]+)>' % "|".join(PARTS),
                    re.M)


def part_of(path):
    """The part a file of ntpool/ belongs to; None for ntpool/ itself."""
    rel = os.path.relpath(path, TOP).split(os.sep)
    return rel[0] if len(rel) > 1 else None


def rank(part):
    return -1 if part is None else PARTS.index(part)


def sources():
    for root, dirs, files in os.walk(TOP):
        dirs.sort()
        for name in sorted(files):
            if name.endswith((".c", ".h")) and not name.endswith(".mod.c"):
                yield os.path.join(root, name)


def main():
    broken, unknown, table = [], [], {}
    for path in sources():
        part = part_of(path)
        rel = os.path.relpath(path, os.path.dirname(TOP))
        if part is not None and part not in PARTS:
            unknown.append(rel)
            continue
        with open(path, encoding="utf-8") as f:
            text = f.read()
        for folder, header in INCLUDE.findall(text) + ANGLED.findall(text):
            if folder not in PARTS:
                unknown.append("%s: #include \"%s/%s\"" % (rel, folder, header))
                continue
            table.setdefault(part or "main", set()).add(folder)
            if rank(folder) < rank(part):
                broken.append("%s includes %s/%s (%s is above %s)" %
                              (rel, folder, header, folder, part))
    if "--table" in sys.argv[1:]:
        for part in ["main"] + PARTS:
            below = sorted(table.get(part, set()) - {part}, key=rank)
            print("%-10s -> %s" % (part, ", ".join(below) or "-"))
    for line in unknown:
        print("not in a known part: " + line)
    for line in broken:
        print("calls upward: " + line)
    return 1 if broken or unknown else 0


if __name__ == "__main__":
    sys.exit(main())
