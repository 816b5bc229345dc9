#!/bin/sh
# hot-unplug: the device leaves the PCI bus under iperf3 (QEMU's device_del)
# and is added back (device_add, as qemu/tests/75-down-up-hotplug.sh does),
# full: 5 times: re1000 lets go cleanly, binds to the new device, and the
# interface carries a sha256-checked transfer each way every time.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
cycles=$(scaled 5 1)
mib=$(scaled 8 1)
while [ "$ITERATIONS" -lt "$cycles" ]; do
	n=$ITERATIONS
	iperf_start out
	sleep 2
	qemu-monitor "device_del dut" >/dev/null || fail "device_del failed on cycle $n"
	i=0
	while [ -e "/sys/class/net/$DUT_IF" ]; do
		i=$((i + 1))
		[ $i -le 300 ] || fail "$DUT_IF still present 30 s after device_del on cycle $n"
		sleep 0.1
	done
	# The client lost its interface: stop it rather than wait for TCP to give up.
	pkill -x iperf3
	wait
	IPERF_PIDS=""
	# QEMU frees the id once the guest has ejected the device: try again meanwhile.
	i=0
	until qemu-monitor "device_add $RE1000_DUT_DEVICE" >/tmp/add.out; do
		i=$((i + 1))
		[ $i -le 20 ] || fail "device_add failed on cycle $n: $(cat /tmp/add.out)"
		sleep 1
	done
	dut_up || fail "the re-added device did not come up on cycle $n"
	ping -q -c 3 -i 0.2 -W 3 "$PEER_IP" >/dev/null || fail "no ping after device_add on cycle $n"
	checked_transfer out "$mib"
	checked_transfer in "$mib"
	ITERATIONS=$((n + 1))
done
ok "$cycles unplug/replug cycles under traffic"
stress_done
