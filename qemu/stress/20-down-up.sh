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
# cycles is chance; what must hold is that both clients' flows resume: more
# than 1000 packets each way within 20 s of the last up.
rx0=$(link_stat "$DUT_IF" rx packets)
tx0=$(link_stat "$DUT_IF" tx packets)
i=0
until [ $(($(link_stat "$DUT_IF" rx packets) - rx0)) -gt 1000 ] &&
	[ $(($(link_stat "$DUT_IF" tx packets) - tx0)) -gt 1000 ]; do
	i=$((i + 1))
	[ $i -le 200 ] || fail "iperf3 traffic did not resume within 20 s of the last up: rx $(($(link_stat "$DUT_IF" rx packets) - rx0)), tx $(($(link_stat "$DUT_IF" tx packets) - tx0)) packets"
	sleep 0.1
done
iperf_stop
ok "$cycles down/up cycles under iperf3 both ways (rx $rx, tx $tx packets during them); both flows resumed"
stress_done
