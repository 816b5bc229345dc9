# shellcheck shell=sh
# qemu/stress/lib.sh: helpers for the stress scenarios (sourced inside the
# guest, on top of qemu/tests/lib.sh). STRESS_SCALE is "full" (the
# reliability issue's counts) or "short" (a few iterations, for make test).
# A scenario counts ITERATIONS and BYTES_CHECKED (bytes that crossed the link
# and were compared by sha256) and ends with stress_done, which checks that
# traffic still flows and prints the STRESS line scripts/stress reads.

# shellcheck source-path=SCRIPTDIR source=../tests/lib.sh
. "$RE1000_ROOT/qemu/tests/lib.sh"

STRESS_NAME=$(basename "$0" .sh)
STRESS_NAME=${STRESS_NAME#*-}
STRESS_SCALE=${STRESS_SCALE:-short}
ITERATIONS=0
BYTES_CHECKED=0
STRESS_EXTRA=""
case "$STRESS_SCALE" in
short | full) ;;
*) echo "FAIL: STRESS_SCALE must be short or full, not '$STRESS_SCALE'" >&2; exit 2 ;;
esac
[ "$RE1000_DRIVER" = re1000 ] || { echo "FAIL: the stress scenarios need --driver re1000" >&2; exit 2; }

# scaled FULL SHORT: the count for this scale.
scaled() {
	if [ "$STRESS_SCALE" = full ]; then echo "$1"; else echo "$2"; fi
}

stress_line() {
	echo "STRESS name=$STRESS_NAME iterations=$ITERATIONS bytes_checked=$BYTES_CHECKED$STRESS_EXTRA"
}

# fail WHY: as in qemu/tests/lib.sh, and the STRESS line of what was done.
fail() {
	echo "FAIL: $*" >&2
	stress_line
	exit 1
}

# xfer_start out|in MIB: a fresh random payload of MIB MiB goes to (out) or
# comes from (in) the peer over TCP, in the background. socat gives up after
# 60 s without progress, so a stalled link shows as a short payload rather
# than a hang.
xfer_start() {
	xfer_begin "$1" "$2" "cat /tmp/xfer-src.bin"
	XFER_SENT=/tmp/xfer-src.bin
}

# paced_start out|in MIB: the same, but the sender feeds the payload a
# quarter MiB at a time and, past the MIB MiB, goes on with it from the start
# until paced_stop: the transfer spans whatever the scenario does meanwhile.
paced_start() {
	rm -f /tmp/xfer-stop
	chunks=$(($2 * 4))
	xfer_begin "$1" "$2" "i=0; while [ \$i -lt $chunks ] || [ ! -e /tmp/xfer-stop ]; do
		dd if=/tmp/xfer-src.bin bs=256K skip=\$((i % $chunks)) count=1 status=none; sleep 0.05
		i=\$((i + 1)); done | tee /tmp/xfer-sent.bin"
	XFER_SENT=/tmp/xfer-sent.bin
}

# paced_stop: ends the sender's feed and checks the transfer (xfer_check).
paced_stop() {
	touch /tmp/xfer-stop
	xfer_check
}

# xfer_begin out|in MIB FEED: FEED (shell) writes what the sender sends.
xfer_begin() {
	XFER_DIR=$1
	make_payload /tmp/xfer-src.bin "$2"
	rm -f /tmp/xfer-dst.bin /tmp/xfer-sent.bin
	if [ "$1" = out ]; then
		in_peer socat -u -T 60 TCP-LISTEN:5101,reuseaddr OPEN:/tmp/xfer-dst.bin,creat,trunc &
		XFER_RX=$!
		sleep 0.5
		sh -c "$3 | socat -u -T 60 - TCP:$PEER_IP:5101,retry=50,interval=0.2" &
	else
		socat -u -T 60 TCP-LISTEN:5102,reuseaddr OPEN:/tmp/xfer-dst.bin,creat,trunc &
		XFER_RX=$!
		sleep 0.5
		in_peer sh -c "$3 | socat -u -T 60 - TCP:$DUT_IP:5102,retry=50,interval=0.2" &
	fi
	XFER_TX=$!
	# Connected before anything else happens: TCP takes its MSS from the
	# MTU of the moment, and a jumbo MSS would not survive a smaller MTU.
	i=0
	until [ -s /tmp/xfer-dst.bin ] || ! kill -0 "$XFER_TX" 2>/dev/null; do
		i=$((i + 1))
		[ $i -le 300 ] || fail "the transfer ($1) did not start within 30 s"
		sleep 0.1
	done
}

# xfer_running: whether the transfer is still going.
xfer_running() {
	kill -0 "$XFER_RX" 2>/dev/null
}

# xfer_check: waits for the transfer; fails unless the payload arrived intact.
xfer_check() {
	if ! wait "$XFER_TX"; then
		kill "$XFER_RX" 2>/dev/null
		link_report
		fail "the transfer ($XFER_DIR) failed"
	fi
	wait "$XFER_RX" || fail "the receiver of the transfer ($XFER_DIR) failed"
	sent=$(stat -c %s "$XFER_SENT")
	got=$(stat -c %s /tmp/xfer-dst.bin)
	if [ "$sent" != "$got" ]; then
		link_report
		fail "$got of $sent bytes ($XFER_DIR) arrived: the transfer stalled for 60 s"
	fi
	[ "$(sha "$XFER_SENT")" = "$(sha /tmp/xfer-dst.bin)" ] || fail "$sent bytes ($XFER_DIR) arrived corrupted"
	BYTES_CHECKED=$((BYTES_CHECKED + sent))
	ok "$sent bytes ($XFER_DIR) intact"
}

# link_report: what may explain a stalled transfer, on stderr.
link_report() {
	{
		echo "--- ethtool -S $DUT_IF, and its standard groups (non-zero)"
		ethtool -S "$DUT_IF" | grep -v ': 0$'
		ethtool -S "$DUT_IF" --groups eth-mac eth-ctrl rmon | grep -v ': 0$'
		ip -s link show "$DUT_IF"
		echo "--- carrier $(carrier "$DUT_IF"); ping:"
		ping -c 2 -W 2 "$PEER_IP" | tail -2
		dmesg | tail -5
	} >&2
}

# checked_transfer out|in MIB
checked_transfer() {
	xfer_start "$1" "$2"
	xfer_check
}

# iperf_start out|in: an iperf3 client sending to (out) or receiving from
# (in) the peer in the background, each with its own server, until
# iperf_stop, which ends them all and fails if one had already stopped.
# Full scale sends as fast as it can; the short slice at 50 Mbit/s, which
# leaves the guest's (emulated) CPUs enough time for everything else.
# The receiving end waits up to IPERF_IDLE_MS for data, about as long as
# TCP itself keeps a connection whose segments go unanswered (tcp_retries2:
# about 15 minutes), instead of iperf3's 120 s: a flow backed off to TCP's
# longest retransmission timeout (120 s) while the link was down is alive.
IPERF_PIDS=""
IPERF_PORT=5201
IPERF_IDLE_MS=900000
iperf_start() {
	in_peer iperf3 -s -D -p "$IPERF_PORT" --rcv-timeout "$IPERF_IDLE_MS" >/dev/null 2>&1
	peer_listening "$IPERF_PORT" || fail "no iperf3 server listening on port $IPERF_PORT"
	rev=""
	[ "$1" = in ] && rev="-R --rcv-timeout $IPERF_IDLE_MS"
	# shellcheck disable=SC2086 # $rev: empty or three words
	iperf3 -c "$PEER_IP" -p "$IPERF_PORT" -t 86400 -b "$(scaled 0 50M)" $rev \
		--forceflush >/tmp/iperf3-$IPERF_PORT.log 2>&1 &
	IPERF_PIDS="$IPERF_PIDS $!"
	IPERF_PORT=$((IPERF_PORT + 1))
}

# iperf_resumed SECONDS: every client iperf_start started reports data
# moving (an interval with a non-zero transfer) in a line it writes from
# now on, within SECONDS.
iperf_resumed() {
	end=$(($(date +%s) + $1))
	port=5201
	while [ "$port" -lt "$IPERF_PORT" ]; do
		wc -l </tmp/iperf3-$port.log >/tmp/iperf3-$port.seen
		port=$((port + 1))
	done
	port=5201
	while [ "$port" -lt "$IPERF_PORT" ]; do
		log=/tmp/iperf3-$port.log
		seen=$(cat /tmp/iperf3-$port.seen)
		until tail -n +"$((seen + 1))" "$log" |
			awk '$4 == "sec" && $5 != "0.00" { f = 1 } END { exit !f }'; do
			[ "$(date +%s)" -lt "$end" ] ||
				fail "iperf3 on port $port moved no data within $1 s: $(tail -n 1 "$log")"
			sleep 1
		done
		port=$((port + 1))
	done
}

iperf_stop() {
	for p in $IPERF_PIDS; do
		kill -0 "$p" 2>/dev/null || {
			cat /tmp/iperf3-*.log >&2
			fail "an iperf3 client stopped before the end"
		}
	done
	pkill -x iperf3
	for p in $IPERF_PIDS; do wait "$p" 2>/dev/null; done
	IPERF_PIDS=""
}

# stress_done: traffic still flows (ping and a checked transfer each way),
# then the STRESS line.
stress_done() {
	ping -q -c 5 -i 0.2 -W 3 "$PEER_IP" >/dev/null || fail "no ping reply at the end"
	checked_transfer out "$(scaled 16 2)"
	checked_transfer in "$(scaled 16 2)"
	ok "traffic flows at the end"
	stress_line
}
