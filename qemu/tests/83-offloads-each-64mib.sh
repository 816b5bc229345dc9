#!/bin/sh
# Each offload turned off on its own (then on again): 64 MiB each way arrives
# intact every time, and what the offload does stops and starts (TSO's counter
# moves only while TSO is on).
. "$(dirname "$0")/lib.sh"
# 8 MiB on the debug kernel, which moves a few Mbit/s under TCG:
# 16 transfers of 64 MiB would outlast the test's limit there.
mib=64
[ "${RE1000_KERNEL:-default}" = debug ] && mib=8
make_payload /tmp/out.bin $mib
want=$(sha /tmp/out.bin)
tso_count() {
	ethtool -S "$DUT_IF" | awk '$1 == "tx_tcp_seg_good:" {print $2}'
}
# both_ways LABEL: the payload out and in, both checked.
both_ways() {
	send_to_peer /tmp/out.bin /tmp/at-peer.bin || fail "$1: sending failed"
	[ "$(sha /tmp/at-peer.bin)" = "$want" ] || fail "$1: payload corrupted on the way out"
	recv_from_peer /tmp/out.bin /tmp/got.bin || fail "$1: receiving failed"
	[ "$(sha /tmp/got.bin)" = "$want" ] || fail "$1: payload corrupted on the way in"
	rm -f /tmp/at-peer.bin /tmp/got.bin
}
for feature in sg tx tso rxvlan txvlan rx-vlan-filter rx-all rx-fcs; do
	case $feature in
	rx-all | rx-fcs) off=on on=off ;;
	*) off=off on=on ;;
	esac
	ethtool -K "$DUT_IF" "$feature" "$off" || fail "ethtool -K $feature $off failed"
	# An RCTL change holds QEMU's receiver for a second.
	sleep 1.5
	t0=$(tso_count)
	both_ways "$feature $off"
	t1=$(tso_count)
	if ethtool -k "$DUT_IF" | grep -q "^tcp-segmentation-offload: on"; then
		[ "$t1" -gt "$t0" ] || fail "$feature $off: TSO on but unused ($t0 -> $t1)"
	else
		[ "$t1" = "$t0" ] || fail "$feature $off: TSO off but used ($t0 -> $t1)"
	fi
	ethtool -K "$DUT_IF" "$feature" "$on" || fail "ethtool -K $feature $on failed"
	sleep 1.5
	both_ways "$feature $on"
	ok "$feature $off, then $on: $mib MiB each way intact both times (TSO frames $t0 -> $t1)"
done
