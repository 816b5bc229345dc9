#!/bin/sh
# Offloads on and off with the payload intact, TSO actually used, jumbo
# frames at MTU 9000, a VLAN 100 sub-interface, and multicast reception that
# depends on joining the group.
. "$(dirname "$0")/lib.sh"
make_payload /tmp/out.bin 16
seg0=$(ethtool -S "$DUT_IF" | awk '$1 == "tx_tcp_seg_good:" {print $2}')
send_to_peer /tmp/out.bin /tmp/at-peer.bin || fail "transfer with offloads on failed"
[ "$(sha /tmp/out.bin)" = "$(sha /tmp/at-peer.bin)" ] || fail "payload corrupted with offloads on"
seg1=$(ethtool -S "$DUT_IF" | awk '$1 == "tx_tcp_seg_good:" {print $2}')
[ "$seg1" -gt "$seg0" ] || fail "TSO unused: tx_tcp_seg_good $seg0 -> $seg1"
ok "offloads on: 16 MiB intact, TSO used ($seg0 -> $seg1 segmented frames)"
ethtool -K "$DUT_IF" tso off tx off sg off || fail "turning offloads off failed"
send_to_peer /tmp/out.bin /tmp/at-peer.bin || fail "transfer with offloads off failed"
[ "$(sha /tmp/out.bin)" = "$(sha /tmp/at-peer.bin)" ] || fail "payload corrupted with offloads off"
seg2=$(ethtool -S "$DUT_IF" | awk '$1 == "tx_tcp_seg_good:" {print $2}')
[ "$seg2" = "$seg1" ] || fail "TSO still used while off: $seg1 -> $seg2"
ethtool -K "$DUT_IF" tso on tx on sg on || fail "turning offloads on failed"
ok "offloads off: 16 MiB intact, no TSO"

ip link set "$DUT_IF" mtu 9000 || fail "MTU 9000 refused"
in_peer ip link set "$PEER_IF" mtu 9000
wait_carrier "$DUT_IF" 1 10 || fail "no carrier after the MTU change"
ping -q -c 3 -i 0.2 -W 3 -M do -s 8972 "$PEER_IP" >/dev/null || fail "ping -M do -s 8972 failed"
recv_from_peer /tmp/out.bin /tmp/got.bin || fail "jumbo transfer failed"
[ "$(sha /tmp/out.bin)" = "$(sha /tmp/got.bin)" ] || fail "payload corrupted at MTU 9000"
ip link set "$DUT_IF" mtu 1500
in_peer ip link set "$PEER_IF" mtu 1500
wait_carrier "$DUT_IF" 1 10 || fail "no carrier after restoring the MTU"
ok "MTU 9000: ping -M do -s 8972 and 16 MiB intact"

modprobe 8021q || fail "no 8021q module"
ip link add link "$DUT_IF" name vlan100 type vlan id 100 || fail "cannot add vlan100"
in_peer ip link add link "$PEER_IF" name vlan100 type vlan id 100
ip addr add 198.51.100.1/24 dev vlan100
in_peer ip addr add 198.51.100.2/24 dev vlan100
ip link set vlan100 up
in_peer ip link set vlan100 up
sleep 1
ping -q -c 5 -i 0.2 -W 3 198.51.100.2 >/dev/null || fail "no ping over VLAN 100"
ok "VLAN 100 carries traffic (tag offloads and VID filter on)"
ethtool -K "$DUT_IF" rxvlan off || fail "turning VLAN offload off failed"
ethtool -k "$DUT_IF" | grep -q "tx-vlan-offload: off" || fail "tx-vlan-offload stayed on without rx-vlan-offload"
ping -q -c 5 -i 0.2 -W 3 198.51.100.2 >/dev/null || fail "no ping over VLAN 100 without offload"
ethtool -K "$DUT_IF" rxvlan on
ok "VLAN 100 without tag offload"
ip link del vlan100

# Multicast: received once the group is joined, not before.
in_peer ip route add 239.0.0.0/8 dev "$PEER_IF" 2>/dev/null
mc_try() {
	rm -f /tmp/mc.out
	socat -u UDP4-RECV:5555,ip-add-membership=239.1.2.3:"$DUT_IF" OPEN:/tmp/mc.out,creat &
	rpid=$!
	sleep 1
	i=0
	while [ $i -lt 5 ]; do
		echo "hello-multicast" | in_peer socat -u - UDP4-DATAGRAM:239.1.2.3:5555,ip-multicast-if="$PEER_IP"
		sleep 0.2
		i=$((i + 1))
	done
	sleep 0.5
	kill "$rpid" 2>/dev/null
	wait "$rpid" 2>/dev/null
	grep -q hello-multicast /tmp/mc.out 2>/dev/null
}
mc_try || fail "multicast to a joined group not received"
ok "multicast to a joined group received"

# UDP with checksum offload, interleaved with TCP (so the device's context
# alternates between UDP, TCP and TSO): the peer finds every checksum right.
udp_csum_errors() {
	in_peer awk '/^Udp:/ { if (!h) { h = 1; for (i = 1; i <= NF; i++) k[i] = $i } else for (i = 1; i <= NF; i++) if (k[i] == "InCsumErrors") print $i }' /proc/net/snmp
}
udp_in() {
	in_peer awk '/^Udp:/ { if (!h) { h = 1; for (i = 1; i <= NF; i++) k[i] = $i } else for (i = 1; i <= NF; i++) if (k[i] == "InDatagrams") print $i }' /proc/net/snmp
}
e0=$(udp_csum_errors)
d0=$(udp_in)
ip netns exec "$PEER_NS" socat -u UDP4-RECV:5556 /dev/null &
upid=$!
peer_listening 5556 -u || fail "the peer's UDP receiver is not bound to port 5556"
make_payload /tmp/small.bin 4
send_to_peer /tmp/small.bin /tmp/small-at-peer.bin &
tpid=$!
python3 - "$PEER_IP" <<'PY'
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(400):
    s.sendto(bytes((i + j) & 0xFF for j in range(20 + (i * 37) % 1400)), (sys.argv[1], 5556))
    if i % 50 == 0:
        time.sleep(0.01)
PY
wait "$tpid" || fail "TCP transfer next to UDP failed"
[ "$(sha /tmp/small.bin)" = "$(sha /tmp/small-at-peer.bin)" ] || fail "TCP payload corrupted next to UDP"
sleep 0.5
kill "$upid" 2>/dev/null
e1=$(udp_csum_errors)
d1=$(udp_in)
[ "$e1" = "$e0" ] || fail "peer saw UDP checksum errors: $e0 -> $e1"
[ "$d1" -ge $((d0 + 300)) ] || fail "peer received only $((d1 - d0)) of 400 UDP datagrams"
ok "UDP with checksum offload next to TCP: $((d1 - d0)) datagrams, no checksum errors"
