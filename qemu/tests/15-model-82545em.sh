#!/bin/sh
# qemu-run: --model e1000-82545em
# QEMU's e1000-82545em model: re1000 binds, pings both ways and moves a payload intact.
. "$(dirname "$0")/lib.sh"
ethtool -i "$DUT_IF" | grep -qx "driver: re1000" || fail "re1000 does not drive the 82545em"
ping -q -c 5 -i 0.1 -W 2 "$PEER_IP" >/dev/null || fail "IPv4 ping failed"
ping -6 -q -c 5 -i 0.1 -W 2 "$PEER_IP6" >/dev/null || fail "IPv6 ping failed"
make_payload /tmp/out.bin 8
send_to_peer /tmp/out.bin /tmp/at-peer.bin || fail "transfer failed"
[ "$(sha /tmp/out.bin)" = "$(sha /tmp/at-peer.bin)" ] || fail "payload corrupted"
ok "e1000-82545em: ping v4/v6 and 8 MiB intact"
