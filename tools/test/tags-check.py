#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check that the tags written in the sources, docs and tests agree.

A pool tag is written in C as a multi-character literal whose value is
stored little-endian; every view (tags, poolmon, !pool, trace events,
pooltag.txt) shows its four bytes in memory order, so the literal '1BrW'
shows as WrB1.  This script works out the shown form of every tag the
samples and ntpool use and checks:

* each "shows as" comment beside a literal or a hex tag value;
* each tag a sample allocates with is described by tools/pooltag.txt, and
  each pooltag.txt entry describes a tag that is in use;
* in Documentation/, README.md, the VM steps and the client makefile:
  C literals are literals (not shown forms), trace filters, tag=, hit_tag,
  poolfind and ntpoolmon -i/-x patterns name tags that are in use, and
  "0x... is X" / "'X' shows as Y" say what ntpool shows;
* a fixture row that names a sample binary carries that sample's tag.

Prints "ok - ..." / "not ok - ..." lines and, last, "N passed, N failed".
"""
import glob
import os
import re
import sys

TOP = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                    "..", ".."))
results = {"passed": 0, "failed": 0}


def result(ok, what, detail=None):
    print("%s - tags: %s" % ("ok" if ok else "not ok", what))
    if not ok and detail:
        for line in detail:
            print("  " + line, file=sys.stderr)
    results["passed" if ok else "failed"] += 1


def rel(path):
    return os.path.relpath(path, TOP)


def shown_of_literal(lit):
    """The shown form of a C literal: its bytes in little-endian order."""
    return lit[::-1]


def check_comment(tags, said, shown, error):
    """Count a comment that says how a tag shows; keep @error if wrong."""
    tags.comments_checked += 1
    if said != shown:
        tags.comment_errors.append(error)


def shown_of_value(value):
    return "".join(chr((value >> (8 * i)) & 0xff) for i in range(4))


def glob_match(pattern, tag):
    """ntpool's tag patterns: ? one character, * any rest; short = padded."""
    if "*" not in pattern:
        pattern = pattern.ljust(4)
    rx = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c)
                 for c in pattern)
    return re.fullmatch(rx, tag, re.S) is not None


def c_tokens(text):
    """Split C source into (kind, text, line) for char literals, comments.

    Strings are skipped; kind is "char" or "comment".
    """
    i, line, n = 0, 1, len(text)
    while i < n:
        c = text[i]
        if c == "\n":
            line += 1
            i += 1
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            yield "comment", text[i + 2:j], line
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j
            yield "comment", text[i + 2:j], line
            line += text.count("\n", i, j)
            i = j + 2
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            if c == "'":
                yield "char", text[i + 1:j], line
            i = j + 1
        else:
            i += 1


# What a comment beside a tag says it shows as: a quoted four-character
# text, the text after "shows as"/"shown as", or a comment that starts with
# a four-character word followed by ":" or by nothing.
SHOWN_COMMENT = [re.compile(r'"([ -~]{4})"'),
                 re.compile(r'shown? as "?([A-Za-z0-9]{4})'),
                 re.compile(r'^\s*([A-Za-z0-9]{4})\s*(?::|$)')]


def comment_shown(comment):
    for rx in SHOWN_COMMENT:
        m = rx.search(comment)
        if m:
            return m.group(1)
    return None


class Tags:
    def __init__(self):
        self.used = {}          # shown form -> set of where (sample tags)
        self.literals = set()   # C literals of the samples' tags
        self.own = set()        # ntpool's own shown tags
        self.by_binary = {}     # "ntwriter.ko" -> set of shown forms
        self.comment_errors = []
        self.comments_checked = 0

    def universe(self):
        return set(self.used) | self.own


def scan_c(path, tags, sample):
    text = open(path, encoding="utf-8").read()
    lines = text.split("\n")
    toks = list(c_tokens(text))
    binary = os.path.basename(path)[:-2] + ".ko"
    for k, (kind, body, line) in enumerate(toks):
        if kind != "char" or len(body) != 4 or "\\" in body:
            continue
        shown = shown_of_literal(body)
        src = lines[line - 1]
        # The comment right after the literal, on the same line.
        nxt = toks[k + 1] if k + 1 < len(toks) else None
        several = sum(1 for t in toks if t[0] == "char" and t[2] == line and
                      len(t[1]) == 4) > 1
        if nxt and nxt[0] == "comment" and nxt[2] == line and not several:
            said = comment_shown(nxt[1])
            if said is not None:
                check_comment(tags, said, shown,
                              "%s:%d: '%s' shows as %s, the comment says %s" %
                              (rel(path), line, body, shown, said))
        if not sample:
            continue
        # A literal handed straight to a free is the wrong tag of a misuse.
        if re.search(r"ExFreePool\w*\(", src) and "#define" not in src:
            continue
        tags.literals.add(body)
        tags.used.setdefault(shown, set()).add("%s:%d" % (rel(path), line))
        tags.by_binary.setdefault(binary, set()).add(shown)
    if sample:
        # nttags' NumberedTag('I', 'q', n): "Iq" and two digits.
        for m in re.finditer(r"NumberedTag\('(.)', '(.)',", text):
            shown = m.group(1) + m.group(2) + "00"
            tags.used.setdefault(shown, set()).add(rel(path))
            tags.by_binary.setdefault(binary, set()).add(shown)
    # Tags spelled in hex: #define X 0x........U /* 'literal', shown as "Y" */
    for n, src in enumerate(lines, 1):
        m = re.match(r"#define\s+(\w*TAG\w*)\s+\(?0x([0-9a-fA-F]{8})U?\)?"
                     r"\s*(?:/\*(.*)\*/)?", src)
        if not m:
            continue
        value = int(m.group(2), 16)
        shown = shown_of_value(value)
        if not sample and "BIG" not in m.group(1):
            tags.own.add(shown)
        comment = m.group(3) or ""
        lit = re.search(r"'([ -~]{4})'", comment)
        if lit:
            check_comment(tags, shown_of_literal(lit.group(1)), shown,
                          "%s:%d: 0x%08x is '%s' in C, the comment says '%s'" %
                          (rel(path), n, value, shown[::-1], lit.group(1)))
        said = comment_shown(re.sub(r"'[ -~]{4}',?", "", comment))
        if said is not None:
            check_comment(tags, said, shown,
                          "%s:%d: 0x%08x shows as %s, the comment says %s" %
                          (rel(path), n, value, shown, said))


def load_pooltag(path):
    entries = []
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        if line.lower().startswith("rem") or " - " not in line:
            continue
        entries.append((line.split(" - ")[0].strip(), n))
    return entries


def check_pooltag(tags):
    path = os.path.join(TOP, "tools", "pooltag.txt")
    entries = load_pooltag(path)
    missing = ["%s (%s)" % (t, ", ".join(sorted(w)))
               for t, w in sorted(tags.used.items())
               if not any(glob_match(e, t) for e, _ in entries)]
    result(not missing,
           "every tag the samples allocate with is in tools/pooltag.txt "
           "(%d tags)" % len(tags.used), missing)
    unused = ["tools/pooltag.txt:%d: %s matches no tag in use" % (n, e)
              for e, n in entries
              if not any(glob_match(e, t) for t in tags.universe())]
    result(not unused,
           "every tools/pooltag.txt entry describes a tag in use "
           "(%d entries)" % len(entries), unused)


# Where a shown tag is named in text (docs, VM steps).
SHOWN_USES = [
    (re.compile(r'tag\s*==\s*\\?"([A-Za-z0-9 ]{4})\\?"'), "trace filter"),
    (re.compile(r"\btag=([A-Za-z0-9]{4})(?![A-Za-z0-9\[])"), "trace output"),
    (re.compile(r"echo\s+['\"]?([A-Za-z0-9?* ]{1,4}?)(?:\s+\d)?['\"]?\s*>\s*"
                r"\S*?(?<!\w)(?:hit_tag|poolfind)(?![\w/])"), "hit_tag/poolfind"),
    (re.compile(r"ntpoolmon\b[^#|>]*?\s-[ix]\s+'?([A-Za-z0-9?* ]{1,4})'?"),
     "ntpoolmon pattern"),
]


# A tag value and what it is: "``0x31676154`` is ``Tag1``", "``0x64636261``
# is ``'dcba'`` in C", "0x6e4c744e "NtLn"".
VALUE_IS = re.compile(r"0x(?P<value>[0-9a-fA-F]{8})`*\s+(?P<is>is\s+)?"
                      r"(?P<q>``|\"|)(?P<lit>')?"
                      r"(?P<tag>[A-Za-z0-9][A-Za-z0-9 ]{3})(?P=lit)?(?P=q)"
                      r"(?![A-Za-z0-9])")


def check_text(paths, tags):
    universe = tags.universe()
    literal_errors, use_errors, value_errors = [], [], []
    nlit = nuse = nval = 0
    for path in paths:
        for n, line in enumerate(open(path, encoding="utf-8"), 1):
            where = "%s:%d" % (rel(path), n)
            # C literals of the samples' tags must be written as literals.
            for m in re.finditer(r"(?<![A-Za-z0-9])'([A-Za-z0-9 ]{4})'", line):
                body = m.group(1)
                nlit += 1
                if body in tags.used and body not in tags.literals:
                    literal_errors.append(
                        "%s: '%s' is how the tag shows; in C it is '%s'" %
                        (where, body, body[::-1]))
            for rx, what in SHOWN_USES:
                for m in rx.finditer(line):
                    pat = m.group(1)
                    if pat.startswith("0x") or pat == "0":
                        continue
                    nuse += 1
                    if not any(glob_match(pat, t) for t in universe):
                        use_errors.append("%s: %s %s matches no tag in use" %
                                          (where, what, pat))
            # "0x31676154 is Tag1", "0x64636261 is 'dcba' in C",
            # 'Tag1' ... 0x..., "'dcba' shows as abcd".
            for m in VALUE_IS.finditer(line):
                if not (m.group("is") or m.group("q") or m.group("lit")):
                    continue
                value = int(m.group("value"), 16)
                want = shown_of_value(value)
                got = m.group("tag")[::-1] if m.group("lit") else m.group("tag")
                nval += 1
                if got != want:
                    value_errors.append("%s: 0x%08x shows as %s, not %s" %
                                        (where, value, want, m.group(0)))
            for m in re.finditer(r"'([A-Za-z0-9 ]{4})'\W{1,4}(?:shows|shown)"
                                 r" as\W{1,4}([A-Za-z0-9 ]{4})(?![A-Za-z0-9])",
                                 line):
                nval += 1
                if m.group(1)[::-1] != m.group(2):
                    value_errors.append("%s: '%s' shows as %s, not %s" %
                                        (where, m.group(1), m.group(1)[::-1],
                                         m.group(2)))
    result(not literal_errors,
           "docs and VM steps write the samples' C literals as literals "
           "(%d literals)" % nlit, literal_errors)
    result(not use_errors,
           "trace filters, hit_tag, poolfind and ntpoolmon patterns in docs "
           "and VM steps match tags in use (%d)" % nuse, use_errors)
    result(not value_errors,
           "tag values and 'shows as' in docs and VM steps are right (%d)" %
           nval, value_errors)


def check_fixtures(tags):
    errors, n = [], 0
    for path in glob.glob(os.path.join(TOP, "tools", "test", "fixtures",
                                       "*.txt")):
        for k, line in enumerate(open(path, encoding="utf-8"), 1):
            m = re.search(r"\[?(nt\w+\.ko)\s+-", line)
            if not m or m.group(1) not in tags.by_binary:
                continue
            n += 1
            tag = line[:4] if "[" in line else line.split(" - ")[0].strip()
            if not any(glob_match(tag, t) for t in tags.by_binary[m.group(1)]):
                errors.append("%s:%d: %s does not use the tag %s (it uses %s)" %
                              (rel(path), k, m.group(1), tag,
                               " ".join(sorted(tags.by_binary[m.group(1)]))))
    result(not errors and n > 0,
           "fixture rows naming a sample carry that sample's tag (%d rows)" %
           n, errors)


def main():
    tags = Tags()
    for path in sorted(glob.glob(os.path.join(TOP, "tools", "samples", "*.c"))):
        scan_c(path, tags, sample=True)
    for pattern in ("ntpool/**/*.[ch]", "include/ntpool/*.h", "kunit/*.c"):
        for path in sorted(glob.glob(os.path.join(TOP, pattern),
                                     recursive=True)):
            scan_c(path, tags, sample=False)
    tags.own.add("Ovfl")        # the overflow row of the tags view

    result(not tags.comment_errors,
           "'shows as' comments beside tag literals and values are right "
           "(%d comments)" % tags.comments_checked, tags.comment_errors)
    result(len(tags.used) >= 10 and tags.own >= {"None", "Ovfl"},
           "found the samples' tags (%d): %s" %
           (len(tags.used), " ".join(sorted(tags.used))))
    check_pooltag(tags)
    text = sorted(glob.glob(os.path.join(TOP, "Documentation", "*.rst")))
    text += [os.path.join(TOP, "README.md"),
             os.path.join(TOP, "tools", "ntpool-client.mk")]
    text += sorted(glob.glob(os.path.join(TOP, "tools", "test", "vm", "*.sh")))
    check_text(text, tags)
    check_fixtures(tags)
    print("%d passed, %d failed" % (results["passed"], results["failed"]))
    return 1 if results["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
