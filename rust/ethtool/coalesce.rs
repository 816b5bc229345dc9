// SPDX-License-Identifier: GPL-2.0

//! Interrupt coalescing: `ethtool -c` and `ethtool -C`.
//!
//! C header: [`include/linux/ethtool.h`](srctree/include/linux/ethtool.h)

use super::super::bindings;
use super::super::errno::eopnotsupp;
use super::{Operations, Table};
use kernel::ffi::c_int;

/// Interrupt coalescing for `ethtool -c`: the parameters this layer carries.
#[derive(Clone, Copy, Default, Debug)]
pub struct Coalesce {
    /// Minimum microseconds between receive interrupts (0: none).
    pub rx_usecs: u32,
    /// Microseconds a transmit completion may wait for others (0: none).
    pub tx_usecs: u32,
    /// The driver adapts the rate to the traffic.
    pub adaptive_rx: bool,
}

/// The coalescing parameters a device supports
/// ([`Operations::COALESCE_PARAMS`]): a set of `ETHTOOL_COALESCE_*` bits, of
/// the fields [`Coalesce`] has.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct CoalesceParams(u32);

impl CoalesceParams {
    /// None.
    pub const NONE: Self = Self(0);
    /// `rx-usecs`.
    pub const RX_USECS: Self = Self(bindings::RE1000_ETHTOOL_COALESCE_RX_USECS);
    /// `tx-usecs`.
    pub const TX_USECS: Self = Self(bindings::RE1000_ETHTOOL_COALESCE_TX_USECS);
    /// `adaptive-rx`.
    pub const ADAPTIVE_RX: Self = Self(bindings::RE1000_ETHTOOL_COALESCE_USE_ADAPTIVE_RX);

    /// Both sets.
    pub const fn with(self, other: Self) -> Self {
        Self(self.0 | other.0)
    }

    /// The core's bits.
    pub(super) const fn bits(self) -> u32 {
        self.0
    }
}

impl<T: Operations> Table<T> {
    /// # Safety
    ///
    /// `raw` must be a device of `T` (made by `Registration::<T>::new`);
    /// `ec` must point to a valid, writable `ethtool_coalesce`.
    pub(super) unsafe extern "C" fn get_coalesce(
        raw: *mut bindings::net_device,
        ec: *mut bindings::ethtool_coalesce,
        _kec: *mut bindings::kernel_ethtool_coalesce,
        _ack: *mut bindings::netlink_ext_ack,
    ) -> c_int {
        // SAFETY: called by the ethtool core on our device with a valid `ec`.
        let (dev, ec) = unsafe { (Self::dev(raw), &mut *ec) };
        match T::coalesce(dev) {
            Some(c) => {
                ec.rx_coalesce_usecs = c.rx_usecs;
                ec.tx_coalesce_usecs = c.tx_usecs;
                ec.use_adaptive_rx_coalesce = u32::from(c.adaptive_rx);
                0
            }
            None => eopnotsupp().to_errno(),
        }
    }

    /// # Safety
    ///
    /// `raw` must be a device of `T` (made by `Registration::<T>::new`);
    /// `ec` must point to a valid `ethtool_coalesce`.
    pub(super) unsafe extern "C" fn set_coalesce(
        raw: *mut bindings::net_device,
        ec: *mut bindings::ethtool_coalesce,
        _kec: *mut bindings::kernel_ethtool_coalesce,
        _ack: *mut bindings::netlink_ext_ack,
    ) -> c_int {
        // SAFETY: called by the ethtool core on our device with a valid `ec`.
        let (dev, ec) = unsafe { (Self::dev(raw), &*ec) };
        Self::errno(T::set_coalesce(
            dev,
            Coalesce {
                rx_usecs: ec.rx_coalesce_usecs,
                tx_usecs: ec.tx_coalesce_usecs,
                adaptive_rx: ec.use_adaptive_rx_coalesce != 0,
            },
        ))
    }
}
