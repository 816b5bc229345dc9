// SPDX-License-Identifier: GPL-2.0

//! Page pools: receive buffers that a pool maps for the device once and
//! recycles.
//!
//! A [`PagePool`] hands out pages ([`PoolPage`]) of the order it was made
//! for, mapped for its device to write into, and syncs for the device the
//! part of each that the device may write (`offset..offset + max_len`)
//! whenever it hands one out.
//! Pages come back to it from wherever they end: dropped by the driver, or
//! freed with the sk_buff that carried them to the stack (such sk_buffs are
//! marked for recycling). The kernel keeps the pool's memory and mappings
//! until its last page is back, so a page never outlives what it needs.
//!
//! A page the device wrote a frame into becomes an [`RxFrag`] through
//! [`PagePool::complete`], which syncs the frame's bytes for the CPU: only
//! then can they be read, and only by an sk_buff, which takes the page as
//! its head ([`RxCtx::build_skb`](super::napi::RxCtx::build_skb)) or as a
//! fragment ([`Skb::add_rx_frag`](super::skb::Skb::add_rx_frag)), or copies
//! the bytes out.
//!
//! The pool is not linked to a NAPI instance (`page_pool_params.napi`). That
//! link is a raw pointer the pool keeps until it is destroyed, and must be
//! destroyed while the instance is disabled and before it is deleted,
//! which nothing can guarantee for a value that may be leaked or stored
//! anywhere. What the link buys is recycling into the pool's lockless cache
//! from the NAPI context; here [`PagePool::recycle`] does that through
//! `&mut self` (the pool's owner is its only consumer), and pages freed with
//! sk_buffs return through the pool's ring. On an e1000 most frames the
//! stack frees in the poll's context are acknowledgements, which copybreak
//! copies out: their pages are recycled directly anyway.
//!
//! C header: [`include/net/page_pool/types.h`](srctree/include/net/page_pool/types.h)
//! C header: [`include/net/page_pool/helpers.h`](srctree/include/net/page_pool/helpers.h)

use super::bindings;
use super::dma;
use super::netdev::{Netdev, Operations};
use super::xdp::RxqInfo;
use core::ptr::NonNull;
use kernel::error::{code::EINVAL, Error, Result};

mod frame;

pub use self::frame::{RxFrame, TxPages, MAX_FRAGS};

/// Bytes in a page.
pub const PAGE_SIZE: usize = bindings::RE1000_PAGE_SIZE;

/// Room an XDP program may use in front of a frame (`XDP_PACKET_HEADROOM`).
pub const XDP_HEADROOM: usize = bindings::RE1000_XDP_PACKET_HEADROOM as usize;

/// Bytes of a page an sk_buff built around it can hold, headroom included:
/// the rest is its `skb_shared_info`.
pub const SKB_PAGE_ROOM: usize = bindings::RE1000_SKB_PAGE_ROOM;

/// The largest page order a pool takes (`PAGE_ALLOC_COSTLY_ORDER`: larger
/// atomic allocations fail as soon as memory is fragmented).
pub const MAX_ORDER: u32 = 3;

/// The smallest page order whose pages hold `len` bytes at `offset` and
/// the room for `skb_shared_info` behind them (`None` above [`MAX_ORDER`]).
pub const fn order_for(offset: usize, len: usize) -> Option<u32> {
    let mut order = 0;
    while order <= MAX_ORDER {
        if offset + len <= skb_room(order) {
            return Some(order);
        }
        order += 1;
    }
    None
}

/// Bytes of a page of `order` an sk_buff built around it can hold (the
/// rest, at the end, is its `skb_shared_info`).
const fn skb_room(order: u32) -> usize {
    (PAGE_SIZE << order) - (PAGE_SIZE - SKB_PAGE_ROOM)
}

/// How a pool's pages are used.
#[derive(Clone, Copy, Debug)]
pub struct Params {
    /// Pages the pool keeps for reuse: the ring's size.
    pub size: u32,
    /// Each page is `PAGE_SIZE << order` bytes (at most [`MAX_ORDER`]).
    pub order: u32,
    /// Where in a page the device writes.
    pub offset: u32,
    /// Most bytes the device writes from `offset`: they end before the
    /// page's last `skb_shared_info` bytes, so that an sk_buff can be built
    /// around any page.
    pub max_len: u32,
    /// The device may also send from the pages (XDP_TX): they are mapped
    /// DMA_BIDIRECTIONAL rather than DMA_FROM_DEVICE.
    pub tx: bool,
}

/// A page pool.
///
/// # Examples
///
/// A receive ring of 256 buffers of 2048 bytes, with XDP's headroom in
/// front of each:
///
/// ```ignore
/// let params = Params { size: 256, order: 0, offset: XDP_HEADROOM as u32, max_len: 2048, tx: true };
/// let mut pool = PagePool::new(&dma, dev, params)?;
/// let page = pool.alloc(true).ok_or(ENOMEM)?;
/// ring.write(i, rx_desc(page.addr()));
/// // ... the device reports `len` bytes written:
/// let frag = pool.complete(page, len)?;
/// let skb = rx_ctx.build_skb(frag)?;
/// ```
///
/// # Invariants
///
/// `pool` was made by `page_pool_create` with `order` (at most
/// [`MAX_ORDER`]), DMA_BIDIRECTIONAL if `tx` (else DMA_FROM_DEVICE),
/// `PP_FLAG_DMA_MAP | PP_FLAG_DMA_SYNC_DEV`, no NAPI instance, and
/// `offset`/`max_len` as stored here, `offset + max_len` within the room an
/// sk_buff built around a page of `order` leaves (`skb_room`); it is
/// destroyed once, in drop, after `xdp` (registered for it)
/// is dropped. Its allocation cache is used only through `&mut self`.
pub struct PagePool {
    pool: NonNull<bindings::page_pool>,
    order: u32,
    offset: u32,
    max_len: u32,
    tx: bool,
    xdp: Option<RxqInfo>,
}

// SAFETY: a pool may be used from any CPU; what needs one user at a time
// (its allocation cache) takes `&mut self`.
unsafe impl Send for PagePool {}

impl PagePool {
    /// A pool of pages for `dma`'s device to write frames of `dev` into.
    /// Process context. It is listed on `dev` (netdev netlink's
    /// `page-pool-get`) while `dev` is registered.
    pub fn new<T: Operations>(
        dma: &dma::Device<'_>,
        dev: &Netdev<T>,
        params: Params,
    ) -> Result<Self> {
        let end = params.offset as usize + params.max_len as usize;
        if params.size == 0
            || params.max_len == 0
            || params.order > MAX_ORDER
            || end > skb_room(params.order)
        {
            return Err(EINVAL);
        }
        let mut err = 0;
        // SAFETY: both devices are valid for the call; the pool takes its
        // own reference to the DMA device and lists itself on `dev` only in
        // a way that cannot outlive `dev` (see the helper).
        let pool = unsafe {
            bindings::re1000_page_pool_create(
                dma.raw(),
                dev.as_raw(),
                params.size,
                params.order,
                params.offset,
                params.max_len,
                params.tx,
                &mut err,
            )
        };
        let pool = NonNull::new(pool).ok_or_else(|| Error::from_errno(err))?;
        // INVARIANT: made as the type requires, parameters checked above.
        Ok(Self {
            pool,
            order: params.order,
            offset: params.offset,
            max_len: params.max_len,
            tx: params.tx,
            xdp: None,
        })
    }

    /// Registers the pool's pages as receive queue `queue` of `dev` for
    /// XDP (`xdp_rxq_info` with MEM_TYPE_PAGE_POOL), which
    /// [`RxCtx::run_xdp`](super::napi::RxCtx::run_xdp) needs; unregistered
    /// when the pool goes, before it is destroyed. A program may grow a
    /// fragment's tail up to the page's `skb_shared_info` room, as a head's.
    /// Process context; a second call does nothing.
    pub fn enable_xdp<T: Operations>(&mut self, dev: &Netdev<T>, queue: u32) -> Result {
        if self.xdp.is_none() {
            let room = self.room() as u32;
            // SAFETY: the pool is live and its pages hold `room` bytes;
            // only fragments of the pool's pages that end within the room
            // are run on the queue (`run_xdp_frame` checks); the
            // registration is kept in `self` and dropped before the pool is
            // destroyed (`Drop`).
            self.xdp = Some(unsafe { RxqInfo::new(dev, queue, self.pool.as_ptr(), room)? });
        }
        Ok(())
    }

    /// Bytes of each of the pool's pages an sk_buff built around it can
    /// hold, headroom included (the rest is its `skb_shared_info`).
    pub fn room(&self) -> usize {
        skb_room(self.order)
    }

    /// Whether `frag` is a page of this pool.
    pub(super) fn owns(&self, frag: &RxFrag) -> bool {
        frag.page.pool == self.pool
    }

    /// The XDP receive queue `frag` was received on: if it is this pool's
    /// page and the pool is registered as a receive queue of `dev`.
    pub(super) fn xdp_rxq(
        &self,
        frag: &RxFrag,
        dev: *mut bindings::net_device,
    ) -> Option<*mut bindings::xdp_rxq_info> {
        if frag.page.pool != self.pool {
            return None;
        }
        self.xdp
            .as_ref()
            .filter(|x| x.dev() == dev)
            .map(RxqInfo::raw)
    }

    /// A page for the device to write into, its `offset..offset + max_len`
    /// synced for it; `None` if memory is short. With `may_sleep`, in
    /// process context (filling a new ring); otherwise atomically.
    pub fn alloc(&mut self, may_sleep: bool) -> Option<PoolPage> {
        // SAFETY: the pool is live and its cache is ours alone (`&mut self`).
        let page =
            unsafe { bindings::re1000_page_pool_alloc(self.pool.as_ptr(), may_sleep.into()) };
        let page = NonNull::new(page)?;
        // SAFETY: a page of this pool, DMA-mapped by it.
        let dma = unsafe { bindings::re1000_page_pool_dma_addr(page.as_ptr()) };
        // INVARIANT: just handed out by `self.pool`, which maps it; the
        // pool's pages are of `self.order`.
        Some(PoolPage {
            page,
            pool: self.pool,
            addr: dma + u64::from(self.offset),
            room: skb_room(self.order) as u32,
        })
    }

    /// Takes back `page`, into which the device wrote `len` bytes at the
    /// pool's offset: syncs them for the CPU and gives them as an
    /// [`RxFrag`]. `Err` gives the page back if it is another pool's or
    /// `len` exceeds what the device may write.
    pub fn complete(&self, page: PoolPage, len: usize) -> Result<RxFrag, PoolPage> {
        if page.pool != self.pool || len > self.max_len as usize {
            return Err(page);
        }
        // SAFETY: a page of this pool, which mapped it; `offset + len` is
        // within the mapped page (type invariant, `len <= max_len`).
        unsafe {
            bindings::re1000_page_pool_sync_for_cpu(
                self.pool.as_ptr(),
                page.page.as_ptr(),
                len as u32,
            )
        };
        // SAFETY: the device wrote these bytes (the caller took the page
        // from it) and they are now synced for the CPU.
        Ok(unsafe { RxFrag::new(page, self.offset as usize, len) })
    }

    /// The frame of `frag`, a page of this pool, for the device to send
    /// (XDP_TX): padded with zeroes to `min_len` bytes if shorter, and
    /// synced for the device. `Err` gives `frag` back if it is another
    /// pool's, the pool's pages are not for sending (`Params::tx`), or
    /// padding would reach into the page's last `skb_shared_info` bytes.
    pub fn tx_page(&self, frag: RxFrag, min_len: usize) -> Result<TxPage, RxFrag> {
        if !self.may_send(&frag, min_len) {
            return Err(frag);
        }
        // SAFETY: just checked.
        Ok(unsafe { self.tx_page_checked(frag, min_len) })
    }

    /// Whether [`PagePool::tx_page`] takes `frag` with `min_len`.
    fn may_send(&self, frag: &RxFrag, min_len: usize) -> bool {
        let len = frag.len().max(min_len);
        self.tx && frag.page.pool == self.pool && frag.offset() + len <= frag.room()
    }

    /// [`PagePool::tx_page`] once checked.
    ///
    /// # Safety
    ///
    /// `self.may_send(&frag, min_len)`.
    unsafe fn tx_page_checked(&self, frag: RxFrag, min_len: usize) -> TxPage {
        let len = frag.len().max(min_len);
        if frag.len() < len {
            let (page, offset, flen) = frag.raw();
            // The padding may lie in bytes synced for the device when the
            // page was handed out: the CPU takes them first.
            // SAFETY: a page of this pool, mapped by it; the range is within
            // the page (the caller checked `may_send`).
            unsafe {
                bindings::re1000_page_pool_sync_range_for_cpu(
                    self.pool.as_ptr(),
                    page,
                    offset + flen,
                    (len - frag.len()) as u32,
                )
            };
            let pad = frag.data().cast_mut().wrapping_add(frag.len());
            // SAFETY: `offset + len` is within the page (`may_send`), whose
            // bytes past the frame are the CPU's: no device writes a page it
            // gave back (`RxFrag` invariant), and they were synced for the
            // CPU just now.
            unsafe { core::ptr::write_bytes(pad, 0, len - frag.len()) };
        }
        let (page, offset, _) = frag.raw();
        // SAFETY: a page of this pool, mapped by it; `offset + len` is
        // within the page (`may_send`).
        let addr = unsafe {
            bindings::re1000_page_pool_sync_for_device(self.pool.as_ptr(), page, offset, len as u32)
        };
        // INVARIANT: synced for the device just now.
        TxPage {
            page: frag.into_page(),
            addr,
            len: len as u32,
        }
    }

    /// Gives `page` back into this pool's cache, to be handed out again
    /// first (a page of another pool goes back to that one, as a drop).
    pub fn recycle(&mut self, page: PoolPage) {
        if page.pool != self.pool {
            return; // dropped: back to its own pool
        }
        let raw = page.into_raw();
        // SAFETY: a page of this pool whose reference we give up; the cache
        // is ours alone (`&mut self`), the pool's only consumer.
        unsafe { bindings::re1000_page_pool_recycle_direct(self.pool.as_ptr(), raw) };
    }
}

impl Drop for PagePool {
    fn drop(&mut self) {
        // XDP's registration of the pool goes first (`xdp_rxq_info_unreg`
        // before `page_pool_destroy`).
        self.xdp = None;
        // SAFETY: the pool is live and destroyed once, here; pages still out
        // keep its memory until they come back (the kernel frees it then).
        unsafe { bindings::re1000_page_pool_destroy(self.pool.as_ptr()) };
    }
}

/// A page of a [`PagePool`], mapped for the pool's device to write into.
///
/// Nothing gives access to its bytes: the device may be writing them.
/// Dropped, it goes back to its pool (in process or softirq context; with
/// interrupts off it is leaked with a warning, as the pool's lock cannot be
/// taken there).
///
/// # Invariants
///
/// `page` was handed out by the live pool `pool` (kept alive by the page
/// being out) and is held by this value alone; `addr` is its bus address at
/// the pool's offset; `room` is the page's size less `skb_shared_info`'s.
pub struct PoolPage {
    page: NonNull<bindings::page>,
    pool: NonNull<bindings::page_pool>,
    addr: u64,
    room: u32,
}

// SAFETY: a pool page may be handed back from any CPU.
unsafe impl Send for PoolPage {}

impl PoolPage {
    /// The bus address the device writes to (the pool's offset in the page).
    pub fn addr(&self) -> u64 {
        self.addr
    }

    /// Gives up the page without handing it back.
    fn into_raw(self) -> *mut bindings::page {
        let page = self.page.as_ptr();
        core::mem::forget(self);
        page
    }

    /// The page's memory.
    fn address(&self) -> *mut u8 {
        // SAFETY: a page of a pool (compound above order 0), in the direct
        // map (pools take no highmem).
        unsafe { bindings::re1000_page_address(self.page.as_ptr()).cast() }
    }
}

impl Drop for PoolPage {
    fn drop(&mut self) {
        // SAFETY: a page of `pool`, live while the page is out (type
        // invariant); our reference is given back once, here.
        unsafe { bindings::re1000_page_pool_put(self.pool.as_ptr(), self.page.as_ptr()) };
    }
}

/// A pool page holding a frame for the device to send (XDP_TX), from
/// [`PagePool::tx_page`]. Dropped, the page goes back to its pool: only
/// once the device has sent the frame, or is stopped.
///
/// # Invariants
///
/// `len` bytes at bus address `addr`, within the page, hold the frame and
/// were synced for the device.
pub struct TxPage {
    page: PoolPage,
    addr: u64,
    len: u32,
}

impl TxPage {
    /// The frame's bus address.
    pub fn addr(&self) -> u64 {
        self.addr
    }

    /// The frame's length.
    pub fn len(&self) -> usize {
        self.len as usize
    }

    /// Whether the frame is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// A pool page holding part of a received frame, synced for the CPU: for
/// [`RxCtx::build_skb`](super::napi::RxCtx::build_skb),
/// [`Skb::add_rx_frag`](super::skb::Skb::add_rx_frag) or a copy
/// ([`Skb::put_frag_head`](super::skb::Skb::put_frag_head)). Dropped, the
/// page goes back to its pool.
///
/// # Invariants
///
/// Bytes `offset..offset + len` of `page` (within the page) are initialised
/// and the CPU's: synced for it, and written by no device any more. The
/// `meta` bytes before `offset` (an XDP program's metadata) are too.
pub struct RxFrag {
    page: PoolPage,
    offset: u32,
    len: u32,
    meta: u32,
}

impl RxFrag {
    /// # Safety
    ///
    /// Bytes `offset..offset + len` of `page` lie within the page, were
    /// written by the device (or are otherwise initialised) and are synced
    /// for the CPU; the device writes the page no more.
    unsafe fn new(page: PoolPage, offset: usize, len: usize) -> Self {
        // INVARIANT: the caller's guarantee.
        Self {
            page,
            offset: offset as u32,
            len: len as u32,
            meta: 0,
        }
    }

    /// The frame as an XDP program left it: at `offset`, `len` bytes, with
    /// `meta` bytes of metadata in front.
    ///
    /// # Safety
    ///
    /// `offset - meta..offset + len` lies within the page, and those bytes
    /// are initialised and the CPU's.
    pub(super) unsafe fn adjusted(self, offset: u32, len: u32, meta: u32) -> Self {
        // INVARIANT: the caller's guarantee.
        Self {
            offset,
            len,
            meta,
            ..self
        }
    }

    /// Bytes of metadata in front of the frame (left by an XDP program).
    pub fn meta_len(&self) -> usize {
        self.meta as usize
    }

    /// Bytes of the frame in the page.
    pub fn len(&self) -> usize {
        self.len as usize
    }

    /// Bytes of the page an sk_buff built around it can hold, headroom
    /// included (the rest is its `skb_shared_info`).
    pub fn room(&self) -> usize {
        self.page.room as usize
    }

    /// Whether the page holds none of the frame.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Where the frame's bytes start in the page.
    pub fn offset(&self) -> usize {
        self.offset as usize
    }

    /// The page, to go back to its pool ([`PagePool::recycle`]).
    pub fn into_page(self) -> PoolPage {
        self.page
    }

    /// The first of the frame's bytes.
    pub(super) fn data(&self) -> *const u8 {
        self.page.address().wrapping_add(self.offset as usize)
    }

    /// The page and the frame's place in it (`offset`, `len`).
    pub(super) fn raw(&self) -> (*mut bindings::page, u32, u32) {
        (self.page.page.as_ptr(), self.offset, self.len)
    }

    /// Gives up the page's reference without handing it back: an sk_buff
    /// marked for recycling holds it now.
    pub(super) fn moved(self) {
        core::mem::forget(self);
    }
}
