//! The device's statistics registers (0x4000-0x40FC).
//!
//! Most clear on read, so the driver adds each reading into 64-bit totals.
//! Octet counters come as low/high pairs; the low half must be read first.
//! QEMU does not clear CRCERRS..MPC and RNBC: those are running totals.

/// How a counter is read.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Width {
    /// One 32-bit register.
    Single,
    /// A 64-bit pair: low register at the offset, high at offset + 4.
    Pair,
    /// One 32-bit register holding a running total (not cleared on read).
    Total,
}

/// What one reading of a counter means: `lo` is its register (the low
/// half of a pair), `hi` the high half (ignored unless a pair).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Reading {
    /// Add this to the total (clear-on-read counters).
    Add(u64),
    /// The total is this (counters the device keeps as totals).
    Set(u64),
    /// All ones: the device is gone from the bus, or going; no count.
    Gone,
}

impl Width {
    /// Interprets one reading of a counter of this width.
    pub const fn reading(self, lo: u32, hi: u32) -> Reading {
        match self {
            Width::Single | Width::Total if lo == u32::MAX => Reading::Gone,
            Width::Pair if lo == u32::MAX && hi == u32::MAX => Reading::Gone,
            Width::Single => Reading::Add(lo as u64),
            Width::Total => Reading::Set(lo as u64),
            Width::Pair => Reading::Add(((hi as u64) << 32) | lo as u64),
        }
    }
}

/// One hardware counter.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Counter {
    /// The name ethtool -S shows (the C driver's name where it has one).
    pub name: &'static str,
    /// Register offset (the low half for a pair).
    pub offset: usize,
    /// One register or a pair.
    pub width: Width,
}

const fn single(name: &'static str, offset: usize) -> Counter {
    Counter {
        name,
        offset,
        width: Width::Single,
    }
}

const fn total(name: &'static str, offset: usize) -> Counter {
    Counter {
        name,
        offset,
        width: Width::Total,
    }
}

const fn pair(name: &'static str, offset: usize) -> Counter {
    Counter {
        name,
        offset,
        width: Width::Pair,
    }
}

/// Every statistics register re1000 accumulates, in a fixed order.
pub const COUNTERS: &[Counter] = &[
    total("rx_crc_errors", 0x4000),
    total("rx_align_errors", 0x4004),
    total("rx_symbol_errors", 0x4008),
    total("rx_receive_errors", 0x400C),
    total("rx_missed_errors", 0x4010),
    single("tx_single_coll_ok", 0x4014),
    single("tx_excessive_collisions", 0x4018),
    single("tx_multi_coll_ok", 0x401C),
    single("tx_late_collisions", 0x4020),
    single("collisions", 0x4028),
    single("tx_deferred_ok", 0x4030),
    single("rx_carrier_ext_errors", 0x403C),
    single("rx_long_length_errors", 0x4040),
    single("rx_flow_control_xon", 0x4048),
    single("tx_flow_control_xon", 0x404C),
    single("rx_flow_control_xoff", 0x4050),
    single("tx_flow_control_xoff", 0x4054),
    single("hw_rx_packets", 0x4074),
    single("rx_broadcast", 0x4078),
    single("rx_multicast", 0x407C),
    single("hw_tx_packets", 0x4080),
    pair("hw_rx_bytes", 0x4088),
    pair("hw_tx_bytes", 0x4090),
    total("rx_no_buffer_count", 0x40A0),
    single("rx_short_length_errors", 0x40A4),
    single("rx_fragments", 0x40A8),
    single("rx_oversize", 0x40AC),
    single("rx_jabbers", 0x40B0),
    single("rx_total_packets", 0x40D0),
    single("tx_total_packets", 0x40D4),
    single("tx_multicast", 0x40F0),
    single("tx_broadcast", 0x40F4),
    single("tx_tcp_seg_good", 0x40F8),
    single("tx_tcp_seg_failed", 0x40FC),
];

/// The index in [`COUNTERS`] of a counter by name.
pub fn index_of(name: &str) -> Option<usize> {
    COUNTERS.iter().position(|c| c.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readings_add_set_or_mean_the_device_is_gone() {
        assert_eq!(Width::Single.reading(7, 0xdead), Reading::Add(7));
        assert_eq!(Width::Total.reading(7, 0), Reading::Set(7));
        assert_eq!(Width::Pair.reading(5, 2), Reading::Add((2 << 32) | 5));
        // A full low half alone is a count: the high half is not all ones.
        assert_eq!(
            Width::Pair.reading(u32::MAX, 0),
            Reading::Add(u32::MAX as u64)
        );
        assert_eq!(Width::Single.reading(u32::MAX, 0), Reading::Gone);
        assert_eq!(Width::Total.reading(u32::MAX, 0), Reading::Gone);
        assert_eq!(Width::Pair.reading(u32::MAX, u32::MAX), Reading::Gone);
    }

    #[test]
    fn counters_are_in_the_statistics_block_and_unique() {
        for (i, c) in COUNTERS.iter().enumerate() {
            assert!((0x4000..=0x40FC).contains(&c.offset), "{}", c.name);
            assert_eq!(c.offset % 4, 0);
            for d in &COUNTERS[i + 1..] {
                assert_ne!(c.name, d.name);
                assert_ne!(c.offset, d.offset);
            }
        }
        assert_eq!(
            COUNTERS[index_of("rx_missed_errors").unwrap()].offset,
            0x4010
        );
        assert_eq!(
            COUNTERS[index_of("hw_rx_bytes").unwrap()].width,
            Width::Pair
        );
        assert_eq!(
            COUNTERS[index_of("rx_no_buffer_count").unwrap()].width,
            Width::Total
        );
        assert_eq!(index_of("nope"), None);
    }
}
