#!/bin/sh
# Receive buffers come from a page pool, one per ring, which the netdev
# netlink family lists on the interface (page-pool-get). While up, exactly
# one pool is live, holding no more pages than its ring, its recycling ring
# (as large) and its cache (128) can (its "inflight": pages it took from
# the page allocator and has not given back). Ring
# resizes, MTU changes and down/up replace it and leak nothing: once the
# stack has given back what it held, no pool of the interface is left
# detached (a pool destroyed with pages out stays listed, detached, until
# they return). 16 MiB cross each way intact at MTU 1500 (frames built
# around the pool's pages) and at MTU 9000 (pages chained as fragments).
# The copybreak is ethtool's rx-copybreak tunable: 256 bytes by default,
# 0 to 2048; with 2048 every frame is copied, with 0 none, and transfers
# stay intact either way.
. "$(dirname "$0")/lib.sh"
idx=$(ifindex "$DUT_IF")

# pools: "LIVE DETACHED INFLIGHT" of the interface's pools (INFLIGHT: pages
# the live ones have out).
pools() {
	netdev_ynl --dump page-pool-get --output-json >/tmp/pp.json || fail "ynl page-pool-get failed"
	/usr/bin/python3 - "$idx" <<'EOF'
import json, sys
idx = int(sys.argv[1])
mine = [p for p in json.load(open("/tmp/pp.json")) if p.get("ifindex") == idx]
live = [p for p in mine if "detach-time" not in p]
print(len(live), len(mine) - len(live), sum(p.get("inflight", 0) for p in live))
EOF
}

# expect_pools LIVE WHAT: LIVE pools live and none detached, within 10 s
# (a detached pool is retried once a second).
expect_pools() {
	i=0
	while :; do
		set -- "$1" "$2" $(pools)
		[ "$3" = "$1" ] && [ "$4" = 0 ] && break
		i=$((i + 1))
		[ $i -le 20 ] || fail "$2: $3 live and $4 detached pools (expected $1 live, none detached)"
		sleep 0.5
	done
	if [ "$1" -gt 0 ]; then
		ring=$(ethtool -g "$DUT_IF" | awk '/^Current/ { c = 1 } c && $1 == "RX:" { print $2; exit }')
		[ "$5" -ge $((ring - 1)) ] && [ "$5" -le $((2 * ring + 128)) ] ||
			fail "$2: the live pool holds $5 pages for a ring of $ring"
		ok "$2: one live pool, holding $5 pages for a ring of $ring, none detached"
	else
		ok "$2: no pool left"
	fi
}

# both_ways WHAT: 16 MiB in and out, intact.
both_ways() {
	recv_from_peer /tmp/out.bin /tmp/got.bin || fail "$1: receiving failed"
	[ "$(sha /tmp/out.bin)" = "$(sha /tmp/got.bin)" ] || fail "$1: payload corrupted on the way in"
	send_to_peer /tmp/out.bin /tmp/at-peer.bin || fail "$1: sending failed"
	[ "$(sha /tmp/out.bin)" = "$(sha /tmp/at-peer.bin)" ] || fail "$1: payload corrupted on the way out"
	ok "$1: 16 MiB intact both ways"
}

ring0=$(ethtool -g "$DUT_IF" | awk '/^Current/ { c = 1 } c && $1 == "RX:" { print $2; exit }')
make_payload /tmp/out.bin 16
netdev_ynl --dump page-pool-get --output-json >/dev/null 2>&1 || fail "no page-pool-get in this kernel's netdev family"
expect_pools 1 "up"
both_ways "MTU 1500"
expect_pools 1 "after the transfers"

# The pool's statistics (page-pool-stats-get, CONFIG_PAGE_POOL_STATS): after
# 32 MiB it has taken pages from the page allocator and recycled pages
# through its ring (the pages the stack gave back).
if netdev_ynl --dump page-pool-stats-get --output-json >/tmp/pps.json 2>/tmp/pps.err; then
	set -- $(/usr/bin/python3 - "$idx" <<'EOF'
import json, sys
idx = int(sys.argv[1])
mine = [s for s in json.load(open("/tmp/pps.json")) if s.get("info", {}).get("ifindex") == idx]
if not mine:
    print("none")
else:
    t = lambda k: sum(s.get(k, 0) for s in mine)
    print(len(mine), t("alloc-slow") + t("alloc-slow-high-order"), t("alloc-fast"),
          t("recycle-cached"), t("recycle-ring"))
EOF
)
	[ "$1" != none ] || fail "page-pool-stats-get lists no pool of $DUT_IF: $(cat /tmp/pps.json)"
	[ "$2" -gt 0 ] && [ "$5" -gt 0 ] ||
		fail "pool statistics: $2 pages allocated, $3 fast, $4 recycled from the cache, $5 through the ring"
	ok "page-pool-stats-get: $1 pool(s), $2 pages from the allocator, $3 from the cache, recycled $4 cached and $5 through the ring"
else
	echo "SKIP (this part): no page pool statistics in this kernel (CONFIG_PAGE_POOL_STATS): $(tail -1 /tmp/pps.err)"
fi

# copybreak N: sets rx-copybreak and reads it back.
copybreak() {
	ethtool --set-tunable "$DUT_IF" rx-copybreak "$1" || fail "rx-copybreak $1 refused"
	got=$(ethtool --get-tunable "$DUT_IF" rx-copybreak | awk '$1 == "rx-copybreak:" { print $2 }')
	[ "$got" = "$1" ] || fail "rx-copybreak reads $got after setting $1"
}
got=$(ethtool --get-tunable "$DUT_IF" rx-copybreak | awk '$1 == "rx-copybreak:" { print $2 }')
[ "$got" = 256 ] || fail "rx-copybreak is '$got', not 256 by default"
copybreak 2048
both_ways "rx-copybreak 2048 (every frame copied)"
copybreak 0
both_ways "rx-copybreak 0 (no frame copied)"
if ethtool --set-tunable "$DUT_IF" rx-copybreak 2049 2>/dev/null; then
	fail "rx-copybreak 2049 accepted"
fi
copybreak 256
ok "rx-copybreak: 256 by default, 0 and 2048 taken, 2049 refused"
expect_pools 1 "after the copybreak changes"

ethtool -G "$DUT_IF" rx 512 || fail "ethtool -G rx 512 refused"
wait_carrier "$DUT_IF" 1 10 || fail "no carrier after the ring resize"
expect_pools 1 "ring resized to 512"

ip link set "$DUT_IF" mtu 9000 || fail "MTU 9000 refused"
in_peer ip link set "$PEER_IF" mtu 9000 || fail "peer MTU 9000 refused"
wait_carrier "$DUT_IF" 1 10 || fail "no carrier after the MTU change"
expect_pools 1 "MTU 9000"
both_ways "MTU 9000"
ip link set "$DUT_IF" mtu 1500
in_peer ip link set "$PEER_IF" mtu 1500
wait_carrier "$DUT_IF" 1 10 || fail "no carrier after the MTU change back"
expect_pools 1 "MTU 1500 again"

ip link set "$DUT_IF" down
expect_pools 0 "down"
ip link set "$DUT_IF" up
wait_carrier "$DUT_IF" 1 10 || fail "no carrier after up"
ethtool -G "$DUT_IF" rx "$ring0" || fail "ethtool -G rx $ring0 refused"
wait_carrier "$DUT_IF" 1 10 || fail "no carrier after the ring resize back"
expect_pools 1 "up again, ring back to $ring0"
ping -q -c 3 -W 3 "$PEER_IP" >/dev/null || fail "no ping after the changes"
ok "pings cross after the changes"
