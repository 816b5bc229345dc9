#!/bin/sh
# iperf3 TCP for 10 s each way through the device under test; both directions
# must move data, and the interface counters must account for it. The floor
# tells a moving data path from a stalled one (a frame per timeout), not a
# speed (make bench measures that): 10 Mbit/s, and 1 Mbit/s on the debug
# kernel, where KASAN, kmemleak and lockdep under TCG slow every frame ~50x
# (the C e1000 moved 9 Mbit/s there next to another guest).
. "$(dirname "$0")/lib.sh"
floor=10000000
[ "${RE1000_KERNEL:-default}" = debug ] && floor=1000000
tx0=$(link_stat "$DUT_IF" tx bytes)
rx0=$(link_stat "$DUT_IF" rx bytes)
for dir in "" "-R"; do
	in_peer iperf3 -s -1 -D >/dev/null 2>&1
	peer_listening 5201 || fail "no iperf3 server listening on port 5201"
	iperf3 -c "$PEER_IP" -t 10 $dir -J >/tmp/iperf.json || fail "iperf3 $dir failed"
	bps=$(python3 -c 'import json,sys; d=json.load(open("/tmp/iperf.json")); print(int(d["end"]["sum_received"]["bits_per_second"]))')
	[ "$bps" -gt "$floor" ] || fail "iperf3 $dir: only $bps bit/s (floor $floor)"
	ok "iperf3 ${dir:-TX}: $((bps / 1000000)) Mbit/s"
done
tx=$(($(link_stat "$DUT_IF" tx bytes) - tx0))
rx=$(($(link_stat "$DUT_IF" rx bytes) - rx0))
# 10 s above the floor is more than floor * 10 / 8 bytes each way.
[ "$tx" -gt $((floor * 10 / 8)) ] || fail "tx_bytes moved by only $tx"
[ "$rx" -gt $((floor * 10 / 8)) ] || fail "rx_bytes moved by only $rx"
ok "counters moved: tx $tx bytes, rx $rx bytes"
