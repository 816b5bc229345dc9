// SPDX-License-Identifier: GPL-2.0

//! Queue counts: `ethtool -l` and `ethtool -L`.
//!
//! C header: [`include/linux/ethtool.h`](srctree/include/linux/ethtool.h)

use super::super::bindings;
use super::{Operations, Table};
use kernel::ffi::c_int;

/// How many queues of each kind a device has (`count`) and can have
/// (`max`): a combined channel is one receive and one transmit queue
/// sharing an interrupt.
#[derive(Clone, Copy, Default, Debug, PartialEq, Eq)]
pub struct Channels {
    /// Receive-only channels.
    pub rx: u32,
    /// Transmit-only channels.
    pub tx: u32,
    /// Other channels (link interrupts and the like).
    pub other: u32,
    /// Combined channels.
    pub combined: u32,
}

impl<T: Operations> Table<T> {
    /// # Safety
    ///
    /// `raw` must be a device of `T` (made by `Registration::<T>::new`);
    /// `ch` must point to a valid, writable `ethtool_channels`.
    pub(super) unsafe extern "C" fn get_channels(
        raw: *mut bindings::net_device,
        ch: *mut bindings::ethtool_channels,
    ) {
        // SAFETY: called by the ethtool core on our device with a valid `ch`.
        let (dev, ch) = unsafe { (Self::dev(raw), &mut *ch) };
        let (max, now) = T::channels(dev);
        ch.max_rx = max.rx;
        ch.max_tx = max.tx;
        ch.max_other = max.other;
        ch.max_combined = max.combined;
        ch.rx_count = now.rx;
        ch.tx_count = now.tx;
        ch.other_count = now.other;
        ch.combined_count = now.combined;
    }

    /// # Safety
    ///
    /// `raw` must be a device of `T` (made by `Registration::<T>::new`);
    /// `ch` must point to a valid `ethtool_channels`.
    pub(super) unsafe extern "C" fn set_channels(
        raw: *mut bindings::net_device,
        ch: *mut bindings::ethtool_channels,
    ) -> c_int {
        // SAFETY: called by the ethtool core on our device with a valid `ch`.
        let (dev, ch) = unsafe { (Self::dev(raw), &*ch) };
        // The core checked the counts against the maxima `get_channels`
        // gave.
        Self::errno(T::set_channels(
            dev,
            Channels {
                rx: ch.rx_count,
                tx: ch.tx_count,
                other: ch.other_count,
                combined: ch.combined_count,
            },
        ))
    }
}
