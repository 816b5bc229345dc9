#!/usr/bin/env python3
"""qemu/stress/frames.py: bad frames from an AF_PACKET socket (inside the guest).

    frames.py IFACE DST_MAC OVERSIZE RUNTS FLOOD_SECONDS GARBAGE

Sends on IFACE, in this order: OVERSIZE 9000-byte frames to DST_MAC, RUNTS
frames of 14..59 bytes to DST_MAC, broadcast frames as fast as it can for
FLOOD_SECONDS, and GARBAGE frames of random bytes and random lengths (14 up
to IFACE's MTU + 14) to DST_MAC, broadcast, a multicast or a random address.
Prints one line: "frames oversize=N runts=N flood=N garbage=N refused=N"
(refused: sends the local stack turned down, e.g. a full queue).
"""

import os
import random
import socket
import sys
import time

ETH_P_EXPERIMENTAL = 0x88B5


def main():
    iface, dst = sys.argv[1], bytes.fromhex(sys.argv[2].replace(":", ""))
    oversize, runts, flood, garbage = (int(a) for a in sys.argv[3:7])
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((iface, 0))
    src = s.getsockname()[4][:6]
    mtu = int(open(f"/sys/class/net/{iface}/mtu").read())
    rng = random.Random(1)
    sent = {"oversize": 0, "runts": 0, "flood": 0, "garbage": 0, "refused": 0}

    def send(kind, frame):
        try:
            s.send(frame)
            sent[kind] += 1
        except OSError:
            sent["refused"] += 1

    def header(to, ethertype=ETH_P_EXPERIMENTAL):
        return to + src + ethertype.to_bytes(2, "big")

    for i in range(oversize):
        send("oversize", header(dst) + bytes([i & 0xFF]) * (9000 - 14))
    for i in range(runts):
        size = 14 + i % 46
        send("runts", (header(dst) + os.urandom(46))[:size])
    deadline = time.time() + flood
    bcast = header(b"\xff" * 6) + b"\x00" * 46
    while time.time() < deadline:
        for _ in range(64):
            send("flood", bcast)
    for _ in range(garbage):
        to = rng.choice([dst, b"\xff" * 6, b"\x01\x00\x5e" + os.urandom(3), os.urandom(6)])
        size = rng.randint(14, mtu + 14)
        send("garbage", (to + os.urandom(size))[:size])
    print("frames " + " ".join(f"{k}={v}" for k, v in sent.items()), flush=True)


if __name__ == "__main__":
    main()
