#!/usr/bin/env python3
"""qemu/stress/inject.py: one re1000 operation, again and again, with memory
allocations failing in the task that makes the system call (inside the guest).

    inject.py OP TARGET NTH PROB

OP TARGET:
  probe PCI_ADDRESS  bind re1000 to the device through sysfs: the probe runs
                     in this task; undone by unbinding (see Probe); leaves
                     the device unbound
  open IFACE         set IFACE up (SIOCSIFFLAGS); undone by setting it down
  ring IFACE         resize both rings (ETHTOOL_SRINGPARAM) to 512, or to 256
                     when they are at 512

NTH attempts (systematic): the fault-injection points the operation passes
(slab and page allocations) are counted once, then each attempt makes the
N-th of them fail (/proc/thread-self/fail-nth), N = 1, 2, ... for a third of
the attempts, the last points for another third, the points in between for
the rest. PROB attempts (random): failslab and fail_page_alloc fail this
task only (task-filter, /proc/self/make-it-fail) with a probability from 10
up to 100 %, at most once each (times 1).

Every attempt prints "attempt op=OP how=... injected=N result=ok|ERRNO";
each must end in success or an error with the state consistent: a failed
probe leaves no interface, a failed open leaves the interface down, a failed
ring resize leaves the interface with carrier. The last line is
"inject op=OP attempts=N injected=N failed=N inconsistent=N errors=...";
the exit status is 1 if an attempt left an inconsistent state.
"""

import ctypes
import errno
import fcntl
import os
import socket
import struct
import sys
import time

DEBUGFS = "/sys/kernel/debug"
SIOCGIFFLAGS, SIOCSIFFLAGS, SIOCETHTOOL = 0x8913, 0x8914, 0x8946
ETHTOOL_GRINGPARAM, ETHTOOL_SRINGPARAM = 0x10, 0x11
IFF_UP = 0x1
DRIVER = "/sys/bus/pci/drivers/re1000"


def knob(attr, name, value):
    with open(f"{DEBUGFS}/{attr}/{name}", "w") as f:
        f.write(f"{value}\n")


def knob_read(attr, name):
    with open(f"{DEBUGFS}/{attr}/{name}") as f:
        return f.read().strip()


def configure(task_filter, probability):
    """Both failure points: sleeping allocations and order-0 pages included."""
    for attr in ("failslab", "fail_page_alloc"):
        knob(attr, "probability", 0)
        knob(attr, "verbose", 0)
        knob(attr, "interval", 1)
        knob(attr, "space", 0)
        knob(attr, "ignore-gfp-wait", "N")
        knob(attr, "task-filter", "Y" if task_filter else "N")
        knob(attr, "times", 1)
    knob("fail_page_alloc", "min-order", 0)
    knob("fail_page_alloc", "ignore-gfp-highmem", "N")
    for attr in ("failslab", "fail_page_alloc"):
        knob(attr, "probability", probability)


def iface_of_mac(mac):
    for name in os.listdir("/sys/class/net"):
        try:
            if open(f"/sys/class/net/{name}/address").read().strip() == mac:
                return name
        except OSError:
            pass
    return None


class Probe:
    """The device stays enabled (sysfs "enable") while the driver is unbound,
    so that probe's pci_enable_device() only counts: the PCI core's IRQ
    routing lookup, which runs the ACPI interpreter (_PRT), stays out of the
    failures. ACPICA does not survive an allocation failure in the middle of
    a method ("Could not update object reference count", then a NULL
    dereference in __slab_free): a kernel problem, not the driver's."""

    def __init__(self, addr):
        self.addr = addr.encode()
        self.mac = os.environ["DUT_MAC"]
        self.prepare()
        with open(f"/sys/bus/pci/devices/{addr}/enable", "w") as f:
            f.write("1")
        self.bind = os.open(f"{DRIVER}/bind", os.O_WRONLY)

    def prepare(self):
        if os.path.exists(f"{DRIVER}/{self.addr.decode()}"):
            with open(f"{DRIVER}/unbind", "w") as f:
                f.write(self.addr.decode())

    def finish(self):
        self.prepare()
        with open(f"/sys/bus/pci/devices/{self.addr.decode()}/enable", "w") as f:
            f.write("0")

    def run(self):
        os.write(self.bind, self.addr)

    def check(self, good):
        bound = os.path.exists(f"{DRIVER}/{self.addr.decode()}")
        iface = iface_of_mac(self.mac)
        if good and not (bound and iface):
            return f"bind succeeded but bound={bound} interface={iface}"
        if not good and (bound or iface):
            return f"bind failed but bound={bound} interface={iface}"
        return None


class Open:
    def __init__(self, iface):
        self.iface = iface
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)

    def flags(self):
        req = struct.pack("16sH22x", self.iface.encode(), 0)
        return struct.unpack("16sH22x", fcntl.ioctl(self.sock, SIOCGIFFLAGS, req))[1]

    def set_flags(self, flags):
        fcntl.ioctl(self.sock, SIOCSIFFLAGS, struct.pack("16sH22x", self.iface.encode(), flags))

    def prepare(self):
        flags = self.flags()
        if flags & IFF_UP:
            self.set_flags(flags & ~IFF_UP)
        self.req = struct.pack("16sH22x", self.iface.encode(), self.flags() | IFF_UP)

    def run(self):
        fcntl.ioctl(self.sock, SIOCSIFFLAGS, self.req)

    def check(self, good):
        up = bool(self.flags() & IFF_UP)
        if good != up:
            return f"open {'succeeded' if good else 'failed'} but IFF_UP is {int(up)}"
        return None


class Ring:
    def __init__(self, iface):
        self.iface = iface
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.buf = ctypes.create_string_buffer(36)
        self.req = struct.pack("16sP16x", iface.encode(), ctypes.addressof(self.buf))

    def get(self):
        struct.pack_into("9I", self.buf, 0, ETHTOOL_GRINGPARAM, *[0] * 8)
        fcntl.ioctl(self.sock, SIOCETHTOOL, self.req)
        v = struct.unpack_from("9I", self.buf)
        return v[5], v[8]

    def prepare(self):
        rx, _ = self.get()
        self.target = 256 if rx == 512 else 512
        v = list(struct.unpack_from("9I", self.buf))
        v[0], v[5], v[8] = ETHTOOL_SRINGPARAM, self.target, self.target
        struct.pack_into("9I", self.buf, 0, *v)

    def run(self):
        fcntl.ioctl(self.sock, SIOCETHTOOL, self.req)

    def check(self, good):
        # Whatever the outcome, the interface is up: it must get its carrier back.
        for _ in range(150):
            if open(f"/sys/class/net/{self.iface}/carrier").read().strip() == "1":
                return None
            time.sleep(0.1)
        return (f"ring resize to {self.target} {'succeeded' if good else 'failed'}, "
                f"rings now {self.get()}, no carrier 15 s later")


def attempt(op, arm, disarm):
    """One attempt: returns (injected, errno name or None)."""
    op.prepare()
    arm()
    try:
        op.run()
        err = None
    except OSError as e:
        err = errno.errorcode.get(e.errno, str(e.errno))
    injected = disarm()
    return injected, err


def main():
    kind, target, nth, prob = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    op = {"probe": Probe, "open": Open, "ring": Ring}[kind](target)
    nth_fd = os.open("/proc/thread-self/fail-nth", os.O_RDWR)
    fail_fd = os.open("/proc/self/make-it-fail", os.O_WRONLY)

    def nth_left():
        return int(os.pread(nth_fd, 32, 0) or b"0")

    def set_nth(n):
        os.write(nth_fd, str(n).encode())

    # How many injection points the operation passes, with nothing failing.
    configure(False, 0)
    big = 1 << 30
    _, err = attempt(op, lambda: set_nth(big), nth_left)
    calls = big - nth_left()
    set_nth(0)
    if err:
        print(f"inject op={kind}: the operation fails without injection: {err}")
        return 1
    op.check(True)
    third = max(1, nth // 3)
    points = list(range(1, third + 1)) + list(range(calls - third + 1, calls + 1))
    middle = nth - len(points)
    points += [third + 1 + (calls - 2 * third) * (i + 1) // (middle + 1) for i in range(middle)]
    points = sorted({p for p in points if 1 <= p <= calls})
    plans = [("nth", n) for n in points]
    plans += [("probability", 10 + 90 * i // max(1, prob - 1)) for i in range(prob)]

    total, failed, bad, errors = 0, 0, 0, {}
    for how, value in plans:
        if how == "nth":
            def arm(n=value):
                set_nth(n)

            def disarm():
                hit = nth_left() == 0
                set_nth(0)
                return int(hit)
        else:
            configure(True, value)

            def arm():
                os.write(fail_fd, b"1")

            def disarm():
                os.write(fail_fd, b"0")
                return sum(knob_read(a, "times") == "0" for a in ("failslab", "fail_page_alloc"))
        injected, err = attempt(op, arm, disarm)
        if how != "nth":
            configure(False, 0)
        problem = op.check(err is None)
        total += injected
        failed += err is not None
        bad += problem is not None
        if err:
            errors[err] = errors.get(err, 0) + 1
        print(f"attempt op={kind} {how}={value} injected={injected} result={err or 'ok'}"
              + (f" INCONSISTENT: {problem}" if problem else ""), flush=True)
    configure(False, 0)
    if hasattr(op, "finish"):
        op.finish()
    summary = ",".join(f"{k}:{v}" for k, v in sorted(errors.items())) or "none"
    print(f"inject op={kind} points={calls} attempts={len(plans)} injected={total} "
          f"failed={failed} inconsistent={bad} errors={summary}", flush=True)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
