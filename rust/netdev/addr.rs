// SPDX-License-Identifier: GPL-2.0

//! Station addresses: validity, and the secondary unicast and multicast
//! address lists the receive filter is programmed from.
//!
//! C header: [`include/linux/netdevice.h`](srctree/include/linux/netdevice.h)
//! C header: [`include/linux/etherdevice.h`](srctree/include/linux/etherdevice.h)

use super::super::bindings;
use super::{current_task, Netdev, Operations};
use core::marker::PhantomData;
use core::sync::atomic::Ordering;
use kernel::error::{to_result, Result};

/// Whether `mac` may be a station's own address: not all zero, not
/// multicast (the broadcast address included), as `is_valid_ether_addr`.
pub fn is_valid_ether_addr(mac: &[u8; 6]) -> bool {
    // SAFETY: `mac` is six readable bytes; the helper copies them to an
    // aligned buffer before the check, which needs 16-bit alignment.
    unsafe { bindings::re1000_is_valid_ether_addr(mac.as_ptr()) }
}

impl<T: Operations> Netdev<T> {
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
    pub(super) dev: &'a Netdev<T>,
    pub(super) _not_send: PhantomData<*mut ()>,
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
