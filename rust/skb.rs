// SPDX-License-Identifier: GPL-2.0

//! An owned `struct sk_buff`: freed exactly once, on every path.
//!
//! [`Skb`] owns one reference to a socket buffer. Dropping it frees the
//! buffer as a drop (`dev_kfree_skb_any`, valid in any context); handing it to
//! the stack or consuming it after a completed transmit goes through the NAPI
//! context ([`PollCtx`](super::napi::PollCtx)).
//!
//! C header: [`include/linux/skbuff.h`](srctree/include/linux/skbuff.h)

use super::bindings;
use super::page_pool::RxFrag;
use core::ptr::NonNull;
use kernel::error::{code::EINVAL, Result};

/// Most page fragments of an sk_buff.
const MAX_SKB_FRAGS: usize = bindings::RE1000_MAX_SKB_FRAGS as usize;

/// An owned socket buffer.
///
/// # Examples
///
/// A transmit path pads a short frame (which may reallocate it) and asks for
/// the checksum it must insert; dropping an `Skb` frees it:
///
/// ```ignore
/// let mut skb = if skb.len() < ETH_ZLEN {
///     skb.pad_to(ETH_ZLEN)?
/// } else {
///     skb
/// };
/// if let Some((start, place)) = skb.csum_request() {
///     // program the checksum context descriptor
/// }
/// ```
///
/// # Invariants
///
/// `ptr` is a valid `sk_buff` owned by this value alone.
pub struct Skb {
    ptr: NonNull<bindings::sk_buff>,
}

// SAFETY: an owned sk_buff may move between contexts and CPUs (it does so
// through every queue of the stack).
unsafe impl Send for Skb {}

impl Skb {
    /// Takes ownership of `ptr`; `None` if null.
    ///
    /// # Safety
    ///
    /// A non-null `ptr` must be a valid sk_buff whose ownership the caller
    /// transfers to the returned value.
    pub(super) unsafe fn from_raw(ptr: *mut bindings::sk_buff) -> Option<Self> {
        // INVARIANT: the caller transfers ownership of a valid sk_buff.
        NonNull::new(ptr).map(|ptr| Self { ptr })
    }

    /// Gives up ownership without freeing.
    pub(super) fn into_raw(self) -> *mut bindings::sk_buff {
        let ptr = self.ptr.as_ptr();
        core::mem::forget(self);
        ptr
    }

    pub(super) fn as_raw(&self) -> *mut bindings::sk_buff {
        self.ptr.as_ptr()
    }

    pub(super) fn data_ptr(&self) -> *mut u8 {
        // SAFETY: the sk_buff is valid (type invariant).
        unsafe { bindings::re1000_skb_data(self.as_raw()) }
    }

    /// Total bytes of packet data (linear part and fragments).
    pub fn len(&self) -> usize {
        // SAFETY: the sk_buff is valid (type invariant).
        unsafe { bindings::re1000_skb_len(self.as_raw()) as usize }
    }

    /// Whether the buffer holds no data.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Bytes in the linear part.
    pub fn headlen(&self) -> usize {
        // SAFETY: the sk_buff is valid (type invariant).
        unsafe { bindings::re1000_skb_headlen(self.as_raw()) as usize }
    }

    /// Bytes that may still be appended to the linear part.
    pub fn tailroom(&self) -> usize {
        // SAFETY: the sk_buff is valid (type invariant).
        unsafe { bindings::re1000_skb_tailroom(self.as_raw()) as usize }
    }

    /// Bytes that this value alone may append: none if the sk_buff is
    /// shared or cloned (another holder sees the same buffer).
    pub fn writable_tailroom(&self) -> usize {
        // SAFETY: the sk_buff is valid (type invariant).
        unsafe { bindings::re1000_skb_writable_tailroom(self.as_raw()) as usize }
    }

    /// Whether this value alone sees the sk_buff: neither shared (another
    /// reference) nor cloned (another sk_buff on the same data).
    fn exclusive(&self) -> bool {
        // SAFETY: the sk_buff is valid (type invariant).
        unsafe { bindings::re1000_skb_exclusive(self.as_raw()) != 0 }
    }

    /// Number of page fragments.
    pub fn nr_frags(&self) -> usize {
        // SAFETY: the sk_buff is valid (type invariant).
        unsafe { bindings::re1000_skb_nr_frags(self.as_raw()) as usize }
    }

    /// The linear data.
    pub fn data(&self) -> &[u8] {
        // The bytes are initialised: the stack's frames are, `put_data`,
        // `put_frag_head` and `pad_to` write what they add, and a received
        // frame's sk_buff is built around bytes the device wrote and the pool
        // synced for the CPU (`RxFrag`). No buffer the device may write is
        // reachable through an `Skb`.
        // SAFETY: `data_ptr()` points to `headlen()` initialised bytes that
        // live as long as the sk_buff, which `&self` borrows.
        unsafe { core::slice::from_raw_parts(self.data_ptr(), self.headlen()) }
    }

    /// Appends a copy of the `len` bytes at `src`, read through raw pointers
    /// (no reference is formed over them).
    ///
    /// # Safety
    ///
    /// `src` is valid for reads of `len` bytes, outside this sk_buff's tailroom,
    /// and `len <= self.writable_tailroom()`.
    pub(super) unsafe fn put_raw(&mut self, src: *const u8, len: usize) {
        // SAFETY: valid sk_buff with `len` bytes of tailroom (caller);
        // `skb_put` returns a pointer to them, which do not overlap `src`.
        unsafe {
            let dst = bindings::skb_put(self.as_raw(), len as u32);
            core::ptr::copy_nonoverlapping(src, dst.cast::<u8>(), len);
        }
    }

    /// Appends a copy of `bytes` to the data;
    /// `EINVAL` if the sk_buff lacks the (writable) tailroom.
    pub fn put_data(&mut self, bytes: &[u8]) -> Result {
        if bytes.len() > self.writable_tailroom() {
            return Err(EINVAL);
        }
        // SAFETY: `bytes` is valid for reads and, borrowed while `self` is
        // borrowed mutably, not in this sk_buff's tailroom; enough tailroom
        // (checked above).
        unsafe { self.put_raw(bytes.as_ptr(), bytes.len()) };
        Ok(())
    }

    /// Appends a copy of the first `n` bytes of `frag` to the linear data
    /// (a short frame copied out of its page); `EINVAL` if `frag`
    /// holds fewer or the sk_buff lacks the writable tailroom.
    pub fn put_frag_head(&mut self, frag: &RxFrag, n: usize) -> Result {
        if n > frag.len() || n > self.writable_tailroom() {
            return Err(EINVAL);
        }
        // SAFETY: the frame's first `frag.len() >= n` bytes are initialised
        // and the CPU's (`RxFrag` invariant), in a page that is not this
        // sk_buff's buffer (`frag` owns it); the tailroom is checked above.
        unsafe { self.put_raw(frag.data(), n) };
        Ok(())
    }

    /// Adds the frame's bytes in `frag` from `skip` on as the next page
    /// fragment: the sk_buff takes the page (its true size counts the whole
    /// page) and, marked for recycling, gives it back to its pool when
    /// freed. `Err` gives `frag` back if `skip` is past its bytes, or the
    /// sk_buff is shared, cloned or out of fragment slots.
    pub fn add_rx_frag(&mut self, frag: RxFrag, skip: usize) -> Result<(), RxFrag> {
        if skip > frag.len() || self.nr_frags() >= MAX_SKB_FRAGS || !self.exclusive() {
            return Err(frag);
        }
        if skip == frag.len() {
            return Ok(()); // nothing of the frame left in the page: it goes
        }
        let (page, offset, len) = frag.raw();
        let skip = skip as u32;
        // SAFETY: valid sk_buff, ours alone, with a free fragment slot
        // (checked above); the pool page's reference moves into it (`frag`
        // gives it up below), and its bytes `offset + skip..offset + len`
        // are initialised and the CPU's (`RxFrag` invariant).
        unsafe { bindings::re1000_skb_add_pp_frag(self.as_raw(), page, offset + skip, len - skip) };
        frag.moved();
        Ok(())
    }

    /// The 802.1Q tag the stack wants inserted, if any.
    pub fn vlan_tag(&self) -> Option<u16> {
        // SAFETY: the sk_buff is valid (type invariant).
        let tag = unsafe { bindings::re1000_skb_vlan_tag(self.as_raw()) };
        u16::try_from(tag).ok()
    }

    /// Records a received frame's stripped 802.1Q tag.
    pub fn set_vlan_tag(&mut self, tci: u16) {
        // SAFETY: the sk_buff is valid (type invariant).
        unsafe { bindings::re1000_skb_put_vlan_tag(self.as_raw(), tci) };
    }

    /// Takes the software transmit timestamp, if one was requested.
    pub fn tx_timestamp(&mut self) {
        // SAFETY: the sk_buff is valid (type invariant).
        unsafe { bindings::re1000_skb_tx_timestamp(self.as_raw()) };
    }

    /// Extends the frame with zeroes to `len` bytes (its length becomes
    /// `len`). On failure the kernel has freed the buffer, so it is consumed
    /// either way.
    pub fn pad_to(self, len: usize) -> Result<Self> {
        let ptr = self.into_raw();
        // SAFETY: we own `ptr`; `skb_padto` frees it when it fails.
        if unsafe { bindings::re1000_skb_padto(ptr, len as u32) } != 0 {
            return Err(kernel::error::code::ENOMEM);
        }
        // SAFETY: on success we still own the (possibly reallocated data of) `ptr`.
        unsafe { Self::from_raw(ptr) }.ok_or(EINVAL)
    }
}

/// Where a TSO frame's headers are, after [`Skb::prepare_tso`].
#[derive(Clone, Copy, Debug)]
pub struct TsoInfo {
    /// Offset of the IP header.
    pub network_offset: u16,
    /// Offset of the TCP header.
    pub transport_offset: u16,
    /// Bytes of all headers (Ethernet, IP, TCP).
    pub hdr_len: u16,
    /// Payload bytes per segment.
    pub mss: u16,
    /// Number of segments the device will send.
    pub segs: u16,
    /// IPv4 (the device fills in the IP checksum) rather than IPv6.
    pub ipv4: bool,
}

/// Where a TCP GSO frame's headers are, read without changing the frame.
#[derive(Clone, Copy, Debug)]
pub struct TsoHeaders {
    /// Offset of the TCP header.
    pub transport_offset: usize,
    /// Bytes of all headers (Ethernet, IP and extensions, TCP).
    pub hdr_len: usize,
}

impl Skb {
    /// For a TCP GSO frame (IPv4 or IPv6), where its headers are; `None`
    /// for any other frame.
    pub fn tso_headers(&self) -> Option<TsoHeaders> {
        let (mut transport_offset, mut hdr_len) = (0u32, 0u32);
        // SAFETY: the sk_buff is valid (type invariant); the helper only
        // reads it, and the out-parameters are valid.
        let ret = unsafe {
            bindings::re1000_skb_tso_headers(self.as_raw(), &mut transport_offset, &mut hdr_len)
        };
        (ret == 0).then_some(TsoHeaders {
            transport_offset: transport_offset as usize,
            hdr_len: hdr_len as usize,
        })
    }

    /// The segment size of a GSO frame, 0 for a plain one.
    pub fn gso_size(&self) -> u16 {
        // SAFETY: the sk_buff is valid (type invariant).
        unsafe { bindings::re1000_skb_gso_size(self.as_raw()) as u16 }
    }

    /// Prepares a TCP GSO frame's headers for the device to segment it.
    pub fn prepare_tso(&mut self) -> Result<TsoInfo> {
        let mut info = bindings::re1000_tso_info::default();
        // SAFETY: we own the sk_buff; `info` is a valid out-parameter.
        kernel::error::to_result(unsafe {
            bindings::re1000_skb_tso_prepare(self.as_raw(), &mut info)
        })?;
        Ok(TsoInfo {
            network_offset: info.network_offset,
            transport_offset: info.transport_offset,
            hdr_len: info.hdr_len,
            mss: info.mss,
            segs: info.segs,
            ipv4: info.ipv4 != 0,
        })
    }

    /// For a frame whose checksum the device must insert (CHECKSUM_PARTIAL):
    /// (offset where summing starts, offset where the sum goes).
    pub fn csum_request(&self) -> Option<(usize, usize)> {
        // SAFETY: the sk_buff is valid (type invariant).
        unsafe {
            if bindings::re1000_skb_csum_partial(self.as_raw()) == 0 {
                return None;
            }
            let start = bindings::re1000_skb_csum_start(self.as_raw()) as usize;
            Some((
                start,
                start + bindings::re1000_skb_csum_offset(self.as_raw()) as usize,
            ))
        }
    }

    /// Computes a requested checksum in software instead.
    pub fn checksum_help(&mut self) -> Result {
        // SAFETY: we own the sk_buff.
        kernel::error::to_result(unsafe { bindings::skb_checksum_help(self.as_raw()) })
    }
}

impl Drop for Skb {
    fn drop(&mut self) {
        // SAFETY: we own the sk_buff (type invariant); freed exactly once.
        unsafe { bindings::re1000_skb_free_any(self.as_raw()) };
    }
}
