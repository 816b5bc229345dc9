#!/bin/sh
# The interface's interrupt count rises with traffic (/proc/interrupts and
# the driver's own in ethtool -S), and the packet counters of `ip -s link`
# and the device's (ethtool -S --groups eth-mac) move consistently with what
# was sent.
. "$(dirname "$0")/lib.sh"
grep -q " $DUT_IF\$" /proc/interrupts || fail "no /proc/interrupts line named $DUT_IF"
# ours: the driver's count of its interrupts (ethtool -S interrupts).
ours() {
	ethtool -S "$DUT_IF" | awk '$1 == "interrupts:" { print $2; f = 1 } END { if (!f) print -1 }'
}
irq0=$(irq_count "$DUT_IF")
ours0=$(ours)
hw0=$(std_stat "$DUT_IF" eth-mac FramesReceivedOK)
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
ours1=$(ours)
[ "$ours0" -ge 0 ] || fail "ethtool -S has no interrupts"
[ "$ours1" -gt "$ours0" ] || fail "ethtool -S interrupts did not rise ($ours0 -> $ours1)"
ok "ethtool -S interrupts rose: $ours0 -> $ours1"
hw1=$(std_stat "$DUT_IF" eth-mac FramesReceivedOK)
[ "$hw0" -ge 0 ] || fail "ethtool -S --groups eth-mac has no FramesReceivedOK"
hw=$((hw1 - hw0))
[ "$hw" -ge 200 ] || fail "the device's own receive counter (eth-mac FramesReceivedOK) moved by $hw"
ok "eth-mac FramesReceivedOK +$hw"
