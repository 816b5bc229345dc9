# shellcheck shell=sh
# qemu/tests/lib.sh: helpers for the guest tests (sourced inside the guest).
# Every check prints what it saw; a failed check exits non-zero at once.

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

ok() {
	echo "ok: $*"
}

# in_peer CMD...: run in the peer's namespace.
in_peer() {
	ip netns exec "$PEER_NS" "$@"
}

# carrier IF: 1 or 0.
carrier() {
	cat "/sys/class/net/$1/carrier" 2>/dev/null || echo 0
}

# wait_carrier IF STATE SECONDS
wait_carrier() {
	i=0
	while [ "$(carrier "$1")" != "$2" ]; do
		i=$((i + 1))
		[ "$i" -le $(($3 * 10)) ] || return 1
		sleep 0.1
	done
}

# irq_count IF: interrupts of IF's line, summed over CPUs (0 if none).
irq_count() {
	awk -v dev="$1" '$NF == dev { s = 0; for (i = 2; i <= NF; i++) if ($i ~ /^[0-9]+$/) s += $i; else break; print s; found = 1 } END { if (!found) print 0 }' /proc/interrupts
}

# link_stat IF rx|tx packets|bytes|dropped|errors
link_stat() {
	cat "/sys/class/net/$1/statistics/$2_$3"
}

# make_payload FILE MIB: random data.
make_payload() {
	head -c "$(($2 * 1048576))" /dev/urandom >"$1"
}

# sha FILE
sha() {
	sha256sum "$1" | cut -d' ' -f1
}

# send_to_peer FILE OUT: stream FILE over TCP to the peer, which writes OUT.
send_to_peer() {
	rm -f "$2"
	in_peer socat -u TCP-LISTEN:5001,reuseaddr OPEN:"$2",creat,trunc &
	lpid=$!
	sleep 0.5
	socat -u OPEN:"$1" TCP:"$PEER_IP":5001,retry=20,interval=0.2 || return 1
	wait "$lpid"
}

# recv_from_peer FILE OUT: the peer streams FILE to us, we write OUT.
recv_from_peer() {
	rm -f "$2"
	socat -u TCP-LISTEN:5002,reuseaddr OPEN:"$2",creat,trunc &
	lpid=$!
	sleep 0.5
	in_peer socat -u OPEN:"$1" TCP:"$DUT_IP":5002,retry=20,interval=0.2 || return 1
	wait "$lpid"
}

# dut_up: after (re)loading the driver, find the interface again, address it
# and wait for carrier; sets DUT_IF.
dut_up() {
	i=0
	DUT_IF=""
	while [ -z "$DUT_IF" ]; do
		for f in /sys/class/net/*/address; do
			[ "$(cat "$f")" = "$DUT_MAC" ] && DUT_IF=$(basename "$(dirname "$f")")
		done
		i=$((i + 1))
		[ $i -le 50 ] || return 1
		[ -n "$DUT_IF" ] || sleep 0.1
	done
	ip addr add "$DUT_IP/24" dev "$DUT_IF" 2>/dev/null
	ip link set "$DUT_IF" up || return 1
	wait_carrier "$DUT_IF" 1 10
}

# model_check NAME: re1000 drives QEMU's NAME model, pings both ways and
# moves a payload intact.
model_check() {
	ethtool -i "$DUT_IF" | grep -qx "driver: re1000" || fail "re1000 does not drive the $1"
	ping -q -c 5 -i 0.1 -W 2 "$PEER_IP" >/dev/null || fail "IPv4 ping failed"
	ping -6 -q -c 5 -i 0.1 -W 2 "$PEER_IP6" >/dev/null || fail "IPv6 ping failed"
	make_payload /tmp/out.bin 8
	send_to_peer /tmp/out.bin /tmp/at-peer.bin || fail "transfer failed"
	[ "$(sha /tmp/out.bin)" = "$(sha /tmp/at-peer.bin)" ] || fail "payload corrupted"
	ok "$1: ping v4/v6 and 8 MiB intact"
}

# irq_trace_on: starts counting calls of request_threaded_irq and free_irq
# (the function tracer, filtered on the two).
irq_trace_on() {
	t=/sys/kernel/tracing
	[ -e $t/trace ] || mount -t tracefs nodev $t || fail "cannot mount tracefs"
	echo 0 >$t/tracing_on
	echo "request_threaded_irq free_irq" >$t/set_ftrace_filter ||
		fail "cannot trace request_threaded_irq and free_irq"
	echo function >$t/current_tracer || fail "no function tracer"
	echo >$t/trace
	echo 1 >$t/tracing_on
}

# irq_traced NAME: calls of NAME (request_threaded_irq, free_irq) made from
# re1000 since irq_trace_on.
irq_traced() {
	grep -c " $1 <-.*re1000" /sys/kernel/tracing/trace
}
