#!/bin/sh
# The interface goes down and up under traffic, then the device is removed
# from the PCI bus under traffic (QEMU's device_del: what a hot-unplug does to
# the driver) and added back: the driver lets go cleanly, binds to the new
# device and carries traffic again.
. "$(dirname "$0")/lib.sh"
[ "$RE1000_DRIVER" = re1000 ] || fail "this test needs --driver re1000"
in_peer iperf3 -s -D -p 5201 >/dev/null 2>&1
peer_listening 5201 || fail "no iperf3 server listening on port 5201"
iperf3 -c "$PEER_IP" -p 5201 -t 60 >/dev/null 2>&1 &
sleep 2
n=0
while [ $n -lt 5 ]; do
	ip link set "$DUT_IF" down || fail "link down failed on cycle $n"
	sleep 0.3
	ip link set "$DUT_IF" up || fail "link up failed on cycle $n"
	wait_carrier "$DUT_IF" 1 10 || fail "no carrier after up on cycle $n"
	n=$((n + 1))
done
pkill -x iperf3 || true
wait
ping -q -c 3 -i 0.2 -W 3 "$PEER_IP" >/dev/null || fail "no ping after down/up cycles"
ok "5 down/up cycles under traffic"

in_peer iperf3 -s -D -p 5202 >/dev/null 2>&1
peer_listening 5202 || fail "no iperf3 server listening on port 5202"
iperf3 -c "$PEER_IP" -p 5202 -t 60 >/dev/null 2>&1 &
sleep 2
qemu-monitor "device_del dut" >/dev/null || fail "device_del failed"
i=0
while [ -e "/sys/class/net/$DUT_IF" ]; do
	i=$((i + 1))
	[ $i -le 100 ] || fail "$DUT_IF still present 10 s after device_del"
	sleep 0.1
done
ok "device removed under traffic: $DUT_IF gone"
pkill -x iperf3 || true
wait
sleep 1
qemu-monitor "device_add $RE1000_DUT_DEVICE" >/dev/null ||
	fail "device_add failed"
dut_up || fail "the re-added device did not come up"
ping -q -c 3 -i 0.2 -W 3 "$PEER_IP" >/dev/null || fail "no ping after device_add"
ok "device added back as $DUT_IF and carrying traffic"
