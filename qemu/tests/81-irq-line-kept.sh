#!/bin/sh
# The interrupt line is requested at open and freed at stop, and held in
# between, as the C driver does: a ring resize, an MTU change and a
# renegotiation (ethtool -r) rebuild the rings on the line the interface
# holds, so that nothing that allocates (request_irq) stands between the old
# rings going and the new ones starting. Counted with the function tracer on
# request_threaded_irq and free_irq called from re1000; each change must
# show that it rebuilt the rings (carrier off and on), and a down/up must
# show in the same count (else the tracer sees nothing and the first check
# proves nothing).
. "$(dirname "$0")/lib.sh"
alive() {
	ping -q -c 3 -i 0.2 -W 3 "$PEER_IP" >/dev/null || fail "no traffic after $1"
}
# rebuilt STEP COMMAND...: runs COMMAND, which must rebuild the rings: the
# carrier goes off and on again (two carrier changes at least).
rebuilt() {
	step=$1
	shift
	c0=$(cat "/sys/class/net/$DUT_IF/carrier_changes")
	"$@" || fail "$step failed"
	wait_carrier "$DUT_IF" 1 10 || fail "no carrier after $step"
	c1=$(cat "/sys/class/net/$DUT_IF/carrier_changes")
	[ "$c1" -ge $((c0 + 2)) ] || fail "$step did not rebuild the rings (carrier changes $c0 -> $c1)"
}
irq_trace_on
rebuilt "ethtool -G rx 512 tx 128" ethtool -G "$DUT_IF" rx 512 tx 128
rebuilt "MTU 4000" ip link set "$DUT_IF" mtu 4000
rebuilt "ethtool -r" ethtool -r "$DUT_IF"
rebuilt "MTU 1500" ip link set "$DUT_IF" mtu 1500
rebuilt "ethtool -G rx 256 tx 256" ethtool -G "$DUT_IF" rx 256 tx 256
requested=$(irq_traced request_threaded_irq)
freed=$(irq_traced free_irq)
[ "$requested" = 0 ] && [ "$freed" = 0 ] ||
	fail "ring/MTU changes and ethtool -r requested the line $requested times, freed it $freed times"
alive "the ring, MTU and renegotiation changes"
ok "2 ring resizes, 2 MTU changes and ethtool -r kept the interrupt line"

irq_trace_on
ip link set "$DUT_IF" down
ip link set "$DUT_IF" up
wait_carrier "$DUT_IF" 1 10 || fail "no carrier after down/up"
requested=$(irq_traced request_threaded_irq)
freed=$(irq_traced free_irq)
[ "$requested" -ge 1 ] && [ "$freed" -ge 1 ] ||
	fail "down/up: request_threaded_irq traced $requested times, free_irq $freed times (the tracer misses them)"
alive "down/up"
ok "down/up freed and requested the line (free_irq $freed, request_threaded_irq $requested)"
