//! The driver's counters: software counters kept by the data path, and the
//! device's clear-on-read statistics registers accumulated into 64 bits.

use crate::hw::regs::{Status, BAR0_SIZE};
use crate::hw::stats::{Reading, Width, COUNTERS};
use crate::layer::mmio::Bar;
use crate::layer::stats::Counter;
use core::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// Counters the data path keeps; each has one writer (see `Counter`).
#[derive(Default)]
pub(crate) struct SwStats {
    /// Frames given to the stack (NAPI).
    pub(crate) rx_packets: Counter,
    /// Their bytes (NAPI).
    pub(crate) rx_bytes: Counter,
    /// Frames the device confirmed sent (NAPI).
    pub(crate) tx_packets: Counter,
    /// Their bytes (NAPI).
    pub(crate) tx_bytes: Counter,
    /// Frames dropped by `start_xmit` (mapping failed) or left at stop.
    pub(crate) tx_dropped: Counter,
    /// Frames with a bad length: larger than the buffer, spread over several
    /// buffers, or shorter than a header (NAPI).
    pub(crate) rx_length_errors: Counter,
    /// Frames with a receive error (NAPI).
    pub(crate) rx_errors: Counter,
    /// Receive buffers that could not be allocated or mapped (NAPI).
    pub(crate) rx_alloc_failed: Counter,
    /// Transmit timeouts (watchdog).
    pub(crate) tx_timeouts: Counter,
    /// Interrupts that were ours (IRQ handler).
    pub(crate) interrupts: Counter,
    /// Times the transmit cleanup woke a queue stopped for lack of room
    /// (NAPI).
    pub(crate) tx_restart_queue: Counter,
}

/// Names of the software counters in `ethtool -S`, in `SwStats::values` order.
pub(crate) const SW_NAMES: [&str; 11] = [
    "rx_packets",
    "rx_bytes",
    "tx_packets",
    "tx_bytes",
    "tx_dropped",
    "rx_length_errors",
    "rx_errors",
    "rx_alloc_failed",
    "tx_timeout_count",
    "interrupts",
    "tx_restart_queue",
];

impl SwStats {
    /// The counters in `SW_NAMES` order.
    pub(crate) fn values(&self) -> [u64; SW_NAMES.len()] {
        [
            self.rx_packets.get(),
            self.rx_bytes.get(),
            self.tx_packets.get(),
            self.tx_bytes.get(),
            self.tx_dropped.get(),
            self.rx_length_errors.get(),
            self.rx_errors.get(),
            self.rx_alloc_failed.get(),
            self.tx_timeouts.get(),
            self.interrupts.get(),
            self.tx_restart_queue.get(),
        ]
    }
}

/// Totals of the device's statistics registers, one per `hw::stats::COUNTERS`.
pub(crate) struct HwStats {
    totals: [AtomicU64; COUNTERS.len()],
    /// A reader is reading the registers.
    updating: AtomicBool,
}

impl HwStats {
    /// All zero.
    pub(crate) fn new() -> Self {
        Self {
            totals: [const { AtomicU64::new(0) }; COUNTERS.len()],
            updating: AtomicBool::new(false),
        }
    }

    /// Reads every register (which clears it) and adds it to the totals.
    ///
    /// One reader at a time: two interleaved reads of a 64-bit pair would
    /// both take its low half before one clears it, counting it twice. A
    /// reader that finds another at work uses the totals as they are (any
    /// context may read statistics, so it must not wait).
    pub(crate) fn update(&self, bar: &Bar<BAR0_SIZE>) {
        if self
            .updating
            .compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            return;
        }
        self.read_registers(bar);
        self.updating.store(false, Ordering::Release);
    }

    fn read_registers(&self, bar: &Bar<BAR0_SIZE>) {
        // A device gone from the bus reads all ones: that is no count. It
        // may go between two reads, so each value is checked too (no
        // counter moves by 2^32 - 1 between two folds 2 s apart).
        if bar.read::<Status>().0 == u32::MAX {
            return;
        }
        for (c, total) in COUNTERS.iter().zip(&self.totals) {
            let lo = bar.read32(c.offset).unwrap_or(0);
            // Low half first: reading the high half clears the pair.
            let hi = match c.width {
                Width::Pair => bar.read32(c.offset + 4).unwrap_or(0),
                _ => 0,
            };
            match c.width.reading(lo, hi) {
                Reading::Add(0) | Reading::Gone => {}
                Reading::Add(v) => {
                    total.fetch_add(v, Ordering::Relaxed);
                }
                Reading::Set(v) => total.store(v, Ordering::Relaxed),
            }
        }
    }

    /// The total of counter `name`.
    pub(crate) fn get(&self, name: &str) -> u64 {
        crate::hw::stats::index_of(name)
            .and_then(|i| self.totals.get(i))
            .map_or(0, |t| t.load(Ordering::Relaxed))
    }

    /// All totals, in `COUNTERS` order.
    pub(crate) fn values(&self, out: &mut [u64]) {
        for (o, t) in out.iter_mut().zip(&self.totals) {
            *o = t.load(Ordering::Relaxed);
        }
    }
}
