#!/bin/sh
# The kernel's IRQ deferral (napi_defer_hard_irqs with gro_flush_timeout):
# NAPI then declines completions (napi_complete_done returns false after
# letting the instance go and arming its timer), and any CPU may poll next.
# Traffic both ways arrives intact, the deferral path is shown to run (the
# timer's napi_watchdog fires), and once the knobs are cleared the device's
# interrupt works again.
. "$(dirname "$0")/lib.sh"
t=/sys/kernel/tracing
[ -e $t/trace ] || mount -t tracefs nodev $t || fail "cannot mount tracefs"
echo napi_watchdog >$t/set_ftrace_filter || fail "cannot trace napi_watchdog"
echo function >$t/current_tracer || fail "no function tracer"
echo >$t/trace
echo 1 >$t/tracing_on
echo 2 >"/sys/class/net/$DUT_IF/napi_defer_hard_irqs" || fail "cannot set napi_defer_hard_irqs"
echo 200000 >"/sys/class/net/$DUT_IF/gro_flush_timeout" || fail "cannot set gro_flush_timeout"
make_payload /tmp/out.bin 16
send_to_peer /tmp/out.bin /tmp/at-peer.bin || fail "transmit with deferred interrupts failed"
[ "$(sha /tmp/out.bin)" = "$(sha /tmp/at-peer.bin)" ] || fail "payload corrupted (transmit)"
recv_from_peer /tmp/out.bin /tmp/got.bin || fail "receive with deferred interrupts failed"
[ "$(sha /tmp/out.bin)" = "$(sha /tmp/got.bin)" ] || fail "payload corrupted (receive)"
in_peer iperf3 -s -1 -D >/dev/null 2>&1
peer_listening 5201 || fail "no iperf3 server listening on port 5201"
iperf3 -c "$PEER_IP" -t 4 --bidir >/tmp/iperf.txt 2>&1 || fail "iperf3 --bidir failed: $(tail -3 /tmp/iperf.txt)"
ping -q -c 20 -i 0.05 -W 2 "$PEER_IP" >/dev/null || fail "ping with deferred interrupts failed"
echo 0 >$t/tracing_on
fired=$(grep -c "napi_watchdog" $t/trace)
[ "$fired" -gt 0 ] || fail "the deferral timer never fired: the test did not exercise it"
ok "deferred interrupts: 16 MiB each way intact, iperf3 both ways, ping; NAPI's timer fired $fired times"
echo 0 >"/sys/class/net/$DUT_IF/napi_defer_hard_irqs"
echo 0 >"/sys/class/net/$DUT_IF/gro_flush_timeout"
echo nop >$t/current_tracer
irq0=$(irq_count "$DUT_IF")
ping -q -c 10 -i 0.1 -W 2 "$PEER_IP" >/dev/null || fail "ping after clearing the knobs failed"
irq1=$(irq_count "$DUT_IF")
[ "$irq1" -gt "$irq0" ] || fail "no interrupts after clearing the knobs ($irq0 -> $irq1)"
ip link set "$DUT_IF" down
ip link set "$DUT_IF" up
wait_carrier "$DUT_IF" 1 10 || fail "no carrier after down/up"
ping -q -c 5 -i 0.1 -W 2 "$PEER_IP" >/dev/null || fail "ping after down/up failed"
ok "interrupts again after clearing the knobs ($irq0 -> $irq1); down/up clean"
