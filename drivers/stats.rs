//! The driver's counters: software counters kept by the data path, and the
//! device's statistics registers accumulated into 64 bits.

use crate::hw::regs::{Status, BAR0_SIZE};
use crate::hw::stats::{Reading, COUNTERS};
use crate::layer::mmio::Bar;
use crate::layer::stats::Counter;
use crate::layer::time::{delay::fsleep, Delta};
use core::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};

/// Counters the data path keeps; each has one writer (see `Counter`).
///
/// Most have a standard home and are reported only there (the netdev rule of
/// the kernel's `Documentation/networking/statistics.rst`: a statistic with
/// a standard home is not repeated in `ethtool -S`): `ndo_get_stats64`
/// (`ip -s link`) and the netdev netlink queue statistics (qstats). `ethtool
/// -S` lists the others, `SW_NAMES`.
#[derive(Default)]
pub(crate) struct SwStats {
    /// Frames given to the stack (NAPI). `rx_packets` of stats64, qstats.
    pub(crate) rx_packets: Counter,
    /// Their bytes (NAPI). `rx_bytes` of stats64, qstats.
    pub(crate) rx_bytes: Counter,
    /// Frames the device confirmed sent (NAPI). `tx_packets` of stats64,
    /// qstats.
    pub(crate) tx_packets: Counter,
    /// Their bytes (NAPI). `tx_bytes` of stats64, qstats.
    pub(crate) tx_bytes: Counter,
    /// Frames dropped by `start_xmit` (mapping failed) or left at stop.
    /// `tx_dropped` of stats64.
    pub(crate) tx_dropped: Counter,
    /// Frames with a bad length: larger than the buffer, spread over several
    /// buffers, or shorter than a header (NAPI). Part of `rx_length_errors`
    /// (and so `rx_errors`) of stats64, with the device's RUC and ROC.
    pub(crate) rx_length_errors: Counter,
    /// Frames with a receive error (NAPI). Part of `rx_errors` of stats64.
    pub(crate) rx_errors: Counter,
    /// Receive buffers that could not be allocated or mapped (the poll, and
    /// a new ring being filled meanwhile: `add_shared`). `rx_dropped` of
    /// stats64, `rx-alloc-fail` of qstats.
    pub(crate) rx_alloc_failed: Counter,
    /// Transmit timeouts (watchdog). Listed: no standard statistic counts
    /// them (the core's own count is the queue's `tx_timeout` in sysfs,
    /// not a statistics interface; the C driver lists it too).
    pub(crate) tx_timeouts: Counter,
    /// Interrupts that were ours (IRQ handler). Listed: `/proc/interrupts`
    /// counts every interrupt of the line, ours or not.
    pub(crate) interrupts: Counter,
    /// Times the transmit cleanup woke a queue stopped for lack of room
    /// (NAPI). Listed: its standard home would be qstats `tx-wake`, which
    /// the layer's `QueueStats` does not report.
    pub(crate) tx_restart_queue: Counter,
    /// Frames the XDP program passed to the stack, dropped, redirected,
    /// sent back (XDP_TX, queued on the transmit ring), or aborted on
    /// (XDP_ABORTED, an unknown action, a failed redirect, or an XDP_TX
    /// frame the ring had no room for), NAPI. Listed: the kernel has no standard
    /// XDP statistics for a driver to report.
    pub(crate) xdp_pass: Counter,
    pub(crate) xdp_drop: Counter,
    pub(crate) xdp_redirect: Counter,
    pub(crate) xdp_tx: Counter,
    pub(crate) xdp_aborted: Counter,
    /// Frames other devices' XDP programs redirected here and queued on
    /// the transmit ring (`ndo_xdp_xmit`), and those refused (the ring
    /// full, or a frame it cannot take). Listed, as above.
    pub(crate) xdp_xmit: Counter,
    pub(crate) xdp_xmit_errors: Counter,
}

/// Names of the software counters in `ethtool -S`, in `SwStats::listed`
/// order: those with no standard home.
pub(crate) const SW_NAMES: [&str; 10] = [
    "tx_timeout_count",
    "interrupts",
    "tx_restart_queue",
    "xdp_pass",
    "xdp_drop",
    "xdp_redirect",
    "xdp_tx",
    "xdp_aborted",
    "xdp_xmit",
    "xdp_xmit_errors",
];

impl SwStats {
    /// The counters `ethtool -S` lists, in `SW_NAMES` order.
    pub(crate) fn listed(&self) -> [u64; SW_NAMES.len()] {
        [
            self.tx_timeouts.get(),
            self.interrupts.get(),
            self.tx_restart_queue.get(),
            self.xdp_pass.get(),
            self.xdp_drop.get(),
            self.xdp_redirect.get(),
            self.xdp_tx.get(),
            self.xdp_aborted.get(),
            self.xdp_xmit.get(),
            self.xdp_xmit_errors.get(),
        ]
    }
}

/// Tries of `HwStats::update_waiting` (1 ms apart) before it gives up.
const WAITS: u32 = 10;

/// Totals of the device's statistics registers, one per `hw::stats::COUNTERS`.
///
/// The total of a counter that no read clears grows by its change since
/// the last reading, so its last reading is kept. A reset may zero the
/// registers (the datasheet) or leave them (QEMU 7.2 ignores CTRL.RST), so
/// `stop` ends the readings before any reset, `rebase` takes the values of
/// those counters after one as their new starting point, and `restart`
/// begins the readings again.
pub(crate) struct HwStats {
    totals: [AtomicU64; COUNTERS.len()],
    /// Each register at the last reading (used only where no read clears
    /// it). Written by the holder of `reading`, or by `rebase` while
    /// stopped.
    last: [AtomicU32; COUNTERS.len()],
    /// A reader is reading the registers.
    reading: AtomicBool,
    /// The device is stopped and may be reset: the registers are not read
    /// (a reader that takes `reading` checks it again and lets go).
    stopped: AtomicBool,
}

impl HwStats {
    /// All zero; stopped until the device is first started.
    pub(crate) fn new() -> Self {
        Self {
            totals: [const { AtomicU64::new(0) }; COUNTERS.len()],
            last: [const { AtomicU32::new(0) }; COUNTERS.len()],
            reading: AtomicBool::new(false),
            stopped: AtomicBool::new(true),
        }
    }

    /// Reads every register and adds what it counted to the totals.
    ///
    /// One reader at a time: two interleaved readers would both add the
    /// same reading of a clear-on-read register before one clears it, or
    /// the same change of a running one. A reader that finds another at
    /// work, or the device stopped, uses the totals as they are (any
    /// context may read statistics, so it must not wait).
    pub(crate) fn update(&self, bar: &Bar<'_, BAR0_SIZE>) {
        if self.try_begin() {
            self.fold(bar);
        }
    }

    /// As `update`, but a reader at work is waited for (sleeping, a few
    /// times at most), so that the totals include what the device counted
    /// until now: for `ethtool -S`. Process context.
    pub(crate) fn update_waiting(&self, bar: &Bar<'_, BAR0_SIZE>) {
        for _ in 0..WAITS {
            if self.try_begin() {
                self.fold(bar);
                return;
            }
            if self.stopped.load(Ordering::Acquire) {
                return;
            }
            fsleep(Delta::from_millis(1));
        }
    }

    /// Reads the registers, then lets the next reader in. Only by the
    /// holder of `reading`.
    fn fold(&self, bar: &Bar<'_, BAR0_SIZE>) {
        self.read_registers(bar);
        self.reading.store(false, Ordering::Release);
    }

    /// Takes `reading` unless another reader holds it or the device is
    /// stopped (checked again once held: `stop` sets `stopped`, then takes
    /// `reading` for its last fold).
    fn try_begin(&self) -> bool {
        if self.stopped.load(Ordering::Acquire)
            || self
                .reading
                .compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed)
                .is_err()
        {
            return false;
        }
        // Acquire: if `restart` ran meanwhile, `rebase`'s values of `last`
        // are seen along with it.
        if self.stopped.load(Ordering::Acquire) {
            self.reading.store(false, Ordering::Release);
            return false;
        }
        true
    }

    /// Takes the last reading of a device that has stopped counting (its
    /// receiver and transmitter off) and ends the readings until `restart`,
    /// so that a reset loses nothing and is not taken for a count. Readers
    /// back off as soon as `stopped` is set, so this waits at most for one
    /// fold already in progress. Process context; does nothing if stopped.
    pub(crate) fn stop(&self, bar: &Bar<'_, BAR0_SIZE>) {
        if self.stopped.swap(true, Ordering::AcqRel) {
            return;
        }
        while self
            .reading
            .compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            fsleep(Delta::from_millis(1));
        }
        self.fold(bar);
    }

    /// After a reset, before the receiver and transmitter are on: takes
    /// the value of each counter no read clears as its starting point
    /// (zero, or what it held if the reset left it) and clears the others,
    /// so that only what the device counts from now on is added (not, say,
    /// a self-test's frames). Only while stopped: no reader touches `last`.
    pub(crate) fn rebase(&self, bar: &Bar<'_, BAR0_SIZE>) {
        if !self.stopped.load(Ordering::Acquire) || bar.read::<Status>().0 == u32::MAX {
            return;
        }
        for (c, last) in COUNTERS.iter().zip(&self.last) {
            let now = bar.try_read32(c.offset).unwrap_or(0);
            if c.width.needs_last() && now != u32::MAX {
                last.store(now, Ordering::Relaxed);
            }
        }
    }

    /// Begins the readings again, on a device `rebase`d and started.
    pub(crate) fn restart(&self) {
        self.stopped.store(false, Ordering::Release);
    }

    fn read_registers(&self, bar: &Bar<'_, BAR0_SIZE>) {
        // A device gone from the bus reads all ones: that is no count. It
        // may go between two reads, so each value is checked too (no
        // counter moves by 2^32 - 1 between two folds 2 s apart).
        if bar.read::<Status>().0 == u32::MAX {
            return;
        }
        for ((c, total), last) in COUNTERS.iter().zip(&self.totals).zip(&self.last) {
            let now = bar.try_read32(c.offset).unwrap_or(0);
            let Reading::Add(v) = c.width.reading(now, last.load(Ordering::Relaxed)) else {
                continue;
            };
            if v != 0 {
                total.fetch_add(v, Ordering::Relaxed);
            }
            if c.width.needs_last() {
                last.store(now, Ordering::Relaxed);
            }
        }
    }

    /// The total of counter `name`.
    pub(crate) fn get(&self, name: &str) -> u64 {
        crate::hw::stats::index_of(name)
            .and_then(|i| self.totals.get(i))
            .map_or(0, |t| t.load(Ordering::Relaxed))
    }

    /// The totals of the counters ethtool -S shows (`listed`), in
    /// `COUNTERS` order.
    pub(crate) fn values(&self, out: &mut [u64]) {
        let listed = COUNTERS.iter().zip(&self.totals).filter(|(c, _)| c.listed);
        for (o, (_, t)) in out.iter_mut().zip(listed) {
            *o = t.load(Ordering::Relaxed);
        }
    }
}
