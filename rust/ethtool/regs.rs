// SPDX-License-Identifier: GPL-2.0

//! Register dump: `ethtool -d`.
//!
//! C header: [`include/linux/ethtool.h`](srctree/include/linux/ethtool.h)

use super::super::bindings;
use super::{core_buf, Operations, Table};
use core::ffi::c_void;
use kernel::ffi::c_int;

/// The core's buffer for an `ethtool -d` dump, as 32-bit words in the CPU's
/// byte order: writes go only as far as the core has room.
pub struct RegsBuf<'a> {
    bytes: &'a mut [u8],
}

impl RegsBuf<'_> {
    /// How many words have room, a last partial one included.
    pub fn words(&self) -> usize {
        self.bytes.len().div_ceil(4)
    }

    /// Writes word `index`: as many of its bytes as have room.
    pub fn set(&mut self, index: usize, value: u32) {
        let start = index.saturating_mul(4);
        if let Some(room) = self.bytes.get_mut(start..) {
            for (d, s) in room.iter_mut().zip(value.to_ne_bytes()) {
                *d = s;
            }
        }
    }
}

impl<T: Operations> Table<T> {
    /// # Safety
    ///
    /// `raw` must be a device of `T` (made by `Registration::<T>::new`).
    pub(super) unsafe extern "C" fn get_regs_len(raw: *mut bindings::net_device) -> c_int {
        // SAFETY: called by the ethtool core on our device.
        let len = T::regs_len(unsafe { Self::dev(raw) });
        c_int::try_from(len & !3).unwrap_or(0)
    }

    /// # Safety
    ///
    /// `raw` must be a device of `T` (made by `Registration::<T>::new`);
    /// `regs` must point to a valid, writable `ethtool_regs`, and `data` to
    /// `regs.len` writable bytes.
    pub(super) unsafe extern "C" fn get_regs(
        raw: *mut bindings::net_device,
        regs: *mut bindings::ethtool_regs,
        data: *mut c_void,
    ) {
        // SAFETY: called by the ethtool core on our device with a valid
        // request.
        let (dev, regs) = unsafe { (Self::dev(raw), &mut *regs) };
        // The core allocated what `get_regs_len` answered and set `regs.len`
        // to that or to the smaller length the user asked for.
        // SAFETY: `data` has room for `regs.len` bytes per the contract.
        let bytes = unsafe { core_buf(data.cast::<u8>(), regs.len as usize) };
        bytes.fill(0);
        regs.version = T::regs(dev, &mut RegsBuf { bytes });
    }
}
