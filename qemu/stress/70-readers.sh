#!/bin/sh
# readers: /proc/net/dev, ip -s link and ethtool -S read in tight loops by
# three parallel readers (full: 1000 reads each) while iperf3 runs both ways.
# Every counter each reader sees is monotonic (never lower than at its
# previous read), and at the end the device's received-bytes counter agrees
# with the driver's (hw_rx_bytes = rx_bytes + 4 bytes of FCS per frame).
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
reads=$(scaled 1000 20)

# reader NAME COMMAND PARSER: runs COMMAND $reads times in one awk process;
# PARSER (awk) prints "counter value" lines from one read's output in $0
# lines. Writes /tmp/reader-NAME.out; exits non-zero on a decrease.
reader() {
	awk -v reads="$reads" -v cmd="$2" -v dev="$DUT_IF" "
	function check(name, v) {
		if ((name in last) && v < last[name]) {
			printf \"%s went from %s to %s at read %d\\n\", name, last[name], v, r
			bad++
		}
		last[name] = v
	}
	BEGIN {
		for (r = 1; r <= reads; r++) {
			n = 0
			while ((cmd | getline line) > 0) lines[++n] = line
			close(cmd)
			$3
		}
		printf \"%d reads, %d decreases\\n\", reads, bad
		exit (bad > 0)
	}" >"/tmp/reader-$1.out" 2>&1
}

procnet='for (i = 1; i <= n; i++) { split(lines[i], a, ":"); name = a[1]; gsub(/ /, "", name)
	if (name == dev) { k = split(a[2], f, " "); for (j = 1; j <= k; j++) check("field" j, f[j] + 0) } }'
iplink='for (i = 1; i <= n; i++) { if (lines[i] ~ /^ *(RX|TX):/) { split(lines[i], h, " "); k = split(lines[i + 1], f, " ")
	for (j = 1; j <= k; j++) check(h[1] h[j + 1], f[j] + 0) } }'
ethtool='for (i = 1; i <= n; i++) { k = split(lines[i], f, ":"); if (k == 2) { gsub(/ /, "", f[1]); check(f[1], f[2] + 0) } }'

iperf_start out
iperf_start in
sleep 2
reader procnet "cat /proc/net/dev" "$procnet" &
p1=$!
reader iplink "ip -s link show dev $DUT_IF" "$iplink" &
p2=$!
reader ethtool "ethtool -S $DUT_IF" "$ethtool" &
p3=$!
bad=""
wait $p1 || bad="$bad procnet"
wait $p2 || bad="$bad iplink"
wait $p3 || bad="$bad ethtool"
for r in procnet iplink ethtool; do
	echo "$r: $(tail -1 /tmp/reader-$r.out)"
done
ITERATIONS=$((3 * reads))
[ -z "$bad" ] || {
	head -20 /tmp/reader-*.out >&2
	fail "counters went down in:$bad"
}
iperf_stop
ok "3 readers x $reads reads under iperf3 both ways: every counter monotonic"
sleep 1
frames=$(stat_of rx_packets)
bytes=$(stat_of rx_bytes)
hw=$(stat_of hw_rx_bytes)
[ "$hw" = $((bytes + 4 * frames)) ] ||
	fail "hw_rx_bytes $hw but rx_bytes $bytes + 4 x $frames frames = $((bytes + 4 * frames))"
ok "hw_rx_bytes agrees with rx_bytes ($frames frames)"
stress_done
