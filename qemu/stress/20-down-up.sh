#!/bin/sh
# down-up: ip link set down/up cycles (full: 100) while iperf3 runs both
# ways; carrier comes back every time, the clients survive and the
# interface carried traffic in between.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
cycles=$(scaled 100 3)
iperf_start out
iperf_start in
sleep 2
rx0=$(link_stat "$DUT_IF" rx packets)
tx0=$(link_stat "$DUT_IF" tx packets)
while [ "$ITERATIONS" -lt "$cycles" ]; do
	n=$ITERATIONS
	ip link set "$DUT_IF" down || fail "link down failed on cycle $n"
	sleep 0.2
	ip link set "$DUT_IF" up || fail "link up failed on cycle $n"
	wait_carrier "$DUT_IF" 1 10 || fail "no carrier 10 s after up on cycle $n"
	sleep 0.3
	ITERATIONS=$((n + 1))
done
rx=$(($(link_stat "$DUT_IF" rx packets) - rx0))
tx=$(($(link_stat "$DUT_IF" tx packets) - tx0))
# TCP backs off while the link is down, so how much moved during the short
# cycles is chance; what must hold is that both clients' flows resume after
# the last up (each client's own report, not the interface's packet
# counters, which also count the other flow's acknowledgements), within
# 150 s: more than TCP's longest retransmission timeout (120 s), which a
# flow may have reached when the link was down for seconds at a time (the
# debug kernel takes seconds to start `ip`).
iperf_resumed 150
ok "both flows resumed after the last up"
iperf_stop
ok "$cycles down/up cycles under iperf3 both ways (rx $rx, tx $tx packets during them); both clients alive"
stress_done
