// SPDX-License-Identifier: GPL-2.0

//! Native XDP: programs attached to a device, run by its NAPI poll on each
//! received frame before any sk_buff exists.
//!
//! - [`XdpProg`] owns a reference to a program (`bpf_prog_put` on drop).
//! - [`XdpSetup`] is an `ndo_bpf` XDP_SETUP_PROG call in progress, holding
//!   the program the core attaches (or none: detach). The driver's
//!   [`Operations::xdp_setup`](super::netdev::Operations::xdp_setup) (the
//!   trampoline is installed only if the driver implements it) either
//!   refuses, or installs exactly that program with [`XdpSetup::install`],
//!   whose [`XdpInstalled`] is the only way to return success. A detach
//!   cannot be refused (the layer detaches if the driver did not).
//! - The program lives in the layer's part of the device (a `ProgSlot`),
//!   not the driver's, so the program the core shows as attached is always
//!   the one the poll runs: the poll reads it ([`Netdev::xdp_prog`], with
//!   its [`RxCtx`]) while `ndo_bpf` swaps it, putting the old one only once
//!   no poll can still be running it.
//! - The receive queue as XDP sees it (`xdp_rxq_info`, MEM_TYPE_PAGE_POOL)
//!   belongs to the ring's [`PagePool`], which registers it when made and
//!   unregisters it before the pool is destroyed.
//! - [`RxCtx::run_xdp`] runs a program on an [`RxFrag`] (a frame in one
//!   buffer) and gives a [`Verdict`] that carries what the caller now owns;
//!   [`RxCtx::run_xdp_frame`] does the same for a frame over several
//!   buffers, as a multi-buffer frame, for programs loaded for them
//!   (`xdp.frags`).
//! - [`XdpXmit`] is an `ndo_xdp_xmit` call: frames other devices' programs
//!   redirected here, each an [`XdpFrame`] once the driver takes it
//!   ([`Operations::xdp_xmit`](super::netdev::Operations::xdp_xmit), under
//!   the transmit queue's lock).
//!
//! A redirect leaves frames queued for their targets until `xdp_do_flush`;
//! the layer flushes at the end of every poll that ran a program (a failed
//! redirect may have queued some of a broadcast's copies), before NAPI may
//! complete: no driver can forget it. While the program runs and during
//! the flush, frames the core frees go back to their pool the slow way
//! (`xdp_set_return_frame_no_direct`): the pool's lockless cache is the
//! driver's, used only through `&mut PagePool`.
//!
//! The program is freed (`bpf_prog_put`) only after an RCU grace period
//! since it was last readable from the slot. `bpf_prog_put` itself defers
//! the program's memory past one (`call_rcu` in `__bpf_prog_put_noref`, in
//! 6.12 and 7.3), which covers a poll (bottom halves off, an RCU read-side
//! section since RCU's flavours were merged), but drops its module, BTF and
//! kallsyms references at once; [`XdpSetup::install`] therefore waits for
//! a grace period (`synchronize_net`) before handing back the old program.
//!
//! # Examples
//!
//! A driver takes programs that cannot see frames over several buffers
//! only at an MTU whose frames fit one, and runs the attached program on
//! each frame of its poll ([`RxCtx::run_xdp_frame`] for a frame over
//! several buffers, an [`RxFrame`](super::page_pool::RxFrame)):
//!
//! ```ignore
//! fn xdp_setup<'a>(dev: &Netdev<Self>, setup: XdpSetup<'a>) -> Result<XdpInstalled<'a>> {
//!     if setup.attaches() && !setup.takes_frags() && dev.mtu() > 1500 {
//!         setup.message(c_str!("MTU too large for a program without xdp.frags"));
//!         return Err(EOPNOTSUPP);
//!     }
//!     Ok(setup.install())
//! }
//!
//! // In the poll, with its `RxCtx`:
//! let prog = dev.xdp_prog(ctx);
//! // ... for each frame in one buffer, a page of `pool`:
//! let frag = match prog {
//!     Some(prog) => match ctx.run_xdp(dev, prog, &pool, frag) {
//!         Verdict::Pass(frag) => frag,
//!         Verdict::Drop(page) | Verdict::Aborted(page) => return pool.recycle(page),
//!         Verdict::Redirected => return,
//!         Verdict::Tx(tx) => return send_back(tx.into_tx(&pool, 60)),
//!     },
//!     None => frag,
//! };
//! let skb = ctx.build_skb(frag)?;
//! ```
//!
//! C header: [`include/net/xdp.h`](srctree/include/net/xdp.h)
//! C header: [`include/linux/filter.h`](srctree/include/linux/filter.h)

mod frame;
pub mod multi;

pub use self::frame::{XdpFrame, XdpXmit};
pub use self::multi::FrameVerdict;

/// What a driver does with frames over several buffers (multi-buffer
/// XDP), as its device advertises it
/// ([`Setup::advertise_xdp`](super::netdev::Setup::advertise_xdp)).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MultiBuffer {
    /// The poll runs programs loaded for multi-buffer frames (`xdp.frags`)
    /// on frames over several buffers (`NETDEV_XDP_ACT_RX_SG`).
    pub rx: bool,
    /// [`Operations::xdp_xmit`] sends every buffer of a redirected frame
    /// with fragments ([`XdpTxFrame::bufs`](super::dma::XdpTxFrame::bufs)),
    /// so the core redirects such frames here (`NETDEV_XDP_ACT_NDO_XMIT_SG`;
    /// only for a driver that implements it). Without it the core refuses
    /// them before they reach the driver.
    pub xmit: bool,
}

use super::bindings;
use super::napi::RxCtx;
use super::netdev::{Netdev, Operations};
use super::page_pool::{PagePool, PoolPage, RxFrag, TxPage, XDP_HEADROOM};
// 7.x's `CStr::as_char_ptr` (6.12's `CStr` has it itself).
#[allow(unused_imports)]
use super::CStrExt as _;
use core::cell::Cell;
use core::marker::PhantomData;
use core::ptr::NonNull;
use core::sync::atomic::{AtomicBool, AtomicPtr, Ordering};
use kernel::error::{Error, Result};
use kernel::str::CStr;

/// An owned reference to an XDP program.
///
/// # Invariants
///
/// `prog` is a live `bpf_prog` of which this value holds one reference.
pub struct XdpProg {
    prog: NonNull<bindings::bpf_prog>,
}

// SAFETY: a reference to a program may be dropped from any context and
// CPU (`bpf_prog_put` defers what needs process context).
unsafe impl Send for XdpProg {}
// SAFETY: `&XdpProg` gives the pointer's identity and reads of what was
// fixed when the program was loaded (`aux->xdp_has_frags`), which any
// thread may read while a reference keeps the program live.
unsafe impl Sync for XdpProg {}

impl XdpProg {
    /// Takes a new reference to `prog`.
    ///
    /// # Safety
    ///
    /// `prog` must be a live program (the caller holds a reference for the
    /// duration of the call).
    pub(super) unsafe fn get(prog: NonNull<bindings::bpf_prog>) -> Self {
        // SAFETY: `prog` is live per the contract.
        unsafe { bindings::re1000_bpf_prog_inc(prog.as_ptr()) };
        // INVARIANT: the reference just taken.
        Self { prog }
    }

    /// Whether the program was loaded for multi-buffer frames (`xdp.frags`,
    /// `BPF_F_XDP_HAS_FRAGS`).
    pub fn takes_frags(&self) -> bool {
        // SAFETY: the program is live while we hold our reference.
        unsafe { bindings::re1000_bpf_prog_xdp_has_frags(self.prog.as_ptr()) }
    }

    fn into_raw(self) -> *mut bindings::bpf_prog {
        let p = self.prog.as_ptr();
        core::mem::forget(self);
        p
    }
}

impl Drop for XdpProg {
    fn drop(&mut self) {
        // SAFETY: our reference, given up once (type invariant).
        unsafe { bindings::re1000_bpf_prog_put(self.prog.as_ptr()) };
    }
}

/// A program read from the device in a poll ([`Netdev::xdp_prog`]): usable
/// for that poll.
#[derive(Clone, Copy)]
pub struct ProgRef<'a> {
    prog: NonNull<bindings::bpf_prog>,
    _p: PhantomData<&'a XdpProg>,
}

impl ProgRef<'_> {
    /// Whether the program was loaded for multi-buffer frames (`xdp.frags`).
    pub fn takes_frags(&self) -> bool {
        // SAFETY: the program is live for this poll (`Netdev::xdp_prog`).
        unsafe { bindings::re1000_bpf_prog_xdp_has_frags(self.prog.as_ptr()) }
    }

    /// Traces an XDP_TX frame of this program that `dev` could not send
    /// after all (`trace_xdp_exception`), as [`XdpTx::refuse`] does.
    pub fn tx_failed<T: Operations>(&self, dev: &Netdev<T>) {
        // SAFETY: `dev` is valid and the program live for this poll.
        unsafe {
            bindings::re1000_xdp_exception(
                dev.as_raw(),
                self.prog.as_ptr(),
                bindings::RE1000_XDP_TX,
            )
        };
    }
}

/// The attached program of a device: read by the NAPI poll, swapped by
/// `ndo_bpf`. The layer keeps it in the device's private area.
///
/// # Invariants
///
/// `prog` is null or a program of which the slot holds one reference. A
/// pointer taken out of it is put only after an RCU grace period.
pub(super) struct ProgSlot {
    prog: AtomicPtr<bindings::bpf_prog>,
    /// The attached program does not take multi-buffer frames: written
    /// with `prog` (under RTNL), read without dereferencing it.
    single_buffer: AtomicBool,
}

impl ProgSlot {
    /// An empty slot.
    pub(super) const fn new() -> Self {
        Self {
            prog: AtomicPtr::new(core::ptr::null_mut()),
            single_buffer: AtomicBool::new(false),
        }
    }

    /// Puts `prog` (or nothing) in the slot and puts the program it
    /// replaces once no poll can still be running it: this waits for an
    /// RCU grace period if there was one (`synchronize_net`).
    ///
    /// # Safety
    ///
    /// Process context, no spinlock held (this sleeps); the caller is
    /// `ndo_bpf` (RTNL held), so that the slot follows the core's view.
    unsafe fn swap_in(&self, prog: Option<XdpProg>) {
        let single = prog.as_ref().is_some_and(|p| !p.takes_frags());
        self.single_buffer.store(single, Ordering::Relaxed);
        let new = prog.map_or(core::ptr::null_mut(), XdpProg::into_raw);
        // Release: a poll that reads the new program sees it whole.
        if let Some(old) = NonNull::new(self.prog.swap(new, Ordering::AcqRel)) {
            // Every poll that may have read `old` runs with bottom halves off
            // (`RxCtx`), an RCU read-side section: once a grace period has
            // passed, none holds it any more.
            // SAFETY: process context (the caller's guarantee).
            unsafe { bindings::synchronize_net() };
            // INVARIANT: the slot's reference, now ours; no reader is left.
            drop(XdpProg { prog: old });
        }
    }
}

impl<T: Operations> Netdev<T> {
    /// Whether a native XDP program is attached.
    pub fn xdp_attached(&self) -> bool {
        !self.xdp_slot().prog.load(Ordering::Relaxed).is_null()
    }

    /// Whether a native XDP program is attached that does not take
    /// multi-buffer frames (`xdp.frags`): frames must then fit one receive
    /// buffer. Exact under RTNL (where programs are swapped); elsewhere a
    /// hint.
    pub fn xdp_attached_single_buffer(&self) -> bool {
        self.xdp_attached() && self.xdp_slot().single_buffer.load(Ordering::Relaxed)
    }

    /// The attached native XDP program, for the rest of this poll.
    pub fn xdp_prog<'a>(&'a self, _ctx: &'a RxCtx<'_>) -> Option<ProgRef<'a>> {
        // Acquire: pairs with `swap_in`'s swap. The program stays live while
        // `_ctx` does: `swap_in` waits for a grace period before it puts the
        // program, and a poll (where an `RxCtx` lives) is a read-side
        // section of RCU.
        NonNull::new(self.xdp_slot().prog.load(Ordering::Acquire)).map(|prog| ProgRef {
            prog,
            _p: PhantomData,
        })
    }
}

impl Drop for ProgSlot {
    fn drop(&mut self) {
        if let Some(prog) = NonNull::new(*self.prog.get_mut()) {
            // INVARIANT: `&mut self`: no poll borrows the slot, so none can
            // be running the program.
            drop(XdpProg { prog });
        }
    }
}

/// An `ndo_bpf` XDP_SETUP_PROG call in progress (process context, under
/// RTNL): the program to attach (`None`: detach), and where a refusal says
/// why (the netlink request's extended acknowledgement). Only the
/// trampoline makes one; not `Send`.
pub struct XdpSetup<'a> {
    raw: *mut bindings::netlink_ext_ack,
    prog: Option<XdpProg>,
    slot: &'a ProgSlot,
    done: &'a Cell<bool>,
}

impl<'a> XdpSetup<'a> {
    /// # Safety
    ///
    /// `raw` must be null or valid for `'a`; the value is used only in the
    /// `ndo_bpf` call that made it, and `slot` is that device's.
    pub(super) unsafe fn from_raw(
        raw: *mut bindings::netlink_ext_ack,
        prog: Option<XdpProg>,
        slot: &'a ProgSlot,
        done: &'a Cell<bool>,
    ) -> Self {
        Self {
            raw,
            prog,
            slot,
            done,
        }
    }

    /// Whether a program is to be attached (or replace the attached one);
    /// false: the program is detached.
    pub fn attaches(&self) -> bool {
        self.prog.is_some()
    }

    /// Whether the program to attach was loaded for multi-buffer frames
    /// (`xdp.frags`); false if the call detaches.
    pub fn takes_frags(&self) -> bool {
        self.prog.as_ref().is_some_and(XdpProg::takes_frags)
    }

    /// Sets the message the user sees (`ip link` prints it) on a refusal.
    pub fn message(&self, msg: &'static CStr) {
        // SAFETY: `raw` is null or valid (constructor's contract); the
        // message is static, as the core keeps a pointer to it.
        unsafe { bindings::re1000_extack_set_msg(self.raw, msg.as_char_ptr()) };
    }

    /// Installs the program (or removes the attached one, if this
    /// detaches): the only way to accept the call. The old program is put
    /// once no poll can still be running it, after an RCU grace period:
    /// this sleeps.
    pub fn install(self) -> XdpInstalled<'a> {
        // A driver holding a spinlock here is caught (with
        // CONFIG_DEBUG_ATOMIC_SLEEP) before the grace period.
        // SAFETY: no precondition.
        unsafe { bindings::re1000_might_sleep() };
        self.done.set(true);
        // SAFETY: `ndo_bpf` (the setup exists only there): process context,
        // RTNL held; `slot` is the device's (constructor's contract).
        unsafe { self.slot.swap_in(self.prog) };
        XdpInstalled { _p: PhantomData }
    }

    /// Detaches whatever is attached, for a detach the driver did not
    /// carry out.
    ///
    /// # Safety
    ///
    /// As for [`XdpSetup::from_raw`]: in the `ndo_bpf` call, `slot` the
    /// device's.
    pub(super) unsafe fn force_detach(slot: &ProgSlot) {
        // SAFETY: the caller's guarantee.
        unsafe { slot.swap_in(None) };
    }
}

/// Proof that an XDP_SETUP_PROG call installed its program
/// ([`XdpSetup::install`]): what
/// [`Operations::xdp_setup`](super::netdev::Operations::xdp_setup) returns
/// on success. It cannot outlive the call.
pub struct XdpInstalled<'a> {
    _p: PhantomData<&'a Cell<bool>>,
}

/// The receive queue of a page pool as XDP sees it (`xdp_rxq_info` with
/// MEM_TYPE_PAGE_POOL). Owned by its [`PagePool`], which drops it before it
/// destroys itself.
///
/// # Invariants
///
/// `rxq` was made by `re1000_xdp_rxq_new` for the pool that owns this
/// value, and is freed (unregistered) once, in drop.
pub(super) struct RxqInfo {
    rxq: NonNull<bindings::xdp_rxq_info>,
    /// The device it was registered for: compared, never dereferenced.
    dev: *mut bindings::net_device,
}

impl RxqInfo {
    /// Registers queue `queue` of `dev`, its buffers from `pool`, whose
    /// fragments a program may grow up to `frag_size` bytes from their
    /// page's start (`bpf_xdp_adjust_tail`, the kernel clearing what it
    /// adds). Process context.
    ///
    /// # Safety
    ///
    /// `pool` must be a live page pool whose pages hold at least
    /// `frag_size` bytes, every fragment run on this queue must end within
    /// `frag_size` bytes of its page's start (the kernel computes its
    /// tailroom from that, and warns below zero), and the value must be
    /// dropped before the pool is destroyed.
    pub(super) unsafe fn new<T: Operations>(
        dev: &Netdev<T>,
        queue: u32,
        pool: *mut bindings::page_pool,
        frag_size: u32,
    ) -> Result<Self> {
        let mut err = 0;
        // SAFETY: `dev` is valid, `pool` live with pages of `frag_size`
        // bytes or more (contract).
        let rxq =
            unsafe { bindings::re1000_xdp_rxq_new(dev.as_raw(), queue, pool, frag_size, &mut err) };
        let rxq = NonNull::new(rxq).ok_or_else(|| Error::from_errno(err))?;
        // INVARIANT: just registered for `pool`.
        Ok(Self {
            rxq,
            dev: dev.as_raw(),
        })
    }
}

impl RxqInfo {
    pub(super) fn raw(&self) -> *mut bindings::xdp_rxq_info {
        self.rxq.as_ptr()
    }

    /// The device the queue belongs to (its `xdp_rxq_info.dev`).
    pub(super) fn dev(&self) -> *mut bindings::net_device {
        self.dev
    }
}

impl Drop for RxqInfo {
    fn drop(&mut self) {
        // SAFETY: registered by `new` and freed once, here, before the pool
        // goes (the owner's guarantee).
        unsafe { bindings::re1000_xdp_rxq_free(self.rxq.as_ptr()) };
    }
}

// SAFETY: the registration may be dropped from any CPU.
unsafe impl Send for RxqInfo {}

/// What a program decided, and what the caller owns now.
pub enum Verdict<'a> {
    /// XDP_PASS: the frame, with the program's changes to its head, tail
    /// and metadata, for the stack.
    Pass(RxFrag),
    /// XDP_DROP: the page, to recycle.
    Drop(PoolPage),
    /// XDP_ABORTED, an unknown action, or a redirect that failed (traced
    /// with `trace_xdp_exception`): the page, to recycle.
    Aborted(PoolPage),
    /// XDP_REDIRECT: the frame went to its target (the layer flushes at the
    /// end of the poll).
    Redirected,
    /// XDP_TX: the frame, to send back out of the device.
    Tx(XdpTx<'a>),
}

/// A frame a program sent back (XDP_TX), for the driver's transmit ring.
pub struct XdpTx<'a> {
    frag: RxFrag,
    /// The polled device, borrowed for `'a`.
    dev: *mut bindings::net_device,
    prog: ProgRef<'a>,
}

impl XdpTx<'_> {
    /// The frame's bytes in the page.
    pub fn len(&self) -> usize {
        self.frag.len()
    }

    /// Whether the frame is empty.
    pub fn is_empty(&self) -> bool {
        self.frag.is_empty()
    }

    /// The frame for the device to send: padded to `min_len` and synced
    /// (see [`PagePool::tx_page`]). `Err` (traced as [`XdpTx::refuse`]) if
    /// `pool` is not the frame's.
    pub fn into_tx(self, pool: &PagePool, min_len: usize) -> Result<TxPage, PoolPage> {
        let Self { frag, dev, prog } = self;
        pool.tx_page(frag, min_len)
            .map_err(|frag| XdpTx { frag, dev, prog }.refuse())
    }

    /// The frame cannot be sent: traced as an exception (`trace_xdp_exception`
    /// with XDP_TX), and the page, to recycle.
    pub fn refuse(self) -> PoolPage {
        // SAFETY: `dev` is the polled device and `prog` live for this poll.
        unsafe {
            bindings::re1000_xdp_exception(
                self.dev,
                self.prog.prog.as_ptr(),
                bindings::RE1000_XDP_TX,
            )
        };
        self.frag.into_page()
    }
}

impl<'c> RxCtx<'c> {
    /// Runs `prog` on the frame in `frag`, a page of `pool`, received on
    /// `dev`. A frame the program cannot be run on (a page of another
    /// pool, a pool not registered for XDP on `dev`, a frame without XDP's
    /// head- or tailroom) is aborted (traced), never passed unseen.
    pub fn run_xdp<'a, T: Operations>(
        &'a self,
        dev: &'a Netdev<T>,
        prog: ProgRef<'a>,
        pool: &PagePool,
        frag: RxFrag,
    ) -> Verdict<'a> {
        // XDP's headroom in front, room for `skb_shared_info` behind: what
        // the kernel assumes of an xdp_buff of one page.
        let rxq = pool.xdp_rxq(&frag, dev.as_raw());
        let Some(rxq) = rxq.filter(|_| runnable(&frag)) else {
            prog.aborted(dev);
            return Verdict::Aborted(frag.into_page());
        };
        let (page, mut off, mut len) = frag.raw();
        let mut meta = 0;
        // The program may have queued frames for a redirect (even one that
        // failed: a broadcast's first copies): the poll flushes them.
        self.owe_flush();
        // A NAPI poll with a non-zero budget (`RxCtx`): bottom halves are
        // off and the core set the poll's bpf_net_context, as running a
        // program and redirecting need. `rxq` is used by this thread alone
        // (`PagePool` is not `Sync`), so the helper may store the poll's NAPI
        // id in it. The program may move the frame's start into the headroom
        // (the page's first bytes, which no device writes) and its end up to
        // the page's `skb_shared_info` room (the frame size given is the
        // page's), and the kernel keeps it within those.
        // SAFETY: in a NAPI poll (above); `prog` live for this poll
        // (`Netdev::xdp_prog`), `rxq` registered for the page's pool; the
        // frame's bytes the CPU's (`RxFrag` invariant); no fragment list.
        let act = unsafe {
            bindings::re1000_xdp_run(
                dev.as_raw(),
                self.napi_raw(),
                prog.prog.as_ptr(),
                rxq,
                page,
                &mut off,
                &mut len,
                &mut meta,
                core::ptr::null_mut(),
                &mut 0,
            )
        };
        let room = frag.room();
        if act != bindings::RE1000_XDP_REDIRECT && !head_left_in_page(off, len, meta, room) {
            // Not what the kernel leaves: the frame is not passed on.
            prog.aborted(dev);
            return Verdict::Aborted(frag.into_page());
        }
        match act {
            bindings::RE1000_XDP_PASS => {
                // SAFETY: what the program left is within the page's room
                // (checked) and the CPU's: the frame's bytes, headroom it
                // wrote, or tail it grew (which the kernel clears).
                Verdict::Pass(unsafe { frag.adjusted(off, len, meta) })
            }
            bindings::RE1000_XDP_DROP => Verdict::Drop(frag.into_page()),
            bindings::RE1000_XDP_REDIRECT => {
                // The target holds the page now (its reference is its own:
                // an xdp_frame in the page returns it to the pool).
                frag.moved();
                Verdict::Redirected
            }
            bindings::RE1000_XDP_TX => Verdict::Tx(XdpTx {
                // SAFETY: as for XDP_PASS.
                frag: unsafe { frag.adjusted(off, len, meta) },
                dev: dev.as_raw(),
                prog,
            }),
            _ => Verdict::Aborted(frag.into_page()),
        }
    }
}

/// Whether a program can be run on a frame whose first buffer is `head`:
/// XDP's headroom in front, room for `skb_shared_info` behind (what the
/// kernel assumes of an xdp_buff of one page).
fn runnable(head: &RxFrag) -> bool {
    head.offset() >= XDP_HEADROOM && head.offset() + head.len() <= head.room()
}

/// Whether the head as a program left it (`off`, `len`, `meta` bytes of
/// metadata in front) lies within its page's room (`room`): the kernel
/// keeps it there (`xdp_data_hard_end` with the page as frame size), and
/// the layer checks before it relies on that.
fn head_left_in_page(off: u32, len: u32, meta: u32, room: usize) -> bool {
    meta <= off && off.checked_add(len).is_some_and(|end| end as usize <= room)
}

impl ProgRef<'_> {
    /// Traces a frame of this program that `dev` aborts
    /// (`trace_xdp_exception` with XDP_ABORTED).
    fn aborted<T: Operations>(&self, dev: &Netdev<T>) {
        // SAFETY: `dev` is valid and the program live for this poll.
        unsafe {
            bindings::re1000_xdp_exception(
                dev.as_raw(),
                self.prog.as_ptr(),
                bindings::RE1000_XDP_ABORTED,
            )
        };
    }
}
