// SPDX-License-Identifier: GPL-2.0

//! What the layer's types refuse at compile time: code a driver could write
//! that would reach a device after its binding ended. Each case is compiled
//! only with `--cfg re1000_compile_fail="<case>"`; `scripts/compile-fail`
//! builds every case and passes only if the compiler refuses each with the
//! error it names (`expect:`). Never part of the module.

// Each case uses some of the imports; none is called.
#![allow(unused_imports, dead_code)]

use crate::device::{Re1000, NAME};
use crate::hw::regs::BAR0_SIZE;
use crate::hwinit::Regs;
use crate::layer::netdev::{Netdev, Registration};
use crate::layer::pci::{Core, Device, DeviceRef};
use kernel::error::Result;

/// A BAR mapping borrows the bound device: it cannot be kept for longer.
/// (Before: `DeviceRef::map_bar` returned a `Bar` with no lifetime, which a
/// `static` or a leaked box could keep after unbind.)
/// expect: lifetime may not live long enough
#[cfg(re1000_compile_fail = "bar_outlives_binding")]
pub(crate) fn bar_outlives_binding(pdev: &Device<Core<'_>>) -> Result<Regs<'static>> {
    pdev.iomap_region_sized::<BAR0_SIZE>(0, NAME)
}

/// A counted reference may outlive the binding: it cannot enable the
/// function. (Before: `DeviceRef::enable`.)
/// expect: E0599
#[cfg(re1000_compile_fail = "kept_ref_enables")]
pub(crate) fn kept_ref_enables(pdev: &DeviceRef) -> Result {
    pdev.enable_device()
}

/// Nor map a BAR. (Before: `DeviceRef::map_bar`.)
/// expect: E0599
#[cfg(re1000_compile_fail = "kept_ref_maps")]
pub(crate) fn kept_ref_maps(pdev: &DeviceRef) -> Result {
    pdev.iomap_region_sized::<BAR0_SIZE>(0, NAME).map(drop)
}

/// A registered net_device is reachable only for the binding.
/// (Before: a `Registration` could be leaked, keeping the device
/// registered, its callbacks running and its BAR mapped after unbind.)
/// expect: lifetime may not live long enough
#[cfg(re1000_compile_fail = "netdev_outlives_binding")]
pub(crate) fn netdev_outlives_binding<'b>(
    reg: Registration<'b, Re1000<'static>>,
) -> Result<&'static Netdev<Re1000<'static>>> {
    reg.register()
}

/// What only a bus callback may do (under the device lock) cannot be
/// shared with other contexts: `Device<Core>` is not `Sync`.
/// expect: E0277
#[cfg(re1000_compile_fail = "core_shared")]
pub(crate) fn core_shared<'b>(pdev: &'b Device<Core<'_>>) -> &'b (dyn Sync + 'b) {
    pdev
}
