#!/bin/sh
# The multicast filter while the address lists change under the driver:
# thousands of multicast address changes (ip maddr, past the 64 hashed
# addresses into the accept-all-multicast overflow and back) run at the same
# time as rx-all, rx-fcs and rxvlan toggles (ndo_set_features, which
# reprograms the filters from the lists) and down/up cycles (open programs
# them too). Afterwards the device accepts frames for a group exactly while
# the group is on the list. The lists are read under their lock
# (netif_addr_lock_bh); the C helpers assert it on a lockdep kernel.
. "$(dirname "$0")/lib.sh"
rounds=${MC_RACE_ROUNDS:-25}

# hw_rx: frames the device accepted (eth-mac FramesReceivedOK, GPRC).
hw_rx() {
	std_stat "$DUT_IF" eth-mac FramesReceivedOK
}
# probe: frames the device accepted of 20 the peer sends to 239.1.2.3
# (01:00:5e:01:02:03).
probe() {
	before=$(hw_rx)
	in_peer python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(sys.argv[1]))
for _ in range(20):
    s.sendto(b"probe", ("239.1.2.3", 5555))
    time.sleep(0.02)
' "$PEER_IP"
	sleep 0.5
	echo $(($(hw_rx) - before))
}
group=01:00:5e:01:02:03
in_peer ip route add 239.0.0.0/8 dev "$PEER_IF" 2>/dev/null

got=$(probe)
[ "$got" -lt 5 ] || fail "the device accepted $got frames for a group not joined"
ok "frames for a group not joined filtered ($got accepted)"

# 80 addresses (01:00:5e:00:01:00..4f), added then removed, $rounds times.
batch() {
	i=0
	while [ $i -lt 80 ]; do
		printf 'maddr %s 01:00:5e:00:01:%02x dev %s\n' "$1" "$i" "$DUT_IF"
		i=$((i + 1))
	done
}
batch add >/tmp/mc-add
batch del >/tmp/mc-del
(
	r=0
	while [ $r -lt "$rounds" ]; do
		ip -force -batch /tmp/mc-add 2>/dev/null
		ip -force -batch /tmp/mc-del 2>/dev/null
		r=$((r + 1))
	done
	echo "$((r * 160))" >/tmp/mc-changes
) &
mc_pid=$!
(
	n=0
	while kill -0 "$mc_pid" 2>/dev/null; do
		for f in "rx-all on" "rx-all off" "rx-fcs on" "rx-fcs off" "rxvlan off" "rxvlan on"; do
			# shellcheck disable=SC2086
			ethtool -K "$DUT_IF" $f >/dev/null 2>&1
			n=$((n + 1))
		done
	done
	echo "$n" >/tmp/feature-changes
) &
feat_pid=$!
cycles=0
while kill -0 "$mc_pid" 2>/dev/null; do
	ip link set "$DUT_IF" down
	ip link set "$DUT_IF" up
	cycles=$((cycles + 1))
	sleep 0.3
done
wait "$mc_pid"
wait "$feat_pid"
ok "$(cat /tmp/mc-changes) multicast address changes, $(cat /tmp/feature-changes) feature changes, $cycles down/up cycles"

ip link set "$DUT_IF" up
wait_carrier "$DUT_IF" 1 10 || fail "no carrier after the changes"
ip maddr show dev "$DUT_IF" | grep -q "01:00:5e:00:01:" && fail "test addresses still listed"
sleep 1.5
got=$(probe)
[ "$got" -lt 5 ] || fail "after the changes the device accepted $got frames for a group not joined"
ip maddr add "$group" dev "$DUT_IF" || fail "cannot add $group"
sleep 1.5
got=$(probe)
[ "$got" -ge 20 ] || fail "only $got of 20 frames for a joined group accepted"
ip maddr del "$group" dev "$DUT_IF"
sleep 1.5
got=$(probe)
[ "$got" -lt 5 ] || fail "$got frames accepted after leaving the group"
ok "afterwards: a group's frames accepted while it is on the list, not before or after"
