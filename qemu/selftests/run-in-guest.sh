#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# qemu/selftests/run-in-guest.sh: runs the kernel's own driver selftests,
# from the guest kernel's tree, against the driver under test (started by
# scripts/selftests through qemu/run; the host parses what it prints).
#
#   sh qemu/selftests/run-in-guest.sh TIMEOUT TEST...
#
# TEST is a path under tools/testing/selftests (drivers/net/ping.py,
# drivers/net/hw/ethtool_rmon.sh, net/netdevice.sh). Each runs from its own
# folder with at most TIMEOUT seconds, between the lines
#   SELFTEST-BEGIN TEST
#   SELFTEST-END TEST rc=N seconds=N
# (rc 124: timed out; SELFTEST-ABSENT TEST when this tree lacks it), after
# a first line "SELFTEST-NETIF IF" naming the interface under test, and
# "selftests: begin TEST" / "selftests: end TEST" go to the kernel log, so
# that the host can put a kernel splat on the test that caused it.
#
# The drivers/net tests get their environment as drivers/net/README.rst
# describes it (NetDrvEpEnv): NETIF, LOCAL_V4/V6, REMOTE_V4/V6 and a netns
# remote (REMOTE_TYPE=netns, REMOTE_ARGS=the peer's namespace), and
# KSFT_MACHINE_SLOW=yes (the kernel's knob for slow machines: TCG).
# Shell tests built on net/forwarding/lib.sh that are not
# DRIVER_TEST_CONFORMANT (6.12's hw/ethtool_rmon.sh, hw/loopback.sh) take
# two local interfaces: the peer comes back into the main namespace for
# them and goes back into its own afterwards. After each test both ends are
# put back as qemu/guest/setup-net left them (up, MTU 1500, addressed) and
# a ping checks the link (a "SELFTEST-LINK TEST broken" line otherwise).
# "SELFTEST-ERROR TEST|- WHAT" reports a set-up step that failed.
. "$(dirname "$0")/../tests/lib.sh"

TIMEOUT=$1
shift
K=$(readlink -f "$RE1000_KDIR/source")
ST=$K/tools/testing/selftests
export NETIF="$DUT_IF" LOCAL_V4="$DUT_IP" REMOTE_V4="$PEER_IP" LOCAL_V6="$DUT_IP6" \
	REMOTE_V6="$PEER_IP6" REMOTE_TYPE=netns REMOTE_ARGS="$PEER_NS" \
	PYTHONDONTWRITEBYTECODE=1 KSFT_MACHINE_SLOW=yes

# The peer back in the main namespace (for a test that takes two local
# interfaces), and into its own again.
peer_to_main() {
	ip -n "$PEER_NS" link set "$PEER_IF" netns 1
}
peer_to_ns() {
	if [ -e "/sys/class/net/$PEER_IF" ]; then
		ip link set "$PEER_IF" netns "$PEER_NS"
	fi
}

# Both ends as qemu/guest/setup-net left them; 0 when a ping crosses.
restore() {
	peer_to_ns 2>/dev/null
	ip link set "$DUT_IF" mtu 1500 up 2>/dev/null
	ip addr replace "$DUT_IP/24" dev "$DUT_IF" 2>/dev/null
	ip addr replace "$DUT_IP6/64" dev "$DUT_IF" nodad 2>/dev/null
	in_peer ip link set "$PEER_IF" mtu 1500 up 2>/dev/null
	in_peer ip addr replace "$PEER_IP/24" dev "$PEER_IF" 2>/dev/null
	in_peer ip addr replace "$PEER_IP6/64" dev "$PEER_IF" nodad 2>/dev/null
	wait_carrier "$DUT_IF" 1 10
	ping -q -c 1 -W 5 "$PEER_IP" >/dev/null 2>&1 ||
		ping -q -c 2 -W 5 "$PEER_IP" >/dev/null 2>&1
}

# virtio-net is built in and probes first: the peer was eth0 before it
# moved into its namespace, where the device under test took the name too.
# net/forwarding/lib.sh refuses a remote interface of the local one's name
# (it keys its targets by name), and the peer cannot come back into the
# main namespace under it: the peer gets a name of its own (renaming takes
# the link down, which drops its IPv6 address: restore adds it again).
if [ "$PEER_IF" != sfpeer0 ]; then
	in_peer ip link set "$PEER_IF" down &&
		in_peer ip link set "$PEER_IF" name sfpeer0 || echo "SELFTEST-ERROR - cannot rename the peer"
	PEER_IF=sfpeer0
	export PEER_IF
fi
restore || echo "SELFTEST-ERROR - no ping to the peer before the first test"

# An ethtool older than 6.4 (Debian 12's 6.1) lacks "--src" and JSON for
# -l, -g and -c, which the 7.x tests use: qemu/selftests/bin/ethtool
# stands in front of it.
case "$(ethtool --version)" in
*" version "[1-5].* | *" version 6."[0-3] | *" version 6."[0-3].*)
	PATH="$(cd "$(dirname "$0")" && pwd)/bin:$PATH"
	export PATH
	;;
esac

# The guest's devtmpfs has no /dev/fd, which bash's process substitution
# needs (hw/ethtool_rmon.sh reads "<(...)").
[ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd

echo "SELFTEST-NETIF $DUT_IF"
for t in "$@"; do
	if [ ! -f "$ST/$t" ]; then
		echo "SELFTEST-ABSENT $t"
		continue
	fi
	dir=$(dirname "$ST/$t")
	name=$(basename "$t")
	args=""
	case "$t" in
	*.py) run="/usr/bin/python3 ./$name" ;;
	*.sh) if head -n 1 "$ST/$t" | grep -q bash; then run="bash ./$name"; else run="sh ./$name"; fi ;;
	*) run="./$name" ;;
	esac
	# A forwarding-style test that does not read the drivers/net
	# environment wants two local interfaces on its command line.
	two_local=0
	if [ "${t%.sh}" != "$t" ] && grep -q "forwarding/lib.sh" "$ST/$t" &&
		! grep -q "DRIVER_TEST_CONFORMANT:=yes" "$ST/$t"; then
		two_local=1
		peer_to_main || echo "SELFTEST-ERROR $t the peer did not come into the main namespace"
		args="$DUT_IF $PEER_IF"
	fi
	echo "SELFTEST-BEGIN $t"
	echo "selftests: begin $t" >/dev/kmsg
	start=$(date +%s)
	# shellcheck disable=SC2086 # the command and its arguments split on purpose
	(cd "$dir" && timeout -k 15 "$TIMEOUT" $run $args) </dev/null 2>&1
	rc=$?
	secs=$(($(date +%s) - start))
	echo "selftests: end $t rc=$rc" >/dev/kmsg
	echo "SELFTEST-END $t rc=$rc seconds=$secs"
	[ "$two_local" = 0 ] || peer_to_ns
	restore || echo "SELFTEST-LINK $t broken: no ping to the peer after the test"
done
echo "SELFTEST-DONE"
