#!/bin/sh
# Threaded NAPI and busy polling under load: traffic flows and the payload
# arrives intact in both modes.
. "$(dirname "$0")/lib.sh"
echo 1 >"/sys/class/net/$DUT_IF/threaded" || fail "cannot switch to threaded NAPI"
[ "$(cat "/sys/class/net/$DUT_IF/threaded")" = 1 ] || fail "threaded NAPI not on"
pgrep -f "napi/$DUT_IF" >/dev/null || fail "no napi/$DUT_IF kernel thread"
make_payload /tmp/out.bin 16
send_to_peer /tmp/out.bin /tmp/at-peer.bin || fail "transfer with threaded NAPI failed"
[ "$(sha /tmp/out.bin)" = "$(sha /tmp/at-peer.bin)" ] || fail "payload corrupted (threaded NAPI)"
recv_from_peer /tmp/out.bin /tmp/got.bin || fail "receive with threaded NAPI failed"
[ "$(sha /tmp/out.bin)" = "$(sha /tmp/got.bin)" ] || fail "payload corrupted on receive (threaded NAPI)"
echo 0 >"/sys/class/net/$DUT_IF/threaded"
ok "threaded NAPI: 16 MiB each way intact"
sysctl -qw net.core.busy_poll=50 net.core.busy_read=50 || fail "cannot enable busy polling"
ping -q -c 50 -i 0.02 -W 2 "$PEER_IP" >/tmp/ping.out || fail "ping with busy polling failed"
recv_from_peer /tmp/out.bin /tmp/got.bin || fail "receive with busy polling failed"
[ "$(sha /tmp/out.bin)" = "$(sha /tmp/got.bin)" ] || fail "payload corrupted (busy polling)"
sysctl -qw net.core.busy_poll=0 net.core.busy_read=0
ok "busy polling: ping and 16 MiB intact ($(tail -1 /tmp/ping.out))"
