//! Receive buffer sizing: one buffer size at every MTU, its RCTL encoding,
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
/// Bytes of every receive buffer (BSIZE 00, BSEX off): a whole frame up to
/// the standard MTU. Above it (LPE on) the device spreads a frame over as
/// many buffers as it needs (end of packet on the last), and the driver
/// chains them. One size at every MTU keeps every buffer in the same place
/// of its page (behind XDP's headroom, before the page's `skb_shared_info`
/// room), so that any of them can be a frame's first and an XDP program can
/// be attached at any MTU without new buffers.
pub const RX_BUF_LEN: usize = 2048;

/// The longest frame at `mtu` (Ethernet header, one 802.1Q tag, FCS).
pub const fn max_frame(mtu: u32) -> usize {
    (mtu + FRAME_OVERHEAD) as usize
}

/// The most buffers a frame at `mtu` spans.
pub const fn max_buffers(mtu: u32) -> usize {
    max_frame(mtu).div_ceil(RX_BUF_LEN)
}

/// RCTL with BSIZE and BSEX set for [`RX_BUF_LEN`], and LPE for `mtu`.
pub const fn rctl_for_mtu(rctl: Rctl, mtu: u32) -> Rctl {
    rctl.with_bsize(0)
        .with_bsex(false)
        .with_lpe(mtu > ETH_DATA_LEN)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_buffer_holds_a_standard_frame() {
        for mtu in MIN_MTU..=ETH_DATA_LEN {
            // LPE is off: the device takes no frame longer than a tagged
            // 1500-byte one, which one buffer holds.
            assert!(RX_BUF_LEN >= max_frame(mtu));
            assert_eq!(max_buffers(mtu), 1);
        }
        assert_eq!(max_frame(9000), 9022);
        assert_eq!(max_buffers(1501), 1);
        assert_eq!(max_buffers(2027), 2);
        assert_eq!(max_buffers(9000), 5);
        // The largest frame fits the kernel's default MAX_SKB_FRAGS (17)
        // behind its first buffer.
        assert_eq!(max_buffers(MAX_MTU), 8);
    }

    #[test]
    fn rctl_encoding_matches_the_manual() {
        let r = rctl_for_mtu(Rctl(0), 1500);
        assert_eq!((r.bsize(), r.bsex(), r.lpe()), (0, false, false));
        let r = rctl_for_mtu(Rctl(0).with_en(true).with_bsize(3).with_bsex(true), 9000);
        assert_eq!(
            (r.bsize(), r.bsex(), r.lpe(), r.en()),
            (0, false, true, true)
        );
        // Back to 1500: LPE goes away.
        let r = rctl_for_mtu(r, 1500);
        assert_eq!((r.bsize(), r.bsex(), r.lpe()), (0, false, false));
    }
}
