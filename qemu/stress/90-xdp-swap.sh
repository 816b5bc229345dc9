#!/bin/sh
# qemu-run: --tcg-threads single
# xdp-swap: native XDP programs attached, swapped and detached (full: 100
# rounds, short: 10) while a sha256-checked TCP transfer crosses the link,
# once in each direction, and the peer pings the DUT fast: a round attaches
# the pass program, swaps in icmp_reply (XDP_TX frames then share the
# transmit ring with the transfer), then drop_icmp, then detaches; every
# fifth round resizes the rings with a program attached (the page pools and
# their XDP receive queues are rebuilt under it, XDP_TX frames still in the
# old transmit ring). The transfers stay intact and the kernel log clean
# (kmemleak on the debug kernels: no page or program left behind).
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
rounds=$(scaled 100 10)
mib=$(scaled 64 4)
build_xdp_progs || { STRESS_EXTRA=" skipped=no-bpf-compiler"; stress_line; exit 0; }
if ! xdp_swaps_safe; then
	echo "SKIP: program swaps under traffic need qemu/run --tcg-threads single: multi-threaded TCG crashes the kernel's BPF dispatcher patching (qemu/tests/lib.sh, xdp_swaps_safe)"
	STRESS_EXTRA=" skipped=multi-threaded-tcg"
	stress_line
	exit 0
fi

# prog NAME: attach (or replace with) program NAME; off: detach.
prog() {
	if [ "$1" = off ]; then
		ip link set dev "$DUT_IF" xdpdrv off || fail "detaching failed"
	else
		ip -force link set dev "$DUT_IF" xdpdrv obj "$B/$1.o" sec xdp 2>/tmp/xdp.err ||
			fail "attaching $1 failed: $(cat /tmp/xdp.err)"
	fi
	ITERATIONS=$((ITERATIONS + 1))
}

# The peer's pings, which icmp_reply answers from the driver and drop_icmp
# drops: replies may be lost, the pings only keep XDP_TX busy.
in_peer sh -c "ping -q -i 0.01 -W 1 $DUT_IP >/dev/null 2>&1 & echo \$! >/tmp/peer-ping.pid"

for dir in out in; do
	paced_start $dir "$mib"
	r=0
	while [ $r -lt "$rounds" ]; do
		r=$((r + 1))
		prog pass
		prog icmp_reply
		sleep 0.1
		if [ $((r % 5)) = 0 ]; then
			size=1024
			[ $((r % 10)) = 0 ] && size=256
			ethtool -G "$DUT_IF" rx $size >/dev/null ||
				fail "ring resize under a program failed in round $r"
			wait_carrier "$DUT_IF" 1 15 || fail "no carrier after the resize of round $r"
		fi
		prog drop_icmp
		prog off
	done
	paced_stop
	ok "$rounds rounds of attach, swap, detach during the transfer ($dir)"
done
# shellcheck disable=SC2016 # expands in the peer's shell
in_peer sh -c 'kill "$(cat /tmp/peer-ping.pid)"'
ethtool -G "$DUT_IF" rx 256 >/dev/null || fail "ring back to 256 refused"
ip -d link show dev "$DUT_IF" | grep -q "prog/xdp" && fail "a program is still attached"
xdp_tx=$(ethtool -S "$DUT_IF" | awk '$1 == "xdp_tx:" { print $2 }')
[ "${xdp_tx:-0}" -gt 0 ] || fail "no XDP_TX frame was sent (xdp_tx ${xdp_tx:-absent})"
STRESS_EXTRA=" xdp_tx=$xdp_tx"
stress_done
