// SPDX-License-Identifier: GPL-2.0

//! Error codes the `kernel` crate of 6.12 does not name.
//!
//! C header: [`include/uapi/asm-generic/errno.h`](srctree/include/uapi/asm-generic/errno.h)

use super::bindings;
use kernel::error::Error;

/// `EADDRNOTAVAIL`: not a usable station address.
pub fn eaddrnotavail() -> Error {
    Error::from_errno(-(bindings::EADDRNOTAVAIL as i32))
}

/// `ETIMEDOUT`: the device did not answer in time.
pub fn etimedout() -> Error {
    Error::from_errno(-(bindings::ETIMEDOUT as i32))
}

/// `EOPNOTSUPP`: not supported by this device.
pub fn eopnotsupp() -> Error {
    Error::from_errno(-(bindings::EOPNOTSUPP as i32))
}
