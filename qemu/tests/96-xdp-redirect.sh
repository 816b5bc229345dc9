#!/bin/sh
# qemu-run: --tcg-threads single
# XDP_REDIRECT to and from re1000 through a veth pair (skipped, saying so,
# if the kernel has no veth or there is no BPF compiler).
# - re1000 -> veth: a program on re1000 redirects every frame into the veth
#   pair; the far end (given re1000's MAC) hands them to the stack, which
#   answers through re1000: the peer's pings are answered and a transfer
#   from the peer arrives intact, every frame counted as redirected.
# - veth -> re1000 (re1000 as a redirect target, ndo_xdp_xmit): a route to
#   the peer through the veth pair, whose far end redirects every frame to
#   re1000: pings to the peer are answered and a transfer to it arrives
#   intact, every frame counted in xdp_xmit; a 34-byte frame leaves
#   padded to 60 with zeroes. With re1000 down the frames
#   are refused (no warning, nothing leaked), and flow again once it is up.
#   At MTU 9000 a program loaded for multi-buffer frames redirects
#   8000-byte pings and a transfer over the veth's pages, which re1000
#   sends whole.
# - re1000 -> re1000: the peer's pings answered by a program that turns
#   them into replies and redirects them to re1000 itself (frames of
#   re1000's own page pool through ndo_xdp_xmit).
. "$(dirname "$0")/lib.sh"

xdp_stat() {
	ethtool -S "$DUT_IF" | awk -v n="$1:" '$1 == n { print $2; f = 1 } END { if (!f) print -1 }'
}

build_xdp_progs || exit 0
if ! ip link add re1000va type veth peer name re1000vb 2>/tmp/veth.err; then
	echo "SKIP: this kernel has no veth (CONFIG_VETH): $(cat /tmp/veth.err)"
	exit 0
fi
VA=re1000va
VB=re1000vb
dut_ifindex=$(ifindex "$DUT_IF")
va_ifindex=$(ifindex "$VA")

# xdp_features IF: the device's XDP features (netdev netlink dev-get).
xdp_features() {
	netdev_ynl --output-json --do dev-get --json "{\"ifindex\": $(ifindex "$1")}" 2>&1
}

# attach IF OBJ: attach OBJ natively to IF.
attach() {
	ip -force link set dev "$1" xdpdrv obj "$B/$2.o" sec xdp 2>/tmp/xdp.err ||
		fail "attaching $2 to $1 failed: $(cat /tmp/xdp.err)"
}

# pings DEST N [in_peer]: N pings to DEST, every one answered.
pings() {
	pings_answered "$2" $3 ping -i 0.05 "$1" || fail "pings to $1 lost: $(tail -2 /tmp/ping.out)"
}

xdp_features "$DUT_IF" >/tmp/features.out
grep -q '"ndo-xmit"' /tmp/features.out || fail "re1000 is not advertised as a redirect target: $(cat /tmp/features.out)"
ok "xdp-features: $(grep -o '"xdp-features": \[[^]]*\]' /tmp/features.out)"
redirect_prog to_veth "$va_ifindex"
redirect_prog to_dut "$dut_ifindex"
redirect_prog reply_to_dut "$dut_ifindex" icmp
ok "BPF programs built: $(cd "$B" && echo to_veth.o to_dut.o reply_to_dut.o)"

# The peer reaches re1000's address through a static entry: its ARP
# requests go into the veth pair below, whose answers would stay inside.
in_peer ip neigh replace "$DUT_IP" lladdr "$DUT_MAC" dev "$PEER_IF" nud permanent ||
	fail "cannot pin the peer's neighbour entry"
sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
ip link set "$VB" address "$DUT_MAC"
sysctl -qw "net.ipv4.conf.$VA.rp_filter=0" "net.ipv4.conf.$VB.rp_filter=0"
ip link set "$VA" up && ip link set "$VB" up || fail "veth pair not up"
# veth takes redirected frames only with a program (its NAPI) on the far end.
attach "$VB" pass

# re1000 -> veth.
r0=$(xdp_stat xdp_redirect)
vb0=$(link_stat "$VB" rx packets)
attach "$DUT_IF" to_veth
pings "$DUT_IP" 20 in_peer
make_payload /tmp/in.bin 8
recv_from_peer /tmp/in.bin /tmp/got.bin || fail "receiving through the veth pair failed"
[ "$(sha /tmp/in.bin)" = "$(sha /tmp/got.bin)" ] || fail "payload corrupted through the veth pair"
r1=$(xdp_stat xdp_redirect)
vb1=$(link_stat "$VB" rx packets)
[ "$r1" -ge $((r0 + 1000)) ] || fail "xdp_redirect moved from $r0 to $r1 for 20 pings and 8 MiB"
[ "$vb1" -ge $((vb0 + 1000)) ] || fail "$VB received $((vb1 - vb0)) frames for 20 pings and 8 MiB"
ok "re1000 -> veth: 20 pings answered, 8 MiB received intact (xdp_redirect $r0 -> $r1, $VB rx $vb0 -> $vb1)"
ip link set dev "$DUT_IF" xdpdrv off || fail "detaching from $DUT_IF failed"

# veth -> re1000: re1000 sends what the veth's program redirects to it.
x0=$(xdp_stat xdp_xmit)
e0=$(xdp_stat xdp_xmit_errors)
[ "$x0" -ge 0 ] || fail "ethtool -S has no xdp_xmit"
peer_mac=$(in_peer cat "/sys/class/net/$PEER_IF/address")
ethtool -K "$VA" tx off >/dev/null 2>&1 # checksums in software: XDP sends the bytes as they are
ip neigh replace "$PEER_IP" lladdr "$peer_mac" dev "$VA" nud permanent || fail "neighbour on $VA"
ip route add "$PEER_IP/32" dev "$VA" src "$DUT_IP" || fail "route through $VA"
attach "$VB" to_dut
pings "$PEER_IP" 20
make_payload /tmp/out.bin 8
send_to_peer /tmp/out.bin /tmp/at-peer.bin || fail "sending through the veth pair failed"
[ "$(sha /tmp/out.bin)" = "$(sha /tmp/at-peer.bin)" ] || fail "payload corrupted through the veth pair"
x1=$(xdp_stat xdp_xmit)
e1=$(xdp_stat xdp_xmit_errors)
[ "$x1" -ge $((x0 + 1000)) ] || fail "xdp_xmit moved from $x0 to $x1 for 20 pings and 8 MiB"
ok "veth -> re1000: 20 pings answered, 8 MiB sent intact (xdp_xmit $x0 -> $x1, refused $((e1 - e0)))"

# A redirected frame under the Ethernet minimum leaves padded with zeroes
# (a second descriptor over the ring's zeroed bytes): 34 bytes sent into
# the veth pair reach the peer as 60.
cat >/tmp/short-recv.py <<'EOF'
import socket, sys
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x88b5))
s.bind((sys.argv[1], 0))
s.settimeout(10)
print("listening", flush=True)
f = s.recv(2048)
print(len(f), "zeroes" if f[34:] == bytes(len(f) - 34) else "garbage", f[14:24].decode(errors="replace"))
EOF
cat >/tmp/short-send.py <<'EOF'
import socket, sys
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((sys.argv[1], 0))
dst = bytes.fromhex(sys.argv[2].replace(":", ""))
src = bytes.fromhex(sys.argv[3].replace(":", ""))
s.send(dst + src + b"\x88\xb5" + b"re1000-pad" + b"\x5a" * 10)
EOF
: >/tmp/short.out
in_peer /usr/bin/python3 /tmp/short-recv.py "$PEER_IF" >/tmp/short.out 2>&1 &
spid=$!
i=0
until grep -q listening /tmp/short.out; do
	i=$((i + 1))
	[ "$i" -le 100 ] || fail "the peer's packet socket did not start: $(cat /tmp/short.out)"
	sleep 0.1
done
/usr/bin/python3 /tmp/short-send.py "$VA" "$peer_mac" "$DUT_MAC" || fail "sending a short frame into $VA failed"
wait "$spid" || fail "the peer got no short frame: $(cat /tmp/short.out)"
[ "$(tail -1 /tmp/short.out)" = "60 zeroes re1000-pad" ] ||
	fail "a 34-byte redirected frame reached the peer as: $(tail -1 /tmp/short.out)"
ok "a 34-byte frame redirected to re1000 reached the peer padded to 60 bytes with zeroes"

# Down: frames redirected to re1000 are refused; up, they flow again.
# The count is read once re1000 is down: a frame the veth redirected just
# before (the transfer's TCP teardown, IPv6 neighbour or router traffic)
# may still be sent by the time "down" starts (CI, 2026-12-07: the count
# read before "down" moved).
ip link set "$DUT_IF" down
x1=$(xdp_stat xdp_xmit)
if ping -q -c 3 -i 0.1 -W 1 "$PEER_IP" >/dev/null 2>&1; then
	fail "pings answered through re1000 while it is down"
fi
x2=$(xdp_stat xdp_xmit)
[ "$x2" = "$x1" ] || fail "xdp_xmit moved from $x1 to $x2 while re1000 is down"
ip link set "$DUT_IF" up
wait_carrier "$DUT_IF" 1 10 || fail "no carrier after up"
pings "$PEER_IP" 10
ok "down: redirected frames refused; up: 10 pings answered through the veth pair again"
# veth -> re1000 at MTU 9000: the veth's program, loaded for multi-buffer
# frames, sees each 8000-byte ping as one over the veth's pages and
# redirects it to re1000, which sends it a descriptor per buffer
# (xdp-features ndo-xmit-sg).
grep -q '"ndo-xmit-sg"' /tmp/features.out || fail "re1000 is not advertised as a multi-buffer redirect target"
redirect_prog to_dut_mb "$dut_ifindex" "" xdp.frags
# (The veth's MTU goes above a page only under a program loaded for that.)
ip -force link set dev "$VB" xdpdrv obj "$B/to_dut_mb.o" sec xdp.frags 2>/tmp/xdp.err ||
	fail "attaching to_dut_mb to $VB failed: $(cat /tmp/xdp.err)"
in_peer ip link set "$PEER_IF" mtu 9000 || fail "peer MTU 9000 refused"
for i in "$DUT_IF" "$VA" "$VB"; do
	ip link set "$i" mtu 9000 || fail "MTU 9000 refused on $i"
done
wait_carrier "$DUT_IF" 1 10 || fail "no carrier after MTU 9000"
x0=$(xdp_stat xdp_xmit)
e0=$(xdp_stat xdp_xmit_errors)
pings_answered 10 ping -i 0.1 -s 8000 -M do "$PEER_IP" ||
	fail "8000-byte pings through the veth pair lost: $(tail -2 /tmp/ping.out)"
x1=$(xdp_stat xdp_xmit)
[ "$x1" -ge $((x0 + 10)) ] || fail "xdp_xmit moved from $x0 to $x1 for 10 jumbo pings"
[ "$(xdp_stat xdp_xmit_errors)" = "$e0" ] || fail "xdp_xmit_errors moved from $e0 to $(xdp_stat xdp_xmit_errors)"
make_payload /tmp/out.bin 8
send_to_peer /tmp/out.bin /tmp/at-peer.bin || fail "sending at MTU 9000 through the veth pair failed"
[ "$(sha /tmp/out.bin)" = "$(sha /tmp/at-peer.bin)" ] || fail "payload corrupted at MTU 9000 through the veth pair"
x2=$(xdp_stat xdp_xmit)
e2=$(xdp_stat xdp_xmit_errors)
# 8 MiB in frames of at most 9000 bytes: over 900 of them sent. Under
# TCP's bursts a full ring refuses some (counted, TCP sends them again),
# as at MTU 1500 above: a redirect has no backpressure. The pings above,
# unloaded, show that no multi-buffer frame is refused for being one.
[ "$x2" -ge $((x1 + 900)) ] || fail "xdp_xmit moved from $x1 to $x2 for 8 MiB at MTU 9000"
ok "veth -> re1000, multi-buffer: 10 pings of 8000 bytes answered, 8 MiB sent intact (xdp_xmit $x0 -> $x1 -> $x2, refused under load $((e2 - e0)))"
ip link set dev "$VB" xdpdrv off
for i in "$DUT_IF" "$VA" "$VB"; do
	ip link set "$i" mtu 1500
done
in_peer ip link set "$PEER_IF" mtu 1500
wait_carrier "$DUT_IF" 1 10 || fail "no carrier after MTU 1500"
ip route del "$PEER_IP/32" dev "$VA"

# re1000 -> re1000: echo requests turned into replies and redirected to
# re1000 itself; the stack sees none.
in_echos() {
	awk '$1 == "Icmp:" && !h { for (i = 2; i <= NF; i++) if ($i == "InEchos") c = i; h = 1; next }
		$1 == "Icmp:" { print $c }' /proc/net/snmp
}
x0=$(xdp_stat xdp_xmit)
n0=$(in_echos)
attach "$DUT_IF" reply_to_dut
pings "$DUT_IP" 20 in_peer
x1=$(xdp_stat xdp_xmit)
[ "$x1" -ge $((x0 + 20)) ] || fail "xdp_xmit moved from $x0 to $x1 for 20 replies"
[ "$(in_echos)" = "$n0" ] || fail "the stack saw $(($(in_echos) - n0)) echo requests"
make_payload /tmp/in.bin 8
recv_from_peer /tmp/in.bin /tmp/got.bin || fail "receiving beside the redirecting program failed"
[ "$(sha /tmp/in.bin)" = "$(sha /tmp/got.bin)" ] || fail "payload corrupted beside the redirecting program"
ok "re1000 -> re1000: 20 pings answered by redirected replies (xdp_xmit $x0 -> $x1), 8 MiB in intact"
ip link set dev "$DUT_IF" xdpdrv off || fail "detaching failed"

ip link del "$VA"
in_peer ip neigh del "$DUT_IP" dev "$PEER_IF" 2>/dev/null
pings "$PEER_IP" 5
ok "traffic flows after the test"
