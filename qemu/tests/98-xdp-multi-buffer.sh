#!/bin/sh
# qemu-run: --tcg-threads single
# Multi-buffer XDP at MTU 9000: above the standard MTU a frame spans
# several 4096-byte receive buffers (order-1 pages), and only programs loaded for that
# (section xdp.frags) attach, also to replace another; a program that is
# not cannot attach there, and the MTU cannot go above 1500 under one (the
# refusal says why). With an xdp.frags program: XDP_PASS hands jumbo frames
# to the stack whole (8000-byte pings, a 16 MiB transfer sha256-checked),
# XDP_DROP drops them and counts them, XDP_TX sends a jumbo echo reply the
# program made back to the peer (a descriptor per buffer), a program grows
# a jumbo frame's tail (bpf_xdp_adjust_tail) and passes it, and the
# interface advertises rx-sg in its xdp-features. As a redirect target
# (ndo-xmit-sg) re1000 sends multi-buffer frames a program redirects to
# it. Programs built here with clang's BPF target (skipped, saying so, if
# there is none).
. "$(dirname "$0")/lib.sh"

# xdp_stat NAME: one of the driver's XDP counters (ethtool -S).
xdp_stat() {
	ethtool -S "$DUT_IF" | awk -v n="$1:" '$1 == n { print $2; f = 1 } END { if (!f) print -1 }'
}

# attach OBJ SEC: attach (or replace) the native program OBJ of section SEC.
attach() {
	ip -force link set dev "$DUT_IF" xdpdrv obj "$B/$1.o" sec "$2" 2>/tmp/xdp.err ||
		fail "attaching $1 ($2) failed: $(cat /tmp/xdp.err)"
	ip -d link show dev "$DUT_IF" | grep -q "prog/xdp id" || fail "no native program shown after attaching $1"
}

# big_pings_ok N: N pings of 8000 bytes (one frame each at MTU 9000), all answered.
big_pings_ok() {
	pings_answered "$1" ping -i 0.1 -s 8000 -M do "$PEER_IP" ||
		fail "8000-byte pings lost: $(tail -2 /tmp/ping.out)"
}

build_xdp_progs || exit 0
in_peer ip link set "$PEER_IF" mtu 9000 || fail "peer MTU 9000 refused"
ip link set "$DUT_IF" mtu 9000 || fail "MTU 9000 refused"
wait_carrier "$DUT_IF" 1 10 || fail "no carrier after MTU 9000"
big_pings_ok 3

features=$(netdev_ynl --output-json --do dev-get --json "{\"ifindex\": $(ifindex "$DUT_IF")}" 2>&1)
case $features in
*rx-sg*) ok "xdp-features include rx-sg" ;;
*) fail "xdp-features lack rx-sg: $features" ;;
esac

# A single-buffer program does not attach at MTU 9000, saying why.
if ip link set dev "$DUT_IF" xdpdrv obj "$B/pass.o" sec xdp 2>/tmp/xdp.err; then
	fail "a program without xdp.frags attached at MTU 9000"
fi
grep -q "xdp.frags" /tmp/xdp.err || fail "the refusal does not say why: $(cat /tmp/xdp.err)"
ok "no single-buffer program at MTU 9000: $(grep -o 're1000:.*' /tmp/xdp.err)"

# Pass: jumbo frames reach the stack whole.
attach pass_mb xdp.frags
p0=$(xdp_stat xdp_pass)
big_pings_ok 10
p1=$(xdp_stat xdp_pass)
[ "$p1" -ge $((p0 + 10)) ] || fail "xdp_pass moved from $p0 to $p1 for 10 jumbo pings"
make_payload /tmp/in.bin 16
recv_from_peer /tmp/in.bin /tmp/got.bin || fail "receiving at MTU 9000 under XDP_PASS failed"
[ "$(sha /tmp/in.bin)" = "$(sha /tmp/got.bin)" ] || fail "payload corrupted at MTU 9000 under XDP_PASS"
make_payload /tmp/out.bin 8
send_to_peer /tmp/out.bin /tmp/at-peer.bin || fail "sending at MTU 9000 under XDP_PASS failed"
[ "$(sha /tmp/out.bin)" = "$(sha /tmp/at-peer.bin)" ] || fail "payload sent corrupted under XDP_PASS"
ok "XDP_PASS (xdp.frags): 8000-byte pings answered, 16 MiB in and 8 MiB out intact, xdp_pass $p0 -> $(xdp_stat xdp_pass)"

# Replacing it with a single-buffer program is refused; with another
# multi-buffer one it works.
if ip -force link set dev "$DUT_IF" xdpdrv obj "$B/pass.o" sec xdp 2>/tmp/xdp.err; then
	fail "a multi-buffer program was replaced by a single-buffer one at MTU 9000"
fi
attach drop_mb xdp.frags
ok "at MTU 9000 a multi-buffer program is replaced by another, not by a single-buffer one"

# Drop: every jumbo ping lost, and counted.
d0=$(xdp_stat xdp_drop)
if ping -q -c 5 -i 0.1 -W 1 -s 8000 "$PEER_IP" >/tmp/ping.out 2>&1; then
	fail "pings answered under XDP_DROP: $(tail -2 /tmp/ping.out)"
fi
d1=$(xdp_stat xdp_drop)
[ "$d1" -ge $((d0 + 5)) ] || fail "xdp_drop moved from $d0 to $d1 for 5 lost jumbo pings"
ok "XDP_DROP (xdp.frags): 5 jumbo pings lost, xdp_drop $d0 -> $d1"

# XDP_TX: the program answers the peer's 8000-byte pings itself, the
# reply a frame over several buffers sent back a descriptor per buffer.
in_echos() {
	awk '$1 == "Icmp:" && !h { for (i = 2; i <= NF; i++) if ($i == "InEchos") c = i; h = 1; next }
		$1 == "Icmp:" { print $c }' /proc/net/snmp
}
attach icmp_reply_mb xdp.frags
t0=$(xdp_stat xdp_tx)
e0=$(in_echos)
pings_answered 20 in_peer ping -i 0.05 -s 8000 "$DUT_IP" ||
	fail "the peer's jumbo pings were not all answered by XDP_TX: $(tail -2 /tmp/ping.out)"
t1=$(xdp_stat xdp_tx)
[ "$t1" -ge $((t0 + 20)) ] || fail "xdp_tx moved from $t0 to $t1 for 20 jumbo replies"
[ "$(in_echos)" = "$e0" ] || fail "the stack saw $(($(in_echos) - e0)) echo requests: not answered by XDP"
ok "XDP_TX (xdp.frags): 20 jumbo pings of the peer answered by the program (xdp_tx $t0 -> $t1)"

# re1000 as a redirect target for multi-buffer frames (ndo_xdp_xmit,
# xdp-features ndo-xmit-sg): a frags program turns the peer's 8000-byte
# echo requests into replies and redirects them to re1000 itself, each
# sent a descriptor per buffer. Without
# ndo-xmit-sg the core refuses every such frame (EOPNOTSUPP) and the pings
# go unanswered.
case $features in
*ndo-xmit-sg*) ok "xdp-features include ndo-xmit-sg" ;;
*) fail "xdp-features lack ndo-xmit-sg: $features" ;;
esac
redirect_prog reply_to_dut_mb "$(ifindex "$DUT_IF")" icmp xdp.frags
attach reply_to_dut_mb xdp.frags
x0=$(xdp_stat xdp_xmit)
xe0=$(xdp_stat xdp_xmit_errors)
e0=$(in_echos)
pings_answered 20 in_peer ping -i 0.05 -s 8000 "$DUT_IP" ||
	fail "the peer's jumbo pings were not all answered by redirected replies: $(tail -2 /tmp/ping.out)"
x1=$(xdp_stat xdp_xmit)
[ "$x1" -ge $((x0 + 20)) ] || fail "xdp_xmit moved from $x0 to $x1 for 20 redirected jumbo replies"
[ "$(xdp_stat xdp_xmit_errors)" = "$xe0" ] || fail "xdp_xmit_errors moved from $xe0 to $(xdp_stat xdp_xmit_errors)"
[ "$(in_echos)" = "$e0" ] || fail "the stack saw $(($(in_echos) - e0)) echo requests: not answered by XDP"
ok "XDP_REDIRECT of multi-buffer frames to re1000: 20 jumbo pings of the peer answered (xdp_xmit $x0 -> $x1)"

# A program may grow a multi-buffer frame's tail (bpf_xdp_adjust_tail into
# the last buffer's page, up to its skb_shared_info room, the queue's
# fragment size): grow_mb adds 256 bytes to each frame, dropping it if the
# kernel refuses; every grown jumbo reply still answers its ping (IP trims
# the zero bytes after its datagram).
attach grow_mb xdp.frags
p0=$(xdp_stat xdp_pass)
big_pings_ok 10
p1=$(xdp_stat xdp_pass)
[ "$p1" -ge $((p0 + 10)) ] || fail "xdp_pass moved from $p0 to $p1 for 10 grown jumbo replies"
ok "bpf_xdp_adjust_tail grows a multi-buffer frame: 10 jumbo replies grown by 256 bytes and answered"

# Down to MTU 1500 under a multi-buffer program, then a single-buffer one:
# the MTU cannot go back above 1500 under it.
attach pass_mb xdp.frags
ip link set "$DUT_IF" mtu 1500 || fail "MTU 1500 refused under a multi-buffer program"
attach pass xdp
if ip link set "$DUT_IF" mtu 9000 2>/dev/null; then
	fail "MTU 9000 accepted under a single-buffer program"
fi
ok "MTU 9000 refused under a single-buffer program"
ip link set dev "$DUT_IF" xdpdrv off || fail "detaching failed"
ip link set "$DUT_IF" mtu 9000 || fail "MTU 9000 refused without a program"
wait_carrier "$DUT_IF" 1 10 || fail "no carrier after MTU 9000"
big_pings_ok 3
ok "detached: MTU 9000 again, jumbo pings answered"

ip link set "$DUT_IF" mtu 1500
in_peer ip link set "$PEER_IF" mtu 1500
wait_carrier "$DUT_IF" 1 10 || fail "no carrier after MTU 1500"
ping -q -c 3 -i 0.2 -W 3 "$PEER_IP" >/dev/null || fail "no traffic after the test"
ok "traffic flows after the test"
