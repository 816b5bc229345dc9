#!/bin/sh
# Flow control is settled again when the link comes up (negotiated, or as
# forced while it was down); `ethtool -s advertise` reaches the PHY (ANAR and
# CTRL1000 in the register dump), is reported back, renegotiates and the link
# returns; modes the PHY lacks are refused; a reload advertises every mode.
. "$(dirname "$0")/lib.sh"
alive() {
	ping -q -c 3 -i 0.2 -W 3 "$PEER_IP" >/dev/null || fail "no traffic after $1"
}
# reg OFFSET: a word of the ethtool -d dump (MAC registers, then the PHY's).
reg() {
	ethtool -d "$DUT_IF" raw on | od -An -tx4 -j "$1" -N 4 | tr -d ' '
}
# fc: CTRL.RFCE (1) and CTRL.TFCE (2) as the device has them.
fc() {
	echo $((0x$(reg 0) >> 27 & 3))
}
# ups: how many link-up messages the kernel log has.
ups() {
	dmesg | grep -cE "$DUT_IF:? NIC Link is Up"
}
# up_fc: the flow control of the latest link-up message.
up_fc() {
	dmesg | grep -E "$DUT_IF:? NIC Link is Up" | tail -1 | sed 's/.*Flow Control: //'
}
# link_off, link_on: pull the cable and plug it back (autonegotiation
# completes 0.5 s after set_link on).
link_off() {
	qemu-monitor "set_link dut off" >/dev/null || fail "set_link off failed"
	wait_carrier "$DUT_IF" 0 10 || fail "carrier still on after set_link off"
}
link_on() {
	n=$(ups)
	qemu-monitor "set_link dut on" >/dev/null || fail "set_link on failed"
	wait_carrier "$DUT_IF" 1 10 || fail "no carrier after set_link on"
	[ "$(ups)" -gt "$n" ] || fail "no link-up message"
}
# advertised: ethtool's "Advertised link modes", on one line.
advertised() {
	ethtool "$DUT_IF" | awk '/Advertised link modes:/ {on = 1; sub(/.*modes:/, ""); printf "%s", $0; next}
		on && /:/ {exit} on {printf " %s", $0}' | xargs
}

# QEMU's link partner advertises no pause ability: negotiated flow control
# is none (IEEE 802.3 table 28B-3), whenever the link comes up.
[ "$(fc)" = 0 ] || fail "negotiated flow control at open is not none: CTRL=0x$(reg 0)"
link_off
ethtool -A "$DUT_IF" autoneg on rx on tx on || fail "ethtool -A autoneg on rx on tx on failed"
link_on
[ "$(up_fc)" = None ] || fail "link up with flow control '$(up_fc)', not the negotiated None"
[ "$(fc)" = 0 ] || fail "CTRL.RFCE/TFCE set after negotiating none: CTRL=0x$(reg 0)"
ethtool -a "$DUT_IF" >/tmp/pause
grep -q "^RX:[[:space:]]*off" /tmp/pause && grep -q "^TX:[[:space:]]*off" /tmp/pause ||
	fail "ethtool -a after negotiation: $(cat /tmp/pause)"
alive "negotiating flow control on link-up"
ok "asked for pause with the link down: the link came up with the negotiated none"

# Forced while the link is down: in force when it comes up.
link_off
ethtool -A "$DUT_IF" autoneg off rx on tx off || fail "ethtool -A autoneg off rx on tx off failed"
link_on
[ "$(up_fc)" = RX ] || fail "link up with flow control '$(up_fc)', not the forced RX"
[ "$(fc)" = 1 ] || fail "CTRL.RFCE/TFCE not RX only after link-up: CTRL=0x$(reg 0)"
link_off
ethtool -A "$DUT_IF" autoneg off rx off tx on || fail "ethtool -A autoneg off rx off tx on failed"
link_on
[ "$(up_fc)" = TX ] || fail "link up with flow control '$(up_fc)', not the forced TX"
[ "$(fc)" = 2 ] || fail "CTRL.RFCE/TFCE not TX only after link-up: CTRL=0x$(reg 0)"
alive "forcing flow control across link changes"
ethtool -A "$DUT_IF" autoneg on rx on tx on || fail "ethtool -A autoneg on failed"
wait_carrier "$DUT_IF" 1 10 || fail "no carrier after renegotiating flow control"
[ "$(fc)" = 0 ] || fail "flow control not back to negotiated none: CTRL=0x$(reg 0)"
ok "forced flow control set with the link down is in force when it comes up (RX, then TX)"

# Advertised modes: every one by default, in the PHY as in ethtool.
all="10baseT/Half 10baseT/Full 100baseT/Half 100baseT/Full 1000baseT/Full"
[ "$(advertised)" = "$all" ] || fail "advertised by default: $(advertised)"
[ $((0x$(reg 108) & 0x1e0)) = $((0x1e0)) ] || fail "ANAR by default: 0x$(reg 108)"
[ $((0x$(reg 116) & 0x300)) = $((0x200)) ] || fail "CTRL1000 by default: 0x$(reg 116)"
n=$(ups)
ethtool -s "$DUT_IF" advertise 0x008 || fail "advertise 0x008 (100baseT/Full) refused"
[ "$(advertised)" = 100baseT/Full ] || fail "advertised after advertise 0x008: $(advertised)"
[ $((0x$(reg 108) & 0x1e0)) = $((0x100)) ] || fail "ANAR after advertise 0x008: 0x$(reg 108)"
[ $((0x$(reg 116) & 0x300)) = 0 ] || fail "CTRL1000 after advertise 0x008: 0x$(reg 116)"
wait_carrier "$DUT_IF" 1 10 || fail "no carrier after advertising 100baseT/Full"
[ "$(ups)" -gt "$n" ] || fail "advertise 0x008 did not renegotiate (no new link-up message)"
ethtool "$DUT_IF" | grep -q "Auto-negotiation: on" || fail "autonegotiation not on"
alive "advertising 100baseT/Full"
ok "advertise 0x008: ethtool shows 100baseT/Full, ANAR 0x$(reg 108), CTRL1000 0x$(reg 116), link back"

# Modes the PHY lacks: refused, nothing changes.
for bad in 0x010 0x1000 0x800000000000; do
	if ethtool -s "$DUT_IF" advertise $bad 2>/tmp/err; then
		fail "advertise $bad accepted (advertised: $(advertised))"
	fi
	grep -qi "invalid argument" /tmp/err || fail "advertise $bad: $(cat /tmp/err)"
done
[ "$(advertised)" = 100baseT/Full ] || fail "advertised after refused requests: $(advertised)"
[ $((0x$(reg 108) & 0x1e0)) = $((0x100)) ] || fail "ANAR after refused requests: 0x$(reg 108)"
ok "1000baseT/Half, 10000baseT/Full and 2500baseT/Full refused (EINVAL)"
# No speed at all (only the autoneg and TP bits, as the kernel's
# drivers/net/hw/ethtool.sh asks when the peer has no modes): every speed,
# as the C driver.
ethtool -s "$DUT_IF" advertise 0x0c0 || fail "advertise 0x0c0 (no speed) refused"
wait_carrier "$DUT_IF" 1 10 || fail "no carrier after advertising no speed"
[ "$(advertised)" = "$all" ] ||
	fail "advertise 0x0c0 advertises $(advertised), not every speed"
ok "advertise 0x0c0 (no speed): every speed advertised, as the C driver"

# Several modes; then a reload, which advertises every mode again (the PHY
# keeps its registers across it).
ethtool -s "$DUT_IF" advertise 0x022 || fail "advertise 0x022 refused"
[ "$(advertised)" = "10baseT/Full 1000baseT/Full" ] || fail "advertised after 0x022: $(advertised)"
[ $((0x$(reg 108) & 0x1e0)) = $((0x040)) ] || fail "ANAR after advertise 0x022: 0x$(reg 108)"
[ $((0x$(reg 116) & 0x300)) = $((0x200)) ] || fail "CTRL1000 after advertise 0x022: 0x$(reg 116)"
wait_carrier "$DUT_IF" 1 10 || fail "no carrier after advertising 0x022"
if [ "$RE1000_DRIVER" = re1000 ]; then
	rmmod re1000 || fail "rmmod failed"
	insmod "$RE1000_MODULE" || fail "insmod failed"
	dut_up || fail "no carrier after reload"
	[ "$(advertised)" = "$all" ] || fail "advertised after reload: $(advertised)"
	[ $((0x$(reg 108) & 0x1e0)) = $((0x1e0)) ] || fail "ANAR after reload: 0x$(reg 108)"
	[ $((0x$(reg 116) & 0x300)) = $((0x200)) ] || fail "CTRL1000 after reload: 0x$(reg 116)"
	alive "reload"
	ok "after a reload every mode is advertised again (ANAR 0x$(reg 108))"
fi
