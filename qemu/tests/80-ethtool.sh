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
want="256 256 "
[ "$cur" = "$want" ] || fail "rings (RX TX) are $cur, not $want: $(cat /tmp/ring)"
ok "ethtool -g: $cur descriptors (RX TX)"

# The ethtool core's buffers, through the raw ioctls: the counts it sizes
# them by agree (GDRVINFO, GSTRINGS, GSTATS), and a register dump shorter
# than the device's (6 bytes, a partial word) returns just those bytes.
python3 - "$DUT_IF" <<'PY' >/tmp/bounds || fail "ethtool ioctls: $(cat /tmp/bounds)"
import ctypes, fcntl, socket, struct, sys

sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)


def ethtool(words, extra=0):
    buf = ctypes.create_string_buffer(struct.pack("%dI" % len(words), *words) + bytes(extra))
    ifr = struct.pack("16sP", sys.argv[1].encode(), ctypes.addressof(buf))
    fcntl.ioctl(sock, 0x8946, ifr + bytes(40 - len(ifr)))  # SIOCETHTOOL
    return buf.raw


info = ethtool([0x3], 192)  # GDRVINFO
n_stats, tests, _, regdump = struct.unpack_from("4I", info, 180)
strings = struct.unpack_from("I", ethtool([0x1B, 1, 0], n_stats * 32), 8)[0]  # GSTRINGS, ETH_SS_STATS
stats = struct.unpack_from("I", ethtool([0x1D, 0], n_stats * 8), 4)[0]  # GSTATS
if not n_stats == strings == stats:
    sys.exit("stat counts differ: drvinfo %d, strings %d, stats %d" % (n_stats, strings, stats))
full = ethtool([0x4, 0, regdump], regdump)  # GREGS
part = ethtool([0x4, 0, 6], 6)
if struct.unpack_from("I", part, 8)[0] != 6 or part[12:18] != full[12:18]:
    sys.exit("6-byte dump %s, full dump starts %s" % (part[8:18].hex(), full[8:18].hex()))
print("%d stats, %d tests, %d-byte dump; 6 bytes of it: %s" % (n_stats, tests, regdump, part[12:18].hex()))
PY
ok "ethtool buffers: $(cat /tmp/bounds)"
