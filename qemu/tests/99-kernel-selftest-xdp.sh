#!/bin/sh
# qemu-run: --tcg-threads single --timeout 1100
# The kernel's own XDP driver selftest, drivers/net/xdp.py from the guest
# kernel's tree (7.x; 6.12's tree has none: the test says so and passes),
# with the peer namespace as the remote end: native XDP_PASS, XDP_DROP,
# XDP_TX, bpf_xdp_adjust_tail and _head on single- and multi-buffer frames,
# IPv4 and IPv6, the per-queue XDP statistics, and a swap from a
# multi-buffer to a single-buffer program. Every case must pass: none skips
# on re1000. xdp.py loads xdp_native.bpf.o (scripts/selftest-helpers builds
# it), which needs the kernel's BTF (qemu/kernel-7.3.config) and bpftool.
# Single-threaded TCG: the test changes programs (the kernel patches its
# BPF dispatcher) while the vCPUs run (Documentation/design.rst, "QEMU 7.2
# and QEMU 10").
. "$(dirname "$0")/lib.sh"
K=$(readlink -f "$RE1000_KDIR/source")
dir="$K/tools/testing/selftests/drivers/net"
[ -d "$dir" ] || fail "no drivers/net selftests in $K"
if [ ! -f "$dir/xdp.py" ]; then
	ok "no drivers/net/xdp.py in $(uname -r)'s tree: nothing to run"
	exit 0
fi
# 7.3-debug is built without BTF (qemu/kernel-7.3-debug.config); 7.3 must
# have it.
if [ "${RE1000_KERNEL:-default}" = 7.3-debug ] &&
	! grep -q "^CONFIG_DEBUG_INFO_BTF=y" "$RE1000_KDIR/.config"; then
	ok "the 7.3-debug kernel is built without BTF, which xdp.py's program needs: not run"
	exit 0
fi
[ -f /sys/kernel/btf/vmlinux ] || fail "the guest kernel has no BTF (/sys/kernel/btf/vmlinux)"
[ -f /sys/kernel/btf/re1000 ] || fail "re1000.ko has no BTF (/sys/kernel/btf/re1000)"
command -v bpftool >/dev/null || fail "no bpftool (scripts/setup installs it)"
[ -f "$K/tools/testing/selftests/net/lib/xdp_native.bpf.o" ] ||
	fail "no xdp_native.bpf.o (scripts/selftest-helpers builds it)"
# The environment scripts/selftests gives every driver selftest (NetDrvEpEnv,
# the ethtool that speaks JSON, the peer named sfpeer0). xdp.py took 336 s
# here and about 420 s on the CI machine (the whole test 455 s, 2026-12-07):
# 960 leaves room for a slower machine, and the guest's 1100 s (the line at
# the top) room to report a hang.
sh "$(dirname "$0")/../selftests/run-in-guest.sh" 960 drivers/net/xdp.py >/tmp/ksft.out 2>&1
grep -E "^(ok|not ok) |^SELFTEST-" /tmp/ksft.out
n_ok=$(grep -c "^ok " /tmp/ksft.out)
if ! grep -q "^SELFTEST-END drivers/net/xdp.py rc=0 " /tmp/ksft.out ||
	grep -q "^not ok\|# SKIP\|# XFAIL\|^SELFTEST-ERROR\|^SELFTEST-LINK" /tmp/ksft.out ||
	! grep -q "Totals: pass:[0-9]* fail:0 xfail:0 xpass:0 skip:0 error:0" /tmp/ksft.out ||
	[ "$n_ok" -lt 27 ]; then
	cat /tmp/ksft.out
	fail "kernel selftest drivers/net/xdp.py ($n_ok cases ok; 27 expected)"
fi
ok "drivers/net/xdp.py: $(grep Totals /tmp/ksft.out)"
ethtool -S "$DUT_IF" | grep -E "xdp_(pass|drop|tx|aborted):" | sed 's/^ */  /'
