// SPDX-License-Identifier: GPL-2.0

//! Flow control: `ethtool -a`, `ethtool -A` and the pause frame counters.
//!
//! C header: [`include/linux/ethtool.h`](srctree/include/linux/ethtool.h)

use super::super::bindings;
use super::{Operations, Table};
use kernel::ffi::c_int;

/// Flow control settings for `ethtool -a`.
#[derive(Clone, Copy, Default, Debug)]
pub struct Pause {
    /// Negotiated.
    pub autoneg: bool,
    /// Honour received pause frames.
    pub rx: bool,
    /// Send pause frames.
    pub tx: bool,
}

impl<T: Operations> Table<T> {
    /// # Safety
    ///
    /// `raw` must be a device of `T` (made by `Registration::<T>::new`);
    /// `pause` must point to a valid, writable `ethtool_pauseparam`.
    pub(super) unsafe extern "C" fn get_pauseparam(
        raw: *mut bindings::net_device,
        pause: *mut bindings::ethtool_pauseparam,
    ) {
        // SAFETY: called by the ethtool core on our device with a valid `pause`.
        let (dev, out) = unsafe { (Self::dev(raw), &mut *pause) };
        let p = T::pause(dev);
        out.autoneg = u32::from(p.autoneg);
        out.rx_pause = u32::from(p.rx);
        out.tx_pause = u32::from(p.tx);
    }

    /// # Safety
    ///
    /// `raw` must be a device of `T` (made by `Registration::<T>::new`);
    /// `pause` must point to a valid `ethtool_pauseparam`.
    pub(super) unsafe extern "C" fn set_pauseparam(
        raw: *mut bindings::net_device,
        pause: *mut bindings::ethtool_pauseparam,
    ) -> c_int {
        // SAFETY: called by the ethtool core on our device with a valid `pause`.
        let (dev, p) = unsafe { (Self::dev(raw), &*pause) };
        Self::errno(T::set_pause(
            dev,
            Pause {
                autoneg: p.autoneg != 0,
                rx: p.rx_pause != 0,
                tx: p.tx_pause != 0,
            },
        ))
    }

    /// # Safety
    ///
    /// `raw` must be a device of `T` (made by `Registration::<T>::new`);
    /// `stats` must point to a valid, writable `ethtool_pause_stats`.
    pub(super) unsafe extern "C" fn get_pause_stats(
        raw: *mut bindings::net_device,
        stats: *mut bindings::ethtool_pause_stats,
    ) {
        // SAFETY: called by the ethtool core on our device.
        if let Some((tx, rx)) = T::pause_stats(unsafe { Self::dev(raw) }) {
            // SAFETY: `stats` is the core's writable structure.
            unsafe { bindings::re1000_pause_stats_set(stats, tx, rx) };
        }
    }
}
