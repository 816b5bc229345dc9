// SPDX-License-Identifier: GPL-2.0

//! Frames that span several receive buffers: the pool pages of one frame,
//! in order.
//!
//! A device that spreads a long frame over several buffers (end of packet
//! on the last) gives the driver one [`RxFrag`] per buffer; an [`RxFrame`]
//! holds them until the frame is whole. Its first buffer (the head) is where
//! an sk_buff built around the frame keeps its linear part, and where a
//! multi-buffer XDP frame keeps its `skb_shared_info` (at the page's end);
//! the others become that sk_buff's or XDP frame's fragments, as many as
//! the kernel's `MAX_SKB_FRAGS`.
//!
//! # Examples
//!
//! Chaining the buffers of one frame and handing it to the stack:
//!
//! ```ignore
//! let mut frame = RxFrame::new(pool.complete(first_page, len)?);
//! // ... for each further descriptor of the frame:
//! frame.push(pool.complete(page, len)?).map_err(|frag| too_long(frag))?;
//! // At its last descriptor:
//! let (head, frags) = frame.into_parts();
//! let mut skb = rx_ctx.build_skb(head)?;
//! for frag in frags {
//!     skb.add_rx_frag(frag, 0)?;
//! }
//! ```
//!
//! C header: [`include/linux/skbuff.h`](srctree/include/linux/skbuff.h)

use super::{bindings, PagePool, PoolPage, RxFrag, TxPage};

/// Most buffers of a frame after its first: the kernel's `MAX_SKB_FRAGS`,
/// the fragments an sk_buff or a multi-buffer XDP frame holds.
pub const MAX_FRAGS: usize = bindings::RE1000_MAX_SKB_FRAGS as usize;

/// A received frame over pool pages: its first buffer and up to
/// [`MAX_FRAGS`] more, in the order the device filled them. Dropped, every
/// page goes back to its pool.
///
/// # Invariants
///
/// `frags[..nr]` are `Some`, `frags[nr..]` are `None`; `nr <= MAX_FRAGS`.
pub struct RxFrame {
    head: RxFrag,
    frags: [Option<RxFrag>; MAX_FRAGS],
    nr: usize,
}

impl RxFrame {
    /// A frame whose first buffer is `head` (and so far its only).
    pub fn new(head: RxFrag) -> Self {
        // INVARIANT: no fragments.
        Self {
            head,
            frags: core::array::from_fn(|_| None),
            nr: 0,
        }
    }

    /// Appends the frame's next buffer; `Err` gives it back if the frame
    /// has [`MAX_FRAGS`] already.
    pub fn push(&mut self, frag: RxFrag) -> Result<(), RxFrag> {
        match self.frags.get_mut(self.nr) {
            Some(slot) => {
                *slot = Some(frag);
                // INVARIANT: the slot at `nr` was `None` and is filled.
                self.nr += 1;
                Ok(())
            }
            None => Err(frag),
        }
    }

    /// The first buffer.
    pub fn head(&self) -> &RxFrag {
        &self.head
    }

    /// The buffers after the first, in order.
    pub fn frags(&self) -> impl Iterator<Item = &RxFrag> {
        self.frags.iter().flatten()
    }

    /// How many buffers follow the first.
    pub fn nr_frags(&self) -> usize {
        self.nr
    }

    /// The frame's bytes, in all its buffers.
    pub fn len(&self) -> usize {
        self.frags().fold(self.head.len(), |n, f| n + f.len())
    }

    /// Whether the frame has no bytes.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The first buffer, and the others in order.
    pub fn into_parts(self) -> (RxFrag, impl Iterator<Item = RxFrag>) {
        (self.head, self.frags.into_iter().flatten())
    }

    /// Every page of the frame, to go back to its pool.
    pub fn into_pages(self) -> impl Iterator<Item = PoolPage> {
        let (head, frags) = self.into_parts();
        core::iter::once(head).chain(frags).map(RxFrag::into_page)
    }

    /// Splits the frame into its head and its other buffers, in order
    /// (`None` after the last), for an XDP run to take apart.
    pub(in super::super) fn split(self) -> (RxFrag, [Option<RxFrag>; MAX_FRAGS]) {
        (self.head, self.frags)
    }
}

/// The pool pages of a frame for the device to send (XDP_TX), from
/// [`PagePool::tx_frame`]: each synced for the device, in order, each in
/// one or more transmit descriptors. Dropped, the pages go back to their pool: only
/// once the device has sent the frame, or is stopped.
///
/// # Invariants
///
/// `pages[..nr]` are `Some`, `pages[nr..]` are `None`; `1 <= nr`.
pub struct TxPages {
    pages: [Option<TxPage>; 1 + MAX_FRAGS],
    nr: usize,
}

impl TxPages {
    /// The pages, in order.
    pub fn iter(&self) -> impl Iterator<Item = &TxPage> {
        self.pages.iter().flatten()
    }

    /// How many pages hold the frame (at least one).
    pub fn count(&self) -> usize {
        self.nr
    }

    /// The frame's bytes, in all its pages.
    pub fn len(&self) -> usize {
        self.iter().map(TxPage::len).sum()
    }

    /// Whether the frame has no bytes.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The pages, in order, each to be held until the device has sent it.
    pub fn into_pages(self) -> impl Iterator<Item = TxPage> {
        self.pages.into_iter().flatten()
    }
}

impl PagePool {
    /// Gives every page of `frame` back, each into the cache of its pool if
    /// it is this one's ([`PagePool::recycle`]).
    pub fn recycle_frame(&mut self, frame: RxFrame) {
        for page in frame.into_pages() {
            self.recycle(page);
        }
    }

    /// The frame in `frame`'s pages of this pool, for the device to send
    /// (XDP_TX), each synced for the device as
    /// [`PagePool::tx_page`] does one. `None` (the pages recycled) if
    /// `tx_page` would refuse any of them, or if the frame is shorter than
    /// `min_len` (the padding [`PagePool::tx_page`] gives a frame in one
    /// buffer goes at a frame's end, which a short last buffer may not have
    /// room for).
    pub fn tx_frame(&mut self, frame: RxFrame, min_len: usize) -> Option<TxPages> {
        if frame.len() < min_len
            || !self.may_send(&frame.head, 0)
            || !frame.frags().all(|f| self.may_send(f, 0))
        {
            self.recycle_frame(frame);
            return None;
        }
        let mut pages: [Option<TxPage>; 1 + MAX_FRAGS] = core::array::from_fn(|_| None);
        let mut nr = 0;
        let (head, frags) = frame.into_parts();
        for (slot, frag) in pages.iter_mut().zip(core::iter::once(head).chain(frags)) {
            // SAFETY: checked above for the head and every fragment (no
            // padding).
            *slot = Some(unsafe { self.tx_page_checked(frag, 0) });
            nr += 1;
        }
        // INVARIANT: the head and its fragments (at most `MAX_FRAGS`, the
        // invariant of `RxFrame`) fill the first `nr` slots.
        Some(TxPages { pages, nr })
    }
}
