// SPDX-License-Identifier: GPL-2.0

//! Multi-buffer XDP: programs loaded for frames over several buffers
//! (`xdp.frags`, `BPF_F_XDP_HAS_FRAGS`) run on an [`RxFrame`].
//!
//! The frame's buffers after the first become the xdp_buff's fragments, in
//! the first buffer's page (its `skb_shared_info` room), each with the pool
//! reference its [`RxFrag`] held. While the program runs, the kernel owns
//! them: a program that shortens the frame (`bpf_xdp_adjust_tail`, 7.x's
//! `bpf_xdp_pull_data`) has the kernel give whole fragments back to their
//! pool and move the bytes of others; one that grows it has the kernel clear
//! the bytes after the last fragment's, up to the page's `skb_shared_info`
//! room (the receive queue's fragment size). Afterwards the frame is what the
//! xdp_buff still lists; the layer matches each listed page to the
//! reference it held (a page is one buffer's only) and forgets the others,
//! which the kernel gave back, so no page is returned twice.
//!
//! C header: [`include/net/xdp.h`](srctree/include/net/xdp.h)

use super::super::bindings;
use super::super::napi::RxCtx;
use super::super::netdev::{Netdev, Operations};
use super::super::page_pool::{PagePool, RxFrame, TxPages, MAX_FRAGS};
use super::{head_left_in_page, runnable, ProgRef};
use core::mem::ManuallyDrop;

/// What a program decided on a frame of several buffers, and what the
/// caller owns now: the frame's pages as the program left them.
pub enum FrameVerdict<'a> {
    /// XDP_PASS: the frame, with the program's changes to its head, tail,
    /// fragments and metadata, for the stack.
    Pass(RxFrame),
    /// XDP_DROP: the frame's pages, to recycle.
    Drop(RxFrame),
    /// XDP_ABORTED, an unknown action, a redirect that failed (traced with
    /// `trace_xdp_exception`), or a frame the program could not be run on:
    /// the frame's pages, to recycle.
    Aborted(RxFrame),
    /// XDP_REDIRECT: the frame went to its target (the layer flushes at the
    /// end of the poll).
    Redirected,
    /// XDP_TX: the frame, to send back out of the device.
    Tx(XdpFrameTx<'a>),
}

/// A frame of several buffers a program sent back (XDP_TX), for the
/// driver's transmit ring.
pub struct XdpFrameTx<'a> {
    frame: RxFrame,
    /// The polled device, borrowed for `'a`.
    dev: *mut bindings::net_device,
    prog: ProgRef<'a>,
}

impl XdpFrameTx<'_> {
    /// The frame's bytes, in all its buffers.
    pub fn len(&self) -> usize {
        self.frame.len()
    }

    /// Whether the frame is empty.
    pub fn is_empty(&self) -> bool {
        self.frame.is_empty()
    }

    /// The frame for the device to send, each page in as many descriptors
    /// as its length needs and synced for it ([`PagePool::tx_frame`]). `None` if `pool` does not
    /// take it: the pages recycled, and traced as an exception
    /// (`trace_xdp_exception` with XDP_TX).
    pub fn into_tx(self, pool: &mut PagePool, min_len: usize) -> Option<TxPages> {
        let Self { frame, dev, prog } = self;
        let pages = pool.tx_frame(frame, min_len);
        if pages.is_none() {
            // SAFETY: `dev` is the polled device and `prog` live for this
            // poll.
            unsafe {
                bindings::re1000_xdp_exception(dev, prog.prog.as_ptr(), bindings::RE1000_XDP_TX)
            };
        }
        pages
    }
}

impl<'c> RxCtx<'c> {
    /// Runs `prog`, loaded for multi-buffer frames, on `frame`, pages of
    /// `pool` received on `dev`, its buffers after the first as the
    /// xdp_buff's fragments. A frame the program cannot be run on is
    /// aborted (traced), never passed unseen: a program not loaded for
    /// several buffers, a page of another pool, a head that lacks XDP's
    /// head- or tailroom, or a pool not registered for XDP on `dev`.
    /// [`RxCtx::run_xdp`] is the same for a frame in one buffer.
    pub fn run_xdp_frame<'a, T: Operations>(
        &'a self,
        dev: &'a Netdev<T>,
        prog: ProgRef<'a>,
        pool: &PagePool,
        frame: RxFrame,
    ) -> FrameVerdict<'a> {
        // Every page is `pool`'s and every fragment ends within its room:
        // the queue's fragment size, from which the kernel computes how far
        // it may grow a fragment.
        let rxq = pool.xdp_rxq(frame.head(), dev.as_raw()).filter(|_| {
            frame
                .frags()
                .all(|f| pool.owns(f) && f.offset() + f.len() <= f.room())
        });
        let Some(rxq) = rxq.filter(|_| prog.takes_frags() && runnable(frame.head())) else {
            prog.aborted(dev);
            return FrameVerdict::Aborted(frame);
        };
        let (head, frags) = frame.split();
        // From the run on, the kernel may give any fragment's page back: a
        // reference left here is forgotten, never dropped, on any path.
        let mut frags = ManuallyDrop::new(frags);
        let (page, mut off, mut len) = head.raw();
        let mut meta = 0;
        let mut raw: [bindings::re1000_xdp_frag; MAX_FRAGS] =
            core::array::from_fn(|_| bindings::re1000_xdp_frag {
                page: core::ptr::null_mut(),
                off: 0,
                len: 0,
            });
        let mut nr = 0u32;
        for (r, f) in raw.iter_mut().zip(frags.iter().flatten()) {
            let (page, off, len) = f.raw();
            *r = bindings::re1000_xdp_frag { page, off, len };
            nr += 1;
        }
        // The program may have queued frames for a redirect (even one that
        // failed: a broadcast's first copies): the poll flushes them.
        self.owe_flush();
        // As for `run_xdp`: a NAPI poll (`RxCtx`: bottom halves off, its
        // bpf_net_context set), `rxq` this thread's alone, the head with
        // headroom and `skb_shared_info` room in its page (checked). On
        // return `raw[..nr]` lists the fragments the frame still has; after
        // a redirect none (the target owns every page).
        // `raw` has MAX_SKB_FRAGS entries (helpers.c asserts `MAX_FRAGS` is
        // that), its first `nr` pages of `pool` of one buffer each, ending
        // within the room that is the queue's fragment size (checked above,
        // as `RxqInfo::new` requires), bytes the CPU's.
        // SAFETY: as above; `prog` live for this poll; `raw` as just said,
        // its pages' references given to the kernel by `frags` for the run.
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
                raw.as_mut_ptr(),
                &mut nr,
            )
        };
        if act == bindings::RE1000_XDP_REDIRECT {
            // The target holds the pages now (their references are its own:
            // an xdp_frame in the head returns them to the pool); `frags`
            // is forgotten.
            head.moved();
            return FrameVerdict::Redirected;
        }
        let head_ok = head_left_in_page(off, len, meta, head.room());
        let mut frame = RxFrame::new(if head_ok {
            // SAFETY: what the program left is within the page's room
            // (checked) and the CPU's: the frame's bytes, headroom it wrote
            // (7.x's `bpf_xdp_pull_data` may move them there), bytes the
            // kernel copied in from fragments, or tail it grew (which the
            // kernel clears).
            unsafe { head.adjusted(off, len, meta) }
        } else {
            head
        });
        // The fragments the frame still has, each matched to the reference
        // it holds; a page not listed any more was given back by the kernel.
        let mut frags_ok = true;
        let listed = raw.get(..nr as usize).unwrap_or(&[]);
        for (i, r) in listed.iter().enumerate() {
            let Some(f) = frags
                .iter_mut()
                .find(|f| f.as_ref().is_some_and(|f| f.raw().0 == r.page))
                .and_then(Option::take)
            else {
                frags_ok = false; // not a page of the frame: not ours
                continue;
            };
            let (_, f_off, f_len) = f.raw();
            // Bytes the device wrote (fewer if the kernel took some), and a
            // tail the program grew, which the kernel cleared: only the
            // last fragment's, and only within the page's room, the
            // queue's fragment size (`bpf_xdp_frags_increase_tail`).
            let end_max = if i + 1 == listed.len() {
                (f_off + f_len).max(f.room() as u32)
            } else {
                f_off + f_len
            };
            let within =
                r.off >= f_off && r.off.checked_add(r.len).is_some_and(|end| end <= end_max);
            let f = if within {
                // SAFETY: `r.off..r.off + r.len` lies within the page
                // (checked): the fragment's bytes, initialised and the
                // CPU's, then the tail the kernel grew and cleared.
                unsafe { f.adjusted(r.off, r.len, 0) }
            } else {
                frags_ok = false;
                f
            };
            if let Err(f) = frame.push(f) {
                // Cannot happen: no more than were taken out.
                frags_ok = false;
                drop(f);
            }
        }
        if !head_ok || !frags_ok {
            // Not what the kernel leaves: the frame is not passed on.
            prog.aborted(dev);
            return FrameVerdict::Aborted(frame);
        }
        match act {
            bindings::RE1000_XDP_PASS => FrameVerdict::Pass(frame),
            bindings::RE1000_XDP_DROP => FrameVerdict::Drop(frame),
            bindings::RE1000_XDP_TX => FrameVerdict::Tx(XdpFrameTx {
                frame,
                dev: dev.as_raw(),
                prog,
            }),
            _ => FrameVerdict::Aborted(frame),
        }
    }
}
