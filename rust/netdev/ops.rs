// SPDX-License-Identifier: GPL-2.0

//! The operations a network device implements, and the `net_device_ops`
//! and `netdev_stat_ops` tables of C trampolines built from them.
//!
//! C header: [`include/linux/netdevice.h`](srctree/include/linux/netdevice.h)
//! C header: [`include/net/netdev_queues.h`](srctree/include/net/netdev_queues.h)

use super::super::bindings;
use super::super::errno::eaddrnotavail;
use super::super::skb::Skb;
use super::super::xdp::{XdpInstalled, XdpProg, XdpSetup, XdpXmit};
use super::{
    current_task, is_valid_ether_addr, AddrLists, Features, LinkStats, Netdev, QueueStats, XmitCtx,
    TX_RUNNING,
};
use core::cell::Cell;
use core::ffi::{c_int, c_uint, c_void};
use core::marker::PhantomData;
use core::mem::ManuallyDrop;
use core::ptr::NonNull;
use core::sync::atomic::Ordering;
use kernel::error::{
    code::{EBUSY, EINVAL},
    Result,
};
use kernel::prelude::vtable;

/// The operations of a network device whose state is `Self`.
///
/// Implemented with `#[vtable]`: of the callbacks with a default, only
/// those the driver implements are installed (`HAS_*`), so the core's own
/// default applies to the others (`ndo_features_check` absent means
/// `vlan_features_check`, for instance).
///
/// # Examples
///
/// ```ignore
/// #[vtable]
/// impl netdev::Operations for Re1000 {
///     type TxState = TxRing;
///
///     fn open(dev: &Netdev<Self>) -> Result {
///         Self::up(dev)
///     }
///
///     fn start_xmit(
///         dev: &Netdev<Self>,
///         tx: &mut TxRing,
///         skb: Skb,
///         ctx: &XmitCtx<'_>,
///     ) -> Result<(), Skb> {
///         tx.xmit(dev, skb, ctx)
///     }
///
///     // stop, get_stats64, tx_timeout, set_mac_address, change_mtu and
///     // set_rx_mode likewise; `set_features` only if the driver has one.
/// }
/// ```
#[vtable]
pub trait Operations: Sized + Send + Sync {
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
    /// `ndo_bpf`'s XDP_SETUP_PROG, under RTNL: attach the program of
    /// `setup` as the native XDP program (replacing any), or detach
    /// ([`XdpSetup::attaches`] is false; a detach cannot be refused), then
    /// the core re-evaluates the features (`fix_features`, which may depend
    /// on [`Netdev::xdp_attached`]). Succeeding means installing it
    /// ([`XdpSetup::install`] gives the [`XdpInstalled`] to return); a
    /// refusal may say why ([`XdpSetup::message`]). Process context, may
    /// sleep. Other `ndo_bpf` commands (offload, AF_XDP
    /// zero-copy) get `EINVAL` without the driver.
    fn xdp_setup<'a>(_dev: &Netdev<Self>, _setup: XdpSetup<'a>) -> Result<XdpInstalled<'a>> {
        Err(EINVAL)
    }
    /// `ndo_xdp_xmit`: send frames other devices' XDP programs redirected
    /// here, on the transmit state `start_xmit` uses, under the queue's
    /// transmit lock (bottom halves off). The driver takes frames from
    /// `frames` in order and sends them, or gives back the first it cannot
    /// send ([`XdpXmit::give_back`]: the core frees it and the rest); they
    /// reach the device at once if [`XdpXmit::flush`] says so. Not called
    /// while transmission is off (a [`TxOff`](super::TxOff) holds the
    /// state, or none is installed): the core frees the frames. Installed
    /// (and the device advertised as a redirect target by
    /// [`Setup::advertise_xdp`](super::Setup::advertise_xdp)) only if the
    /// driver implements it.
    fn xdp_xmit(_dev: &Netdev<Self>, _tx: &mut Self::TxState, _frames: &mut XdpXmit<'_>) {}
}

/// The `net_device_ops` and `netdev_stat_ops` of `T`: C trampolines into
/// its [`Operations`].
pub(super) struct OpsTable<T>(PhantomData<T>);

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
        ndo_bpf: if T::HAS_XDP_SETUP {
            Some(Self::bpf)
        } else {
            None
        },
        ndo_xdp_xmit: if T::HAS_XDP_XMIT {
            Some(Self::xdp_xmit)
        } else {
            None
        },
        ndo_validate_addr: Some(bindings::eth_validate_addr),
        // SAFETY: all-zero is a valid `net_device_ops`: every other callback absent.
        ..unsafe { core::mem::zeroed() }
    };

    pub(super) const fn build() -> &'static bindings::net_device_ops {
        &Self::OPS
    }

    pub(super) const STAT_OPS: bindings::netdev_stat_ops = bindings::netdev_stat_ops {
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
    /// `raw` must be a net_device made by `Registration::<T>::new`; `frames`
    /// must point to `n` frames the core hands over for the call (the core
    /// frees those after the number returned).
    unsafe extern "C" fn xdp_xmit(
        raw: *mut bindings::net_device,
        n: c_int,
        frames: *mut *mut bindings::xdp_frame,
        flags: u32,
    ) -> c_int {
        if flags & !bindings::RE1000_XDP_XMIT_FLAGS_MASK != 0 {
            return EINVAL.to_errno();
        }
        let Ok(n) = usize::try_from(n) else {
            return EINVAL.to_errno();
        };
        if n == 0 || frames.is_null() {
            return 0;
        }
        // SAFETY: called by the core on our device.
        let dev = unsafe { Self::dev(raw) };
        let p = dev.private();
        // SAFETY: the device is valid. The helper takes the queue's transmit
        // lock only with bottom halves off and not already held by this CPU.
        if !unsafe { bindings::re1000_netif_tx_lock_xdp_xmit(raw) } {
            return EBUSY.to_errno();
        }
        // Acquire: as in `start_xmit`.
        let kept = if p.tx_mode.load(Ordering::Acquire) == TX_RUNNING {
            // SAFETY: in TX_RUNNING mode the transmit state belongs to the
            // holder of the queue's transmit lock: us, now.
            match unsafe { &mut *p.tx.get() }.as_mut() {
                Some(tx) => {
                    // SAFETY: `frames` points to the call's `n` frames.
                    let frames = unsafe { core::slice::from_raw_parts(frames, n) };
                    // SAFETY: the call's frames, the value used only here.
                    let mut batch = unsafe {
                        XdpXmit::new(frames, flags & bindings::RE1000_XDP_XMIT_FLUSH != 0)
                    };
                    T::xdp_xmit(dev, tx, &mut batch);
                    Some(batch.kept())
                }
                None => None,
            }
        } else {
            None
        };
        // SAFETY: taken above.
        unsafe { bindings::re1000_netif_tx_unlock_in_poll(raw) };
        match kept {
            // CAST: at most `n`, which came as a `c_int`.
            Some(kept) => kept as c_int,
            None => -(bindings::ENETDOWN as c_int),
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
        if !is_valid_ether_addr(&mac) {
            return eaddrnotavail().to_errno();
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
    /// `raw` must be a net_device made by `Registration::<T>::new`; RTNL is
    /// held; `bpf` points to the core's valid `netdev_bpf` for the call.
    unsafe extern "C" fn bpf(
        raw: *mut bindings::net_device,
        bpf: *mut bindings::netdev_bpf,
    ) -> c_int {
        // SAFETY: `bpf` is valid for the call.
        if unsafe { bindings::re1000_netdev_bpf_command(bpf) } != bindings::RE1000_XDP_SETUP_PROG {
            // Offload and AF_XDP zero-copy: what drivers without them say.
            return EINVAL.to_errno();
        }
        // SAFETY: as above; XDP_SETUP_PROG's fields are the union's live ones.
        let (prog, extack) = unsafe {
            (
                NonNull::new(bindings::re1000_netdev_bpf_prog(bpf)),
                bindings::re1000_netdev_bpf_extack(bpf),
            )
        };
        // The core moves a reference into a driver that succeeds and puts it
        // itself on failure. The setup holds a reference of its own, which
        // the slot keeps if the driver installs the program; the core's is
        // put on success.
        // SAFETY: the core holds `prog` for the call.
        let owned = prog.map(|p| unsafe { XdpProg::get(p) });
        let installed = Cell::new(false);
        // SAFETY: called by the core on our device, under RTNL.
        let dev = unsafe { Self::dev(raw) };
        // SAFETY: `extack` is null or valid for the call, which the setup
        // (borrowing `installed`, a local) cannot outlive; the slot is the
        // device's.
        let setup = unsafe { XdpSetup::from_raw(extack, owned, dev.xdp_slot(), &installed) };
        let ret = T::xdp_setup(dev, setup).map(drop);
        match ret {
            Ok(()) => {}
            // A detach cannot be refused: the core lets the program go
            // whatever the driver says (unregistering, it only warns).
            Err(e) if prog.is_none() => {
                if !installed.get() {
                    // SAFETY: in `ndo_bpf` for this device.
                    unsafe { XdpSetup::force_detach(dev.xdp_slot()) };
                }
                dev.pr_warn(format_args!("XDP detach refused ({:?}): detached\n", e));
            }
            Err(e) if !installed.get() => return e.to_errno(),
            // The program runs: the core must know it is attached.
            Err(e) => dev.pr_warn(format_args!(
                "XDP program installed, but setup said {:?}: reported attached\n",
                e
            )),
        }
        if let Some(p) = prog {
            // SAFETY: the reference the core moved to us, given up once; the
            // slot's own keeps the program alive.
            unsafe { bindings::re1000_bpf_prog_put(p.as_ptr()) };
        }
        // The features a program rules out (`fix_features` may look at the
        // slot) are recomputed: with it attached they go, without it what
        // the user asked for comes back.
        // SAFETY: our device, RTNL held (`ndo_bpf`).
        unsafe { bindings::netdev_update_features(raw) };
        0
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
