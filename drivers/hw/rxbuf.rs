//! Receive buffer sizing: the buffer a given MTU needs and its RCTL encoding.

use crate::hw::regs::Rctl;

/// Ethernet header, one 802.1Q tag and the FCS around the MTU.
pub const FRAME_OVERHEAD: u32 = 14 + 4 + 4;
/// The largest MTU the C driver allows on this device.
pub const MAX_MTU: u32 = 16110;
/// The smallest MTU (as the C driver).
pub const MIN_MTU: u32 = 46;
/// The standard Ethernet MTU: above it RCTL.LPE must be set.
pub const ETH_DATA_LEN: u32 = 1500;

/// A receive buffer size the device can be told about (of those the driver
/// uses).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum RxBuf {
    /// 2048 bytes: BSIZE 00. A whole frame at up to the standard MTU.
    B2048,
    /// 4096 bytes (a page): BSEX with BSIZE 11. Above the standard MTU,
    /// the device spreads a frame over as many as it needs, and the driver
    /// chains them (as the C driver's jumbo receive), rather than asking
    /// for one contiguous buffer per descriptor that holds the largest
    /// frame.
    B4096,
}

impl RxBuf {
    /// The buffers for `mtu`: 2048 bytes up to the standard MTU (LPE off,
    /// so no frame is longer), page-sized above.
    pub const fn for_mtu(mtu: u32) -> Self {
        if mtu <= ETH_DATA_LEN {
            RxBuf::B2048
        } else {
            RxBuf::B4096
        }
    }

    /// The longest frame at `mtu` (Ethernet header, one 802.1Q tag, FCS).
    pub const fn max_frame(mtu: u32) -> usize {
        (mtu + FRAME_OVERHEAD) as usize
    }

    /// Bytes in the buffer.
    pub const fn bytes(self) -> usize {
        match self {
            RxBuf::B2048 => 2048,
            RxBuf::B4096 => 4096,
        }
    }

    /// RCTL with BSIZE, BSEX and LPE set for this buffer and `mtu`.
    pub const fn apply(self, rctl: Rctl, mtu: u32) -> Rctl {
        let (bsize, bsex) = match self {
            RxBuf::B2048 => (0, false),
            RxBuf::B4096 => (3, true),
        };
        rctl.with_bsize(bsize)
            .with_bsex(bsex)
            .with_lpe(mtu > ETH_DATA_LEN)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_mtu_takes_whole_frames_jumbo_takes_pages() {
        assert_eq!(RxBuf::for_mtu(1500), RxBuf::B2048);
        assert_eq!(RxBuf::for_mtu(MIN_MTU), RxBuf::B2048);
        assert_eq!(RxBuf::for_mtu(1501), RxBuf::B4096);
        assert_eq!(RxBuf::for_mtu(9000), RxBuf::B4096);
        assert_eq!(RxBuf::for_mtu(MAX_MTU), RxBuf::B4096);
        for mtu in MIN_MTU..=ETH_DATA_LEN {
            // LPE is off: the device takes no frame longer than a tagged
            // 1500-byte one, which one buffer holds.
            assert!(RxBuf::for_mtu(mtu).bytes() >= RxBuf::max_frame(ETH_DATA_LEN));
        }
        assert_eq!(RxBuf::max_frame(9000), 9022);
    }

    #[test]
    fn rctl_encoding_matches_the_manual() {
        let r = RxBuf::B2048.apply(Rctl(0), 1500);
        assert_eq!((r.bsize(), r.bsex(), r.lpe()), (0, false, false));
        let r = RxBuf::B4096.apply(Rctl(0), 3000);
        assert_eq!((r.bsize(), r.bsex(), r.lpe()), (3, true, true));
        let r = RxBuf::B4096.apply(Rctl(0).with_en(true), 9000);
        assert_eq!(
            (r.bsize(), r.bsex(), r.lpe(), r.en()),
            (3, true, true, true)
        );
        // Back to 1500: the jumbo bits go away.
        let r = RxBuf::B2048.apply(r, 1500);
        assert_eq!((r.bsize(), r.bsex(), r.lpe()), (0, false, false));
    }
}
