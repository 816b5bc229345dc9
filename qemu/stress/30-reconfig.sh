#!/bin/sh
# reconfig: MTU changes (9000/576/1500, the peer at 9000 so jumbo frames
# work), ring resizes (48/4096/256), offload toggles (sg/tso/tx,
# rxvlan/txvlan) and coalescing changes (rx-usecs, adaptive-rx) while a
# sha256-checked TCP transfer (paced so that it spans the changes; full: at
# least 64 MiB) crosses the link, once in each direction. A round applies
# every change once and ends on the defaults; full: 3 rounds per direction.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
mib=$(scaled 64 2)
rounds=$(scaled 3 1)
in_peer ip link set "$PEER_IF" mtu 9000 || fail "peer MTU 9000 refused"

# change N: the N-th change of a round (13 in all).
change() {
	case $1 in
	0) ip link set "$DUT_IF" mtu 9000 ;;
	1) ip link set "$DUT_IF" mtu 576 ;;
	2) ip link set "$DUT_IF" mtu 1500 ;;
	3) ethtool -G "$DUT_IF" rx 48 tx 48 ;;
	4) ethtool -G "$DUT_IF" rx 4096 tx 4096 ;;
	5) ethtool -G "$DUT_IF" rx 256 tx 256 ;;
	6) ethtool -K "$DUT_IF" sg off tso off tx off ;;
	7) ethtool -K "$DUT_IF" rxvlan off txvlan off ;;
	8) ethtool -K "$DUT_IF" sg on tso on tx on ;;
	9) ethtool -K "$DUT_IF" rxvlan on txvlan on ;;
	10) ethtool -C "$DUT_IF" adaptive-rx off rx-usecs 0 ;;
	11) ethtool -C "$DUT_IF" rx-usecs 100 ;;
	12) ethtool -C "$DUT_IF" adaptive-rx on ;;
	esac
}

round() {
	c=0
	while [ $c -lt 13 ]; do
		change $c >/dev/null || fail "change $c of round $1 failed"
		wait_carrier "$DUT_IF" 1 15 || fail "no carrier 15 s after change $c of round $1"
		if [ $c = 0 ]; then
			ping -q -c 2 -i 0.2 -W 3 -M "do" -s 8972 "$PEER_IP" >/dev/null ||
				fail "no 9000-byte ping at MTU 9000 in round $1"
		fi
		ITERATIONS=$((ITERATIONS + 1))
		c=$((c + 1))
	done
}

for dir in out in; do
	paced_start $dir "$mib"
	r=0
	while [ $r -lt "$rounds" ]; do
		r=$((r + 1))
		round $r
	done
	paced_stop
	ok "$rounds round(s) of changes during the transfer ($dir)"
done
[ "$(ethtool -g "$DUT_IF" | awk '/^RX:/ { n++ } n == 2 && /^RX:/ { print $2 }')" = 256 ] ||
	fail "the RX ring is not back to 256"
in_peer ip link set "$PEER_IF" mtu 1500
stress_done
