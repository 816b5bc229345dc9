#!/bin/sh
# netconsole while NAPI cannot run, behind XDP_TX frames: netpoll alone
# reclaims the transmit ring, so every message reaches the peer at once.
#
# An XDP_TX program reflects a flood from the peer. Threaded NAPI's thread,
# made SCHED_FIFO 10 on CPU 1, is then starved there by a SCHED_FIFO 50
# loop (a real-time thread, as the fair server of 6.12 and later still
# runs ordinary ones), leaving the frames of its last poll on the ring,
# sent and not reclaimed, as a panic leaves them. 100 messages follow,
# more than the 64-descriptor ring has room for, in each of three rounds
# (the flood goes on between them): netpoll's own polls
# (budget 0, interrupts off) must reclaim the ring, holding the sent
# XDP_TX pages for the next real poll since they cannot go back to their
# pool there. Before, they stopped at the first XDP_TX frame, and the
# messages behind the full ring waited for NAPI (after a panic, for ever).
. "$(dirname "$0")/lib.sh"
[ "$(nproc)" -ge 2 ] || { echo "SKIP: one CPU, nothing to starve NAPI on"; exit 0; }
build_xdp_progs || exit 0

rt=$(cat /proc/sys/kernel/sched_rt_runtime_us)
ring=$(ethtool -g "$DUT_IF" | awk '/^Current/ { c = 1 } c && $1 == "TX:" { print $2; exit }')
[ -n "$ring" ] || fail "ethtool -g shows no TX ring size"
all=0-$(($(nproc) - 1))
hog=
flood=
rpid=
napi=
affinity=/tmp/irq-affinity
: >"$affinity"
cleanup() {
	[ -z "$hog" ] || kill "$hog" 2>/dev/null
	[ -z "$flood" ] || kill "$flood" 2>/dev/null
	[ -z "$rpid" ] || kill "$rpid" 2>/dev/null
	echo "$rt" >/proc/sys/kernel/sched_rt_runtime_us
	while read -r irq mask; do
		echo "$mask" >"/proc/irq/$irq/smp_affinity" 2>/dev/null
	done <"$affinity"
	in_peer ip neigh del "$DUT_IP" dev "$PEER_IF" 2>/dev/null
	rmmod netconsole 2>/dev/null
	ip link set dev "$DUT_IF" xdpdrv off 2>/dev/null
	if [ -n "$napi" ]; then
		chrt -o -p 0 "$napi" 2>/dev/null
		taskset -p -c "$all" "$napi" >/dev/null 2>&1
	fi
	echo 0 >"/sys/class/net/$DUT_IF/threaded"
	ethtool -G "$DUT_IF" tx "$ring"
	wait_carrier "$DUT_IF" 1 10
}
trap cleanup EXIT

# This script, and what it starts, on CPU 0.
taskset -p -c 0 $$ >/dev/null || fail "cannot move the test to CPU 0"
# Every interrupt, and so every softirq (the peer's receive), on CPU 0.
for d in /proc/irq/[0-9]*; do
	m=$(cat "$d/smp_affinity" 2>/dev/null) || continue
	echo "1" >"$d/smp_affinity" 2>/dev/null && echo "${d#/proc/irq/} $m" >>"$affinity"
done

peer_mac=$(in_peer cat "/sys/class/net/$PEER_IF/address")
out=/tmp/netconsole-starved.out
rm -f "$out"
# ip netns exec, not in_peer: $! is then socat itself, which kill ends.
ip netns exec "$PEER_NS" socat -u UDP4-RECV:6666 OPEN:"$out",creat &
rpid=$!
sleep 0.5
modprobe netconsole "netconsole=6665@$DUT_IP/$DUT_IF,6666@$PEER_IP/$peer_mac" ||
	fail "netconsole did not load"

# A small transmit ring, which one poll's XDP_TX frames fill much of.
ethtool -G "$DUT_IF" tx 64 || fail "ethtool -G tx 64 failed"
wait_carrier "$DUT_IF" 1 10 || fail "no carrier after ethtool -G"
echo 1 >"/sys/class/net/$DUT_IF/threaded" || fail "cannot switch to threaded NAPI"
napi=$(pgrep -f "napi/$DUT_IF" | head -1)
[ -n "$napi" ] || fail "no napi/$DUT_IF kernel thread"
taskset -p -c 1 "$napi" >/dev/null || fail "cannot move the NAPI thread to CPU 1"
chrt -f -p 10 "$napi" || fail "cannot make the NAPI thread SCHED_FIFO"
# 7.x prints netconsole from a kernel thread: on CPU 0 too.
for t in $(pgrep '^pr/netcon'); do
	taskset -p -c 0 "$t" >/dev/null
done
ip -force link set dev "$DUT_IF" xdpdrv obj "$B/tx_swap.o" sec xdp 2>/tmp/xdp.err ||
	fail "attaching tx_swap failed: $(cat /tmp/xdp.err)"

t0=$(ethtool -S "$DUT_IF" | awk '$1 == "xdp_tx:" { print $2 }')
# The program reflects ARP too: the peer's entry for the DUT is fixed.
in_peer ip neigh replace "$DUT_IP" lladdr "$(cat "/sys/class/net/$DUT_IF/address")" \
	dev "$PEER_IF" nud permanent || fail "cannot fix the peer's neighbour entry"
# 64-byte datagrams as fast as the peer sends them (no listener needed:
# the program sends every frame back).
ip netns exec "$PEER_NS" socat -b 64 -u /dev/zero "UDP4-SENDTO:$DUT_IP:9" 2>/dev/null &
flood=$!
w=0
while :; do
	sleep 0.5
	t1=$(ethtool -S "$DUT_IF" | awk '$1 == "xdp_tx:" { print $2 }')
	[ "${t1:-0}" -lt $((${t0:-0} + 1000)) ] || break
	w=$((w + 1))
	[ $w -lt 20 ] || fail "the flood was not reflected (xdp_tx $t0 -> $t1 in 10 s)"
done
echo -1 >/proc/sys/kernel/sched_rt_runtime_us 2>/dev/null

# starved N: starves NAPI's thread, sends 100 messages tagged N, and fails
# unless all reach the peer before the thread runs again. Between the
# loop's start and its end nothing takes RTNL: with the ring stuck (the
# old cleanup) the transmit watchdog's reset holds it while napi_disable
# waits for the starved thread. Where NAPI's last poll left no sent
# XDP_TX frame at the ring's head, a round proves nothing (the old
# cleanup passed one round in three), hence three.
starved() {
	# FIFO first, then CPU 1: an ordinary task moved to CPU 1 first would
	# wait there behind the busy FIFO thread to become the hog.
	chrt -f 50 taskset -c 1 sh -c 'while :; do :; done' &
	hog=$!
	sleep 1
	ran=$(cut -d' ' -f1 "/proc/$napi/schedstat")
	[ -n "$ran" ] || fail "no /proc/$napi/schedstat"
	i=0
	while [ $i -lt 100 ]; do
		echo "<4>re1000-starved-$1-$i" >/dev/kmsg
		i=$((i + 1))
		# Paced, so that the peer's receive keeps up.
		[ $((i % 20)) != 0 ] || sleep 0.05
	done
	# Up to 4 s for the peer to have them all: under the transmit
	# watchdog's 5 s, which the old cleanup's stuck ring would trip.
	w=0
	while during=$(grep -c "re1000-starved-$1-" "$out" 2>/dev/null); [ "${during:-0}" -lt 100 ]; do
		w=$((w + 1))
		[ $w -lt 40 ] || break
		sleep 0.1
	done
	ran2=$(cut -d' ' -f1 "/proc/$napi/schedstat")
	kill "$hog"
	wait "$hog" 2>/dev/null
	hog=
	sleep 1
	[ "$ran2" = "$ran" ] || fail "round $1: NAPI was not starved: its thread ran ($ran -> $ran2 ns)"
	[ "${during:-0}" -ge 100 ] ||
		fail "round $1: only ${during:-0} of 100 messages reached the peer while NAPI could not run ($(grep -c "re1000-starved-$1-" "$out") once it ran)"
}
starved 1
starved 2
starved 3
kill "$flood" 2>/dev/null
wait "$flood" 2>/dev/null
flood=
echo "$rt" >/proc/sys/kernel/sched_rt_runtime_us
kill "$rpid" 2>/dev/null
wait "$rpid" 2>/dev/null
rpid=
t2=$(ethtool -S "$DUT_IF" | awk '$1 == "xdp_tx:" { print $2 }')
ok "3 rounds of 100 netconsole messages reached the peer while NAPI was starved behind XDP_TX frames (xdp_tx $t0 -> $t1 -> $t2)"
