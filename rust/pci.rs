// SPDX-License-Identifier: GPL-2.0

//! PCI: driver registration with an id table, probe and remove, system
//! sleep and shutdown, and the per-device resources a probe acquires
//! (enable, regions, BAR mappings, DMA mask), each owned by a guard that
//! releases it on drop.
//!
//! C header: [`include/linux/pci.h`](srctree/include/linux/pci.h)

use super::bindings;
use super::mmio::Bar;
// The methods of 7.x's `CStr` that 6.12's has itself.
#[allow(unused_imports)]
use super::CStrExt as _;
use core::ffi::{c_int, c_void};
use core::marker::PhantomData;
use core::ptr::NonNull;
use core::sync::atomic::{AtomicBool, Ordering};
use kernel::alloc::{flags::GFP_KERNEL, KBox};
use kernel::error::{
    code::{EINVAL, ENOMEM},
    to_result, Result,
};
use kernel::prelude::vtable;
use kernel::str::CStr;
use kernel::types::Opaque;

/// One entry of a PCI id table.
#[repr(transparent)]
#[derive(Clone, Copy)]
pub struct DeviceId(bindings::pci_device_id);

impl DeviceId {
    /// Matches `vendor:device` with any subsystem; `data` is handed to probe.
    pub const fn new(vendor: u16, device: u16, data: usize) -> Self {
        Self(bindings::pci_device_id {
            vendor: vendor as u32,
            device: device as u32,
            subvendor: bindings::RE1000_PCI_ANY_ID,
            subdevice: bindings::RE1000_PCI_ANY_ID,
            class: 0,
            class_mask: 0,
            // CAST: `usize` and `c_ulong` have the same width on Linux.
            driver_data: data as kernel::ffi::c_ulong,
            override_only: 0,
        })
    }

    /// The all-zero entry that ends a table.
    pub const END: Self = Self(bindings::pci_device_id {
        vendor: 0,
        device: 0,
        subvendor: 0,
        subdevice: 0,
        class: 0,
        class_mask: 0,
        driver_data: 0,
        override_only: 0,
    });

    /// The device id this entry matches.
    pub const fn device(&self) -> u16 {
        self.0.device as u16
    }

    /// The driver's data for this entry.
    pub const fn data(&self) -> usize {
        self.0.driver_data
    }
}

/// A counted reference to a `struct pci_dev`.
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

    pub(super) fn as_raw(&self) -> *mut bindings::pci_dev {
        self.ptr.as_ptr()
    }

    /// The generic `struct device` of this PCI device (for DMA and logging).
    pub(super) fn raw_device(&self) -> *mut bindings::device {
        // SAFETY: `ptr` is valid by the type invariant.
        unsafe { bindings::re1000_pci_dev(self.as_raw()) }
    }

    /// The device's bus address ("0000:00:03.0").
    pub fn name(&self) -> &CStr {
        // SAFETY: `pci_name` returns the device's NUL-terminated name, which
        // lives as long as the device, which outlives `self`.
        unsafe { CStr::from_char_ptr(bindings::re1000_pci_name(self.as_raw())) }
    }

    /// The PCI device id (e.g. 0x100E for the 82540EM).
    pub fn device_id(&self) -> u16 {
        // SAFETY: `ptr` is valid by the type invariant.
        unsafe { bindings::re1000_pci_device_id(self.as_raw()) }
    }

    /// The legacy interrupt line.
    pub fn irq(&self) -> u32 {
        // SAFETY: `ptr` is valid by the type invariant.
        unsafe { bindings::re1000_pci_irq(self.as_raw()) }
    }

    /// Whether the platform lets the device wake the system (PME).
    pub fn can_wakeup(&self) -> bool {
        // SAFETY: `ptr` is valid by the type invariant.
        unsafe { bindings::re1000_pci_can_wakeup(self.as_raw()) }
    }

    /// Arms or disarms the device as a wake-up source.
    pub fn set_wakeup(&self, on: bool) -> Result {
        // SAFETY: `ptr` is valid by the type invariant.
        to_result(unsafe { bindings::re1000_pci_set_wakeup(self.as_raw(), on) })
    }

    /// Enables the device; it is disabled again when the guard drops.
    pub fn enable(&self) -> Result<Enabled> {
        // SAFETY: `ptr` is valid by the type invariant.
        to_result(unsafe { bindings::pci_enable_device(self.as_raw()) })?;
        // INVARIANT: the device was just enabled.
        Ok(Enabled {
            pdev: self.clone(),
            on: AtomicBool::new(true),
        })
    }

    /// At power-off (not at a reboot or kexec), arms or disarms the device's
    /// wake-up from D3 and puts it in D3hot, as a driver's `shutdown` does
    /// last. Nothing happens at other times.
    pub fn prepare_power_off(&self, wake: bool) {
        // SAFETY: `ptr` is valid by the type invariant.
        unsafe { bindings::re1000_pci_prepare_power_off(self.as_raw(), wake) };
    }

    /// Claims all the device's BARs in the name `name`; released on drop.
    pub fn request_regions(&self, name: &'static CStr) -> Result<Regions> {
        // SAFETY: `ptr` is valid; `name` lives forever, as the resource tree
        // keeps the pointer.
        to_result(unsafe { bindings::pci_request_regions(self.as_raw(), name.as_char_ptr()) })?;
        // INVARIANT: the regions were just claimed.
        Ok(Regions { pdev: self.clone() })
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

    /// Maps memory BAR `bar` (at least `SIZE` bytes); the caller holds the
    /// device's [`Regions`], which must outlive the mapping.
    pub fn map_bar<const SIZE: usize>(&self, _regions: &Regions, bar: i32) -> Result<Bar<SIZE>> {
        Bar::map(self, bar)
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
        unsafe { bindings::pci_dev_put(self.as_raw()) };
    }
}

/// The device is enabled (and bus mastering may be on) while this lives,
/// except between [`Enabled::disable`] and [`Enabled::reenable`] (system
/// sleep).
///
/// # Invariants
///
/// `on` is true exactly when this guard holds one `pci_enable_device` on
/// `pdev` that it has not undone; drop undoes it.
pub struct Enabled {
    pdev: DeviceRef,
    on: AtomicBool,
}

impl Enabled {
    /// Disables the device (bus mastering off: no more DMA), as a driver
    /// does before the system sleeps or shuts down. Does nothing if it is
    /// disabled already.
    pub fn disable(&self) {
        if self.on.swap(false, Ordering::AcqRel) {
            // INVARIANT: the flag was cleared above; we undo our enable once.
            // SAFETY: the device is valid; the flag said we held an enable.
            unsafe { bindings::pci_disable_device(self.pdev.as_raw()) };
        }
    }

    /// Enables the device again after [`Enabled::disable`] (resume). Does
    /// nothing if it is enabled already.
    pub fn reenable(&self) -> Result {
        if self.on.load(Ordering::Acquire) {
            return Ok(());
        }
        // SAFETY: the device is valid.
        to_result(unsafe { bindings::pci_enable_device(self.pdev.as_raw()) })?;
        if self.on.swap(true, Ordering::AcqRel) {
            // Another caller enabled it meanwhile: it holds the guard's
            // enable, so undo ours.
            // SAFETY: the device is valid; we hold the enable made above.
            unsafe { bindings::pci_disable_device(self.pdev.as_raw()) };
        }
        // INVARIANT: the flag is set and exactly one enable is ours.
        Ok(())
    }

    /// Lets the device master the bus (required for DMA); `pci_disable_device`
    /// clears it again when the guard drops.
    pub fn set_master(&self) {
        // SAFETY: the device is valid (`DeviceRef`); a config space write,
        // enabled or not.
        unsafe { bindings::pci_set_master(self.pdev.as_raw()) };
    }

    /// Stops the device from mastering the bus.
    pub fn clear_master(&self) {
        // SAFETY: the device is valid (`DeviceRef`); a config space write,
        // enabled or not.
        unsafe { bindings::pci_clear_master(self.pdev.as_raw()) };
    }
}

impl Drop for Enabled {
    fn drop(&mut self) {
        self.disable();
    }
}

/// The device's BARs are claimed while this lives.
///
/// # Invariants
///
/// `pci_request_regions` succeeded on `pdev`; released exactly once on drop.
pub struct Regions {
    pdev: DeviceRef,
}

impl Drop for Regions {
    fn drop(&mut self) {
        // SAFETY: by the type invariant we hold the regions.
        unsafe { bindings::pci_release_regions(self.pdev.as_raw()) };
    }
}

/// A PCI driver: probe creates the per-device state, dropping it removes.
///
/// The power management callbacks are installed only if the driver
/// implements them (`#[vtable]`): `suspend` and `resume` as the `dev_pm_ops`
/// of both system sleep kinds (as `SIMPLE_DEV_PM_OPS`: `suspend` also for
/// hibernation's freeze and poweroff, `resume` for its thaw and restore),
/// `shutdown` as the driver's `shutdown`. The driver core calls them, as
/// `probe` and `remove`, one at a time for a device (under its device lock),
/// and only while the device is bound.
#[vtable]
pub trait Driver: Sized + Send + Sync + 'static {
    /// Driver name (sysfs and /proc/iomem).
    const NAME: &'static CStr;
    /// Devices the driver binds to, ending with [`DeviceId::END`].
    const ID_TABLE: &'static [DeviceId];

    /// Binds to `dev`: acquire everything and return the device's state.
    fn probe(dev: &DeviceRef, id: &DeviceId) -> Result<Self>;

    /// Called before the state is dropped on unbind (by default nothing).
    fn remove(&self) {}

    /// The system is about to sleep (suspend to RAM or idle) or to write a
    /// hibernation image (freeze, poweroff): quiesce the device. An error
    /// aborts the transition.
    fn suspend(&self) -> Result {
        Ok(())
    }

    /// The system woke up (resume), or hibernation went on after the image
    /// was made (thaw) or was restored from it (restore): the device may
    /// have lost its state.
    fn resume(&self) -> Result {
        Ok(())
    }

    /// The system shuts down, reboots or kexecs: stop all DMA.
    fn shutdown(&self) {}
}

/// A registered PCI driver; unregistered (removing every device) on drop.
///
/// # Invariants
///
/// `driver` was registered with the PCI core and stays at a fixed heap
/// address until `pci_unregister_driver` in drop.
pub struct Registration<T: Driver> {
    driver: KBox<Opaque<bindings::pci_driver>>,
    _t: PhantomData<T>,
}

// SAFETY: the registration only holds the `pci_driver` the PCI core uses; it
// may be dropped from any thread.
unsafe impl<T: Driver> Send for Registration<T> {}
// SAFETY: no `&self` method touches the driver structure.
unsafe impl<T: Driver> Sync for Registration<T> {}

impl<T: Driver> Registration<T> {
    /// Registers `T` with the PCI core, which then probes matching devices.
    pub fn register() -> Result<Self> {
        // The PCI core walks the table until an all-zero entry.
        match T::ID_TABLE.last() {
            Some(end) if end.0.vendor == 0 && end.0.device == 0 => {}
            _ => return Err(EINVAL),
        }
        let pm: *const bindings::dev_pm_ops = if T::HAS_SUSPEND || T::HAS_RESUME {
            Self::pm_ops()
        } else {
            core::ptr::null()
        };
        let driver = KBox::new(
            Opaque::new(bindings::pci_driver {
                name: T::NAME.as_char_ptr(),
                id_table: T::ID_TABLE.as_ptr().cast(),
                probe: Some(Self::probe_callback),
                remove: Some(Self::remove_callback),
                shutdown: if T::HAS_SHUTDOWN {
                    Some(Self::shutdown_callback)
                } else {
                    None
                },
                driver: bindings::device_driver {
                    pm,
                    ..Default::default()
                },
                ..Default::default()
            }),
            GFP_KERNEL,
        )
        .map_err(|_| ENOMEM)?;
        // SAFETY: `driver` is a fully initialised `pci_driver` at a stable
        // heap address that lives until unregistration in drop.
        to_result(unsafe { bindings::re1000_pci_register_driver(driver.get()) })?;
        // INVARIANT: registered just above.
        Ok(Self {
            driver,
            _t: PhantomData,
        })
    }

    /// # Safety
    ///
    /// `pdev` must be a valid device and `id` the entry of `T::ID_TABLE` it
    /// matched.
    unsafe extern "C" fn probe_callback(
        pdev: *mut bindings::pci_dev,
        id: *const bindings::pci_device_id,
    ) -> c_int {
        let Some(raw) = NonNull::new(pdev) else {
            return EINVAL.to_errno();
        };
        // SAFETY: the PCI core passes a valid device and the matching entry of
        // our id table, whose entries are `DeviceId`s (transparent wrappers).
        let (dev, id) = unsafe { (DeviceRef::get(raw), &*id.cast::<DeviceId>()) };
        let data =
            match T::probe(&dev, id).and_then(|d| KBox::new(d, GFP_KERNEL).map_err(|_| ENOMEM)) {
                Ok(data) => data,
                Err(e) => return e.to_errno(),
            };
        // SAFETY: `pdev` is valid; the pointer is reclaimed in `remove_callback`.
        unsafe { bindings::re1000_pci_set_drvdata(pdev, KBox::into_raw(data).cast::<c_void>()) };
        0
    }

    /// # Safety
    ///
    /// `pdev` must be a device `probe_callback` succeeded on, not removed since
    /// (its driver data is our `KBox<T>`).
    unsafe extern "C" fn remove_callback(pdev: *mut bindings::pci_dev) {
        // SAFETY: `pdev` is a device we probed successfully, so its driver
        // data is the `KBox<T>` leaked in `probe_callback`, reclaimed once here.
        let data = unsafe {
            let ptr = bindings::re1000_pci_get_drvdata(pdev).cast::<T>();
            bindings::re1000_pci_set_drvdata(pdev, core::ptr::null_mut());
            KBox::from_raw(ptr)
        };
        data.remove();
        drop(data);
    }
}

impl<T: Driver> Registration<T> {
    /// The same two callbacks for both kinds of system sleep, as the C
    /// macro `SIMPLE_DEV_PM_OPS` fills them.
    const PM_OPS: bindings::dev_pm_ops = bindings::dev_pm_ops {
        suspend: Some(Self::suspend_callback),
        resume: Some(Self::resume_callback),
        freeze: Some(Self::suspend_callback),
        thaw: Some(Self::resume_callback),
        poweroff: Some(Self::suspend_callback),
        restore: Some(Self::resume_callback),
        // SAFETY: all-zero is a valid `dev_pm_ops`: every other callback absent.
        ..unsafe { core::mem::zeroed() }
    };

    const fn pm_ops() -> &'static bindings::dev_pm_ops {
        &Self::PM_OPS
    }

    /// The state of a bound device.
    ///
    /// # Safety
    ///
    /// `dev` must be the `struct device` of a PCI device `probe_callback`
    /// succeeded on and that is not removed, with the device lock held for
    /// as long as the reference is used (which keeps `remove_callback` off).
    unsafe fn data<'a>(dev: *mut bindings::device) -> Option<&'a T> {
        // SAFETY: `dev` is valid; its driver data is the `KBox<T>` leaked in
        // `probe_callback`, which `remove_callback` cannot reclaim while the
        // caller holds the device lock.
        unsafe { bindings::re1000_dev_get_drvdata(dev).cast::<T>().as_ref() }
    }

    /// # Safety
    ///
    /// Called by the PM core with `dev` a device bound to this driver, under
    /// its device lock.
    unsafe extern "C" fn suspend_callback(dev: *mut bindings::device) -> c_int {
        // SAFETY: per the function's contract.
        match unsafe { Self::data(dev) }.map(T::suspend) {
            Some(Err(e)) => e.to_errno(),
            _ => 0,
        }
    }

    /// # Safety
    ///
    /// Called by the PM core with `dev` a device bound to this driver, under
    /// its device lock.
    unsafe extern "C" fn resume_callback(dev: *mut bindings::device) -> c_int {
        // SAFETY: per the function's contract.
        match unsafe { Self::data(dev) }.map(T::resume) {
            Some(Err(e)) => e.to_errno(),
            _ => 0,
        }
    }

    /// # Safety
    ///
    /// Called by the driver core with `pdev` a device bound to this driver,
    /// under its device lock.
    unsafe extern "C" fn shutdown_callback(pdev: *mut bindings::pci_dev) {
        // SAFETY: `pdev` is valid per the contract; its `struct device`
        // is the one the device lock is held on.
        if let Some(data) = unsafe { Self::data(bindings::re1000_pci_dev(pdev)) } {
            data.shutdown();
        }
    }
}

impl<T: Driver> Drop for Registration<T> {
    fn drop(&mut self) {
        // SAFETY: registered by the type invariant; unregistered once here.
        unsafe { bindings::pci_unregister_driver(self.driver.get()) };
    }
}
