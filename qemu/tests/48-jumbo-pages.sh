#!/bin/sh
# Jumbo frames are received into 4096-byte buffers in order-1 pages, chained across
# descriptors, not into one contiguous buffer per descriptor (16 KiB at MTU
# 9000, an order-3 atomic allocation each). At MTU 9000 both ways, with
# every atomic page allocation of order 3 or more failing (fail_page_alloc min-order 3),
# pings of 8972 bytes with DF are answered, 32 MiB cross each way intact
# (sha256) and no receive buffer allocation fails (rx-alloc-fail of the
# queue statistics).
. "$(dirname "$0")/lib.sh"
F=/sys/kernel/debug/fail_page_alloc
[ -d $F ] || mount -t debugfs nodev /sys/kernel/debug 2>/dev/null
[ -d $F ] || fail "no fail_page_alloc in debugfs (CONFIG_FAIL_PAGE_ALLOC)"
stop_injection() {
	echo 0 >$F/probability
}
trap stop_injection EXIT

# xfer in|out FILE OUT: a TCP transfer that gives up after 60 s.
xfer() {
	rm -f "$3"
	if [ "$1" = in ]; then
		socat -u TCP-LISTEN:5002,reuseaddr OPEN:"$3",creat,trunc &
		lpid=$!
		sleep 0.5
		timeout 60 ip netns exec "$PEER_NS" socat -u OPEN:"$2" TCP:"$DUT_IP":5002,retry=20,interval=0.2
	else
		ip netns exec "$PEER_NS" socat -u TCP-LISTEN:5001,reuseaddr OPEN:"$3",creat,trunc &
		lpid=$!
		sleep 0.5
		timeout 60 socat -u OPEN:"$2" TCP:"$PEER_IP":5001,retry=20,interval=0.2
	fi
	rc=$?
	sleep 1
	kill "$lpid" 2>/dev/null
	wait "$lpid" 2>/dev/null
	return $rc
}

ip link set "$DUT_IF" mtu 9000 || fail "MTU 9000 refused"
in_peer ip link set "$PEER_IF" mtu 9000 || fail "peer MTU 9000 refused"
wait_carrier "$DUT_IF" 1 10 || fail "no carrier after the MTU change"
make_payload /tmp/out.bin 32

echo 0 >$F/probability
echo N >$F/task-filter
echo Y >$F/ignore-gfp-wait
echo 3 >$F/min-order
echo 1 >$F/interval
echo 0 >$F/space
echo 0 >$F/verbose
echo -1 >$F/times
alloc0=$(qstat "$DUT_IF" rx-alloc-fail)
[ "$alloc0" -ge 0 ] || fail "the queue statistics (ynl qstats-get) have no rx-alloc-fail"
echo 100 >$F/probability

ping -q -c 5 -i 0.2 -W 3 -M do -s 8972 "$PEER_IP" >/tmp/ping.out ||
	{ cat /tmp/ping.out; fail "ping -M do -s 8972 lost replies"; }
ok "ping -M do -s 8972 answered"
xfer in /tmp/out.bin /tmp/got.bin || fail "receiving 32 MiB at MTU 9000 failed or stalled ($(stat -c %s /tmp/got.bin 2>/dev/null) bytes arrived)"
[ "$(sha /tmp/out.bin)" = "$(sha /tmp/got.bin)" ] || fail "payload corrupted on the way in"
ok "32 MiB received intact at MTU 9000"
xfer out /tmp/out.bin /tmp/at-peer.bin || fail "sending 32 MiB at MTU 9000 failed or stalled"
[ "$(sha /tmp/out.bin)" = "$(sha /tmp/at-peer.bin)" ] || fail "payload corrupted on the way out"
ok "32 MiB sent intact at MTU 9000"
stop_injection
alloc=$(($(qstat "$DUT_IF" rx-alloc-fail) - alloc0))
echo "with order >= 3 atomic allocations failing: rx-alloc-fail +$alloc"
[ "$alloc" -eq 0 ] || fail "receive buffer allocations failed ($alloc) with only order >= 3 failing"
ok "no receive buffer needed an order-3 allocation"
ip link set "$DUT_IF" mtu 1500
in_peer ip link set "$PEER_IF" mtu 1500
