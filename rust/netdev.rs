// SPDX-License-Identifier: GPL-2.0

//! Network devices: allocation and registration, the `net_device_ops` a
//! driver implements, and the transmit queue.
//!
//! The driver's per-device state `T` lives in the net_device's private area,
//! next to the transmit state `T::TxState`, which belongs to whoever may
//! transmit: `start_xmit` while the queue runs, or the holder of a
//! [`TxOff`] guard while it is stopped. [`Registration`] tears down in the
//! kernel's order: unregister (which stops the device), drop `T`, free.
//!
//! The parts live in submodules, re-exported here: [`Operations`] and its
//! C trampolines (`ops`), [`Registration`] and [`Setup`] (`registration`),
//! the transmit queue (`xmit`), the address lists (`addr`), [`Features`]
//! (`features`), the counters (`stats`) and messages (`log`).
//!
//! C header: [`include/linux/netdevice.h`](srctree/include/linux/netdevice.h)

use super::bindings;
use super::xdp::ProgSlot;
use super::Invariant;
// The methods of 7.x's `CStr` that 6.12's has itself.
#[allow(unused_imports)]
use super::CStrExt as _;
use core::cell::UnsafeCell;
use core::ffi::c_void;
use core::marker::PhantomData;
use core::sync::atomic::{AtomicPtr, AtomicU8};
use kernel::str::CStr;
use kernel::types::Opaque;

mod addr;
mod features;
mod log;
mod ops;
mod registration;
mod stats;
mod xmit;

pub use self::addr::{is_valid_ether_addr, AddrLists};
pub use self::features::Features;
pub use self::ops::Operations;
use self::ops::OpsTable;
pub use self::registration::{Registered, Registration, Setup};
pub use self::stats::{LinkStats, QueueStats};
pub use self::xmit::XmitCtx;
// Part of the API though re1000 names neither (it reaches them through
// `Netdev::tx_off` and `netdev_log!`).
#[allow(unused_imports)]
pub use self::{log::Level, xmit::TxOff};

const TX_RUNNING: u8 = 0;
const TX_STOPPED: u8 = 1;
const TX_HELD: u8 = 2;

/// The private area of the net_device: transmit state, then the driver's.
#[repr(C)]
struct Priv<T: Operations> {
    tx_mode: AtomicU8,
    /// The task that holds the address list lock for `set_rx_mode` (through
    /// the core) or `with_addr_lists`, or null.
    addr_owner: AtomicPtr<c_void>,
    tx: UnsafeCell<Option<T::TxState>>,
    /// The native XDP program: installed only by `ndo_bpf`, so that it is
    /// always the one the core shows as attached.
    xdp: ProgSlot,
    data: T,
}

/// A network device whose private state is `T`, as seen in its callbacks.
///
/// # Examples
///
/// Every callback gets the device; the driver's state is [`Netdev::data`]:
///
/// ```ignore
/// impl Worker<LinkChange> for Re1000 {
///     fn run(dev: &Netdev<Self>) {
///         let _rtnl = dev.rtnl_lock();
///         if !dev.running() {
///             return;
///         }
///         if dev.data().regs.read::<Status>().lu() && !dev.carrier_ok() {
///             netdev_log!(dev, Info, "NIC Link is Up\n");
///             dev.carrier_on();
///         }
///     }
/// }
/// ```
///
/// # Invariants
///
/// A `&Netdev<T>` only exists for a net_device allocated by
/// [`Registration::new`] whose private area holds an initialised `Priv<T>`.
#[repr(transparent)]
pub struct Netdev<T: Operations> {
    raw: Opaque<bindings::net_device>,
    // Invariant in `T`: `T::TxState` (reached through `tx_off`) does not
    // shrink with `T`, so a shorter `T` could store short borrows there.
    _t: PhantomData<Invariant<T>>,
}

// SAFETY: the net_device is used through thread-safe kernel calls, and `T`
// and its transmit state are `Sync`/`Send` as the trait requires.
unsafe impl<T: Operations> Sync for Netdev<T> {}
// SAFETY: as above.
unsafe impl<T: Operations> Send for Netdev<T> {}

impl<T: Operations> Netdev<T> {
    /// The device behind a raw pointer.
    ///
    /// # Safety
    ///
    /// `ptr` must be a net_device made by `Registration::<T>::new`, whose
    /// private state is initialised and outlives `'a`.
    pub(super) unsafe fn from_raw<'a>(ptr: *mut bindings::net_device) -> &'a Self {
        // SAFETY: `Netdev` is a transparent wrapper; validity per the contract.
        unsafe { &*ptr.cast::<Self>() }
    }

    pub(super) fn as_raw(&self) -> *mut bindings::net_device {
        self.raw.get()
    }

    /// The device's XDP program slot (the layer's, in the private area).
    pub(super) fn xdp_slot(&self) -> &ProgSlot {
        &self.private().xdp
    }

    fn private(&self) -> &Priv<T> {
        // SAFETY: by the type invariant the private area holds a `Priv<T>`
        // and starts `PRIV_OFFSET` bytes into the device (checked when the
        // device was allocated).
        unsafe {
            &*self
                .as_raw()
                .cast::<u8>()
                .add(PRIV_OFFSET)
                .cast::<Priv<T>>()
        }
    }

    /// The driver's state.
    pub fn data(&self) -> &T {
        &self.private().data
    }

    /// The interface name ("eth0").
    pub fn name(&self) -> &CStr {
        // SAFETY: `dev->name` is a NUL-terminated array inside the device.
        unsafe { CStr::from_char_ptr(bindings::re1000_netdev_name(self.as_raw())) }
    }

    /// The current MTU.
    pub fn mtu(&self) -> u32 {
        // SAFETY: the device is valid.
        unsafe { bindings::re1000_netdev_mtu(self.as_raw()) }
    }

    /// Stores a new MTU (from `change_mtu`, under RTNL).
    pub fn set_mtu(&self, mtu: u32) {
        // SAFETY: the device is valid.
        unsafe { bindings::re1000_netdev_set_mtu(self.as_raw(), mtu) };
    }

    /// The enabled features.
    pub fn features(&self) -> Features {
        // SAFETY: the device is valid.
        Features(unsafe { bindings::re1000_netdev_features(self.as_raw()) })
    }

    /// The station address.
    pub fn addr(&self) -> [u8; 6] {
        let mut mac = [0u8; 6];
        // SAFETY: the device is valid; `mac` has room for ETH_ALEN bytes.
        unsafe { bindings::re1000_netdev_addr(self.as_raw(), mac.as_mut_ptr()) };
        mac
    }

    /// Whether IFF_PROMISC is set.
    pub fn promisc(&self) -> bool {
        // SAFETY: the device is valid.
        unsafe { bindings::re1000_netdev_flags(self.as_raw()) & bindings::RE1000_IFF_PROMISC != 0 }
    }

    /// Whether IFF_ALLMULTI is set.
    pub fn allmulti(&self) -> bool {
        // SAFETY: the device is valid.
        unsafe { bindings::re1000_netdev_flags(self.as_raw()) & bindings::RE1000_IFF_ALLMULTI != 0 }
    }

    /// Whether the interface is up (`netif_running`).
    pub fn running(&self) -> bool {
        // SAFETY: the device is valid.
        unsafe { bindings::re1000_netdev_running(self.as_raw()) != 0 }
    }

    /// Reports carrier (link) on.
    pub fn carrier_on(&self) {
        // SAFETY: the device is valid; callable in any context.
        unsafe { bindings::netif_carrier_on(self.as_raw()) };
    }

    /// Reports carrier off.
    pub fn carrier_off(&self) {
        // SAFETY: the device is valid; callable in any context.
        unsafe { bindings::netif_carrier_off(self.as_raw()) };
    }

    /// Whether carrier is on.
    pub fn carrier_ok(&self) -> bool {
        // SAFETY: the device is valid.
        unsafe { bindings::re1000_netif_carrier_ok(self.as_raw()) != 0 }
    }

    /// Marks the device as absent (system sleep, shutdown): the core stops
    /// the transmit queue and its watchdog, and refuses to open the
    /// interface, change its MTU or run ethtool on it until
    /// [`Netdev::device_attach`].
    pub fn device_detach(&self) {
        // SAFETY: the device is valid.
        unsafe { bindings::netif_device_detach(self.as_raw()) };
    }

    /// Marks the device as present again; if the interface is up, the core
    /// wakes the transmit queue and restarts its watchdog (while transmission
    /// is off, [`Netdev::tx_off`], `start_xmit` drops what it is given).
    pub fn device_attach(&self) {
        // SAFETY: the device is valid.
        unsafe { bindings::netif_device_attach(self.as_raw()) };
    }

    /// Whether the device is present (not detached).
    pub fn device_present(&self) -> bool {
        // SAFETY: the device is valid.
        unsafe { bindings::re1000_netif_device_present(self.as_raw()) != 0 }
    }

    /// Reports carrier off before registration (the link is unknown until open).
    pub fn init_carrier_off(&self) {
        self.carrier_off();
    }

    /// Takes RTNL, the lock that serialises configuration (for deferred work).
    pub fn rtnl_lock(&self) -> RtnlGuard {
        // SAFETY: `rtnl_lock` may sleep; callers are in process context.
        unsafe { bindings::rtnl_lock() };
        RtnlGuard(PhantomData)
    }
}

/// RTNL is held while this lives. Not `Send`: a mutex is unlocked by the
/// task that locked it.
pub struct RtnlGuard(PhantomData<*mut ()>);

impl Drop for RtnlGuard {
    fn drop(&mut self) {
        // SAFETY: the guard exists only while we hold RTNL.
        unsafe { bindings::rtnl_unlock() };
    }
}

/// The current task, as an address to compare (never dereferenced).
fn current_task() -> *mut c_void {
    core::ptr::from_ref::<kernel::task::Task>(kernel::current!())
        .cast_mut()
        .cast()
}

/// NETDEV_ALIGN: the alignment of a net_device's private area.
const NETDEV_ALIGN: usize = 32;
/// Where `netdev_priv` puts the private area: after the net_device,
/// rounded up to NETDEV_ALIGN (bindgen keeps the size of the opaque struct).
const PRIV_OFFSET: usize =
    core::mem::size_of::<bindings::net_device>().next_multiple_of(NETDEV_ALIGN);
