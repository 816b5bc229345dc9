// SPDX-License-Identifier: GPL-2.0

//! Tunables: `ethtool --get-tunable` and `--set-tunable`.
//!
//! C header: [`include/uapi/linux/ethtool.h`](srctree/include/uapi/linux/ethtool.h)

use super::super::bindings;
use super::super::errno::eopnotsupp;
use super::{Operations, Table};
use core::ffi::c_void;
use kernel::ffi::c_int;

/// A tunable the layer knows: each is a `u32`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tunable {
    /// Frames up to this many bytes are copied into a fresh sk_buff and
    /// their receive buffer reused (`rx-copybreak`).
    RxCopybreak,
    /// Frames up to this many bytes are copied into a transmit bounce
    /// buffer (`tx-copybreak`).
    TxCopybreak,
    /// The size of the transmit bounce buffer (`tx-buf-size`).
    TxCopybreakBufSize,
}

impl Tunable {
    /// The tunable a request names, if it is one of ours and has the `u32`
    /// type and length the kernel gives these ids.
    fn of(tuna: &bindings::ethtool_tunable) -> Option<Self> {
        if tuna.type_id != bindings::tunable_type_id_ETHTOOL_TUNABLE_U32
            || tuna.len as usize != core::mem::size_of::<u32>()
        {
            return None;
        }
        match tuna.id {
            bindings::tunable_id_ETHTOOL_RX_COPYBREAK => Some(Self::RxCopybreak),
            bindings::tunable_id_ETHTOOL_TX_COPYBREAK => Some(Self::TxCopybreak),
            bindings::tunable_id_ETHTOOL_TX_COPYBREAK_BUF_SIZE => Some(Self::TxCopybreakBufSize),
            _ => None,
        }
    }
}

impl<T: Operations> Table<T> {
    /// # Safety
    ///
    /// `raw` must be a device of `T` (made by `Registration::<T>::new`);
    /// `tuna` must point to a valid `ethtool_tunable` and `data` to
    /// `tuna->len` writable bytes, ours alone for the call (the core's
    /// buffer).
    pub(super) unsafe extern "C" fn get_tunable(
        raw: *mut bindings::net_device,
        tuna: *const bindings::ethtool_tunable,
        data: *mut c_void,
    ) -> c_int {
        // SAFETY: the function's contract.
        let (dev, tuna) = unsafe { (Self::dev(raw), &*tuna) };
        let Some(t) = Tunable::of(tuna) else {
            return Self::errno(Err(eopnotsupp()));
        };
        match T::tunable(dev, t) {
            Ok(value) => {
                // SAFETY: `data` holds `tuna->len` bytes (contract), which
                // `Tunable::of` checked to be a `u32`'s; the core's buffer
                // is not necessarily aligned for one.
                unsafe { data.cast::<u32>().write_unaligned(value) };
                0
            }
            Err(e) => Self::errno(Err(e)),
        }
    }

    /// # Safety
    ///
    /// `raw` must be a device of `T` (made by `Registration::<T>::new`);
    /// `tuna` must point to a valid `ethtool_tunable` and `data` to
    /// `tuna->len` readable bytes.
    pub(super) unsafe extern "C" fn set_tunable(
        raw: *mut bindings::net_device,
        tuna: *const bindings::ethtool_tunable,
        data: *const c_void,
    ) -> c_int {
        // SAFETY: the function's contract.
        let (dev, tuna) = unsafe { (Self::dev(raw), &*tuna) };
        let Some(t) = Tunable::of(tuna) else {
            return Self::errno(Err(eopnotsupp()));
        };
        // SAFETY: `data` holds `tuna->len` bytes (contract), a `u32`'s
        // (`Tunable::of`), copied from user space by the core.
        let value = unsafe { data.cast::<u32>().read_unaligned() };
        Self::errno(T::set_tunable(dev, t, value))
    }
}
