//! ethtool: the `ethtool_ops` table built from a driver's implementation.

use super::bindings;
use super::errno::eopnotsupp;
use super::netdev::{self, Netdev};
// The methods of 7.x's `CStr` that 6.12's has itself.
#[allow(unused_imports)]
use super::CStrExt as _;
use core::ffi::c_void;
use core::marker::PhantomData;
use kernel::error::Result;
use kernel::ffi::{c_char, c_int};
use kernel::str::CStr;

/// What `ethtool -i` shows.
pub struct DrvInfo<'a> {
    /// Driver name.
    pub driver: &'a str,
    /// Driver version.
    pub version: &'a str,
    /// Bus address of the device.
    pub bus_info: &'a CStr,
}

/// Ring sizes for `ethtool -g`.
#[derive(Clone, Copy, Default, Debug)]
pub struct RingParam {
    /// Largest receive ring.
    pub rx_max: u32,
    /// Largest transmit ring.
    pub tx_max: u32,
    /// Current receive ring.
    pub rx: u32,
    /// Current transmit ring.
    pub tx: u32,
}

/// A set of link modes (`ethtool IF`'s "Supported link modes" and
/// "Advertised link modes"): the first 32, the kernel's legacy
/// `ADVERTISED_*` bits, which hold every mode up to 1000BASE-T.
#[derive(Clone, Copy, Default, PartialEq, Eq, Debug)]
pub struct LinkModes(pub u32);

impl LinkModes {
    /// 10BASE-T half duplex.
    pub const T10_HALF: Self = Self(bindings::RE1000_ADVERTISED_10baseT_Half);
    /// 10BASE-T full duplex.
    pub const T10_FULL: Self = Self(bindings::RE1000_ADVERTISED_10baseT_Full);
    /// 100BASE-T half duplex.
    pub const T100_HALF: Self = Self(bindings::RE1000_ADVERTISED_100baseT_Half);
    /// 100BASE-T full duplex.
    pub const T100_FULL: Self = Self(bindings::RE1000_ADVERTISED_100baseT_Full);
    /// 1000BASE-T half duplex.
    pub const T1000_HALF: Self = Self(bindings::RE1000_ADVERTISED_1000baseT_Half);
    /// 1000BASE-T full duplex.
    pub const T1000_FULL: Self = Self(bindings::RE1000_ADVERTISED_1000baseT_Full);
    /// Autonegotiation.
    pub const AUTONEG: Self = Self(bindings::RE1000_ADVERTISED_Autoneg);
    /// Twisted-pair port.
    pub const TP: Self = Self(bindings::RE1000_ADVERTISED_TP);

    /// Both sets of modes.
    pub const fn with(self, other: Self) -> Self {
        Self(self.0 | other.0)
    }

    /// Whether every mode of `other` is in `self`.
    pub const fn contains(self, other: Self) -> bool {
        self.0 & other.0 == other.0
    }
}

/// Link settings for `ethtool IF`.
#[derive(Clone, Copy, Default, Debug)]
pub struct LinkSettings {
    /// The modes the device supports.
    pub supported: LinkModes,
    /// The modes it advertises.
    pub advertising: LinkModes,
    /// Whether the link is up (speed and duplex are unknown otherwise).
    pub link_up: bool,
    /// Mb/s.
    pub speed: u32,
    /// Full duplex.
    pub full_duplex: bool,
    /// Autonegotiation on.
    pub autoneg: bool,
}

/// A link settings request from `ethtool -s`.
#[derive(Clone, Copy, Debug)]
pub struct LinkRequest {
    /// Mb/s (for forced settings).
    pub speed: u32,
    /// Full duplex (for forced settings).
    pub full_duplex: bool,
    /// Autonegotiation on.
    pub autoneg: bool,
    /// The modes to advertise; `None` if the request has a mode beyond
    /// the first 32 (faster than any `LinkModes` can name).
    pub advertising: Option<LinkModes>,
}

/// Flow control settings for `ethtool -a`.
#[derive(Clone, Copy, Default, Debug)]
pub struct Pause {
    /// Negotiated.
    pub autoneg: bool,
    /// Honour received pause frames.
    pub rx: bool,
    /// Send pause frames.
    pub tx: bool,
}

/// Interrupt coalescing for `ethtool -c`: what re1000 supports of it.
#[derive(Clone, Copy, Default, Debug)]
pub struct Coalesce {
    /// Minimum microseconds between receive interrupts (0: none).
    pub rx_usecs: u32,
    /// Microseconds a transmit completion may wait for others (0: none).
    pub tx_usecs: u32,
    /// The driver adapts the rate to the traffic.
    pub adaptive_rx: bool,
}

/// The state `ethtool -p` asks the identification LED for.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum PhysId {
    /// Identification starts: save the LED's setting.
    Active,
    /// LED on (one half of a blink).
    On,
    /// LED off.
    Off,
    /// Identification ends: restore the LED.
    Inactive,
}

/// Wake-on-LAN events (`ethtool -s wol`), as the kernel's WAKE_* bits.
#[derive(Clone, Copy, Default, PartialEq, Eq, Debug)]
pub struct WakeOn(pub u32);

impl WakeOn {
    /// A link change.
    pub const PHY: Self = Self(bindings::RE1000_WAKE_PHY);
    /// A unicast frame to the station.
    pub const UCAST: Self = Self(bindings::RE1000_WAKE_UCAST);
    /// A multicast frame.
    pub const MCAST: Self = Self(bindings::RE1000_WAKE_MCAST);
    /// A broadcast frame.
    pub const BCAST: Self = Self(bindings::RE1000_WAKE_BCAST);
    /// A magic packet.
    pub const MAGIC: Self = Self(bindings::RE1000_WAKE_MAGIC);

    /// Both sets of events.
    pub const fn with(self, other: Self) -> Self {
        Self(self.0 | other.0)
    }

    /// Whether every event of `other` is in `self`.
    pub const fn contains(self, other: Self) -> bool {
        self.0 & other.0 == other.0
    }
}

/// What `ethtool IF` shows of Wake-on-LAN.
#[derive(Clone, Copy, Default, Debug)]
pub struct Wol {
    /// Events the device can wake on.
    pub supported: WakeOn,
    /// Events it is armed for.
    pub enabled: WakeOn,
}

/// A driver's ethtool operations. Those with a default are optional: the
/// default answers `EOPNOTSUPP`.
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
    /// Size in bytes of the `ethtool -d` dump (0: none).
    fn regs_len(_dev: &Netdev<Self>) -> usize {
        0
    }
    /// `ethtool -d` (under RTNL): fills `out` (the core's buffer:
    /// `regs_len` bytes, or fewer if the user asked for less); returns the
    /// dump's version.
    fn regs(_dev: &Netdev<Self>, _out: &mut RegsBuf<'_>) -> u32 {
        0
    }
    /// EEPROM size in bytes (0: none).
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
    /// `ethtool -c`; `None`: not supported.
    fn coalesce(_dev: &Netdev<Self>) -> Option<Coalesce> {
        None
    }
    /// `ethtool -C`.
    fn set_coalesce(_dev: &Netdev<Self>, _c: Coalesce) -> Result {
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

/// The core's buffer for an `ethtool -d` dump, as 32-bit words in the CPU's
/// byte order: writes go only as far as the core has room.
pub struct RegsBuf<'a> {
    bytes: &'a mut [u8],
}

impl RegsBuf<'_> {
    /// How many words have room, a last partial one included.
    pub fn words(&self) -> usize {
        self.bytes.len().div_ceil(4)
    }

    /// Writes word `index`: as many of its bytes as have room.
    pub fn set(&mut self, index: usize, value: u32) {
        let start = index.saturating_mul(4);
        if let Some(room) = self.bytes.get_mut(start..) {
            for (d, s) in room.iter_mut().zip(value.to_ne_bytes()) {
                *d = s;
            }
        }
    }
}

/// Copies `src` into a C char array, truncated and NUL-terminated.
fn copy_str(dst: &mut [c_char], src: &[u8]) {
    let n = src.len().min(dst.len().saturating_sub(1));
    for (d, s) in dst.iter_mut().zip(&src[..n]) {
        *d = *s as c_char;
    }
    if let Some(end) = dst.get_mut(n) {
        *end = 0;
    }
}

/// The core's buffer at `data`: `len` elements, or none if it is null or
/// misaligned for `E` (the core's are allocated, so aligned).
///
/// # Safety
///
/// If `data` is non-null and aligned, it must be valid for reads and writes
/// of `len` elements of `E` for `'a`, and not otherwise accessed meanwhile.
unsafe fn core_buf<'a, E>(data: *mut E, len: usize) -> &'a mut [E] {
    if data.is_null() || (data as usize) % core::mem::align_of::<E>() != 0 {
        return &mut [];
    }
    // SAFETY: non-null and aligned; valid for `len` elements per the contract.
    unsafe { core::slice::from_raw_parts_mut(data, len) }
}

/// Most strings of a set: the core refuses sets whose strings exceed
/// `S32_MAX` bytes.
const MAX_STRINGS: usize = i32::MAX as usize / bindings::ETH_GSTRING_LEN as usize;

struct Table<T>(PhantomData<T>);

impl<T: Operations> Table<T> {
    const OPS: bindings::ethtool_ops = bindings::ethtool_ops {
        get_drvinfo: Some(Self::get_drvinfo),
        get_link: Some(bindings::ethtool_op_get_link),
        get_sset_count: Some(Self::get_sset_count),
        get_strings: Some(Self::get_strings),
        get_ethtool_stats: Some(Self::get_ethtool_stats),
        get_ringparam: Some(Self::get_ringparam),
        set_ringparam: Some(Self::set_ringparam),
        get_link_ksettings: Some(Self::get_link_ksettings),
        set_link_ksettings: Some(Self::set_link_ksettings),
        nway_reset: Some(Self::nway_reset),
        get_regs_len: Some(Self::get_regs_len),
        get_regs: Some(Self::get_regs),
        get_eeprom_len: Some(Self::get_eeprom_len),
        get_eeprom: Some(Self::get_eeprom),
        get_msglevel: Some(Self::get_msglevel),
        set_msglevel: Some(Self::set_msglevel),
        get_pauseparam: Some(Self::get_pauseparam),
        get_pause_stats: Some(Self::get_pause_stats),
        get_coalesce: Some(Self::get_coalesce),
        set_coalesce: Some(Self::set_coalesce),
        set_pauseparam: Some(Self::set_pauseparam),
        self_test: Some(Self::self_test),
        set_phys_id: Some(Self::set_phys_id),
        get_wol: Some(Self::get_wol),
        set_wol: Some(Self::set_wol),
        supported_coalesce_params: bindings::RE1000_ETHTOOL_COALESCE_RX_USECS
            | bindings::RE1000_ETHTOOL_COALESCE_TX_USECS
            | bindings::RE1000_ETHTOOL_COALESCE_USE_ADAPTIVE_RX,
        // SAFETY: all-zero is a valid `ethtool_ops`: every other entry absent.
        ..unsafe { core::mem::zeroed() }
    };

    /// # Safety
    ///
    /// `raw` must be a device of `T` (these ops are installed only on those).
    unsafe fn dev<'a>(raw: *mut bindings::net_device) -> &'a Netdev<T> {
        // SAFETY: per the contract.
        unsafe { Netdev::from_raw(raw) }
    }

    /// # Safety
    ///
    /// `raw` must be a device of `T` (made by `Registration::<T>::new`);
    /// `info` must point to a valid, writable `ethtool_drvinfo`.
    unsafe extern "C" fn get_drvinfo(
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

    /// The names of string set `sset`, if the driver has it: constants, so
    /// `get_sset_count` and `get_strings` always agree on the count.
    fn names(sset: u32) -> Option<&'static [&'static str]> {
        let names = match sset {
            bindings::RE1000_ETH_SS_STATS => T::STAT_NAMES,
            bindings::RE1000_ETH_SS_TEST => T::TEST_NAMES,
            _ => return None,
        };
        Some(names).filter(|n| !n.is_empty() && n.len() <= MAX_STRINGS)
    }

    /// # Safety
    ///
    /// `_raw` must be a device of `T` (made by `Registration::<T>::new`).
    unsafe extern "C" fn get_sset_count(_raw: *mut bindings::net_device, sset: c_int) -> c_int {
        match u32::try_from(sset).ok().and_then(Self::names) {
            // At most `MAX_STRINGS`, which fits.
            Some(names) => c_int::try_from(names.len()).unwrap_or(0),
            None => super::errno::eopnotsupp().to_errno(),
        }
    }

    /// # Safety
    ///
    /// `_raw` must be a device of `T` (made by `Registration::<T>::new`);
    /// `data` must have room for `ETH_GSTRING_LEN` bytes per string of
    /// `sset` as `get_sset_count` counts them.
    unsafe extern "C" fn get_strings(_raw: *mut bindings::net_device, sset: u32, data: *mut u8) {
        // The ethtool core (ioctl and netlink alike) sizes `data` by what
        // `get_sset_count` answered for `sset`: `names.len()`, a constant.
        let Some(names) = Self::names(sset) else {
            return;
        };
        let len = bindings::ETH_GSTRING_LEN as usize;
        // SAFETY: `data` has room for `names.len()` strings per the contract
        // (a product below `i32::MAX`, by `names`).
        let out = unsafe { core_buf(data.cast::<c_char>(), names.len() * len) };
        for (slot, name) in out.chunks_mut(len).zip(names) {
            copy_str(slot, name.as_bytes());
        }
    }

    /// # Safety
    ///
    /// `raw` must be a device of `T` (made by `Registration::<T>::new`);
    /// `stats` must point to a valid `ethtool_stats` and `data` have room for
    /// `stats.n_stats` values.
    unsafe extern "C" fn get_ethtool_stats(
        raw: *mut bindings::net_device,
        stats: *mut bindings::ethtool_stats,
        data: *mut u64,
    ) {
        // SAFETY: called by the ethtool core on our device with a valid
        // request.
        let (dev, stats) = unsafe { (Self::dev(raw), &*stats) };
        // Not beyond our own count either (DSA passes a larger buffer whose
        // rest is the switch port's).
        let n = (stats.n_stats as usize).min(T::STAT_NAMES.len());
        // SAFETY: `data` has room for `stats.n_stats` values, the core's own
        // count of its buffer, per the contract.
        let out = unsafe { core_buf(data, n) };
        out.fill(0);
        T::stats(dev, out);
    }

    /// # Safety
    ///
    /// `raw` must be a device of `T` (made by `Registration::<T>::new`);
    /// `ring` must point to a valid, writable `ethtool_ringparam`.
    unsafe extern "C" fn get_ringparam(
        raw: *mut bindings::net_device,
        ring: *mut bindings::ethtool_ringparam,
        _kernel: *mut bindings::kernel_ethtool_ringparam,
        _ack: *mut bindings::netlink_ext_ack,
    ) {
        // SAFETY: called by the ethtool core on our device with a valid `ring`.
        let (dev, ring) = unsafe { (Self::dev(raw), &mut *ring) };
        let p = T::ringparam(dev);
        ring.rx_max_pending = p.rx_max;
        ring.tx_max_pending = p.tx_max;
        ring.rx_pending = p.rx;
        ring.tx_pending = p.tx;
    }
}

impl<T: Operations> Table<T> {
    fn errno(r: Result) -> c_int {
        match r {
            Ok(()) => 0,
            Err(e) => e.to_errno(),
        }
    }

    /// # Safety
    ///
    /// `raw` must be a device of `T` (made by `Registration::<T>::new`);
    /// `ring` must point to a valid `ethtool_ringparam`.
    unsafe extern "C" fn set_ringparam(
        raw: *mut bindings::net_device,
        ring: *mut bindings::ethtool_ringparam,
        _kernel: *mut bindings::kernel_ethtool_ringparam,
        _ack: *mut bindings::netlink_ext_ack,
    ) -> c_int {
        // SAFETY: called by the ethtool core on our device with a valid `ring`.
        let (dev, ring) = unsafe { (Self::dev(raw), &*ring) };
        if ring.rx_mini_pending != 0 || ring.rx_jumbo_pending != 0 {
            return kernel::error::code::EINVAL.to_errno();
        }
        Self::errno(T::set_ringparam(dev, ring.rx_pending, ring.tx_pending))
    }

    /// # Safety
    ///
    /// `raw` must be a device of `T` (made by `Registration::<T>::new`);
    /// `ks` must point to a valid, writable `ethtool_link_ksettings`.
    unsafe extern "C" fn get_link_ksettings(
        raw: *mut bindings::net_device,
        ks: *mut bindings::ethtool_link_ksettings,
    ) -> c_int {
        // SAFETY: called by the ethtool core on our device.
        let l = T::link_settings(unsafe { Self::dev(raw) });
        // SAFETY: `ks` is the core's valid settings structure.
        unsafe {
            bindings::re1000_ksettings_fill(
                ks,
                l.supported.0,
                l.advertising.0,
                l.speed,
                u8::from(l.full_duplex),
                u8::from(l.autoneg),
                u8::from(l.link_up),
            )
        };
        0
    }

    /// # Safety
    ///
    /// `raw` must be a device of `T` (made by `Registration::<T>::new`);
    /// `ks` must point to a valid `ethtool_link_ksettings`.
    unsafe extern "C" fn set_link_ksettings(
        raw: *mut bindings::net_device,
        ks: *const bindings::ethtool_link_ksettings,
    ) -> c_int {
        // SAFETY: called by the ethtool core on our device with valid settings.
        let (dev, base) = unsafe { (Self::dev(raw), &(*ks).base) };
        let mut legacy = 0u32;
        // SAFETY: `ks` is the core's valid settings structure; `legacy` is
        // a writable u32.
        let fits = unsafe { bindings::re1000_ksettings_advertising(ks, &mut legacy) } != 0;
        Self::errno(T::set_link_settings(
            dev,
            LinkRequest {
                speed: base.speed,
                full_duplex: base.duplex == bindings::RE1000_DUPLEX_FULL,
                autoneg: base.autoneg == bindings::RE1000_AUTONEG_ENABLE,
                advertising: fits.then_some(LinkModes(legacy)),
            },
        ))
    }

    /// # Safety
    ///
    /// `raw` must be a device of `T` (made by `Registration::<T>::new`).
    unsafe extern "C" fn nway_reset(raw: *mut bindings::net_device) -> c_int {
        // SAFETY: called by the ethtool core on our device.
        Self::errno(T::nway_reset(unsafe { Self::dev(raw) }))
    }

    /// # Safety
    ///
    /// `raw` must be a device of `T` (made by `Registration::<T>::new`).
    unsafe extern "C" fn get_regs_len(raw: *mut bindings::net_device) -> c_int {
        // SAFETY: called by the ethtool core on our device.
        let len = T::regs_len(unsafe { Self::dev(raw) });
        c_int::try_from(len & !3).unwrap_or(0)
    }

    /// # Safety
    ///
    /// `raw` must be a device of `T` (made by `Registration::<T>::new`);
    /// `regs` must point to a valid, writable `ethtool_regs`, and `data` to
    /// `regs.len` writable bytes.
    unsafe extern "C" fn get_regs(
        raw: *mut bindings::net_device,
        regs: *mut bindings::ethtool_regs,
        data: *mut c_void,
    ) {
        // SAFETY: called by the ethtool core on our device with a valid
        // request.
        let (dev, regs) = unsafe { (Self::dev(raw), &mut *regs) };
        // The core allocated what `get_regs_len` answered and set `regs.len`
        // to that or to the smaller length the user asked for.
        // SAFETY: `data` has room for `regs.len` bytes per the contract.
        let bytes = unsafe { core_buf(data.cast::<u8>(), regs.len as usize) };
        bytes.fill(0);
        regs.version = T::regs(dev, &mut RegsBuf { bytes });
    }

    /// # Safety
    ///
    /// `raw` must be a device of `T` (made by `Registration::<T>::new`).
    unsafe extern "C" fn get_eeprom_len(raw: *mut bindings::net_device) -> c_int {
        // SAFETY: called by the ethtool core on our device.
        c_int::try_from(T::eeprom_len(unsafe { Self::dev(raw) })).unwrap_or(0)
    }

    /// # Safety
    ///
    /// `raw` must be a device of `T` (made by `Registration::<T>::new`);
    /// `ee` must point to a valid, writable request within `get_eeprom_len()`,
    /// and `data` to `ee.len` writable bytes.
    unsafe extern "C" fn get_eeprom(
        raw: *mut bindings::net_device,
        ee: *mut bindings::ethtool_eeprom,
        data: *mut u8,
    ) -> c_int {
        // SAFETY: called by the ethtool core on our device with a valid
        // request; the core checked offset + len against `get_eeprom_len`
        // and allocated `len` bytes at `data`.
        let (dev, ee) = unsafe { (Self::dev(raw), &mut *ee) };
        // SAFETY: as above.
        let out = unsafe { core::slice::from_raw_parts_mut(data, ee.len as usize) };
        match T::eeprom(dev, ee.offset as usize, out) {
            Ok(magic) => {
                ee.magic = magic;
                0
            }
            Err(e) => e.to_errno(),
        }
    }

    /// # Safety
    ///
    /// `raw` must be a device of `T` (made by `Registration::<T>::new`).
    unsafe extern "C" fn get_msglevel(raw: *mut bindings::net_device) -> u32 {
        // SAFETY: called by the ethtool core on our device.
        T::msglevel(unsafe { Self::dev(raw) })
    }

    /// # Safety
    ///
    /// `raw` must be a device of `T` (made by `Registration::<T>::new`).
    unsafe extern "C" fn set_msglevel(raw: *mut bindings::net_device, level: u32) {
        // SAFETY: called by the ethtool core on our device.
        T::set_msglevel(unsafe { Self::dev(raw) }, level)
    }

    /// # Safety
    ///
    /// `raw` must be a device of `T` (made by `Registration::<T>::new`);
    /// `pause` must point to a valid, writable `ethtool_pauseparam`.
    unsafe extern "C" fn get_pauseparam(
        raw: *mut bindings::net_device,
        pause: *mut bindings::ethtool_pauseparam,
    ) {
        // SAFETY: called by the ethtool core on our device with a valid `pause`.
        let (dev, out) = unsafe { (Self::dev(raw), &mut *pause) };
        let p = T::pause(dev);
        out.autoneg = u32::from(p.autoneg);
        out.rx_pause = u32::from(p.rx);
        out.tx_pause = u32::from(p.tx);
    }

    /// # Safety
    ///
    /// `raw` must be a device of `T` (made by `Registration::<T>::new`);
    /// `stats` must point to a valid, writable `ethtool_pause_stats`.
    unsafe extern "C" fn get_pause_stats(
        raw: *mut bindings::net_device,
        stats: *mut bindings::ethtool_pause_stats,
    ) {
        // SAFETY: called by the ethtool core on our device.
        if let Some((tx, rx)) = T::pause_stats(unsafe { Self::dev(raw) }) {
            // SAFETY: `stats` is the core's writable structure.
            unsafe { bindings::re1000_pause_stats_set(stats, tx, rx) };
        }
    }

    /// # Safety
    ///
    /// `raw` must be a device of `T` (made by `Registration::<T>::new`);
    /// `ec` must point to a valid, writable `ethtool_coalesce`.
    unsafe extern "C" fn get_coalesce(
        raw: *mut bindings::net_device,
        ec: *mut bindings::ethtool_coalesce,
        _kec: *mut bindings::kernel_ethtool_coalesce,
        _ack: *mut bindings::netlink_ext_ack,
    ) -> c_int {
        // SAFETY: called by the ethtool core on our device with a valid `ec`.
        let (dev, ec) = unsafe { (Self::dev(raw), &mut *ec) };
        match T::coalesce(dev) {
            Some(c) => {
                ec.rx_coalesce_usecs = c.rx_usecs;
                ec.tx_coalesce_usecs = c.tx_usecs;
                ec.use_adaptive_rx_coalesce = u32::from(c.adaptive_rx);
                0
            }
            None => eopnotsupp().to_errno(),
        }
    }

    /// # Safety
    ///
    /// `raw` must be a device of `T` (made by `Registration::<T>::new`);
    /// `ec` must point to a valid `ethtool_coalesce`.
    unsafe extern "C" fn set_coalesce(
        raw: *mut bindings::net_device,
        ec: *mut bindings::ethtool_coalesce,
        _kec: *mut bindings::kernel_ethtool_coalesce,
        _ack: *mut bindings::netlink_ext_ack,
    ) -> c_int {
        // SAFETY: called by the ethtool core on our device with a valid `ec`.
        let (dev, ec) = unsafe { (Self::dev(raw), &*ec) };
        Self::errno(T::set_coalesce(
            dev,
            Coalesce {
                rx_usecs: ec.rx_coalesce_usecs,
                tx_usecs: ec.tx_coalesce_usecs,
                adaptive_rx: ec.use_adaptive_rx_coalesce != 0,
            },
        ))
    }
}

impl<T: Operations> Table<T> {
    /// # Safety
    ///
    /// `raw` must be a device of `T` (made by `Registration::<T>::new`);
    /// `pause` must point to a valid `ethtool_pauseparam`.
    unsafe extern "C" fn set_pauseparam(
        raw: *mut bindings::net_device,
        pause: *mut bindings::ethtool_pauseparam,
    ) -> c_int {
        // SAFETY: called by the ethtool core on our device with a valid `pause`.
        let (dev, p) = unsafe { (Self::dev(raw), &*pause) };
        Self::errno(T::set_pause(
            dev,
            Pause {
                autoneg: p.autoneg != 0,
                rx: p.rx_pause != 0,
                tx: p.tx_pause != 0,
            },
        ))
    }

    /// # Safety
    ///
    /// `raw` must be a device of `T` (made by `Registration::<T>::new`), under
    /// RTNL; `test` must point to a valid, writable `ethtool_test`, and `data`
    /// have room for `test.len` values.
    unsafe extern "C" fn self_test(
        raw: *mut bindings::net_device,
        test: *mut bindings::ethtool_test,
        data: *mut u64,
    ) {
        // SAFETY: called by the ethtool core, under RTNL, on our device with
        // a valid request.
        let (dev, test) = unsafe { (Self::dev(raw), &mut *test) };
        let n = (test.len as usize).min(T::TEST_NAMES.len());
        // SAFETY: `data` has room for `test.len` values, the core's own count
        // of its buffer, per the contract.
        let out = unsafe { core_buf(data, n) };
        out.fill(0);
        let offline = test.flags & bindings::RE1000_ETH_TEST_FL_OFFLINE != 0;
        if T::self_test(dev, offline, out) {
            test.flags |= bindings::RE1000_ETH_TEST_FL_FAILED;
        }
    }

    /// # Safety
    ///
    /// `raw` must be a device of `T` (made by `Registration::<T>::new`).
    unsafe extern "C" fn set_phys_id(
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

    /// # Safety
    ///
    /// `raw` must be a device of `T` (made by `Registration::<T>::new`);
    /// `wol` must point to a valid, writable `ethtool_wolinfo`.
    unsafe extern "C" fn get_wol(
        raw: *mut bindings::net_device,
        wol: *mut bindings::ethtool_wolinfo,
    ) {
        // SAFETY: called by the ethtool core on our device with a valid `wol`.
        let (dev, out) = unsafe { (Self::dev(raw), &mut *wol) };
        let w = T::wol(dev);
        out.supported = w.supported.0;
        out.wolopts = w.enabled.0;
    }

    /// # Safety
    ///
    /// `raw` must be a device of `T` (made by `Registration::<T>::new`);
    /// `wol` must point to a valid `ethtool_wolinfo`.
    unsafe extern "C" fn set_wol(
        raw: *mut bindings::net_device,
        wol: *mut bindings::ethtool_wolinfo,
    ) -> c_int {
        // SAFETY: called by the ethtool core on our device with a valid `wol`.
        let (dev, w) = unsafe { (Self::dev(raw), &*wol) };
        Self::errno(T::set_wol(dev, WakeOn(w.wolopts)))
    }
}

/// The `ethtool_ops` of `T`.
pub(super) const fn table<T: Operations>() -> &'static bindings::ethtool_ops {
    &Table::<T>::OPS
}
