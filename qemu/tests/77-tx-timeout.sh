#!/bin/sh
# qemu-run: --allow-tx-timeout
# A device that stops completing transmits: with bus mastering switched off
# in its PCI command register, QEMU's e1000 takes the descriptors but can no
# longer write them back, so the transmit queue fills and stays full. The
# core's watchdog must call re1000's tx_timeout, the driver must reset
# itself (counted in tx_timeout_count), and once the device can reach memory
# again the interface carries intact traffic both ways, with nothing
# reported but the watchdog's own line. The reset rebuilds the rings on the
# interrupt line the interface holds (request_irq and free_irq not called).
. "$(dirname "$0")/lib.sh"
[ "$RE1000_DRIVER" = re1000 ] || fail "this test needs --driver re1000"

cfg=$(readlink -f "/sys/class/net/$DUT_IF/device")/config
# pci_command [VALUE]: the PCI command register, read or written.
pci_command() {
	python3 - "$cfg" "$@" <<'PY'
import sys
with open(sys.argv[1], "r+b", buffering=0) as f:
    f.seek(4)
    if len(sys.argv) > 2:
        f.write(int(sys.argv[2]).to_bytes(2, "little"))
    else:
        print(int.from_bytes(f.read(2), "little"))
PY
}
timeouts() {
	ethtool -S "$DUT_IF" | awk '$1 == "tx_timeout_count:" { print $2 }'
}
resets() {
	dmesg | grep -c "$DUT_IF: transmit timed out: resetting"
}

ping -q -c 3 -W 2 "$PEER_IP" >/dev/null || fail "no traffic before the stall"
cmd0=$(pci_command)
[ $((cmd0 & 4)) -ne 0 ] || fail "bus mastering is off before the test (command $cmd0)"
t0=$(timeouts)
r0=$(resets)
irq_trace_on

pci_command $((cmd0 & ~4))
ok "bus mastering off (command $cmd0 -> $(pci_command))"
ping -q -i 0.002 -c 6000 -W 1 "$PEER_IP" >/dev/null 2>&1 &
pid=$!
i=0
while [ "$(resets)" -le "$r0" ]; do
	i=$((i + 1))
	[ $i -le 30 ] || fail "no transmit timeout within 30 s of the stall (tx_timeout_count $(timeouts))"
	sleep 1
done
ok "the watchdog fired after about $i s: $(dmesg | grep 'NETDEV WATCHDOG' | tail -1)"
pci_command "$cmd0"
wait $pid

# The reset may have run while the device was still cut off; the next
# timeout resets it again. Traffic must come back within a few watchdog periods.
i=0
until ping -q -c 1 -W 1 "$PEER_IP" >/dev/null 2>&1; do
	i=$((i + 1))
	[ $i -le 30 ] || fail "no traffic within 30 s of bus mastering back on (tx_timeout_count $(timeouts))"
done
t1=$(timeouts)
[ "$t1" -gt "$t0" ] || fail "tx_timeout_count did not move ($t0 -> $t1)"
ok "traffic again; tx_timeout_count $t0 -> $t1, resets logged $(($(resets) - r0))"
dmesg | grep -q "$DUT_IF: reset failed" && fail "a reset failed: $(dmesg | grep 'reset failed')"
requested=$(irq_traced request_threaded_irq)
freed=$(irq_traced free_irq)
[ "$requested" = 0 ] && [ "$freed" = 0 ] ||
	fail "the reset requested the interrupt line $requested times and freed it $freed times"
ok "the reset kept the interrupt line"

make_payload /tmp/out.bin 16
send_to_peer /tmp/out.bin /tmp/at-peer.bin || fail "transfer to the peer failed after the reset"
[ "$(sha /tmp/out.bin)" = "$(sha /tmp/at-peer.bin)" ] || fail "payload to the peer corrupted"
recv_from_peer /tmp/out.bin /tmp/from-peer.bin || fail "transfer from the peer failed after the reset"
[ "$(sha /tmp/out.bin)" = "$(sha /tmp/from-peer.bin)" ] || fail "payload from the peer corrupted"
ok "16 MiB each way intact after the reset"
