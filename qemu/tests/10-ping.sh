#!/bin/sh
# Ping the peer over IPv4 and IPv6 at sizes from 0 to the largest unfragmented
# payload: every request must be answered.
. "$(dirname "$0")/lib.sh"
for size in 0 1 56 100 512 1000 1400 1472; do
	pings_answered 5 ping -i 0.05 -s "$size" -M do "$PEER_IP" ||
		{ cat /tmp/ping.out; fail "IPv4 ping size $size lost replies"; }
done
ok "IPv4 ping, sizes 0..1472"
for size in 0 56 1000 1452; do
	pings_answered 5 ping -6 -i 0.05 -s "$size" -M do "$PEER_IP6" ||
		{ cat /tmp/ping.out; fail "IPv6 ping size $size lost replies"; }
done
ok "IPv6 ping, sizes 0..1452"
# One size too large for the MTU must be refused locally, not sent.
if ping -q -c 1 -W 1 -s 1473 -M do "$PEER_IP" >/dev/null 2>&1; then
	fail "a 1501-byte IPv4 packet with DF went through an MTU of 1500"
fi
ok "oversized DF ping refused"
