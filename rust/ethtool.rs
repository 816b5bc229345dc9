//! ethtool: the `ethtool_ops` table built from a driver's implementation.

use super::bindings;
use super::netdev::{self, Netdev};
use core::marker::PhantomData;
use kernel::ffi::{c_char, c_int};

/// What `ethtool -i` shows.
pub struct DrvInfo<'a> {
    /// Driver name.
    pub driver: &'a str,
    /// Driver version.
    pub version: &'a str,
    /// Bus address of the device.
    pub bus_info: &'a [u8],
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

/// A driver's ethtool operations.
pub trait Operations: netdev::Operations {
    /// `ethtool -i`.
    fn drvinfo(dev: &Netdev<Self>, f: &mut dyn FnMut(DrvInfo<'_>));
    /// Names of the `ethtool -S` statistics.
    fn stat_names(dev: &Netdev<Self>) -> &'static [&'static str];
    /// Values of the statistics, in the order of `stat_names`.
    fn stats(dev: &Netdev<Self>, out: &mut [u64]);
    /// `ethtool -g`.
    fn ringparam(dev: &Netdev<Self>) -> RingParam;
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

struct Table<T>(PhantomData<T>);

impl<T: Operations> Table<T> {
    const OPS: bindings::ethtool_ops = bindings::ethtool_ops {
        get_drvinfo: Some(Self::get_drvinfo),
        get_link: Some(bindings::ethtool_op_get_link),
        get_sset_count: Some(Self::get_sset_count),
        get_strings: Some(Self::get_strings),
        get_ethtool_stats: Some(Self::get_ethtool_stats),
        get_ringparam: Some(Self::get_ringparam),
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

    unsafe extern "C" fn get_drvinfo(
        raw: *mut bindings::net_device,
        info: *mut bindings::ethtool_drvinfo,
    ) {
        // SAFETY: called by the ethtool core on our device with a valid `info`.
        let (dev, info) = unsafe { (Self::dev(raw), &mut *info) };
        T::drvinfo(dev, &mut |d| {
            copy_str(&mut info.driver, d.driver.as_bytes());
            copy_str(&mut info.version, d.version.as_bytes());
            copy_str(&mut info.bus_info, d.bus_info);
        });
    }

    unsafe extern "C" fn get_sset_count(raw: *mut bindings::net_device, sset: c_int) -> c_int {
        if sset != bindings::RE1000_ETH_SS_STATS as c_int {
            return super::errno::eopnotsupp().to_errno();
        }
        // SAFETY: called by the ethtool core on our device.
        T::stat_names(unsafe { Self::dev(raw) }).len() as c_int
    }

    unsafe extern "C" fn get_strings(raw: *mut bindings::net_device, sset: u32, data: *mut u8) {
        if sset != bindings::RE1000_ETH_SS_STATS {
            return;
        }
        // SAFETY: called by the ethtool core on our device.
        let names = T::stat_names(unsafe { Self::dev(raw) });
        let len = bindings::ETH_GSTRING_LEN as usize;
        // SAFETY: the core sized `data` from `get_sset_count`: one
        // ETH_GSTRING_LEN slot per name.
        let out =
            unsafe { core::slice::from_raw_parts_mut(data.cast::<c_char>(), names.len() * len) };
        for (slot, name) in out.chunks_mut(len).zip(names) {
            copy_str(slot, name.as_bytes());
        }
    }

    unsafe extern "C" fn get_ethtool_stats(
        raw: *mut bindings::net_device,
        _stats: *mut bindings::ethtool_stats,
        data: *mut u64,
    ) {
        // SAFETY: called by the ethtool core on our device.
        let dev = unsafe { Self::dev(raw) };
        let n = T::stat_names(dev).len();
        // SAFETY: the core sized `data` from `get_sset_count`.
        let out = unsafe { core::slice::from_raw_parts_mut(data, n) };
        out.fill(0);
        T::stats(dev, out);
    }

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

/// The `ethtool_ops` of `T`.
pub(super) const fn table<T: Operations>() -> &'static bindings::ethtool_ops {
    &Table::<T>::OPS
}
