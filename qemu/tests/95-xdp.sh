#!/bin/sh
# qemu-run: --tcg-threads single
# Native XDP (ip link set ... xdpdrv): programs built here with clang's BPF
# target (skipped, saying so, if there is none). A program that passes
# leaves traffic intact; one that drops loses every ping and counts it
# (ethtool -S xdp_drop); one that drops only ICMP loses pings while TCP
# flows intact; XDP_ABORTED is counted as aborted. Programs swap under a
# transfer that stays intact (single-threaded TCG: xdp_swaps_safe), with no
# reset (the carrier never drops), and detach. An XDP_TX program answers the peer's pings itself (MAC and IP
# addresses swapped, echo request turned into a reply, sent back on the
# transmit ring the stack shares): the peer gets every reply, the DUT's
# stack sees no request. An XDP_REDIRECT program sends every frame into a
# cpumap, whose kthread gives them to the stack: pings and a transfer go
# through, so the redirects are flushed. The MTU cannot go above 1500 with a
# program attached that does not take multi-buffer frames, nor such a
# program attach above it (98-xdp-multi-buffer has those that do).
. "$(dirname "$0")/lib.sh"

# xdp_stat NAME: one of the driver's XDP counters (ethtool -S).
xdp_stat() {
	ethtool -S "$DUT_IF" | awk -v n="$1:" '$1 == n { print $2; f = 1 } END { if (!f) print -1 }'
}

# attach OBJ: attach (or replace) the native program of OBJ.
attach() {
	ip -force link set dev "$DUT_IF" xdpdrv obj "$B/$1.o" sec xdp 2>/tmp/xdp.err ||
		fail "attaching $1 failed: $(cat /tmp/xdp.err)"
	ip -d link show dev "$DUT_IF" | grep -q "prog/xdp id" || fail "no native program shown after attaching $1"
}

# pings_lost N: N pings, every one lost.
pings_lost() {
	if ping -q -c "$1" -i 0.1 -W 1 "$PEER_IP" >/tmp/ping.out 2>&1; then
		fail "pings answered: $(tail -2 /tmp/ping.out)"
	fi
	grep -q " 100% packet loss" /tmp/ping.out || fail "not every ping lost: $(tail -2 /tmp/ping.out)"
}

# pings_ok N: N pings, every one answered.
pings_ok() {
	pings_answered "$1" ping -i 0.05 "$PEER_IP" || fail "pings lost: $(tail -2 /tmp/ping.out)"
}

build_xdp_progs || exit 0
ok "BPF programs built: $(cd "$B" && echo ./*.o)"

flaps=$(cat "/sys/class/net/$DUT_IF/carrier_changes")

# Pass: traffic intact, every frame seen.
attach pass
p0=$(xdp_stat xdp_pass)
[ "$p0" -ge 0 ] || fail "ethtool -S has no xdp_pass"
pings_ok 20
p1=$(xdp_stat xdp_pass)
[ "$p1" -ge $((p0 + 20)) ] || fail "xdp_pass moved from $p0 to $p1 for 20 pings"
make_payload /tmp/in.bin 8
recv_from_peer /tmp/in.bin /tmp/got.bin || fail "receiving under XDP_PASS failed"
[ "$(sha /tmp/in.bin)" = "$(sha /tmp/got.bin)" ] || fail "payload corrupted under XDP_PASS"
ok "XDP_PASS: pings answered, 8 MiB received intact, xdp_pass $p0 -> $(xdp_stat xdp_pass)"

# The MTU stays at most 1500 while a single-buffer program is attached.
if ip link set dev "$DUT_IF" mtu 9000 2>/dev/null; then
	ip link set dev "$DUT_IF" mtu 1500
	fail "MTU 9000 accepted with a program attached"
fi
[ "$(cat "/sys/class/net/$DUT_IF/mtu")" = 1500 ] || fail "MTU changed"
ok "MTU 9000 refused with a program attached"

# An XDP program never sees an FCS: rx-fcs cannot be turned on under one,
# nor a program attached with it on.
ethtool -K "$DUT_IF" rx-fcs on 2>/dev/null
ethtool -k "$DUT_IF" | grep -q "^rx-fcs: off" || fail "rx-fcs turned on with a program attached"
ip link set dev "$DUT_IF" xdpdrv off || fail "detaching failed"
# What the user asked for under the program takes effect once it is gone.
ethtool -k "$DUT_IF" | grep -q "^rx-fcs: on" || fail "rx-fcs, asked for under the program, not on after detaching"
if ip -force link set dev "$DUT_IF" xdpdrv obj "$B/pass.o" sec xdp 2>/tmp/xdp.err; then
	fail "a program attached with rx-fcs on"
fi
grep -q "rx-fcs" /tmp/xdp.err || fail "the refusal does not say why: $(cat /tmp/xdp.err)"
ethtool -K "$DUT_IF" rx-fcs off || fail "rx-fcs off refused"
ok "rx-fcs stays off under a program (on once it is detached), and a program is refused with it on"

# Drop: every ping lost and counted, as an XDP verdict and as received.
d0=$(xdp_stat xdp_drop)
rx0=$(link_stat "$DUT_IF" rx packets)
attach drop
pings_lost 5
d1=$(xdp_stat xdp_drop)
rx1=$(link_stat "$DUT_IF" rx packets)
[ "$d1" -ge $((d0 + 5)) ] || fail "xdp_drop moved from $d0 to $d1 for 5 lost pings"
[ "$rx1" -ge $((rx0 + 5)) ] || fail "rx_packets moved from $rx0 to $rx1 for 5 frames the program dropped"
ok "XDP_DROP: 5 pings lost, xdp_drop $d0 -> $d1, rx_packets $rx0 -> $rx1"

# Aborted: lost and counted as such.
a0=$(xdp_stat xdp_aborted)
attach aborted
pings_lost 3
a1=$(xdp_stat xdp_aborted)
[ "$a1" -ge $((a0 + 3)) ] || fail "xdp_aborted moved from $a0 to $a1 for 3 lost pings"
ok "XDP_ABORTED: 3 pings lost, xdp_aborted $a0 -> $a1"

# Drop only ICMP: pings lost, TCP intact.
attach drop_icmp
pings_lost 5
recv_from_peer /tmp/in.bin /tmp/got.bin || fail "receiving while ICMP is dropped failed"
[ "$(sha /tmp/in.bin)" = "$(sha /tmp/got.bin)" ] || fail "payload corrupted while ICMP is dropped"
ok "ICMP dropped, 8 MiB of TCP received intact"

# XDP_TX: the program answers the peer's pings; the stack sees none.
in_echos() {
	awk '$1 == "Icmp:" && !h { for (i = 2; i <= NF; i++) if ($i == "InEchos") c = i; h = 1; next }
		$1 == "Icmp:" { print $c }' /proc/net/snmp
}
attach icmp_reply
t0=$(xdp_stat xdp_tx)
e0=$(in_echos)
pings_answered 20 in_peer ping -i 0.05 "$DUT_IP" ||
	fail "the peer's pings were not all answered by XDP_TX: $(tail -2 /tmp/ping.out)"
t1=$(xdp_stat xdp_tx)
[ "$t1" -ge $((t0 + 20)) ] || fail "xdp_tx moved from $t0 to $t1 for 20 replies"
[ "$(in_echos)" = "$e0" ] || fail "the stack saw $(($(in_echos) - e0)) echo requests: not answered by XDP"
make_payload /tmp/in.bin 8
recv_from_peer /tmp/in.bin /tmp/got.bin || fail "receiving under XDP_TX failed"
[ "$(sha /tmp/in.bin)" = "$(sha /tmp/got.bin)" ] || fail "payload corrupted under XDP_TX"
ok "XDP_TX: 20 pings of the peer answered by the program (xdp_tx $t0 -> $t1, none reached the stack), 8 MiB in intact"

# XDP_REDIRECT: every frame into a cpumap (the guest kernels have no veth,
# tun or AF_XDP; a cpumap's kthread builds sk_buffs from the frames and
# hands them to the stack). Frames reach the stack only once the poll has
# flushed its redirects: the peer's pings and a transfer go through. The
# program and its map are made by a small bpf(2) client (the program:
# bpf_redirect_map(cpumap, 0, XDP_PASS)), attached with a BPF link.
ip link set dev "$DUT_IF" xdpdrv off || fail "detaching failed"
cat >/tmp/xdp-cpumap.py <<'EOF'
import ctypes, os, struct, sys, time
libc = ctypes.CDLL(None, use_errno=True)
def bpf(cmd, attr):
    buf = ctypes.create_string_buffer(attr, 128)
    fd = libc.syscall(321, cmd, buf, 128)
    if fd < 0:
        raise OSError(ctypes.get_errno(), "bpf(%d) failed" % cmd)
    return fd, buf
ifindex = int(sys.argv[1])
# BPF_MAP_CREATE: BPF_MAP_TYPE_CPUMAP, 4-byte key, 4-byte value (qsize), 1 entry.
m, _ = bpf(0, struct.pack("IIIII", 16, 4, 4, 1, 0))
key = ctypes.c_uint32(0)
val = ctypes.c_uint32(192)
# BPF_MAP_UPDATE_ELEM: CPU 0 gets a queue of 192 frames.
bpf(2, struct.pack("IIQQQ", m, 0, ctypes.addressof(key), ctypes.addressof(val), 0))
def insn(code, dst=0, src=0, off=0, imm=0):
    return struct.pack("<BBhi", code, (src << 4) | dst, off, imm)
prog = (insn(0x18, 1, 1, 0, m) + insn(0) +      # r1 = the map (BPF_PSEUDO_MAP_FD)
        insn(0xb7, 2, 0, 0, 0) +                # r2 = 0: CPU 0
        insn(0xb7, 3, 0, 0, 2) +                # r3 = XDP_PASS if the entry is missing
        insn(0x85, 0, 0, 0, 51) +               # bpf_redirect_map
        insn(0x95))                             # exit
code = ctypes.create_string_buffer(prog, len(prog))
lic = ctypes.create_string_buffer(b"GPL")
logbuf = ctypes.create_string_buffer(65536)
# BPF_PROG_LOAD: BPF_PROG_TYPE_XDP.
try:
    p, _ = bpf(5, struct.pack("IIQQIIQII16sII", 6, len(prog) // 8, ctypes.addressof(code),
                              ctypes.addressof(lic), 1, len(logbuf), ctypes.addressof(logbuf),
                              0, 0, b"re1000_cpumap", 0, 0))
except OSError:
    print(logbuf.value.decode(), file=sys.stderr)
    raise
# BPF_LINK_CREATE: BPF_XDP, XDP_FLAGS_DRV_MODE (native only).
bpf(28, struct.pack("IIII", p, ifindex, 37, 4))
print("attached", flush=True)
while not os.path.exists("/tmp/xdp-cpumap.stop"):
    time.sleep(0.1)
EOF
rm -f /tmp/xdp-cpumap.stop
: >/tmp/cpumap.out
/usr/bin/python3 /tmp/xdp-cpumap.py "$(ifindex "$DUT_IF")" >/tmp/cpumap.out 2>&1 &
cpid=$!
i=0
until grep -q attached /tmp/cpumap.out; do
	kill -0 "$cpid" 2>/dev/null || fail "the cpumap program did not attach: $(cat /tmp/cpumap.out)"
	i=$((i + 1))
	[ "$i" -le 300 ] || { touch /tmp/xdp-cpumap.stop; fail "the cpumap program did not attach in 30 s"; }
	sleep 0.1
done
r0=$(xdp_stat xdp_redirect)
pings_answered 20 in_peer ping -i 0.05 "$DUT_IP" ||
	{ touch /tmp/xdp-cpumap.stop; fail "pings through the cpumap lost: $(tail -2 /tmp/ping.out)"; }
make_payload /tmp/in.bin 8
recv_from_peer /tmp/in.bin /tmp/got.bin || { touch /tmp/xdp-cpumap.stop; fail "receiving through the cpumap failed"; }
r1=$(xdp_stat xdp_redirect)
touch /tmp/xdp-cpumap.stop
wait "$cpid" || fail "the cpumap client failed: $(cat /tmp/cpumap.out)"
[ "$(sha /tmp/in.bin)" = "$(sha /tmp/got.bin)" ] || fail "payload corrupted through the cpumap"
[ "$r1" -ge $((r0 + 1000)) ] || fail "xdp_redirect moved from $r0 to $r1 for 20 pings and 8 MiB"
if ip -d link show dev "$DUT_IF" | grep -q "prog/xdp"; then
	fail "the program stayed attached after its link was closed"
fi
ok "XDP_REDIRECT to a cpumap: 20 pings answered, 8 MiB received intact (xdp_redirect $r0 -> $r1)"


# Swap programs while transfers run each way: pass, drop_icmp and
# icmp_reply all pass TCP, so the payloads stay whole. Not under QEMU 7.2
# (single-threaded TCG only: xdp_swaps_safe).
if ! xdp_swaps_safe; then
	echo "SKIP (this part): program swaps under transfers need qemu/run --tcg-threads single: multi-threaded TCG crashes the kernel's BPF dispatcher patching, with the C e1000's generic XDP too (lib.sh, xdp_swaps_safe)"
else
	rm -f /tmp/xdp.stop /tmp/xdp.swaps
	(
		n=0
		while [ ! -e /tmp/xdp.stop ]; do
			for p in pass drop_icmp icmp_reply; do
				attach "$p"
				n=$((n + 1))
				echo "$n" >/tmp/xdp.swaps
				sleep 0.05
			done
		done
	) &
	swp=$!
	make_payload /tmp/in.bin 64
	recv_from_peer /tmp/in.bin /tmp/got.bin >/tmp/recv.out 2>&1 || { touch /tmp/xdp.stop; fail "receiving under program swaps failed"; }
	make_payload /tmp/out.bin 32
	send_to_peer /tmp/out.bin /tmp/at-peer.bin >/tmp/send.out 2>&1 || { touch /tmp/xdp.stop; fail "sending under program swaps failed"; }
	touch /tmp/xdp.stop
	wait "$swp" || fail "a swap failed"
	n=$(cat /tmp/xdp.swaps)
	[ "$(sha /tmp/in.bin)" = "$(sha /tmp/got.bin)" ] || fail "payload received corrupted under program swaps"
	[ "$(sha /tmp/out.bin)" = "$(sha /tmp/at-peer.bin)" ] || fail "payload sent corrupted under program swaps"
	[ "$n" -ge 6 ] || fail "only $n program swaps during the transfers"
	ok "$n program swaps under 64 MiB in and 32 MiB out, both intact"
fi

# Detach: traffic flows and the program sees no more frames.
ip link set dev "$DUT_IF" xdpdrv off || fail "detaching failed"
ip -d link show dev "$DUT_IF" | grep -q "prog/xdp" && fail "a program is still shown after detaching"
p0=$(xdp_stat xdp_pass)
d0=$(xdp_stat xdp_drop)
pings_ok 10
if [ "$(xdp_stat xdp_pass)" != "$p0" ] || [ "$(xdp_stat xdp_drop)" != "$d0" ]; then
	fail "XDP counters moved after detaching"
fi
ok "detached: pings answered, XDP counters still"
[ "$flaps" = "$(cat "/sys/class/net/$DUT_IF/carrier_changes")" ] ||
	fail "the carrier changed: attaching, swapping or detaching reset the device"
ok "no reset: the carrier stayed up through every attach, swap and detach"

# Above 1500 no single-buffer program attaches, with the reason given.
ip link set dev "$DUT_IF" mtu 9000 || fail "MTU 9000 refused without a program"
if ip link set dev "$DUT_IF" xdpdrv obj "$B/pass.o" sec xdp 2>/tmp/xdp.err; then
	ip link set dev "$DUT_IF" xdpdrv off
	ip link set dev "$DUT_IF" mtu 1500
	fail "a program attached at MTU 9000"
fi
grep -q "xdp.frags" /tmp/xdp.err || fail "no reason given: $(cat /tmp/xdp.err)"
ip link set dev "$DUT_IF" mtu 1500 || fail "MTU 1500 refused"
wait_carrier "$DUT_IF" 1 10 || fail "no carrier after the MTU changes"
ok "no single-buffer program at MTU 9000: $(grep -o 're1000:.*' /tmp/xdp.err)"

pings_ok 5
ok "traffic flows after the test"
