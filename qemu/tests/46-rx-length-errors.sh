#!/bin/sh
# A frame longer than the receive buffers counts once in rx_length_errors,
# however many descriptors the device spread it over. re1000 at MTU 2000
# (LPE on: QEMU accepts frames up to 16 KiB and spreads them over the
# buffers), the peer at MTU 9000 sends 8000-byte pings (8042-byte frames,
# over the 2022 bytes MTU 2000 allows): each must add exactly one.
. "$(dirname "$0")/lib.sh"
n=20
# rx_length_errors of ip -s link: re1000's own count plus the device's ROC
# and RUC (rmon etherStatsOversizePkts and etherStatsUndersizePkts), which
# must not move: then all of it is re1000's.
device_length_errors() {
	echo "$(std_stat "$DUT_IF" rmon etherStatsOversizePkts) $(std_stat "$DUT_IF" rmon etherStatsUndersizePkts)"
}
ip link set "$DUT_IF" mtu 2000 || fail "MTU 2000 refused"
in_peer ip link set "$PEER_IF" mtu 9000 || fail "peer MTU 9000 refused"
wait_carrier "$DUT_IF" 1 10 || fail "no carrier after the MTU change"
ping -q -c 3 -i 0.2 -W 3 -s 1900 -M do "$PEER_IP" >/dev/null || fail "no 1900-byte ping at MTU 2000"
dev0=$(device_length_errors)
case "$dev0" in *-1*) fail "ethtool -S --groups rmon lacks etherStatsOversizePkts or etherStatsUndersizePkts: $dev0" ;; esac
before=$(link_stat "$DUT_IF" rx length_errors)
rx0=$(link_stat "$DUT_IF" rx packets)
in_peer ping -q -c "$n" -i 0.1 -W 1 -s 8000 "$DUT_IP" >/dev/null 2>&1
sleep 1
dev1=$(device_length_errors)
after=$(link_stat "$DUT_IF" rx length_errors)
counted=$((after - before))
echo "sent $n oversized frames: rx_length_errors $before -> $after, rmon oversize, undersize $dev0 -> $dev1, rx_packets +$(($(link_stat "$DUT_IF" rx packets) - rx0))"
[ "$dev1" = "$dev0" ] || fail "the device dropped the frames itself (rmon etherStatsOversizePkts or etherStatsUndersizePkts moved): the test does not reach the driver"
[ "$counted" -eq "$n" ] || fail "$n oversized frames counted as $counted length errors"
ok "$n frames over several descriptors: rx_length_errors +$counted"
ping -q -c 3 -i 0.2 -W 3 "$PEER_IP" >/dev/null || fail "no ping after the oversized frames"
ip link set "$DUT_IF" mtu 1500
in_peer ip link set "$PEER_IF" mtu 1500
ok "traffic flows afterwards"
