#!/bin/sh
# The kernel's own selftests that apply to one NIC, from the 6.12 tree:
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
