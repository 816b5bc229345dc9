// SPDX-License-Identifier: GPL-2.0

//! String sets and statistics: `ethtool -S`, and the names of the
//! `ethtool -t` tests.
//!
//! C header: [`include/linux/ethtool.h`](srctree/include/linux/ethtool.h)

use super::super::bindings;
use super::{copy_str, core_buf, Operations, Table};
use kernel::ffi::{c_char, c_int};

/// Most strings of a set: the core refuses sets whose strings exceed
/// `S32_MAX` bytes.
const MAX_STRINGS: usize = i32::MAX as usize / bindings::ETH_GSTRING_LEN as usize;

impl<T: Operations> Table<T> {
    /// The names of string set `sset`, if the driver has it: constants, so
    /// `get_sset_count` and `get_strings` always agree on the count.
    fn names(sset: u32) -> Option<&'static [&'static str]> {
        let names = match sset {
            bindings::RE1000_ETH_SS_STATS => T::STAT_NAMES,
            bindings::RE1000_ETH_SS_TEST => T::TEST_NAMES,
            _ => return None,
        };
        Some(names).filter(|n| !n.is_empty() && n.len() <= MAX_STRINGS)
    }

    /// # Safety
    ///
    /// `_raw` must be a device of `T` (made by `Registration::<T>::new`).
    pub(super) unsafe extern "C" fn get_sset_count(
        _raw: *mut bindings::net_device,
        sset: c_int,
    ) -> c_int {
        match u32::try_from(sset).ok().and_then(Self::names) {
            // At most `MAX_STRINGS`, which fits.
            Some(names) => c_int::try_from(names.len()).unwrap_or(0),
            None => super::super::errno::eopnotsupp().to_errno(),
        }
    }

    /// # Safety
    ///
    /// `_raw` must be a device of `T` (made by `Registration::<T>::new`);
    /// `data` must have room for `ETH_GSTRING_LEN` bytes per string of
    /// `sset` as `get_sset_count` counts them.
    pub(super) unsafe extern "C" fn get_strings(
        _raw: *mut bindings::net_device,
        sset: u32,
        data: *mut u8,
    ) {
        // The ethtool core (ioctl and netlink alike) sizes `data` by what
        // `get_sset_count` answered for `sset`: `names.len()`, a constant.
        let Some(names) = Self::names(sset) else {
            return;
        };
        let len = bindings::ETH_GSTRING_LEN as usize;
        // SAFETY: `data` has room for `names.len()` strings per the contract
        // (a product below `i32::MAX`, by `names`).
        let out = unsafe { core_buf(data.cast::<c_char>(), names.len() * len) };
        for (slot, name) in out.chunks_mut(len).zip(names) {
            copy_str(slot, name.as_bytes());
        }
    }

    /// # Safety
    ///
    /// `raw` must be a device of `T` (made by `Registration::<T>::new`);
    /// `stats` must point to a valid `ethtool_stats` and `data` have room for
    /// `stats.n_stats` values.
    pub(super) unsafe extern "C" fn get_ethtool_stats(
        raw: *mut bindings::net_device,
        stats: *mut bindings::ethtool_stats,
        data: *mut u64,
    ) {
        // SAFETY: called by the ethtool core on our device with a valid
        // request.
        let (dev, stats) = unsafe { (Self::dev(raw), &*stats) };
        // Not beyond our own count either (DSA passes a larger buffer whose
        // rest is the switch port's).
        let n = (stats.n_stats as usize).min(T::STAT_NAMES.len());
        // SAFETY: `data` has room for `stats.n_stats` values, the core's own
        // count of its buffer, per the contract.
        let out = unsafe { core_buf(data, n) };
        out.fill(0);
        T::stats(dev, out);
    }
}
