#!/bin/sh
# readers: /proc/net/dev, ip -s link and ethtool -S (the driver's list, then
# the standard groups eth-mac, eth-ctrl and rmon) read in tight loops by
# three parallel readers while iperf3 runs both ways (full: 1000 reads each
# or 15 minutes, whichever ends first: the debug kernel under TCG takes
# seconds per read of a program from the 9p root).
# Every counter each reader sees is monotonic (never lower than at its
# previous read), and at the end the device's received-bytes counter agrees
# with the driver's (eth-mac OctetsReceivedOK = rx_bytes + 4 bytes of FCS
# per frame).
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
reads=$(scaled 1000 20)
seconds=$(scaled 900 600)

# reader NAME COMMAND PARSER: runs COMMAND $reads times (or until $seconds
# have passed) in one awk process; PARSER (awk) checks the counters of one
# read's output, in lines[1..n]. Writes /tmp/reader-NAME.out, whose last
# line is "N reads, N decreases"; exits non-zero on a decrease.
reader() {
	awk -v reads="$reads" -v seconds="$seconds" -v cmd="$2" -v dev="$DUT_IF" "
	function check(name, v) {
		if ((name in last) && v < last[name]) {
			printf \"%s went from %s to %s at read %d\\n\", name, last[name], v, r
			bad++
		}
		last[name] = v
	}
	BEGIN {
		end = systime() + seconds
		for (r = 1; r <= reads && systime() < end; r++) {
			n = 0
			while ((cmd | getline line) > 0) lines[++n] = line
			close(cmd)
			$3
		}
		printf \"%d reads, %d decreases\\n\", r - 1, bad
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
reader ethtool "ethtool -S $DUT_IF; ethtool -S $DUT_IF --groups eth-mac eth-ctrl rmon" "$ethtool" &
p3=$!
bad=""
wait $p1 || bad="$bad procnet"
wait $p2 || bad="$bad iplink"
wait $p3 || bad="$bad ethtool"
total=0
for r in procnet iplink ethtool; do
	last=$(tail -1 /tmp/reader-$r.out)
	echo "$r: $last"
	n=${last%% reads*}
	[ "$n" -gt 0 ] 2>/dev/null || fail "reader $r did not read: $last"
	total=$((total + n))
done
ITERATIONS=$total
[ -z "$bad" ] || {
	head -20 /tmp/reader-*.out >&2
	fail "counters went down in:$bad"
}
iperf_stop
ok "3 readers, $total reads (at most $reads each, $seconds s) under iperf3 both ways: every counter monotonic"
sleep 1
# Read again while a frame (IPv6 neighbour or router traffic) arrives
# between the reads, as 41-octet-counters does.
for _ in 1 2 3 4 5; do
	frames=$(link_stat "$DUT_IF" rx packets)
	bytes=$(link_stat "$DUT_IF" rx bytes)
	hw=$(std_stat "$DUT_IF" eth-mac OctetsReceivedOK)
	[ "$(link_stat "$DUT_IF" rx packets)" != "$frames" ] || break
	sleep 0.2
done
[ "$hw" = $((bytes + 4 * frames)) ] ||
	fail "eth-mac OctetsReceivedOK $hw but rx_bytes $bytes + 4 x $frames frames = $((bytes + 4 * frames))"
ok "eth-mac OctetsReceivedOK agrees with rx_bytes ($frames frames)"
stress_done
