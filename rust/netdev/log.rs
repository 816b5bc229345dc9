// SPDX-License-Identifier: GPL-2.0

//! Messages about a network device: `netdev_err`, `netdev_warn`,
//! `netdev_info`, prefixed with the driver, bus address and interface.
//!
//! C header: [`include/linux/netdevice.h`](srctree/include/linux/netdevice.h)

use super::super::bindings;
// The methods of 7.x's `CStr` that 6.12's has itself.
#[allow(unused_imports)]
use super::super::CStrExt as _;
use super::{Netdev, Operations};
use core::ffi::c_void;
use kernel::str::CStr;

/// Message levels for [`Netdev::log`].
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Level {
    /// netdev_err.
    Err,
    /// netdev_warn.
    Warn,
    /// netdev_info.
    Info,
}

/// Logs through `netdev_info` and friends: "re1000 0000:00:03.0 eth0: ...".
///
/// The level is one of `Err`, `Warn`, `Info`. The expansion names no path
/// (it calls [`Netdev::pr_err`] and its siblings, as the kernel crate's
/// `dev_err!` calls `Device::pr_err`), so it works wherever the layer lives.
///
/// # Examples
///
/// ```ignore
/// netdev_log!(dev, Info, "NIC Link is Up {} Mbps\n", speed);
/// ```
#[macro_export]
macro_rules! netdev_log {
    ($dev:expr, Err, $($arg:tt)*) => {
        $dev.pr_err(::core::format_args!($($arg)*))
    };
    ($dev:expr, Warn, $($arg:tt)*) => {
        $dev.pr_warn(::core::format_args!($($arg)*))
    };
    ($dev:expr, Info, $($arg:tt)*) => {
        $dev.pr_info(::core::format_args!($($arg)*))
    };
}

impl<T: Operations> Netdev<T> {
    /// Logs a message prefixed with the driver, bus address and interface.
    pub fn log(&self, level: Level, args: core::fmt::Arguments<'_>) {
        // KERN_ERR, KERN_WARNING, KERN_INFO.
        let level: &CStr = match level {
            Level::Err => kernel::c_str!("\x013"),
            Level::Warn => kernel::c_str!("\x014"),
            Level::Info => kernel::c_str!("\x016"),
        };
        // SAFETY: the device is valid; `%pA` makes the kernel format the
        // `fmt::Arguments` passed by pointer, which lives for the call.
        unsafe {
            bindings::netdev_printk(
                level.as_char_ptr(),
                self.as_raw(),
                kernel::c_str!("%pA").as_char_ptr(),
                core::ptr::from_ref(&args).cast::<c_void>(),
            )
        };
    }

    /// `netdev_err`.
    pub fn pr_err(&self, args: core::fmt::Arguments<'_>) {
        self.log(Level::Err, args);
    }

    /// `netdev_warn`.
    pub fn pr_warn(&self, args: core::fmt::Arguments<'_>) {
        self.log(Level::Warn, args);
    }

    /// `netdev_info`.
    pub fn pr_info(&self, args: core::fmt::Arguments<'_>) {
        self.log(Level::Info, args);
    }
}
