#!/bin/sh
# qemu-run: --tcg-threads single
# Generic XDP (ip link set ... xdpgeneric), which the stack runs on each
# sk_buff the driver hands over after copying any with less than XDP's
# headroom (256 bytes) in front. Under such a program re1000 copies no frame
# at its copybreak (a copy has 64 bytes of headroom, and the stack would
# copy it again): small frames reach the stack in sk_buffs built around
# their pool pages, which come back from the stack through the pool's ring
# (page-pool-stats-get: recycle-ring), not straight into its cache as a
# copied frame's page does (recycle-cached). ethtool's rx-copybreak keeps
# reading 256. A generic drop program loses every ping. Detached, the
# copybreak is back: the pings' pages go into the cache again.
. "$(dirname "$0")/lib.sh"
idx=$(ifindex "$DUT_IF")

# recycled: "CACHED RING" pages the interface's pools took back so far
# (ring: through the pool's ring, full or not); "none" without
# CONFIG_PAGE_POOL_STATS.
recycled() {
	netdev_ynl --dump page-pool-stats-get --output-json >/tmp/pps.json 2>/tmp/pps.err ||
		{ echo none; return; }
	/usr/bin/python3 - "$idx" <<'PY'
import json, sys
idx = int(sys.argv[1])
mine = [s for s in json.load(open("/tmp/pps.json")) if s.get("info", {}).get("ifindex") == idx]
t = lambda k: sum(s.get(k, 0) for s in mine)
print(t("recycle-cached"), t("recycle-ring") + t("recycle-ring-full"))
PY
}

# pings N: N pings of 56 bytes (under the copybreak), every one answered.
pings() {
	ping -q -c "$1" -i 0.02 -W 2 "$PEER_IP" >/tmp/ping.out 2>&1 ||
		fail "pings lost: $(tail -2 /tmp/ping.out)"
	grep -q " 0% packet loss" /tmp/ping.out || fail "pings lost: $(tail -2 /tmp/ping.out)"
}

# copybreak: ethtool's rx-copybreak.
copybreak() {
	ethtool --get-tunable "$DUT_IF" rx-copybreak | awk '$1 == "rx-copybreak:" { print $2 }'
}

build_xdp_progs || exit 0
[ "$(copybreak)" = 256 ] || fail "rx-copybreak is '$(copybreak)', not 256 by default"
pings 5

ip link set dev "$DUT_IF" xdpgeneric obj "$B/pass.o" sec xdp 2>/tmp/xdp.err ||
	fail "attaching a generic program failed: $(cat /tmp/xdp.err)"
ip -d link show dev "$DUT_IF" | grep -q "prog/xdp id" || fail "no generic program shown"
set -- $(recycled)
if [ "$1" = none ]; then
	pings 100
	echo "SKIP (this part): no page pool statistics in this kernel (CONFIG_PAGE_POOL_STATS): $(tail -1 /tmp/pps.err)"
	ok "generic XDP_PASS: 100 pings answered"
else
	c0=$1 r0=$2
	pings 100
	set -- $(recycled)
	[ $(($2 - r0)) -ge 100 ] ||
		fail "generic XDP_PASS: 100 pings brought $(($2 - r0)) pages back through the pool's ring and $(($1 - c0)) into its cache: frames were copied at the copybreak"
	ok "generic XDP_PASS: 100 pings answered, $(($2 - r0)) pages back through the ring (not copied), $(($1 - c0)) into the cache"
fi
[ "$(copybreak)" = 256 ] || fail "rx-copybreak reads '$(copybreak)' under a generic program"

ip -force link set dev "$DUT_IF" xdpgeneric obj "$B/drop.o" sec xdp 2>/tmp/xdp.err ||
	fail "replacing the generic program failed: $(cat /tmp/xdp.err)"
if ping -q -c 10 -i 0.1 -W 1 "$PEER_IP" >/tmp/ping.out 2>&1; then
	fail "pings answered under a generic drop program: $(tail -2 /tmp/ping.out)"
fi
grep -q " 100% packet loss" /tmp/ping.out || fail "not every ping lost: $(tail -2 /tmp/ping.out)"
ok "generic XDP_DROP: every ping lost"

ip link set dev "$DUT_IF" xdpgeneric off || fail "detaching the generic program failed"
ip -d link show dev "$DUT_IF" | grep -q "prog/xdp" && fail "a program is still shown after detaching"
set -- $(recycled)
if [ "$1" != none ]; then
	c0=$1 r0=$2
	pings 100
	set -- $(recycled)
	[ $(($1 - c0)) -ge 100 ] ||
		fail "detached: 100 pings brought $(($1 - c0)) pages into the pool's cache and $(($2 - r0)) through its ring: the copybreak is not back"
	ok "detached: 100 pings answered, $(($1 - c0)) pages straight into the cache (copied at the copybreak)"
else
	pings 20
	ok "detached: pings answered"
fi
