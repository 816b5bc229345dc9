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

/// A receive buffer size the device can be told about.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum RxBuf {
    /// 2048 bytes: BSIZE 00.
    B2048,
    /// 4096 bytes: BSEX with BSIZE 11.
    B4096,
    /// 8192 bytes: BSEX with BSIZE 10.
    B8192,
    /// 16384 bytes: BSEX with BSIZE 01.
    B16384,
}

impl RxBuf {
    /// The smallest buffer that holds a whole frame at `mtu`.
    pub const fn for_mtu(mtu: u32) -> Self {
        let frame = mtu + FRAME_OVERHEAD;
        if frame <= 2048 {
            RxBuf::B2048
        } else if frame <= 4096 {
            RxBuf::B4096
        } else if frame <= 8192 {
            RxBuf::B8192
        } else {
            RxBuf::B16384
        }
    }

    /// Bytes in the buffer.
    pub const fn bytes(self) -> usize {
        match self {
            RxBuf::B2048 => 2048,
            RxBuf::B4096 => 4096,
            RxBuf::B8192 => 8192,
            RxBuf::B16384 => 16384,
        }
    }

    /// RCTL with BSIZE, BSEX and LPE set for this buffer and `mtu`.
    pub const fn apply(self, rctl: Rctl, mtu: u32) -> Rctl {
        let (bsize, bsex) = match self {
            RxBuf::B2048 => (0, false),
            RxBuf::B4096 => (3, true),
            RxBuf::B8192 => (2, true),
            RxBuf::B16384 => (1, true),
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
    fn buffers_hold_the_largest_frame_of_each_mtu() {
        assert_eq!(RxBuf::for_mtu(1500), RxBuf::B2048);
        assert_eq!(RxBuf::for_mtu(MIN_MTU), RxBuf::B2048);
        assert_eq!(RxBuf::for_mtu(2026), RxBuf::B2048);
        assert_eq!(RxBuf::for_mtu(2027), RxBuf::B4096);
        assert_eq!(RxBuf::for_mtu(9000), RxBuf::B16384);
        assert_eq!(RxBuf::for_mtu(MAX_MTU), RxBuf::B16384);
        for mtu in MIN_MTU..=MAX_MTU {
            assert!(RxBuf::for_mtu(mtu).bytes() as u32 >= mtu + FRAME_OVERHEAD);
        }
    }

    #[test]
    fn rctl_encoding_matches_the_manual() {
        let r = RxBuf::B2048.apply(Rctl(0), 1500);
        assert_eq!((r.bsize(), r.bsex(), r.lpe()), (0, false, false));
        let r = RxBuf::B4096.apply(Rctl(0), 3000);
        assert_eq!((r.bsize(), r.bsex(), r.lpe()), (3, true, true));
        let r = RxBuf::B16384.apply(Rctl(0).with_en(true), 9000);
        assert_eq!(
            (r.bsize(), r.bsex(), r.lpe(), r.en()),
            (1, true, true, true)
        );
        // Back to 1500: the jumbo bits go away.
        let r = RxBuf::B2048.apply(r, 1500);
        assert_eq!((r.bsize(), r.bsex(), r.lpe()), (0, false, false));
    }
}
