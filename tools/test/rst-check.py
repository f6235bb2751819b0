#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Parse Documentation/*.rst with docutils and fail on any warning.

Sphinx's own directives are known to docutils as checks: "toctree" must
name documents that exist, "kernel-doc" a source file that exists (its
content is checked by scripts/kernel-doc in lint.sh).
"""
import os
import sys

from docutils import nodes
from docutils.core import publish_doctree
from docutils.parsers.rst import Directive, directives

DOC_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                       "..", "..", "Documentation")
TOP = os.path.dirname(DOC_DIR)


class KernelDoc(Directive):
    required_arguments = 1
    option_spec = {"export": directives.flag, "internal": directives.flag,
                   "identifiers": directives.unchanged,
                   "functions": directives.unchanged,
                   "doc": directives.unchanged}

    def run(self):
        path = os.path.join(TOP, self.arguments[0])
        if not os.path.isfile(path):
            raise self.error("kernel-doc: no file %s" % self.arguments[0])
        return []


class TocTree(Directive):
    has_content = True
    option_spec = {"maxdepth": directives.nonnegative_int}

    def run(self):
        for entry in (line.strip() for line in self.content):
            if entry and not os.path.isfile(os.path.join(DOC_DIR,
                                                         entry + ".rst")):
                raise self.error("toctree: no document %s" % entry)
        return []


def main():
    directives.register_directive("kernel-doc", KernelDoc)
    directives.register_directive("toctree", TocTree)
    failed = 0
    for name in sorted(os.listdir(DOC_DIR)):
        if not name.endswith(".rst"):
            continue
        path = os.path.join(DOC_DIR, name)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        try:
            publish_doctree(text, source_path=path,
                            settings_overrides={"report_level": 2,
                                                "halt_level": 2,
                                                "warning_stream": sys.stderr})
        except Exception:  # SystemMessage on halt, already printed
            failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
