//! net_device: allocation, registration, the `net_device_ops` a driver
//! implements, and the transmit queue.
//!
//! The driver's per-device state `T` lives in the net_device's private area,
//! next to the transmit state `T::TxState`, which belongs to whoever may
//! transmit: `start_xmit` while the queue runs, or the holder of a
//! [`TxOff`] guard while it is stopped. [`Registration`] tears down in the
//! kernel's order: unregister (which stops the device), drop `T`, free.

use super::bindings;
use super::ethtool;
use super::napi::PollCtx;
use super::pci::DeviceRef;
use super::pin_init::PinInit;
use super::skb::Skb;
// The methods of 7.x's `CStr` that 6.12's has itself.
#[allow(unused_imports)]
use super::CStrExt as _;
use core::cell::UnsafeCell;
use core::ffi::{c_int, c_uint, c_void};
use core::marker::PhantomData;
use core::mem::ManuallyDrop;
use core::ptr::NonNull;
use core::sync::atomic::{AtomicPtr, AtomicU8, Ordering};
use kernel::error::{
    code::{EBUSY, EINVAL, ENOMEM},
    to_result, Error, Result,
};
use kernel::prelude::vtable;
use kernel::str::CStr;
use kernel::types::Opaque;

/// The standard interface counters (`ip -s link`, /proc/net/dev).
#[derive(Default, Clone, Copy, Debug)]
pub struct LinkStats {
    /// Frames received and handed to the stack.
    pub rx_packets: u64,
    /// Bytes of those frames.
    pub rx_bytes: u64,
    /// Frames transmitted.
    pub tx_packets: u64,
    /// Bytes transmitted.
    pub tx_bytes: u64,
    /// Frames received with errors.
    pub rx_errors: u64,
    /// Frames that could not be transmitted.
    pub tx_errors: u64,
    /// Received frames dropped (no memory, no buffer).
    pub rx_dropped: u64,
    /// Frames dropped before transmission.
    pub tx_dropped: u64,
    /// Multicast frames received.
    pub multicast: u64,
    /// Collisions.
    pub collisions: u64,
    /// Frames with a length error.
    pub rx_length_errors: u64,
    /// Frames lost to receiver overrun.
    pub rx_over_errors: u64,
    /// Frames with a bad CRC.
    pub rx_crc_errors: u64,
    /// Frames with a framing error.
    pub rx_frame_errors: u64,
    /// Frames missed for lack of buffers.
    pub rx_missed_errors: u64,
    /// Frames abandoned after too many collisions.
    pub tx_aborted_errors: u64,
    /// Frames hit by a late collision.
    pub tx_window_errors: u64,
}

/// Counters of queue 0 for the netdev netlink family's queue statistics.
#[derive(Default, Clone, Copy, Debug)]
pub struct QueueStats {
    /// Frames received.
    pub rx_packets: u64,
    /// Bytes received.
    pub rx_bytes: u64,
    /// Receive buffers that could not be allocated.
    pub rx_alloc_fail: u64,
    /// Frames transmitted.
    pub tx_packets: u64,
    /// Bytes transmitted.
    pub tx_bytes: u64,
}

/// Feature bits of a net_device (`NETIF_F_*`).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct Features(pub u64);

impl Features {
    /// Scatter-gather transmit.
    pub const SG: Self = Self(bindings::RE1000_NETIF_F_SG);
    /// Checksum offload for any protocol.
    pub const HW_CSUM: Self = Self(bindings::RE1000_NETIF_F_HW_CSUM);
    /// DMA to high memory.
    pub const HIGHDMA: Self = Self(bindings::RE1000_NETIF_F_HIGHDMA);
    /// Receive frames with errors too.
    pub const RXALL: Self = Self(bindings::RE1000_NETIF_F_RXALL);
    /// Keep the FCS on received frames.
    pub const RXFCS: Self = Self(bindings::RE1000_NETIF_F_RXFCS);
    /// Strip 802.1Q tags on receive.
    pub const VLAN_RX: Self = Self(bindings::RE1000_NETIF_F_HW_VLAN_CTAG_RX);
    /// Insert 802.1Q tags on transmit.
    pub const VLAN_TX: Self = Self(bindings::RE1000_NETIF_F_HW_VLAN_CTAG_TX);
    /// Filter by VLAN id.
    pub const VLAN_FILTER: Self = Self(bindings::RE1000_NETIF_F_HW_VLAN_CTAG_FILTER);
    /// TCP segmentation offload (IPv4).
    pub const TSO: Self = Self(bindings::RE1000_NETIF_F_TSO);
    /// TCP segmentation offload (IPv6).
    pub const TSO6: Self = Self(bindings::RE1000_NETIF_F_TSO6);
    /// Every segmentation offload (`NETIF_F_GSO_MASK`).
    pub const GSO_MASK: Self = Self(bindings::RE1000_NETIF_F_GSO_MASK);

    /// The union of two sets.
    pub const fn with(self, other: Self) -> Self {
        Self(self.0 | other.0)
    }

    /// Whether every bit of `other` is set.
    pub const fn contains(self, other: Self) -> bool {
        self.0 & other.0 == other.0
    }

    /// This set without the bits of `other`.
    pub const fn without(self, other: Self) -> Self {
        Self(self.0 & !other.0)
    }

    /// The bits that differ between two sets.
    pub const fn changed(self, other: Self) -> Self {
        Self(self.0 ^ other.0)
    }
}

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
#[macro_export]
macro_rules! netdev_log {
    ($dev:expr, $level:ident, $($arg:tt)*) => {
        $dev.log($crate::layer::netdev::Level::$level, format_args!($($arg)*))
    };
}

/// The operations of a network device whose state is `Self`.
///
/// Implemented with `#[vtable]`: of the callbacks with a default, only
/// those the driver implements are installed (`HAS_*`), so the core's own
/// default applies to the others (`ndo_features_check` absent means
/// `vlan_features_check`, for instance).
#[vtable]
pub trait Operations: Sized + Send + Sync + 'static {
    /// What `start_xmit` owns while the queue runs.
    type TxState: Send;

    /// `ndo_open`: bring the interface up.
    fn open(dev: &Netdev<Self>) -> Result;
    /// `ndo_stop`: bring it down, releasing what `open` acquired.
    fn stop(dev: &Netdev<Self>) -> Result;
    /// `ndo_start_xmit`: queue `skb`; `Err(skb)` hands it back (NETDEV_TX_BUSY).
    fn start_xmit(
        dev: &Netdev<Self>,
        tx: &mut Self::TxState,
        skb: Skb,
        ctx: &XmitCtx<'_>,
    ) -> Result<(), Skb>;
    /// `ndo_get_stats64`.
    fn get_stats64(dev: &Netdev<Self>, stats: &mut LinkStats);
    /// `ndo_tx_timeout` (no transmit state: the poll may wake the queue
    /// meanwhile, so `start_xmit` is not excluded).
    fn tx_timeout(dev: &Netdev<Self>);
    /// `ndo_set_mac_address`: program a new, already validated, address.
    fn set_mac_address(dev: &Netdev<Self>, mac: &[u8; 6]) -> Result;
    /// `ndo_change_mtu`: the MTU is within the device's range; the driver
    /// stores it with [`Netdev::set_mtu`] when it takes effect.
    fn change_mtu(dev: &Netdev<Self>, mtu: u32) -> Result;
    /// `ndo_set_rx_mode` (atomic context: must not sleep), with the address
    /// lists locked by the core.
    fn set_rx_mode(dev: &Netdev<Self>, lists: &AddrLists<'_, Self>);
    /// `ndo_set_features`: apply a change of the toggleable features
    /// (`dev.features()` still holds the old ones).
    fn set_features(_dev: &Netdev<Self>, _features: Features) -> Result {
        Ok(())
    }
    /// `ndo_fix_features`: adjust a requested feature set to what the device
    /// can do together.
    fn fix_features(_dev: &Netdev<Self>, features: Features) -> Features {
        features
    }
    /// Counters of the single queue pair (`None`: not collected).
    fn queue_stats(_dev: &Netdev<Self>) -> Option<QueueStats> {
        None
    }
    /// `ndo_vlan_rx_add_vid`: accept frames of VLAN `vid`.
    fn vlan_rx_add_vid(_dev: &Netdev<Self>, _vid: u16) -> Result {
        Ok(())
    }
    /// `ndo_vlan_rx_kill_vid`: stop accepting frames of VLAN `vid`.
    fn vlan_rx_kill_vid(_dev: &Netdev<Self>, _vid: u16) -> Result {
        Ok(())
    }
    /// `ndo_features_check`: the offloads `skb` may use, out of `features`
    /// (the device's, already narrowed by the core and by
    /// `vlan_features_check`). Removing `Features::GSO_MASK` has the stack
    /// segment the frame in software. Any context with bottom halves off.
    fn features_check(_dev: &Netdev<Self>, _skb: &Skb, features: Features) -> Features {
        features
    }
}

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
    data: T,
}

/// A network device whose private state is `T`, as seen in its callbacks.
///
/// # Invariants
///
/// A `&Netdev<T>` only exists for a net_device allocated by
/// [`Registration::new`] whose private area holds an initialised `Priv<T>`.
#[repr(transparent)]
pub struct Netdev<T: Operations> {
    raw: Opaque<bindings::net_device>,
    _t: PhantomData<T>,
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

    /// Runs `f` with the address lists locked (`netif_addr_lock_bh`), for
    /// reading them outside `set_rx_mode`. Inside `set_rx_mode` (where the
    /// core holds the lock) or inside another `with_addr_lists`, `f` runs
    /// under the hold already there: taking the lock again would deadlock.
    /// `EBUSY` in hard interrupt context or with interrupts off, where the
    /// lock may not be taken; `f` does not run.
    pub fn with_addr_lists<R>(&self, f: impl FnOnce(&AddrLists<'_, T>) -> R) -> Result<R> {
        let lists = || AddrLists {
            dev: self,
            _not_send: PhantomData,
        };
        let owner = &self.private().addr_owner;
        let me = current_task();
        if owner.load(Ordering::Relaxed) == me {
            // INVARIANT: this task holds the lock, in our `set_rx_mode`
            // callback or in an outer call of this function (the only places
            // that store a task there: their own, while it holds the lock,
            // restoring the old value before they return); `f` borrows the
            // token for its call only.
            return Ok(f(&lists()));
        }
        // SAFETY: the device is valid; the helper takes the lock only where
        // it may (it disables bottom halves around it).
        to_result(unsafe { bindings::re1000_netif_addr_lock(self.as_raw()) })?;
        owner.store(me, Ordering::Relaxed);
        // INVARIANT: the lock is held until after `f`, which borrows the
        // token for its call only.
        let r = f(&lists());
        owner.store(core::ptr::null_mut(), Ordering::Relaxed);
        // SAFETY: we took the lock above; the token is gone.
        unsafe { bindings::re1000_netif_addr_unlock(self.as_raw()) };
        Ok(r)
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

    /// Stops the transmit queue (from `start_xmit`, when the ring is nearly full).
    pub fn stop_queue(&self) {
        // SAFETY: the device is valid.
        unsafe { bindings::re1000_netif_stop_queue(self.as_raw()) };
    }

    /// Whether the stack will send nothing more for now: the queue is
    /// stopped by the driver or by byte queue limits (so a deferred tail
    /// write must happen now).
    pub fn xmit_stopped(&self) -> bool {
        // SAFETY: the device is valid.
        unsafe { bindings::re1000_netif_xmit_stopped(self.as_raw()) != 0 }
    }

    /// Whether the driver stopped the transmit queue.
    pub fn queue_stopped(&self) -> bool {
        // SAFETY: the device is valid.
        unsafe { bindings::re1000_netif_queue_stopped(self.as_raw()) != 0 }
    }

    /// Wakes a stopped transmit queue, unless a [`TxOff`] guard holds it.
    /// From the NAPI poll only, which `_poll` proves: bottom halves are off
    /// there (softirq, or netpoll with interrupts off), so the transmit lock
    /// is taken without touching them (re-enabling them with interrupts off,
    /// under netpoll, would run softirqs there). Never from `start_xmit`
    /// (see [`XmitCtx`]). The lock is the queue's, not the device-wide
    /// `netif_tx_lock`: the transmit watchdog holds that one while it prints,
    /// and netconsole may then poll this device on the same CPU.
    pub fn wake_queue(&self, _poll: &PollCtx<'_>) {
        if !self.queue_stopped() {
            return;
        }
        // SAFETY: the device is valid. The queue's transmit lock orders this
        // check against `tx_off`, which sets the mode under it with bottom
        // halves off (this softirq cannot interrupt that holder, and netpoll
        // does not poll while this CPU holds it).
        unsafe {
            bindings::re1000_netif_tx_lock_in_poll(self.as_raw());
            if self.private().tx_mode.load(Ordering::Relaxed) == TX_RUNNING {
                bindings::re1000_netif_wake_queue(self.as_raw());
            }
            bindings::re1000_netif_tx_unlock_in_poll(self.as_raw());
        }
    }

    /// Whether the stack has more frames coming right behind this one
    /// (so the tail write may wait).
    pub fn xmit_more(&self) -> bool {
        // SAFETY: reads this CPU's softnet state; no preconditions.
        unsafe { bindings::re1000_netdev_xmit_more() != 0 }
    }

    /// Byte queue limits: `bytes` were queued to the device.
    pub fn sent_queue(&self, bytes: u32) {
        // SAFETY: the device is valid.
        unsafe { bindings::re1000_netdev_sent_queue(self.as_raw(), bytes) };
    }

    /// Byte queue limits: `packets` frames of `bytes` completed.
    pub fn completed_queue(&self, packets: u32, bytes: u32) {
        // SAFETY: the device is valid.
        unsafe { bindings::re1000_netdev_completed_queue(self.as_raw(), packets, bytes) };
    }

    /// Byte queue limits: forget everything in flight (ring reset).
    pub fn reset_queue(&self) {
        // SAFETY: the device is valid.
        unsafe { bindings::re1000_netdev_reset_queue(self.as_raw()) };
    }

    /// Marks the queue as having made progress (for the transmit watchdog).
    pub fn trans_update(&self) {
        // SAFETY: the device is valid.
        unsafe { bindings::re1000_netif_trans_update(self.as_raw()) };
    }

    /// A buffer for receiving, with `len` bytes of room after NET_IP_ALIGN
    /// (process context; NAPI uses [`crate::layer::napi::PollCtx::alloc_skb`]).
    pub fn alloc_rx_skb(&self, len: usize) -> Option<Skb> {
        // SAFETY: the device is valid; the returned sk_buff is ours.
        unsafe {
            Skb::from_raw(bindings::re1000_netdev_alloc_skb_ip_align(
                self.as_raw(),
                len as c_uint,
            ))
        }
    }

    /// Stops transmission and takes the transmit state: `start_xmit` is not
    /// called until the guard is [`TxOff::start`]ed. `EBUSY` if already held.
    /// Sleeps (waits for a running `start_xmit`): process context only.
    pub fn tx_off(&self) -> Result<TxOff<'_, T>> {
        let p = self.private();
        // SAFETY: the device is valid; the mode changes under the transmit
        // lock so that `wake_queue` sees it.
        unsafe { bindings::re1000_netif_tx_lock(self.as_raw()) };
        let prev = p.tx_mode.load(Ordering::Relaxed);
        if prev != TX_HELD {
            p.tx_mode.store(TX_HELD, Ordering::Relaxed);
        }
        // SAFETY: as above.
        unsafe { bindings::re1000_netif_tx_unlock(self.as_raw()) };
        if prev == TX_HELD {
            return Err(EBUSY);
        }
        // SAFETY: the device is valid. `netif_tx_disable` stops the queue and
        // waits for a `start_xmit` in progress; none starts after it, as the
        // queue is woken only in TX_RUNNING mode.
        unsafe { bindings::re1000_netif_tx_disable(self.as_raw()) };
        Ok(TxOff { dev: self })
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

/// The device's secondary unicast and multicast address lists, readable
/// while their lock (`netif_addr_lock_bh`) is held: `set_rx_mode` gets one
/// from the core, which holds the lock around the call, and
/// [`Netdev::with_addr_lists`] lends one while it holds the lock.
///
/// # Invariants
///
/// The address list lock of `dev` is held, on behalf of the context that has
/// this, for as long as it exists. Only this module makes one, and lends it
/// by reference only; it is neither `Send` nor `Sync`.
pub struct AddrLists<'a, T: Operations> {
    dev: &'a Netdev<T>,
    _not_send: PhantomData<*mut ()>,
}

impl<T: Operations> AddrLists<'_, T> {
    /// Copies up to `out.len()` multicast addresses; returns how many there
    /// are in all.
    pub fn mc_addrs(&self, out: &mut [[u8; 6]]) -> usize {
        let max = i32::try_from(out.len()).unwrap_or(i32::MAX);
        // SAFETY: the device is valid and, by the type invariant, its address
        // lists are locked; `out` has room for `max` addresses of six bytes
        // each, contiguous.
        let n = unsafe {
            bindings::re1000_netdev_mc_addrs(self.dev.as_raw(), out.as_mut_ptr().cast(), max)
        };
        usize::try_from(n).unwrap_or(0)
    }

    /// Copies up to `out.len()` secondary unicast addresses; returns how many
    /// there are in all.
    pub fn uc_addrs(&self, out: &mut [[u8; 6]]) -> usize {
        let max = i32::try_from(out.len()).unwrap_or(i32::MAX);
        // SAFETY: as in `mc_addrs`.
        let n = unsafe {
            bindings::re1000_netdev_uc_addrs(self.dev.as_raw(), out.as_mut_ptr().cast(), max)
        };
        usize::try_from(n).unwrap_or(0)
    }
}

/// What only `start_xmit` may do: it runs under the queue's transmit lock,
/// in TX_RUNNING mode.
pub struct XmitCtx<'a> {
    raw: *mut bindings::net_device,
    _p: PhantomData<&'a ()>,
}

impl XmitCtx<'_> {
    /// Restarts the queue this `start_xmit` stopped a moment ago, after
    /// finding room on the ring after all (no lock: we hold it already).
    pub fn restart_queue(&self) {
        // SAFETY: the device is valid for the call; we are in `start_xmit`.
        unsafe { bindings::re1000_netif_start_queue(self.raw) };
    }
}

/// Exclusive access to the transmit state while the queue is stopped.
pub struct TxOff<'a, T: Operations> {
    dev: &'a Netdev<T>,
}

impl<T: Operations> TxOff<'_, T> {
    /// The transmit state (`None` until the driver installs one).
    pub fn state(&mut self) -> &mut Option<T::TxState> {
        // SAFETY: in TX_HELD mode `start_xmit` does not run and no other guard
        // exists (`tx_off` refuses a second one), so this is the only access.
        unsafe { &mut *self.dev.private().tx.get() }
    }

    /// Lets `start_xmit` run again and starts the queue.
    pub fn start(self) {
        let dev = self.dev;
        core::mem::forget(self);
        // SAFETY: the device is valid; the mode changes under the transmit lock.
        unsafe {
            bindings::re1000_netif_tx_lock(dev.as_raw());
            dev.private().tx_mode.store(TX_RUNNING, Ordering::Release);
            bindings::re1000_netif_wake_queue(dev.as_raw());
            bindings::re1000_netif_tx_unlock(dev.as_raw());
        }
    }
}

impl<T: Operations> Drop for TxOff<'_, T> {
    fn drop(&mut self) {
        // The queue stays stopped; a later `tx_off` may take the state again.
        self.dev
            .private()
            .tx_mode
            .store(TX_STOPPED, Ordering::Release);
    }
}

/// Settings for a device being set up, before its private state exists.
pub struct Setup<'a, T: Operations> {
    raw: *mut bindings::net_device,
    _t: PhantomData<&'a T>,
}

/// The private area of a device being set up, where the objects that keep a
/// pointer to the device (NAPI instances, work items) must live: it is
/// dropped before the device is freed, and never moves.
#[derive(Clone, Copy)]
pub(super) struct PrivateArea {
    start: usize,
    len: usize,
}

impl PrivateArea {
    /// Whether a `U` at `slot` lies inside the area.
    pub(super) fn holds<U>(&self, slot: *const U) -> bool {
        let at = slot as usize;
        at >= self.start
            && at
                .checked_add(core::mem::size_of::<U>())
                .is_some_and(|end| end <= self.start + self.len)
    }
}

impl<T: Operations> Setup<'_, T> {
    pub(super) fn as_raw(&self) -> *mut bindings::net_device {
        self.raw
    }

    /// Where the device's private state is being initialised.
    pub(super) fn private_area(&self) -> PrivateArea {
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

    /// Declares that the device filters unicast addresses itself.
    pub fn set_unicast_filter(&self) {
        // SAFETY: the device is valid and not registered yet.
        unsafe { bindings::re1000_netdev_set_priv_flag_unicast_flt(self.raw) };
    }
}

/// A net_device with private state `T`: registered with [`Registration::register`],
/// unregistered and freed on drop.
///
/// # Invariants
///
/// `raw` was allocated for a `Priv<T>` that is initialised until drop;
/// `registered` says whether `register_netdev` succeeded.
pub struct Registration<T: Operations + ethtool::Operations> {
    raw: NonNull<bindings::net_device>,
    registered: bool,
    _t: PhantomData<T>,
}

// SAFETY: the registration owns the device; `T` is `Send + Sync`.
unsafe impl<T: Operations + ethtool::Operations> Send for Registration<T> {}
// SAFETY: `&Registration` only gives `&Netdev<T>`, which is `Sync`.
unsafe impl<T: Operations + ethtool::Operations> Sync for Registration<T> {}

/// NETDEV_ALIGN: the alignment of a net_device's private area.
const NETDEV_ALIGN: usize = 32;
/// Where `netdev_priv` puts the private area: after the net_device,
/// rounded up to NETDEV_ALIGN (bindgen keeps the size of the opaque struct).
const PRIV_OFFSET: usize =
    core::mem::size_of::<bindings::net_device>().next_multiple_of(NETDEV_ALIGN);

impl<T: Operations + ethtool::Operations> Registration<T> {
    /// Allocates an Ethernet device under PCI device `parent` and initialises
    /// its state with what `init` returns (`init` may configure the device
    /// through the [`Setup`] it is given).
    pub fn new<I>(parent: &DeviceRef, init: impl FnOnce(&Setup<'_, T>) -> Result<I>) -> Result<Self>
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
            super::pin_init::raw_try_init(core::ptr::addr_of_mut!((*p).data), init)
                .map_err(free)?;
        }
        // INVARIANT: `Priv<T>` is initialised.
        Ok(Self {
            raw,
            registered: false,
            _t: PhantomData,
        })
    }

    /// The device.
    pub fn netdev(&self) -> &Netdev<T> {
        // SAFETY: by the type invariant the private state is initialised; it
        // lives as long as `self`.
        unsafe { Netdev::from_raw(self.raw.as_ptr()) }
    }

    /// Registers the device with the stack: it appears as an interface.
    pub fn register(&mut self) -> Result {
        if self.registered {
            return Err(EINVAL);
        }
        // SAFETY: the device is allocated and initialised, not registered.
        to_result(unsafe { bindings::register_netdev(self.raw.as_ptr()) })?;
        self.registered = true;
        Ok(())
    }
}

impl<T: Operations + ethtool::Operations> Drop for Registration<T> {
    fn drop(&mut self) {
        let raw = self.raw.as_ptr();
        // SAFETY: by the type invariant `raw` is our device with an
        // initialised `Priv<T>`. Unregistering stops it (ndo_stop) and waits
        // for every callback; then nothing else uses the state, which is
        // dropped in place before the memory is freed.
        unsafe {
            if self.registered {
                bindings::unregister_netdev(raw);
            }
            core::ptr::drop_in_place(bindings::re1000_netdev_priv(raw).cast::<Priv<T>>());
            bindings::free_netdev(raw);
        }
    }
}

struct OpsTable<T>(PhantomData<T>);

impl<T: Operations> OpsTable<T> {
    const OPS: bindings::net_device_ops = bindings::net_device_ops {
        ndo_open: Some(Self::open),
        ndo_stop: Some(Self::stop),
        ndo_start_xmit: Some(Self::start_xmit),
        ndo_get_stats64: Some(Self::get_stats64),
        ndo_tx_timeout: Some(Self::tx_timeout),
        ndo_set_mac_address: Some(Self::set_mac_address),
        ndo_change_mtu: Some(Self::change_mtu),
        ndo_set_rx_mode: Some(Self::set_rx_mode),
        ndo_set_features: if T::HAS_SET_FEATURES {
            Some(Self::set_features)
        } else {
            None
        },
        ndo_fix_features: if T::HAS_FIX_FEATURES {
            Some(Self::fix_features)
        } else {
            None
        },
        ndo_vlan_rx_add_vid: if T::HAS_VLAN_RX_ADD_VID {
            Some(Self::vlan_rx_add_vid)
        } else {
            None
        },
        ndo_vlan_rx_kill_vid: if T::HAS_VLAN_RX_KILL_VID {
            Some(Self::vlan_rx_kill_vid)
        } else {
            None
        },
        ndo_features_check: if T::HAS_FEATURES_CHECK {
            Some(Self::features_check)
        } else {
            None
        },
        ndo_validate_addr: Some(bindings::eth_validate_addr),
        // SAFETY: all-zero is a valid `net_device_ops`: every other callback absent.
        ..unsafe { core::mem::zeroed() }
    };

    const fn build() -> &'static bindings::net_device_ops {
        &Self::OPS
    }

    const STAT_OPS: bindings::netdev_stat_ops = bindings::netdev_stat_ops {
        get_queue_stats_rx: Some(Self::queue_stats_rx),
        get_queue_stats_tx: Some(Self::queue_stats_tx),
        get_base_stats: Some(Self::base_stats),
    };

    /// # Safety
    ///
    /// `raw` must be a net_device made by `Registration::<T>::new`; `out` must
    /// point to a valid, writable `netdev_queue_stats_rx`.
    unsafe extern "C" fn queue_stats_rx(
        raw: *mut bindings::net_device,
        idx: c_int,
        out: *mut bindings::netdev_queue_stats_rx,
    ) {
        // SAFETY: called by the core on our device.
        let Some(q) = T::queue_stats(unsafe { Self::dev(raw) }) else {
            return;
        };
        if idx == 0 {
            // SAFETY: `out` is the core's writable structure.
            let out = unsafe { &mut *out };
            out.packets = q.rx_packets;
            out.bytes = q.rx_bytes;
            out.alloc_fail = q.rx_alloc_fail;
        }
    }

    /// # Safety
    ///
    /// `raw` must be a net_device made by `Registration::<T>::new`; `out` must
    /// point to a valid, writable `netdev_queue_stats_tx`.
    unsafe extern "C" fn queue_stats_tx(
        raw: *mut bindings::net_device,
        idx: c_int,
        out: *mut bindings::netdev_queue_stats_tx,
    ) {
        // SAFETY: called by the core on our device.
        let Some(q) = T::queue_stats(unsafe { Self::dev(raw) }) else {
            return;
        };
        if idx == 0 {
            // SAFETY: `out` is the core's writable structure.
            let out = unsafe { &mut *out };
            out.packets = q.tx_packets;
            out.bytes = q.tx_bytes;
        }
    }

    /// # Safety
    ///
    /// `raw` must be a net_device made by `Registration::<T>::new`; `rx` and
    /// `tx` must point to valid, writable queue stats structures.
    unsafe extern "C" fn base_stats(
        raw: *mut bindings::net_device,
        rx: *mut bindings::netdev_queue_stats_rx,
        tx: *mut bindings::netdev_queue_stats_tx,
    ) {
        // SAFETY: called by the core on our device.
        if T::queue_stats(unsafe { Self::dev(raw) }).is_none() {
            return;
        }
        // Everything is counted in queue 0: nothing outside it.
        // SAFETY: `rx` and `tx` are the core's writable structures.
        let (rx, tx) = unsafe { (&mut *rx, &mut *tx) };
        rx.packets = 0;
        rx.bytes = 0;
        rx.alloc_fail = 0;
        tx.packets = 0;
        tx.bytes = 0;
    }

    /// The device of a callback.
    ///
    /// # Safety
    ///
    /// `raw` must be a net_device set up by `Registration::<T>::new` (the
    /// only way these callbacks get installed).
    unsafe fn dev<'a>(raw: *mut bindings::net_device) -> &'a Netdev<T> {
        // SAFETY: per the contract; the core only calls ops of live devices.
        unsafe { Netdev::from_raw(raw) }
    }

    /// # Safety
    ///
    /// `raw` must be a net_device made by `Registration::<T>::new`.
    unsafe extern "C" fn open(raw: *mut bindings::net_device) -> c_int {
        // SAFETY: called by the core on our device.
        match T::open(unsafe { Self::dev(raw) }) {
            Ok(()) => 0,
            Err(e) => e.to_errno(),
        }
    }

    /// # Safety
    ///
    /// `raw` must be a net_device made by `Registration::<T>::new`.
    unsafe extern "C" fn stop(raw: *mut bindings::net_device) -> c_int {
        // SAFETY: called by the core on our device.
        match T::stop(unsafe { Self::dev(raw) }) {
            Ok(()) => 0,
            Err(e) => e.to_errno(),
        }
    }

    /// # Safety
    ///
    /// `raw` must be a net_device made by `Registration::<T>::new`, with
    /// its transmit lock held; ownership of `skb` passes to the callee.
    unsafe extern "C" fn start_xmit(
        skb: *mut bindings::sk_buff,
        raw: *mut bindings::net_device,
    ) -> bindings::netdev_tx_t {
        // SAFETY: called by the core on our device, with the transmit lock held.
        let dev = unsafe { Self::dev(raw) };
        // SAFETY: the core hands us ownership of `skb` (non-null).
        let Some(skb) = (unsafe { Skb::from_raw(skb) }) else {
            return bindings::RE1000_NETDEV_TX_OK as bindings::netdev_tx_t;
        };
        let p = dev.private();
        if p.tx_mode.load(Ordering::Acquire) != TX_RUNNING {
            // Only in the instant before `netif_tx_disable` stops the queue.
            drop(skb);
            return bindings::RE1000_NETDEV_TX_OK as bindings::netdev_tx_t;
        }
        // SAFETY: in TX_RUNNING mode the transmit state belongs to
        // `start_xmit`, which the core serialises with the transmit lock.
        let Some(tx) = (unsafe { &mut *p.tx.get() }).as_mut() else {
            drop(skb);
            return bindings::RE1000_NETDEV_TX_OK as bindings::netdev_tx_t;
        };
        let ctx = XmitCtx {
            raw,
            _p: PhantomData,
        };
        match T::start_xmit(dev, tx, skb, &ctx) {
            Ok(()) => bindings::RE1000_NETDEV_TX_OK as bindings::netdev_tx_t,
            Err(skb) => {
                // The core keeps the buffer and retries it.
                let _ = skb.into_raw();
                bindings::RE1000_NETDEV_TX_BUSY as bindings::netdev_tx_t
            }
        }
    }

    /// # Safety
    ///
    /// `raw` must be a net_device made by `Registration::<T>::new`; `out` must
    /// be valid for unaligned reads and writes of a `rtnl_link_stats64`.
    unsafe extern "C" fn get_stats64(
        raw: *mut bindings::net_device,
        out: *mut bindings::rtnl_link_stats64,
    ) {
        let mut s = LinkStats::default();
        // SAFETY: called by the core on our device.
        T::get_stats64(unsafe { Self::dev(raw) }, &mut s);
        // SAFETY: `out` is the core's zeroed, writable stats structure. It may
        // be only 4-byte aligned (rtnetlink hands the payload of a netlink
        // attribute, and x86 does not pad those to 8), so it is read and
        // written unaligned and never referenced.
        let mut o = unsafe { out.read_unaligned() };
        o.rx_packets = s.rx_packets;
        o.rx_bytes = s.rx_bytes;
        o.tx_packets = s.tx_packets;
        o.tx_bytes = s.tx_bytes;
        o.rx_errors = s.rx_errors;
        o.tx_errors = s.tx_errors;
        o.rx_dropped = s.rx_dropped;
        o.tx_dropped = s.tx_dropped;
        o.multicast = s.multicast;
        o.collisions = s.collisions;
        o.rx_length_errors = s.rx_length_errors;
        o.rx_over_errors = s.rx_over_errors;
        o.rx_crc_errors = s.rx_crc_errors;
        o.rx_frame_errors = s.rx_frame_errors;
        o.rx_missed_errors = s.rx_missed_errors;
        o.tx_aborted_errors = s.tx_aborted_errors;
        o.tx_window_errors = s.tx_window_errors;
        // SAFETY: as above.
        unsafe { out.write_unaligned(o) };
    }

    /// # Safety
    ///
    /// `raw` must be a net_device made by `Registration::<T>::new`.
    unsafe extern "C" fn tx_timeout(raw: *mut bindings::net_device, _queue: c_uint) {
        // SAFETY: called by the transmit watchdog on our device.
        let dev = unsafe { Self::dev(raw) };
        T::tx_timeout(dev);
    }

    /// # Safety
    ///
    /// `raw` must be a net_device made by `Registration::<T>::new`; `addr`
    /// must point to a `struct sockaddr` (six address bytes); called under RTNL.
    unsafe extern "C" fn set_mac_address(
        raw: *mut bindings::net_device,
        addr: *mut c_void,
    ) -> c_int {
        let mut mac = [0u8; 6];
        // SAFETY: the core passes a `struct sockaddr` whose data starts with
        // the six address bytes; `mac` has room for them.
        unsafe { bindings::re1000_sockaddr_mac(addr, mac.as_mut_ptr()) };
        if !crate::hw::eeprom::mac_valid(&mac) {
            return super::errno::eaddrnotavail().to_errno();
        }
        // SAFETY: called by the core on our device, under RTNL.
        let dev = unsafe { Self::dev(raw) };
        let old = dev.addr();
        // SAFETY: the device is valid; the address is six bytes.
        unsafe { bindings::re1000_netdev_set_addr(raw, mac.as_ptr()) };
        match T::set_mac_address(dev, &mac) {
            Ok(()) => 0,
            Err(e) => {
                // SAFETY: as above: restore what the device still uses.
                unsafe { bindings::re1000_netdev_set_addr(raw, old.as_ptr()) };
                e.to_errno()
            }
        }
    }

    /// # Safety
    ///
    /// `raw` must be a net_device made by `Registration::<T>::new`; RTNL is held.
    unsafe extern "C" fn change_mtu(raw: *mut bindings::net_device, mtu: c_int) -> c_int {
        let Ok(mtu) = u32::try_from(mtu) else {
            return EINVAL.to_errno();
        };
        // SAFETY: called by the core on our device, under RTNL.
        match T::change_mtu(unsafe { Self::dev(raw) }, mtu) {
            Ok(()) => 0,
            Err(e) => e.to_errno(),
        }
    }

    /// # Safety
    ///
    /// `raw` must be a net_device made by `Registration::<T>::new`, with
    /// its address lists locked (atomic context).
    unsafe extern "C" fn set_rx_mode(raw: *mut bindings::net_device) {
        // SAFETY: called by the core on our device.
        let dev = unsafe { Self::dev(raw) };
        // Lets `with_addr_lists` in this task know the lock is held. A
        // nested call (none is known) restores the outer one's mark.
        let owner = &dev.private().addr_owner;
        let outer = owner.swap(current_task(), Ordering::Relaxed);
        // INVARIANT: the core holds the address list lock around
        // `ndo_set_rx_mode`; `lists` is lent for the call only.
        let lists = AddrLists {
            dev,
            _not_send: PhantomData,
        };
        T::set_rx_mode(dev, &lists);
        owner.store(outer, Ordering::Relaxed);
    }

    /// # Safety
    ///
    /// `raw` must be a net_device made by `Registration::<T>::new`; RTNL is held.
    unsafe extern "C" fn fix_features(raw: *mut bindings::net_device, features: u64) -> u64 {
        // SAFETY: called by the core on our device, under RTNL.
        T::fix_features(unsafe { Self::dev(raw) }, Features(features)).0
    }

    /// # Safety
    ///
    /// `raw` must be a net_device made by `Registration::<T>::new`; RTNL is held.
    unsafe extern "C" fn vlan_rx_add_vid(
        raw: *mut bindings::net_device,
        _proto: u16,
        vid: u16,
    ) -> c_int {
        // SAFETY: called by the core on our device, under RTNL.
        match T::vlan_rx_add_vid(unsafe { Self::dev(raw) }, vid) {
            Ok(()) => 0,
            Err(e) => e.to_errno(),
        }
    }

    /// # Safety
    ///
    /// `raw` must be a net_device made by `Registration::<T>::new`; RTNL is held.
    unsafe extern "C" fn vlan_rx_kill_vid(
        raw: *mut bindings::net_device,
        _proto: u16,
        vid: u16,
    ) -> c_int {
        // SAFETY: called by the core on our device, under RTNL.
        match T::vlan_rx_kill_vid(unsafe { Self::dev(raw) }, vid) {
            Ok(()) => 0,
            Err(e) => e.to_errno(),
        }
    }

    /// # Safety
    ///
    /// `raw` must be a net_device made by `Registration::<T>::new`; `skb` a
    /// valid sk_buff the caller is transmitting on it (not ours to free).
    unsafe extern "C" fn features_check(
        skb: *mut bindings::sk_buff,
        raw: *mut bindings::net_device,
        features: u64,
    ) -> u64 {
        // What the core's default (`dflt_features_check`) does first.
        // SAFETY: `skb` is valid for the call.
        let features = unsafe { bindings::re1000_vlan_features_check(skb, features) };
        // SAFETY: `skb` is valid for the call; wrapped without ownership
        // (never dropped), and lent to the driver only as `&Skb`, which
        // cannot outlive the call or take ownership.
        let Some(skb) = (unsafe { Skb::from_raw(skb) }).map(ManuallyDrop::new) else {
            return features;
        };
        // SAFETY: called by the core on our device.
        T::features_check(unsafe { Self::dev(raw) }, &skb, Features(features)).0
    }

    /// # Safety
    ///
    /// `raw` must be a net_device made by `Registration::<T>::new`; RTNL is held.
    unsafe extern "C" fn set_features(raw: *mut bindings::net_device, features: u64) -> c_int {
        // SAFETY: called by the core on our device, under RTNL.
        match T::set_features(unsafe { Self::dev(raw) }, Features(features)) {
            Ok(()) => 0,
            Err(e) => e.to_errno(),
        }
    }
}
