//! NAPI: the polled receive and completion path.
//!
//! A [`Napi`] sits in the driver's state (pinned in the net_device's private
//! area) and owns `S`, the state its poll function works on: while NAPI is
//! enabled only the poll function touches `S`; while a [`NapiOff`] guard
//! lives, only the guard's holder does.

use super::bindings;
use super::netdev::{Netdev, Operations, Setup};
use super::skb::Skb;
use core::cell::UnsafeCell;
use core::ffi::c_int;
use core::marker::PhantomData;
use core::sync::atomic::{AtomicU8, Ordering};
use kernel::error::{code::EBUSY, Error, Result};
use kernel::init::PinInit;
use kernel::types::Opaque;

/// What one poll round did.
pub enum Round {
    /// The budget was used up, or work waits that needs another round:
    /// NAPI polls again.
    Again,
    /// `work` units (less than the budget) were done and nothing waits:
    /// polling may end.
    Done(usize),
}

/// A driver whose device has one NAPI instance with state `Self::NapiState`.
pub trait Poll: Operations {
    /// What the poll function owns.
    type NapiState: Send;

    /// Does up to `budget` units of receive work (and any amount of transmit
    /// completion). With a budget of 0 (netpoll) only transmit completion.
    fn poll(
        dev: &Netdev<Self>,
        ctx: &mut PollCtx<'_>,
        state: &mut Self::NapiState,
        budget: usize,
    ) -> Round;

    /// Polling ended (NAPI accepted the completion of a [`Round::Done`]): the
    /// place to re-enable interrupts. The state is not given: another CPU
    /// may be polling already.
    fn completed(dev: &Netdev<Self>);

    /// NAPI did not accept the completion (it was scheduled again meanwhile,
    /// or a busy poller owns it) and polls again: the state is still the
    /// poll function's.
    fn resumed(_dev: &Netdev<Self>, _state: &mut Self::NapiState) {}
}

const ENABLED: u8 = 0;
const DISABLED: u8 = 1;
const HELD: u8 = 2;

/// A NAPI instance owning poll state `S`.
///
/// # Invariants
///
/// `napi` was added to its net_device by `netif_napi_add` and is deleted in
/// drop. `mode` is ENABLED exactly while `napi_enable` is in force; the state
/// is then used only by the poll function. In HELD mode one `NapiOff` exists.
#[repr(C)]
pub struct Napi<S> {
    napi: Opaque<bindings::napi_struct>,
    mode: AtomicU8,
    state: UnsafeCell<Option<S>>,
}

// SAFETY: the state moves between the poll function's CPU and the guard
// holder, so `S: Send` suffices; the napi_struct is used through thread-safe
// kernel calls.
unsafe impl<S: Send> Sync for Napi<S> {}
// SAFETY: as above.
unsafe impl<S: Send> Send for Napi<S> {}

impl<S: Send> Napi<S> {
    /// A NAPI instance of the device being set up, polled by `T::poll`;
    /// disabled until [`NapiOff::enable`].
    pub fn new<T: Poll<NapiState = S>>(setup: &Setup<'_, T>) -> impl PinInit<Self, Error> {
        let dev = setup.as_raw();
        // SAFETY: the closure initialises every field of `*slot` and adds the
        // NAPI instance at its final (pinned) address; it cannot fail.
        unsafe {
            kernel::init::pin_init_from_closure(move |slot: *mut Self| {
                core::ptr::addr_of_mut!((*slot).napi).write(Opaque::new(Default::default()));
                core::ptr::addr_of_mut!((*slot).mode).write(AtomicU8::new(DISABLED));
                core::ptr::addr_of_mut!((*slot).state).write(UnsafeCell::new(None));
                // INVARIANT: added here, deleted in drop.
                bindings::re1000_netif_napi_add(dev, (*slot).napi.get(), Some(poll_callback::<T>));
                Ok(())
            })
        }
    }

    /// Schedules a poll (from the interrupt handler, or from transmit to
    /// reclaim completions early). Any context. A disabled instance ignores
    /// it.
    pub fn schedule(&self) {
        // SAFETY: `napi` is added (type invariant); callable in any context.
        unsafe { bindings::re1000_napi_schedule(self.napi.get()) };
    }

    /// Tells the netdev netlink family that this instance serves RX and TX
    /// queue 0 of `dev` with interrupt `irq`; `None` unlinks the queues (at
    /// stop). Under RTNL: call from `open`/`stop`.
    pub fn link_queues<T: Poll<NapiState = S>>(&self, dev: &Netdev<T>, irq: Option<u32>) {
        let napi = if irq.is_some() {
            self.napi.get()
        } else {
            core::ptr::null_mut()
        };
        let irq = irq.and_then(|i| i32::try_from(i).ok()).unwrap_or(-1);
        // SAFETY: `dev` is valid and RTNL is held (callers are `open`/`stop`);
        // `napi` is null or our added instance, which outlives its link
        // (stop unlinks before the instance is dropped).
        unsafe { bindings::re1000_napi_link_queue0(dev.as_raw(), napi, irq) };
    }

    /// Disables polling, waiting for a poll in progress, and takes the state.
    /// `EBUSY` if a guard exists already. Process context only (it sleeps).
    pub fn disable(&self) -> Result<NapiOff<'_, S>> {
        loop {
            match self.mode.load(Ordering::Acquire) {
                HELD => return Err(EBUSY),
                m => {
                    if self
                        .mode
                        .compare_exchange(m, HELD, Ordering::AcqRel, Ordering::Acquire)
                        .is_ok()
                    {
                        if m == ENABLED {
                            // SAFETY: `napi` is added and was enabled; after
                            // this no poll runs until `napi_enable`.
                            unsafe { bindings::napi_disable(self.napi.get()) };
                        }
                        return Ok(NapiOff {
                            napi: self,
                            _p: PhantomData,
                        });
                    }
                }
            }
        }
    }
}

impl<S> Drop for Napi<S> {
    fn drop(&mut self) {
        // SAFETY: `napi` is added (type invariant); it is disabled first if
        // needed, then deleted once.
        unsafe {
            if *self.mode.get_mut() == ENABLED {
                bindings::napi_disable(self.napi.get());
            }
            bindings::re1000_netif_napi_del(self.napi.get());
        }
    }
}

/// Exclusive access to a disabled NAPI instance's state.
pub struct NapiOff<'a, S: Send> {
    napi: &'a Napi<S>,
    _p: PhantomData<&'a mut S>,
}

impl<S: Send> NapiOff<'_, S> {
    /// The poll state (`None` until the driver installs one).
    pub fn state(&mut self) -> &mut Option<S> {
        // SAFETY: in HELD mode polling is disabled and this guard is the only
        // one (type invariant of `Napi`).
        unsafe { &mut *self.napi.state.get() }
    }

    /// Enables polling again: the state goes back to the poll function.
    pub fn enable(self) {
        let napi = self.napi;
        core::mem::forget(self);
        napi.mode.store(ENABLED, Ordering::Release);
        // SAFETY: `napi` is added and disabled (HELD mode).
        unsafe { bindings::napi_enable(napi.napi.get()) };
    }
}

impl<S: Send> Drop for NapiOff<'_, S> {
    fn drop(&mut self) {
        self.napi.mode.store(DISABLED, Ordering::Release);
    }
}

/// What a poll function may do with its NAPI instance.
pub struct PollCtx<'a> {
    napi: *mut bindings::napi_struct,
    budget: c_int,
    _p: PhantomData<&'a ()>,
}

impl PollCtx<'_> {
    /// Allocates a receive buffer with `len` bytes of room (NAPI's fast cache).
    pub fn alloc_skb(&self, len: usize) -> Option<Skb> {
        // SAFETY: we are in this instance's poll; the sk_buff returned is ours.
        unsafe { Skb::from_raw(bindings::napi_alloc_skb(self.napi, len as u32)) }
    }

    /// Hands a received frame to the stack through GRO (after setting its
    /// protocol from the Ethernet header).
    pub fn receive<T: Operations>(&self, dev: &Netdev<T>, skb: Skb) {
        let raw = skb.into_raw();
        // SAFETY: we own `raw`, a frame of `dev` with at least an Ethernet
        // header (the caller checked its length); GRO takes ownership.
        unsafe {
            let proto = bindings::eth_type_trans(raw, dev.as_raw());
            bindings::re1000_skb_set_protocol(raw, proto);
            bindings::napi_gro_receive(self.napi, raw);
        }
    }

    /// Frees a transmitted buffer as consumed (not dropped).
    pub fn consume(&self, skb: Skb) {
        // SAFETY: we own the buffer; `budget` tells the kernel whether this is
        // a real NAPI context (non-zero) or netpoll (zero).
        unsafe { bindings::napi_consume_skb(skb.into_raw(), self.budget) };
    }

    /// Ends this poll round with `work` (less than the budget) done: `true`
    /// if NAPI accepted, and the poll state is no longer the poll's.
    fn complete(&mut self, work: usize) -> bool {
        // SAFETY: we are in this instance's poll.
        unsafe { bindings::napi_complete_done(self.napi, work as c_int) }
    }
}

/// # Safety
///
/// `napi` must be the instance of a live `Napi<T::NapiState>` on a net_device
/// made by `Registration::<T>::new`, polled by nothing else meanwhile.
unsafe extern "C" fn poll_callback<T: Poll>(
    napi: *mut bindings::napi_struct,
    budget: c_int,
) -> c_int {
    // SAFETY: this callback was installed only by `Napi::<T::NapiState>::new`,
    // whose `napi` field is first in a `repr(C)` struct, so `napi` points to
    // a live `Napi`; its net_device was set up by `Registration::<T>::new`.
    let (this, dev) = unsafe {
        (
            &*napi.cast::<Napi<T::NapiState>>(),
            Netdev::<T>::from_raw(bindings::re1000_napi_dev(napi)),
        )
    };
    let mut ctx = PollCtx {
        napi,
        budget,
        _p: PhantomData,
    };
    // SAFETY: polls of one instance are serialised by NAPI and happen only
    // while it is enabled, when the state belongs to the poll function; this
    // one stops using it when NAPI accepts its completion (below).
    let Some(state) = (unsafe { &mut *this.state.get() }).as_mut() else {
        ctx.complete(0);
        return 0;
    };
    let limit = usize::try_from(budget).unwrap_or(0);
    let work = match T::poll(dev, &mut ctx, state, limit) {
        // NAPI polls again only if the whole budget is reported (and with a
        // budget of 0, netpoll's, polling must not be completed).
        Round::Done(work) if work < limit => work,
        _ => return budget,
    };
    // The state's last use before completion is above: once NAPI accepts,
    // another CPU may poll (and borrow it) at once.
    if ctx.complete(work) {
        T::completed(dev);
    } else {
        // Not accepted: NAPI stays scheduled and polls this instance again,
        // so no other poll runs and the state is still ours.
        T::resumed(dev, state);
    }
    work as c_int
}
