#!/bin/sh
# link-flap: QEMU's link goes off and on (set_link, full: 20 flaps) during
# one sha256-checked TCP transfer, paced so that it spans every flap:
# carrier follows the link each time and every byte arrives intact.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
flaps=$(scaled 20 2)
paced_start out "$(scaled 8 2)"
sleep 1
downs0=$(dmesg | grep -c "$DUT_IF: NIC Link is Down")
while [ "$ITERATIONS" -lt "$flaps" ]; do
	n=$ITERATIONS
	qemu-monitor "set_link dut off" >/dev/null || fail "set_link off failed on flap $n"
	wait_carrier "$DUT_IF" 0 5 || fail "carrier still on 5 s after set_link off on flap $n"
	sleep 0.5
	qemu-monitor "set_link dut on" >/dev/null || fail "set_link on failed on flap $n"
	wait_carrier "$DUT_IF" 1 10 || fail "carrier not back 10 s after set_link on on flap $n"
	sleep 1
	ITERATIONS=$((n + 1))
done
paced_stop
downs=$(($(dmesg | grep -c "$DUT_IF: NIC Link is Down") - downs0))
[ "$downs" -ge "$flaps" ] || fail "$flaps flaps but $downs 'Link is Down' messages"
ok "$flaps flaps during one transfer, $downs link-down messages"
stress_done
