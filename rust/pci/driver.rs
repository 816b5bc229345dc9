// SPDX-License-Identifier: GPL-2.0

//! Registering a PCI driver: the bus callbacks, system sleep and shutdown.
//!
//! C header: [`include/linux/pci.h`](srctree/include/linux/pci.h)

use super::super::bindings;
use super::{Core, Device, DeviceId};
// The methods of 7.x's `CStr` that 6.12's has itself.
#[allow(unused_imports)]
use super::super::CStrExt as _;
use core::ffi::{c_int, c_void};
use core::marker::PhantomData;
use kernel::alloc::{flags::GFP_KERNEL, KBox};
use kernel::error::{
    code::{EINVAL, ENOMEM},
    to_result, Result,
};
use kernel::prelude::vtable;
use kernel::str::CStr;
use kernel::types::Opaque;

/// A PCI driver: probe creates the per-device data, which lives as long as
/// the binding (`'bound`) and is dropped on unbind.
///
/// Probe gets the device as `Device<Core<'bound>>`, `'bound` being the
/// binding (invariant: no caller can shorten it): the driver may keep the
/// [`Bound`](super::Bound) device ([`Device::bound`]), and what it lends
/// (BAR mappings, a net_device registered under it) in its data for as long
/// as the binding, but nothing with that lifetime can be stored anywhere
/// that outlives it. What probe acquires through devres (an enabled
/// function, a registered net_device) is released at the end of remove,
/// after the data is dropped.
///
/// The power management callbacks are installed only if the driver
/// implements them (`#[vtable]`): `suspend` and `resume` as the `dev_pm_ops`
/// of both system sleep kinds (as `SIMPLE_DEV_PM_OPS`: `suspend` also for
/// hibernation's freeze and poweroff, `resume` for its thaw and restore),
/// `shutdown` as the driver's `shutdown`. The driver core calls them, as
/// `probe` and `remove`, one at a time for a device (under its device lock),
/// and only while the device is bound.
///
/// # Examples
///
/// ```ignore
/// struct MyDriver;
///
/// struct MyData<'bound> {
///     regs: Bar<'bound, 0x1000>,
/// }
///
/// #[vtable]
/// impl pci::Driver for MyDriver {
///     const NAME: &'static CStr = c_str!("mydrv");
///     const ID_TABLE: &'static [DeviceId] = &[DeviceId::new(0x8086, 0x100E, 0), DeviceId::END];
///     type Data<'bound> = MyData<'bound>;
///
///     fn probe<'bound>(dev: &Device<Core<'bound>>, _id: &DeviceId) -> Result<MyData<'bound>> {
///         dev.enable_device()?;
///         Ok(MyData { regs: dev.bound().iomap_region_sized(0, c_str!("mydrv"))? })
///     }
/// }
/// ```
#[vtable]
pub trait Driver: 'static {
    /// Driver name (sysfs and /proc/iomem).
    const NAME: &'static CStr;
    /// Devices the driver binds to, ending with [`DeviceId::END`].
    const ID_TABLE: &'static [DeviceId];

    /// What probe leaves bound to a device.
    type Data<'bound>: Send + Sync;

    /// Binds to `dev`: acquire everything and return the device's data.
    fn probe<'bound>(dev: &Device<Core<'bound>>, id: &DeviceId) -> Result<Self::Data<'bound>>;

    /// Called before the data is dropped on unbind (by default nothing).
    fn remove(dev: &Device<Core<'_>>, data: &Self::Data<'_>) {
        let _ = (dev, data);
    }

    /// The system is about to sleep (suspend to RAM or idle) or to write a
    /// hibernation image (freeze, poweroff): quiesce the device. An error
    /// aborts the transition.
    fn suspend(dev: &Device<Core<'_>>, data: &Self::Data<'_>) -> Result {
        let _ = (dev, data);
        Ok(())
    }

    /// The system woke up (resume), or hibernation went on after the image
    /// was made (thaw) or was restored from it (restore): the device may
    /// have lost its state.
    fn resume(dev: &Device<Core<'_>>, data: &Self::Data<'_>) -> Result {
        let _ = (dev, data);
        Ok(())
    }

    /// The system shuts down, reboots or kexecs: stop all DMA.
    fn shutdown(dev: &Device<Core<'_>>, data: &Self::Data<'_>) {
        let _ = (dev, data);
    }
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
        if !T::ID_TABLE.last().is_some_and(DeviceId::is_end) {
            return Err(EINVAL);
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
    /// `pdev` must be a valid device in its probe, under the device lock,
    /// and `id` the entry of `T::ID_TABLE` (or a dynamic id) it matched.
    unsafe extern "C" fn probe_callback(
        pdev: *mut bindings::pci_dev,
        id: *const bindings::pci_device_id,
    ) -> c_int {
        if pdev.is_null() || id.is_null() {
            return EINVAL.to_errno();
        }
        // SAFETY: the PCI core passes a valid device, under its device lock,
        // which it binds to us if probe succeeds. `'bound` is chosen here
        // (probe is generic over it): what probe can keep with it (the bound
        // device, BAR mappings, a registered net_device) stays valid until
        // `remove_callback` drops the data and releases probe's devres group
        // after it. `id` is a `pci_device_id`, of which `DeviceId` is a
        // transparent wrapper, valid for the call.
        let (dev, id) = unsafe { (Device::<Core<'_>>::from_raw(pdev), &*id.cast::<DeviceId>()) };
        let raw_dev = dev.raw_device();
        // SAFETY: `raw_dev` is the device being probed, under its lock.
        if let Err(e) = to_result(unsafe { bindings::re1000_devres_open_group(raw_dev) }) {
            return e.to_errno();
        }
        let data =
            match T::probe(dev, id).and_then(|d| KBox::new(d, GFP_KERNEL).map_err(|_| ENOMEM)) {
                Ok(data) => data,
                Err(e) => {
                    // SAFETY: the group opened above, with what probe
                    // acquired: released now, in reverse order.
                    unsafe { bindings::re1000_devres_release_group(raw_dev) };
                    return e.to_errno();
                }
            };
        // SAFETY: `pdev` is valid; the pointer is reclaimed in
        // `remove_callback`, which also releases the group closed here.
        unsafe {
            bindings::re1000_devres_close_group(raw_dev);
            bindings::re1000_pci_set_drvdata(pdev, KBox::into_raw(data).cast::<c_void>());
        }
        0
    }

    /// # Safety
    ///
    /// `pdev` must be a device `probe_callback` succeeded on, not removed since
    /// (its driver data is our `KBox<T::Data>`), under the device lock.
    unsafe extern "C" fn remove_callback(pdev: *mut bindings::pci_dev) {
        // SAFETY: `pdev` is a device we probed successfully, so its driver
        // data is the `KBox` leaked in `probe_callback`, reclaimed once here;
        // the data was made for the binding, which lasts until after this
        // callback (devres is released next).
        let (dev, data) = unsafe {
            let ptr = bindings::re1000_pci_get_drvdata(pdev).cast::<T::Data<'_>>();
            (Device::<Core<'_>>::from_raw(pdev), KBox::from_raw(ptr))
        };
        // The driver data stays set during `T::remove`: `probing()` is false
        // there, so nothing is acquired outside probe's group.
        T::remove(dev, &data);
        // SAFETY: `pdev` is valid; under the device lock nothing reads the
        // driver data, which is about to be freed.
        unsafe { bindings::re1000_pci_set_drvdata(pdev, core::ptr::null_mut()) };
        drop(data);
        // SAFETY: the group `probe_callback` opened and closed: what probe
        // acquired through devres (a registered net_device, the enabled
        // function) is released here, in reverse order, after the data.
        unsafe { bindings::re1000_devres_release_group(dev.raw_device()) };
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

    /// The device and its data, if it is bound to us.
    ///
    /// # Safety
    ///
    /// `pdev` must be a PCI device whose driver is this one (the PM and
    /// shutdown callbacks are called for bound devices only), with the
    /// device lock held for `'a` (which keeps `remove_callback` off).
    unsafe fn bound<'a>(
        pdev: *mut bindings::pci_dev,
    ) -> Option<(&'a Device<Core<'a>>, &'a T::Data<'a>)> {
        // SAFETY: `pdev` is valid and bound to us; its driver data is the
        // `KBox` leaked in `probe_callback` (or null once removed), which
        // `remove_callback` cannot reclaim while the device lock is held.
        unsafe {
            let data = bindings::re1000_pci_get_drvdata(pdev)
                .cast::<T::Data<'a>>()
                .as_ref()?;
            Some((Device::<Core<'a>>::from_raw(pdev), data))
        }
    }

    /// # Safety
    ///
    /// Called by the PM core with `dev` a device bound to this driver, under
    /// its device lock.
    unsafe extern "C" fn suspend_callback(dev: *mut bindings::device) -> c_int {
        // SAFETY: per the function's contract; `dev` is a PCI device's.
        let pdev = unsafe { bindings::re1000_to_pci_dev(dev) };
        // SAFETY: as above.
        match unsafe { Self::bound(pdev) } {
            Some((dev, data)) => T::suspend(dev, data).err().map_or(0, |e| e.to_errno()),
            None => 0,
        }
    }

    /// # Safety
    ///
    /// Called by the PM core with `dev` a device bound to this driver, under
    /// its device lock.
    unsafe extern "C" fn resume_callback(dev: *mut bindings::device) -> c_int {
        // SAFETY: per the function's contract; `dev` is a PCI device's.
        let pdev = unsafe { bindings::re1000_to_pci_dev(dev) };
        // SAFETY: as above.
        match unsafe { Self::bound(pdev) } {
            Some((dev, data)) => T::resume(dev, data).err().map_or(0, |e| e.to_errno()),
            None => 0,
        }
    }

    /// # Safety
    ///
    /// Called by the driver core with `pdev` a device bound to this driver,
    /// under its device lock.
    unsafe extern "C" fn shutdown_callback(pdev: *mut bindings::pci_dev) {
        // SAFETY: per the function's contract.
        if let Some((dev, data)) = unsafe { Self::bound(pdev) } {
            T::shutdown(dev, data);
        }
    }
}

impl<T: Driver> Drop for Registration<T> {
    fn drop(&mut self) {
        // SAFETY: registered by the type invariant; unregistered once here.
        unsafe { bindings::pci_unregister_driver(self.driver.get()) };
    }
}
