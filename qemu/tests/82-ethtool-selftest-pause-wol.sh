#!/bin/sh
# ethtool -t (offline and online), -A flow control, Wake-on-LAN, -p LED
# identification and tx-usecs: each reports what it did and traffic goes on.
. "$(dirname "$0")/lib.sh"
alive() {
	ping -q -c 3 -i 0.2 -W 3 "$PEER_IP" >/dev/null || fail "no traffic after $1"
}
# result NAME FILE: the value ethtool -t printed for test NAME.
result() {
	awk -v n="$1" 'index($0, n) == 1 {print $NF}' "$2"
}
# reg OFFSET: a register from the ethtool -d dump (raw, 32-bit words).
reg() {
	ethtool -d "$DUT_IF" raw on | od -An -tx4 -j "$1" -N 4 | tr -d ' '
}

irq0=$(irq_count "$DUT_IF")
ethtool -t "$DUT_IF" offline >/tmp/t-off
st=$?
cat /tmp/t-off
[ "$st" -eq 0 ] && grep -q "result is PASS" /tmp/t-off || fail "offline self-test did not pass"
for t in "Register test" "Eeprom test" "Interrupt test" "Loopback test" "Link test"; do
	[ "$(result "$t" /tmp/t-off)" = 0 ] || fail "$t: $(result "$t" /tmp/t-off)"
done
irq1=$(irq_count "$DUT_IF")
wait_carrier "$DUT_IF" 1 10 || fail "no carrier after the offline self-test"
alive "the offline self-test"
# The interrupt test raises six causes on the line, the loopback test sends
# 32 frames through the PHY: both leave marks the user can see.
[ "$irq1" -ge $((irq0 + 6)) ] || fail "interrupt test raised no interrupts: $irq0 -> $irq1"
grep -q "Loopback test" /tmp/t-off || fail "no loopback result"
ok "offline self-test passes (interrupts on the line $irq0 -> $irq1), traffic resumes"

ethtool -t "$DUT_IF" online >/tmp/t-on || fail "online self-test failed: $(cat /tmp/t-on)"
[ "$(result "Link test" /tmp/t-on)" = 0 ] || fail "online link test"
ok "online self-test passes"

# With the cable pulled the link and loopback tests must fail, and say so.
qemu-monitor "set_link dut off" >/dev/null
wait_carrier "$DUT_IF" 0 10 || fail "carrier stayed on with the link off"
if ethtool -t "$DUT_IF" offline >/tmp/t-down; then fail "self-test passed with no link"; fi
cat /tmp/t-down
[ "$(result "Link test" /tmp/t-down)" != 0 ] || fail "link test passed with no link"
[ "$(result "Register test" /tmp/t-down)" = 0 ] || fail "register test failed with no link"
qemu-monitor "set_link dut on" >/dev/null
wait_carrier "$DUT_IF" 1 10 || fail "no carrier after the link came back"
alive "the link coming back"
ok "self-test reports FAIL with the link down (link test $(result "Link test" /tmp/t-down))"

ethtool -A "$DUT_IF" autoneg off rx on tx on || fail "ethtool -A rx on tx on failed"
ethtool -a "$DUT_IF" >/tmp/pause
grep -q "^RX:[[:space:]]*on" /tmp/pause && grep -q "^TX:[[:space:]]*on" /tmp/pause ||
	fail "forced pause not reported: $(cat /tmp/pause)"
ctrl=$(reg 0)
[ $((0x$ctrl >> 27 & 3)) -eq 3 ] || fail "CTRL.RFCE/TFCE not set: CTRL=0x$ctrl"
alive "forcing flow control"
ethtool -A "$DUT_IF" autoneg off rx off tx off || fail "ethtool -A off failed"
ethtool -a "$DUT_IF" | grep -q "^RX:[[:space:]]*off" || fail "rx pause still on"
ctrl=$(reg 0)
[ $((0x$ctrl >> 27 & 3)) -eq 0 ] || fail "CTRL.RFCE/TFCE still set: CTRL=0x$ctrl"
ethtool -A "$DUT_IF" autoneg on rx on tx on || fail "ethtool -A autoneg on failed"
ethtool -a "$DUT_IF" | grep -q "^Autonegotiate:[[:space:]]*on" || fail "pause autoneg not on"
wait_carrier "$DUT_IF" 1 10 || fail "no carrier after renegotiating flow control"
alive "renegotiating flow control"
ok "flow control: forced on and off land in CTRL, autonegotiated: $(ethtool -a "$DUT_IF" | awk '/^RX:|^TX:/ {printf "%s%s ", $1, $2}')"

ethtool "$DUT_IF" >/tmp/link
grep -q "Supports Wake-on: umbg" /tmp/link || fail "WoL support: $(grep Wake /tmp/link)"
grep -q "Wake-on: d" /tmp/link || fail "WoL state: $(grep Wake /tmp/link)"
# Whether the platform can wake the device: the PM core shows power/wakeup
# only then (QEMU's pc machine: no; q35, behind a PCIe root port: yes).
wakeup=/sys/class/net/$DUT_IF/device/power/wakeup
if [ -e "$wakeup" ]; then
	ethtool -s "$DUT_IF" wol g || fail "wol g refused on a device the platform can wake"
	ethtool "$DUT_IF" | grep -q "Wake-on: g" || fail "wol g not reported: $(ethtool "$DUT_IF" | grep Wake)"
	[ "$(cat "$wakeup")" = enabled ] || fail "wol g armed but $wakeup says $(cat "$wakeup")"
	ethtool -s "$DUT_IF" wol d || fail "wol d refused"
	ethtool "$DUT_IF" | grep -q "Wake-on: d" || fail "wol d not reported"
	[ "$(cat "$wakeup")" = disabled ] || fail "wol d but $wakeup says $(cat "$wakeup")"
	ok "Wake-on-LAN: umbg reported, g armed and disarmed (power/wakeup follows)"
else
	if ethtool -s "$DUT_IF" wol g 2>/tmp/wol; then
		fail "wol g accepted on a device the platform cannot wake"
	fi
	grep -q "not supported" /tmp/wol || fail "wol g: $(cat /tmp/wol)"
	ethtool -s "$DUT_IF" wol d || fail "wol d refused"
	ok "Wake-on-LAN: umbg reported, arming refused as the C driver does here (no PME)"
fi

led0=$(reg 96)
ethtool -p "$DUT_IF" 1 || fail "ethtool -p failed"
[ "$(reg 96)" = "$led0" ] || fail "LEDCTL not restored: $led0 -> $(reg 96)"
ok "ethtool -p blinks and restores LEDCTL ($led0)"

ethtool -c "$DUT_IF" | grep -q "^tx-usecs:[[:space:]]*0$" || fail "tx-usecs not 0 by default"
ethtool -C "$DUT_IF" tx-usecs 50 || fail "tx-usecs 50 refused"
ethtool -c "$DUT_IF" | grep -q "^tx-usecs:[[:space:]]*50" || fail "tx-usecs not 50"
# (QEMU keeps no TIDV: it reads back 0; TADV is emulated.)
[ "$(reg 92)" = "000000c8" ] || fail "TADV not 4 x 50: $(reg 92)"
in_peer iperf3 -s -1 -D >/dev/null 2>&1
peer_listening 5201 || fail "no iperf3 server listening on port 5201"
iperf3 -c "$PEER_IP" -t 2 >/tmp/ip || fail "iperf3 with tx-usecs 50 failed"
ethtool -C "$DUT_IF" tx-usecs 0 || fail "tx-usecs 0 refused"
if ethtool -C "$DUT_IF" tx-usecs 70000 2>/dev/null; then fail "tx-usecs 70000 accepted"; fi
alive "tx-usecs changes"
ethtool -C "$DUT_IF" tx-usecs 8 || fail "tx-usecs 8 (the C driver's delay) refused"
ethtool -C "$DUT_IF" tx-usecs 0 || fail "tx-usecs 0 (the default) refused"
ok "tx-usecs sets TIDV/TADV, traffic flows with IDE on and off"
