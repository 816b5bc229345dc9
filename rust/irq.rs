// SPDX-License-Identifier: GPL-2.0

//! Interrupts: a shared legacy INTx handler for a network device, named after
//! the interface (the label /proc/interrupts shows), freed on drop.
//!
//! C header: [`include/linux/interrupt.h`](srctree/include/linux/interrupt.h)

use super::bindings;
use super::netdev::{Netdev, Operations};
// The methods of 7.x's `CStr` that 6.12's has itself.
#[allow(unused_imports)]
use super::CStrExt as _;
use core::ffi::{c_int, c_void};
use core::marker::PhantomData;
use kernel::alloc::{flags::GFP_KERNEL, KBox};
use kernel::error::{code::ENOMEM, to_result, Result};

/// What an interrupt handler reports.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Return {
    /// The interrupt was not ours (the line is shared).
    None,
    /// The interrupt was ours and handled.
    Handled,
}

/// A device with an interrupt handler.
pub trait Handler: Operations {
    /// Hard interrupt context: acknowledge the device and defer the work.
    fn handle_irq(dev: &Netdev<Self>) -> Return;
}

/// Room for an interface name and its NUL (IFNAMSIZ).
const NAME_LEN: usize = 16;

/// A requested interrupt line, released on drop.
///
/// The registration holds a reference on the net_device (`dev_hold`), the
/// handler's cookie, until the line is freed: a registration that is leaked
/// or kept past `stop` makes unregistering wait for it (the kernel says so
/// every ten seconds) instead of leaving a handler on a freed device. Drop
/// it in `stop`.
///
/// # Invariants
///
/// `request_irq(irq, handler::<T>, IRQF_SHARED, name, dev)` succeeded; the
/// name buffer stays at its heap address until `free_irq` in drop; one
/// reference on `dev` is held until then.
pub struct Registration<T: Handler> {
    irq: u32,
    dev: *mut bindings::net_device,
    name: KBox<[u8; NAME_LEN]>,
    _t: PhantomData<fn(&T) -> &T>,
}

// SAFETY: `free_irq` may be called from any process context.
unsafe impl<T: Handler> Send for Registration<T> {}
// SAFETY: the `&self` methods are `irq()`, a read of a field never written
// after construction, and `synchronize()`, which may run on any thread.
unsafe impl<T: Handler> Sync for Registration<T> {}

impl<T: Handler> Registration<T> {
    /// Requests `irq` (shared) for `dev`, named after the interface.
    pub fn new(dev: &Netdev<T>, irq: u32) -> Result<Self> {
        let mut name = KBox::new([0u8; NAME_LEN], GFP_KERNEL).map_err(|_| ENOMEM)?;
        let src = dev.name().to_bytes();
        let n = src.len().min(NAME_LEN - 1);
        name[..n].copy_from_slice(&src[..n]);
        // SAFETY: `dev` is valid; the reference keeps the net_device, and so
        // its private state (dropped only after unregistering, which waits
        // for every reference), alive for the handler until drop.
        unsafe { bindings::re1000_dev_hold(dev.as_raw()) };
        // SAFETY: the handler is valid for `T`'s devices; `dev` outlives the
        // registration (the reference above); `name` is NUL-terminated and
        // lives until `free_irq`.
        let requested = to_result(unsafe {
            bindings::re1000_request_irq(
                irq,
                Some(handler::<T>),
                name.as_ptr().cast(),
                dev.as_raw().cast::<c_void>(),
            )
        });
        if let Err(e) = requested {
            // SAFETY: the reference taken above, unused.
            unsafe { bindings::re1000_dev_put(dev.as_raw()) };
            return Err(e);
        }
        // INVARIANT: requested just above, with the reference held.
        Ok(Self {
            irq,
            dev: dev.as_raw(),
            name,
            _t: PhantomData,
        })
    }

    /// The line.
    pub fn irq(&self) -> u32 {
        self.irq
    }

    /// Waits until no handler of the line runs on any CPU. Sleeps: process
    /// context only.
    pub fn synchronize(&self) {
        // SAFETY: the line is requested (type invariant); `synchronize_irq`
        // only waits for the handlers in flight.
        unsafe { bindings::synchronize_irq(self.irq) };
    }
}

impl<T: Handler> Drop for Registration<T> {
    fn drop(&mut self) {
        // SAFETY: requested by us with this cookie (type invariant); `free_irq`
        // waits for a running handler, after which `name` and the device
        // reference may go.
        unsafe {
            bindings::free_irq(self.irq, self.dev.cast::<c_void>());
            bindings::re1000_dev_put(self.dev);
        }
        let _ = &self.name;
    }
}

/// # Safety
///
/// `cookie` must be the net_device that `Registration::<T>::new` passed to
/// `request_irq`, and its `free_irq` must not have returned.
unsafe extern "C" fn handler<T: Handler>(
    _irq: c_int,
    cookie: *mut c_void,
) -> bindings::irqreturn_t {
    // SAFETY: the cookie is the net_device given to `request_irq` in
    // `Registration::<T>::new`, alive until `free_irq` returns.
    let dev = unsafe { Netdev::<T>::from_raw(cookie.cast()) };
    match T::handle_irq(dev) {
        Return::None => bindings::RE1000_IRQ_NONE as bindings::irqreturn_t,
        Return::Handled => bindings::RE1000_IRQ_HANDLED as bindings::irqreturn_t,
    }
}
