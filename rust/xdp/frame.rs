// SPDX-License-Identifier: GPL-2.0

//! Frames other devices' XDP programs redirect to this one (`ndo_xdp_xmit`).
//!
//! The core hands a driver a batch of `struct xdp_frame`s; the driver sends
//! some, in order, and the core frees the rest. [`XdpXmit`] is that batch:
//! each frame the driver takes from it is an [`XdpFrame`] the driver owns
//! (sent, or dropped: then given back to its memory by the layer), and a
//! frame the driver cannot send goes back with [`XdpXmit::give_back`], which
//! ends the batch there: what the core frees is always the frames after the
//! last one the driver kept, as it expects. No frame can be both kept and
//! freed by the core, or freed twice.
//!
//! A frame's bytes belong to whoever sent it here until it is given back;
//! the layer gives no access to them. The driver maps the frame for the
//! device ([`dma::Device::map_xdp`](super::super::dma::Device::map_xdp)),
//! which owns it until it is unmapped.
//!
//! C header: [`include/net/xdp.h`](srctree/include/net/xdp.h)

use super::super::bindings;
use core::ptr::NonNull;

/// A frame redirected to this device, owned: given back to its memory (its
/// page pool, or the page allocator) when dropped (`xdp_return_frame`).
///
/// # Invariants
///
/// `raw` is a live `xdp_frame` that belongs to this value alone.
pub struct XdpFrame {
    raw: NonNull<bindings::xdp_frame>,
}

// SAFETY: a frame may be sent and given back from any CPU (the core's own
// redirect queues move frames between CPUs).
unsafe impl Send for XdpFrame {}

impl XdpFrame {
    /// The length in bytes of the frame's linear part (all of it, unless it
    /// has fragments: [`Self::total_len`]).
    pub fn len(&self) -> usize {
        // SAFETY: the frame is live (type invariant).
        unsafe { bindings::re1000_xdp_frame_len(self.raw.as_ptr()) as usize }
    }

    /// Whether the frame is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether the frame has fragments beyond its linear part (multi-buffer
    /// XDP): a device that sends only the linear part must refuse it.
    pub fn has_frags(&self) -> bool {
        // SAFETY: the frame is live (type invariant).
        unsafe { bindings::re1000_xdp_frame_has_frags(self.raw.as_ptr()) }
    }

    /// The number of buffers the frame is in: its linear part, then its
    /// fragments (multi-buffer XDP), in order.
    pub fn bufs(&self) -> usize {
        // SAFETY: the frame is live (type invariant).
        1 + unsafe { bindings::re1000_xdp_frame_nr_frags(self.raw.as_ptr()) } as usize
    }

    /// The length of buffer `i` ([`Self::bufs`]): the linear part's for 0,
    /// then each fragment's; 0 past the last.
    pub fn buf_len(&self, i: usize) -> usize {
        match i {
            0 => self.len(),
            // SAFETY: the frame is live (type invariant); the helper checks
            // the index against the frame's fragments.
            _ => u32::try_from(i - 1).map_or(0, |f| unsafe {
                bindings::re1000_xdp_frame_frag_len(self.raw.as_ptr(), f) as usize
            }),
        }
    }

    /// The frame's length in bytes, all its buffers together.
    pub fn total_len(&self) -> usize {
        // SAFETY: the frame is live (type invariant).
        unsafe { bindings::re1000_xdp_frame_total_len(self.raw.as_ptr()) as usize }
    }

    /// The frame, for the layer's mapping of its fragments.
    pub(in super::super) fn as_raw(&self) -> *mut bindings::xdp_frame {
        self.raw.as_ptr()
    }

    /// The start of the frame's bytes, for mapping.
    pub(in super::super) fn data_ptr(&self) -> *mut u8 {
        // SAFETY: the frame is live (type invariant).
        unsafe { bindings::re1000_xdp_frame_data(self.raw.as_ptr()).cast() }
    }

    /// Gives up ownership without giving the frame back.
    fn into_raw(self) -> NonNull<bindings::xdp_frame> {
        let raw = self.raw;
        core::mem::forget(self);
        raw
    }
}

impl Drop for XdpFrame {
    fn drop(&mut self) {
        // SAFETY: ours alone (type invariant), given back once, here. In
        // hard interrupt context or with interrupts off the helper leaks it
        // with a warning instead (a page pool's lock needs bottom halves off).
        unsafe { bindings::re1000_xdp_return_frame(self.raw.as_ptr()) };
    }
}

/// One `ndo_xdp_xmit` call's frames, in order: an iterator of the
/// [`XdpFrame`]s the driver takes. Only the layer's trampoline makes one.
///
/// # Invariants
///
/// `kept <= next`. Until a frame is given back, `kept == next`:
/// `frames[..next]` were handed out (owned by their [`XdpFrame`]s, or null
/// entries skipped) and `frames[next..]` are still the core's. Once one is
/// given back, `frames[kept]` is that frame, `next` is the end (nothing
/// more is handed out), and `frames[kept..]` are the core's. The core
/// frees `frames[kept..]`.
pub struct XdpXmit<'a> {
    frames: &'a [*mut bindings::xdp_frame],
    next: usize,
    kept: usize,
    flush: bool,
}

impl<'a> XdpXmit<'a> {
    /// # Safety
    ///
    /// `frames` are the live frames of one `ndo_xdp_xmit` call, each of them
    /// the core's to hand over, and the value is used only during that call.
    pub(in super::super) unsafe fn new(
        frames: &'a [*mut bindings::xdp_frame],
        flush: bool,
    ) -> Self {
        // INVARIANT: nothing handed out yet.
        Self {
            frames,
            next: 0,
            kept: 0,
            flush,
        }
    }

    /// Whether the core asked for the frames to reach the device now
    /// (`XDP_XMIT_FLUSH`); otherwise another call may follow before the
    /// tail write.
    pub fn flush(&self) -> bool {
        self.flush
    }

    /// Frames not taken yet.
    pub fn remaining(&self) -> usize {
        self.frames.len() - self.next
    }

    /// Gives `frame` back to the core unsent: it and the frames after it
    /// are the core's to free (and count as errors), and the batch ends. A
    /// frame other than the last one taken cannot go back (the core frees
    /// only a tail of the batch): it is dropped, given back to its memory.
    pub fn give_back(&mut self, frame: XdpFrame) {
        let last = self.next.checked_sub(1).and_then(|i| self.frames.get(i));
        if self.kept == self.next && last.is_some_and(|&p| p == frame.raw.as_ptr()) {
            let _ = frame.into_raw();
            // INVARIANT: the last frame handed out is the core's again, and
            // nothing more is handed out.
            self.kept -= 1;
            self.next = self.frames.len();
        } else {
            drop(frame);
        }
    }

    /// The number of frames the driver kept (the call's return value).
    pub(in super::super) fn kept(&self) -> usize {
        self.kept
    }
}

impl Iterator for XdpXmit<'_> {
    type Item = XdpFrame;

    fn next(&mut self) -> Option<XdpFrame> {
        loop {
            let raw = *self.frames.get(self.next)?;
            // INVARIANT: handed out (a null entry, nothing to own, is
            // skipped as if kept: the core frees only what follows).
            self.next += 1;
            self.kept += 1;
            if let Some(raw) = NonNull::new(raw) {
                // INVARIANT: a live frame of the call (constructor's
                // contract), handed out once, now the driver's.
                return Some(XdpFrame { raw });
            }
        }
    }
}
