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
cur=$(awk '/^Current/ {c=1} c && /^RX:/ {print $2} c && /^TX:/ {print $2; exit}' /tmp/ring | tr '\n' ' ')
if [ "$RE1000_DRIVER" = re1000 ]; then want="1024 256 "; else want="256 256 "; fi
[ "$cur" = "$want" ] || fail "rings (RX TX) are $cur, not $want: $(cat /tmp/ring)"
ok "ethtool -g: $cur descriptors (RX TX)"
