// SPDX-License-Identifier: GPL-2.0

//! The transmit queue: stopping and waking it, byte queue limits, and who
//! owns the transmit state (`start_xmit` through [`XmitCtx`] while the
//! queue runs, the holder of a [`TxOff`] guard while it is stopped).
//!
//! C header: [`include/linux/netdevice.h`](srctree/include/linux/netdevice.h)

use super::super::bindings;
use super::super::napi::{PollCtx, RxCtx};
use super::{Netdev, Operations, TX_HELD, TX_RUNNING, TX_STOPPED};
use core::marker::PhantomData;
use core::sync::atomic::Ordering;
use kernel::error::{code::EBUSY, Result};

impl<T: Operations> Netdev<T> {
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
        // does not poll while this CPU holds it). Inside
        // `with_tx_in_poll`, this CPU holds it already.
        unsafe {
            let locked = bindings::re1000_netif_tx_lock_in_poll_unless_held(self.as_raw());
            if self.private().tx_mode.load(Ordering::Relaxed) == TX_RUNNING {
                bindings::re1000_netif_wake_queue(self.as_raw());
            }
            if locked {
                bindings::re1000_netif_tx_unlock_in_poll(self.as_raw());
            }
        }
    }

    /// Runs `f` on the transmit state from the NAPI poll's receive (XDP_TX:
    /// frames sent on the ring the stack uses), under the queue's transmit
    /// lock, which `start_xmit` runs under too; `None` (and `f` dropped) if
    /// transmission is off: a [`TxOff`] guard holds the state, or no state
    /// is installed, or this CPU holds the lock already (`f` calling this
    /// again). `_rx` proves bottom halves are off (see
    /// [`Netdev::wake_queue`], which `f` may call).
    pub fn with_tx_in_poll<R>(
        &self,
        _rx: &RxCtx<'_>,
        f: impl FnOnce(&mut T::TxState) -> R,
    ) -> Option<R> {
        let p = self.private();
        // SAFETY: the device is valid; bottom halves are off (`_rx`). A
        // poll with a budget never runs inside `start_xmit` or netpoll's
        // transmit; a nested call (from `f`) finds the lock its own.
        if !unsafe { bindings::re1000_netif_tx_lock_in_poll_unless_held(self.as_raw()) } {
            return None;
        }
        // Acquire: a `TxOff` holder's writes to the state came before its
        // `start` set TX_RUNNING.
        let r = if p.tx_mode.load(Ordering::Acquire) == TX_RUNNING {
            // SAFETY: in TX_RUNNING mode the state belongs to whoever holds
            // the queue's transmit lock (`start_xmit`, or us now): `tx_off`
            // sets TX_HELD first, then `netif_tx_disable` takes this lock,
            // so a guard's holder gets the state only after we let go.
            unsafe { &mut *p.tx.get() }.as_mut().map(f)
        } else {
            None
        };
        // SAFETY: taken above.
        unsafe { bindings::re1000_netif_tx_unlock_in_poll(self.as_raw()) };
        r
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
}

/// What only `start_xmit` may do: it runs under the queue's transmit lock,
/// in TX_RUNNING mode.
pub struct XmitCtx<'a> {
    pub(super) raw: *mut bindings::net_device,
    pub(super) _p: PhantomData<&'a ()>,
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
