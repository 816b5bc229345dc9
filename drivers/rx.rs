//! The receive ring: buffers handed to the device ahead of time, and the NAPI
//! poll that takes filled ones back, checks what the device wrote and gives
//! the frames to the stack.
//!
//! Slots in `[next_to_clean, next_to_use)` belong to the device; the others
//! are empty and are refilled in batches (each RDT write is a trip into QEMU).
//!
//! Up to the standard MTU each buffer is a 2048-byte sk_buff that holds a
//! whole frame. Above it (jumbo frames) each buffer is a page, as in the C
//! driver's `e1000_clean_jumbo_rx_irq`: the device spreads a frame over as
//! many descriptors as it needs, and the poll chains their pages into one
//! sk_buff as fragments, its headers copied into the linear part. Order-0
//! pages instead of one 16 KiB buffer per descriptor (an order-3 atomic
//! allocation, 32 MiB pinned for 1024 descriptors at MTU 9000).

use crate::device::Re1000;
use crate::hw::desc::{rx_desc, rx_writeback, RxWriteback, WORD1};
use crate::hw::regs::Rdt;
use crate::hw::ring::RingSize;
use crate::hw::rxbuf::RxBuf;
use crate::hwio::DescRing;
use crate::layer::dma::{self, RxPage, RxSkb};
use crate::layer::napi::RxCtx;
use crate::layer::netdev::{Features, Netdev};
use crate::layer::page::{Page, PAGE_SIZE};
use crate::layer::skb::Skb;
use kernel::alloc::{flags::GFP_KERNEL, KVec};
use kernel::error::{
    code::{EINVAL, ENOMEM},
    Result,
};

/// Smallest frame accepted: an Ethernet header.
const ETH_HLEN: usize = 14;
/// Refill (and write RDT) once this many buffers were taken (sooner if the
/// device holds no more buffers than wait: `RingSize::refill_due`).
const REFILL_BATCH: u16 = 16;
/// Frames up to this size are copied into a fresh small sk_buff and their
/// buffer is reused in place (the C driver's copybreak).
const COPYBREAK: usize = 256;
/// Most header bytes of a frame received into pages copied into the linear
/// part of its sk_buff (the rest stays in the pages).
const HEAD_MAX: usize = 256;

/// A buffer the device may write.
enum RxBuffer {
    /// A 2048-byte sk_buff, for a whole frame.
    Skb(RxSkb),
    /// A page, for a whole frame or part of a jumbo one.
    Page(RxPage),
}

impl RxBuffer {
    fn addr(&self) -> u64 {
        match self {
            RxBuffer::Skb(b) => b.addr(),
            RxBuffer::Page(b) => b.addr(),
        }
    }
}

/// How the poll is called: to allocate in the right way.
#[derive(Clone, Copy)]
enum Alloc<'a, 'b> {
    /// Process context: filling a new ring.
    Process,
    /// The NAPI poll.
    Napi(&'a RxCtx<'b>),
}

/// The receive ring, owned by the NAPI poll while the interface is up.
///
/// Each slot holds its buffer (owned by its mapping) or nothing. Dropping
/// the ring unmaps and frees them all with the ring's own clone of the DMA
/// device: the device must be stopped first (`halt` stops the receiver
/// before the rings go).
pub(crate) struct RxRing {
    dma: dma::Device,
    desc: DescRing,
    slots: KVec<Option<RxBuffer>>,
    size: RingSize,
    next_to_clean: u16,
    next_to_use: u16,
    buf_len: usize,
    /// Page buffers (jumbo frames) rather than sk_buffs.
    pages: bool,
    /// The longest frame taken from page buffers: the MTU's, with the
    /// Ethernet header, a VLAN tag and the FCS.
    max_frame: usize,
    /// The jumbo frame whose first descriptors were taken, until its last.
    chain: Option<Skb>,
    /// Dropping the rest of a frame refused at an earlier descriptor.
    discarding: bool,
}

/// Outcome of one receive poll.
#[derive(Default)]
pub(crate) struct RxWork {
    /// Frames handed to the stack or dropped (the NAPI work count).
    pub(crate) frames: u32,
    /// Frames handed to the stack.
    pub(crate) delivered: u32,
    /// Bytes handed to the stack.
    pub(crate) bytes: u32,
}

impl RxRing {
    /// A ring of `size` buffers of `buf_len` bytes (`RxBuf::B2048`'s
    /// sk_buffs, or pages for `RxBuf::B4096`), filled (process context).
    pub(crate) fn new(dev: &Netdev<Re1000>, size: RingSize, buf_len: usize) -> Result<Self> {
        let pages = match buf_len {
            b if b == RxBuf::B2048.bytes() => false,
            b if b == RxBuf::B4096.bytes() && b == PAGE_SIZE => true,
            _ => return Err(EINVAL),
        };
        let d = dev.data();
        let desc = DescRing::new(&d.dma, size.len())?;
        let mut slots = KVec::with_capacity(size.len(), GFP_KERNEL).map_err(|_| ENOMEM)?;
        for _ in 0..size.len() {
            slots.push(None, GFP_KERNEL).map_err(|_| ENOMEM)?;
        }
        let mut ring = Self {
            dma: d.dma.clone(),
            desc,
            slots,
            size,
            next_to_clean: 0,
            next_to_use: 0,
            buf_len,
            pages,
            max_frame: RxBuf::max_frame(dev.mtu()),
            chain: None,
            discarding: false,
        };
        ring.refill(dev, Alloc::Process);
        if ring.size.distance(ring.next_to_clean, ring.next_to_use) == 0 {
            return Err(ENOMEM);
        }
        Ok(ring)
    }

    /// The descriptor memory (for RDBAL/RDBAH/RDLEN).
    pub(crate) fn desc(&self) -> &DescRing {
        &self.desc
    }

    /// How many buffers the ring holds.
    pub(crate) fn buffers(&self) -> usize {
        self.size.len()
    }

    /// The RDT value: one past the last buffer handed to the device.
    pub(crate) fn tail(&self) -> u16 {
        self.next_to_use
    }

    /// A fresh buffer, mapped; `None` (counted) if memory is short.
    fn new_buffer(&self, dev: &Netdev<Re1000>, alloc: Alloc<'_, '_>) -> Option<RxBuffer> {
        let buf = if self.pages {
            Page::alloc_rx(matches!(alloc, Alloc::Process))
                .and_then(|page| self.dma.map_rx_page(page).ok())
                .map(RxBuffer::Page)
        } else {
            let skb = match alloc {
                Alloc::Process => dev.alloc_rx_skb(self.buf_len),
                Alloc::Napi(ctx) => ctx.alloc_skb(self.buf_len),
            };
            skb.and_then(|skb| self.dma.map_rx(skb, self.buf_len).ok())
                .map(RxBuffer::Skb)
        };
        if buf.is_none() {
            dev.data().sw.rx_alloc_failed.add_shared(1);
        }
        buf
    }

    /// Fills empty slots with fresh buffers; returns how many were added.
    /// Stops at the first allocation or mapping failure: the next poll
    /// tries again.
    fn refill(&mut self, dev: &Netdev<Re1000>, alloc: Alloc<'_, '_>) -> u16 {
        let mut added = 0;
        while self.size.next(self.next_to_use) != self.next_to_clean {
            let i = self.next_to_use as usize;
            if i >= self.slots.len() {
                break;
            }
            let addr = match &self.slots[i] {
                // A buffer left in place (copied out or dropped): its
                // descriptor's status is cleared before the device sees it
                // again.
                Some(buf) => buf.addr(),
                None => {
                    let Some(buf) = self.new_buffer(dev, alloc) else {
                        break;
                    };
                    let addr = buf.addr();
                    self.slots[i] = Some(buf);
                    addr
                }
            };
            // Cannot fail: `i` is in the ring.
            let _ = self.desc.write(i, rx_desc(addr));
            self.next_to_use = self.size.next(self.next_to_use);
            added += 1;
        }
        added
    }

    /// Tells the device about refilled buffers.
    fn kick(&self, dev: &Netdev<Re1000>) {
        // The descriptors are written before the tail moves over them.
        dma::wmb();
        dev.data()
            .regs
            .write(Rdt(0).with_index(u32::from(self.next_to_use)));
    }

    /// Receives up to `budget` frames.
    pub(crate) fn poll(&mut self, dev: &Netdev<Re1000>, ctx: &RxCtx<'_>, budget: usize) -> RxWork {
        let d = dev.data();
        let features = dev.features();
        let rxall = features.contains(Features::RXALL);
        let mut work = RxWork::default();
        let mut taken: u16 = 0;
        while (work.frames as usize) < budget {
            let i = self.next_to_clean;
            if i == self.next_to_use {
                break; // nothing handed to the device here
            }
            let Some(word1) = self.desc.read_word(i as usize, WORD1) else {
                break;
            };
            if !rx_writeback(word1).done() {
                break;
            }
            // DD is set: read the rest of what the device wrote only now.
            dma::rmb();
            let wb = rx_writeback(self.desc.read_word(i as usize, WORD1).unwrap_or(word1));
            self.next_to_clean = self.size.next(i);
            taken += 1;
            // A frame counts once, at its last descriptor: for the budget,
            // and in the counters (an error at its first).
            let eop = wb.end_of_packet();
            if eop {
                work.frames += 1;
            }
            if self.discarding {
                // The rest of a frame refused (and counted) already; its
                // buffers stay in their slots, handed back as they are.
                self.discarding = !eop;
                continue;
            }
            let taken_frame = if self.pages {
                self.take_page(dev, ctx, i as usize, &wb, rxall)
            } else {
                self.take_skb(ctx, i as usize, &wb, rxall)
            };
            let (mut skb, len) = match taken_frame {
                Ok(Some(frame)) => frame,
                Ok(None) => continue, // part of a frame
                Err(refused) => {
                    match refused {
                        Refused::Length => d.sw.rx_length_errors.add(1),
                        Refused::Error => d.sw.rx_errors.add(1),
                        Refused::NoMemory => d.sw.rx_alloc_failed.add_shared(1),
                    }
                    self.chain = None;
                    self.discarding = !eop;
                    continue;
                }
            };
            if let Some(tag) = wb.vlan_tag() {
                if features.contains(Features::VLAN_RX) {
                    skb.set_vlan_tag(tag);
                }
            }
            work.bytes = work.bytes.wrapping_add(len as u32);
            work.delivered += 1;
            ctx.receive(dev, skb);
            if taken >= REFILL_BATCH && self.refill(dev, Alloc::Napi(ctx)) > 0 {
                self.kick(dev);
                taken = 0;
            }
        }
        // Taken buffers go back in batches (`refill_due`): a poll that took an
        // acknowledgement or two does not pay an RDT write for it.
        if self
            .size
            .refill_due(self.next_to_clean, self.next_to_use, REFILL_BATCH)
            && self.refill(dev, Alloc::Napi(ctx)) > 0
        {
            self.kick(dev);
        }
        d.sw.rx_packets.add(u64::from(work.delivered));
        d.sw.rx_bytes.add(u64::from(work.bytes));
        work
    }

    /// The frame in the 2048-byte sk_buff of slot `i`: only a whole frame
    /// in one buffer is passed on (the device spreads a longer one over
    /// several descriptors, only with LPE, which this MTU does not set).
    /// A refused frame's buffer stays in its slot.
    fn take_skb(
        &mut self,
        ctx: &RxCtx<'_>,
        i: usize,
        wb: &RxWriteback,
        rxall: bool,
    ) -> Result<Option<(Skb, usize)>, Refused> {
        if !wb.end_of_packet() {
            return Err(Refused::Length);
        }
        let len = match wb.checked_length(self.buf_len) {
            Some(len) if len >= ETH_HLEN => len,
            _ => return Err(Refused::Length),
        };
        if wb.frame_error() && !rxall {
            return Err(Refused::Error);
        }
        let slot = self.slots.get_mut(i).ok_or(Refused::Length)?;
        // Small frames are copied out and the buffer stays in place (no
        // allocation, no remapping); others take the buffer along.
        if len <= COPYBREAK {
            if let Some(RxBuffer::Skb(buf)) = slot {
                if let Some(mut small) = ctx.alloc_skb(len) {
                    if self.dma.copy_rx(buf, len, &mut small).is_ok() {
                        return Ok(Some((small, len)));
                    }
                }
            }
        }
        match slot.take() {
            // The mapping ends here; the sk_buff comes back with the frame.
            Some(RxBuffer::Skb(buf)) => match self.dma.unmap_rx(buf, len) {
                Ok(skb) => Ok(Some((skb, len))),
                Err(buf) => {
                    *slot = Some(RxBuffer::Skb(buf));
                    Err(Refused::Length)
                }
            },
            other => {
                *slot = other;
                Err(Refused::Length)
            }
        }
    }

    /// The part of a frame in the page of slot `i`: the whole frame if it
    /// is the only (and a short one is copied out, the page staying in
    /// place), else a fragment of the frame being chained; `Ok(None)` until
    /// the frame's last descriptor.
    fn take_page(
        &mut self,
        dev: &Netdev<Re1000>,
        ctx: &RxCtx<'_>,
        i: usize,
        wb: &RxWriteback,
        rxall: bool,
    ) -> Result<Option<(Skb, usize)>, Refused> {
        let eop = wb.end_of_packet();
        let len = wb.checked_length(self.buf_len).ok_or(Refused::Length)?;
        let so_far = self.chain.as_ref().map_or(0, |skb| skb.len());
        if so_far + len > self.max_frame || (eop && so_far + len < ETH_HLEN) {
            return Err(Refused::Length);
        }
        // The error bits are valid on the last descriptor only.
        if eop && wb.frame_error() && !rxall {
            return Err(Refused::Error);
        }
        let slot = self.slots.get_mut(i).ok_or(Refused::Length)?;
        if self.chain.is_none() && eop && len <= COPYBREAK {
            let Some(RxBuffer::Page(buf)) = slot else {
                return Err(Refused::Length);
            };
            let mut small = ctx.alloc_skb(len).ok_or(Refused::NoMemory)?;
            self.dma
                .copy_rx_page(buf, len, &mut small)
                .map_err(|_| Refused::Length)?;
            return Ok(Some((small, len)));
        }
        let frag = match slot.take() {
            // The mapping ends here; the page comes back with its part.
            Some(RxBuffer::Page(buf)) => match self.dma.unmap_rx_page(buf, len) {
                Ok(frag) => frag,
                Err(buf) => {
                    *slot = Some(RxBuffer::Page(buf));
                    return Err(Refused::Length);
                }
            },
            other => {
                *slot = other;
                return Err(Refused::Length);
            }
        };
        // From here on a refused frame takes the page with it (freed), and
        // the slot is refilled with a new one.
        let skb = match self.chain.take() {
            Some(mut skb) => {
                skb.add_rx_frag(frag, 0).map_err(|_| Refused::Length)?;
                skb
            }
            None => {
                let mut skb = ctx.alloc_skb(HEAD_MAX).ok_or(Refused::NoMemory)?;
                let head = skb
                    .put_frag_headers(dev, &frag, HEAD_MAX)
                    .map_err(|_| Refused::Length)?;
                skb.add_rx_frag(frag, head).map_err(|_| Refused::Length)?;
                skb
            }
        };
        if eop {
            Ok(Some((skb, so_far + len)))
        } else {
            self.chain = Some(skb);
            Ok(None)
        }
    }

    /// Unmaps and frees every buffer (device stopped). Dropping the ring
    /// does the same.
    pub(crate) fn release(&mut self, _dev: &Netdev<Re1000>) {
        self.free_all();
    }

    fn free_all(&mut self) {
        for slot in self.slots.iter_mut() {
            // Mapped by `self.dma`: unmapped, and the buffer freed.
            match slot.take() {
                Some(RxBuffer::Skb(buf)) => drop(self.dma.unmap_rx(buf, 0)),
                Some(RxBuffer::Page(buf)) => drop(self.dma.unmap_rx_page(buf, 0)),
                None => {}
            }
        }
        self.chain = None;
        self.discarding = false;
        self.next_to_clean = 0;
        self.next_to_use = 0;
    }
}

impl Drop for RxRing {
    fn drop(&mut self) {
        self.free_all();
    }
}

/// Why a frame was not passed on (counted once per frame).
enum Refused {
    /// Longer than the buffer or the MTU allows, or shorter than a header.
    Length,
    /// The device flagged an error in it.
    Error,
    /// No memory for the sk_buff to pass it on in.
    NoMemory,
}
