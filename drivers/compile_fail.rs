// SPDX-License-Identifier: GPL-2.0

//! What the layer's types refuse at compile time: code a driver could write
//! that would reach a device, or memory, after its binding or its owner
//! ended. Each case is compiled only with `--cfg
//! re1000_compile_fail="<case>"`; `scripts/compile-fail` builds every case
//! and passes only if the compiler's first error is the one its `expect:`
//! line names, at a line of the case. Never part of the module.

// Each case uses some of the items; none is called.
#![allow(unused_imports, dead_code)]

use crate::device::NAME;
use crate::hw::regs::BAR0_SIZE;
use crate::hwinit::Regs;
use crate::layer::dma;
use crate::layer::ethtool::{self, DrvInfo, LinkSettings, RingParam};
use crate::layer::netdev::{self, AddrLists, LinkStats, Netdev, Registration, XmitCtx};
use crate::layer::pci::{Bound, Core, Device, DeviceRef};
use crate::layer::skb::Skb;
use kernel::prelude::*;
use kernel::sync::{new_mutex, Mutex};

/// A net_device state that borrows for `'a`: a number, the bound device
/// and, maybe, another net_device.
#[pin_data]
pub(crate) struct Borrows<'a> {
    r: &'a u32,
    pdev: &'a Device<Bound>,
    #[pin]
    peer: Mutex<Option<&'a Netdev<Borrows<'a>>>>,
}

#[vtable]
impl<'a> netdev::Operations for Borrows<'a> {
    type TxState = &'a u32;

    fn open(dev: &Netdev<Self>) -> Result {
        pr_info!("{}\n", *dev.data().r);
        #[cfg(re1000_compile_fail = "register_in_open")]
        open_registers(dev)?;
        #[cfg(re1000_compile_fail = "tx_state_shortened")]
        tx_state_shortened(dev)?;
        Ok(())
    }

    fn stop(dev: &Netdev<Self>) -> Result {
        if let Some(p) = *dev.data().peer.lock() {
            pr_info!("{}\n", *p.data().r);
        }
        Ok(())
    }

    fn start_xmit(
        _: &Netdev<Self>,
        tx: &mut &'a u32,
        skb: Skb,
        _: &XmitCtx<'_>,
    ) -> Result<(), Skb> {
        pr_info!("{}\n", **tx);
        Err(skb)
    }

    fn get_stats64(_: &Netdev<Self>, _: &mut LinkStats) {}
    fn tx_timeout(_: &Netdev<Self>) {}

    fn set_mac_address(_: &Netdev<Self>, _: &[u8; 6]) -> Result {
        Ok(())
    }

    fn change_mtu(_: &Netdev<Self>, _: u32) -> Result {
        Ok(())
    }

    fn set_rx_mode(_: &Netdev<Self>, _: &AddrLists<'_, Self>) {}
}

#[vtable]
impl<'a> ethtool::Operations for Borrows<'a> {
    const STAT_NAMES: &'static [&'static str] = &[];
    fn drvinfo(_: &Netdev<Self>, _: &mut dyn FnMut(DrvInfo<'_>)) {}
    fn stats(_: &Netdev<Self>, _: &mut [u64]) {}

    fn ringparam(_: &Netdev<Self>) -> RingParam {
        RingParam::default()
    }

    fn link_settings(_: &Netdev<Self>) -> LinkSettings {
        LinkSettings::default()
    }
}

static FIVE: u32 = 5;

/// A BAR mapping borrows the bound device: it cannot be kept for longer.
/// (Before: `DeviceRef::map_bar` returned a `Bar` with no lifetime, which a
/// `static` or a leaked box could keep after unbind.)
/// expect: lifetime may not live long enough
#[cfg(re1000_compile_fail = "bar_outlives_binding")]
pub(crate) fn bar_outlives_binding(pdev: &Device<Core<'_>>) -> Result<Regs<'static>> {
    pdev.bound().iomap_region_sized::<BAR0_SIZE>(0, NAME)
}

/// The DMA device (mapping frames, allocating rings) borrows the bound
/// device too. (Before: it held a counted `pci_dev`, so a kept clone could
/// map memory after unbind.)
/// expect: lifetime may not live long enough
#[cfg(re1000_compile_fail = "dma_outlives_binding")]
pub(crate) fn dma_outlives_binding(pdev: &Device<Core<'_>>) -> Result<dma::Device<'static>> {
    dma::Device::new(pdev.bound())
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

/// What only a bus callback may do (under the device lock) cannot be
/// shared with other contexts: `Device<Core>` is not `Sync`.
/// expect: E0277
#[cfg(re1000_compile_fail = "core_shared")]
pub(crate) fn core_shared<'b>(pdev: &'b Device<Core<'_>>) -> &'b (dyn Sync + 'b) {
    pdev
}

/// A registered net_device's state cannot borrow what probe frees: the
/// binding's lifetime cannot be shortened. (Before this was fixed, the
/// state could hold `&local`, read by `ndo_open` after probe returned.)
/// expect: E0597
#[cfg(re1000_compile_fail = "state_borrows_local")]
pub(crate) fn state_borrows_local<'bound>(pdev: &Device<Core<'bound>>) -> Result {
    let local = KBox::new(5u32, GFP_KERNEL)?;
    let r: &u32 = &local;
    let bound = pdev.bound();
    let reg = Registration::new(pdev, move |_| {
        Ok(try_pin_init!(Borrows { r, pdev: bound, peer <- new_mutex!(None) }? Error))
    })?;
    let _ = reg.register(pdev)?;
    Ok(())
}

/// A net_device is registered only from probe, whose devres group is
/// released at the end of remove: `ndo_open` has no `Core` device.
/// expect: E0308
#[cfg(re1000_compile_fail = "register_in_open")]
fn open_registers(dev: &Netdev<Borrows<'_>>) -> Result {
    let pdev = dev.data().pdev;
    let reg = Registration::new(pdev, move |_| {
        Ok(try_pin_init!(Borrows { r: &FIVE, pdev, peer <- new_mutex!(None) }? Error))
    })?;
    let _ = reg.register(pdev)?;
    Ok(())
}

/// Two net_devices of one binding cannot point at each other: released in
/// reverse order, the first one's `ndo_stop` would read the second, freed.
/// A registered device is reached only for as long as a bus callback's
/// `Core` reference, even through a leaked handle.
/// expect: E0621
#[cfg(re1000_compile_fail = "states_cross")]
pub(crate) fn states_cross<'bound>(pdev: &Device<Core<'bound>>) -> Result {
    let bound = pdev.bound();
    let a = Registration::new(pdev, |_| {
        Ok(try_pin_init!(Borrows { r: &FIVE, pdev: bound, peer <- new_mutex!(None) }? Error))
    })?;
    let b = Registration::new(pdev, |_| {
        Ok(try_pin_init!(Borrows { r: &FIVE, pdev: bound, peer <- new_mutex!(None) }? Error))
    })?;
    let a = KBox::leak(KBox::new(a.register(pdev)?, GFP_KERNEL)?);
    let b = KBox::leak(KBox::new(b.register(pdev)?, GFP_KERNEL)?);
    let b_dev: &'bound Netdev<Borrows<'bound>> = b.get(pdev);
    *a.get(pdev).data().peer.lock() = Some(b_dev);
    Ok(())
}

/// What a PM callback is lent cannot be stored in the device's data for a
/// later callback: its lifetimes are the callback's own.
/// expect: lifetime may not live long enough
#[cfg(re1000_compile_fail = "pm_keeps_device")]
pub(crate) fn pm_keeps_device(dev: &Device<Core<'_>>, data: &Mutex<Option<&Device<Bound>>>) {
    *data.lock() = Some(dev.bound());
}

/// A callback cannot see its own device with a shorter state type (which
/// would let it store a short borrow as the transmit state, read by
/// `start_xmit` after it returned): `Netdev<T>` is invariant in `T`. Found
/// by review of the first version, where it was covariant.
/// expect: E0597
#[cfg(re1000_compile_fail = "tx_state_shortened")]
fn tx_state_shortened<'a>(dev: &Netdev<Borrows<'a>>) -> Result {
    let local = KBox::new(7u32, GFP_KERNEL)?;
    let short: &Netdev<Borrows<'_>> = dev;
    let mut off = short.tx_off()?;
    *off.state() = Some(&*local);
    off.start();
    Ok(())
}
