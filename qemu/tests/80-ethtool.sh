#!/bin/sh
# What ethtool reports for the device under test.
. "$(dirname "$0")/lib.sh"
ethtool -i "$DUT_IF" >/tmp/drv || fail "ethtool -i failed"
grep -qx "driver: $RE1000_DRIVER" /tmp/drv || fail "ethtool -i: $(head -1 /tmp/drv)"
grep -q "^bus-info: 0000:" /tmp/drv || fail "ethtool -i has no bus-info"
ok "ethtool -i: $(head -1 /tmp/drv), $(grep bus-info /tmp/drv)"
ethtool "$DUT_IF" | grep -q "Link detected: yes" || fail "ethtool: no link detected"
ok "ethtool: link detected"
ethtool -g "$DUT_IF" >/tmp/ring || fail "ethtool -g failed"
[ "$(awk '/^Current/ {c=1} c && /^RX:/ {print $2; exit}' /tmp/ring)" = 256 ] || fail "RX ring is not 256: $(cat /tmp/ring)"
ok "ethtool -g: 256 descriptors each way"
