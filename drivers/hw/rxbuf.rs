//! Receive buffer sizing: the buffer a given MTU needs, its RCTL encoding,
//! and how many buffers a frame may span.

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
/// uses). Every buffer sits behind XDP's headroom and before the room an
/// sk_buff's `skb_shared_info` needs at its page's end, since any buffer
/// can be a frame's first.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum RxBuf {
    /// 2048 bytes (BSIZE 00), in an order-0 page of 4 KiB: a whole frame up
    /// to the standard MTU.
    B2048,
    /// 4096 bytes (BSIZE 11 with BSEX), in an order-1 page of 4 KiB ones,
    /// above the standard MTU (LPE on): the device spreads a frame over as
    /// many as it needs (end of packet on the last), and the driver chains
    /// them. A 9000-byte frame takes three, as in the C driver's
    /// page-sized jumbo buffers (`e1000_clean_jumbo_rx_irq`), where
    /// 2048-byte ones took five: a 256-descriptor ring held 51 such frames,
    /// not 85, and one TCP stream received 1491-1981 Mbit/s with 372-791
    /// retransmits against 2042-2507 with 160-215 (design.rst).
    B4096,
}

impl RxBuf {
    /// The buffers for `mtu`.
    pub const fn for_mtu(mtu: u32) -> Self {
        if mtu <= ETH_DATA_LEN {
            RxBuf::B2048
        } else {
            RxBuf::B4096
        }
    }

    /// The buffer whose [`RxBuf::bytes`] are `bytes`, if the driver uses one.
    pub const fn from_bytes(bytes: u32) -> Option<Self> {
        match bytes {
            2048 => Some(RxBuf::B2048),
            4096 => Some(RxBuf::B4096),
            _ => None,
        }
    }

    /// Bytes in the buffer.
    pub const fn bytes(self) -> usize {
        match self {
            RxBuf::B2048 => 2048,
            RxBuf::B4096 => 4096,
        }
    }

    /// The most buffers a frame at `mtu` spans.
    pub const fn max_buffers(self, mtu: u32) -> usize {
        max_frame(mtu).div_ceil(self.bytes())
    }

    /// RCTL with BSIZE and BSEX set for this buffer, and LPE for `mtu`.
    pub const fn rctl(self, rctl: Rctl, mtu: u32) -> Rctl {
        let (bsize, bsex) = match self {
            RxBuf::B2048 => (0, false),
            RxBuf::B4096 => (3, true),
        };
        rctl.with_bsize(bsize)
            .with_bsex(bsex)
            .with_lpe(mtu > ETH_DATA_LEN)
    }
}

/// The longest frame at `mtu` (Ethernet header, one 802.1Q tag, FCS).
pub const fn max_frame(mtu: u32) -> usize {
    (mtu + FRAME_OVERHEAD) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_mtu_takes_whole_frames_jumbo_takes_order1_pages() {
        for mtu in MIN_MTU..=ETH_DATA_LEN {
            // LPE is off: the device takes no frame longer than a tagged
            // 1500-byte one, which one buffer holds.
            let buf = RxBuf::for_mtu(mtu);
            assert_eq!(buf, RxBuf::B2048);
            assert!(buf.bytes() >= max_frame(mtu));
            assert_eq!(buf.max_buffers(mtu), 1);
        }
        assert_eq!(RxBuf::for_mtu(1501), RxBuf::B4096);
        assert_eq!(RxBuf::for_mtu(MAX_MTU), RxBuf::B4096);
        assert_eq!(max_frame(9000), 9022);
        assert_eq!(RxBuf::B4096.max_buffers(1501), 1);
        assert_eq!(RxBuf::B4096.max_buffers(4075), 2);
        assert_eq!(RxBuf::B4096.max_buffers(9000), 3);
        // The largest frame fits the kernel's default MAX_SKB_FRAGS (17)
        // behind its first buffer.
        assert_eq!(RxBuf::B4096.max_buffers(MAX_MTU), 4);
    }

    #[test]
    fn sizes_read_back() {
        for buf in [RxBuf::B2048, RxBuf::B4096] {
            assert_eq!(RxBuf::from_bytes(buf.bytes() as u32), Some(buf));
        }
        assert_eq!(RxBuf::from_bytes(0), None);
        assert_eq!(RxBuf::from_bytes(8192), None);
    }

    #[test]
    fn rctl_encoding_matches_the_manual() {
        let r = RxBuf::B2048.rctl(Rctl(0), 1500);
        assert_eq!((r.bsize(), r.bsex(), r.lpe()), (0, false, false));
        let r = RxBuf::B4096.rctl(Rctl(0).with_en(true), 9000);
        assert_eq!(
            (r.bsize(), r.bsex(), r.lpe(), r.en()),
            (3, true, true, true)
        );
        // Back to 1500: BSEX and LPE go away.
        let r = RxBuf::B2048.rctl(r, 1500);
        assert_eq!((r.bsize(), r.bsex(), r.lpe()), (0, false, false));
        // 2048-byte buffers with LPE (a ring made before an MTU rise): the
        // device chains them.
        let r = RxBuf::B2048.rctl(Rctl(0), 9000);
        assert_eq!((r.bsize(), r.bsex(), r.lpe()), (0, false, true));
    }
}
