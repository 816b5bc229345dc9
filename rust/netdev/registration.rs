// SPDX-License-Identifier: GPL-2.0

//! Allocating, setting up, registering and freeing a net_device.
//!
//! A [`Registration`] is a net_device set up in a PCI probe, not
//! registered; [`Registration::register`] hands it to the driver core,
//! which unregisters it (stopping the device), drops `T` and frees it at
//! the end of the PCI device's remove, as `devm_register_netdev` does:
//! whatever the driver does with its values, no callback of the net_device
//! runs after the binding ends. The driver keeps a [`Registered`] handle.
//!
//! C header: [`include/linux/netdevice.h`](srctree/include/linux/netdevice.h)
//! C header: [`include/linux/etherdevice.h`](srctree/include/linux/etherdevice.h)

use super::super::bindings;
use super::super::ethtool;
use super::super::pci::{Bound, Core, Device};
use super::super::pin_init::PinInit;
use super::super::xdp::{MultiBuffer, ProgSlot};
use super::super::Invariant;
use super::{Features, Netdev, Operations, OpsTable, Priv, PRIV_OFFSET, TX_STOPPED};
use core::cell::UnsafeCell;
use core::ffi::{c_int, c_void};
use core::marker::PhantomData;
use core::mem::ManuallyDrop;
use core::ptr::NonNull;
use core::sync::atomic::{AtomicPtr, AtomicU8};
use kernel::error::{
    code::{EBUSY, EINVAL, ENOMEM},
    to_result, Error, Result,
};

/// Settings for a device being set up, before its private state exists.
pub struct Setup<'a, T: Operations> {
    raw: *mut bindings::net_device,
    _t: PhantomData<(&'a (), Invariant<T>)>,
}

/// The private area of a device being set up, where the objects that keep a
/// pointer to the device (NAPI instances, work items) must live: it is
/// dropped before the device is freed, and never moves.
#[derive(Clone, Copy)]
pub(in super::super) struct PrivateArea {
    start: usize,
    len: usize,
}

impl PrivateArea {
    /// Whether a `U` at `slot` lies inside the area.
    pub(in super::super) fn holds<U>(&self, slot: *const U) -> bool {
        let at = slot as usize;
        at >= self.start
            && at
                .checked_add(core::mem::size_of::<U>())
                .is_some_and(|end| end <= self.start + self.len)
    }
}

impl<T: Operations> Setup<'_, T> {
    pub(in super::super) fn as_raw(&self) -> *mut bindings::net_device {
        self.raw
    }

    /// Where the device's private state is being initialised.
    pub(in super::super) fn private_area(&self) -> PrivateArea {
        PrivateArea {
            start: (self.raw as usize).wrapping_add(PRIV_OFFSET),
            len: core::mem::size_of::<Priv<T>>(),
        }
    }

    /// Sets the station address.
    pub fn set_addr(&self, mac: &[u8; 6]) {
        // SAFETY: the device is valid; `mac` holds ETH_ALEN bytes.
        unsafe { bindings::re1000_netdev_set_addr(self.raw, mac.as_ptr()) };
    }

    /// Sets a random, locally administered station address.
    pub fn set_random_addr(&self) -> [u8; 6] {
        let mut mac = [0u8; 6];
        // SAFETY: `mac` has room for ETH_ALEN bytes.
        unsafe { bindings::re1000_random_mac(mac.as_mut_ptr()) };
        self.set_addr(&mac);
        mac
    }

    /// Sets the enabled, toggleable and VLAN-inherited features.
    pub fn set_features(&self, features: Features, hw: Features, vlan: Features) {
        // SAFETY: the device is valid and not registered yet.
        unsafe { bindings::re1000_netdev_set_features(self.raw, features.0, hw.0, vlan.0) };
    }

    /// Sets the MTU range the core enforces.
    pub fn set_mtu_range(&self, min: u32, max: u32) {
        // SAFETY: the device is valid and not registered yet.
        unsafe { bindings::re1000_netdev_set_mtu_range(self.raw, min, max) };
    }

    /// Sets the transmit watchdog timeout in milliseconds.
    pub fn set_watchdog_ms(&self, ms: u32) {
        let jiffies = (u64::from(ms) * bindings::RE1000_HZ as u64 / 1000) as c_int;
        // SAFETY: the device is valid and not registered yet.
        unsafe { bindings::re1000_netdev_set_watchdog(self.raw, jiffies) };
    }

    /// Records the interrupt line (shown by `ip -d link` and used by netpoll).
    pub fn set_irq(&self, irq: u32) {
        // SAFETY: the device is valid.
        unsafe { bindings::re1000_netdev_set_irq(self.raw, irq as c_int) };
    }

    /// Advertises native XDP (`xdp_features`): XDP_PASS, XDP_DROP,
    /// XDP_ABORTED, XDP_TX and XDP_REDIRECT, and the device as a redirect
    /// target if the driver implements
    /// [`Operations::xdp_xmit`](super::Operations::xdp_xmit). Only for a
    /// driver that implements
    /// [`Operations::xdp_setup`](super::Operations::xdp_setup) and sends
    /// XDP_TX frames. `multi_buffer` says what it does with frames over
    /// several buffers (programs loaded for them, sending redirected ones).
    pub fn advertise_xdp(&self, multi_buffer: MultiBuffer) {
        // SAFETY: the device is valid and not registered yet.
        unsafe {
            bindings::re1000_netdev_set_xdp_basic(
                self.raw,
                T::HAS_XDP_XMIT,
                multi_buffer.rx,
                multi_buffer.xmit,
            )
        };
    }

    /// Declares that the device filters unicast addresses itself.
    pub fn set_unicast_filter(&self) {
        // SAFETY: the device is valid and not registered yet.
        unsafe { bindings::re1000_netdev_set_priv_flag_unicast_flt(self.raw) };
    }
}

/// A net_device with private state `T`, allocated and set up in the probe of
/// a PCI device (whose binding is `'bound`): [`Registration::register`]
/// registers it for the rest of the binding; dropped before that, it is
/// freed.
///
/// # Examples
///
/// A PCI probe allocates the device, sets it up and registers it; the
/// driver core unregisters and frees it when the PCI device is unbound:
///
/// ```ignore
/// let netdev = Registration::<Re1000<'bound>>::new(pdev, |setup| {
///     setup.set_addr(&mac);
///     setup.set_features(Features::SG.with(Features::HW_CSUM), Features::SG, Features::SG);
///     setup.set_mtu_range(MIN_MTU, MAX_MTU);
///     let napi = Napi::new(setup);
///     Ok(try_pin_init!(Re1000 { napi <- napi, regs, /* ... */ }? Error))
/// })?;
/// netdev.netdev().init_carrier_off();
/// let registered: Registered<'bound, Re1000<'bound>> = netdev.register(pdev)?;
/// netdev_log!(registered.get(pdev), Info, "registered\n");
/// ```
///
/// # Invariants
///
/// `raw` was allocated for a `Priv<T>` that is initialised, is not
/// registered, and is owned by this value; `parent` is its parent device.
pub struct Registration<'bound, T: Operations + ethtool::Operations> {
    raw: NonNull<bindings::net_device>,
    parent: &'bound Device<Bound>,
    // Owns a `T`; invariant in `T`, as `Netdev`.
    _t: PhantomData<(T, Invariant<T>)>,
}

// SAFETY: the registration owns the device; `T` is `Send + Sync`.
unsafe impl<T: Operations + ethtool::Operations> Send for Registration<'_, T> {}
// SAFETY: `&Registration` only gives `&Netdev<T>`, which is `Sync`.
unsafe impl<T: Operations + ethtool::Operations> Sync for Registration<'_, T> {}

impl<'bound, T: Operations + ethtool::Operations + 'bound> Registration<'bound, T> {
    /// Allocates an Ethernet device under PCI device `parent`, in its probe,
    /// and initialises its state with what `init` returns (`init` may
    /// configure the device through the [`Setup`] it is given). The state
    /// may borrow what lives as long as the binding (`'bound`, which probe's
    /// `Core` fixes).
    pub fn new<I>(
        parent: &Device<Core<'bound>>,
        init: impl FnOnce(&Setup<'_, T>) -> Result<I>,
    ) -> Result<Self>
    where
        I: PinInit<T, Error>,
    {
        const {
            assert!(core::mem::align_of::<Priv<T>>() <= 32, "NETDEV_ALIGN is 32");
            assert!(core::mem::size_of::<Priv<T>>() < i32::MAX as usize);
        };
        // SAFETY: allocating a net_device has no preconditions.
        let raw =
            unsafe { bindings::re1000_alloc_etherdev(core::mem::size_of::<Priv<T>>() as c_int) };
        let raw = NonNull::new(raw).ok_or(ENOMEM)?;
        let free = |e: Error| {
            // SAFETY: `raw` was allocated above and is not registered.
            unsafe { bindings::free_netdev(raw.as_ptr()) };
            e
        };
        // SAFETY: `raw` is a fresh net_device; the tables are 'static.
        unsafe {
            bindings::re1000_netdev_set_parent(raw.as_ptr(), parent.raw_device());
            bindings::re1000_netdev_set_ops(
                raw.as_ptr(),
                OpsTable::<T>::build(),
                ethtool::table::<T>(),
                &OpsTable::<T>::STAT_OPS,
            );
        }
        // `private` finds the private area without a call into C: where
        // `netdev_priv` puts it must be where it looks.
        // SAFETY: `raw` is a valid net_device.
        let area = unsafe { bindings::re1000_netdev_priv(raw.as_ptr()) };
        if area.cast::<u8>() != raw.as_ptr().cast::<u8>().wrapping_add(PRIV_OFFSET) {
            return Err(free(EINVAL));
        }
        let setup = Setup {
            raw: raw.as_ptr(),
            _t: PhantomData,
        };
        let init = init(&setup).map_err(free)?;
        // The private area is `size_of::<Priv<T>>()` bytes aligned to
        // NETDEV_ALIGN (checked above), owned by us and never moved.
        let p = area.cast::<Priv<T>>();
        // SAFETY: `p` is valid for writes of a `Priv<T>`; the fields are
        // written in place, `data` by its pin initialiser. On failure the
        // initialiser has cleaned up after itself and the rest is plain data.
        unsafe {
            core::ptr::addr_of_mut!((*p).tx_mode).write(AtomicU8::new(TX_STOPPED));
            core::ptr::addr_of_mut!((*p).addr_owner).write(AtomicPtr::new(core::ptr::null_mut()));
            core::ptr::addr_of_mut!((*p).tx).write(UnsafeCell::new(None));
            core::ptr::addr_of_mut!((*p).xdp).write(ProgSlot::new());
            super::super::pin_init::raw_try_init(core::ptr::addr_of_mut!((*p).data), init)
                .map_err(free)?;
        }
        // INVARIANT: `Priv<T>` is initialised; not registered.
        Ok(Self {
            raw,
            parent: parent.bound(),
            _t: PhantomData,
        })
    }

    /// The device.
    pub fn netdev(&self) -> &Netdev<T> {
        // SAFETY: by the type invariant the private state is initialised; it
        // lives as long as `self`.
        unsafe { Netdev::from_raw(self.raw.as_ptr()) }
    }

    /// Registers the device with the stack: it appears as an interface, and
    /// stays registered until the end of the PCI device's remove, when it is
    /// unregistered, `T` dropped and the device freed (after the PCI
    /// driver's data is dropped, before the resources probe acquired before
    /// this call are released). Only in `parent`'s probe (`EBUSY`
    /// elsewhere): what probe acquires is released at the end of remove.
    ///
    /// The registered device is reached through the returned handle with a
    /// bus callback's `Core` device only ([`Registered::get`]): the states of
    /// two devices cannot point at each other (a device's state may be
    /// dropped while another's still runs), and a device is not reachable
    /// while the group is released.
    pub fn register(self, parent: &Device<Core<'bound>>) -> Result<Registered<'bound, T>> {
        if !parent.probing() || parent.as_raw() != self.parent.as_raw() {
            return Err(EBUSY);
        }
        let this = ManuallyDrop::new(self);
        let raw = this.raw.as_ptr();
        // SAFETY: the device is allocated and initialised, not registered.
        if let Err(e) = to_result(unsafe { bindings::register_netdev(raw) }) {
            drop(ManuallyDrop::into_inner(this));
            return Err(e);
        }
        // SAFETY: `parent` is in its probe, with probe's devres group open;
        // the action runs once, at the end of remove (or now, if it cannot
        // be added), and owns the registered device from here: `this` is not
        // dropped.
        to_result(unsafe {
            bindings::re1000_devm_add_action_or_reset(
                this.parent.raw_device(),
                Some(Self::release),
                raw.cast::<c_void>(),
            )
        })?;
        // INVARIANT: registered and initialised, owned by the action above.
        Ok(Registered {
            raw: this.raw,
            _t: PhantomData,
        })
    }

    /// The devres action of a registered device.
    ///
    /// # Safety
    ///
    /// `raw` is a registered net_device with an initialised `Priv<T>`, owned
    /// by the action, which the driver core runs once.
    unsafe extern "C" fn release(raw: *mut c_void) {
        let raw = raw.cast::<bindings::net_device>();
        // SAFETY: per the contract. Unregistering stops the device
        // (ndo_stop) and waits for every callback; then nothing else uses
        // the state, which is dropped in place before the memory is freed.
        unsafe {
            bindings::unregister_netdev(raw);
            core::ptr::drop_in_place(bindings::re1000_netdev_priv(raw).cast::<Priv<T>>());
            bindings::free_netdev(raw);
        }
    }
}

/// A net_device registered for the binding `'bound` of its PCI device.
///
/// # Invariants
///
/// `raw` is a registered net_device with an initialised `Priv<T>`, which
/// the devres action of its parent's probe group unregisters and frees at
/// the end of the parent's remove.
pub struct Registered<'bound, T: Operations + ethtool::Operations> {
    raw: NonNull<bindings::net_device>,
    // Invariant in `T`, as `Netdev`.
    _t: PhantomData<(&'bound (), Invariant<T>)>,
}

// SAFETY: a handle to a device whose state is `Send + Sync`.
unsafe impl<T: Operations + ethtool::Operations> Send for Registered<'_, T> {}
// SAFETY: as above; `&Registered` only gives `&Netdev<T>`, which is `Sync`.
unsafe impl<T: Operations + ethtool::Operations> Sync for Registered<'_, T> {}

impl<T: Operations + ethtool::Operations> Registered<'_, T> {
    /// The device, in a bus callback of its parent (probe, remove, suspend,
    /// resume, shutdown), for no longer than the callback's `Core` device.
    pub fn get<'a>(&'a self, _parent: &'a Device<Core<'_>>) -> &'a Netdev<T> {
        // SAFETY: by the type invariant the device is registered and its
        // state initialised until the end of the parent's remove; a bus
        // callback of the parent runs before that (under its device lock),
        // and the borrow ends with the callback's `Core` reference.
        unsafe { Netdev::from_raw(self.raw.as_ptr()) }
    }
}

impl<T: Operations + ethtool::Operations> Drop for Registration<'_, T> {
    fn drop(&mut self) {
        let raw = self.raw.as_ptr();
        // SAFETY: by the type invariant `raw` is our unregistered device with
        // an initialised `Priv<T>`: dropped in place, then freed.
        unsafe {
            core::ptr::drop_in_place(bindings::re1000_netdev_priv(raw).cast::<Priv<T>>());
            bindings::free_netdev(raw);
        }
    }
}
