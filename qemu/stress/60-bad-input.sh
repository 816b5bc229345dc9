#!/bin/sh
# bad-input: the peer (MTU 9000; re1000 stays at 1500) sends what re1000
# must survive and count: 8000-byte pings, 9000-byte frames to re1000's MAC,
# runts of 14..59 bytes, a broadcast flood at full speed and random garbage
# frames from an AF_PACKET socket. Nothing may crash, normal traffic works
# afterwards with an intact payload, and every frame longer than 1522 bytes
# shows in the standard rx_length_errors and rx_errors (the stack's own
# rx_dropped, which the flood's unknown EtherType moves, does not count).
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
pings=$(scaled 200 5)
oversize=$(scaled 2000 20)
runts=$(scaled 2000 46)
flood=$(scaled 10 1)
garbage=$(scaled 5000 100)

# snapshot FILE: every counter of ethtool -S and of its standard groups
# (eth-mac-NAME, eth-ctrl-NAME, rmon-NAME), and the link's as link_NAME.
snapshot() {
	{
		ethtool -S "$DUT_IF" | awk -F: 'NF == 2 { gsub(/ /, "", $1); print $1, $2 + 0 }'
		ethtool -S "$DUT_IF" --groups eth-mac eth-ctrl rmon |
			awk -F: 'NF == 2 && $2 != "" { gsub(/ /, "", $1); print $1, $2 + 0 }'
		for f in /sys/class/net/"$DUT_IF"/statistics/*; do
			echo "link_$(basename "$f") $(cat "$f")"
		done
	} >"$1"
}

# moved BEFORE AFTER NAME...: how much the named counters moved in all.
moved() {
	b=$1 a=$2
	shift 2
	awk -v names="$*" 'BEGIN { n = split(names, w, " "); for (i = 1; i <= n; i++) want[w[i]] = 1 }
		FNR == NR { before[$1] = $2; next }
		($1 in want) { s += $2 - before[$1] }
		END { print s + 0 }' "$b" "$a"
}

in_peer ip link set "$PEER_IF" mtu 9000 || fail "peer MTU 9000 refused"
snapshot /tmp/before
in_peer ping -q -c "$pings" -i 0.02 -W 1 -s 8000 "$DUT_IP" >/dev/null 2>&1
out=$(in_peer python3 "$(dirname "$0")/frames.py" "$PEER_IF" "$DUT_MAC" \
	"$oversize" "$runts" "$flood" "$garbage") || fail "frames.py failed"
echo "$out"
sleep 1
snapshot /tmp/after
echo "counters that moved:"
awk 'FNR == NR { b[$1] = $2; next } $2 != b[$1] { printf "  %s %+d\n", $1, $2 - b[$1] }' /tmp/before /tmp/after

sent=$(echo "$out" | awk '{ for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] != "refused") s += kv[2] } } END { print s + 0 }')
ITERATIONS=$((pings + sent))
big=$((pings + $(echo "$out" | sed 's/.*oversize=\([0-9]*\).*/\1/')))
# What ip -s link shows: every oversized frame is a length error there, as
# with the C driver (QEMU counts them in ROC, folded into rx_length_errors).
counted=$(moved /tmp/before /tmp/after link_rx_length_errors)
[ "$counted" -ge "$big" ] ||
	fail "$big oversized frames sent, ip -s link counts $counted length errors (rmon etherStatsOversizePkts +$(moved /tmp/before /tmp/after rmon-etherStatsOversizePkts))"
errors=$(moved /tmp/before /tmp/after link_rx_errors)
[ "$errors" -ge "$counted" ] || fail "rx_errors (+$errors) does not include the $counted length errors"
ok "$big oversized frames sent (and random ones): ip -s link counts $counted length errors, $errors errors"
bcast=$(moved /tmp/before /tmp/after eth-mac-BroadcastFramesReceivedOK)
[ "$bcast" -gt 0 ] || fail "the broadcast flood did not reach re1000 (eth-mac BroadcastFramesReceivedOK unchanged)"
ok "flood: eth-mac BroadcastFramesReceivedOK +$bcast"

in_peer ip link set "$PEER_IF" mtu 1500
stress_done
