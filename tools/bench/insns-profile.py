#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Where a batch's instructions went, function by function.

Reads the console log of a VM run under the insn-count plugin with
profile=on: the plugin's "ntpool-insns-tb:" lines, the guest's
"ntpool-bench: insns:" lines and its function symbols ("ntpool-ksym:",
from /proc/kallsyms).  Prints, per batch, the functions its instructions
were counted in, per pair, most first.

usage: insns-profile.py CONSOLE [TOP]
"""
import bisect
import re
import sys
from collections import defaultdict


def symbols(console):
    syms, prefix = [], 'ntpool-ksym: '
    with open(console, errors='replace') as f:
        for line in f:
            i = line.find(prefix)
            if i < 0:
                continue
            parts = line[i + len(prefix):].split()
            if len(parts) >= 3 and parts[1] in ('t', 'T'):
                syms.append((int(parts[0], 16), parts[2]))
    syms.sort()
    return [a for a, _ in syms], [n for _, n in syms]


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    console = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
    addrs, names = symbols(console)
    batches, per_fn = {}, defaultdict(lambda: defaultdict(int))
    with open(console, errors='replace') as f:
        for line in f:
            m = re.search(r'ntpool-bench: insns: (\d+) (.*) (\d+)\s*$', line)
            if m:
                batches[int(m.group(1))] = (m.group(2), int(m.group(3)))
            m = re.search(r'ntpool-insns-tb: (\d+) ([0-9a-f]+) (\d+)', line)
            if m:
                i = bisect.bisect_right(addrs, int(m.group(2), 16)) - 1
                name = names[i] if i >= 0 else m.group(2)
                per_fn[int(m.group(1))][name] += int(m.group(3))
    for b in sorted(batches):
        what, pairs = batches[b]
        fns = sorted(per_fn[b].items(), key=lambda kv: -kv[1])
        shown = sum(n for _, n in fns)
        print(f'batch {b}: {what} ({shown / pairs:.0f} insns per pair in '
              f'its {len(fns)} busiest functions)')
        for name, n in fns[:top]:
            print(f'  {n / pairs:8.1f}  {name}')


if __name__ == '__main__':
    main()
