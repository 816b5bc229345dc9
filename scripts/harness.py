"""scripts/harness.py: what scripts/test and scripts/stress share (imported, never run).

Running a command with a log and a time limit, running one guest script in a
fresh guest through qemu/run, and reading the guest's kernel log afterwards
with qemu/run's own splat patterns.
"""

import importlib.machinery
import importlib.util
import os
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
QEMU_RUN = os.path.join(ROOT, "qemu/run")


def run(cmd, log, timeout, cwd=ROOT):
    """Runs CMD (from the repository, or CWD) with its output in LOG; returns
    (status, seconds, output)."""
    t0 = time.time()
    with open(log, "w") as f:
        try:
            p = subprocess.run(cmd, stdout=f, stderr=subprocess.STDOUT, timeout=timeout, cwd=cwd)
            rc = p.returncode
        except subprocess.TimeoutExpired:
            rc = 124
            f.write(f"\n[{os.path.basename(sys.argv[0])}] timed out after {timeout} s\n")
    return rc, time.time() - t0, open(log, errors="replace").read()


def scripts_in(folder, names=()):
    """The NN-name.sh scripts of a folder of the repository, in order; NAMES
    (substrings) keep only the matching ones."""
    found = sorted(f for f in os.listdir(os.path.join(ROOT, folder))
                   if re.match(r"\d+-.*\.sh$", f))
    if names:
        found = [f for f in found if any(n in f for n in names)]
    return found


def _qemu_run_line(path):
    """The options on guest script PATH's "# qemu-run:" line, as words."""
    extra = []
    for line in open(path):
        if line.startswith("# qemu-run:"):
            extra = line.split(":", 1)[1].split()
    return extra


def runner_options(path):
    """The qemu/run options guest script PATH asks for on its "# qemu-run:"
    line ("# qemu-run: --model e1000-82545em"), less its --timeout."""
    extra = _qemu_run_line(path)
    return [o for i, o in enumerate(extra)
            if o != "--timeout" and (i == 0 or extra[i - 1] != "--timeout")]


def guest_timeout(path, default):
    """The guest's time limit in seconds for script PATH: its own ("# qemu-run:
    --timeout N", for a test known to run long) if it names one, else
    DEFAULT."""
    extra = _qemu_run_line(path)
    for i, o in enumerate(extra[:-1]):
        if o == "--timeout" and extra[i + 1].isdigit():
            return int(extra[i + 1])
    return default


def guest_command(path, kernel, timeout, env=None):
    """The qemu/run command line that runs guest script PATH with re1000,
    with the runner options the script asks for (runner_options) and the
    guest time limit guest_timeout(PATH, TIMEOUT)."""
    prefix = "".join(f"{k}={v} " for k, v in (env or {}).items())
    return [QEMU_RUN, "--driver", "re1000", "--kernel", kernel,
            "--timeout", str(guest_timeout(path, timeout)),
            *runner_options(path), "--", f"{prefix}sh {path}"]


def console_of(output):
    """The guest's kernel log that qemu/run named in its output, if any."""
    m = re.search(r"kernel log: (\S+/console\.log)", output)
    return m.group(1) if m else None


def _qemu_run_module():
    """qemu/run imported as a module (no byte code written next to it)."""
    loader = importlib.machinery.SourceFileLoader("qemu_run", QEMU_RUN)
    spec = importlib.util.spec_from_loader("qemu_run", loader)
    mod = importlib.util.module_from_spec(spec)
    dont_write, sys.dont_write_bytecode = sys.dont_write_bytecode, True
    try:
        loader.exec_module(mod)
    finally:
        sys.dont_write_bytecode = dont_write
    return mod


def kernel_findings(console):
    """(splats, leaks) in a guest kernel log, judged as qemu/run judges it
    (its SPLAT patterns, nothing after the guest asked to power off). A splat
    is one report: matching lines less than 20 lines apart (WARNING, RIP,
    Call Trace of one report) count once. Leaks are kmemleak's "unreferenced
    object" entries (qemu/guest/init scans at the end where the kernel has
    kmemleak)."""
    try:
        lines = open(console, errors="replace").read().splitlines()
    except (OSError, TypeError):
        return 0, 0
    for i, line in enumerate(lines):
        if "sysrq: Power Off" in line:
            lines = lines[:i]
            break
    is_splat = _qemu_run_module().is_splat
    splats, leaks, last = 0, 0, None
    for i, line in enumerate(lines):
        if "unreferenced object" in line:
            leaks += 1
        elif is_splat(line):
            if last is None or i - last >= 20:
                splats += 1
            last = i
    return splats, leaks
