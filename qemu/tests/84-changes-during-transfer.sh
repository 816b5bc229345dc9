#!/bin/sh
# Ring resizes and coalescing changes while a 64 MiB transfer runs each
# way: the payload arrives intact, the changes all took, no carrier is lost
# for good.
. "$(dirname "$0")/lib.sh"
# 8 MiB on the debug kernel, which moves a few Mbit/s under TCG:
# two transfers of 64 MiB would outlast the test's limit there.
mib=64
[ "${RE1000_KERNEL:-default}" = debug ] && mib=8
make_payload /tmp/out.bin $mib
want=$(sha /tmp/out.bin)
# change_while PID: goes through the six changes, one every 1.5 s, while PID
# runs (each ring resize holds QEMU's receiver for a second, so the transfer
# slows down and the changes do overlap it); prints how many were made.
change_while() {
	n=0
	sleep 1
	while [ $n -lt 6 ] && kill -0 "$1" 2>/dev/null; do
		case $((n % 6)) in
		0) ethtool -G "$DUT_IF" rx 512 tx 1024 ;;
		1) ethtool -C "$DUT_IF" adaptive-rx off rx-usecs 100 ;;
		2) ethtool -C "$DUT_IF" tx-usecs 30 ;;
		3) ethtool -G "$DUT_IF" rx 80 tx 80 ;;
		4) ethtool -C "$DUT_IF" adaptive-rx on tx-usecs 0 ;;
		5) ethtool -G "$DUT_IF" rx 1024 tx 256 ;;
		esac || fail "change $((n % 6)) refused"
		n=$((n + 1))
		sleep 1.5
	done
	echo "$n"
}
for dir in out in; do
	if [ $dir = out ]; then
		send_to_peer /tmp/out.bin /tmp/at-peer.bin &
	else
		recv_from_peer /tmp/out.bin /tmp/at-peer.bin &
	fi
	pid=$!
	n=$(change_while $pid)
	wait $pid || fail "transfer $dir failed during the changes"
	[ "$(sha /tmp/at-peer.bin)" = "$want" ] || fail "payload corrupted ($dir) during the changes"
	[ "$n" -ge 2 ] || fail "only $n changes happened during the transfer ($dir)"
	rm -f /tmp/at-peer.bin
	ok "$mib MiB $dir intact across $n ring/coalescing changes"
done
ethtool -G "$DUT_IF" rx 256 tx 256
wait_carrier "$DUT_IF" 1 10 || fail "no carrier after the changes"
cur=$(ethtool -g "$DUT_IF" | awk '/^Current/ {c=1} c && /^RX:/ {print $2} c && /^TX:/ {print $2; exit}' | tr '\n' ' ')
[ "$cur" = "256 256 " ] || fail "rings after the changes: $cur"
ping -q -c 3 -i 0.2 -W 3 "$PEER_IP" >/dev/null || fail "no traffic after the changes"
ok "rings back at 256/256, traffic flows"
