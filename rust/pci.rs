// SPDX-License-Identifier: GPL-2.0

//! PCI: the device in the context a driver holds it in, driver registration
//! (probe, remove, system sleep, shutdown) and the resources of a bound
//! device.
//!
//! Shaped as Linux 7.3's `kernel::pci`, whose `Driver` has no power
//! management and whose adapter an out-of-tree module cannot extend: a
//! [`Device`] is seen through a context type. [`Core`] is the context of a
//! bus callback (probe, remove, suspend, resume, shutdown: the device lock
//! is held) and allows what only such a callback may do (enable, bus
//! mastering, DMA mask); in probe it is `Device<Core<'bound>>`, `'bound`
//! being the binding's lifetime. It dereferences to [`Bound`], which the
//! driver may keep for as long as the binding ([`Device::bound`]) and which
//! maps BARs ([`Device::iomap_region_sized`]) and arms wake-up; that
//! dereferences to [`Normal`], read-only facts about the device, which a
//! counted [`DeviceRef`] may hold beyond the binding.
//!
//! C header: [`include/linux/pci.h`](srctree/include/linux/pci.h)

use super::bindings;
use super::mmio::Bar;
// The methods of 7.x's `CStr` that 6.12's has itself.
#[allow(unused_imports)]
use super::CStrExt as _;
use core::marker::PhantomData;
use core::ops::Deref;
use core::ptr::NonNull;
use kernel::error::{
    code::{EBUSY, EINVAL},
    to_result, Result,
};
use kernel::str::CStr;
use kernel::types::Opaque;

mod driver;
mod id;

pub use driver::{Driver, Registration};
pub use id::DeviceId;

mod private {
    pub trait Sealed {}
}

/// The context a [`Device`] is seen in: [`Normal`], [`Bound`] or [`Core`].
pub trait DeviceContext: private::Sealed {}

/// Any device, bound to re1000 or not: only what can be read of it.
pub struct Normal;
/// A device bound to the driver: the reference is valid for the binding.
pub struct Bound;
/// The device within one of its bus callbacks, under the device lock. Not
/// `Sync`: nothing that probe leaves behind (which must be `Send + Sync`)
/// can keep it. The lifetime is invariant: in probe it is the binding's
/// (`'bound`), which [`Device::bound`] lends and no caller can shorten.
pub struct Core<'a>(PhantomData<fn(&'a ()) -> &'a ()>);

impl private::Sealed for Normal {}
impl private::Sealed for Bound {}
impl private::Sealed for Core<'_> {}
impl DeviceContext for Normal {}
impl DeviceContext for Bound {}
impl DeviceContext for Core<'_> {}

/// A `struct pci_dev` seen in context `Ctx`.
///
/// # Invariants
///
/// The `pci_dev` is valid for the lifetime of any reference to this value;
/// for `Ctx` = [`Bound`] it is bound to this module's driver for that
/// lifetime; for `Ctx` = [`Core`] the reference is one a bus callback got,
/// with the device lock held.
#[repr(transparent)]
pub struct Device<Ctx: DeviceContext = Normal>(Opaque<bindings::pci_dev>, PhantomData<Ctx>);

// SAFETY: a `pci_dev` may be used from any thread; what `Normal` allows are
// thread-safe kernel functions.
unsafe impl Sync for Device {}
// SAFETY: as above; what `Bound` adds (wake-up, mapping a BAR) is
// thread-safe too. (`Core` is not `Sync`: its methods rely on the device
// lock its callback holds.)
unsafe impl Sync for Device<Bound> {}

impl<Ctx: DeviceContext> Device<Ctx> {
    /// # Safety
    ///
    /// `raw` must satisfy the type invariant for `Ctx` and `'a`.
    pub(super) unsafe fn from_raw<'a>(raw: *mut bindings::pci_dev) -> &'a Self {
        // SAFETY: `Device` is a transparent wrapper of `pci_dev`; validity is
        // the caller's.
        unsafe { &*raw.cast::<Self>() }
    }

    pub(super) fn as_raw(&self) -> *mut bindings::pci_dev {
        self.0.get()
    }

    /// The generic `struct device` of this PCI device (for DMA and logging).
    pub(super) fn raw_device(&self) -> *mut bindings::device {
        // SAFETY: the device is valid by the type invariant.
        unsafe { bindings::re1000_pci_dev(self.as_raw()) }
    }
}

impl<'a> Deref for Device<Core<'a>> {
    type Target = Device<Bound>;

    fn deref(&self) -> &Device<Bound> {
        // SAFETY: a device in a bus callback is bound for at least as long as
        // the reference; same layout (transparent over `pci_dev`).
        unsafe { Device::from_raw(self.as_raw()) }
    }
}

impl Deref for Device<Bound> {
    type Target = Device;

    fn deref(&self) -> &Device {
        // SAFETY: a bound device is valid; same layout.
        unsafe { Device::from_raw(self.as_raw()) }
    }
}

impl Device {
    /// The device's bus address ("0000:00:03.0").
    pub fn name(&self) -> &CStr {
        // SAFETY: `pci_name` returns the device's NUL-terminated name, which
        // lives as long as the device, which outlives `self`.
        unsafe { CStr::from_char_ptr(bindings::re1000_pci_name(self.as_raw())) }
    }

    /// The PCI device id (e.g. 0x100E for the 82540EM).
    pub fn device_id(&self) -> u16 {
        // SAFETY: the device is valid by the type invariant.
        unsafe { bindings::re1000_pci_device_id(self.as_raw()) }
    }

    /// The legacy interrupt line.
    pub fn irq(&self) -> u32 {
        // SAFETY: the device is valid by the type invariant.
        unsafe { bindings::re1000_pci_irq(self.as_raw()) }
    }

    /// Whether the platform lets the device wake the system (PME).
    pub fn can_wakeup(&self) -> bool {
        // SAFETY: the device is valid by the type invariant.
        unsafe { bindings::re1000_pci_can_wakeup(self.as_raw()) }
    }

    /// A counted reference to the device, which may outlive the binding.
    pub fn get_ref(&self) -> DeviceRef {
        let ptr = NonNull::from(&self.0).cast::<bindings::pci_dev>();
        // SAFETY: `ptr` is the valid device behind `self`.
        unsafe { DeviceRef::get(ptr) }
    }
}

impl Device<Bound> {
    /// Arms or disarms the device as a wake-up source.
    pub fn set_wakeup(&self, on: bool) -> Result {
        // SAFETY: the device is valid by the type invariant.
        to_result(unsafe { bindings::re1000_pci_set_wakeup(self.as_raw(), on) })
    }

    /// Claims memory BAR `bar` (at least `SIZE` bytes) in the name `name`
    /// and maps it, as 7.3's `pci::Device::iomap_region_sized`. The mapping
    /// borrows the bound device: it cannot outlive the binding, and is
    /// unmapped and released when dropped.
    pub fn iomap_region_sized<'a, const SIZE: usize>(
        &'a self,
        bar: u32,
        name: &'static CStr,
    ) -> Result<Bar<'a, SIZE>> {
        Bar::new(self, bar, name)
    }
}

impl<'a> Device<Core<'a>> {
    /// The bound device, for the callback's lifetime `'a`: in probe, the
    /// binding's, for the data probe returns to keep.
    pub fn bound(&self) -> &'a Device<Bound> {
        // SAFETY: the device stays bound (and valid) for `'a` (the type
        // invariant: probe's `'a` is the binding, a later callback's is the
        // callback); same layout.
        unsafe { Device::from_raw(self.as_raw()) }
    }

    /// Whether this is probe (the driver's data is not set yet): what is
    /// released with the binding is acquired only there, so that it is
    /// released at the end of remove.
    pub(super) fn probing(&self) -> bool {
        // SAFETY: the device is valid; its driver data is read under the
        // device lock that every `Core` callback holds.
        unsafe { bindings::re1000_pci_get_drvdata(self.as_raw()).is_null() }
    }

    /// Enables the device; the driver core disables it again after the
    /// device is unbound (or probe failed). Enabling it again does nothing.
    /// Only in probe (`EBUSY` elsewhere).
    pub fn enable_device(&self) -> Result {
        if !self.probing() {
            return Err(EBUSY);
        }
        // SAFETY: the device is valid and bound, and its device lock is held
        // (the type invariant): the devres action this adds joins probe's
        // group, released at the end of remove.
        to_result(unsafe { bindings::re1000_pci_enable_managed(self.as_raw()) })
    }

    /// Disables the device (bus mastering off: no more DMA), as a driver
    /// does before the system sleeps or shuts down. Does nothing if it is
    /// disabled already.
    pub fn disable_device(&self) {
        // SAFETY: the device is valid; the lock serialises this with enables.
        unsafe { bindings::re1000_pci_disable(self.as_raw()) };
    }

    /// Enables the device again after [`Device::disable_device`] (resume).
    /// Does nothing if it is enabled.
    pub fn reenable_device(&self) -> Result {
        // SAFETY: as in `disable_device`.
        to_result(unsafe { bindings::re1000_pci_reenable(self.as_raw()) })
    }

    /// Lets the device master the bus (required for DMA).
    pub fn set_master(&self) {
        // SAFETY: the device is valid; a config space write.
        unsafe { bindings::pci_set_master(self.as_raw()) };
    }

    /// Stops the device from mastering the bus.
    pub fn clear_master(&self) {
        // SAFETY: the device is valid; a config space write.
        unsafe { bindings::pci_clear_master(self.as_raw()) };
    }

    /// Sets the streaming and coherent DMA masks to `bits` address bits.
    pub fn set_dma_mask(&self, bits: u32) -> Result {
        let mask = match bits {
            64 => bindings::RE1000_DMA_BIT_MASK_64,
            32 => bindings::RE1000_DMA_BIT_MASK_32,
            _ => return Err(EINVAL),
        };
        // SAFETY: `raw_device` is the valid device of `self`.
        to_result(unsafe { bindings::re1000_dma_set_mask_and_coherent(self.raw_device(), mask) })
    }

    /// At power-off (not at a reboot or kexec), arms or disarms the device's
    /// wake-up from D3 and puts it in D3hot, as a driver's `shutdown` does
    /// last. Nothing happens at other times.
    pub fn prepare_power_off(&self, wake: bool) {
        // SAFETY: the device is valid by the type invariant.
        unsafe { bindings::re1000_pci_prepare_power_off(self.as_raw(), wake) };
    }
}

/// A counted reference to a `struct pci_dev`: only what [`Normal`] allows,
/// as it may outlive the binding.
///
/// # Invariants
///
/// `ptr` is a valid `pci_dev` on which this value holds one reference
/// (`pci_dev_get`), dropped on drop.
pub struct DeviceRef {
    ptr: NonNull<bindings::pci_dev>,
}

// SAFETY: a `pci_dev` reference may be held and dropped from any thread; the
// methods used through it are thread-safe kernel functions.
unsafe impl Send for DeviceRef {}
// SAFETY: as above.
unsafe impl Sync for DeviceRef {}

impl DeviceRef {
    /// Takes a new reference on `pdev`.
    ///
    /// # Safety
    ///
    /// `pdev` must point to a valid `pci_dev`.
    unsafe fn get(pdev: NonNull<bindings::pci_dev>) -> Self {
        // SAFETY: `pdev` is valid by the caller's contract; `pci_dev_get`
        // returns its argument with a reference taken, which we keep.
        unsafe { bindings::pci_dev_get(pdev.as_ptr()) };
        // INVARIANT: a valid `pci_dev` with one reference held by us.
        Self { ptr: pdev }
    }
}

impl Deref for DeviceRef {
    type Target = Device;

    fn deref(&self) -> &Device {
        // SAFETY: by the type invariant the device is valid while we hold
        // our reference, which outlives the returned borrow.
        unsafe { Device::from_raw(self.ptr.as_ptr()) }
    }
}

impl Clone for DeviceRef {
    fn clone(&self) -> Self {
        // SAFETY: `ptr` is valid by the type invariant.
        unsafe { Self::get(self.ptr) }
    }
}

impl Drop for DeviceRef {
    fn drop(&mut self) {
        // SAFETY: by the type invariant we own one reference.
        unsafe { bindings::pci_dev_put(self.ptr.as_ptr()) };
    }
}
