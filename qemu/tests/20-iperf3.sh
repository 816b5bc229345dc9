#!/bin/sh
# iperf3 TCP for 10 s each way through the device under test; both directions
# must move data, and the interface counters must account for it.
. "$(dirname "$0")/lib.sh"
tx0=$(link_stat "$DUT_IF" tx bytes)
rx0=$(link_stat "$DUT_IF" rx bytes)
for dir in "" "-R"; do
	in_peer iperf3 -s -1 -D >/dev/null 2>&1
	sleep 0.5
	iperf3 -c "$PEER_IP" -t 10 $dir -J >/tmp/iperf.json || fail "iperf3 $dir failed"
	bps=$(python3 -c 'import json,sys; d=json.load(open("/tmp/iperf.json")); print(int(d["end"]["sum_received"]["bits_per_second"]))')
	[ "$bps" -gt 10000000 ] || fail "iperf3 $dir: only $bps bit/s"
	ok "iperf3 ${dir:-TX}: $((bps / 1000000)) Mbit/s"
done
tx=$(($(link_stat "$DUT_IF" tx bytes) - tx0))
rx=$(($(link_stat "$DUT_IF" rx bytes) - rx0))
# 10 s at more than 10 Mbit/s is more than 12.5 MB each way.
[ "$tx" -gt 12500000 ] || fail "tx_bytes moved by only $tx"
[ "$rx" -gt 12500000 ] || fail "rx_bytes moved by only $rx"
ok "counters moved: tx $tx bytes, rx $rx bytes"
