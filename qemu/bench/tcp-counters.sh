#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# qemu/bench/tcp-counters.sh GROUP [SECONDS]: inside a guest, runs one TCP
# group of guest.sh (tcp_rx_1, tcp_tx_4, ...) and prints what changed in
# both ends' TCP counters (nstat: retransmits, loss probes, pruned and
# collapsed receive queues, out-of-order queueing, SACK and DSACK) and in
# the interface's counters: the retransmits' cause, where the
# benchmark only counts them. BENCH_RX_RING, BENCH_TX_RING and
# BENCH_RX_USECS as for guest.sh:
#   qemu/run --pin auto -- "BENCH_RX_RING=1024 BENCH_TX_RING=256 \
#       BENCH_RX_USECS=4000 sh $PWD/qemu/bench/tcp-counters.sh tcp_rx_1"
# (the guest does not start in the repository: give the path whole).
. "$(dirname "$0")/../tests/lib.sh"
group=${1:?usage: tcp-counters.sh GROUP [SECONDS]}
secs=${2:-10}
command -v nstat >/dev/null || fail "nstat not found (iproute2)"
# ethstats: the interface's ethtool -S counters and its standard statistics
# (where re1000 reports the device's missed frames, rx_missed_errors).
ethstats() {
	ethtool -S "$DUT_IF" | awk -F: 'NR > 1 { gsub(/ /, "", $1); print $1, $2 + 0 }'
	for f in /sys/class/net/"$DUT_IF"/statistics/*; do
		echo "stat:${f##*/} $(cat "$f")"
	done
}
# Each namespace its own nstat history (nstat keeps one per user), reset
# here so that the calls after the run print deltas.
dut_nstat() {
	NSTAT_HISTORY=/tmp/nstat.dut nstat "$@"
}
peer_nstat() {
	in_peer env NSTAT_HISTORY=/tmp/nstat.peer nstat "$@"
}
dut_nstat -n >/dev/null
peer_nstat -n >/dev/null
ethstats >/tmp/eth.before
sh "$(dirname "$0")/guest.sh" "$secs" "$group"
ethstats >/tmp/eth.after
# Of TCP's counters only those that tell loss, reordering or a receive
# queue under memory pressure.
pattern='Retrans|LossProbe|Prune|Collapse|OFO|SACK|Timeout|Reorder|Backlog|Drop|Rcvbuf|RcvQDrop|Spurious|Recovery|ZeroWindow|Memory'
echo "[tcp-counters] $RE1000_DRIVER, $group: the device's side (nstat)"
dut_nstat -z | grep -E "$pattern" | awk '$2 != 0'
echo "[tcp-counters] the peer's side (nstat)"
peer_nstat -z | grep -E "$pattern" | awk '$2 != 0'
echo "[tcp-counters] ethtool -S $DUT_IF and its statistics (stat:), changed"
awk 'NR == FNR { b[$1] = $2; next } $2 != b[$1] { print $1, $2 - b[$1] }' /tmp/eth.before /tmp/eth.after
