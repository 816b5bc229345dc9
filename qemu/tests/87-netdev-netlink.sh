#!/bin/sh
# The netdev netlink family (the kernel's ynl tool) reports re1000's RX and
# TX queue served by its NAPI instance, and the NAPI instance's interrupt.
. "$(dirname "$0")/lib.sh"
idx=$(ifindex "$DUT_IF")
netdev_ynl --dump queue-get --json "{\"ifindex\": $idx}" >/tmp/queues || fail "ynl queue-get failed"
cat /tmp/queues
grep -q "'type': 'rx'" /tmp/queues || fail "no RX queue reported"
grep -q "'type': 'tx'" /tmp/queues || fail "no TX queue reported"
[ "$(grep -c "'napi-id'" /tmp/queues)" = 2 ] || fail "the queues are not linked to a NAPI instance"
netdev_ynl --dump napi-get --json "{\"ifindex\": $idx}" >/tmp/napi || fail "ynl napi-get failed"
cat /tmp/napi
irq=$(awk -v dev="$DUT_IF" '$NF == dev { sub(":", "", $1); print $1 }' /proc/interrupts)
grep -q "'irq': $irq" /tmp/napi || fail "NAPI instance does not report IRQ $irq"
ok "queues linked to NAPI, NAPI to IRQ $irq"
ip link set "$DUT_IF" down
netdev_ynl --dump queue-get --json "{\"ifindex\": $idx}" >/tmp/queues2 2>&1
if grep -q "'napi-id'" /tmp/queues2; then fail "queues still linked after down"; fi
ip link set "$DUT_IF" up
ok "queues unlinked while down"
