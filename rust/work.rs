// SPDX-License-Identifier: GPL-2.0

//! Deferred work for a network device: a `work_struct` (run once, soon) or a
//! `delayed_work` (run after a delay) in the driver's state that runs a
//! driver function in process context (where RTNL may be taken). A driver
//! with several jobs names each with a marker type `J` and implements
//! `Worker<J>` once per job.
//!
//! C header: [`include/linux/workqueue.h`](srctree/include/linux/workqueue.h)

use super::bindings;
use super::netdev::{Netdev, Operations, Setup};
use super::pin_init::PinInit;
use super::Invariant;
use core::marker::PhantomData;
use kernel::error::{code::EINVAL, Error};
use kernel::types::Opaque;

/// A device with the deferred job `J`.
pub trait Worker<J>: Operations {
    /// Runs in process context on the system workqueue.
    fn run(dev: &Netdev<Self>);
}

/// A work item of the device's state; cancelled (and waited for) on drop.
///
/// # Invariants
///
/// `work` is initialised with `work_callback::<T, J>` and `dev` is the
/// net_device whose private state holds this value (checked when it is
/// initialised), dropped before the device is freed.
#[repr(C)]
pub struct Work<T: Worker<J>, J> {
    work: Opaque<bindings::work_struct>,
    dev: *mut bindings::net_device,
    _t: PhantomData<(Invariant<T>, J)>,
}

// SAFETY: queueing work is thread-safe; the pointer is only dereferenced by
// the callback while the device's state lives.
unsafe impl<T: Worker<J>, J> Send for Work<T, J> {}
// SAFETY: as above.
unsafe impl<T: Worker<J>, J> Sync for Work<T, J> {}

impl<T: Worker<J>, J> Work<T, J> {
    /// A work item for the device being set up. It must be initialised
    /// inside the device's private state (a field of `T`), which is dropped
    /// (cancelling the work) before the device is freed; anywhere else the
    /// initialiser fails with `EINVAL`.
    pub fn new(setup: &Setup<'_, T>) -> impl PinInit<Self, Error> {
        let dev = setup.as_raw();
        let area = setup.private_area();
        // SAFETY: the closure initialises every field in place, or fails
        // having written nothing.
        unsafe {
            super::pin_init::pin_init_from_closure(move |slot: *mut Self| {
                if !area.holds(slot) {
                    return Err(EINVAL);
                }
                core::ptr::addr_of_mut!((*slot).dev).write(dev);
                core::ptr::addr_of_mut!((*slot)._t).write(PhantomData);
                // INVARIANT: initialised with our callback.
                bindings::re1000_init_work((*slot).work.get(), Some(work_callback::<T, J>));
                Ok(())
            })
        }
    }

    /// Queues the work (a no-op if already queued). Any context.
    pub fn schedule(&self) {
        // SAFETY: `work` is initialised (type invariant).
        unsafe { bindings::re1000_schedule_work(self.work.get()) };
    }

    /// Cancels queued work and waits for a running one. Process context;
    /// must not be called from the work itself.
    pub fn cancel_sync(&self) {
        // SAFETY: `work` is initialised (type invariant).
        unsafe { bindings::cancel_work_sync(self.work.get()) };
    }

    /// Cancels queued work without waiting for a running one (which may
    /// wait for a lock the caller holds); returns whether it was queued.
    /// Any context.
    pub fn cancel(&self) -> bool {
        // SAFETY: `work` is initialised (type invariant).
        unsafe { bindings::cancel_work(self.work.get()) }
    }
}

impl<T: Worker<J>, J> Drop for Work<T, J> {
    fn drop(&mut self) {
        self.cancel_sync();
    }
}

/// # Safety
///
/// `work` must be the `work_struct` of a live `Work<T, J>` made by
/// `Work::new`.
unsafe extern "C" fn work_callback<T: Worker<J>, J>(work: *mut bindings::work_struct) {
    // SAFETY: installed only by `Work::<T, J>::new`, whose `work` field is
    // first in a `repr(C)` struct living in the device's state, which
    // outlives the work (drop cancels it).
    let this = unsafe { &*work.cast::<Work<T, J>>() };
    // SAFETY: `dev` is the device holding this work (type invariant).
    <T as Worker<J>>::run(unsafe { Netdev::<T>::from_raw(this.dev) });
}

/// A work item of the device's state that runs after a delay; cancelled
/// (and waited for) on drop.
///
/// # Invariants
///
/// `work` is initialised with `delayed_work_callback::<T, J>` and `dev` is
/// the net_device whose private state holds this value (checked when it is
/// initialised), dropped before the device is freed.
#[repr(C)]
pub struct DelayedWork<T: Worker<J>, J> {
    work: Opaque<bindings::delayed_work>,
    dev: *mut bindings::net_device,
    _t: PhantomData<(Invariant<T>, J)>,
}

// SAFETY: queueing and cancelling delayed work is thread-safe; the pointer
// is only dereferenced by the callback while the device's state lives.
unsafe impl<T: Worker<J>, J> Send for DelayedWork<T, J> {}
// SAFETY: as above.
unsafe impl<T: Worker<J>, J> Sync for DelayedWork<T, J> {}

impl<T: Worker<J>, J> DelayedWork<T, J> {
    /// A delayed work item for the device being set up; like [`Work::new`],
    /// only inside the device's private state (`EINVAL` elsewhere).
    pub fn new(setup: &Setup<'_, T>) -> impl PinInit<Self, Error> {
        let dev = setup.as_raw();
        let area = setup.private_area();
        // SAFETY: the closure initialises every field in place, or fails
        // having written nothing.
        unsafe {
            super::pin_init::pin_init_from_closure(move |slot: *mut Self| {
                if !area.holds(slot) {
                    return Err(EINVAL);
                }
                core::ptr::addr_of_mut!((*slot).dev).write(dev);
                core::ptr::addr_of_mut!((*slot)._t).write(PhantomData);
                // INVARIANT: initialised with our callback.
                bindings::re1000_init_delayed_work(
                    (*slot).work.get(),
                    Some(delayed_work_callback::<T, J>),
                );
                Ok(())
            })
        }
    }

    /// Queues the work to run in `ms` milliseconds (a no-op if already
    /// queued). Any context, the work itself included.
    pub fn schedule_in(&self, ms: u32) {
        // SAFETY: `work` is initialised (type invariant).
        unsafe { bindings::re1000_schedule_delayed_work(self.work.get(), ms) };
    }

    /// Cancels queued work and waits for a running one, also one that queues
    /// itself again. Process context; not from the work itself.
    pub fn cancel_sync(&self) {
        // SAFETY: `work` is initialised (type invariant).
        unsafe { bindings::cancel_delayed_work_sync(self.work.get()) };
    }
}

impl<T: Worker<J>, J> Drop for DelayedWork<T, J> {
    fn drop(&mut self) {
        self.cancel_sync();
    }
}

/// # Safety
///
/// `work` must be the `work_struct` in a live `DelayedWork<T, J>` made by
/// `DelayedWork::new`.
unsafe extern "C" fn delayed_work_callback<T: Worker<J>, J>(work: *mut bindings::work_struct) {
    // SAFETY: installed only by `DelayedWork::<T, J>::new`: `work` is the
    // first field of its `delayed_work`, itself first in a `repr(C)` struct
    // living in the device's state, which outlives the work (drop cancels it).
    let this = unsafe { &*work.cast::<DelayedWork<T, J>>() };
    // SAFETY: `dev` is the device holding this work (type invariant).
    <T as Worker<J>>::run(unsafe { Netdev::<T>::from_raw(this.dev) });
}
