#!/bin/sh
# Adaptive interrupt moderation follows the traffic, as `ethtool -c` shows it:
# bulk traffic gets an interval sized to its own ring (receive: 1050 us with
# the default 256 buffers, 4000 us with 1024; transmit: 1050 us with the
# default 256 descriptors), and a few pings bring it back to low latency
# (hw/itr.rs).
. "$(dirname "$0")/lib.sh"

usecs() {
	ethtool -c "$DUT_IF" | awk '$1 == "rx-usecs:" { print $2 }'
}

# during NAME WANT HITS IPERF-ARGS...: run iperf3 for 12 s and read rx-usecs
# five times in its middle; at least HITS readings must be WANT. (While each
# interrupt finds only a few frames, as at the start of a transfer on the
# debug kernel, the class stays at low latency, as in the C driver.)
during() {
	name=$1
	want=$2
	need=$3
	shift 3
	in_peer iperf3 -s -1 -D >/dev/null 2>&1
	peer_listening 5201 || fail "no iperf3 server listening on port 5201"
	iperf3 -c "$PEER_IP" -t 12 "$@" >/tmp/iperf.out 2>&1 &
	pid=$!
	sleep 2
	seen=""
	for _ in 1 2 3 4 5; do
		seen="$seen $(usecs)"
		sleep 1
	done
	wait "$pid" || fail "$name: iperf3 failed: $(tail -3 /tmp/iperf.out)"
	hits=$(echo "$seen" | tr ' ' '\n' | grep -cx "$want")
	[ "$hits" -ge "$need" ] || fail "$name: rx-usecs read$seen, wanted $want at least $need times"
	ok "$name: rx-usecs$seen"
}

# back_to_low_latency: after ten pings the interval is at most 50 us.
back_to_low_latency() {
	ping -q -c 10 -i 0.2 -W 2 "$PEER_IP" >/dev/null || fail "ping lost replies"
	now=$(usecs)
	[ "${now:-9999}" -le 50 ] || fail "after pings rx-usecs is ${now:-unknown}, not <= 50"
	ok "after pings: rx-usecs $now"
}

ethtool -c "$DUT_IF" | grep -q "Adaptive RX: on" || fail "adaptive-rx is not on by default"
if [ "${RE1000_KERNEL:-default}" = debug ]; then
	# Under TCG the debug kernel's peer sends some 10 Mbit/s in bursts after
	# its first seconds, with either driver (reliability.rst): no bulk.
	ok "debug kernel: no bulk traffic to classify, pings only"
	back_to_low_latency
	exit 0
fi
during "bulk receive, 256 buffers (the default)" 1050 3 -R
back_to_low_latency
ethtool -G "$DUT_IF" rx 1024 || fail "ethtool -G rx 1024 failed"
wait_carrier "$DUT_IF" 1 10 || fail "no carrier after ethtool -G"
during "bulk receive, 1024 buffers" 4000 3 -R
back_to_low_latency
# Transmit (the receive ring still at 1024, so that its interval differs): a
# polling stretch that reclaimed only a short frame leaves bulk for a while
# (as in the C driver), so most readings, and none at 4000.
during "bulk transmit" 1050 3
case " $seen " in *" 4000 "*) fail "bulk transmit was given the receive interval:$seen" ;; esac
back_to_low_latency
ethtool -G "$DUT_IF" rx 256 || fail "ethtool -G rx 256 failed"
wait_carrier "$DUT_IF" 1 10 || fail "no carrier after ethtool -G"
