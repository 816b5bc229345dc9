#!/bin/sh
# qemu-run: --tcg-threads single
# AF_XDP in copy mode on re1000: a socket bound to its queue 0 (XDP_COPY;
# re1000 has no zero-copy pool), a native program redirecting every frame
# into the socket's XSKMAP. The peer sends 200 numbered UDP datagrams: the
# socket receives every one, whole, through its receive ring, and the stack
# sees none of them. Closing the socket detaches the program (BPF link) and
# traffic flows again. The socket reports the device's NAPI id
# (SO_INCOMING_NAPI_ID). Skipped, saying so, if the kernel has no AF_XDP
# (CONFIG_XDP_SOCKETS).
. "$(dirname "$0")/lib.sh"

cat >/tmp/af-xdp.py <<'EOF'
import ctypes, mmap, os, select, struct, sys, time
libc = ctypes.CDLL(None, use_errno=True)
AF_XDP, SOL_XDP = 44, 283
XDP_MMAP_OFFSETS, XDP_RX_RING, XDP_UMEM_REG = 1, 2, 4
XDP_UMEM_FILL_RING, XDP_UMEM_COMPLETION_RING = 5, 6
XDP_COPY = 1 << 1
NFRAMES, FRAME = 64, 2048

def check(r, what):
    if r < 0:
        e = ctypes.get_errno()
        raise OSError(e, "%s: %s" % (what, os.strerror(e)))
    return r

def bpf(cmd, attr):
    buf = ctypes.create_string_buffer(attr, 128)
    return check(libc.syscall(321, cmd, buf, 128), "bpf(%d)" % cmd)

ifindex, want = int(sys.argv[1]), int(sys.argv[2])
fd = libc.socket(AF_XDP, 3, 0)  # SOCK_RAW
if fd < 0 and ctypes.get_errno() in (97, 22):  # EAFNOSUPPORT
    print("SKIP: no AF_XDP sockets in this kernel (CONFIG_XDP_SOCKETS)")
    sys.exit(0)
check(fd, "socket(AF_XDP)")
umem = mmap.mmap(-1, NFRAMES * FRAME)
umem_addr = ctypes.addressof(ctypes.c_char.from_buffer(umem))
reg = struct.pack("QQIIII", umem_addr, NFRAMES * FRAME, FRAME, 0, 0, 0)
check(libc.setsockopt(fd, SOL_XDP, XDP_UMEM_REG, reg, len(reg)), "XDP_UMEM_REG")
n = ctypes.c_int(NFRAMES)
for opt in (XDP_UMEM_FILL_RING, XDP_UMEM_COMPLETION_RING, XDP_RX_RING):
    check(libc.setsockopt(fd, SOL_XDP, opt, ctypes.byref(n), 4), "ring %d" % opt)
offs = ctypes.create_string_buffer(128)
olen = ctypes.c_uint32(128)
check(libc.getsockopt(fd, SOL_XDP, XDP_MMAP_OFFSETS, offs, ctypes.byref(olen)), "XDP_MMAP_OFFSETS")
rx_off = struct.unpack_from("QQQQ", offs.raw, 0)
fr_off = struct.unpack_from("QQQQ", offs.raw, 64)
rx = mmap.mmap(fd, rx_off[2] + NFRAMES * 16, mmap.MAP_SHARED, mmap.PROT_READ | mmap.PROT_WRITE, offset=0)
fr = mmap.mmap(fd, fr_off[2] + NFRAMES * 8, mmap.MAP_SHARED, mmap.PROT_READ | mmap.PROT_WRITE,
               offset=0x100000000)
# Every frame of the UMEM to the fill ring.
for i in range(NFRAMES):
    struct.pack_into("Q", fr, fr_off[2] + i * 8, i * FRAME)
struct.pack_into("I", fr, fr_off[0], NFRAMES)
# struct sockaddr_xdp: family, flags, ifindex, queue 0, no shared UMEM.
sxdp = struct.pack("HHIII", AF_XDP, XDP_COPY, ifindex, 0, 0)
check(libc.bind(fd, sxdp, len(sxdp)), "bind (XDP_COPY, queue 0)")
# BPF_MAP_CREATE: BPF_MAP_TYPE_XSKMAP, 4-byte key and value, 1 entry; the socket at 0.
m = bpf(0, struct.pack("IIIII", 17, 4, 4, 1, 0))
key, val = ctypes.c_uint32(0), ctypes.c_uint32(fd)
bpf(2, struct.pack("IIQQQ", m, 0, ctypes.addressof(key), ctypes.addressof(val), 0))
def insn(code, dst=0, src=0, off=0, imm=0):
    return struct.pack("<BBhi", code, (src << 4) | dst, off, imm)
prog = (insn(0x18, 1, 1, 0, m) + insn(0) +      # r1 = the map (BPF_PSEUDO_MAP_FD)
        insn(0xb7, 2, 0, 0, 0) +                # r2 = 0: queue 0's socket
        insn(0xb7, 3, 0, 0, 2) +                # r3 = XDP_PASS if the entry is missing
        insn(0x85, 0, 0, 0, 51) +               # bpf_redirect_map
        insn(0x95))                             # exit
code = ctypes.create_string_buffer(prog, len(prog))
lic = ctypes.create_string_buffer(b"GPL")
p = bpf(5, struct.pack("IIQQIIQII16sII", 6, len(prog) // 8, ctypes.addressof(code),
                       ctypes.addressof(lic), 0, 0, 0, 0, 0, b"re1000_xsk", 0, 0))
# BPF_LINK_CREATE: BPF_XDP, XDP_FLAGS_DRV_MODE (native only).
bpf(28, struct.pack("IIII", p, ifindex, 37, 4))
print("bound", flush=True)
seen, bad, cons = set(), 0, 0
deadline = time.time() + 60
while len(seen) < want and time.time() < deadline:
    select.select([fd], [], [], 0.5)
    prod = struct.unpack_from("I", rx, rx_off[0])[0]
    while cons != prod:
        addr, length, _ = struct.unpack_from("QII", rx, rx_off[2] + (cons % NFRAMES) * 16)
        data = umem[addr:addr + length]
        # Ethernet, IPv4 (20 bytes), UDP to port 7777: "re1000-xsk <n>".
        if length > 42 and data[12:14] == b"\x08\x00" and data[23] == 17 and data[36:38] == b"\x1e\x61":
            payload = data[42:]
            if payload.startswith(b"re1000-xsk ") and len(payload) == 64:
                seen.add(int(payload[11:].split(b" ")[0]))
            else:
                bad += 1
        cons += 1
        struct.pack_into("I", rx, rx_off[1], cons)
        # The frame back to the fill ring.
        fprod = struct.unpack_from("I", fr, fr_off[0])[0]
        struct.pack_into("Q", fr, fr_off[2] + (fprod % NFRAMES) * 8, addr - addr % FRAME)
        struct.pack_into("I", fr, fr_off[0], fprod + 1)
print("received %d of %d, %d malformed" % (len(seen), want, bad), flush=True)
# SO_INCOMING_NAPI_ID: the NAPI instance the socket's frames came from, for
# busy polling (0 if none).
napi, nlen = ctypes.c_uint32(0), ctypes.c_uint32(4)
check(libc.getsockopt(fd, 1, 56, ctypes.byref(napi), ctypes.byref(nlen)), "SO_INCOMING_NAPI_ID")
print("napi %d" % napi.value, flush=True)
sys.exit(0 if len(seen) == want and bad == 0 else 1)
EOF

cat >/tmp/udp-send.py <<'EOF'
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(int(sys.argv[2])):
    s.sendto(b"re1000-xsk %d " % i + b"x" * (64 - len(b"re1000-xsk %d " % i)), (sys.argv[1], 7777))
    time.sleep(0.01)
EOF

# Frames to re1000's address reach it without ARP (the socket takes ARP too).
in_peer ip neigh replace "$DUT_IP" lladdr "$DUT_MAC" dev "$PEER_IF" nud permanent ||
	fail "cannot pin the peer's neighbour entry"
udp0=$(awk '$1 == "Udp:" && !h { h = 1; next } $1 == "Udp:" { print $2 + $3 }' /proc/net/snmp)
: >/tmp/xsk.out
/usr/bin/python3 /tmp/af-xdp.py "$(ifindex "$DUT_IF")" 200 >/tmp/xsk.out 2>&1 &
xpid=$!
i=0
until grep -q "bound\|SKIP" /tmp/xsk.out; do
	kill -0 "$xpid" 2>/dev/null || fail "the AF_XDP socket did not bind: $(cat /tmp/xsk.out)"
	i=$((i + 1))
	[ "$i" -le 300 ] || fail "the AF_XDP socket did not bind in 30 s"
	sleep 0.1
done
if grep -q SKIP /tmp/xsk.out; then
	wait "$xpid"
	in_peer ip neigh del "$DUT_IP" dev "$PEER_IF" 2>/dev/null
	cat /tmp/xsk.out
	exit 0
fi
in_peer /usr/bin/python3 /tmp/udp-send.py "$DUT_IP" 200 || fail "the peer could not send"
wait "$xpid" || fail "the AF_XDP socket missed datagrams: $(cat /tmp/xsk.out)"
udp1=$(awk '$1 == "Udp:" && !h { h = 1; next } $1 == "Udp:" { print $2 + $3 }' /proc/net/snmp)
[ "$udp1" = "$udp0" ] || fail "the stack saw $((udp1 - udp0)) datagrams meant for the socket"
ok "AF_XDP copy mode: $(grep received /tmp/xsk.out); the stack saw none"
# The socket knows the NAPI instance it is fed by (busy polling needs it):
# 7.x takes it from the queue at bind, 6.x from the first frame's receive
# queue (xdp_rxq_info), which re1000 registers before NAPI is enabled.
want_napi=$(napi_id "$DUT_IF")
got_napi=$(awk '$1 == "napi" { print $2 }' /tmp/xsk.out)
[ -n "$want_napi" ] && [ "$want_napi" != 0 ] || fail "no NAPI id for $DUT_IF from netdev netlink"
[ "$got_napi" = "$want_napi" ] ||
	fail "the socket's NAPI id is '$got_napi', the device's NAPI instance is $want_napi"
ok "the socket's NAPI id is its queue's ($want_napi)"
ip -d link show dev "$DUT_IF" | grep -q "prog/xdp" && fail "the program stayed attached after the socket closed"
in_peer ip neigh del "$DUT_IP" dev "$PEER_IF" 2>/dev/null
ping -q -c 5 -i 0.1 -W 2 "$PEER_IP" >/tmp/ping.out 2>&1 || fail "pings lost after the socket closed: $(tail -2 /tmp/ping.out)"
ok "socket closed: program detached, traffic flows"
