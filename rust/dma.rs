// SPDX-License-Identifier: GPL-2.0

//! DMA: coherent descriptor rings and buffers, and streaming mappings of
//! packet buffers.
//!
//! C header: [`include/linux/dma-mapping.h`](srctree/include/linux/dma-mapping.h)
//!
//! [`DescRing`] is coherent memory shared with the device, holding
//! descriptors of a layout the driver describes ([`Descriptor`]), read and
//! written only through volatile 64-bit accesses. The streaming mapping
//! [`TxFrame`] owns what it maps, an sk_buff the device reads (its linear
//! part and fragments): while mapped, nothing lets the sk_buff go or
//! changes it, and only the [`Device`] that mapped it ends the mapping and
//! gives the sk_buff back; [`XdpTxFrame`] likewise owns a frame another
//! device's XDP program redirected here. Receive buffers come from a page pool, which maps
//! them itself (`page_pool`).
//!
//! Unmapping needs the device. A mapping does not hold a reference to it:
//! taking one per frame would cost two atomic operations on the hot path.
//! It records the number of the [`Device`] that made it (never reused,
//! unlike the address of a `struct device`), and unmapping takes a `&Device`
//! with that number, which keeps the device alive meanwhile. A mapping that
//! is dropped instead is leaked, sk_buff included: freeing memory the device
//! may still write would be unsound, a leak is not. The rings that hold
//! mappings keep a clone of the [`Device`] (one reference per ring) and
//! unmap what they still hold when they are dropped.
//!
//! What the device itself does is outside this: a safe driver can point a
//! descriptor anywhere ([`DescRing::write`]), as a C driver can. The rule
//! kept here is the CPU's: no reference to memory the device may write, and
//! no freeing of memory still mapped.

use super::bindings;
use super::pci;
use super::skb::Skb;
use super::xdp::XdpFrame;
use core::marker::PhantomData;
use core::mem::{ManuallyDrop, MaybeUninit};
use core::ptr::NonNull;
use core::sync::atomic::{AtomicU64, Ordering};
use kernel::alloc::{
    flags::{__GFP_NOWARN, GFP_ATOMIC},
    KVec,
};
use kernel::error::{
    code::{EINVAL, ENOMEM},
    Result,
};

/// The number the next [`Device::new`] gets.
static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// The device doing DMA, bound to the driver for `'a`: nothing maps or
/// allocates through it after the binding ends.
///
/// # Invariants
///
/// `dev` is the generic device of `pdev`, valid and bound for `'a`. `id` is
/// this value's number, shared by its clones and by no other `Device`.
#[derive(Clone)]
pub struct Device<'a> {
    pdev: &'a pci::Device<pci::Bound>,
    dev: NonNull<bindings::device>,
    id: u64,
}

// SAFETY: the fields are a reference-counted `pci_dev` (`Send`) and a pointer
// into it; the kernel's DMA mapping calls may be made from any thread.
unsafe impl Send for Device<'_> {}
// SAFETY: as above; `&Device` only passes the pointer to thread-safe calls.
unsafe impl Sync for Device<'_> {}

/// Most buffers of one transmit frame: its linear part and MAX_SKB_FRAGS
/// (17: `rust/helpers.c` fails the build otherwise) fragments.
pub const TX_MAX_BUFS: usize = 18;

/// A frame mapped for the device to read: its sk_buff and the mappings of
/// the linear part and of each non-empty fragment.
///
/// It is made and ended in place, in the `Option<TxFrame>` where the frame
/// waits for the device (a transmit ring's slot): [`Device::map_tx`] fills
/// it, [`Device::unmap_tx`] empties it and gives the sk_buff back. The
/// value is about 240 bytes (the addresses and lengths of up to
/// [`TX_MAX_BUFS`] buffers), and moving it in and out of the ring was two
/// to four copies of it per frame, 4 % of the transmitting guest's time in
/// pktgen at 64 bytes (`Documentation/benchmarks.rst`). Moved or dropped
/// anyway, it stays sound: dropped, it is leaked with its sk_buff (see the
/// module's documentation).
///
/// # Invariants
///
/// `addrs[..n]`/`lens[..n]` are initialised and are live DMA_TO_DEVICE
/// mappings made by the [`Device`] numbered `dev` of memory `skb` owns: the
/// first one of its linear part (mapped single) if `head`, the others of
/// its fragments (mapped as pages), in order; `n <= TX_MAX_BUFS`. `skb` is
/// not freed, nor its data changed, while one of them is live: only that
/// device's `unmap_tx` ends them and takes `skb` out, and it empties the
/// value's place at once (the value, without its sk_buff, is gone).
#[must_use = "dropping a mapped frame leaks it: Device::unmap_tx ends it"]
pub struct TxFrame {
    skb: ManuallyDrop<Skb>,
    addrs: [MaybeUninit<u64>; TX_MAX_BUFS],
    lens: [MaybeUninit<u32>; TX_MAX_BUFS],
    n: u8,
    head: bool,
    dev: u64,
}

impl TxFrame {
    /// Number of mapped buffers.
    pub fn bufs(&self) -> usize {
        self.n as usize
    }

    /// Buffer `i`: (bus address, length).
    pub fn buf(&self, i: usize) -> Option<(u64, usize)> {
        if i >= self.n as usize {
            return None;
        }
        let (addr, len) = (self.addrs.get(i)?, self.lens.get(i)?);
        // SAFETY: `i < n`, and by the type invariant entries below `n` are
        // initialised.
        Some(unsafe { (addr.assume_init(), len.assume_init() as usize) })
    }

    /// The frame, to read (the device only reads it too).
    pub fn skb(&self) -> &Skb {
        &self.skb
    }

    /// Takes the software transmit timestamp, if one was requested (touches
    /// the sk_buff's shared info, not the mapped data).
    pub fn tx_timestamp(&mut self) {
        self.skb.tx_timestamp();
    }

    /// Records mapping `addr`/`len` as the next buffer; false (nothing
    /// recorded) if all [`TX_MAX_BUFS`] are taken.
    ///
    /// # Safety
    ///
    /// `addr`/`len` is a live DMA_TO_DEVICE mapping, made by the device
    /// numbered `dev`, of the frame's next buffer in order (the linear part
    /// first, mapped single, if `head`; then its fragments, as pages).
    unsafe fn push(&mut self, addr: u64, len: u32) -> bool {
        let k = self.n as usize;
        let (Some(a), Some(l)) = (self.addrs.get_mut(k), self.lens.get_mut(k)) else {
            return false;
        };
        a.write(addr);
        l.write(len);
        // INVARIANT: entry `k` is initialised and, by the caller's
        // guarantee, the next buffer's mapping by this frame's device.
        self.n += 1;
        true
    }
}

impl<'a> Device<'a> {
    /// The DMA device of a PCI function.
    ///
    /// The generic device is looked up once here: mapping and unmapping run
    /// for every frame.
    pub fn new(pdev: &'a pci::Device<pci::Bound>) -> Result<Self> {
        let dev = NonNull::new(pdev.raw_device()).ok_or(EINVAL)?;
        let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        // INVARIANT: `dev` is `pdev`'s generic device; `pdev` is stored beside
        // it; `id` is fresh (a 64-bit counter does not wrap).
        Ok(Self { pdev, dev, id })
    }

    pub(super) fn raw(&self) -> *mut bindings::device {
        self.dev.as_ptr()
    }

    fn mapping_error(&self, addr: u64) -> bool {
        // SAFETY: `raw()` is a valid device; `addr` came from its mapping call.
        unsafe { bindings::re1000_dma_mapping_error(self.raw(), addr) != 0 }
    }

    /// Maps `skb` (the linear part and each non-empty fragment) for the
    /// device to read, into `place`, where the frame is to wait for the
    /// device. `Err(skb)`, with nothing mapped and `place` as it was, if
    /// `place` holds a frame already or a mapping fails.
    pub fn map_tx(&self, skb: Skb, place: &mut Option<TxFrame>) -> Result<(), Skb> {
        let frags = skb.nr_frags();
        if place.is_some() || frags + 1 > TX_MAX_BUFS {
            return Err(skb);
        }
        let headlen = skb.headlen();
        // INVARIANT: nothing mapped yet (`n` 0); `head` says what `addrs[0]`
        // will be.
        let frame = place.insert(TxFrame {
            skb: ManuallyDrop::new(skb),
            addrs: [MaybeUninit::uninit(); TX_MAX_BUFS],
            lens: [MaybeUninit::uninit(); TX_MAX_BUFS],
            n: 0,
            head: headlen > 0,
            dev: self.id,
        });
        let mut ok = true;
        if headlen > 0 {
            // SAFETY: the device is valid; the linear part's `headlen` bytes
            // stay allocated and unchanged while `frame` owns the sk_buff.
            let addr = unsafe {
                bindings::re1000_dma_map_single(self.raw(), frame.skb.data_ptr().cast(), headlen, 1)
            };
            if self.mapping_error(addr) {
                ok = false;
            } else {
                // CAST: a linear part is shorter than 4 GiB.
                // SAFETY: this device mapped `addr`, the linear part
                // (`head`), first.
                if !unsafe { frame.push(addr, headlen as u32) } {
                    // Not recorded (cannot happen: the first entry is free).
                    // SAFETY: this device mapped `addr` single just above,
                    // and it is recorded nowhere else.
                    unsafe { bindings::re1000_dma_unmap_single(self.raw(), addr, headlen, 1) };
                    ok = false;
                }
            }
        }
        for i in 0..frags {
            if !ok {
                break;
            }
            let mut len: core::ffi::c_uint = 0;
            // SAFETY: the device is valid and `i` is a fragment of the
            // sk_buff, whose pages it keeps while `frame` owns it.
            let addr = unsafe {
                bindings::re1000_dma_map_frag(self.raw(), frame.skb.as_raw(), i as u32, &mut len)
            };
            if len == 0 {
                continue; // empty: nothing mapped
            }
            if self.mapping_error(addr) {
                ok = false;
            } else {
                // SAFETY: this device mapped `addr`, fragment `i`, the next
                // non-empty one in order: the linear part, if `head`, was
                // recorded first (the loop stops at the first failure).
                if !unsafe { frame.push(addr, len) } {
                    // Not recorded (cannot happen: `frags + 1 <= TX_MAX_BUFS`).
                    // SAFETY: this device mapped `addr` as a page just
                    // above, and it is recorded nowhere else.
                    unsafe { bindings::re1000_dma_unmap_page(self.raw(), addr, len as usize) };
                    ok = false;
                }
            }
        }
        if ok {
            return Ok(());
        }
        // SAFETY: this device mapped `frame` above, and `place` is emptied
        // right after.
        let skb = unsafe { self.end_tx(frame) };
        *place = None;
        Err(skb)
    }

    /// Ends the mappings of the frame in `place` and gives its sk_buff back,
    /// leaving `place` empty: the frame is not moved. `None`, with `place`
    /// as it was, if it is empty or another device mapped the frame (which
    /// is then leaked if dropped: see the module's documentation).
    pub fn unmap_tx(&self, place: &mut Option<TxFrame>) -> Option<Skb> {
        let frame = place.as_mut()?;
        if frame.dev != self.id {
            return None;
        }
        // SAFETY: this device mapped `frame` (checked above), and `place` is
        // emptied right after.
        let skb = unsafe { self.end_tx(frame) };
        *place = None;
        Some(skb)
    }

    /// Maps a redirected frame for the device to read: its linear part and
    /// each non-empty fragment (multi-buffer XDP). An empty linear part, a
    /// failed mapping or a failed allocation (of the fragments' record,
    /// for a frame that has some) refuses it: nothing stays mapped and the
    /// frame comes back.
    pub fn map_xdp(&self, frame: XdpFrame) -> Result<XdpTxFrame, XdpFrame> {
        let len = frame.len();
        if len == 0 {
            return Err(frame);
        }
        let Ok(len32) = u32::try_from(len) else {
            return Err(frame);
        };
        let nr_frags = frame.bufs() - 1;
        let Ok(nr_frags32) = u32::try_from(nr_frags) else {
            return Err(frame); // cannot happen: at most MAX_SKB_FRAGS
        };
        let mut frags = KVec::new();
        // A failure refuses the frame, counted by the driver: no warning
        // from the allocator on the packet path.
        if nr_frags > 0 && frags.reserve(nr_frags, GFP_ATOMIC | __GFP_NOWARN).is_err() {
            return Err(frame);
        }
        // SAFETY: the device is valid; the frame's `len` bytes stay in place
        // and unchanged while the returned value owns the frame.
        let addr =
            unsafe { bindings::re1000_dma_map_single(self.raw(), frame.data_ptr().cast(), len, 1) };
        if self.mapping_error(addr) {
            return Err(frame);
        }
        // INVARIANT: the linear part just mapped by this device, the frame
        // owned beside it, no fragment recorded yet.
        let mut mapped = XdpTxFrame {
            frame: ManuallyDrop::new(frame),
            addr,
            len: len32,
            frags,
            dev: self.id,
        };
        for index in 0..nr_frags32 {
            let mut flen: core::ffi::c_uint = 0;
            // SAFETY: the device is valid and the frame is live (owned by
            // `mapped`), its fragments' pages held while it is.
            let faddr = unsafe {
                bindings::re1000_dma_map_xdp_frag(
                    self.raw(),
                    mapped.frame.as_raw(),
                    index,
                    &mut flen,
                )
            };
            if flen == 0 {
                continue; // empty: nothing mapped
            }
            if self.mapping_error(faddr) {
                // SAFETY: this device mapped `mapped` (made above).
                return Err(unsafe { self.end_xdp(mapped) });
            }
            // INVARIANT: fragment `index`, just mapped by this device as a page,
            // recorded once, in order; the push cannot allocate (room was
            // reserved for every fragment), so cannot fail.
            if mapped
                .frags
                .push((faddr, flen), GFP_ATOMIC | __GFP_NOWARN)
                .is_err()
            {
                // SAFETY: this device mapped `faddr` as a page just above,
                // and it is recorded nowhere.
                unsafe { bindings::re1000_dma_unmap_page(self.raw(), faddr, flen as usize) };
                // SAFETY: this device mapped `mapped` (made above).
                return Err(unsafe { self.end_xdp(mapped) });
            }
        }
        Ok(mapped)
    }

    /// Ends a redirected frame's mappings and gives the frame back (to drop,
    /// which returns it to its memory); `None` if another device mapped it
    /// (the frame is then leaked: see the module's documentation).
    pub fn unmap_xdp(&self, frame: XdpTxFrame) -> Option<XdpFrame> {
        if frame.dev != self.id {
            return None;
        }
        // SAFETY: this device mapped `frame` (number checked).
        Some(unsafe { self.end_xdp(frame) })
    }

    /// Ends every mapping of a redirected frame and gives the frame back.
    ///
    /// # Safety
    ///
    /// This device mapped `frame`.
    unsafe fn end_xdp(&self, frame: XdpTxFrame) -> XdpFrame {
        let XdpTxFrame {
            frame,
            addr,
            len,
            frags,
            dev: _,
        } = frame;
        // SAFETY: a live single mapping made by this device (type invariant,
        // the caller's guarantee); `frame` was consumed, so it is unmapped
        // once.
        unsafe { bindings::re1000_dma_unmap_single(self.raw(), addr, len as usize, 1) };
        for &(faddr, flen) in frags.iter() {
            // SAFETY: a live page mapping of one of the frame's fragments,
            // made by this device (type invariant, the caller's guarantee),
            // unmapped once: `frame` was consumed.
            unsafe { bindings::re1000_dma_unmap_page(self.raw(), faddr, flen as usize) };
        }
        // Every mapping has ended: the frame may go.
        ManuallyDrop::into_inner(frame)
    }

    /// Ends every mapping of `frame` and takes its sk_buff out.
    ///
    /// # Safety
    ///
    /// This device mapped `frame`, whose sk_buff has not been taken out
    /// yet, and `frame` is not used again afterwards (its sk_buff is gone):
    /// the caller empties its place at once.
    unsafe fn end_tx(&self, frame: &mut TxFrame) -> Skb {
        let n = (frame.n as usize).min(TX_MAX_BUFS);
        for i in 0..n {
            let Some((addr, len)) = frame.buf(i) else {
                break;
            };
            // SAFETY: by the type invariant, entry `i` is a live mapping made
            // by this device (the caller's guarantee), single for the linear
            // part, page for a fragment; `n` is reset below, so each is
            // unmapped once.
            unsafe {
                if i == 0 && frame.head {
                    bindings::re1000_dma_unmap_single(self.raw(), addr, len, 1);
                } else {
                    bindings::re1000_dma_unmap_page(self.raw(), addr, len);
                }
            }
        }
        // INVARIANT: no mapping is live any more.
        frame.n = 0;
        // SAFETY: every mapping has ended, so the sk_buff may go; the caller
        // does not use `frame` again, so it is taken out once.
        unsafe { ManuallyDrop::take(&mut frame.skb) }
    }
}

/// A frame redirected to this device ([`XdpFrame`]), mapped for the device
/// to read.
///
/// [`Device::unmap_xdp`] ends the mapping and gives the frame back. Dropped
/// otherwise, it is leaked with its frame (see the module's documentation).
///
/// # Invariants
///
/// `addr`/`len` is a live DMA_TO_DEVICE mapping (single) made by the
/// [`Device`] numbered `dev` of the linear part of `frame`, and each entry
/// of `frags` one (page) of its next non-empty fragment, in order; `frame`
/// is not given back until that device unmaps them all, consuming this
/// value.
#[must_use = "dropping a mapped frame leaks it: Device::unmap_xdp ends it"]
pub struct XdpTxFrame {
    frame: ManuallyDrop<XdpFrame>,
    addr: u64,
    len: u32,
    /// The fragments' mappings (bus address, length): allocated only for a
    /// frame that has fragments, so a slot holding a frame grows by the
    /// `KVec`'s three words, not by [`TX_MAX_BUFS`] entries.
    frags: KVec<(u64, u32)>,
    dev: u64,
}

impl XdpTxFrame {
    /// The number of mapped buffers: the linear part, then the non-empty
    /// fragments.
    pub fn bufs(&self) -> usize {
        1 + self.frags.len()
    }

    /// Buffer `i` (below [`Self::bufs`]): (bus address, length).
    pub fn buf(&self, i: usize) -> Option<(u64, usize)> {
        match i {
            0 => Some((self.addr, self.len as usize)),
            _ => self.frags.get(i - 1).map(|&(a, l)| (a, l as usize)),
        }
    }

    /// The mapped bytes, all buffers together.
    pub fn len(&self) -> usize {
        self.len as usize + self.frags.iter().map(|&(_, l)| l as usize).sum::<usize>()
    }

    /// Whether no byte is mapped (never: an empty frame is not mapped).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A descriptor layout: what [`DescRing`] needs to know of it.
///
/// A descriptor is [`Descriptor::WORDS`] 64-bit words, each naturally
/// aligned in the ring, written in order and read one at a time. The values
/// are the words as they are stored in memory: any byte order the device
/// needs is the implementation's business. Any implementation is safe to
/// use: the ring bounds every access by its own size.
pub trait Descriptor: Copy {
    /// Number of 64-bit words in one descriptor.
    const WORDS: usize;

    /// Word `i` (`i < WORDS`) of the descriptor.
    fn word(&self, i: usize) -> u64;
}

/// A ring of descriptors of layout `D` in coherent DMA memory.
///
/// # Invariants
///
/// `mem` holds `len * D::WORDS` `u64` words, page-aligned (as every coherent
/// allocation), so each word is an aligned `u64`.
pub struct DescRing<'a, D: Descriptor> {
    mem: CoherentBuf<'a>,
    len: usize,
    _desc: PhantomData<fn(D)>,
}

// SAFETY: the memory is only accessed through volatile reads and writes,
// which may happen from any thread (the device itself accesses it too); no
// `D` is stored.
unsafe impl<D: Descriptor> Send for DescRing<'_, D> {}
// SAFETY: as above.
unsafe impl<D: Descriptor> Sync for DescRing<'_, D> {}

impl<'a, D: Descriptor> DescRing<'a, D> {
    /// Bytes of one descriptor.
    const DESC_BYTES: usize = D::WORDS * core::mem::size_of::<u64>();

    /// Allocates `len` zeroed descriptors.
    pub fn new(dev: &Device<'a>, len: usize) -> Result<Self> {
        let size = len.checked_mul(Self::DESC_BYTES).ok_or(EINVAL)?;
        // INVARIANT: `dma_alloc_coherent` returns zeroed, page-aligned memory
        // of `size` bytes (`CoherentBuf::new` refuses 0).
        Ok(Self {
            mem: CoherentBuf::new(dev, size)?,
            len,
            _desc: PhantomData,
        })
    }

    /// Number of descriptors.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the ring has no descriptors (never: `new` refuses that).
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The ring's bus address (for the device's ring base registers).
    pub fn bus_addr(&self) -> u64 {
        self.mem.bus
    }

    /// Size in bytes (for the device's ring length register).
    pub fn bytes(&self) -> usize {
        self.mem.len
    }

    /// Word `word` of descriptor `index`, if inside the ring.
    #[inline]
    fn word(&self, index: usize, word: usize) -> Option<*mut u64> {
        if index >= self.len || word >= D::WORDS {
            return None;
        }
        // index < len and word < WORDS: the word lies inside the allocation
        // (type invariant), and `new` checked that its size does not overflow.
        Some(
            self.mem
                .cpu
                .as_ptr()
                .cast::<u64>()
                .wrapping_add(index * D::WORDS + word),
        )
    }

    /// Writes descriptor `index`, word 0 first.
    #[inline]
    pub fn write(&self, index: usize, desc: D) -> Result {
        if index >= self.len {
            return Err(EINVAL);
        }
        for i in 0..D::WORDS {
            let p = self.word(index, i).ok_or(EINVAL)?;
            // SAFETY: `p` is an aligned word inside the ring (type invariant
            // and bounds check in `word`); volatile since the device shares it.
            unsafe { p.write_volatile(desc.word(i)) };
        }
        Ok(())
    }

    /// Reads word `word` of descriptor `index`.
    #[inline]
    pub fn read_word(&self, index: usize, word: usize) -> Option<u64> {
        let p = self.word(index, word)?;
        // SAFETY: `p` is an aligned word inside the ring.
        Some(unsafe { p.read_volatile() })
    }

    /// Writes word `word` of descriptor `index` alone (a field the driver
    /// changes in a descriptor it still owns); `EINVAL` outside the ring.
    #[inline]
    pub fn write_word(&self, index: usize, word: usize, value: u64) -> Result {
        let p = self.word(index, word).ok_or(EINVAL)?;
        // SAFETY: as in `write`.
        unsafe { p.write_volatile(value) };
        Ok(())
    }

    /// Zeroes every descriptor.
    pub fn clear(&self) {
        for index in 0..self.len {
            for i in 0..D::WORDS {
                if let Some(p) = self.word(index, i) {
                    // SAFETY: as in `write`.
                    unsafe { p.write_volatile(0) };
                }
            }
        }
    }
}

/// A buffer of bytes in coherent DMA memory, for data the driver builds and
/// checks itself (the self-test's frames) rather than sk_buffs.
///
/// # Invariants
///
/// `cpu` points to `len` bytes of coherent memory allocated from `dev` at bus
/// address `bus`, freed on drop.
pub struct CoherentBuf<'a> {
    dev: Device<'a>,
    cpu: NonNull<u8>,
    bus: u64,
    len: usize,
}

// SAFETY: the memory is only accessed through volatile byte reads and
// writes, which may happen from any thread (the device accesses it too);
// the `Device` is `Send` and `Sync`.
unsafe impl Send for CoherentBuf<'_> {}
// SAFETY: as above: `&CoherentBuf` gives only volatile copies in and out.
unsafe impl Sync for CoherentBuf<'_> {}

impl<'a> CoherentBuf<'a> {
    /// Allocates `len` zeroed bytes.
    pub fn new(dev: &Device<'a>, len: usize) -> Result<Self> {
        if len == 0 {
            return Err(EINVAL);
        }
        let mut bus: bindings::dma_addr_t = 0;
        // SAFETY: `dev` is a valid device; `bus` receives the bus address.
        let cpu = unsafe { bindings::re1000_dma_alloc_coherent(dev.raw(), len, &mut bus) };
        let cpu = NonNull::new(cpu.cast::<u8>()).ok_or(ENOMEM)?;
        // INVARIANT: `dma_alloc_coherent` returned `len` bytes at `bus`.
        Ok(Self {
            dev: dev.clone(),
            cpu,
            bus,
            len,
        })
    }

    /// The bus address of byte `offset`, if inside the buffer.
    pub fn bus_addr(&self, offset: usize) -> Option<u64> {
        (offset < self.len).then(|| self.bus + offset as u64)
    }

    /// Copies `data` to byte `offset`.
    pub fn write(&self, offset: usize, data: &[u8]) -> Result {
        let end = offset.checked_add(data.len()).ok_or(EINVAL)?;
        if end > self.len {
            return Err(EINVAL);
        }
        for (i, b) in data.iter().enumerate() {
            // SAFETY: `offset + i < len`: inside the allocation (invariant);
            // volatile because the device may access the memory too.
            unsafe { self.cpu.as_ptr().add(offset + i).write_volatile(*b) };
        }
        Ok(())
    }

    /// Copies bytes from `offset` into `out`.
    pub fn read(&self, offset: usize, out: &mut [u8]) -> Result {
        let end = offset.checked_add(out.len()).ok_or(EINVAL)?;
        if end > self.len {
            return Err(EINVAL);
        }
        for (i, b) in out.iter_mut().enumerate() {
            // SAFETY: as in `write`.
            *b = unsafe { self.cpu.as_ptr().add(offset + i).read_volatile() };
        }
        Ok(())
    }
}

impl Drop for CoherentBuf<'_> {
    fn drop(&mut self) {
        // SAFETY: by the type invariant the memory came from this device with
        // this size and address, and is freed once here.
        unsafe {
            bindings::re1000_dma_free_coherent(
                self.dev.raw(),
                self.len,
                self.cpu.as_ptr().cast(),
                self.bus,
            )
        };
    }
}

/// Orders the CPU's reads of DMA memory: after seeing a descriptor's DD bit,
/// before reading the rest of what the device wrote.
#[inline]
pub fn rmb() {
    // SAFETY: a memory barrier has no preconditions.
    unsafe { bindings::re1000_dma_rmb() };
}

/// Orders the CPU's writes to DMA memory: descriptors are complete before the
/// tail register write that hands them to the device.
#[inline]
pub fn wmb() {
    // SAFETY: a memory barrier has no preconditions.
    unsafe { bindings::re1000_dma_wmb() };
}
