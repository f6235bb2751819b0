#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Run the test VM for the drgn test (drgn-test.sh), and take its memory dumps.

    dump-vm.py OUTDIR TIMEOUT QEMU-COMMAND...

Starts QEMU with two more things: a QMP socket (for dump-guest-memory and
quit) and a second serial port (the guest's /dev/ttyS1) on a socket that
this script reads.  The console (the first serial port) goes to
OUTDIR/console.log.  The guest asks for things on /dev/ttyS1, one line
each:

    FILE NAME           the lines up to "EOF NAME" go into OUTDIR/NAME
    DUMP NAME           the guest's memory goes into OUTDIR/NAME.core, while
                        the guest waits: "go" is written back once done
    PANIC NAME          the guest is about to panic: once the console shows
                        the panic's end, OUTDIR/NAME.core is written and
                        QEMU quits

(drgn-test.sh's kcore boots send FILEs only: QEMU ends at the guest's
reboot.)
A dump is QEMU's ELF core, which drgn reads: made with paging, so that its
segments carry the kernel's virtual addresses too (drgn reads the page
tables at the kernel image's), and with "-device vmcoreinfo", the note
that tells drgn which kernel it is and where.
Exits 0 if QEMU ended within TIMEOUT seconds.
"""
import json
import os
import socket
import subprocess
import sys
import threading
import time

PANIC_END = b"---[ end Kernel panic"


class Qmp:
    """A QMP client: one command at a time, events skipped."""

    def __init__(self, path):
        self.sock = connect(path)
        self.file = self.sock.makefile("rwb")
        self.file.readline()  # the greeting
        self.command("qmp_capabilities")

    def command(self, name, **args):
        self.file.write(json.dumps({"execute": name, "arguments": args}).encode() + b"\n")
        self.file.flush()
        while True:
            reply = json.loads(self.file.readline())
            if "return" in reply:
                return reply["return"]
            if "error" in reply:
                raise RuntimeError(f"QMP {name}: {reply['error']}")

    def dump(self, path):
        self.command("dump-guest-memory", paging=True, protocol="file:" + path)


def connect(path, timeout=30):
    """Connect to a UNIX socket QEMU is about to create."""
    end = time.monotonic() + timeout
    while True:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.connect(path)
            return sock
        except OSError:
            sock.close()
            if time.monotonic() > end:
                raise
            time.sleep(0.1)


def watch_console(stdout, log, panicked):
    """Copy the console to its log; note the end of a panic."""
    tail = b""
    for chunk in iter(lambda: stdout.read1(4096), b""):
        log.write(chunk)
        log.flush()
        tail = (tail + chunk)[-4096:]
        if PANIC_END in tail:
            panicked.set()


def serve(ctl, qmp, outdir, panicked, log):
    """Answer the guest's requests until it ends or panics."""
    lines = ctl.makefile("rb")
    out = None
    for raw in lines:
        line = raw.decode(errors="replace").rstrip("\r\n")
        words = line.split(" ", 1)
        if out is not None:
            if line == "EOF " + out[0]:
                out[1].close()
                out = None
            else:
                out[1].write(line + "\n")
            continue
        if len(words) != 2:
            continue
        what, name = words
        if what == "FILE":
            out = (name, open(os.path.join(outdir, name), "w"))
        elif what == "DUMP":
            qmp.dump(os.path.join(outdir, name + ".core"))
            log(f"dumped the running guest into {name}.core")
            ctl.sendall(b"go\n")
        elif what == "PANIC":
            if not panicked.wait(60):
                log("the guest did not panic within 60 s")
                return
            qmp.dump(os.path.join(outdir, name + ".core"))
            log(f"dumped the panicked guest into {name}.core")
            return


def main():
    outdir, timeout, cmd = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
    qmp_path = os.path.join(outdir, "qmp.sock")
    ctl_path = os.path.join(outdir, "ctl.sock")
    for path in (qmp_path, ctl_path):  # an earlier boot's
        if os.path.exists(path):
            os.unlink(path)
    cmd += ["-qmp", f"unix:{qmp_path},server=on,wait=off",
            "-chardev", f"socket,id=ctl,path={ctl_path},server=on,wait=on",
            "-serial", "mon:stdio", "-serial", "chardev:ctl",
            "-device", "vmcoreinfo"]

    def log(msg):
        print(f"ntpool: {msg}", file=sys.stderr, flush=True)

    with open(os.path.join(outdir, "console.log"), "wb") as console:
        qemu = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        panicked = threading.Event()
        watcher = threading.Thread(target=watch_console,
                                   args=(qemu.stdout, console, panicked))
        watcher.start()
        timed_out = threading.Event()

        def kill():
            timed_out.set()
            qemu.kill()
        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            ctl = connect(ctl_path)
            qmp = Qmp(qmp_path)
            serve(ctl, qmp, outdir, panicked, log)
            if qemu.poll() is None:
                try:
                    qmp.command("quit")
                except (OSError, ValueError):
                    pass  # QEMU went first
        finally:
            qemu.wait()
            timer.cancel()
            watcher.join()
    if timed_out.is_set():
        log(f"the VM did not finish within {timeout:.0f} s")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
