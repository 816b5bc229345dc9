#!/bin/sh
# qemu/bench/softirq-split.sh [rx1|rx4|tx1|tx4] [SECONDS]: inside a guest,
# samples every CPU with perf (call chains) for SECONDS of an iperf3 run and
# splits the guest's CPU time per MB by who spent it: the DUT's NAPI poll,
# the peer's receive and transmit-completion polls, tasklets (TCP small
# queues), the two iperf3 processes, idle. /proc/stat, which the benchmark
# reads, cannot tell the device under test's softirq work from the peer's.
# Needs perf (Debian: linux-perf) on the host, whose root the guest mounts:
#   qemu/run --no-timestamp-hold -- "sh $PWD/qemu/bench/softirq-split.sh rx1"
# (the guest does not start in the repository: give the path whole).
. "$(dirname "$0")/../tests/lib.sh"
test=${1:-rx1}
secs=${2:-5}
command -v perf >/dev/null || fail "perf not found (apt-get install linux-perf on the host)"
case $test in
rx1) args="-R" ;;
rx4) args="-R -P 4" ;;
tx1) args="" ;;
tx4) args="-P 4" ;;
*) fail "unknown test $test (rx1, rx4, tx1 or tx4)" ;;
esac
in_peer iperf3 -s -1 -D >/dev/null 2>&1
sleep 0.5
# shellcheck disable=SC2086 # $args is a list of options
iperf3 -c "$PEER_IP" -t $((secs + 4)) -J $args >/tmp/split-iperf.json 2>/dev/null &
client=$!
sleep 2
tx_before=$(link_stat "$DUT_IF" tx bytes)
rx_before=$(link_stat "$DUT_IF" rx bytes)
perf record -q -g -e cpu-clock -F 1000 -a -o /tmp/split.data -- sleep "$secs" >/dev/null 2>&1 ||
	fail "perf record failed"
tx_after=$(link_stat "$DUT_IF" tx bytes)
rx_after=$(link_stat "$DUT_IF" rx bytes)
wait "$client" || fail "iperf3 failed"
perf script -i /tmp/split.data -F comm,pid,ip,sym >/tmp/split.txt 2>/dev/null ||
	fail "perf script failed"
python3 - "$test" "$client" $((tx_after - tx_before + rx_after - rx_before)) <<'PY'
import collections, json, sys

test, client, dut_bytes = sys.argv[1], sys.argv[2], int(sys.argv[3])
mb = dut_bytes / 1e6  # both directions through the device under test
if mb <= 0:
    sys.exit("FAIL: no traffic through the device during the window")

def samples():
    """(comm, pid, [functions, innermost first]) for each perf sample."""
    head, stack = None, []
    for line in open("/tmp/split.txt"):
        if not line.strip():
            if head:
                yield head[0], head[1], stack
            head, stack = None, []
        elif line[0] in " \t":
            parts = line.split()
            if len(parts) >= 2:
                stack.append(parts[1].split("+")[0])
        else:
            parts = line.split()
            head = (parts[0], parts[1].split("/")[0]) if len(parts) >= 2 else None
    if head:
        yield head[0], head[1], stack

def owner(comm, pid, fns):
    """Who spent a sample: a softirq handler, a process, or idle."""
    s = set(fns)
    if "handle_softirqs" in s or "__do_softirq" in s:
        if any("re1000" in f and "poll" in f for f in fns) or "e1000_clean" in s:
            return "softirq_dut_napi"
        if "virtnet_poll_tx" in s:
            return "softirq_peer_tx_completion"
        if "virtnet_poll" in s:
            return "softirq_peer_receive"
        if "tasklet_action_common" in s:
            return "softirq_tasklet"
        return "softirq_other"
    if any(f.startswith(("asm_common_interrupt", "asm_sysvec")) for f in fns):
        return "hardirq"
    if "do_idle" in s or "default_idle" in s or comm == "swapper":
        return "idle"
    if comm == "iperf3":
        return "task_iperf3_dut" if pid == client else "task_iperf3_peer"
    return "task_other"

ms = collections.Counter()
for comm, pid, fns in samples():
    ms[owner(comm, pid, fns)] += 1  # one sample per ms per CPU at 1000 Hz
d = json.load(open("/tmp/split-iperf.json"))["end"]
print(json.dumps({"figure": f"{test}_mbps", "value": round(d["sum_received"]["bits_per_second"] / 1e6, 1)}))
for name, n in sorted(ms.items()):
    print(json.dumps({"figure": f"{test}_{name}_ms_per_mb", "value": round(n / mb, 3)}))
PY
