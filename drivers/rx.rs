//! The receive ring: buffers handed to the device ahead of time, and the NAPI
//! poll that takes filled ones back, checks what the device wrote and gives
//! the frames to the stack.
//!
//! Slots in `[next_to_clean, next_to_use)` belong to the device; the others
//! are empty and are refilled in batches (each RDT write is a trip into QEMU).

use crate::device::Re1000;
use crate::hw::desc::{rx_desc, rx_writeback};
use crate::hw::regs::Rdt;
use crate::hw::ring::RingSize;
use crate::layer::dma::{self, DescRing, RxSkb};
use crate::layer::napi::RxCtx;
use crate::layer::netdev::{Features, Netdev};
use crate::layer::skb::Skb;
use kernel::alloc::{flags::GFP_KERNEL, KVec};
use kernel::error::{code::ENOMEM, Result};

/// Smallest frame accepted: an Ethernet header.
const ETH_HLEN: usize = 14;
/// Refill (and write RDT) once this many buffers were taken (sooner if the
/// device holds no more buffers than wait: `RingSize::refill_due`).
const REFILL_BATCH: u16 = 16;
/// Frames up to this size are copied into a fresh small sk_buff and their
/// buffer is reused in place (the C driver's copybreak).
const COPYBREAK: usize = 256;

/// The receive ring, owned by the NAPI poll while the interface is up.
///
/// Each slot holds its buffer (an sk_buff the device may write, owned by
/// its mapping) or nothing. Dropping the ring unmaps and frees them all
/// with the ring's own clone of the DMA device: the device must be stopped
/// first (`halt` stops the receiver before the rings go).
pub(crate) struct RxRing {
    dma: dma::Device,
    desc: DescRing,
    slots: KVec<Option<RxSkb>>,
    size: RingSize,
    next_to_clean: u16,
    next_to_use: u16,
    buf_len: usize,
    /// Dropping the rest of a frame that overflowed its buffer.
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
    /// A ring of `size` buffers of `buf_len` bytes, filled (process context).
    pub(crate) fn new(dev: &Netdev<Re1000>, size: RingSize, buf_len: usize) -> Result<Self> {
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
            discarding: false,
        };
        ring.refill(dev, |len| dev.alloc_rx_skb(len));
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

    /// Fills empty slots with fresh buffers (`alloc` makes them); returns how
    /// many were added. Stops at the first allocation or mapping failure:
    /// the next poll tries again.
    fn refill(&mut self, dev: &Netdev<Re1000>, alloc: impl Fn(usize) -> Option<Skb>) -> u16 {
        let d = dev.data();
        let mut added = 0;
        while self.size.next(self.next_to_use) != self.next_to_clean {
            let i = self.next_to_use as usize;
            let Some(slot) = self.slots.get_mut(i) else {
                break;
            };
            if let Some(buf) = slot {
                // A buffer left in place (copied out or dropped): clear the
                // descriptor's status before the device sees it again.
                if self.desc.write(i, rx_desc(buf.addr())).is_err() {
                    break;
                }
            } else {
                let Some(skb) = alloc(self.buf_len) else {
                    d.sw.rx_alloc_failed.add_shared(1);
                    break;
                };
                let Ok(buf) = self.dma.map_rx(skb, self.buf_len) else {
                    d.sw.rx_alloc_failed.add_shared(1);
                    break;
                };
                // Cannot fail: `i` is in the ring. The buffer goes into its
                // slot either way (unmapped with the ring).
                let _ = self.desc.write(i, rx_desc(buf.addr()));
                *slot = Some(buf);
            }
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
            .write(Rdt(0).with_index(self.next_to_use as u32));
    }

    /// Receives up to `budget` frames.
    pub(crate) fn poll(&mut self, dev: &Netdev<Re1000>, ctx: &RxCtx<'_>, budget: usize) -> RxWork {
        let d = dev.data();
        let features = dev.features();
        let mut work = RxWork::default();
        let mut taken: u16 = 0;
        while (work.frames as usize) < budget {
            let i = self.next_to_clean;
            if i == self.next_to_use {
                break; // nothing handed to the device here
            }
            let Some(word1) = self.desc.read_word1(i as usize) else {
                break;
            };
            if !rx_writeback(word1).done() {
                break;
            }
            // DD is set: read the rest of what the device wrote only now.
            dma::rmb();
            let wb = rx_writeback(self.desc.read_word1(i as usize).unwrap_or(word1));
            self.next_to_clean = self.size.next(i);
            taken += 1;
            // A frame counts once, at its last descriptor, against the
            // budget; an error in it once, at its first.
            let eop = wb.end_of_packet();
            if eop {
                work.frames += 1;
            }
            let Some(slot) = self.slots.get_mut(i as usize) else {
                continue;
            };

            // Only a whole frame in one buffer is passed on: the device
            // spreads a frame larger than the buffer over several descriptors.
            // A dropped frame's buffer stays in its slot, handed back as is.
            if self.discarding || !eop {
                if !self.discarding {
                    d.sw.rx_length_errors.add(1);
                }
                self.discarding = !eop;
                continue;
            }
            let len = match wb.checked_length(self.buf_len) {
                Some(len) if len >= ETH_HLEN => len,
                _ => {
                    d.sw.rx_length_errors.add(1);
                    continue;
                }
            };
            if wb.frame_error() && !features.contains(Features::RXALL) {
                d.sw.rx_errors.add(1);
                continue;
            }
            // Small frames are copied out and the buffer stays in place
            // (no allocation, no remapping); others take the buffer along.
            let copied = match slot {
                Some(buf) if len <= COPYBREAK => ctx.alloc_skb(len).and_then(|mut small| {
                    self.dma.copy_rx(buf, len, &mut small).ok().map(|()| small)
                }),
                _ => None,
            };
            let mut skb = match copied {
                Some(small) => small,
                None => {
                    let Some(buf) = slot.take() else {
                        continue;
                    };
                    // The mapping ends here; the sk_buff comes back with the
                    // frame (`len` is within the buffer: checked above).
                    match self.dma.unmap_rx(buf, len) {
                        Ok(skb) => skb,
                        Err(buf) => {
                            *slot = Some(buf);
                            d.sw.rx_length_errors.add(1);
                            continue;
                        }
                    }
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
            if taken >= REFILL_BATCH && self.refill(dev, |len| ctx.alloc_skb(len)) > 0 {
                self.kick(dev);
                taken = 0;
            }
        }
        // Taken buffers go back in batches (`refill_due`): a poll that took an
        // acknowledgement or two does not pay an RDT write for it.
        if self
            .size
            .refill_due(self.next_to_clean, self.next_to_use, REFILL_BATCH)
            && self.refill(dev, |len| ctx.alloc_skb(len)) > 0
        {
            self.kick(dev);
        }
        d.sw.rx_packets.add(work.delivered as u64);
        d.sw.rx_bytes.add(work.bytes as u64);
        work
    }

    /// Unmaps and frees every buffer (device stopped). Dropping the ring
    /// does the same.
    pub(crate) fn release(&mut self, _dev: &Netdev<Re1000>) {
        self.free_all();
    }

    fn free_all(&mut self) {
        for slot in self.slots.iter_mut() {
            if let Some(buf) = slot.take() {
                // Mapped by `self.dma`: unmapped, and the sk_buff freed.
                drop(self.dma.unmap_rx(buf, 0));
            }
        }
        self.next_to_clean = 0;
        self.next_to_use = 0;
    }
}

impl Drop for RxRing {
    fn drop(&mut self) {
        self.free_all();
    }
}
