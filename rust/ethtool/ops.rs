// SPDX-License-Identifier: GPL-2.0

//! The ethtool operations a driver implements, and the `ethtool_ops`
//! table of C trampolines built from them; the trampolines of each group of
//! settings live in that group's module.
//!
//! C header: [`include/linux/ethtool.h`](srctree/include/linux/ethtool.h)

use super::super::bindings;
use super::super::errno::eopnotsupp;
use super::super::netdev::{self, Netdev};
use super::{
    copy_str, Channels, Coalesce, CoalesceParams, CtrlStats, DrvInfo, LinkRequest, LinkSettings,
    MacStats, Pause, PhysId, RegsBuf, RingParam, RmonRange, RmonStats, Tunable, WakeOn, Wol,
};
use core::marker::PhantomData;
use kernel::error::Result;
use kernel::ffi::c_int;
use kernel::prelude::vtable;

// The methods of 7.x's `CStr` that 6.12's has itself.
#[allow(unused_imports)]
use super::super::CStrExt as _;

/// A driver's ethtool operations.
///
/// Implemented with `#[vtable]`: of the operations with a default, only
/// those the driver implements are installed (`HAS_*`), so the core answers
/// the others as it does for any driver without them (`ethtool -l` says
/// "Operation not supported", a statistics group is left out).
///
/// Every operation is called in process context, under RTNL (the device
/// does not opt into the instance lock).
///
/// # Examples
///
/// ```ignore
/// #[vtable]
/// impl ethtool::Operations for Re1000 {
///     const STAT_NAMES: &'static [&'static str] = &["rx_packets", "tx_packets"];
///
///     fn drvinfo(dev: &Netdev<Self>, f: &mut dyn FnMut(DrvInfo<'_>)) {
///         f(DrvInfo {
///             driver: "re1000",
///             version: VERSION,
///             bus_info: dev.data().pdev.name(),
///         });
///     }
///
///     fn stats(dev: &Netdev<Self>, out: &mut [u64]) {
///         let d = dev.data();
///         for (o, v) in out.iter_mut().zip([d.sw.rx_packets.get(), d.sw.tx_packets.get()]) {
///             *o = v;
///         }
///     }
///
///     fn ringparam(dev: &Netdev<Self>) -> RingParam {
///         let c = dev.data().config.lock();
///         RingParam { rx_max: 4096, tx_max: 4096, rx: c.rx_ring, tx: c.tx_ring }
///     }
///
///     fn link_settings(dev: &Netdev<Self>) -> LinkSettings {
///         dev.data().link_settings()
///     }
///     // The operations not implemented are not installed.
/// }
/// ```
#[vtable]
pub trait Operations: netdev::Operations {
    /// `ethtool -i`.
    fn drvinfo(dev: &Netdev<Self>, f: &mut dyn FnMut(DrvInfo<'_>));
    /// Names of the `ethtool -S` statistics (none: not supported). A
    /// constant, so that the count the core sizes its buffers by is the one
    /// the layer writes.
    const STAT_NAMES: &'static [&'static str];
    /// Values of the statistics, in the order of `STAT_NAMES`: `out` is the
    /// core's buffer (at most one slot per name, normally exactly that).
    fn stats(dev: &Netdev<Self>, out: &mut [u64]);
    /// `ethtool -g`.
    fn ringparam(dev: &Netdev<Self>) -> RingParam;
    /// `ethtool -G`.
    fn set_ringparam(_dev: &Netdev<Self>, _rx: u32, _tx: u32) -> Result {
        Err(eopnotsupp())
    }
    /// `ethtool IF`.
    fn link_settings(dev: &Netdev<Self>) -> LinkSettings;
    /// `ethtool -s` (speed, duplex, autonegotiation, advertised modes).
    fn set_link_settings(_dev: &Netdev<Self>, _req: LinkRequest) -> Result {
        Err(eopnotsupp())
    }
    /// `ethtool -r`.
    fn nway_reset(_dev: &Netdev<Self>) -> Result {
        Err(eopnotsupp())
    }
    /// Size in bytes of the `ethtool -d` dump (0: none). Installed with
    /// `regs` only: implementing `regs_len` alone installs nothing.
    fn regs_len(_dev: &Netdev<Self>) -> usize {
        0
    }
    /// `ethtool -d`: fills `out` (the core's buffer: `regs_len` bytes, or
    /// fewer if the user asked for less); returns the dump's version.
    fn regs(_dev: &Netdev<Self>, _out: &mut RegsBuf<'_>) -> u32 {
        0
    }
    /// EEPROM size in bytes (0: none). Installed with `eeprom` only:
    /// implementing `eeprom_len` alone installs nothing.
    fn eeprom_len(_dev: &Netdev<Self>) -> usize {
        0
    }
    /// `ethtool -e`: fills `out` from byte `offset`; returns the magic.
    fn eeprom(_dev: &Netdev<Self>, _offset: usize, _out: &mut [u8]) -> Result<u32> {
        Err(eopnotsupp())
    }
    /// `ethtool -s msglvl`.
    fn msglevel(_dev: &Netdev<Self>) -> u32 {
        0
    }
    /// Sets the message level.
    fn set_msglevel(_dev: &Netdev<Self>, _level: u32) {}
    /// `ethtool -a`.
    fn pause(_dev: &Netdev<Self>) -> Pause {
        Pause::default()
    }
    /// Pause frames (transmitted, received); `None`: not counted.
    fn pause_stats(_dev: &Netdev<Self>) -> Option<(u64, u64)> {
        None
    }
    /// IEEE 802.3 MAC counters (`ethtool -S --groups eth-mac`); `None`:
    /// not kept.
    fn mac_stats(_dev: &Netdev<Self>) -> Option<MacStats> {
        None
    }
    /// IEEE 802.3 MAC control counters (`--groups eth-ctrl`); `None`: not
    /// kept.
    fn ctrl_stats(_dev: &Netdev<Self>) -> Option<CtrlStats> {
        None
    }
    /// The buckets of the RMON frame size histograms, smallest first (at
    /// most `ETHTOOL_RMON_HIST_MAX`: 10 on 6.12, 11 on 7.x; each
    /// non-empty: a build error otherwise).
    const RMON_RANGES: &'static [RmonRange] = &[];
    /// RMON counters (`--groups rmon`), bucket `i` of the histograms for
    /// `RMON_RANGES[i]`; `None`: not kept.
    fn rmon_stats(_dev: &Netdev<Self>) -> Option<RmonStats> {
        None
    }
    /// `ethtool -l`: (maxima, current counts).
    fn channels(_dev: &Netdev<Self>) -> (Channels, Channels) {
        (Channels::default(), Channels::default())
    }
    /// `ethtool -L`, with counts within the maxima `channels` gave (the
    /// core checks them). Implementing it without `channels` is a build
    /// error.
    fn set_channels(_dev: &Netdev<Self>, _ch: Channels) -> Result {
        Err(eopnotsupp())
    }
    /// `ethtool -c`; `None`: not supported.
    fn coalesce(_dev: &Netdev<Self>) -> Option<Coalesce> {
        None
    }
    /// The coalescing parameters the device supports. The core refuses an
    /// `ethtool -C` that sets another (over ioctl a nonzero value of
    /// another field, over netlink another attribute present), and its
    /// netlink reply to `ethtool -c` leaves out another parameter that is
    /// 0. Not empty if `set_coalesce` is implemented (a build error
    /// otherwise).
    const COALESCE_PARAMS: CoalesceParams = CoalesceParams::NONE;
    /// `ethtool -C`: the core has refused requests that set parameters
    /// outside `COALESCE_PARAMS`.
    fn set_coalesce(_dev: &Netdev<Self>, _c: Coalesce) -> Result {
        Err(eopnotsupp())
    }
    /// `ethtool --get-tunable`: the value of `t`; `EOPNOTSUPP` for a
    /// tunable the device does not have.
    fn tunable(_dev: &Netdev<Self>, _t: Tunable) -> Result<u32> {
        Err(eopnotsupp())
    }
    /// `ethtool --set-tunable`.
    fn set_tunable(_dev: &Netdev<Self>, _t: Tunable, _value: u32) -> Result {
        Err(eopnotsupp())
    }
    /// `ethtool -A`.
    fn set_pause(_dev: &Netdev<Self>, _p: Pause) -> Result {
        Err(eopnotsupp())
    }
    /// Names of the `ethtool -t` tests (none: not supported); a constant,
    /// as `STAT_NAMES`.
    const TEST_NAMES: &'static [&'static str] = &[];
    /// `ethtool -t`: runs the tests (the offline ones too if `offline`),
    /// one result per name into `results`, the core's buffer (at most one
    /// slot per name; 0 passed); returns whether any failed.
    fn self_test(_dev: &Netdev<Self>, _offline: bool, _results: &mut [u64]) -> bool {
        true
    }
    /// `ethtool -p`: for [`PhysId::Active`], how many on/off cycles per
    /// second the core should drive.
    fn set_phys_id(_dev: &Netdev<Self>, _state: PhysId) -> Result<u32> {
        Err(eopnotsupp())
    }
    /// Wake-on-LAN as `ethtool IF` shows it.
    fn wol(_dev: &Netdev<Self>) -> Wol {
        Wol::default()
    }
    /// `ethtool -s wol`.
    fn set_wol(_dev: &Netdev<Self>, _w: WakeOn) -> Result {
        Err(eopnotsupp())
    }
}

/// The `ethtool_ops` of `T`: C trampolines into its [`Operations`].
pub(super) struct Table<T>(PhantomData<T>);

impl<T: Operations> Table<T> {
    /// `op` if the driver implements it.
    const fn opt<F: Copy>(has: bool, op: F) -> Option<F> {
        if has {
            Some(op)
        } else {
            None
        }
    }

    /// Checked when the driver's table is built: a driver that breaks a
    /// rule of the core fails to build instead of failing to register.
    const OPS: bindings::ethtool_ops = {
        // `ethtool_check_ops` warns about and refuses a `set_coalesce`
        // without the parameters it takes.
        assert!(
            !T::HAS_SET_COALESCE || T::COALESCE_PARAMS.bits() != 0,
            "set_coalesce without COALESCE_PARAMS: the core refuses to register the device"
        );
        // The core calls `set_channels` only with `get_channels` (it checks
        // the request against the maxima): one without the other is dead.
        assert!(
            !T::HAS_SET_CHANNELS || T::HAS_CHANNELS,
            "set_channels without channels: the core never calls it"
        );
        // The bucket table is built (and checked) here, even if the driver
        // does not implement `rmon_stats`.
        let _ = Self::RMON_RANGES;
        bindings::ethtool_ops {
            get_drvinfo: Some(Self::get_drvinfo),
            get_link: Some(bindings::ethtool_op_get_link),
            get_sset_count: Some(Self::get_sset_count),
            get_strings: Some(Self::get_strings),
            get_ethtool_stats: Some(Self::get_ethtool_stats),
            get_ringparam: Some(Self::get_ringparam),
            set_ringparam: Self::opt(T::HAS_SET_RINGPARAM, Self::set_ringparam),
            get_link_ksettings: Some(Self::get_link_ksettings),
            set_link_ksettings: Self::opt(T::HAS_SET_LINK_SETTINGS, Self::set_link_ksettings),
            nway_reset: Self::opt(T::HAS_NWAY_RESET, Self::nway_reset),
            get_regs_len: Self::opt(T::HAS_REGS, Self::get_regs_len),
            get_regs: Self::opt(T::HAS_REGS, Self::get_regs),
            get_eeprom_len: Self::opt(T::HAS_EEPROM, Self::get_eeprom_len),
            get_eeprom: Self::opt(T::HAS_EEPROM, Self::get_eeprom),
            get_msglevel: Self::opt(T::HAS_MSGLEVEL, Self::get_msglevel),
            set_msglevel: Self::opt(T::HAS_SET_MSGLEVEL, Self::set_msglevel),
            get_pauseparam: Self::opt(T::HAS_PAUSE, Self::get_pauseparam),
            set_pauseparam: Self::opt(T::HAS_SET_PAUSE, Self::set_pauseparam),
            get_pause_stats: Self::opt(T::HAS_PAUSE_STATS, Self::get_pause_stats),
            get_eth_mac_stats: Self::opt(T::HAS_MAC_STATS, Self::get_eth_mac_stats),
            get_eth_ctrl_stats: Self::opt(T::HAS_CTRL_STATS, Self::get_eth_ctrl_stats),
            get_rmon_stats: Self::opt(T::HAS_RMON_STATS, Self::get_rmon_stats),
            get_channels: Self::opt(T::HAS_CHANNELS, Self::get_channels),
            set_channels: Self::opt(T::HAS_SET_CHANNELS, Self::set_channels),
            get_coalesce: Self::opt(T::HAS_COALESCE, Self::get_coalesce),
            set_coalesce: Self::opt(T::HAS_SET_COALESCE, Self::set_coalesce),
            // With or without `set_coalesce`: the netlink reply to
            // `ethtool -c` shows a parameter that is 0 only if it is here.
            supported_coalesce_params: T::COALESCE_PARAMS.bits(),
            self_test: Self::opt(T::HAS_SELF_TEST, Self::self_test),
            set_phys_id: Self::opt(T::HAS_SET_PHYS_ID, Self::set_phys_id),
            get_wol: Self::opt(T::HAS_WOL, Self::get_wol),
            set_wol: Self::opt(T::HAS_SET_WOL, Self::set_wol),
            get_tunable: Self::opt(T::HAS_TUNABLE, Self::get_tunable),
            set_tunable: Self::opt(T::HAS_SET_TUNABLE, Self::set_tunable),
            // SAFETY: all-zero is a valid `ethtool_ops`: every other entry absent.
            ..unsafe { core::mem::zeroed() }
        }
    };

    /// # Safety
    ///
    /// `raw` must be a device of `T` (these ops are installed only on those).
    pub(super) unsafe fn dev<'a>(raw: *mut bindings::net_device) -> &'a Netdev<T> {
        // SAFETY: per the contract.
        unsafe { Netdev::from_raw(raw) }
    }

    pub(super) fn errno(r: Result) -> c_int {
        match r {
            Ok(()) => 0,
            Err(e) => e.to_errno(),
        }
    }

    /// # Safety
    ///
    /// `raw` must be a device of `T` (made by `Registration::<T>::new`);
    /// `info` must point to a valid, writable `ethtool_drvinfo`.
    pub(super) unsafe extern "C" fn get_drvinfo(
        raw: *mut bindings::net_device,
        info: *mut bindings::ethtool_drvinfo,
    ) {
        // SAFETY: called by the ethtool core on our device with a valid `info`.
        let (dev, info) = unsafe { (Self::dev(raw), &mut *info) };
        T::drvinfo(dev, &mut |d| {
            copy_str(&mut info.driver, d.driver.as_bytes());
            copy_str(&mut info.version, d.version.as_bytes());
            copy_str(&mut info.bus_info, d.bus_info.to_bytes());
        });
    }

    /// # Safety
    ///
    /// `raw` must be a device of `T` (made by `Registration::<T>::new`).
    pub(super) unsafe extern "C" fn nway_reset(raw: *mut bindings::net_device) -> c_int {
        // SAFETY: called by the ethtool core on our device.
        Self::errno(T::nway_reset(unsafe { Self::dev(raw) }))
    }

    /// # Safety
    ///
    /// `raw` must be a device of `T` (made by `Registration::<T>::new`).
    pub(super) unsafe extern "C" fn get_msglevel(raw: *mut bindings::net_device) -> u32 {
        // SAFETY: called by the ethtool core on our device.
        T::msglevel(unsafe { Self::dev(raw) })
    }

    /// # Safety
    ///
    /// `raw` must be a device of `T` (made by `Registration::<T>::new`).
    pub(super) unsafe extern "C" fn set_msglevel(raw: *mut bindings::net_device, level: u32) {
        // SAFETY: called by the ethtool core on our device.
        T::set_msglevel(unsafe { Self::dev(raw) }, level)
    }

    /// # Safety
    ///
    /// `raw` must be a device of `T` (made by `Registration::<T>::new`).
    pub(super) unsafe extern "C" fn set_phys_id(
        raw: *mut bindings::net_device,
        state: bindings::ethtool_phys_id_state,
    ) -> c_int {
        let state = match state as c_int {
            bindings::RE1000_ETHTOOL_ID_ACTIVE => PhysId::Active,
            bindings::RE1000_ETHTOOL_ID_ON => PhysId::On,
            bindings::RE1000_ETHTOOL_ID_OFF => PhysId::Off,
            bindings::RE1000_ETHTOOL_ID_INACTIVE => PhysId::Inactive,
            _ => return kernel::error::code::EINVAL.to_errno(),
        };
        // SAFETY: called by the ethtool core on our device.
        match T::set_phys_id(unsafe { Self::dev(raw) }, state) {
            Ok(cycles) => c_int::try_from(cycles).unwrap_or(0),
            Err(e) => e.to_errno(),
        }
    }
}

/// The `ethtool_ops` of `T`.
pub(in super::super) const fn table<T: Operations>() -> &'static bindings::ethtool_ops {
    &Table::<T>::OPS
}
