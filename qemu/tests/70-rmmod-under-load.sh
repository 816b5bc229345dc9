#!/bin/sh
# rmmod while iperf3 runs in both directions: the module goes away cleanly
# (the runner fails the test on any kernel splat), then comes back and works.
. "$(dirname "$0")/lib.sh"
[ "$RE1000_DRIVER" = re1000 ] || fail "this test needs --driver re1000"
in_peer iperf3 -s -D -p 5201 >/dev/null 2>&1
in_peer iperf3 -s -D -p 5202 >/dev/null 2>&1
peer_listening 5201 || fail "no iperf3 server listening on port 5201"
peer_listening 5202 || fail "no iperf3 server listening on port 5202"
iperf3 -c "$PEER_IP" -p 5201 -t 30 >/dev/null 2>&1 &
iperf3 -c "$PEER_IP" -p 5202 -t 30 -R >/dev/null 2>&1 &
sleep 3
rmmod re1000 || fail "rmmod under load failed"
ok "rmmod under load"
# The clients lost their interface: stop them rather than wait for TCP to give up.
pkill -x iperf3 || true
wait
insmod "$RE1000_MODULE" || fail "insmod after rmmod failed"
dut_up || fail "no carrier after reload"
ping -q -c 3 -i 0.2 -W 3 "$PEER_IP" >/dev/null || fail "no ping after reload"
ok "reloaded and carrying traffic"
