#!/bin/sh
# netconsole through re1000 (netpoll): kernel messages reach the peer.
. "$(dirname "$0")/lib.sh"
peer_mac=$(in_peer cat "/sys/class/net/$PEER_IF/address")
rm -f /tmp/netconsole.out
# (Not through in_peer, a shell function: $! is then socat itself, which
# the kill below stops.)
ip netns exec "$PEER_NS" socat -u UDP4-RECV:6666 OPEN:/tmp/netconsole.out,creat &
rpid=$!
peer_listening 6666 -u || fail "the peer's UDP receiver is not bound to port 6666"
modprobe netconsole "netconsole=6665@$DUT_IP/$DUT_IF,6666@$PEER_IP/$peer_mac" ||
	fail "netconsole did not load"
i=0
while [ $i -lt 5 ]; do
	echo "<4>re1000-netconsole-check-$i" >/dev/kmsg
	sleep 0.3
	i=$((i + 1))
done
sleep 1
kill "$rpid" 2>/dev/null
wait "$rpid" 2>/dev/null
grep -q "re1000-netconsole-check" /tmp/netconsole.out 2>/dev/null ||
	fail "no netconsole line reached the peer: $(cat /tmp/netconsole.out 2>/dev/null)"
ok "netconsole lines reached the peer ($(grep -c re1000-netconsole-check /tmp/netconsole.out) of 5)"
rmmod netconsole
