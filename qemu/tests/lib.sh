# shellcheck shell=sh
# qemu/tests/lib.sh: helpers for the guest tests (sourced inside the guest).
# Every check prints what it saw; a failed check exits non-zero at once.

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

ok() {
	echo "ok: $*"
}

# in_peer CMD...: run in the peer's namespace.
in_peer() {
	ip netns exec "$PEER_NS" "$@"
}

# carrier IF: 1 or 0.
carrier() {
	cat "/sys/class/net/$1/carrier" 2>/dev/null || echo 0
}

# wait_carrier IF STATE SECONDS
wait_carrier() {
	i=0
	while [ "$(carrier "$1")" != "$2" ]; do
		i=$((i + 1))
		[ "$i" -le $(($3 * 10)) ] || return 1
		sleep 0.1
	done
}

# irq_count IF: interrupts of IF's line, summed over CPUs (0 if none).
irq_count() {
	awk -v dev="$1" '$NF == dev { s = 0; for (i = 2; i <= NF; i++) if ($i ~ /^[0-9]+$/) s += $i; else break; print s; found = 1 } END { if (!found) print 0 }' /proc/interrupts
}

# link_stat IF rx|tx packets|bytes|dropped|errors
link_stat() {
	cat "/sys/class/net/$1/statistics/$2_$3"
}

# std_stat IF GROUP NAME: one counter of a standard statistics group
# (ethtool -S IF --groups GROUP: eth-mac, eth-ctrl or rmon), such as
# std_stat "$DUT_IF" eth-mac FramesReceivedOK; -1 if the group lacks it.
std_stat() {
	ethtool -S "$1" --groups "$2" 2>/dev/null |
		awk -v n="$2-$3:" '$1 == n { print $2; f = 1 } END { if (!f) print -1 }'
}

# netdev_ynl ARGS...: the kernel's ynl tool on the netdev netlink family
# of the guest kernel's own source (tools/net/ynl/cli.py on 6.12,
# tools/net/ynl/pyynl/cli.py on 7.x), such as
# netdev_ynl --dump napi-get --json '{"ifindex": 2}'.
netdev_ynl() {
	ynl_k=$(readlink -f "$RE1000_KDIR/source")
	ynl_cli=$ynl_k/tools/net/ynl/pyynl/cli.py
	[ -f "$ynl_cli" ] || ynl_cli=$ynl_k/tools/net/ynl/cli.py
	PYTHONDONTWRITEBYTECODE=1 /usr/bin/python3 "$ynl_cli" --no-schema \
		--spec "$ynl_k/Documentation/netlink/specs/netdev.yaml" "$@"
}

# ifindex IF
ifindex() {
	cat "/sys/class/net/$1/ifindex"
}

# qstat IF NAME: one counter of IF's queue statistics, summed over its
# queues (netdev netlink qstats-get), such as qstat "$DUT_IF" rx-alloc-fail;
# -1 if not reported.
qstat() {
	netdev_ynl --output-json --dump qstats-get --json "{\"ifindex\": $(ifindex "$1")}" 2>/dev/null |
		awk -v n="\"$2\":" '{ for (i = 1; i < NF; i++) if ($i == n) { v = $(i + 1); sub(/[^0-9].*/, "", v); print v; f = 1 } }
			END { if (!f) print -1 }'
}

# napi_id IF: the id of IF's (first) NAPI instance, from netdev netlink
# (napi-get); empty if none.
napi_id() {
	netdev_ynl --output-json --dump napi-get --json "{\"ifindex\": $(ifindex "$1")}" 2>/dev/null |
		/usr/bin/python3 -c 'import json, sys; n = json.load(sys.stdin); print(n[0]["id"] if n else "")'
}

# make_payload FILE MIB: random data.
make_payload() {
	head -c "$(($2 * 1048576))" /dev/urandom >"$1"
}

# sha FILE
sha() {
	sha256sum "$1" | cut -d' ' -f1
}

# peer_listening PORT [-u]: wait (up to 10 s) until a TCP socket of the
# peer listens on PORT (with -u: a UDP socket is bound to it). "iperf3 -s
# -D" returns before its daemon listens, and the iperf3 client does not
# retry a refused connection.
peer_listening() {
	i=0
	until in_peer ss -Hln "${2:--t}" "sport = :$1" | grep -q .; do
		i=$((i + 1))
		[ "$i" -le 100 ] || return 1
		sleep 0.1
	done
}

# pings_answered N PING...: run PING (a ping command line, may start with
# in_peer) with "-c N -w 10" added, output in /tmp/ping.out; true when
# each of the first N probes (icmp_seq 1 to N) was answered. With a
# deadline, ping sends until N replies are in: when a reply takes longer
# than the interval it sends more than N probes and stops with some still
# in flight, so its "% packet loss" counts replies that were never lost
# (seen on CI: 9 sent, 8 answered, ping's status 0). A lost reply still
# shows, as a missing sequence number (only replies count, not errors such
# as "From ... icmp_seq=3 Destination Host Unreachable").
pings_answered() {
	n=$1
	shift
	"$@" -c "$n" -w 10 >/tmp/ping.out 2>&1 || return 1
	seq=1
	while [ "$seq" -le "$n" ]; do
		grep -q "bytes from .* icmp_seq=$seq " /tmp/ping.out || return 1
		seq=$((seq + 1))
	done
}

# send_to_peer FILE OUT: stream FILE over TCP to the peer, which writes OUT.
send_to_peer() {
	rm -f "$2"
	in_peer socat -u TCP-LISTEN:5001,reuseaddr OPEN:"$2",creat,trunc &
	lpid=$!
	sleep 0.5
	socat -u OPEN:"$1" TCP:"$PEER_IP":5001,retry=20,interval=0.2 || return 1
	wait "$lpid"
}

# recv_from_peer FILE OUT: the peer streams FILE to us, we write OUT.
recv_from_peer() {
	rm -f "$2"
	socat -u TCP-LISTEN:5002,reuseaddr OPEN:"$2",creat,trunc &
	lpid=$!
	sleep 0.5
	in_peer socat -u OPEN:"$1" TCP:"$DUT_IP":5002,retry=20,interval=0.2 || return 1
	wait "$lpid"
}

# dut_up: after (re)loading the driver, find the interface again, address it
# and wait for carrier; sets DUT_IF.
dut_up() {
	i=0
	DUT_IF=""
	while [ -z "$DUT_IF" ]; do
		for f in /sys/class/net/*/address; do
			[ "$(cat "$f")" = "$DUT_MAC" ] && DUT_IF=$(basename "$(dirname "$f")")
		done
		i=$((i + 1))
		[ $i -le 50 ] || return 1
		[ -n "$DUT_IF" ] || sleep 0.1
	done
	ip addr add "$DUT_IP/24" dev "$DUT_IF" 2>/dev/null
	ip link set "$DUT_IF" up || return 1
	wait_carrier "$DUT_IF" 1 10
}

# model_check NAME: re1000 drives QEMU's NAME model, pings both ways and
# moves a payload intact.
model_check() {
	ethtool -i "$DUT_IF" | grep -qx "driver: re1000" || fail "re1000 does not drive the $1"
	ping -q -c 5 -i 0.1 -W 2 "$PEER_IP" >/dev/null || fail "IPv4 ping failed"
	ping -6 -q -c 5 -i 0.1 -W 2 "$PEER_IP6" >/dev/null || fail "IPv6 ping failed"
	make_payload /tmp/out.bin 8
	send_to_peer /tmp/out.bin /tmp/at-peer.bin || fail "transfer failed"
	[ "$(sha /tmp/out.bin)" = "$(sha /tmp/at-peer.bin)" ] || fail "payload corrupted"
	ok "$1: ping v4/v6 and 8 MiB intact"
}

# irq_trace_on: starts counting calls of request_threaded_irq and free_irq
# (the function tracer, filtered on the two).
irq_trace_on() {
	t=/sys/kernel/tracing
	[ -e $t/trace ] || mount -t tracefs nodev $t || fail "cannot mount tracefs"
	echo 0 >$t/tracing_on
	echo "request_threaded_irq free_irq" >$t/set_ftrace_filter ||
		fail "cannot trace request_threaded_irq and free_irq"
	echo function >$t/current_tracer || fail "no function tracer"
	echo >$t/trace
	echo 1 >$t/tracing_on
}

# irq_traced NAME: calls of NAME (request_threaded_irq, free_irq) made from
# re1000 since irq_trace_on.
irq_traced() {
	grep -c " $1 <-.*re1000" /sys/kernel/tracing/trace
}

# System sleep in the guest. A sleep cycle resets QEMU's virtio devices
# (virtio-pci's restore resets each one; a real S3 resets the machine's
# devices), and 9pnet_virtio has no freeze/restore callbacks: it goes on
# waiting on queues the device forgot, so every later access to the guest's
# root and to the run folder, both 9p, waits forever -- with any NIC driver
# or none. A test that sleeps therefore runs from a copy in memory of the
# programs it needs (sleep_root), takes the run folder's 9p channel down
# before the first cycle and reports through a new one (sleep_root_exit),
# and ends the guest itself. Its output goes on through the virtio
# console, whose driver restores its queues.

SLEEP_ROOT=/tmp/sleep-root

# sleep_root PROGRAM...: runs the calling test again, from the start, in a
# root in memory holding PROGRAMs (with their libraries), sh and what
# lib.sh uses, with /proc, /sys, /dev and /run of the guest; the calling
# test, which sources lib.sh first, finds SLEEP_ROOT_IN set there. Does not
# return.
sleep_root() {
	r=$SLEEP_ROOT
	mkdir -p "$r" && mount -t tmpfs -o mode=755 tmpfs "$r" || fail "no tmpfs for the sleep root"
	mkdir -p "$r/usr/bin" "$r/usr/lib" "$r/usr/lib64" "$r/proc" "$r/sys" "$r/dev" "$r/run" \
		"$r/tmp" "$r/etc" "$r/t" "$r/run9p"
	chmod 1777 "$r/tmp"
	for l in bin sbin lib lib64; do ln -s "usr/${l#s}" "$r/$l"; done
	for c in sh cat cut head rm sleep dirname basename sha256sum awk grep ip ping socat mount dmesg \
		ethtool "$@"; do
		p=$(command -v "$c") || fail "sleep root: no $c"
		cp -L "$p" "$r/usr/bin/$c" || fail "sleep root: cannot copy $p"
		for lib in $(ldd "$p" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'); do
			mkdir -p "$r$(dirname "$lib")"
			[ -e "$r$lib" ] || cp -L "$lib" "$r$lib" || fail "sleep root: cannot copy $lib"
		done
	done
	cp "$(dirname "$0")/lib.sh" "$0" "$r/t/" || fail "sleep root: cannot copy the test"
	mount -t proc proc "$r/proc" && mount --rbind /sys "$r/sys" &&
		mount --rbind /dev "$r/dev" && mount --rbind /run "$r/run" ||
		fail "sleep root: cannot mount /proc, /sys, /dev, /run"
	# The run folder is taken off its 9p channel now and the channel's
	# driver unbound, so that nothing waits on the device across sleep.
	SLEEP_RUN_DEV=
	for d in /sys/bus/virtio/drivers/9pnet_virtio/virtio*; do
		[ "$(cat "$d/mount_tag" 2>/dev/null)" = re1000run ] && SLEEP_RUN_DEV=$(basename "$d")
	done
	[ -n "$SLEEP_RUN_DEV" ] || fail "sleep root: no 9p channel re1000run"
	umount "$RE1000_RUN" || fail "sleep root: cannot unmount the run folder"
	echo "$SLEEP_RUN_DEV" >/sys/bus/virtio/drivers/9pnet_virtio/unbind ||
		fail "sleep root: cannot unbind $SLEEP_RUN_DEV"
	SLEEP_ROOT_IN=1
	export SLEEP_ROOT_IN SLEEP_RUN_DEV
	exec chroot "$r" /bin/sh "/t/$(basename "$0")"
}

# sleep_root_exit STATUS: from the sleep root, binds the run folder's 9p
# channel again and reports STATUS through it (after a leak scan where the
# kernel has kmemleak), as the guest's init would, then resets the guest.
sleep_root_exit() {
	echo "$SLEEP_RUN_DEV" >/sys/bus/virtio/drivers/9pnet_virtio/bind
	if ! mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000 re1000run /run9p; then
		echo "[guest] cannot mount the run folder again: no status reported" >/dev/kmsg
	fi
	if [ -w /sys/kernel/debug/kmemleak ]; then
		echo scan >/sys/kernel/debug/kmemleak
		sleep 1
		echo scan >/sys/kernel/debug/kmemleak
		cat /sys/kernel/debug/kmemleak >/dev/kmsg 2>/dev/null
	fi
	echo "$1" >/run9p/exit-status
	# A reset, not a power-off: on q35, after an S3 cycle, the guest's
	# power-off ("reboot: Power down") leaves QEMU running; a reset ends it
	# (qemu/run passes -no-reboot).
	echo b >/proc/sysrq-trigger
	while :; do sleep 1; done
}

# sleep_cycle mem|freeze|disk [LEVEL]: one system sleep: a real one for mem
# (S3, woken by the RTC after 5 s: QEMU resets the machine's devices, as a
# real S3 loses their state) or, with LEVEL (a pm_test level: devices,
# platform...), the kernel's test of the transition, which runs the
# drivers' callbacks without sleeping (mem, freeze: suspend and resume;
# disk: freeze and restore).
sleep_cycle() {
	echo "${2:-none}" >/sys/power/pm_test || fail "pm_test ${2:-none} refused"
	if [ "$1" = mem ] && [ -z "$2" ]; then
		echo deep >/sys/power/mem_sleep || fail "no S3 (mem_sleep: $(cat /sys/power/mem_sleep))"
		echo 0 >/sys/class/rtc/rtc0/wakealarm
		echo +5 >/sys/class/rtc/rtc0/wakealarm || fail "cannot set the RTC alarm"
	fi
	echo "$1" >/sys/power/state || fail "sleep $1 ${2:-} failed"
	echo none >/sys/power/pm_test
}

# xdp_swaps_safe: whether XDP programs may change while frames flow: only
# with single-threaded TCG (qemu/run --tcg-threads single, which the XDP
# test and stress scenario ask for in their "# qemu-run:" line). Changing a
# program re-patches the kernel's BPF dispatcher (text_poke through int3),
# and multi-threaded TCG now and then runs the int3 after the patching is
# over: "Oops: int3" in bpf_dispatcher_xdp_func (design.rst, "QEMU 7.2 and
# QEMU 10"). The C e1000's generic XDP crashes the same way: 300 rounds of
# three program changes under iperf3 oopsed after about 20 s on 7.3 and on
# 6.12 with QEMU 7.2; QEMU 10 ran them clean once (its TCG has the same
# race, rarer); single-threaded QEMU 7.2 ran them clean in 4 minutes.
xdp_swaps_safe() {
	[ "${RE1000_TCG_THREADS:-multi}" = single ]
}

# build_xdp_progs: XDP programs built with clang's BPF target into $B
# (/tmp/xdp-progs): pass, drop, aborted, drop_icmp (drops IPv4 ICMP),
# icmp_reply (answers an IPv4 echo request itself: MAC and IP addresses
# swapped, XDP_TX) and tx_swap (every frame back out, its MAC addresses
# swapped: XDP_TX) and grow (adds 256 bytes to every frame's tail with
# bpf_xdp_adjust_tail and passes it, dropping it if the kernel refuses),
# and of each but aborted and drop_icmp a NAME_mb loaded for multi-buffer
# frames (section xdp.frags: it sees a jumbo frame's first buffer and may
# run on frames over several). Only grow calls a helper, and no BTF is
# needed: only <linux/bpf.h>. Says SKIP and returns 1 if there is no BPF
# compiler.
build_xdp_progs() {
	B=/tmp/xdp-progs
	rm -rf "$B"
	mkdir -p "$B" || fail "cannot make $B"
	command -v clang >/dev/null || { echo "SKIP: no clang to build the BPF programs"; return 1; }
	for p in pass drop aborted drop_icmp icmp_reply tx_swap grow; do
		pre=
		case $p in
		pass) body="return XDP_PASS;" ;;
		grow) pre='static long (*const bpf_xdp_adjust_tail)(struct xdp_md *, int) = (void *)BPF_FUNC_xdp_adjust_tail;'
			body='if (bpf_xdp_adjust_tail(ctx, 256) < 0)
			return XDP_DROP;
		return XDP_PASS;' ;;
		drop) body="return XDP_DROP;" ;;
		aborted) body="return XDP_ABORTED;" ;;
		tx_swap) body='unsigned char *p = (void *)(long)ctx->data;
		unsigned char *end = (void *)(long)ctx->data_end;
		unsigned char t;
		int i;
		if (p + 14 > end)
			return XDP_DROP;
		for (i = 0; i < 6; i++) {
			t = p[i];
			p[i] = p[6 + i];
			p[6 + i] = t;
		}
		return XDP_TX;' ;;
		drop_icmp) body='void *data = (void *)(long)ctx->data;
		void *end = (void *)(long)ctx->data_end;
		unsigned char *p = data;
		/* Ethernet header, then IPv4 (0x0800) with protocol ICMP (1). */
		if (data + 14 + 20 > end)
			return XDP_PASS;
		if (p[12] == 0x08 && p[13] == 0x00 && p[14 + 9] == 1)
			return XDP_DROP;
		return XDP_PASS;' ;;
		icmp_reply) body='unsigned char *p = (void *)(long)ctx->data;
		unsigned char *end = (void *)(long)ctx->data_end;
		unsigned char t;
		unsigned int sum;
		int i;
		/* IPv4 without options, ICMP echo request (type 8). */
		if (p + 14 + 20 + 8 > end)
			return XDP_PASS;
		if (p[12] != 0x08 || p[13] != 0x00 || p[14] != 0x45 || p[14 + 9] != 1 || p[34] != 8)
			return XDP_PASS;
		for (i = 0; i < 6; i++) {
			t = p[i];
			p[i] = p[6 + i];
			p[6 + i] = t;
		}
		for (i = 0; i < 4; i++) {
			t = p[26 + i];
			p[26 + i] = p[30 + i];
			p[30 + i] = t;
		}
		/* Echo reply: the type word drops by 0x0800, the checksum rises by it. */
		p[34] = 0;
		sum = ((unsigned int)p[36] << 8 | p[37]) + 0x0800;
		sum = (sum & 0xffff) + (sum >> 16);
		p[36] = sum >> 8;
		p[37] = sum & 0xff;
		return XDP_TX;' ;;
		esac
		for sec in xdp xdp.frags; do
			name=$p
			if [ $sec = xdp.frags ]; then
				case $p in aborted | drop_icmp) continue ;; esac
				name=${p}_mb
			fi
			cat >"$B/$name.c" <<-EOF
	#include <linux/bpf.h>
	$pre
	__attribute__((section("$sec"), used)) int prog(struct xdp_md *ctx)
	{
		$body
	}
	char _license[] __attribute__((section("license"), used)) = "GPL";
	EOF
		done
	done
	(cd "$B" && clang -O2 -g --target=bpf -I/usr/include/x86_64-linux-gnu -c ./*.c) \
		>/tmp/clang.out 2>&1 || { cat /tmp/clang.out; echo "SKIP: clang cannot build BPF programs here"; return 1; }
}

# redirect_prog NAME IFINDEX [ICMP_REPLY [SEC]]: a program built into $B
# (after build_xdp_progs) that redirects every frame to IFINDEX
# (bpf_redirect), or with ICMP_REPLY (not empty) only IPv4 echo requests,
# turned into replies first (as icmp_reply does for XDP_TX); in section SEC
# (xdp.frags: loaded for multi-buffer frames, seeing the first buffer),
# xdp by default.
redirect_prog() {
	if [ -n "${3:-}" ]; then
		body='unsigned char *p = (void *)(long)ctx->data;
		unsigned char *end = (void *)(long)ctx->data_end;
		unsigned char t;
		unsigned int sum;
		int i;
		if (p + 14 + 20 + 8 > end)
			return XDP_PASS;
		if (p[12] != 0x08 || p[13] != 0x00 || p[14] != 0x45 || p[14 + 9] != 1 || p[34] != 8)
			return XDP_PASS;
		for (i = 0; i < 6; i++) {
			t = p[i];
			p[i] = p[6 + i];
			p[6 + i] = t;
		}
		for (i = 0; i < 4; i++) {
			t = p[26 + i];
			p[26 + i] = p[30 + i];
			p[30 + i] = t;
		}
		p[34] = 0;
		sum = ((unsigned int)p[36] << 8 | p[37]) + 0x0800;
		sum = (sum & 0xffff) + (sum >> 16);
		p[36] = sum >> 8;
		p[37] = sum & 0xff;
		return bpf_redirect(IFINDEX, 0);'
	else
		body='return bpf_redirect(IFINDEX, 0);'
	fi
	cat >"$B/$1.c" <<-EOF
	#include <linux/bpf.h>
	static long (*bpf_redirect)(__u32 ifindex, __u64 flags) = (void *)BPF_FUNC_redirect;
	__attribute__((section("${4:-xdp}"), used)) int prog(struct xdp_md *ctx)
	{
		$body
	}
	char _license[] __attribute__((section("license"), used)) = "GPL";
	EOF
	(cd "$B" && clang -O2 -g --target=bpf -I/usr/include/x86_64-linux-gnu -DIFINDEX="$2" -c "$1.c") \
		>/tmp/clang.out 2>&1 || fail "building $1: $(cat /tmp/clang.out)"
}
