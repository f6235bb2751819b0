# SPDX-License-Identifier: GPL-2.0
"""ntpool's WinDbg-style views for drgn: a crash dump or a live kernel.

Each command prints what the matching debugfs file prints on a live
system (Documentation/postmortem.rst), reading only ntpool's structures:

    ntpool_analyze()                  the last bugcheck (!analyze -v)
    ntpool_pool(ADDR)                 /sys/kernel/debug/ntpool/pool (!pool)
    ntpool_poolused([PATTERN])        poolused (!poolused), PATTERN: tags
    ntpool_poolfind(TAG, [0|1])       poolfind (!poolfind)
    ntpool_verifier([MODULE])         verifier (!verifier 3 [MODULE])
    ntpool_tags()                     tags (poolmon)
    ntpool_bigpool()                  bigpool

From the shell, one command per run:

    drgn -c vmcore -s vmlinux -s ntpool.ko tools/drgn/ntpool.py pool ADDR

or, in drgn's interactive shell, execscript("tools/drgn/ntpool.py") and
call the functions above.  ntpool.ko must be given with -s (drgn finds
the kernel's own debug info, not an out-of-tree module's).

On Linux 6.4 and later, drgn before 0.0.23 leaves a module's debug info
where the module is not (it reads struct module's older layout): give
ntpool.ko to the script instead, which places it itself,

    drgn -c vmcore -s vmlinux tools/drgn/ntpool.py --ko ntpool.ko pool ADDR

or, in the shell, load_ntpool_ko("ntpool.ko") after the execscript().
"""
import os
import struct
import sys
import tempfile

from drgn import MissingDebugInfoError, Object, cast
from drgn.helpers.linux.bitops import for_each_set_bit, test_bit
from drgn.helpers.linux.cpumask import for_each_possible_cpu
from drgn.helpers.linux.list import hlist_for_each_entry, list_for_each_entry
from drgn.helpers.linux.percpu import per_cpu_ptr
from drgn.helpers.linux.xarray import xa_for_each

NONPAGED, PAGED = 0, 1
KINDS = 2
EXEC_SLOT = 2
BLOCK = 16
PAGE_UNITS = 256
XA_SMALL, XA_BIG = 0, 1
MAX_CLIENTS = 256
KIND_NAMES = ("Nonp", "Paged")
REGION_NAMES = ("Nonpaged pool", "Paged pool")

prog = globals().get("prog")


def var(name):
    """One of ntpool's globals, static ones included."""
    if name in FILE_OF:
        return prog.variable(name, "ntpool/" + FILE_OF[name])
    return prog[name]


# Where each static variable is: two files may use one name.
FILE_OF = {
    "codes": "report/report.c", "args_text": "report/report.c",
    "violations": "report/report.c", "nr_violations": "report/report.c",
    "reports_suppressed": "report/report.c", "ntpool_last_report": "report/report.c",
    "rows_by_id": "accounting/tags.c", "next_id": "accounting/tags.c", "overflow_row": "accounting/tags.c",
    "shared_client": "accounting/client.c", "clients_list": "accounting/client.c",
    "ntpool_clients_by_id": "accounting/client.c", "track_table": "verifier/verifier.c",
    "wild_entries": "accounting/pooltag.c", "entries": "accounting/pooltag.c",
    "fault_attr": "verifier/faults.c",
}


def out(text=""):
    sys.stdout.write(text + "\n")


def cstr(obj, limit=None):
    """A C string of the dump, cut as strscpy() into @limit bytes would."""
    s = obj.string_().decode(errors="replace")
    return s[:limit - 1] if limit else s


# ---- tags ----------------------------------------------------------------

def tag_text(tag):
    """A tag as poolmon shows it: its bytes in memory order."""
    text = ""
    for b in int(tag).to_bytes(4, "little"):
        text += chr(b) if 0x20 <= b < 0x7f and b != 0x5c else f"\\x{b:02x}"
    return text


class TagPattern:
    """A tag pattern as !poolfind and pooltag.txt take it."""

    def __init__(self, text=None, by_value=False, value=0, glob=""):
        if text is not None:
            by_value = text[:2].lower() == "0x"
            value = int(text, 16) if by_value else 0
            glob = "" if by_value else text
        self.by_value, self.value, self.glob = by_value, value, glob

    @classmethod
    def of(cls, pat):
        """The pattern a struct ntpool_tag_pattern of the dump holds."""
        return cls(by_value=bool(pat.by_value), value=int(pat.value),
                   glob=cstr(pat.glob))

    def text(self):
        return f"0x{self.value:08x}" if self.by_value else self.glob

    def match(self, tag):
        if self.by_value:
            return self.value == tag
        return glob_tag(self.glob, int(tag).to_bytes(4, "little"))


def glob_tag(glob, tag):
    if not glob:
        return all(b == 0x20 for b in tag)
    if glob[0] == "*":
        return any(glob_tag(glob[1:], tag[skip:]) for skip in range(len(tag) + 1))
    if not tag or (glob[0] != "?" and ord(glob[0]) != tag[0]):
        return False
    return glob_tag(glob[1:], tag[1:])


def pooltag_lookup(tag):
    """(binary, description) from the loaded pooltag.txt, or None."""
    for e in list_for_each_entry("struct pooltag_entry",
                                 var("entries").address_of_(), "all"):
        if not e.wildcard and e.key == tag:
            return pooltag_text(e)
    for e in list_for_each_entry("struct pooltag_entry",
                                 var("wild_entries").address_of_(), "wild"):
        if TagPattern.of(e.pattern).match(tag):
            return pooltag_text(e)
    return None


def pooltag_text(e):
    text = e.text.address_of_()
    return (cstr(Object(prog, "char *", value=text.value_()), 64),
            cstr(Object(prog, "char *", value=text.value_() + int(e.desc)), 128))


# ---- clients and symbols -------------------------------------------------

def client(cid):
    c = var("ntpool_clients_by_id")[cid]
    return c if c.value_() else var("shared_client").address_of_()


def client_name(cid):
    return cstr(client(cid).name)


def clients():
    return list_for_each_entry("struct ntpool_client",
                               var("clients_list").address_of_(), "link")


def on_shared_id(c):
    return c.id == 0 and c.value_() != var("shared_client").address_of_().value_()


def module_text_ranges(mod):
    """(core, init) text ranges of a module: (start, end) each."""
    try:
        mem = mod.mem  # Linux 6.4 on: MOD_TEXT 0, MOD_INIT_TEXT 4
        return [(int(mem[i].base), int(mem[i].base) + int(mem[i].size)) for i in (0, 4)]
    except AttributeError:
        return [(int(lay.base), int(lay.base) + int(lay.text_size))
                for lay in (mod.core_layout, mod.init_layout)]


def module_ranges(mod):
    try:
        return [(int(m.base), int(m.base) + int(m.size)) for m in mod.mem]
    except AttributeError:
        return [(int(lay.base), int(lay.base) + int(lay.size))
                for lay in (mod.core_layout, mod.init_layout)]


def module_of(addr):
    for mod in list_for_each_entry("struct module",
                                   prog["modules"].address_of_(), "list"):
        if any(lo <= addr < hi for lo, hi in module_ranges(mod)):
            return mod
    return None


def module_symbol(mod, addr):
    """As the kernel's find_kallsyms_symbol(): (name, offset, size)."""
    core, init = module_text_ranges(mod)
    nextval = init[1] if init[0] <= addr < init[1] else core[1]
    ks = mod.kallsyms
    n = int(ks.num_symtab)
    raw = prog.read(int(ks.symtab), n * 24)
    strtab = int(ks.strtab)
    best, bestval = None, 0
    for i in range(1, n):
        name_off, _info, _other, shndx, value, _size = struct.unpack_from(
            "<IBBHQQ", raw, i * 24)
        if shndx == 0:
            continue
        name = prog.read(strtab + name_off, 2)
        if name[:1] in (b"\0", b"$") or name in (b".L", b"L0"):
            continue
        if bestval < value <= addr:
            best, bestval = i, value
        if addr < value < nextval:
            nextval = value
    if best is None:
        return None
    name_off = struct.unpack_from("<I", raw, best * 24)[0]
    name = cstr(Object(prog, "char *", value=strtab + name_off))
    return name, addr - bestval, nextval - bestval


def symbolize(addr):
    """An address as the kernel's %pS prints it."""
    mod = module_of(addr)
    if mod is not None:
        sym = module_symbol(mod, addr)
        if sym:
            return f"{sym[0]}+{sym[1]:#x}/{sym[2]:#x} [{cstr(mod.name)}]"
        return f"{addr:#x}"
    try:
        sym = prog.symbol(addr)
    except LookupError:
        return f"{addr:#x}"
    return f"{sym.name}+{addr - sym.address:#x}/{sym.size:#x}"


def caller_name(c, caller):
    """A call site's name, kept if its code is gone (callsite.c); None
    when it is to be looked up (%pS), "" when it cannot be named."""
    sites = c.sites
    if sites.value_():
        n = int(sites.n)
        base = sites.site[n].address_of_().value_()
        for i in range(n):
            if sites.site[i].ip == caller:
                off = int(sites.site[i].off)
                return cstr(Object(prog, "char *", value=base + off))
    return None if c.loaded else ""


# ---- counters: the one place that knows their layout (usage.h) ------------

def usage_shares(u):
    """The per-CPU shares a struct ntpool_usage's readers add: its own, and
    for a tag's or a module's totals those of every site folding into it
    (usage.c: sum())."""
    shares = []
    if u.cpu.value_():
        shares.append(u.cpu)
    member = "sibling[%d]" % int(u.slot)
    for child in list_for_each_entry("struct ntpool_usage",
                                     u.children.address_of_(), member):
        shares.append(child.cpu)
    return shares


def usage_read(u):
    """struct ntpool_usage summed over CPUs, as ntpool_usage_read()."""
    st = {k: [0] * KINDS for k in ("allocs", "frees", "bytes", "count",
                                    "failed", "peak_bytes", "peak_count")}
    for kind in range(KINDS):
        st["allocs"][kind] = int(u.allocs[kind])
        st["frees"][kind] = int(u.frees[kind])
        st["bytes"][kind] = int(u.bytes[kind])
    for shares in usage_shares(u):
        for cpu in for_each_possible_cpu(prog):
            share = per_cpu_ptr(shares, cpu)
            for kind in range(KINDS):
                n = int(share.n[kind])
                ops, live = n & 0xffff, (n >> 16) - ((n >> 16 & 0x8000) << 1)
                st["allocs"][kind] += (ops + live) // 2
                st["frees"][kind] += (ops - live) // 2
                st["bytes"][kind] += int(share.bytes[kind])
    for kind in range(KINDS):
        st["count"][kind] = st["allocs"][kind] - st["frees"][kind]
        st["failed"][kind] = int(u.failed[kind].counter)
        # A read raises the peaks to what it sums (usage.c: raise_peak()).
        st["peak_bytes"][kind] = max(int(u.peak_bytes[kind].counter),
                                     st["bytes"][kind])
        st["peak_count"][kind] = max(int(u.peak_count[kind].counter),
                                     st["count"][kind])
    return st


def verifier_counts(c):
    """!verifier's counters of a client, as ntpool_client_verifier_read()."""
    nr = len(VC_NAMES)
    counts = [0] * nr
    for cpu in for_each_possible_cpu(prog):
        v = per_cpu_ptr(c.vcpu, cpu)
        for i in range(nr):
            counts[i] += int(v.count[i])
    counts[0] = counts[1] + counts[4] + counts[5]
    return counts


def outstanding(c):
    if on_shared_id(c):
        return int(c.tracked.counter)
    st = usage_read(c.usage)
    return st["count"][NONPAGED] + st["count"][PAGED]


def tag_rows():
    """The tag table, sorted as ntpool_tags_snapshot() sorts it."""
    rows = []
    chunks = var("rows_by_id")
    for cid in range(1, int(var("next_id"))):
        chunk = chunks[cid >> 8]
        if chunk.value_() and chunk[cid & 255].value_():
            rows.append(tag_row(chunk[cid & 255], False))
    rows.sort(key=lambda r: int(r["tag"]).to_bytes(4, "little"))
    rows.append(tag_row(var("overflow_row").address_of_(), True))
    return rows


def tag_row(t, overflow):
    return {"tag": int(t.tag), "overflow": overflow, "u": usage_read(t.usage),
            "owners": list(for_each_set_bit(t.owners, MAX_CLIENTS))}


# ---- walking the pools (walk.c) -------------------------------------------

def pool_entries(pool, want):
    for _key, entry in xa_for_each(pool.pages.address_of_()):
        value = entry.value_()
        if value & 3 == want:
            kind = "struct ntpool_page *" if want == XA_SMALL else "struct ntpool_big *"
            yield Object(prog, kind, value=value & ~3)


def header(addr):
    return Object(prog, "struct ntpool_header *", value=addr)


def sealed(hdr):
    """Does a header's check value match, as ntpool_hdr_sealed() asks
    (seal.h)?  A header that fails it is a client's corruption, and no
    walk believes it."""
    key = [int(k) for k in var("ntpool_seal_key").k]
    # The header's two little-endian words (pool_header.h: ntpool_hdr_word()).
    words = [prog.read_u64(hdr.value_()), prog.read_u64(hdr.value_() + 8)]
    mask = (1 << 64) - 1

    def mix(a, b):
        p = a * b
        return (p & mask) ^ (p >> 64)
    where = hdr.value_() >> 4
    h = (mix((words[0] & ~0xff & mask) ^ key[0], where ^ key[1]) ^
         mix((words[1] & 0xffffffff) ^ key[2], where ^ key[3]))
    return ((h ^ h >> 32) & 0xffffffff) == words[1] >> 32


def walk_blocks(kind, big=True, small=True):
    """Every allocated block of a pool, big ones first, as
    ntpool_walk_blocks(): dicts with addr, size, tag, client, caller, and
    hdr or big."""
    pools = var("ntpool_pools")
    chosen = [pools[kind]] + ([pools[EXEC_SLOT]] if kind == NONPAGED else [])
    if big:
        for pool in chosen:
            for b in pool_entries(pool, XA_BIG):
                if not b.freed:
                    yield {"addr": b.block.value_(), "size": int(b.size),
                           "tag": int(b.tag), "client": int(b.client),
                           "caller": int(b.caller), "big": b, "hdr": None}
    if small:
        for pool in chosen:
            for pg in pool_entries(pool, XA_SMALL):
                for unit in allocated_units(pg):
                    hdr = header(pg.base.value_() + unit * BLOCK)
                    if not sealed(hdr):
                        continue
                    room = (block_units(pg, unit) - 1) * BLOCK
                    yield {"addr": hdr.value_() + BLOCK,
                           "size": min(int(hdr.allocator_backtrace_index), room),
                           "tag": int(hdr.pool_tag), "client": int(hdr.pool_index),
                           "caller": 0, "big": None, "hdr": hdr}


def allocated_units(pg):
    """Where the page's allocated blocks start: a byte per unit (pool.h)."""
    return [unit for unit in starts(pg) if pg.allocated[unit]]


def starts(pg):
    return list(for_each_set_bit(pg.block_starts, PAGE_UNITS))


def block_units(pg, unit):
    after = [s for s in starts(pg) if s > unit]
    return (after[0] if after else PAGE_UNITS) - unit


def prev_units(pg, unit):
    before = [s for s in starts(pg) if s < unit]
    return unit - before[-1] if before else 0


def big_pages(big):
    if big.special:
        return 1
    size = int(big.size)
    return size // 4096 + (1 if size % 4096 else 0) + (0 if size else 1)


# ---- the views -----------------------------------------------------------

def block_line(hdr, is_free, star):
    mark = "*" if star else " "
    return (f"{mark}{hdr.value_():016x} size: {int(hdr.block_size) * BLOCK:4x} "
            f"previous size: {int(hdr.previous_size) * BLOCK:4x}  "
            f"{'(Free)     ' if is_free else '(Allocated)'} {mark}"
            f"{tag_text(hdr.pool_tag)}")


def big_line(big, star):
    mark = "*" if star else " "
    if big.special:
        return (f"{mark}{big.block.value_():016x} : special pool allocation, "
                f"tag is {tag_text(big.tag)}, size is {int(big.size):#x} bytes")
    return (f"{mark}{big.va.value_():016x} : large page allocation, tag is "
            f"{tag_text(big.tag)}, size is {big_pages(big) * 4096:#x} bytes")


def pooltag_line(tag, cid, is_free):
    desc = pooltag_lookup(tag)
    return (f"\t\tPooltag {tag_text(tag)} : "
            f"{desc[1] if desc else '(no pooltag description)'}, Binary : "
            f"{'-' if is_free else client_name(cid)}")


def ntpool_pool(addr):
    """!pool: the page holding @addr, walked; its block starred."""
    addr = int(addr, 16) if isinstance(addr, str) else int(addr)
    pools = var("ntpool_pools")
    for slot in range(KINDS + 1):
        pool = pools[slot]
        for pg in pool_entries(pool, XA_SMALL):
            if pg.base.value_() <= addr < pg.base.value_() + 4096:
                return print_page(pool, pg, addr)
    for slot in range(KINDS + 1):
        pool = pools[slot]
        for big in pool_entries(pool, XA_BIG):
            va = big.va.value_()
            if not big.freed and va <= addr < va + big_pages(big) * 4096:
                out(f"Pool page {addr:016x} region is {REGION_NAMES[int(pool.kind)]}")
                out(big_line(big, True))
                out(pooltag_line(int(big.tag), int(big.client), False))
                return
    out(f"{addr:016x} is not in a pool page ntpool owns")


def print_page(pool, pg, addr):
    out(f"Pool page {addr:016x} region is {REGION_NAMES[int(pool.kind)]}"
        f"{' (executable)' if pool.exec else ''}")
    if pg.quota.value_():
        out("Quota: the page's blocks are charged to memory cgroup "
            + quota_path(pg.quota))
    if not starts(pg):
        out("The page is wholly free (kept for reuse)")
        return
    for unit in starts(pg):
        hdr = header(pg.base.value_() + unit * BLOCK)
        units = block_units(pg, unit)
        is_free = not pg.allocated[unit]
        star = hdr.value_() <= addr < hdr.value_() + units * BLOCK
        out(block_line(hdr, is_free, star))
        if test_bit(unit, pg.quarantine):
            out("*** the block above was found corrupt and is kept out of use")
        elif hdr.block_size != units or hdr.previous_size != prev_units(pg, unit):
            out(f"*** the header above is corrupt: the block is {units * BLOCK} "
                f"bytes, after one of {prev_units(pg, unit) * BLOCK}")
        if star:
            out(pooltag_line(int(hdr.pool_tag), int(hdr.pool_index), is_free))


def quota_path(quota):
    try:
        from drgn.helpers.linux.cgroup import cgroup_path
        return cgroup_path(quota.memcg.css.cgroup).decode()
    except (LookupError, AttributeError, ImportError):
        return "?"


def ntpool_poolfind(pattern, kind=0):
    """!poolfind: every allocated block whose tag matches, big ones first."""
    pat, kind = TagPattern(pattern), int(kind)
    out(f"Scanning large pool allocation table for Tag: {pat.text()}")
    for b in walk_blocks(kind, small=False):
        if pat.match(b["tag"]):
            out(big_line(b["big"], False))
    out(f"Searching {REGION_NAMES[kind]} for Tag: {pat.text()}")
    for b in walk_blocks(kind, big=False):
        if pat.match(b["tag"]):
            out(block_line(b["hdr"], False, False))


def ntpool_bigpool():
    """The big-pool table of both pools."""
    out(f"{'Address':<16} {'Size':>12} {'Pages':>6} {'Tag':<4} {'Type':<5} "
        f"{'Owner':<16} Caller")
    for kind in range(KINDS):
        for b in walk_blocks(kind, small=False):
            big = b["big"]
            kind_name = "Paged" if kind == PAGED else "NpEx" if big.exec else "Nonp"
            name = caller_name(client(b["client"]), b["caller"])
            if name is None:
                name = symbolize(b["caller"])
            elif not name:
                name = f"0x{b['caller']:016x}"
            out(f"{b['addr']:016x} {b['size']:12} {big_pages(big):6} "
                f"{tag_text(b['tag']):<4} {kind_name:<5} "
                f"{client_name(b['client']):<16} {name}")


def row_tag(row):
    return "Ovfl" if row["overflow"] else tag_text(row["tag"])


def owners_text(row):
    names = []
    for cid in row["owners"]:
        name = client_name(cid)
        if name not in names:
            names.append(name)
    return ",".join(names) if names else "-"


def ntpool_tags():
    """poolmon's table."""
    out(f"{'Tag':<4} {'Type':<5} {'Allocs':>12} {'Frees':>12} {'Diff':>12} "
        f"{'Bytes':>12} {'Per Alloc':>10} {'Peak Bytes':>12} {'Failed':>8} "
        "Modules [Binary - Description]")
    for row in tag_rows():
        u = row["u"]
        if row["overflow"]:
            desc = " [ntpool - allocations whose tag could not be tracked]"
        else:
            found = pooltag_lookup(row["tag"])
            desc = f" [{found[0]} - {found[1]}]" if found else ""
        for kind in range(KINDS):
            if not u["allocs"][kind] and not u["failed"][kind]:
                continue
            diff = u["allocs"][kind] - u["frees"][kind]
            per = int(u["bytes"][kind] / diff) if diff > 0 else 0
            out(f"{row_tag(row):<4} {KIND_NAMES[kind]:<5} {u['allocs'][kind]:12} "
                f"{u['frees'][kind]:12} {diff:12} {u['bytes'][kind]:12} "
                f"{per:10} {u['peak_bytes'][kind]:12} {u['failed'][kind]:8} "
                f"{owners_text(row)}{desc}")


def ntpool_poolused(pattern=None):
    """!poolused's summary, sorted by tag; only the tags PATTERN matches."""
    pat = TagPattern(pattern) if pattern else None
    totals = [0, 0, 0, 0]
    out(" Sorting by Tag\n\n Pool Used:")
    out(f"{'':<6} {'NonPaged':>25} {'Paged':>25}")
    out(f"{' Tag':<6} {'Allocs':>12} {'Used':>12} {'Allocs':>12} {'Used':>12}")
    for row in tag_rows():
        u = row["u"]
        np = u["allocs"][NONPAGED] - u["frees"][NONPAGED]
        pg = u["allocs"][PAGED] - u["frees"][PAGED]
        if (not np and not pg) or (pat and (row["overflow"] or not pat.match(row["tag"]))):
            continue
        tag = row_tag(row)
        found = None if row["overflow"] else pooltag_lookup(row["tag"])
        desc = (f"\t{found[1]}, Binary : {found[0]}" if found else
                f"\tUNKNOWN pooltag '{tag}', please update pooltag.txt")
        out(f" {tag:<5} {np:12} {u['bytes'][NONPAGED]:12} {pg:12} "
            f"{u['bytes'][PAGED]:12}{desc}")
        for i, v in enumerate((np, u["bytes"][NONPAGED], pg, u["bytes"][PAGED])):
            totals[i] += v
    out(f" {'TOTAL':<5} {totals[0]:12} {totals[1]:12} {totals[2]:12} {totals[3]:12}")


VERIFY_FLAGS = ((0x01, True, "Special pool"), (0x02, True, "Force IRQL checking"),
                (0x08, True, "Pool tracking"), (0x10, True, "I/O verification"),
                (0x04, False, "Randomized low resources simulation"))
VC_NAMES = ("Pool Allocations Attempted", "Pool Allocations Succeeded",
            "Pool Allocations Succeeded SpecialPool", "Pool Allocations With NO TAG",
            "Pool Allocations Failed", "Resource Allocations Failed Deliberately",
            "Pool Allocations Not Tracked")
VERIFY_NAMES = ("none (leak check at unload only)", "Pool Tracking",
                "Pool Tracking with allocation stacks")


def verifier_flags():
    level = 0x02
    if any(int(c.verify) for c in clients()):
        level |= 0x08
    if var("ntpool_special_setting").value_():
        level |= 0x01
    if faults_enabled():
        level |= 0x04
    out(f"Verify Flags Level 0x{level:08x}\n")
    for standard in (True, False):
        out(f"  {'STANDARD' if standard else 'ADDITIONAL'} FLAGS:")
        for value, std, name in VERIFY_FLAGS:
            if std == standard:
                out(f"    [{'X' if level & value else ' '}] (0x{value:08x}) {name}")
    out("\n  Every module, verified or not, gets the leak check at its unload (0xC4/0x62).\n")


def faults_enabled():
    try:
        return bool(var("fault_attr").probability)
    except LookupError:
        return False  # built without CONFIG_FAULT_INJECTION


def verifier_summary():
    counts = [0] * len(VC_NAMES)
    total = {k: [0, 0] for k in ("count", "bytes", "peak_count", "peak_bytes")}
    for c in clients():
        for i, v in enumerate(verifier_counts(c)):
            counts[i] += v
        u = usage_read(c.usage)
        for k in total:
            for kind in range(KINDS):
                total[k][kind] += u[k][kind]
    out("Summary of All Verifier Statistics\n")
    for name in ("RaiseIrqls", "AcquireSpinLocks", "Synch Executions"):
        out(f"  {name:<38} 0x0")
    out(f"  {'Trims':<38} 0x0\n")
    for name, v in zip(VC_NAMES, counts):
        out(f"  {name:<40} {v:#x}")
    out()
    for word, kind in (("paged", PAGED), ("nonpaged", NONPAGED)):
        end = "\n" if kind == NONPAGED else ""
        out(f"  Current {word} pool allocations {total['count'][kind]:#x} for "
            f"{total['bytes'][kind]:08X} bytes")
        out(f"  Peak {word} pool allocations {total['peak_count'][kind]:#x} for "
            f"{total['peak_bytes'][kind]:08X} bytes{end}")


def allocation_rows(c):
    """!verifier 3's allocation table of a client (verifier.c)."""
    out("      Address             Length      Tag   Caller")
    out("      ------------------  ----------  ----  ----------")
    owner = c.value_() if on_shared_id(c) else None
    records = track_records()
    for kind in range(KINDS):
        for b in walk_blocks(kind):
            record = records.get(b["addr"])
            if b["client"] != c.id or (owner and
                                       (record is None or record.owner.value_() != owner)):
                continue
            caller = b["caller"] or (int(record.caller) if record is not None else 0)
            row = f"0x{b['addr']:016x}  0x{b['size']:08x}  {tag_text(b['tag']):<4}  "
            if not caller:
                row += "(not tracked)"
            else:
                name = caller_name(c, caller)
                if name is None:
                    row += f"0x{caller:016x}  {symbolize(caller)}"
                elif name:
                    row += f"0x{caller:016x}  {name}"
                else:
                    row += f"0x{caller:016x}"
            out("      " + row)


def track_records():
    """Pool Tracking's records by block address, read from its hash lists."""
    records = {}
    for head in var("track_table"):
        for t in hlist_for_each_entry("struct ntpool_track",
                                      head.address_of_(), "node"):
            records[int(t.addr)] = t
    return records


def verifier_client(c):
    counts = verifier_counts(c)
    u = usage_read(c.usage)
    out(f"MODULE: 0x{c.value_():016x} {cstr(c.name)} "
        f"({'Loaded' if c.loaded else 'Unloaded'})")
    out(f"    Verification: {VERIFY_NAMES[int(c.verify)]}")
    for name, v in zip(VC_NAMES, counts):
        out(f"    {name:<40} {v:#x}")
    if on_shared_id(c):
        out("    Shares client id 0: blocks counted by Pool Tracking\n")
        out(f"      Current Pool Allocations: 0x{outstanding(c):08x}\n")
        if outstanding(c) > 0:
            out("    Pool Allocations:\n")
            allocation_rows(c)
            out()
        return
    out("    Pool Allocation Statistics: ( NonPagedPool / PagedPool )\n")
    for label, key in (("Current Pool Allocations: ", "count"),
                       ("Current Pool Bytes:       ", "bytes"),
                       ("Peak Pool Allocations:    ", "peak_count"),
                       ("Peak Pool Bytes:          ", "peak_bytes")):
        out(f"      {label}( 0x{u[key][NONPAGED]:08x} / 0x{u[key][PAGED]:08x} )")
    out("      Contiguous Memory Bytes:       0x00000000")
    out("      Peak Contiguous Memory Bytes:  0x00000000\n")
    if u["count"][NONPAGED] + u["count"][PAGED] <= 0:
        return
    out("    Pool Allocations:\n")
    allocation_rows(c)
    out()


def bugcheck_name(code):
    for ct in var("codes"):
        if ct.code == code:
            return cstr(ct.name), cstr(ct.meaning)
    return "UNKNOWN_BUGCHECK", None


def verifier_violations():
    out("Violations reported\n-------------------\n")
    n = min(int(var("nr_violations")), 16)
    for v in list(var("violations"))[:n]:
        code = int(v.code)
        out(f"  {bugcheck_name(code)[0]} ({code:x}) Arg1 {int(v.arg1):#x}: "
            f"{int(v.count.counter)}")
    if not n:
        out("  none")
    out(f"\n  Reports not printed (rate limit): {int(var('reports_suppressed').counter)}")


def ntpool_verifier(module=None):
    """!verifier 3: every client module, or only MODULE."""
    verifier_flags()
    verifier_summary()
    out("Driver Verification List\n------------------------\n")
    shared = var("shared_client").address_of_().value_()
    for c in clients():
        if c.value_() == shared or (module and cstr(c.name) != module):
            continue
        if c.loaded or outstanding(c) > 0:
            verifier_client(c)
    verifier_violations()


def ntpool_analyze():
    """The last bugcheck, as the console showed it (report.c)."""
    r = var("ntpool_last_report")
    if not r.count:
        out("No bugcheck reported since ntpool was loaded")
        return
    code = int(r.bc.code)
    args = [int(a) for a in r.bc.args]
    name, meaning = bugcheck_name(code)
    out(f"*** Fatal System Error: 0x{code:08x}")
    out("                       (" + ",".join(f"0x{a:016x}" for a in args) + ")")
    out(f"{name} ({code:x})")
    if meaning is not None:
        out(meaning)
    which = args[3] if code == 0xC1 else args[0]
    texts = None
    for at in var("args_text"):
        if at.code == code and at.which == which:
            texts = [cstr(t) for t in at.text]
    out("Arguments:")
    for i in range(4):
        note = cstr(r.notes[i])
        out(f"Arg{i + 1}: {args[i]:016x}{', ' + texts[i] if texts else ''}{note}")
    if r.caller_ip:
        out(f"CALLER: {cstr(r.caller)} (module {cstr(r.module)})")


# ---- ntpool.ko's debug info, placed where the module is ------------------

def loaded_module(name):
    for mod in list_for_each_entry("struct module",
                                   prog["modules"].address_of_(), "list"):
        if cstr(mod.name) == name:
            return mod
    raise LookupError(f"module {name} is not loaded")


def module_sections(mod):
    """{section: address} of a loaded module, from the kernel's own record
    of them (what /sys/module/NAME/sections shows)."""
    attrs = mod.sect_attrs
    sections = {}
    for i in range(int(attrs.nsections)):
        a = attrs.attrs[i]
        sections[cstr(a.battr.attr.name)] = int(a.address)
    return sections


def placed_copy(path, sections):
    """A copy of the relocatable ELF file @path whose sections' addresses
    are those of @sections: the addresses drgn relocates its DWARF to."""
    with open(path, "rb") as f:
        elf = bytearray(f.read())
    shoff, = struct.unpack_from("<Q", elf, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", elf, 0x3a)
    names, = struct.unpack_from("<Q", elf, shoff + shstrndx * shentsize + 24)
    for i in range(shnum):
        hdr = shoff + i * shentsize
        start = names + struct.unpack_from("<I", elf, hdr)[0]
        name = elf[start:elf.index(b"\0", start)].decode()
        if name in sections:
            struct.pack_into("<Q", elf, hdr + 16, sections[name])
    fd, copy = tempfile.mkstemp(prefix="ntpool-", suffix=".ko")
    with os.fdopen(fd, "wb") as f:
        f.write(elf)
    return copy


def load_ntpool_ko(path):
    """ntpool.ko's debug info, for a kernel where drgn cannot place it.

    drgn places a module's debug info where the module is loaded, reading
    struct module's layout; drgn 0.0.22 knows the layout before Linux 6.4
    only, and on a later kernel leaves ntpool.ko's addresses unrelocated.
    Here the sections' addresses are read from the kernel's sect_attrs
    and written into a copy of @path, whose DWARF drgn then relocates to
    them."""
    mod = loaded_module("ntpool")
    copy = placed_copy(path, module_sections(mod))
    try:
        prog.load_debug_info([copy])
    except MissingDebugInfoError:
        pass  # drgn 0.0.22 cannot list 6.4+'s modules: expected there
    finally:
        os.unlink(copy)
    addr = var("ntpool_last_report").address_
    if not any(lo <= addr < hi for lo, hi in module_ranges(mod)):
        raise LookupError(f"{path}'s debug info is not where ntpool is")


COMMANDS = {
    "analyze": ntpool_analyze, "pool": ntpool_pool, "poolused": ntpool_poolused,
    "poolfind": ntpool_poolfind, "verifier": ntpool_verifier, "tags": ntpool_tags,
    "bigpool": ntpool_bigpool,
}


def run(words):
    if not words or words[0] not in COMMANDS:
        sys.exit("usage: ntpool.py " + "|".join(COMMANDS) + " [ARGS]\n"
                 "       ntpool.py --batch < lines of 'OUTFILE COMMAND [ARGS]'")
    COMMANDS[words[0]](*words[1:])


def batch():
    """Many commands in one run (loading vmlinux's debug info is slow):
    'OUTFILE COMMAND [ARGS]' per line of stdin."""
    for line in sys.stdin.read().splitlines():
        words = line.split()
        if not words:
            continue
        with open(words[0], "w") as f:
            sys.stdout = f
            try:
                run(words[1:])
            finally:
                sys.stdout = sys.__stdout__


# Run as a script with a command; exec()ed or execscript()ed in drgn's
# shell without one, it only defines the commands.
if (__name__ == "__main__" and prog is not None and
        sys.argv[0].endswith("ntpool.py") and sys.argv[1:]):
    args = sys.argv[1:]
    if args[:1] == ["--ko"]:
        load_ntpool_ko(args[1])
        args = args[2:]
    if args[:1] == ["--batch"]:
        batch()
    else:
        run(args)
