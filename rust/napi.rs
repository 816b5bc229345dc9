// SPDX-License-Identifier: GPL-2.0

//! NAPI: the polled receive and completion path.
//!
//! A [`Napi`] sits in the driver's state (pinned in the net_device's private
//! area) and owns `S`, the state its poll function works on: while NAPI is
//! enabled only the poll function touches `S`; while a [`NapiOff`] guard
//! lives, only the guard's holder does.
//!
//! C header: [`include/linux/netdevice.h`](srctree/include/linux/netdevice.h)

use super::bindings;
use super::netdev::{Netdev, Operations, Setup};
use super::page_pool::RxFrag;
use super::pin_init::PinInit;
use super::skb::Skb;
use core::cell::{Cell, UnsafeCell};
use core::ffi::c_int;
use core::marker::PhantomData;
use core::sync::atomic::{AtomicU8, Ordering};
use kernel::error::{
    code::{EBUSY, EINVAL},
    Error, Result,
};
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
///
/// # Completion
///
/// A poll that returns [`Round::Done`] ends polling: the layer calls
/// `napi_complete_done()` after `poll` has returned, so everything the poll
/// keeps in its state (interrupt-rate bookkeeping, counters) must be done by
/// then. From that call on the state is not the poll's any more: even when
/// `napi_complete_done()` returns false, NAPI may have let the instance go
/// (with `napi_defer_hard_irqs` and `gro_flush_timeout` set it clears
/// NAPIF_STATE_SCHED, arms its timer and returns false), and another CPU
/// may already be polling. Only [`Poll::completed`], which gets no state,
/// runs after it.
pub trait Poll: Operations {
    /// What the poll function owns.
    type NapiState: Send;

    /// Does up to `budget` units of receive work (and any amount of transmit
    /// completion). Receive needs `ctx.rx()`, which netpoll's budget of 0
    /// does not give: then only transmit completion is allowed.
    fn poll(
        dev: &Netdev<Self>,
        ctx: &mut PollCtx<'_>,
        state: &mut Self::NapiState,
        budget: usize,
    ) -> Round;

    /// Polling ended: NAPI accepted the completion of a [`Round::Done`] (and
    /// set no timer to poll again). The place to re-enable interrupts. The
    /// state is not given: another CPU may be polling already. Runs in the
    /// poll's context, before [`Napi::disable`] can return.
    fn completed(dev: &Netdev<Self>);
}

const ENABLED: u8 = 0;
const DISABLED: u8 = 1;
const HELD: u8 = 2;

/// A NAPI instance owning poll state `S`.
///
/// # Examples
///
/// The instance is a field of the driver's state, made during setup; the
/// interrupt handler schedules it and [`Poll::poll`] does the work:
///
/// ```ignore
/// // In `Registration::new`'s setup closure:
/// let napi = Napi::new(setup);
///
/// // In `open`, once the rings exist:
/// let mut off = d.napi.disable()?;
/// *off.state() = Some(NapiState { tx, rx, itr });
/// off.enable();
///
/// // In the interrupt handler:
/// d.napi.schedule();
///
/// impl Poll for Re1000 {
///     type NapiState = NapiState;
///
///     fn poll(dev: &Netdev<Self>, ctx: &mut PollCtx<'_>, st: &mut NapiState, budget: usize) -> Round {
///         st.tx.clean(dev, ctx);
///         let Some(rx) = ctx.rx() else {
///             return Round::Done(0); // netpoll: transmit completion only
///         };
///         let work = st.rx.poll(dev, &rx, budget);
///         if work >= budget { Round::Again } else { Round::Done(work) }
///     }
///
///     fn completed(dev: &Netdev<Self>) {
///         hwinit::irq_enable(&dev.data().regs);
///     }
/// }
/// ```
///
/// # Invariants
///
/// `napi` was added to its net_device by `netif_napi_add` and is deleted in
/// drop; the value lives in that net_device's private state. `mode` is ENABLED exactly while `napi_enable` is in force; the state
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
    ///
    /// It must be initialised inside the device's private state (a field of
    /// `T`), which the layer drops before it frees the device: anywhere else
    /// (a `KBox` that could be leaked or outlive the device) the initialiser
    /// fails with `EINVAL`, as the poll callback finds the device through
    /// the instance.
    pub fn new<T: Poll<NapiState = S>>(setup: &Setup<'_, T>) -> impl PinInit<Self, Error> {
        let dev = setup.as_raw();
        let area = setup.private_area();
        // SAFETY: the closure initialises every field of `*slot` and adds the
        // NAPI instance at its final (pinned) address, or fails having
        // written nothing.
        unsafe {
            super::pin_init::pin_init_from_closure(move |slot: *mut Self| {
                if !area.holds(slot) {
                    return Err(EINVAL);
                }
                core::ptr::addr_of_mut!((*slot).napi).write(Opaque::new(Default::default()));
                core::ptr::addr_of_mut!((*slot).mode).write(AtomicU8::new(DISABLED));
                core::ptr::addr_of_mut!((*slot).state).write(UnsafeCell::new(None));
                // INVARIANT: added here, deleted in drop; inside `dev`'s
                // private state, which is dropped before `dev` is freed.
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
    /// When it returns no poll function runs, [`Poll::completed`] included.
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
                            // `napi_disable` returns once the last poll has
                            // completed, which may still be running its
                            // epilogue (`Poll::completed`); every poll runs
                            // with bottom halves or interrupts off (softirq,
                            // threaded NAPI, busy poll, netpoll), a read-side
                            // critical section of RCU, so a grace period
                            // waits for it to return.
                            // SAFETY: `napi` is added and was enabled; after
                            // this no poll starts until `napi_enable`.
                            unsafe {
                                bindings::napi_disable(self.napi.get());
                                bindings::synchronize_net();
                            }
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
                bindings::synchronize_net();
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
    /// An XDP program redirected a frame: `xdp_do_flush` is owed before
    /// the poll ends (the layer's callback settles it).
    flush: Cell<bool>,
    _p: PhantomData<&'a ()>,
}

impl PollCtx<'_> {
    /// Receive, if this poll may do it: `None` under netpoll (a budget of
    /// 0, possibly with interrupts off), where `napi_alloc_skb` and
    /// `napi_gro_receive` are not allowed.
    pub fn rx(&self) -> Option<RxCtx<'_>> {
        (self.budget > 0).then_some(RxCtx {
            napi: self.napi,
            flush: &self.flush,
        })
    }

    /// Whether this is netpoll's poll: a budget of 0, with interrupts off
    /// (`netpoll_send_skb` disables them), where only transmit completion
    /// is done and nothing may take a lock that needs bottom halves off,
    /// such as a page pool's (a page or an XDP frame cannot go back to its
    /// memory there).
    pub fn netpoll(&self) -> bool {
        self.budget == 0
    }

    /// Frees a transmitted buffer as consumed (not dropped). Any budget:
    /// under netpoll (0) the kernel frees it the way that context allows.
    pub fn consume(&self, skb: Skb) {
        // SAFETY: we own the buffer; `budget` tells the kernel whether this is
        // a real NAPI context (non-zero) or netpoll (zero).
        unsafe { bindings::napi_consume_skb(skb.into_raw(), self.budget) };
    }

    /// Ends this poll round with `work` (less than the budget) done: `true`
    /// if NAPI accepted. Either way the poll state is no longer the poll's.
    fn complete(&mut self, work: usize) -> bool {
        // SAFETY: we are in this instance's poll.
        unsafe { bindings::napi_complete_done(self.napi, work as c_int) }
    }
}

/// Receive in a NAPI poll with a non-zero budget (softirq, threaded NAPI or
/// busy polling, bottom halves off), from [`PollCtx::rx`].
pub struct RxCtx<'a> {
    napi: *mut bindings::napi_struct,
    flush: &'a Cell<bool>,
}

impl RxCtx<'_> {
    /// A frame was redirected: the poll flushes before it ends.
    pub(super) fn owe_flush(&self) {
        self.flush.set(true);
    }

    /// The NAPI instance whose poll this is.
    pub(super) fn napi_raw(&self) -> *mut bindings::napi_struct {
        self.napi
    }

    /// Allocates a receive buffer with `len` bytes of room (NAPI's fast cache).
    pub fn alloc_skb(&self, len: usize) -> Option<Skb> {
        let len = u32::try_from(len).ok()?;
        // SAFETY: we are in this instance's poll with a non-zero budget, so
        // bottom halves are off as `napi_alloc_skb` requires; the sk_buff
        // returned is ours.
        unsafe { Skb::from_raw(bindings::napi_alloc_skb(self.napi, len)) }
    }

    /// An sk_buff around the page of `frag` (no copy): its data is the
    /// frame, the bytes in front of it its headroom, and its
    /// `skb_shared_info` goes at the page's end; freed, the page goes back
    /// to its pool; an XDP program's metadata in front of the frame is the
    /// sk_buff's. `Err` gives `frag` back if the frame reaches into the
    /// room `skb_shared_info` needs, or no sk_buff could be had.
    pub fn build_skb(&self, frag: RxFrag) -> Result<Skb, RxFrag> {
        if frag.offset() + frag.len() > frag.room() || frag.meta_len() > 255 {
            return Err(frag);
        }
        let (page, offset, len) = frag.raw();
        let meta = frag.meta_len() as u32;
        // The page's bytes `offset..offset + len` are the frame, initialised
        // and the CPU's (`RxFrag` invariant), and end before the page's last
        // `skb_shared_info` bytes (checked above), which the device does not
        // write (it writes only the frame's buffer).
        // SAFETY: a NAPI poll with a non-zero budget (bottom halves off), as
        // `napi_build_skb` requires; the pool page is `frag`'s, its frame as
        // above. A non-null sk_buff owns the page and is ours; on failure
        // the page is still `frag`'s.
        let skb = unsafe { Skb::from_raw(bindings::re1000_pp_build_skb(page, offset, len)) };
        match skb {
            Some(skb) => {
                frag.moved();
                // SAFETY: `meta` bytes in front of the frame are in the
                // sk_buff's headroom and initialised (`RxFrag` invariant);
                // at most 255 (checked above), as `skb_metadata_set` takes.
                unsafe { bindings::re1000_skb_metadata_set(skb.as_raw(), meta) };
                Ok(skb)
            }
            None => Err(frag),
        }
    }

    /// Hands a received frame to the stack through GRO (after setting its
    /// protocol from the Ethernet header).
    pub fn receive<T: Operations>(&self, dev: &Netdev<T>, skb: Skb) {
        let raw = skb.into_raw();
        // SAFETY: we own `raw`, a frame of `dev` with at least an Ethernet
        // header (the caller checked its length); GRO takes ownership. A
        // non-zero budget means a real NAPI context, where GRO may run.
        unsafe {
            let proto = bindings::eth_type_trans(raw, dev.as_raw());
            bindings::re1000_skb_set_protocol(raw, proto);
            bindings::re1000_napi_gro_receive(self.napi, raw);
        }
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
        flush: Cell::new(false),
        _p: PhantomData,
    };
    if budget <= 0 {
        // Netpoll: transmit completion only, and never a completion of NAPI.
        // SAFETY: polls of one instance are serialised by NAPI (netpoll
        // takes the instance's poll owner) and happen only while it is
        // enabled, when the state belongs to the poll function.
        if let Some(state) = (unsafe { &mut *this.state.get() }).as_mut() {
            let _ = T::poll(dev, &mut ctx, state, 0);
        }
        return 0;
    }
    let limit = budget as usize;
    // SAFETY: as above; this borrow ends before `complete` (below), after
    // which the state is not touched.
    let round = match (unsafe { &mut *this.state.get() }).as_mut() {
        Some(state) => T::poll(dev, &mut ctx, state, limit),
        None => Round::Done(0),
    };
    if ctx.flush.get() {
        // Frames a program redirected go to their targets now, in the poll
        // that redirected them (bottom halves still off, the core's
        // bpf_net_context still set) and before it may complete.
        // SAFETY: a NAPI poll with a non-zero budget, as above.
        unsafe { bindings::re1000_xdp_do_flush() };
    }
    let work = match round {
        // NAPI polls again only if the whole budget is reported.
        Round::Done(work) if work < limit => work,
        _ => return budget,
    };
    // From here on the state is not ours (see the trait's `# Completion`).
    if ctx.complete(work) {
        T::completed(dev);
    }
    work as c_int
}
