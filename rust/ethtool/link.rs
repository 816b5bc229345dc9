// SPDX-License-Identifier: GPL-2.0

//! Link settings: `ethtool IF`, `ethtool -s` (speed, duplex,
//! autonegotiation, advertised modes).
//!
//! C header: [`include/linux/ethtool.h`](srctree/include/linux/ethtool.h)

use super::super::bindings;
use super::{Operations, Table};
use kernel::ffi::c_int;

/// A set of link modes (`ethtool IF`'s "Supported link modes" and
/// "Advertised link modes"): the first 32, the kernel's legacy
/// `ADVERTISED_*` bits, which hold every mode up to 1000BASE-T.
#[derive(Clone, Copy, Default, PartialEq, Eq, Debug)]
pub struct LinkModes(pub u32);

impl LinkModes {
    /// 10BASE-T half duplex.
    pub const T10_HALF: Self = Self(bindings::RE1000_ADVERTISED_10baseT_Half);
    /// 10BASE-T full duplex.
    pub const T10_FULL: Self = Self(bindings::RE1000_ADVERTISED_10baseT_Full);
    /// 100BASE-T half duplex.
    pub const T100_HALF: Self = Self(bindings::RE1000_ADVERTISED_100baseT_Half);
    /// 100BASE-T full duplex.
    pub const T100_FULL: Self = Self(bindings::RE1000_ADVERTISED_100baseT_Full);
    /// 1000BASE-T half duplex.
    pub const T1000_HALF: Self = Self(bindings::RE1000_ADVERTISED_1000baseT_Half);
    /// 1000BASE-T full duplex.
    pub const T1000_FULL: Self = Self(bindings::RE1000_ADVERTISED_1000baseT_Full);
    /// Autonegotiation.
    pub const AUTONEG: Self = Self(bindings::RE1000_ADVERTISED_Autoneg);
    /// Twisted-pair port.
    pub const TP: Self = Self(bindings::RE1000_ADVERTISED_TP);

    /// Both sets of modes.
    pub const fn with(self, other: Self) -> Self {
        Self(self.0 | other.0)
    }

    /// Whether every mode of `other` is in `self`.
    pub const fn contains(self, other: Self) -> bool {
        self.0 & other.0 == other.0
    }
}

/// Link settings for `ethtool IF`.
#[derive(Clone, Copy, Default, Debug)]
pub struct LinkSettings {
    /// The modes the device supports.
    pub supported: LinkModes,
    /// The modes it advertises.
    pub advertising: LinkModes,
    /// Whether the link is up (speed and duplex are unknown otherwise).
    pub link_up: bool,
    /// Mb/s.
    pub speed: u32,
    /// Full duplex.
    pub full_duplex: bool,
    /// Autonegotiation on.
    pub autoneg: bool,
}

/// A link settings request from `ethtool -s`.
#[derive(Clone, Copy, Debug)]
pub struct LinkRequest {
    /// Mb/s (for forced settings).
    pub speed: u32,
    /// Full duplex (for forced settings).
    pub full_duplex: bool,
    /// Autonegotiation on.
    pub autoneg: bool,
    /// The modes to advertise; `None` if the request has a mode beyond
    /// the first 32 (faster than any `LinkModes` can name).
    pub advertising: Option<LinkModes>,
}

impl<T: Operations> Table<T> {
    /// # Safety
    ///
    /// `raw` must be a device of `T` (made by `Registration::<T>::new`);
    /// `ks` must point to a valid, writable `ethtool_link_ksettings`.
    pub(super) unsafe extern "C" fn get_link_ksettings(
        raw: *mut bindings::net_device,
        ks: *mut bindings::ethtool_link_ksettings,
    ) -> c_int {
        // SAFETY: called by the ethtool core on our device.
        let l = T::link_settings(unsafe { Self::dev(raw) });
        // SAFETY: `ks` is the core's valid settings structure.
        unsafe {
            bindings::re1000_ksettings_fill(
                ks,
                l.supported.0,
                l.advertising.0,
                l.speed,
                u8::from(l.full_duplex),
                u8::from(l.autoneg),
                u8::from(l.link_up),
            )
        };
        0
    }

    /// # Safety
    ///
    /// `raw` must be a device of `T` (made by `Registration::<T>::new`);
    /// `ks` must point to a valid `ethtool_link_ksettings`.
    pub(super) unsafe extern "C" fn set_link_ksettings(
        raw: *mut bindings::net_device,
        ks: *const bindings::ethtool_link_ksettings,
    ) -> c_int {
        // SAFETY: called by the ethtool core on our device with valid settings.
        let (dev, base) = unsafe { (Self::dev(raw), &(*ks).base) };
        let mut legacy = 0u32;
        // SAFETY: `ks` is the core's valid settings structure; `legacy` is
        // a writable u32.
        let fits = unsafe { bindings::re1000_ksettings_advertising(ks, &mut legacy) } != 0;
        Self::errno(T::set_link_settings(
            dev,
            LinkRequest {
                speed: base.speed,
                full_duplex: base.duplex == bindings::RE1000_DUPLEX_FULL,
                autoneg: base.autoneg == bindings::RE1000_AUTONEG_ENABLE,
                advertising: fits.then_some(LinkModes(legacy)),
            },
        ))
    }
}
