// SPDX-License-Identifier: GPL-2.0

//! The counters a driver reports: the interface counters (`ndo_get_stats64`)
//! and the per-queue counters of the netdev netlink family.
//!
//! C header: [`include/uapi/linux/if_link.h`](srctree/include/uapi/linux/if_link.h)
//! C header: [`include/net/netdev_queues.h`](srctree/include/net/netdev_queues.h)

/// The standard interface counters (`ip -s link`, /proc/net/dev).
#[derive(Default, Clone, Copy, Debug)]
pub struct LinkStats {
    /// Frames received and handed to the stack.
    pub rx_packets: u64,
    /// Bytes of those frames.
    pub rx_bytes: u64,
    /// Frames transmitted.
    pub tx_packets: u64,
    /// Bytes transmitted.
    pub tx_bytes: u64,
    /// Frames received with errors.
    pub rx_errors: u64,
    /// Frames that could not be transmitted.
    pub tx_errors: u64,
    /// Received frames dropped (no memory, no buffer).
    pub rx_dropped: u64,
    /// Frames dropped before transmission.
    pub tx_dropped: u64,
    /// Multicast frames received.
    pub multicast: u64,
    /// Collisions.
    pub collisions: u64,
    /// Frames with a length error.
    pub rx_length_errors: u64,
    /// Frames lost to receiver overrun.
    pub rx_over_errors: u64,
    /// Frames with a bad CRC.
    pub rx_crc_errors: u64,
    /// Frames with a framing error.
    pub rx_frame_errors: u64,
    /// Frames missed for lack of buffers.
    pub rx_missed_errors: u64,
    /// Frames abandoned after too many collisions.
    pub tx_aborted_errors: u64,
    /// Frames hit by a late collision.
    pub tx_window_errors: u64,
}

/// Counters of queue 0 for the netdev netlink family's queue statistics.
#[derive(Default, Clone, Copy, Debug)]
pub struct QueueStats {
    /// Frames received.
    pub rx_packets: u64,
    /// Bytes received.
    pub rx_bytes: u64,
    /// Receive buffers that could not be allocated.
    pub rx_alloc_fail: u64,
    /// Frames transmitted.
    pub tx_packets: u64,
    /// Bytes transmitted.
    pub tx_bytes: u64,
}
