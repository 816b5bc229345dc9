#!/bin/sh
# qemu/bench/guest.sh SECONDS [GROUPS]: one benchmark round inside the guest;
# prints one JSON object per figure ({"figure": ..., "value": ...}) and the
# configuration in effect ({"config": ..., "value": ...}).
#
# GROUPS (comma-separated; default all): tcp_tx_1 tcp_rx_1 tcp_tx_4 tcp_rx_4
# udp64 ping pktgen_64 pktgen_1500 xdp_drop_64 xdp_tx_64 xdp_drop_generic_64.
# The XDP groups attach a program built by build_xdp_progs (skipped, saying
# so, without a BPF compiler): re1000 natively (xdpdrv), the C e1000 in
# generic mode (xdpgeneric, the only XDP it has); xdp_drop_generic_64 runs
# both generically.
# BENCH_RX_RING and BENCH_TX_RING: ring sizes set first with ethtool -G;
# BENCH_RX_USECS: a fixed interrupt interval set with ethtool -C adaptive-rx
# off rx-usecs (re1000; the C driver gets InterruptThrottleRate from qemu/run
# --module-param, set at load).
. "$(dirname "$0")/../tests/lib.sh"
secs=${1:-10}
groups=${2:-tcp_tx_1,tcp_rx_1,tcp_tx_4,tcp_rx_4,udp64,ping,pktgen_64,pktgen_1500,xdp_drop_64,xdp_tx_64,xdp_drop_generic_64}

want() {
	case ",$groups," in
	*",$1,"*) return 0 ;;
	esac
	return 1
}

# config NAME VALUE: one line of the configuration in effect.
config() {
	echo "{\"config\": \"$1\", \"value\": \"$2\"}"
}

if [ -n "$BENCH_RX_RING" ]; then
	ethtool -G "$DUT_IF" rx "$BENCH_RX_RING" tx "$BENCH_TX_RING" ||
		echo "[bench] ethtool -G $DUT_IF rx $BENCH_RX_RING tx $BENCH_TX_RING failed"
fi
if [ -n "$BENCH_RX_USECS" ] && [ "$RE1000_DRIVER" = re1000 ]; then
	ethtool -C "$DUT_IF" adaptive-rx off rx-usecs "$BENCH_RX_USECS" ||
		echo "[bench] ethtool -C $DUT_IF adaptive-rx off rx-usecs $BENCH_RX_USECS failed"
fi
# A ring change takes the link down and up again.
i=0
until [ "$(cat "/sys/class/net/$DUT_IF/carrier" 2>/dev/null)" = 1 ] || [ $i -ge 100 ]; do
	i=$((i + 1))
	sleep 0.1
done
ping -c 1 -W 5 "$PEER_IP" >/dev/null 2>&1 || true
config rx_ring "$(ethtool -g "$DUT_IF" | awk '/^Current/ { c = 1 } c && /^RX:/ { print $2; exit }')"
config tx_ring "$(ethtool -g "$DUT_IF" | awk '/^Current/ { c = 1 } c && /^TX:/ { print $2; exit }')"
usecs=$(ethtool -c "$DUT_IF" 2>/dev/null | awk '/^rx-usecs:/ { print $2; exit }')
if [ -z "$usecs" ] && [ "$RE1000_DRIVER" = e1000 ]; then
	# The C driver answers ethtool -c only from the 82545 on: its load-time
	# message, as 1000000 / rate (what its ethtool -c would say); none at
	# its default (dynamic, conservative).
	rate=$(dmesg | sed -n 's/.*Interrupt Throttling Rate (ints\/sec) set to \([0-9]*\)$/\1/p' | tail -1)
	usecs=dynamic
	[ -z "$rate" ] || usecs=$((1000000 / rate))
fi
config rx_usecs "$usecs"
config adaptive_rx "$(ethtool -c "$DUT_IF" 2>/dev/null | awk '/^Adaptive RX:/ { print $3; exit }')"
config module_params "$RE1000_MODULE_PARAMS"

# cpu_irq: irq + softirq jiffies of all CPUs (from /proc/stat).
cpu_irq() {
	awk '/^cpu / { print $7 + $8 }' /proc/stat
}

# cpu_busy: user + nice + system + irq + softirq jiffies of all CPUs: the
# receive path's work moves between softirq and system time (socket backlog
# processed by the reader), so cpu_irq alone can mislead.
cpu_busy() {
	awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 }' /proc/stat
}

# iperf NAME ARGS...: run iperf3 and report throughput, retransmits,
# interrupts per second and per MB, irq+softirq CPU per MB and all busy CPU
# per MB.
iperf() {
	name=$1
	shift
	in_peer iperf3 -s -1 -D >/dev/null 2>&1
	sleep 0.5
	i0=$(irq_count "$DUT_IF")
	c0=$(cpu_irq)
	b0=$(cpu_busy)
	t0=$(date +%s.%N)
	iperf3 -c "$PEER_IP" -t "$secs" -J "$@" >/tmp/iperf.json 2>/dev/null || return 1
	t1=$(date +%s.%N)
	i1=$(irq_count "$DUT_IF")
	c1=$(cpu_irq)
	b1=$(cpu_busy)
	python3 - "$name" "$i0" "$i1" "$c0" "$c1" "$t0" "$t1" "$b0" "$b1" <<'PY'
import json, sys
name, i0, i1, c0, c1, t0, t1, b0, b1 = sys.argv[1], *map(float, sys.argv[2:])
d = json.load(open("/tmp/iperf.json"))["end"]
bps = d["sum_received"]["bits_per_second"]
mb = d["sum_received"]["bytes"] / 1e6
retr = d.get("sum_sent", {}).get("retransmits", 0)
secs = t1 - t0
for fig, val in ((f"{name}_mbps", bps / 1e6), (f"{name}_retransmits", retr),
                 (f"{name}_irq_per_s", (i1 - i0) / secs), (f"{name}_irq_per_mb", (i1 - i0) / mb),
                 (f"{name}_cpu_ms_per_mb", (c1 - c0) * 10 / mb),
                 (f"{name}_busy_ms_per_mb", (b1 - b0) * 10 / mb)):
    print(json.dumps({"figure": fig, "value": round(val, 3)}))
PY
}

! want tcp_tx_1 || iperf tcp_tx_1
! want tcp_rx_1 || iperf tcp_rx_1 -R
! want tcp_tx_4 || iperf tcp_tx_4 -P 4
! want tcp_rx_4 || iperf tcp_rx_4 -R -P 4

# UDP, 64-byte payloads, as fast as iperf3 can: packets per second received
# and sent, and loss.
want udp64 && in_peer iperf3 -s -1 -D >/dev/null 2>&1 && sleep 0.5 &&
	iperf3 -c "$PEER_IP" -u -b 0 -l 64 -t "$secs" -J >/tmp/udp.json 2>/dev/null &&
	python3 - <<'PY'
import json
d = json.load(open("/tmp/udp.json"))["end"]["sum"]
pps = (d["packets"] - d["lost_packets"]) / d["seconds"]
print(json.dumps({"figure": "udp64_tx_pps", "value": round(pps, 1)}))
# What the sender sent (the figure above is what the peer's socket took).
print(json.dumps({"figure": "udp64_sent_pps", "value": round(d["packets"] / d["seconds"], 1)}))
print(json.dumps({"figure": "udp64_tx_loss_pct", "value": round(d["lost_percent"], 3)}))
PY

# Latency: 200 pings at 10 ms.
want ping && ping -q -c 200 -i 0.01 "$PEER_IP" >/dev/null 2>&1
want ping && ping -c 200 -i 0.01 "$PEER_IP" 2>/dev/null | python3 -c '
import json, re, sys
rtts = sorted(float(m.group(1)) for m in re.finditer(r"time=([0-9.]+)", sys.stdin.read()))
if rtts:
    print(json.dumps({"figure": "ping_rtt_p50_ms", "value": rtts[len(rtts) // 2]}))
    print(json.dumps({"figure": "ping_rtt_p99_ms", "value": rtts[min(len(rtts) - 1, int(len(rtts) * 0.99))]}))
'

# pktgen: raw transmit packets per second at 64 and 1500 bytes.
sizes=
! want pktgen_64 || sizes=64
! want pktgen_1500 || sizes="$sizes 1500"
if [ -n "$sizes" ] && modprobe pktgen 2>/dev/null; then
	dst_mac=$(ip netns exec "$PEER_NS" cat "/sys/class/net/$PEER_IF/address")
	for size in $sizes; do
		echo "rem_device_all" >/proc/net/pktgen/kpktgend_0
		echo "add_device $DUT_IF" >/proc/net/pktgen/kpktgend_0
		pg=/proc/net/pktgen/$DUT_IF
		echo "count 0" >"$pg"
		echo "pkt_size $size" >"$pg"
		echo "dst $PEER_IP" >"$pg"
		echo "dst_mac $dst_mac" >"$pg"
		echo "burst 32" >"$pg" 2>/dev/null || true
		(sleep "$secs"; echo stop >/proc/net/pktgen/pgctrl) &
		echo start >/proc/net/pktgen/pgctrl
		wait
		pps=$(sed -n 's/.* \([0-9]*\)pps.*/\1/p' "$pg" | head -1)
		echo "{\"figure\": \"pktgen_${size}_pps\", \"value\": ${pps:-0}}"
	done
fi

# XDP: the peer's pktgen sends 64-byte frames at the DUT for SECONDS while a
# program drops them (frames received per second: the DUT's rx_packets,
# which both drivers count before XDP runs) or sends them back with their
# MAC addresses swapped (frames per second the peer gets back: its
# rx_packets; their IP destination is the DUT's, so the peer's stack drops
# them without an answer); and the guest's irq + softirq CPU per frame
# received (where both drivers' receive and XDP run; pktgen's own thread is
# system time, not counted). Under TCG the rate depends on where QEMU
# emulates the e1000's receive: a driver that keeps the ring empty has the
# sender's vCPU thread do it (benchmarks.rst), so the CPU per frame is the
# driver's own figure.
xdp_round() { # NAME PROGRAM MODE
	ip -force link set dev "$DUT_IF" "$3" obj "$B/$2.o" sec xdp 2>/tmp/xdp.err ||
		{ echo "[bench] $3 $2 refused: $(cat /tmp/xdp.err)"; return 1; }
	dut_mac=$(cat "/sys/class/net/$DUT_IF/address")
	pg=/proc/net/pktgen/$PEER_IF
	in_peer sh -c "echo rem_device_all >/proc/net/pktgen/kpktgend_0
		echo add_device $PEER_IF >/proc/net/pktgen/kpktgend_0
		echo 'count 0' >$pg; echo 'pkt_size 64' >$pg; echo 'dst $DUT_IP' >$pg
		echo 'dst_mac $dut_mac' >$pg; echo 'burst 32' >$pg 2>/dev/null; true"
	r0=$(cat "/sys/class/net/$DUT_IF/statistics/rx_packets")
	p0=$(in_peer cat "/sys/class/net/$PEER_IF/statistics/rx_packets")
	c0=$(cpu_irq)
	t0=$(date +%s.%N)
	in_peer sh -c "(sleep $secs; echo stop >/proc/net/pktgen/pgctrl) & echo start >/proc/net/pktgen/pgctrl; wait"
	t1=$(date +%s.%N)
	c1=$(cpu_irq)
	r1=$(cat "/sys/class/net/$DUT_IF/statistics/rx_packets")
	p1=$(in_peer cat "/sys/class/net/$PEER_IF/statistics/rx_packets")
	sent=$(in_peer sed -n 's/.* \([0-9]*\)pps.*/\1/p' "$pg" | head -1)
	ip link set dev "$DUT_IF" "$3" off
	python3 - "$1" "$2" "$r0" "$r1" "$p0" "$p1" "$t0" "$t1" "${sent:-0}" "$c0" "$c1" <<'PY'
import json, sys
name, prog = sys.argv[1:3]
r0, r1, p0, p1, t0, t1, sent, c0, c1 = map(float, sys.argv[3:])
got = (p1 - p0) if prog == "tx_swap" else (r1 - r0)
print(json.dumps({"figure": f"{name}_pps", "value": round(got / (t1 - t0), 1)}))
print(json.dumps({"figure": f"{name}_sent_pps", "value": sent}))
if r1 > r0:
    # /proc/stat counts in USER_HZ (100 a second): ns per frame received.
    print(json.dumps({"figure": f"{name}_cpu_ns_per_pkt", "value": round((c1 - c0) * 1e7 / (r1 - r0), 1)}))
PY
}

if want xdp_drop_64 || want xdp_tx_64 || want xdp_drop_generic_64; then
	native=xdpdrv
	[ "$RE1000_DRIVER" = re1000 ] || native=xdpgeneric
	if ! modprobe pktgen 2>/dev/null; then
		echo "[bench] no pktgen: XDP groups skipped"
	elif build_xdp_progs >/tmp/xdp-build.out; then
		! want xdp_drop_64 || xdp_round xdp_drop_64 drop "$native"
		! want xdp_tx_64 || xdp_round xdp_tx_64 tx_swap "$native"
		! want xdp_drop_generic_64 || xdp_round xdp_drop_generic_64 drop xdpgeneric
	else
		echo "[bench] $(cat /tmp/xdp-build.out): XDP groups skipped"
	fi
fi
