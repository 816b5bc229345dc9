// SPDX-License-Identifier: GPL-2.0

//! Feature bits of a net_device (`NETIF_F_*`).
//!
//! C header: [`include/linux/netdev_features.h`](srctree/include/linux/netdev_features.h)

use super::super::bindings;

/// Feature bits of a net_device (`NETIF_F_*`).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct Features(pub u64);

impl Features {
    /// Scatter-gather transmit.
    pub const SG: Self = Self(bindings::RE1000_NETIF_F_SG);
    /// Checksum offload for any protocol.
    pub const HW_CSUM: Self = Self(bindings::RE1000_NETIF_F_HW_CSUM);
    /// DMA to high memory.
    pub const HIGHDMA: Self = Self(bindings::RE1000_NETIF_F_HIGHDMA);
    /// Receive frames with errors too.
    pub const RXALL: Self = Self(bindings::RE1000_NETIF_F_RXALL);
    /// Keep the FCS on received frames.
    pub const RXFCS: Self = Self(bindings::RE1000_NETIF_F_RXFCS);
    /// Strip 802.1Q tags on receive.
    pub const VLAN_RX: Self = Self(bindings::RE1000_NETIF_F_HW_VLAN_CTAG_RX);
    /// Insert 802.1Q tags on transmit.
    pub const VLAN_TX: Self = Self(bindings::RE1000_NETIF_F_HW_VLAN_CTAG_TX);
    /// Filter by VLAN id.
    pub const VLAN_FILTER: Self = Self(bindings::RE1000_NETIF_F_HW_VLAN_CTAG_FILTER);
    /// TCP segmentation offload (IPv4).
    pub const TSO: Self = Self(bindings::RE1000_NETIF_F_TSO);
    /// TCP segmentation offload (IPv6).
    pub const TSO6: Self = Self(bindings::RE1000_NETIF_F_TSO6);
    /// Every segmentation offload (`NETIF_F_GSO_MASK`).
    pub const GSO_MASK: Self = Self(bindings::RE1000_NETIF_F_GSO_MASK);

    /// The union of two sets.
    pub const fn with(self, other: Self) -> Self {
        Self(self.0 | other.0)
    }

    /// Whether every bit of `other` is set.
    pub const fn contains(self, other: Self) -> bool {
        self.0 & other.0 == other.0
    }

    /// This set without the bits of `other`.
    pub const fn without(self, other: Self) -> Self {
        Self(self.0 & !other.0)
    }

    /// The bits that differ between two sets.
    pub const fn changed(self, other: Self) -> Self {
        Self(self.0 ^ other.0)
    }
}
