// SPDX-License-Identifier: GPL-2.0

//! ethtool: the `ethtool_ops` table built from a driver's implementation.
//!
//! The parts live in submodules, re-exported here: [`Operations`] and the
//! table (`ops`), then one module per group of settings (`link`, `ring`,
//! `channels`, `coalesce`, `pause`, `wol`, `tunable`), the string sets and driver
//! statistics (`stats`), the standard statistics (`std_stats`), the
//! self-test (`test`) and the dumps (`regs`, `eeprom`).
//!
//! C header: [`include/linux/ethtool.h`](srctree/include/linux/ethtool.h)

use kernel::ffi::c_char;
use kernel::str::CStr;

mod channels;
mod coalesce;
mod eeprom;
mod link;
mod ops;
mod pause;
mod regs;
mod ring;
mod stats;
mod std_stats;
mod test;
mod tunable;
mod wol;

pub use self::channels::Channels;
pub use self::coalesce::{Coalesce, CoalesceParams};
pub use self::link::{LinkModes, LinkRequest, LinkSettings};
pub(super) use self::ops::table;
pub use self::ops::Operations;
use self::ops::Table;
pub use self::pause::Pause;
pub use self::regs::RegsBuf;
pub use self::ring::RingParam;
pub use self::std_stats::{CtrlStats, MacStats, RmonRange, RmonStats};
pub use self::tunable::Tunable;
pub use self::wol::{WakeOn, Wol};

/// What `ethtool -i` shows.
pub struct DrvInfo<'a> {
    /// Driver name.
    pub driver: &'a str,
    /// Driver version.
    pub version: &'a str,
    /// Bus address of the device.
    pub bus_info: &'a CStr,
}

/// The state `ethtool -p` asks the identification LED for.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum PhysId {
    /// Identification starts: save the LED's setting.
    Active,
    /// LED on (one half of a blink).
    On,
    /// LED off.
    Off,
    /// Identification ends: restore the LED.
    Inactive,
}

/// Copies `src` into a C char array, truncated and NUL-terminated.
fn copy_str(dst: &mut [c_char], src: &[u8]) {
    let n = src.len().min(dst.len().saturating_sub(1));
    for (d, s) in dst.iter_mut().zip(&src[..n]) {
        *d = *s as c_char;
    }
    if let Some(end) = dst.get_mut(n) {
        *end = 0;
    }
}

/// The core's buffer at `data`: `len` elements, or none if it is null or
/// misaligned for `E` (the core's are allocated, so aligned).
///
/// # Safety
///
/// If `data` is non-null and aligned, it must be valid for reads and writes
/// of `len` elements of `E` for `'a`, and not otherwise accessed meanwhile.
unsafe fn core_buf<'a, E>(data: *mut E, len: usize) -> &'a mut [E] {
    if data.is_null() || (data as usize) % core::mem::align_of::<E>() != 0 {
        return &mut [];
    }
    // SAFETY: non-null and aligned; valid for `len` elements per the contract.
    unsafe { core::slice::from_raw_parts_mut(data, len) }
}
