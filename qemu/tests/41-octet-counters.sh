#!/bin/sh
# The device's received-octets counter (GORC: ethtool -S --groups eth-mac
# OctetsReceivedOK) counts every byte however often it is read: while iperf3
# receives for 8 s, a reader reads /proc/net/dev (which folds the statistics
# registers) as fast as it can, and afterwards OctetsReceivedOK has grown by
# exactly the driver's rx_bytes (ip -s link) plus 4 bytes of FCS per frame.
# (Reading GORC's high half, as the datasheet describes, clears the whole
# counter in QEMU: bytes received between the two halves' reads were lost,
# tens of frames in such a run.) Then GORC stays exact across a down/up and
# an offline self-test: a reset may zero the registers or, on QEMU 7.2, leave
# them as they are, and the frames the self-test loops back are counted by
# the device but are not traffic.
. "$(dirname "$0")/lib.sh"

# snap: "frames bytes hw_bytes": the driver's rx_packets and rx_bytes (ip -s
# link), the device's OctetsReceivedOK (eth-mac), read again until no frame
# arrived meanwhile.
snap() {
	for _ in 1 2 3 4 5; do
		f=$(link_stat "$DUT_IF" rx packets)
		b=$(link_stat "$DUT_IF" rx bytes)
		h=$(std_stat "$DUT_IF" eth-mac OctetsReceivedOK)
		[ "$h" -ge 0 ] || return 1
		if [ "$(link_stat "$DUT_IF" rx packets)" = "$f" ]; then
			echo "$f $b $h"
			return 0
		fi
	done
	return 1
}

# mark, then exact WHAT: OctetsReceivedOK moved by rx_bytes + 4 x rx_packets
# between the two.
mark() {
	s=$(snap) || fail "no eth-mac OctetsReceivedOK, or frames kept arriving"
	# shellcheck disable=SC2086 # three numbers
	set -- $s
	f0=$1 b0=$2 h0=$3
}
exact() {
	what=$1
	s=$(snap) || fail "no eth-mac OctetsReceivedOK, or frames kept arriving"
	# shellcheck disable=SC2086 # three numbers
	set -- $s
	frames=$(($1 - f0))
	want=$(($2 - b0 + 4 * frames))
	got=$(($3 - h0))
	[ "$frames" -gt 0 ] || fail "$what: no frame received"
	[ "$got" = "$want" ] ||
		fail "$what: OctetsReceivedOK moved by $got, rx_bytes + 4 x $frames frames by $want"
	ok "$what: OctetsReceivedOK moved by $got = rx_bytes + 4 x $frames frames"
}

mark
in_peer iperf3 -s -1 -D >/dev/null 2>&1
peer_listening 5201 || fail "no iperf3 server listening on port 5201"
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
# Thousands on the default kernel; some 600 on the debug kernel next to
# other guests.
least=1000
[ "${RE1000_KERNEL:-default}" = debug ] && least=100
[ "$reads" -ge "$least" ] || fail "only $reads reads of /proc/net/dev in 8 s (at least $least)"
sleep 1
exact "$reads reads during 8 s of iperf3 -R"

mark
ip link set "$DUT_IF" down
ip link set "$DUT_IF" up
wait_carrier "$DUT_IF" 1 10 || fail "no carrier after down/up"
ethtool -t "$DUT_IF" offline >/tmp/selftest.out || {
	cat /tmp/selftest.out >&2
	fail "the offline self-test failed"
}
wait_carrier "$DUT_IF" 1 10 || fail "no carrier after the self-test"
ping -q -c 50 -i 0.02 -W 2 "$PEER_IP" >/dev/null || fail "ping lost replies after the self-test"
sleep 1
exact "a down/up, an offline self-test (its loopback frames are no traffic) and 50 pings"
