#!/bin/sh
# A receive ring that cannot get memory backs off instead of polling without
# end: every allocation from its page pool fails for a few seconds while the
# peer sends (fail_function on re1000's call into the pool: the page
# allocator failing would not do, as the pool recycles the pages the stack
# gives back, and the pool's own injection point would starve the peer's
# virtio-net too, which spins then), the ring (64 buffers) runs dry, and
# softirq must not spin meanwhile: the NAPI poll completes and the 2 s
# watchdog's interrupt retries, so softirq takes little CPU time (/proc/stat;
# a poll that kept polling took about 90 % of a CPU). time_squeeze
# (/proc/net/softnet_stat: NAPI rounds out of budget or time) is shown.
# Afterwards traffic flows again.
. "$(dirname "$0")/lib.sh"
F=/sys/kernel/debug/fail_function
[ -d $F ] || mount -t debugfs nodev /sys/kernel/debug 2>/dev/null
[ -d $F ] || fail "no fail_function in debugfs (CONFIG_FAIL_FUNCTION)"
fn=re1000_page_pool_alloc
grep -q "^$fn\b" $F/injectable || fail "$fn is not in $F/injectable"
window=6
ethtool -G "$DUT_IF" rx 64 || fail "ethtool -G rx 64 refused"
wait_carrier "$DUT_IF" 1 15 || fail "no carrier after ethtool -G"
ping -q -c 3 -i 0.2 -W 3 "$PEER_IP" >/dev/null || fail "no ping before the window"

# squeezed: time_squeeze of every CPU, summed (hexadecimal in the file).
squeezed() {
	s=0
	for h in $(awk '{ print $3 }' /proc/net/softnet_stat); do
		s=$((s + 0x$h))
	done
	echo $s
}
# softirq_ticks: softirq time of all CPUs, in USER_HZ ticks.
softirq_ticks() {
	awk '$1 == "cpu" { print $8 }' /proc/stat
}

stop_injection() {
	echo 0 >$F/probability
	echo >$F/inject
}
trap stop_injection EXIT
echo 0 >$F/probability
echo "$fn" >$F/inject || fail "cannot inject failures into $fn"
echo N >$F/task-filter
echo 1 >$F/interval
echo 0 >$F/space
echo 0 >$F/verbose
echo -1 >$F/times
# rx-alloc-fail of the queue statistics: receive buffers not allocated.
alloc0=$(qstat "$DUT_IF" rx-alloc-fail)
[ "$alloc0" -ge 0 ] || fail "the queue statistics (ynl qstats-get) have no rx-alloc-fail"
in_peer ping -q -i 0.005 -s 1400 -w $((window + 4)) "$DUT_IP" >/dev/null 2>&1 &
fpid=$!
sleep 1
sq0=$(squeezed)
si0=$(softirq_ticks)
# Only the shell's builtins and one sleep run meanwhile.
echo 100 >$F/probability
sleep $window
stop_injection
sq=$(($(squeezed) - sq0))
si=$(($(softirq_ticks) - si0))
wait $fpid
alloc=$(($(qstat "$DUT_IF" rx-alloc-fail) - alloc0))
echo "window of ${window} s: rx-alloc-fail +$alloc, time_squeeze +$sq, softirq +$si ticks (of $((window * $(getconf CLK_TCK) * $(nproc))))"
[ "$alloc" -gt 0 ] || fail "no receive allocation failed: the window did not starve the ring"
[ "$si" -le $((window * $(getconf CLK_TCK) / 4)) ] ||
	fail "softirq spun while the ring was starved: $si ticks in ${window} s (time_squeeze +$sq)"
ok "starved ring backed off: time_squeeze +$sq, softirq +$si ticks"
i=0
until ping -q -c 1 -W 1 "$PEER_IP" >/dev/null 2>&1; do
	i=$((i + 1))
	[ $i -le 10 ] || fail "no ping within 10 s after the window"
done
ping -q -c 5 -i 0.2 -W 3 "$PEER_IP" >/dev/null || fail "lost pings after the window"
ok "traffic recovered after $i s"
ethtool -G "$DUT_IF" rx 256
