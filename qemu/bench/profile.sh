#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# qemu/bench/profile.sh GROUP [SECONDS]: inside a guest, runs one test group
# of guest.sh (pktgen_64, tcp_tx_1, ...) for SECONDS (default 10) and
# profiles every CPU with perf for the middle SECONDS / 2 of it. Prints the
# group's figure, the interface's interrupts, its non-zero ethtool counters,
# the hottest symbols, the time per command, and who calls memcpy and
# memset (a copy the C driver does not make shows there).
# Needs perf (Debian: linux-perf) on the host, whose root the guest mounts:
#   qemu/run --pin auto --no-timestamp-hold -- "sh $PWD/qemu/bench/profile.sh pktgen_64"
# (the guest does not start in the repository: give the path whole).
. "$(dirname "$0")/../tests/lib.sh"
group=${1:?usage: profile.sh GROUP [SECONDS]}
secs=${2:-10}
command -v perf >/dev/null || fail "perf not found (apt-get install linux-perf on the host)"
data=/tmp/profile.data
irqs() {
	grep -E " $DUT_IF\$" /proc/interrupts
}
echo "[profile] $RE1000_DRIVER, $group for $secs s; interrupts before:"
irqs
sh "$(dirname "$0")/guest.sh" "$secs" "$group" &
sleep $((secs / 4))
perf record -a -g -o "$data" sleep $((secs / 2)) >/dev/null 2>&1 ||
	echo "[profile] perf record failed"
wait
echo "[profile] interrupts after:"
irqs
ethtool -S "$DUT_IF" | grep -v ": 0$"
report() {
	perf report -i "$data" --stdio --no-children "$@" 2>/dev/null | grep -v "^#" | grep -v "^$"
}
echo "[profile] hottest symbols"
report --sort sym -g none | head -40
echo "[profile] per command"
report --sort comm -g none | head -10
echo "[profile] per command and symbol"
report --sort comm,sym -g none | head -30
for sym in memcpy_orig __pi_memcpy memset_orig; do
	echo "[profile] callers of $sym"
	report --symbols "$sym" -G | head -30
done
