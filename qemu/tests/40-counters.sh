#!/bin/sh
# The interface's interrupt count rises with traffic, and the packet counters
# of `ip -s link` and ethtool move consistently with what was sent.
. "$(dirname "$0")/lib.sh"
grep -q " $DUT_IF\$" /proc/interrupts || fail "no /proc/interrupts line named $DUT_IF"
irq0=$(irq_count "$DUT_IF")
tx0=$(link_stat "$DUT_IF" tx packets)
rx0=$(link_stat "$DUT_IF" rx packets)
ping -q -c 200 -i 0.01 -W 2 "$PEER_IP" >/tmp/ping.out || fail "ping lost replies"
irq1=$(irq_count "$DUT_IF")
tx=$(($(link_stat "$DUT_IF" tx packets) - tx0))
rx=$(($(link_stat "$DUT_IF" rx packets) - rx0))
[ "$irq1" -gt "$irq0" ] || fail "interrupts did not rise ($irq0 -> $irq1)"
ok "interrupts rose: $irq0 -> $irq1"
[ "$tx" -ge 200 ] && [ "$tx" -le 220 ] || fail "200 echo requests, tx_packets moved by $tx"
[ "$rx" -ge 200 ] && [ "$rx" -le 220 ] || fail "200 echo replies, rx_packets moved by $rx"
ok "tx_packets +$tx, rx_packets +$rx for 200 pings"
[ "$(link_stat "$DUT_IF" rx errors)" = 0 ] || fail "rx_errors is not 0"
[ "$(link_stat "$DUT_IF" tx dropped)" = 0 ] || fail "tx_dropped is not 0"
ethtool -S "$DUT_IF" >/tmp/stats || fail "ethtool -S failed"
grep -q "rx_packets:" /tmp/stats || fail "ethtool -S has no rx_packets"
hw=$(awk '$1 == "hw_rx_packets:" { print $2 }' /tmp/stats)
[ "${hw:-0}" -ge 200 ] || fail "the device's own receive counter reads ${hw:-nothing}"
ok "ethtool -S: hw_rx_packets $hw"
