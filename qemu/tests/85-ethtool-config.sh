#!/bin/sh
# ethtool configuration while the interface is up: ring sizes, link settings,
# register and EEPROM dumps, message level, pause, interrupt coalescing and
# renegotiation; traffic goes on after each change.
. "$(dirname "$0")/lib.sh"
alive() {
	ping -q -c 3 -i 0.2 -W 3 "$PEER_IP" >/dev/null || fail "no traffic after $1"
}
ethtool "$DUT_IF" >/tmp/link || fail "ethtool failed"
grep -q "Speed: 1000Mb/s" /tmp/link || fail "link speed: $(grep Speed /tmp/link)"
grep -q "Duplex: Full" /tmp/link || fail "duplex: $(grep Duplex /tmp/link)"
grep -q "Auto-negotiation: on" /tmp/link || fail "autonegotiation not reported on"
ok "link settings: 1000Mb/s full duplex, autonegotiation on"

ethtool -G "$DUT_IF" rx 512 tx 128 || fail "ethtool -G failed"
ethtool -g "$DUT_IF" >/tmp/ring
cur=$(awk '/^Current/ {c=1} c && /^RX:/ {print $2} c && /^TX:/ {print $2; exit}' /tmp/ring | tr '\n' ' ')
[ "$cur" = "512 128 " ] || fail "rings after -G rx 512 tx 128: $cur"
wait_carrier "$DUT_IF" 1 10 || fail "no carrier after the ring resize"
alive "ring resize"
ethtool -G "$DUT_IF" rx 100 tx 4096 || fail "ethtool -G rx 100 tx 4096 failed"
cur=$(ethtool -g "$DUT_IF" | awk '/^Current/ {c=1} c && /^RX:/ {print $2} c && /^TX:/ {print $2; exit}' | tr '\n' ' ')
[ "$cur" = "104 4096 " ] || fail "rings after -G rx 100 tx 4096 (rounded to 8): $cur"
if ethtool -G "$DUT_IF" rx 0 2>/dev/null; then fail "a ring of 0 was accepted"; fi
ethtool -G "$DUT_IF" rx 256 tx 256 || fail "restoring the rings failed"
wait_carrier "$DUT_IF" 1 10 || fail "no carrier after restoring the rings"
alive "restoring the rings"
ok "ring sizes change while up (rounded and clamped as the C driver)"

ethtool -d "$DUT_IF" >/tmp/regs || fail "ethtool -d failed"
[ "$(wc -l </tmp/regs)" -gt 3 ] || fail "ethtool -d printed $(wc -l </tmp/regs) lines"
ethtool -e "$DUT_IF" length 6 >/tmp/ee || fail "ethtool -e failed"
grep -q "52 54 00 12 34 56" /tmp/ee || fail "EEPROM does not start with the MAC: $(cat /tmp/ee)"
ok "register dump and EEPROM (MAC at offset 0)"

ethtool -s "$DUT_IF" msglvl 0x15 || fail "setting msglvl failed"
ethtool "$DUT_IF" | grep -q "0x00000015" || fail "msglvl not reported back"
ethtool -a "$DUT_IF" >/tmp/pause || fail "ethtool -a failed"
ok "message level and pause parameters"

ethtool -C "$DUT_IF" adaptive-rx off rx-usecs 100 || fail "ethtool -C failed"
ethtool -c "$DUT_IF" >/tmp/coal
grep -q "rx-usecs:.*100" /tmp/coal || fail "rx-usecs not 100: $(grep rx-usecs /tmp/coal)"
grep -q "Adaptive RX: off" /tmp/coal || fail "adaptive rx not off"
alive "fixed coalescing"
ethtool -C "$DUT_IF" adaptive-rx on || fail "re-enabling adaptive-rx failed"
ok "interrupt coalescing (which the C driver refuses on this device)"

ethtool -r "$DUT_IF" || fail "ethtool -r failed"
wait_carrier "$DUT_IF" 1 10 || fail "no carrier after renegotiation"
alive "renegotiation"
ok "renegotiation"

ethtool -K "$DUT_IF" rx-all on || fail "rx-all on failed"
ethtool -k "$DUT_IF" | grep -q "rx-all: on" || fail "rx-all not reported on"
sleep 1.5
alive "rx-all on"
ethtool -K "$DUT_IF" rx-all off rx-fcs on || fail "rx-fcs on failed"
ethtool -k "$DUT_IF" | grep -q "rx-fcs: on" || fail "rx-fcs not reported on"
sleep 1.5
alive "rx-fcs on"
ethtool -K "$DUT_IF" rx-fcs off
sleep 1.5
alive "rx-fcs off"
ok "rx-all and rx-fcs toggle with traffic flowing"
