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
iperf_stop
{ [ "$rx" -gt 1000 ] && [ "$tx" -gt 1000 ]; } || fail "little traffic during the cycles: rx $rx, tx $tx packets"
ok "$cycles down/up cycles under iperf3 both ways (rx $rx, tx $tx packets meanwhile)"
stress_done
