// SPDX-License-Identifier: GPL-2.0

//! Wake-on-LAN: `ethtool IF` and `ethtool -s wol`.
//!
//! C header: [`include/linux/ethtool.h`](srctree/include/linux/ethtool.h)

use super::super::bindings;
use super::{Operations, Table};
use kernel::ffi::c_int;

/// Wake-on-LAN events (`ethtool -s wol`), as the kernel's WAKE_* bits.
#[derive(Clone, Copy, Default, PartialEq, Eq, Debug)]
pub struct WakeOn(pub u32);

impl WakeOn {
    /// A link change.
    pub const PHY: Self = Self(bindings::RE1000_WAKE_PHY);
    /// A unicast frame to the station.
    pub const UCAST: Self = Self(bindings::RE1000_WAKE_UCAST);
    /// A multicast frame.
    pub const MCAST: Self = Self(bindings::RE1000_WAKE_MCAST);
    /// A broadcast frame.
    pub const BCAST: Self = Self(bindings::RE1000_WAKE_BCAST);
    /// A magic packet.
    pub const MAGIC: Self = Self(bindings::RE1000_WAKE_MAGIC);

    /// Both sets of events.
    pub const fn with(self, other: Self) -> Self {
        Self(self.0 | other.0)
    }

    /// Whether every event of `other` is in `self`.
    pub const fn contains(self, other: Self) -> bool {
        self.0 & other.0 == other.0
    }
}

/// What `ethtool IF` shows of Wake-on-LAN.
#[derive(Clone, Copy, Default, Debug)]
pub struct Wol {
    /// Events the device can wake on.
    pub supported: WakeOn,
    /// Events it is armed for.
    pub enabled: WakeOn,
}

impl<T: Operations> Table<T> {
    /// # Safety
    ///
    /// `raw` must be a device of `T` (made by `Registration::<T>::new`);
    /// `wol` must point to a valid, writable `ethtool_wolinfo`.
    pub(super) unsafe extern "C" fn get_wol(
        raw: *mut bindings::net_device,
        wol: *mut bindings::ethtool_wolinfo,
    ) {
        // SAFETY: called by the ethtool core on our device with a valid `wol`.
        let (dev, out) = unsafe { (Self::dev(raw), &mut *wol) };
        let w = T::wol(dev);
        out.supported = w.supported.0;
        out.wolopts = w.enabled.0;
    }

    /// # Safety
    ///
    /// `raw` must be a device of `T` (made by `Registration::<T>::new`);
    /// `wol` must point to a valid `ethtool_wolinfo`.
    pub(super) unsafe extern "C" fn set_wol(
        raw: *mut bindings::net_device,
        wol: *mut bindings::ethtool_wolinfo,
    ) -> c_int {
        // SAFETY: called by the ethtool core on our device with a valid `wol`.
        let (dev, w) = unsafe { (Self::dev(raw), &*wol) };
        Self::errno(T::set_wol(dev, WakeOn(w.wolopts)))
    }
}
