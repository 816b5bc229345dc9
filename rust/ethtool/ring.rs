// SPDX-License-Identifier: GPL-2.0

//! Ring sizes: `ethtool -g` and `ethtool -G`.
//!
//! C header: [`include/linux/ethtool.h`](srctree/include/linux/ethtool.h)

use super::super::bindings;
use super::{Operations, Table};
use kernel::ffi::c_int;

/// Ring sizes for `ethtool -g`.
#[derive(Clone, Copy, Default, Debug)]
pub struct RingParam {
    /// Largest receive ring.
    pub rx_max: u32,
    /// Largest transmit ring.
    pub tx_max: u32,
    /// Current receive ring.
    pub rx: u32,
    /// Current transmit ring.
    pub tx: u32,
}

impl<T: Operations> Table<T> {
    /// # Safety
    ///
    /// `raw` must be a device of `T` (made by `Registration::<T>::new`);
    /// `ring` must point to a valid, writable `ethtool_ringparam`.
    pub(super) unsafe extern "C" fn get_ringparam(
        raw: *mut bindings::net_device,
        ring: *mut bindings::ethtool_ringparam,
        _kernel: *mut bindings::kernel_ethtool_ringparam,
        _ack: *mut bindings::netlink_ext_ack,
    ) {
        // SAFETY: called by the ethtool core on our device with a valid `ring`.
        let (dev, ring) = unsafe { (Self::dev(raw), &mut *ring) };
        let p = T::ringparam(dev);
        ring.rx_max_pending = p.rx_max;
        ring.tx_max_pending = p.tx_max;
        ring.rx_pending = p.rx;
        ring.tx_pending = p.tx;
    }

    /// # Safety
    ///
    /// `raw` must be a device of `T` (made by `Registration::<T>::new`);
    /// `ring` must point to a valid `ethtool_ringparam`.
    pub(super) unsafe extern "C" fn set_ringparam(
        raw: *mut bindings::net_device,
        ring: *mut bindings::ethtool_ringparam,
        _kernel: *mut bindings::kernel_ethtool_ringparam,
        _ack: *mut bindings::netlink_ext_ack,
    ) -> c_int {
        // SAFETY: called by the ethtool core on our device with a valid `ring`.
        let (dev, ring) = unsafe { (Self::dev(raw), &*ring) };
        if ring.rx_mini_pending != 0 || ring.rx_jumbo_pending != 0 {
            return kernel::error::code::EINVAL.to_errno();
        }
        Self::errno(T::set_ringparam(dev, ring.rx_pending, ring.tx_pending))
    }
}
