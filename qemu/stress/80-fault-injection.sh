#!/bin/sh
# fault-injection: allocations fail (failslab, fail_page_alloc) while
# re1000 probes (bind, as insmod does), opens (ip link set up) and resizes
# its rings (ethtool -G): full: 50 systematic attempts (the N-th allocation
# fails) and 50 random ones (probability 10..100 %, times 1, only the task
# that makes the call: task-filter and make-it-fail) for each; see
# inject.py. Every attempt succeeds or fails cleanly; with injection off a
# retry succeeds and traffic flows. Then RX refill, which runs in softirq:
# a window of random failures of atomic allocations for every task during
# a ping flood from the peer; rx-alloc-fail (queue statistics) moves,
# traffic recovers.
# ITERATIONS counts the attempts; faults_injected the failures that hit.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
F=/sys/kernel/debug
{ [ -d $F/failslab ] && [ -d $F/fail_page_alloc ]; } ||
	fail "no failslab or fail_page_alloc in debugfs (CONFIG_FAILSLAB, CONFIG_FAIL_PAGE_ALLOC, CONFIG_FAULT_INJECTION_DEBUG_FS)"
nth=$(scaled 50 6)
random=$(scaled 50 2)
window=$(scaled 10 2)
injected=0
addr=$(basename "$(readlink "/sys/class/net/$DUT_IF/device")")

# inject OP TARGET: inject.py's attempts; counts them and the failures that
# hit. An attempt that left an inconsistent state is a driver bug: noted,
# and the scenario fails at the end (the other operations run meanwhile).
problems=""
inject() {
	python3 "$(dirname "$0")/inject.py" "$1" "$2" "$nth" "$random" >"/tmp/inject-$1.out" 2>&1
	rc=$?
	cat "/tmp/inject-$1.out"
	last=$(tail -1 "/tmp/inject-$1.out")
	case "$last" in
	"inject op=$1 "*) ;;
	*) fail "inject.py $1 did not finish (status $rc)" ;;
	esac
	ITERATIONS=$((ITERATIONS + $(echo "$last" | sed 's/.* attempts=\([0-9]*\).*/\1/')))
	injected=$((injected + $(echo "$last" | sed 's/.* injected=\([0-9]*\).*/\1/')))
	STRESS_EXTRA=" faults_injected=$injected"
	[ $rc = 0 ] || problems="$problems $1"
}

inject probe "$addr"
rmmod re1000 || fail "rmmod after the probe attempts failed"
insmod "$RE1000_MODULE" || fail "insmod with injection off failed"
dut_up || fail "no interface with carrier after insmod with injection off"
ping -q -c 3 -i 0.2 -W 3 "$PEER_IP" >/dev/null || fail "no ping after insmod with injection off"
ok "probe: insmod with injection off works"

inject open "$DUT_IF"
ip link set "$DUT_IF" up || fail "ip link set up with injection off failed"
wait_carrier "$DUT_IF" 1 15 || fail "no carrier after ip link set up with injection off"
ping -q -c 3 -i 0.2 -W 3 "$PEER_IP" >/dev/null || fail "no ping after ip link set up with injection off"
ok "open: ip link set up with injection off works"

# RX refill: atomic allocations of every task fail at random (20 %) for a
# few seconds while the peer floods re1000 with pings. The shell only waits
# meanwhile (it runs from 9p, whose requests allocate atomically too).
for a in failslab fail_page_alloc; do
	echo 0 >$F/$a/probability
	echo N >$F/$a/task-filter
	echo Y >$F/$a/ignore-gfp-wait
	echo 1 >$F/$a/interval
	echo 0 >$F/$a/space
	echo 0 >$F/$a/verbose
	echo 1000000 >$F/$a/times
done
echo 0 >$F/fail_page_alloc/min-order
alloc0=$(qstat "$DUT_IF" rx-alloc-fail)
drop0=$(link_stat "$DUT_IF" rx dropped)
rx0=$(link_stat "$DUT_IF" rx packets)
ip netns exec "$PEER_NS" ping -q -f -s 1400 -w "$((window + 30))" "$DUT_IP" >/tmp/flood.out 2>&1 &
fpid=$!
# The flood is under way (frames arrive) before allocations start failing.
i=0
until [ "$(link_stat "$DUT_IF" rx packets)" -gt $((rx0 + 100)) ]; do
	i=$((i + 1))
	[ $i -le 300 ] || fail "the peer's ping flood did not start"
	sleep 0.1
done
echo 20 >$F/failslab/probability
echo 20 >$F/fail_page_alloc/probability
sleep "$window"
echo 0 >$F/failslab/probability
echo 0 >$F/fail_page_alloc/probability
kill -INT $fpid 2>/dev/null
wait $fpid
hits=$((2000000 - $(cat $F/failslab/times) - $(cat $F/fail_page_alloc/times)))
injected=$((injected + hits))
STRESS_EXTRA=" faults_injected=$injected"
tail -2 /tmp/flood.out
alloc=$(($(qstat "$DUT_IF" rx-alloc-fail) - alloc0))
drop=$(($(link_stat "$DUT_IF" rx dropped) - drop0))
rx=$(($(link_stat "$DUT_IF" rx packets) - rx0))
ok "refill window: $hits atomic allocations failed; re1000 received $rx frames, rx-alloc-fail +$alloc, rx dropped +$drop"
[ "$rx" -gt 0 ] || fail "nothing received during the refill window"
ping -q -c 3 -i 0.2 -W 3 "$PEER_IP" >/dev/null || fail "no ping after the refill window"
ok "traffic recovered after the refill window"

inject ring "$DUT_IF"
ethtool -G "$DUT_IF" rx 256 tx 256 || fail "ethtool -G with injection off failed"
wait_carrier "$DUT_IF" 1 15 ||
	fail "no carrier after ethtool -G rx 256 tx 256 with injection off (rings: $(ethtool -g "$DUT_IF" | awk '/^RX:/ { print $2 }' | tail -1))"
ok "ring: ethtool -G with injection off works"
stress_done
[ -z "$problems" ] || fail "left in an inconsistent state by a failed attempt:$problems (see INCONSISTENT above)"
