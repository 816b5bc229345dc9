//! The device's statistics registers (0x4000-0x40FC).
//!
//! Most clear on read, so the driver adds each reading into 64-bit totals.
//! The rest QEMU keeps as running counts that no read clears: the low
//! halves GORCL/GOTCL of the 64-bit octet counters, and CRCERRS..MPC and
//! RNBC (which the datasheet's device clears on read). The driver never
//! reads the high halves GORCH/GOTCH: reading one clears the whole counter,
//! losing whatever the device adds between the two reads of a pair. A
//! running counter's total grows by its change since the last reading; the
//! low half of an octet counter wraps, and its change is taken modulo 2^32,
//! so it alone counts every octet as long as it is read at least once per
//! 4 GiB (the driver reads every 2 s).

/// How a counter is read.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Width {
    /// One 32-bit register, cleared by each read.
    Single,
    /// The low half of a 64-bit counter that no read clears: a running
    /// count that wraps at 2^32.
    Running,
    /// A 32-bit count that QEMU keeps (no read clears it; it stops at all
    /// ones) and the datasheet's device clears on read: a reading below
    /// the last one means it was cleared, and all of it is new.
    Kept,
}

/// What one reading of a counter means.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Reading {
    /// Add this to the total.
    Add(u64),
    /// All ones: the device is gone from the bus, or going; no count.
    Gone,
}

impl Width {
    /// Whether a reading's value is kept for the next (the register is
    /// not cleared by it).
    pub const fn needs_last(self) -> bool {
        !matches!(self, Width::Single)
    }

    /// Interprets `now`, the register's value, given `last`, its value at
    /// the previous reading (used by the counters no read clears; after a
    /// reset, their value then).
    pub const fn reading(self, now: u32, last: u32) -> Reading {
        match self {
            _ if now == u32::MAX => Reading::Gone,
            Width::Single => Reading::Add(now as u64),
            Width::Running => Reading::Add(now.wrapping_sub(last) as u64),
            Width::Kept if now >= last => Reading::Add((now - last) as u64),
            Width::Kept => Reading::Add(now as u64),
        }
    }
}

/// One hardware counter.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Counter {
    /// Its name (the C driver's name where it has one): what ethtool -S
    /// shows if `listed`.
    pub name: &'static str,
    /// Register offset (the low half of a 64-bit counter).
    pub offset: usize,
    /// Cleared on read, or kept by the device.
    pub width: Width,
    /// Shown by ethtool -S; the others only through a standard interface
    /// (`ip -s link`, the eth-mac, eth-ctrl and rmon groups).
    pub listed: bool,
}

const fn single(name: &'static str, offset: usize) -> Counter {
    Counter {
        name,
        offset,
        width: Width::Single,
        listed: true,
    }
}

const fn running(name: &'static str, offset: usize) -> Counter {
    Counter {
        name,
        offset,
        width: Width::Running,
        listed: true,
    }
}

const fn kept(name: &'static str, offset: usize) -> Counter {
    Counter {
        name,
        offset,
        width: Width::Kept,
        listed: true,
    }
}

impl Counter {
    /// The same counter, shown only through a standard interface.
    const fn unlisted(self) -> Self {
        Self {
            listed: false,
            ..self
        }
    }
}

/// Every statistics register re1000 accumulates, in a fixed order: first
/// the counters `ethtool -S` lists, then those it does not.
///
/// `ethtool -S` lists only what has no standard home (the netdev rule of
/// the kernel's `Documentation/networking/statistics.rst`): a counter that
/// `ndo_get_stats64` (`ip -s link`), the eth-mac, eth-ctrl or rmon group,
/// or the pause statistics report is `unlisted`. Each entry names where it
/// is reported.
pub const COUNTERS: &[Counter] = &[
    // Listed: no standard statistic holds these.
    // SYMERRS: eth-phy's SymbolErrorDuringCarrier, a group the layer does
    // not offer.
    kept("rx_symbol_errors", 0x4008),
    // RXERRC: frames the PHY flagged (RX_ER); not in stats64's rx_errors.
    kept("rx_receive_errors", 0x400C),
    // RLEC: the device's own count of length errors, short and long
    // together (the datasheet's; the C driver reads it and shows it
    // nowhere). stats64's rx_length_errors is RUC + ROC + the driver's own,
    // and rmon has RUC and ROC apart. Listed before as rx_long_length_errors,
    // the C driver's name for ROC.
    single("hw_rx_length_errors", 0x4040),
    // CEXTERR: carrier extension errors; not in stats64's rx_errors.
    single("rx_carrier_ext_errors", 0x403C),
    // XONRXC, XONTXC, XOFFRXC, XOFFTXC: the pause statistics and eth-ctrl
    // have only XON + XOFF each way; these tell the two apart.
    single("rx_flow_control_xon", 0x4048),
    single("tx_flow_control_xon", 0x404C),
    single("rx_flow_control_xoff", 0x4050),
    single("tx_flow_control_xoff", 0x4054),
    // TPR, TPT: every frame, good or bad (eth-mac counts the good ones).
    single("rx_total_packets", 0x40D0),
    single("tx_total_packets", 0x40D4),
    // TSCTC, TSCTFC: TCP segmentation contexts.
    single("tx_tcp_seg_good", 0x40F8),
    single("tx_tcp_seg_failed", 0x40FC),
    // Unlisted: reported by ndo_get_stats64 (`ip -s link`).
    kept("rx_missed_errors", 0x4010).unlisted(), // MPC: rx_missed_errors
    kept("rx_no_buffer_count", 0x40A0).unlisted(), // RNBC: rx_over_errors
    single("collisions", 0x4028).unlisted(),     // COLC: collisions
    // Unlisted: eth-mac (the first three also in stats64: rx_crc_errors,
    // rx_frame_errors, multicast; the two collision ones too:
    // tx_aborted_errors, tx_window_errors).
    kept("rx_crc_errors", 0x4000).unlisted(), // FrameCheckSequenceErrors
    kept("rx_align_errors", 0x4004).unlisted(), // AlignmentErrors
    single("rx_multicast", 0x407C).unlisted(), // MulticastFramesReceivedOK
    single("tx_excessive_collisions", 0x4018).unlisted(), // FramesAbortedDueToXSColls
    single("tx_late_collisions", 0x4020).unlisted(), // LateCollisions
    single("tx_single_coll_ok", 0x4014).unlisted(), // SingleCollisionFrames
    single("tx_multi_coll_ok", 0x401C).unlisted(), // MultipleCollisionFrames
    single("tx_deferred_ok", 0x4030).unlisted(), // FramesWithDeferredXmissions
    single("tx_carrier_errors", 0x4034).unlisted(), // CarrierSenseErrors
    single("hw_rx_packets", 0x4074).unlisted(), // FramesReceivedOK
    single("hw_tx_packets", 0x4080).unlisted(), // FramesTransmittedOK
    running("hw_rx_bytes", 0x4088).unlisted(), // OctetsReceivedOK
    running("hw_tx_bytes", 0x4090).unlisted(), // OctetsTransmittedOK
    single("rx_broadcast", 0x4078).unlisted(), // BroadcastFramesReceivedOK
    single("tx_multicast", 0x40F0).unlisted(), // MulticastFramesXmittedOK
    single("tx_broadcast", 0x40F4).unlisted(), // BroadcastFramesXmittedOK
    // Unlisted: rmon (RUC and ROC also in stats64's rx_length_errors, ROC
    // also eth-mac's FrameTooLongErrors).
    single("rx_short_length_errors", 0x40A4).unlisted(), // etherStatsUndersizePkts
    single("rx_oversize", 0x40AC).unlisted(),            // etherStatsOversizePkts
    single("rx_fragments", 0x40A8).unlisted(),           // etherStatsFragments
    single("rx_jabbers", 0x40B0).unlisted(),             // etherStatsJabbers
    // Unlisted: eth-ctrl (the pause frames: the flow control ones above).
    single("rx_flow_control_unsupported", 0x4058).unlisted(), // UnsupportedOpcodesReceived
    // Unlisted: rmon's frame size histograms.
    single("rx_size_64", 0x405C).unlisted(),
    single("rx_size_65_127", 0x4060).unlisted(),
    single("rx_size_128_255", 0x4064).unlisted(),
    single("rx_size_256_511", 0x4068).unlisted(),
    single("rx_size_512_1023", 0x406C).unlisted(),
    single("rx_size_1024_1522", 0x4070).unlisted(),
    single("tx_size_64", 0x40D8).unlisted(),
    single("tx_size_65_127", 0x40DC).unlisted(),
    single("tx_size_128_255", 0x40E0).unlisted(),
    single("tx_size_256_511", 0x40E4).unlisted(),
    single("tx_size_512_1023", 0x40E8).unlisted(),
    single("tx_size_1024_1522", 0x40EC).unlisted(),
];

/// The frame size buckets of `RX_SIZES` and `TX_SIZES` (64 to 1522 bytes,
/// as the device counts them: with the FCS).
pub const SIZE_BUCKETS: [(u16, u16); 6] = [
    (64, 64),
    (65, 127),
    (128, 255),
    (256, 511),
    (512, 1023),
    (1024, 1522),
];

/// The counters of received frames by size (PRC64..PRC1522), one per
/// `SIZE_BUCKETS` entry.
pub const RX_SIZES: [&str; 6] = [
    "rx_size_64",
    "rx_size_65_127",
    "rx_size_128_255",
    "rx_size_256_511",
    "rx_size_512_1023",
    "rx_size_1024_1522",
];

/// The counters of sent frames by size (PTC64..PTC1522).
pub const TX_SIZES: [&str; 6] = [
    "tx_size_64",
    "tx_size_65_127",
    "tx_size_128_255",
    "tx_size_256_511",
    "tx_size_512_1023",
    "tx_size_1024_1522",
];

/// How many counters ethtool -S shows.
pub const fn listed_count() -> usize {
    let mut n = 0;
    let mut i = 0;
    while i < COUNTERS.len() {
        if COUNTERS[i].listed {
            n += 1;
        }
        i += 1;
    }
    n
}

/// The index in [`COUNTERS`] of a counter by name.
pub fn index_of(name: &str) -> Option<usize> {
    COUNTERS.iter().position(|c| c.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleared_counters_add_their_reading() {
        assert_eq!(Width::Single.reading(7, 0xdead), Reading::Add(7));
        assert_eq!(Width::Single.reading(0, 5), Reading::Add(0));
        assert_eq!(Width::Single.reading(u32::MAX, 0), Reading::Gone);
    }

    #[test]
    fn running_counters_add_their_change_across_the_wrap() {
        assert_eq!(Width::Running.reading(12, 5), Reading::Add(7));
        assert_eq!(Width::Running.reading(5, 5), Reading::Add(0));
        assert_eq!(
            Width::Running.reading(0x100, 0xFFFF_FF00),
            Reading::Add(0x200)
        );
        assert_eq!(Width::Running.reading(u32::MAX, 0), Reading::Gone);
    }

    #[test]
    fn kept_counters_add_their_change_or_all_of_a_cleared_reading() {
        // QEMU: the count only grows.
        assert_eq!(Width::Kept.reading(12, 5), Reading::Add(7));
        assert_eq!(Width::Kept.reading(5, 5), Reading::Add(0));
        // The datasheet's device cleared it at the last read: never a
        // near-2^32 jump.
        assert_eq!(Width::Kept.reading(3, 5), Reading::Add(3));
        assert_eq!(Width::Kept.reading(u32::MAX, 5), Reading::Gone);
    }

    /// Folds a model of QEMU's GORC (a 64-bit count of which the driver
    /// reads the low half only) the way the driver does, growing it by
    /// uneven steps below 2^32 through several wraps of the low half.
    #[test]
    fn the_low_half_alone_counts_every_octet_of_a_64_bit_counter() {
        let mut device: u64 = 0;
        let mut last: u32 = 0;
        let mut total: u64 = 0;
        let fold = |device: u64, last: &mut u32, total: &mut u64| {
            let now = device as u32;
            match Width::Running.reading(now, *last) {
                Reading::Add(v) => {
                    *total += v;
                    *last = now;
                }
                Reading::Gone => {}
            }
        };
        let mut step: u64 = 1;
        for _ in 0..200 {
            device += step;
            fold(device, &mut last, &mut total);
            step = (step * 7 + 0x1234_5677) % 0xF000_0000;
        }
        assert!(device > 20 << 32, "the low half wrapped only a few times");
        // A reading of exactly all ones is taken for a vanished device and
        // skipped; the next one counts the growth since the last good one.
        device += u64::from((u32::MAX - device as u32) / 2);
        fold(device, &mut last, &mut total);
        device += u64::from(u32::MAX - device as u32);
        fold(device, &mut last, &mut total);
        assert_eq!(total + u64::from(u32::MAX - last), device);
        device += 10;
        fold(device, &mut last, &mut total);
        assert_eq!(total, device);
        // A reset may zero the counter (the datasheet) or leave it as it
        // was (QEMU 7.2 ignores CTRL.RST): either way the driver takes its
        // value then as the new starting point, and the total goes on.
        for after_reset in [0, device] {
            let before = total;
            device = after_reset;
            last = device as u32;
            device += 123;
            fold(device, &mut last, &mut total);
            assert_eq!(total, before + 123);
        }
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
        // The counters QEMU keeps, and never a high half (GORCH 0x408C,
        // GOTCH 0x4094): reading one clears its pair.
        for (name, offset, width) in [
            ("rx_missed_errors", 0x4010, Width::Kept),
            ("rx_no_buffer_count", 0x40A0, Width::Kept),
            ("hw_rx_bytes", 0x4088, Width::Running),
            ("hw_tx_bytes", 0x4090, Width::Running),
        ] {
            let c = COUNTERS[index_of(name).unwrap()];
            assert_eq!((c.offset, c.width), (offset, width), "{name}");
        }
        assert!(COUNTERS
            .iter()
            .all(|c| c.offset != 0x408C && c.offset != 0x4094));
        assert_eq!(index_of("nope"), None);
    }

    /// `ethtool -S` lists only the counters with no standard home, ahead of
    /// the others; every other one is reported elsewhere (`COUNTERS`).
    #[test]
    fn ethtool_lists_only_the_counters_without_a_standard_home() {
        let listed = [
            "rx_symbol_errors",
            "rx_receive_errors",
            "hw_rx_length_errors",
            "rx_carrier_ext_errors",
            "rx_flow_control_xon",
            "tx_flow_control_xon",
            "rx_flow_control_xoff",
            "tx_flow_control_xoff",
            "rx_total_packets",
            "tx_total_packets",
            "tx_tcp_seg_good",
            "tx_tcp_seg_failed",
        ];
        let shown = COUNTERS.iter().filter(|c| c.listed).map(|c| c.name);
        assert!(shown.eq(listed));
        assert_eq!(listed_count(), listed.len());
        assert!(COUNTERS[..listed_count()].iter().all(|c| c.listed));
        // What ip -s link and the eth-mac and rmon groups report is not
        // repeated: the packet, octet, error, collision and drop counters.
        for name in [
            "hw_rx_packets",
            "hw_tx_packets",
            "hw_rx_bytes",
            "hw_tx_bytes",
            "rx_crc_errors",
            "rx_align_errors",
            "rx_missed_errors",
            "rx_no_buffer_count",
            "collisions",
            "rx_multicast",
            "rx_broadcast",
            "tx_multicast",
            "tx_broadcast",
            "rx_oversize",
            "rx_short_length_errors",
        ] {
            let c = COUNTERS[index_of(name).unwrap()];
            assert!(!c.listed, "{name} has a standard home");
        }
    }

    #[test]
    fn the_size_histograms_are_the_datasheets_registers_in_bucket_order() {
        // PRC64..PRC1522 at 0x405C.., PTC64..PTC1522 at 0x40D8.., 4 apart.
        for (names, base) in [(RX_SIZES, 0x405C), (TX_SIZES, 0x40D8)] {
            for (i, name) in names.iter().enumerate() {
                let c = COUNTERS[index_of(name).unwrap()];
                assert_eq!(c.offset, base + 4 * i, "{name}");
                assert_eq!(c.width, Width::Single);
                assert!(!c.listed, "{name} belongs to the rmon group only");
            }
        }
        // Contiguous, growing, ending at the largest standard frame.
        for w in SIZE_BUCKETS.windows(2) {
            assert_eq!(w[0].1 + 1, w[1].0);
        }
        assert_eq!(SIZE_BUCKETS[0].0, 64);
        assert_eq!(SIZE_BUCKETS[5].1, 1522);
    }
}
