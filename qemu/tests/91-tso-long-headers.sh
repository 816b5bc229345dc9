#!/bin/sh
# TSO frames whose headers do not fit the context descriptor (8-bit TUCSO
# and HDRLEN): IPv6 with 256 bytes of destination options puts TCP at byte
# 310. ndo_features_check sends them to software segmentation, so the
# transfer arrives intact and nothing is dropped (before, re1000 dropped
# every such frame and the connection stalled).
. "$(dirname "$0")/lib.sh"
make_payload /tmp/out.bin 8
drop0=$(link_stat "$DUT_IF" tx dropped)
rm -f /tmp/at-peer.bin
in_peer socat -u TCP6-LISTEN:5003,reuseaddr OPEN:/tmp/at-peer.bin,creat,trunc &
lpid=$!
# (Not through in_peer, a shell function: $! is then tcpdump itself, whose
# output the kill below flushes.)
ip netns exec "$PEER_NS" tcpdump -n -c 3 -i "$PEER_IF" 'ip6 and ip6[6] == 60' \
	>/tmp/dstopts.txt 2>/tmp/tcpdump.err &
tpid=$!
i=0
until grep -q "listening on" /tmp/tcpdump.err; do
	i=$((i + 1))
	[ "$i" -le 100 ] || fail "the peer's tcpdump did not start: $(cat /tmp/tcpdump.err)"
	sleep 0.1
done
peer_listening 5003 || fail "the peer's socat does not listen on port 5003"
timeout 90 python3 - "$PEER_IP6" /tmp/out.bin <<'PY' || fail "sending with 256 bytes of IPv6 destination options failed or stalled"
import socket, sys
# A destination options header of 256 bytes: an unknown option that
# receivers skip (type 0x1e: top bits 00) with 250 bytes of data, then PadN
# with none (Linux drops more than 7 bytes of padding in a row).
size = 256
opt = bytes([0, size // 8 - 1, 0x1E, 250]) + bytes(250) + bytes([1, 0])
assert len(opt) == size
s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
s.setsockopt(socket.IPPROTO_IPV6, getattr(socket, "IPV6_DSTOPTS", 59), opt)
s.settimeout(60)
s.connect((sys.argv[1], 5003))
with open(sys.argv[2], "rb") as f:
    while chunk := f.read(65536):
        s.sendall(chunk)
s.close()
PY
wait "$lpid"
[ "$(sha /tmp/out.bin)" = "$(sha /tmp/at-peer.bin)" ] || fail "payload corrupted"
kill "$tpid" 2>/dev/null
wait "$tpid" 2>/dev/null || :
grep -q "DSTOPT" /tmp/dstopts.txt || fail "the peer saw no destination options: $(cat /tmp/dstopts.txt)"
drop1=$(link_stat "$DUT_IF" tx dropped)
[ "$drop1" = "$drop0" ] || fail "tx_dropped $drop0 -> $drop1"
ok "8 MiB over IPv6 with 256 bytes of destination options intact, nothing dropped"
make_payload /tmp/out.bin 4
send_to_peer /tmp/out.bin /tmp/at-peer.bin || fail "plain transfer failed"
[ "$(sha /tmp/out.bin)" = "$(sha /tmp/at-peer.bin)" ] || fail "plain payload corrupted"
ok "plain TSO transfer still intact"
