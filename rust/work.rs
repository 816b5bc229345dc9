//! Deferred work for a network device: a `work_struct` in the driver's state
//! that runs a driver function in process context (where RTNL may be taken).

use super::bindings;
use super::netdev::{Netdev, Operations, Setup};
use core::marker::PhantomData;
use kernel::error::Error;
use kernel::init::PinInit;
use kernel::types::Opaque;

/// A device with deferred work.
pub trait Worker: Operations {
    /// Runs in process context on the system workqueue.
    fn run(dev: &Netdev<Self>);
}

/// A work item of the device's state; cancelled (and waited for) on drop.
///
/// # Invariants
///
/// `work` is initialised with `work_callback::<T>` and `dev` is the
/// net_device whose private state holds this value.
#[repr(C)]
pub struct Work<T: Worker> {
    work: Opaque<bindings::work_struct>,
    dev: *mut bindings::net_device,
    _t: PhantomData<T>,
}

// SAFETY: queueing work is thread-safe; the pointer is only dereferenced by
// the callback while the device's state lives.
unsafe impl<T: Worker> Send for Work<T> {}
// SAFETY: as above.
unsafe impl<T: Worker> Sync for Work<T> {}

impl<T: Worker> Work<T> {
    /// A work item for the device being set up.
    pub fn new(setup: &Setup<'_, T>) -> impl PinInit<Self, Error> {
        let dev = setup.as_raw();
        // SAFETY: the closure initialises every field in place; cannot fail.
        unsafe {
            kernel::init::pin_init_from_closure(move |slot: *mut Self| {
                core::ptr::addr_of_mut!((*slot).dev).write(dev);
                core::ptr::addr_of_mut!((*slot)._t).write(PhantomData);
                // INVARIANT: initialised with our callback.
                bindings::re1000_init_work((*slot).work.get(), Some(work_callback::<T>));
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
}

impl<T: Worker> Drop for Work<T> {
    fn drop(&mut self) {
        self.cancel_sync();
    }
}

unsafe extern "C" fn work_callback<T: Worker>(work: *mut bindings::work_struct) {
    // SAFETY: installed only by `Work::<T>::new`, whose `work` field is first
    // in a `repr(C)` struct living in the device's state, which outlives the
    // work (drop cancels it).
    let this = unsafe { &*work.cast::<Work<T>>() };
    // SAFETY: `dev` is the device holding this work (type invariant).
    T::run(unsafe { Netdev::<T>::from_raw(this.dev) });
}
