// SPDX-License-Identifier: GPL-2.0

//! Pages for receive buffers: a jumbo frame is received into page-sized
//! buffers, one per descriptor, which become the fragments of its sk_buff
//! (order-0 allocations instead of one contiguous buffer per frame).
//!
//! A fresh [`Page`] gives no access to its bytes (they are not initialised).
//! Mapped for the device (`dma::RxPage`), it is the device's; unmapped
//! again it comes back as an [`RxFrag`]: the page and how many bytes the
//! device wrote at its start, which only an sk_buff takes (as a fragment,
//! or a copy into its linear part).
//!
//! C header: [`include/linux/mm.h`](srctree/include/linux/mm.h)
//! C header: [`include/linux/skbuff.h`](srctree/include/linux/skbuff.h)

use super::bindings;
use core::ptr::NonNull;

/// Bytes in a page (and in a page receive buffer).
pub const PAGE_SIZE: usize = bindings::RE1000_PAGE_SIZE;

/// An order-0 page.
///
/// # Invariants
///
/// `ptr` is a valid order-0 `struct page` in the kernel's direct map
/// (`page_address` is its memory), on which this value holds one reference.
pub struct Page {
    ptr: NonNull<bindings::page>,
}

// SAFETY: a page reference may be used and dropped on any CPU.
unsafe impl Send for Page {}

impl Page {
    /// A page for a receive buffer, allocated as a driver's receive path
    /// does (`dev_alloc_page`: atomic, may use the memory reserves, no
    /// warning on failure); with `may_sleep`, outside atomic context
    /// (`GFP_KERNEL`, for filling a new ring).
    pub fn alloc_rx(may_sleep: bool) -> Option<Self> {
        // SAFETY: no preconditions; a non-null result is an order-0 page
        // (never highmem: the flags have no __GFP_HIGHMEM) we hold.
        let ptr = unsafe { bindings::re1000_dev_alloc_page(i32::from(may_sleep)) };
        // INVARIANT: as above.
        NonNull::new(ptr).map(|ptr| Self { ptr })
    }

    pub(super) fn as_raw(&self) -> *mut bindings::page {
        self.ptr.as_ptr()
    }

    /// Gives up the reference without dropping it.
    pub(super) fn into_raw(self) -> *mut bindings::page {
        let ptr = self.ptr.as_ptr();
        core::mem::forget(self);
        ptr
    }

    /// The page's memory.
    pub(super) fn address(&self) -> *mut u8 {
        // SAFETY: a valid page in the direct map (type invariant).
        unsafe { bindings::re1000_page_address(self.as_raw()).cast() }
    }
}

impl Drop for Page {
    fn drop(&mut self) {
        // SAFETY: we hold one reference (type invariant), dropped once here.
        unsafe { bindings::re1000_put_page(self.as_raw()) };
    }
}

/// A page whose first `len` bytes a device wrote, no longer mapped: part of
/// a received frame, for [`Skb::add_rx_frag`](super::skb::Skb::add_rx_frag) or
/// [`Skb::put_frag_head`](super::skb::Skb::put_frag_head).
///
/// # Invariants
///
/// The first `len` (at most [`PAGE_SIZE`]) bytes of `page` are initialised
/// and mapped for no device.
pub struct RxFrag {
    page: Page,
    len: u32,
}

impl RxFrag {
    /// # Safety
    ///
    /// The first `len` bytes of `page` are initialised (the device wrote
    /// them) and no longer mapped for a device; `len <= PAGE_SIZE`.
    pub(super) unsafe fn new(page: Page, len: usize) -> Self {
        // INVARIANT: the caller's guarantee.
        Self {
            page,
            len: len as u32,
        }
    }

    /// Bytes of the frame in the page.
    pub fn len(&self) -> usize {
        self.len as usize
    }

    /// Whether the page holds none of the frame.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The start of the page's memory.
    pub(super) fn address(&self) -> *const u8 {
        self.page.address()
    }

    pub(super) fn into_page(self) -> Page {
        self.page
    }
}
