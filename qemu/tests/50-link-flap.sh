#!/bin/sh
# Link off and on through QEMU's monitor in the middle of a transfer: carrier
# drops and comes back, the kernel says so, and the payload arrives intact.
. "$(dirname "$0")/lib.sh"
make_payload /tmp/out.bin 32
rm -f /tmp/at-peer.bin
in_peer socat -u TCP-LISTEN:5001,reuseaddr OPEN:/tmp/at-peer.bin,creat,trunc &
lpid=$!
sleep 0.5
# Feed the sender 1 MiB at a time so that the link drops mid-transfer.
(
	i=0
	while [ $i -lt 32 ]; do
		dd if=/tmp/out.bin bs=1M skip=$i count=1 status=none
		sleep 0.15
		i=$((i + 1))
	done
) | socat -u - TCP:"$PEER_IP":5001,retry=20,interval=0.2 &
spid=$!
sleep 1
qemu-monitor "set_link dut off" >/dev/null || fail "set_link off failed"
wait_carrier "$DUT_IF" 0 5 || fail "carrier still on 5 s after set_link off"
ok "carrier dropped"
sleep 2
qemu-monitor "set_link dut on" >/dev/null || fail "set_link on failed"
wait_carrier "$DUT_IF" 1 10 || fail "carrier not back 10 s after set_link on"
ok "carrier restored"
wait "$spid" || fail "the sender failed"
wait "$lpid" || fail "the receiver failed"
[ "$(sha /tmp/out.bin)" = "$(sha /tmp/at-peer.bin)" ] || fail "payload corrupted across the link flap"
ok "32 MiB intact across the flap"
dmesg | grep -q "Link is Down" || fail "no 'Link is Down' in the kernel log"
dmesg | grep -q "Link is Up 1000 Mbps Full Duplex" || fail "no 'Link is Up 1000 Mbps Full Duplex'"
ok "link messages logged"
