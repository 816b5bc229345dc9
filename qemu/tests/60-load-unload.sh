#!/bin/sh
# 20 unload/load cycles of re1000; every fifth one carries traffic first.
. "$(dirname "$0")/lib.sh"
[ "$RE1000_DRIVER" = re1000 ] || fail "this test needs --driver re1000"
n=0
while [ $n -lt 20 ]; do
	rmmod re1000 || fail "rmmod failed on cycle $n"
	[ ! -e "/sys/class/net/$DUT_IF" ] || fail "$DUT_IF still exists after rmmod"
	insmod "$RE1000_MODULE" || fail "insmod failed on cycle $n"
	if [ $((n % 5)) = 4 ]; then
		dut_up || fail "no carrier after reload on cycle $n"
		ping -q -c 3 -i 0.2 -W 3 "$PEER_IP" >/dev/null || fail "no ping after reload on cycle $n"
	fi
	n=$((n + 1))
done
ok "20 unload/load cycles"
grep -c "re1000" /proc/modules >/dev/null || fail "re1000 not loaded at the end"
