#!/bin/sh
# The standard statistics: ethtool -S --groups eth-mac eth-ctrl rmon count
# from the device's own registers (the RMON histograms from PRC64..PRC1522
# and PTC64..PTC1522) what was sent and received, by frame size and
# direction; the driver's own -S list holds only what has no standard home
# (the interface counters of ip -s link, the queue statistics, eth-mac,
# eth-ctrl, rmon and the pause statistics hold the rest); ethtool -l shows
# the one combined channel, and -L keeps it and refuses another count.
. "$(dirname "$0")/lib.sh"

# std FILE: the standard groups as JSON.
std() {
	ethtool --json -S "$DUT_IF" --groups eth-mac eth-ctrl rmon >"$1" ||
		fail "ethtool -S --groups eth-mac eth-ctrl rmon failed"
}
std /tmp/std0
# Echo requests of 56 bytes make 102-byte frames (with the FCS), of 1400
# bytes 1446-byte frames: buckets 65-127 and 1024-1522, each way.
ping -q -c 100 -i 0.01 -W 2 -s 56 "$PEER_IP" >/dev/null || fail "small pings lost replies"
ping -q -c 50 -i 0.01 -W 2 -s 1400 "$PEER_IP" >/dev/null || fail "large pings lost replies"
std /tmp/std1

/usr/bin/python3 - /tmp/std0 /tmp/std1 <<'EOF' || fail "the standard statistics do not match the traffic"
import json, sys

before, after = (json.load(open(f))[0] for f in sys.argv[1:3])
bad = []

def delta(group, name):
    if name not in after.get(group, {}):
        bad.append(f"{group} has no {name}: {sorted(after.get(group, {}))}")
        return 0
    return after[group][name] - before[group][name]

def bucket(direction, low, high):
    key = f"{direction}-pktsNtoM"
    rows = {(r["low"], r["high"]): r["val"] for r in after["rmon"].get(key, [])}
    rows0 = {(r["low"], r["high"]): r["val"] for r in before["rmon"].get(key, [])}
    if (low, high) not in rows:
        bad.append(f"rmon {key} has no bucket {low}-{high}: {sorted(rows)}")
        return 0
    return rows[(low, high)] - rows0[(low, high)]

def at_least(what, got, want):
    print(f"{what}: +{got} (at least {want})")
    if got < want:
        bad.append(f"{what} moved by {got}, expected at least {want}")

# Only the buckets the device counts, contiguous from 64 to 1522 bytes.
ranges = [(r["low"], r["high"]) for r in after["rmon"].get("rx-pktsNtoM", [])]
if ranges != [(64, 64), (65, 127), (128, 255), (256, 511), (512, 1023), (1024, 1522)]:
    bad.append(f"rmon buckets are {ranges}")
for d in ("rx", "tx"):
    at_least(f"rmon {d} 65-127", bucket(d, 65, 127), 100)
    at_least(f"rmon {d} 1024-1522", bucket(d, 1024, 1522), 50)
    # No echo of either size belongs to the buckets between.
    mid = sum(bucket(d, lo, hi) for lo, hi in ((256, 511), (512, 1023)))
    if mid >= 50:
        bad.append(f"rmon {d}: {mid} frames of 256-1023 bytes, none was sent")
at_least("eth-mac FramesReceivedOK", delta("eth-mac", "FramesReceivedOK"), 150)
at_least("eth-mac FramesTransmittedOK", delta("eth-mac", "FramesTransmittedOK"), 150)
# 100 frames of 98 bytes and 50 of 1442, without the FCS.
at_least("eth-mac OctetsReceivedOK", delta("eth-mac", "OctetsReceivedOK"), 100 * 98 + 50 * 1442)
at_least("eth-mac OctetsTransmittedOK", delta("eth-mac", "OctetsTransmittedOK"),
         100 * 98 + 50 * 1442)
for name in ("FrameCheckSequenceErrors", "LateCollisions"):
    if after["eth-mac"].get(name) != 0:
        bad.append(f"eth-mac {name} is {after['eth-mac'].get(name)}, not 0")
for name in ("MACControlFramesReceived", "UnsupportedOpcodesReceived"):
    delta("eth-ctrl", name)
# The device counts only the pause frames it sends itself, not all MAC
# control frames sent: the counter is left out rather than half kept.
if "MACControlFramesTransmitted" in after.get("eth-ctrl", {}):
    bad.append("eth-ctrl reports MACControlFramesTransmitted, which the device does not count")
for name in ("etherStatsUndersizePkts", "etherStatsOversizePkts"):
    delta("rmon", name)
for b in bad:
    print("FAIL:", b)
sys.exit(1 if bad else 0)
EOF
ok "eth-mac, eth-ctrl and rmon count the pings by size and direction"

# The driver's own list is exactly what has no standard home: its
# timeouts, interrupts, queue restarts and XDP verdicts, and the device's counters that no
# standard statistic holds (Documentation/features.rst, "Statistics").
ethtool -S "$DUT_IF" >/tmp/stats || fail "ethtool -S failed"
listed=$(awk -F: 'NR > 1 && NF == 2 { gsub(/ /, "", $1); printf "%s ", $1 }' /tmp/stats)
want="tx_timeout_count interrupts tx_restart_queue xdp_pass xdp_drop xdp_redirect \
xdp_tx xdp_aborted xdp_xmit xdp_xmit_errors rx_symbol_errors rx_receive_errors \
hw_rx_length_errors rx_carrier_ext_errors rx_flow_control_xon tx_flow_control_xon \
rx_flow_control_xoff tx_flow_control_xoff rx_total_packets tx_total_packets \
tx_tcp_seg_good tx_tcp_seg_failed "
[ "$listed" = "$want" ] || fail "ethtool -S lists: $listed; expected: $want"
ok "ethtool -S lists only the $(echo "$listed" | wc -w) counters without a standard home"
# The pause statistics (ethtool -I -a) are the XON and XOFF counters summed
# (QEMU sends and receives no pause frame: all stay 0).
ethtool -I -a "$DUT_IF" >/tmp/pause || fail "ethtool -I -a failed"
for d in tx rx; do
	got=$(awk -v n="${d}_pause_frames:" '$1 == n { print $2 }' /tmp/pause)
	want=$(awk -v x="${d}_flow_control_xon:" -v y="${d}_flow_control_xoff:" \
		'$1 == x || $1 == y { s += $2 } END { print s + 0 }' /tmp/stats)
	[ "$got" = "$want" ] ||
		fail "ethtool -I -a ${d}_pause_frames is '$got', -S XON + XOFF $want: $(cat /tmp/pause)"
done
ok "ethtool -I -a: pause frames = XON + XOFF each way"

ethtool -l "$DUT_IF" >/tmp/ch || fail "ethtool -l failed"
[ "$(awk '/^Combined:/ { print $2 }' /tmp/ch | tr '\n' ' ')" = "1 1 " ] ||
	fail "ethtool -l does not show one combined channel: $(cat /tmp/ch)"
ethtool -L "$DUT_IF" combined 1 2>/tmp/L.err || true
grep -qi "error\|invalid" /tmp/L.err && fail "ethtool -L combined 1 refused: $(cat /tmp/L.err)"
if ethtool -L "$DUT_IF" combined 2 2>/dev/null; then
	fail "ethtool -L combined 2 accepted on a one-queue device"
fi
ping -q -c 5 -i 0.1 -W 2 "$PEER_IP" >/dev/null || fail "no traffic after ethtool -L"
ok "ethtool -l: one combined channel; -L keeps it and refuses two"
