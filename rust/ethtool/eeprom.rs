// SPDX-License-Identifier: GPL-2.0

//! EEPROM dump: `ethtool -e`.
//!
//! C header: [`include/linux/ethtool.h`](srctree/include/linux/ethtool.h)

use super::super::bindings;
use super::{Operations, Table};
use kernel::ffi::c_int;

impl<T: Operations> Table<T> {
    /// # Safety
    ///
    /// `raw` must be a device of `T` (made by `Registration::<T>::new`).
    pub(super) unsafe extern "C" fn get_eeprom_len(raw: *mut bindings::net_device) -> c_int {
        // SAFETY: called by the ethtool core on our device.
        c_int::try_from(T::eeprom_len(unsafe { Self::dev(raw) })).unwrap_or(0)
    }

    /// # Safety
    ///
    /// `raw` must be a device of `T` (made by `Registration::<T>::new`);
    /// `ee` must point to a valid, writable request within `get_eeprom_len()`,
    /// and `data` to `ee.len` writable bytes.
    pub(super) unsafe extern "C" fn get_eeprom(
        raw: *mut bindings::net_device,
        ee: *mut bindings::ethtool_eeprom,
        data: *mut u8,
    ) -> c_int {
        // SAFETY: called by the ethtool core on our device with a valid
        // request; the core checked offset + len against `get_eeprom_len`
        // and allocated `len` bytes at `data`.
        let (dev, ee) = unsafe { (Self::dev(raw), &mut *ee) };
        // SAFETY: as above.
        let out = unsafe { core::slice::from_raw_parts_mut(data, ee.len as usize) };
        match T::eeprom(dev, ee.offset as usize, out) {
            Ok(magic) => {
                ee.magic = magic;
                0
            }
            Err(e) => e.to_errno(),
        }
    }
}
