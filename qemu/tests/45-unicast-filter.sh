#!/bin/sh
# Receive filtering by the device: a frame for a foreign MAC address is not
# received; after adding that address to the interface's unicast list (the
# device's receive address table) it is; promiscuous mode receives it too.
. "$(dirname "$0")/lib.sh"
extra=02:00:00:00:00:09
in_peer ip neigh replace 192.0.2.9 lladdr "$extra" dev "$PEER_IF" nud permanent
# hw_rx: frames the device accepted (eth-mac FramesReceivedOK, GPRC).
hw_rx() {
	std_stat "$DUT_IF" eth-mac FramesReceivedOK
}
probe() {
	before=$(hw_rx)
	in_peer ping -q -c 20 -i 0.02 -W 1 192.0.2.9 >/dev/null 2>&1
	sleep 0.5
	echo $(($(hw_rx) - before))
}
got=$(probe)
[ "$got" -lt 5 ] || fail "the device accepted $got frames for a foreign MAC address"
ok "frames for a foreign address filtered ($got accepted)"
bridge fdb add "$extra" dev "$DUT_IF" self permanent || fail "cannot add a unicast address"
got=$(probe)
[ "$got" -ge 20 ] || fail "only $got of 20 frames for an added unicast address accepted"
ok "frames for an added unicast address accepted ($got)"
bridge fdb del "$extra" dev "$DUT_IF" self permanent || fail "cannot remove the unicast address"
got=$(probe)
[ "$got" -lt 5 ] || fail "$got frames accepted after removing the address"
ip link set "$DUT_IF" promisc on
sleep 1.5
got=$(probe)
ip link set "$DUT_IF" promisc off
[ "$got" -ge 20 ] || fail "promiscuous mode accepted only $got of 20 frames"
ok "removed again, then accepted in promiscuous mode ($got)"
