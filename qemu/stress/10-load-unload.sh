#!/bin/sh
# load-unload: insmod/rmmod cycles (full: 100), each one carrying a ping
# burst before the unload; the interface is gone after every rmmod and comes
# back with carrier after every insmod.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
cycles=$(scaled 100 2)
while [ "$ITERATIONS" -lt "$cycles" ]; do
	n=$ITERATIONS
	ping -q -c 10 -i 0.05 -W 2 "$PEER_IP" >/dev/null || fail "no ping reply before unload $n"
	rmmod re1000 || fail "rmmod failed on cycle $n"
	[ ! -e "/sys/class/net/$DUT_IF" ] || fail "$DUT_IF still exists after rmmod on cycle $n"
	insmod "$RE1000_MODULE" || fail "insmod failed on cycle $n"
	dut_up || fail "no interface with carrier after insmod on cycle $n"
	ITERATIONS=$((n + 1))
done
ok "$cycles unload/load cycles with traffic"
stress_done
