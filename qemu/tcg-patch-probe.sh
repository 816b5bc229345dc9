#!/bin/sh
# qemu/tcg-patch-probe.sh: provoke the kernel's live code patching while the
# other vCPU runs the patched code, to measure whether QEMU's multi-threaded
# TCG mis-executes it (an "Oops: int3" in the kernel log, which qemu/run
# reports as a splat). Run as:
#   qemu/run --driver none [--qemu 7.2|10] -- "sh $PWD/qemu/tcg-patch-probe.sh [ROUNDS [keys]]"
# Each round flips two static keys on the scheduler's hot paths
# (sched_schedstats, the sched_switch tracepoint) and turns the function
# tracer on and off (ftrace patches every traceable function), while two
# shell loops keep both vCPUs forking, exec'ing and switching. "keys" leaves
# the function tracer out (it takes seconds a round under TCG).
rounds=${1:-20}
t0=$(date +%s)
mode=${2:-all}
tr=/sys/kernel/tracing
[ -e $tr/current_tracer ] || mount -t tracefs nodev $tr
busy() { while :; do /bin/true; done; }
busy & b1=$!
busy & b2=$!
i=0
while [ $i -lt "$rounds" ]; do
	for k in 1 0 1 0 1 0 1 0 1 0; do
		echo $k >/proc/sys/kernel/sched_schedstats
		echo $k >$tr/events/sched/sched_switch/enable
	done
	if [ "$mode" != keys ]; then
		echo function >$tr/current_tracer
		echo nop >$tr/current_tracer
	fi
	i=$((i + 1))
done
kill $b1 $b2
echo "tcg-patch-probe: $rounds rounds ($mode) done in $(($(date +%s) - t0)) s"
