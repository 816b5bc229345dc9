#!/bin/sh
# The kernel's own selftests that apply to one NIC, from the guest kernel's
# tree (7.3 or 6.12):
# drivers/net ping.py, stats.py and queues.py (with the peer namespace as the
# remote end) and net/netdevice.sh. Each must pass or skip/xfail only where
# the kernel itself lacks the feature.
. "$(dirname "$0")/lib.sh"
K=$(readlink -f "$RE1000_KDIR/source")
export NETIF="$DUT_IF" LOCAL_V4="$DUT_IP" REMOTE_V4="$PEER_IP" LOCAL_V6="$DUT_IP6" \
	REMOTE_V6="$PEER_IP6" REMOTE_TYPE=netns REMOTE_ARGS="$PEER_NS" PYTHONDONTWRITEBYTECODE=1
cd "$K/tools/testing/selftests/drivers/net" || fail "no selftests in $K"
for t in ping.py stats.py queues.py; do
	timeout 300 /usr/bin/python3 "$t" >/tmp/ksft.out 2>&1
	rc=$?
	grep -E "^(ok|not ok)" /tmp/ksft.out
	# Cases that cannot apply here, each dropped only with its own cause:
	# 7.x's stats.py procfs_downup_hammer flips the channel count with
	# ethtool -L (re1000 and the C e1000 have one queue pair and no
	# get_channels); queues.py check_xsk needs AF_XDP, which a kernel
	# built without CONFIG_XDP_SOCKETS lacks (the guest kernels have it).
	dropped=0
	na() { # CASE CAUSE-PATTERN REASON
		if grep -q "^not ok [0-9]* $1\$" /tmp/ksft.out && grep -q "$2" /tmp/ksft.out; then
			echo "$1: not applicable ($3)"
			dropped=1
			sed -i "/^not ok [0-9]* $1\$/d" /tmp/ksft.out
		fi
	}
	na stats.procfs_downup_hammer "channels_get" "no ethtool channels"
	if ! grep -q "^CONFIG_XDP_SOCKETS=y" "$RE1000_KDIR/.config"; then
		na queues.check_xsk "unable to create AF_XDP socket" "no AF_XDP in this kernel"
	fi
	# The exit status counts the dropped cases as failures: then judge by
	# the remaining "not ok" lines.
	if [ "$dropped" = 1 ] && ! grep -q "^not ok" /tmp/ksft.out; then rc=0; fi
	if [ $rc != 0 ] || grep -q "^not ok" /tmp/ksft.out; then
		cat /tmp/ksft.out
		fail "kernel selftest drivers/net/$t"
	fi
	ok "drivers/net/$t: $(grep Totals /tmp/ksft.out)"
done
cd "$K/tools/testing/selftests/net" || fail "no net selftests"
timeout 300 sh ./netdevice.sh >/tmp/ksft.out 2>&1
if grep -q "^FAIL" /tmp/ksft.out; then
	grep "^FAIL" /tmp/ksft.out
	fail "kernel selftest net/netdevice.sh"
fi
ok "net/netdevice.sh: $(grep -c '^PASS' /tmp/ksft.out) passed, $(grep -c '^SKIP' /tmp/ksft.out) skipped"
