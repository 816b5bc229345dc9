#!/bin/sh
# System sleep: a real suspend to RAM (S3: QEMU resets the device, as a
# real S3 cuts its power), the kernel's test of suspend to idle and of
# hibernation (pm_test "devices": the drivers' suspend and resume, freeze
# and restore callbacks), S3 with Wake-on-LAN armed where the platform
# allows it, and S3 with the interface down. After each the
# interface carries traffic again, intact both ways, and the PM core
# reports no driver error. Runs from a root in memory (lib.sh: sleep_root).
. "$(dirname "$0")/lib.sh"
[ -n "$SLEEP_ROOT_IN" ] || sleep_root
trap 'sleep_root_exit $?' EXIT

make_payload /tmp/out.bin 8
# traffic WHEN: carrier, ping, and 8 MiB intact each way.
traffic() {
	wait_carrier "$DUT_IF" 1 15 || fail "no carrier $1"
	ping -q -c 5 -i 0.2 -W 3 "$PEER_IP" >/dev/null || fail "no ping reply $1"
	send_to_peer /tmp/out.bin /tmp/at-peer.bin || fail "transfer to the peer failed $1"
	[ "$(sha /tmp/out.bin)" = "$(sha /tmp/at-peer.bin)" ] || fail "payload to the peer corrupted $1"
	recv_from_peer /tmp/out.bin /tmp/from-peer.bin || fail "transfer from the peer failed $1"
	[ "$(sha /tmp/out.bin)" = "$(sha /tmp/from-peer.bin)" ] || fail "payload from the peer corrupted $1"
	if dmesg | grep -E "PM: .*(failed to|returns -)" >/tmp/pm-errors; then
		fail "the PM core reports: $(cat /tmp/pm-errors)"
	fi
	ok "$1: ping and 8 MiB each way intact"
}

driver=$(ethtool -i "$DUT_IF" | awk '/^driver:/ { print $2 }')
traffic "before sleeping ($driver)"

sleep_cycle mem
traffic "after suspend to RAM (S3)"

sleep_cycle freeze devices
traffic "after suspend to idle (pm_test devices)"

sleep_cycle disk devices
traffic "after hibernation (pm_test devices: freeze, restore)"

# Where the platform lets the device wake the system (QEMU's q35, behind a
# PCIe root port), once more with Wake-on-LAN armed: the device sleeps with
# its receiver on for the wake-up filters, and it stays armed.
wakeup=/sys/class/net/$DUT_IF/device/power/wakeup
if [ -e "$wakeup" ]; then
	ethtool -s "$DUT_IF" wol g || fail "wol g refused"
	sleep_cycle mem
	traffic "after S3 with Wake-on-LAN armed"
	ethtool "$DUT_IF" | grep -q "Wake-on: g" || fail "wol not armed after S3"
	[ "$(cat "$wakeup")" = enabled ] || fail "power/wakeup $(cat "$wakeup") after S3 with wol g"
	ethtool -s "$DUT_IF" wol d || fail "wol d refused"
fi

ip link set "$DUT_IF" down || fail "ip link set down"
sleep_cycle mem
[ "$(cat "/sys/class/net/$DUT_IF/operstate")" = down ] ||
	fail "interface not down after S3 while down: $(cat "/sys/class/net/$DUT_IF/operstate")"
ip link set "$DUT_IF" up || fail "ip link set up after S3 while down"
traffic "up again after S3 while down"
exit 0
