#!/bin/sh
# The device's received-octets counter (ethtool -S hw_rx_bytes, GORC) counts
# every byte however often it is read: while iperf3 receives for 8 s, a
# reader reads /proc/net/dev (which folds the statistics registers) as fast
# as it can, and afterwards hw_rx_bytes has grown by exactly rx_bytes plus
# 4 bytes of FCS per frame. (Reading GORC's high half, as the datasheet
# describes, clears the whole counter in QEMU: bytes received between the
# two halves' reads were lost, tens of frames in such a run.) Then GORC
# stays exact across a down/up (whose reset may zero the registers, or, on
# QEMU 7.2, leave them as they are) and no ethtool -S counter goes down.
. "$(dirname "$0")/lib.sh"

# snap: "frames bytes hw_bytes" from one ethtool -S read (the driver's
# rx_packets and rx_bytes, the device's hw_rx_bytes).
snap() {
	ethtool -S "$DUT_IF" | awk '
		$1 == "rx_packets:" { f = $2 } $1 == "rx_bytes:" { b = $2 }
		$1 == "hw_rx_bytes:" { h = $2 }
		END { if (f == "" || b == "" || h == "") exit 1; print f, b, h }'
}

# mark, then exact WHAT: hw_rx_bytes moved by rx_bytes + 4 x rx_packets
# between the two.
mark() {
	s=$(snap) || fail "ethtool -S lacks rx_packets, rx_bytes or hw_rx_bytes"
	# shellcheck disable=SC2086 # three numbers
	set -- $s
	f0=$1 b0=$2 h0=$3
}
exact() {
	what=$1
	s=$(snap) || fail "ethtool -S lacks rx_packets, rx_bytes or hw_rx_bytes"
	# shellcheck disable=SC2086 # three numbers
	set -- $s
	frames=$(($1 - f0))
	want=$(($2 - b0 + 4 * frames))
	got=$(($3 - h0))
	[ "$frames" -gt 0 ] || fail "$what: no frame received"
	[ "$got" = "$want" ] ||
		fail "$what: hw_rx_bytes moved by $got, rx_bytes + 4 x $frames frames by $want"
	ok "$what: hw_rx_bytes moved by $got = rx_bytes + 4 x $frames frames"
}

mark
in_peer iperf3 -s -1 -D >/dev/null 2>&1
sleep 0.5
iperf3 -c "$PEER_IP" -t 8 -R >/tmp/iperf.out 2>&1 &
client=$!
reads=$(python3 -c '
import os, time
end = time.monotonic() + 8
n = 0
while time.monotonic() < end:
    with open("/proc/net/dev") as f:
        f.read()
    n += 1
print(n)')
wait "$client" || { cat /tmp/iperf.out >&2; fail "iperf3 -R failed"; }
[ "$reads" -ge 500 ] || fail "only $reads reads of /proc/net/dev in 8 s"
sleep 1
exact "$reads reads during 8 s of iperf3 -R"

ethtool -S "$DUT_IF" | awk 'NR > 1 { print $1, $2 }' >/tmp/before
mark
ip link set "$DUT_IF" down
ip link set "$DUT_IF" up
wait_carrier "$DUT_IF" 1 10 || fail "no carrier after down/up"
ping -q -c 50 -i 0.02 -W 2 "$PEER_IP" >/dev/null || fail "ping lost replies after down/up"
sleep 1
exact "a down/up and 50 pings"
ethtool -S "$DUT_IF" | awk 'NR > 1 { print $1, $2 }' >/tmp/after
lower=$(awk 'NR == FNR { b[$1] = $2; next } ($1 in b) && $2 < b[$1] { print $1, b[$1], "->", $2 }' /tmp/before /tmp/after)
[ -z "$lower" ] || fail "counters went down across down/up: $lower"
[ "$(wc -l </tmp/after)" -ge 40 ] || fail "ethtool -S shows only $(wc -l </tmp/after) counters"
ok "no counter went down across down/up ($(wc -l </tmp/after) counters)"
