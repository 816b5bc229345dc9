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
use crate::layer::dma::{self, DescRing, DmaBuf};
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

/// A receive buffer: an sk_buff mapped for the device to write into.
#[derive(Default)]
struct RxSlot {
    skb: Option<Skb>,
    buf: Option<DmaBuf>,
}

/// The receive ring, owned by the NAPI poll while the interface is up.
pub(crate) struct RxRing {
    desc: DescRing,
    slots: KVec<RxSlot>,
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
            slots
                .push(RxSlot::default(), GFP_KERNEL)
                .map_err(|_| ENOMEM)?;
        }
        let mut ring = Self {
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
            ring.release(dev);
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
            if let Some(buf) = &slot.buf {
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
                let Ok(buf) = d.dma.map_rx(&skb, self.buf_len) else {
                    d.sw.rx_alloc_failed.add_shared(1);
                    break;
                };
                if self.desc.write(i, rx_desc(buf.addr())).is_err() {
                    d.dma.unmap(buf);
                    break;
                }
                slot.skb = Some(skb);
                slot.buf = Some(buf);
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
            work.frames += 1;
            let Some(slot) = self.slots.get_mut(i as usize) else {
                continue;
            };

            // Only a whole frame in one buffer is passed on: the device
            // spreads a frame larger than the buffer over several descriptors.
            // A dropped frame's buffer stays in its slot, handed back as is.
            let eop = wb.end_of_packet();
            if self.discarding || !eop {
                self.discarding = !eop;
                d.sw.rx_length_errors.add(1);
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
            let copied = match (&slot.skb, &slot.buf) {
                (Some(big), Some(buf)) if len <= COPYBREAK => {
                    ctx.alloc_skb(len).and_then(|mut small| {
                        d.dma
                            .copy_rx(big, buf, len, &mut small)
                            .ok()
                            .map(|()| small)
                    })
                }
                _ => None,
            };
            let mut skb = match copied {
                Some(small) => small,
                None => {
                    if let Some(buf) = slot.buf.take() {
                        d.dma.unmap(buf);
                    }
                    let Some(mut skb) = slot.skb.take() else {
                        continue;
                    };
                    if skb.put(len).is_err() {
                        d.sw.rx_length_errors.add(1);
                        continue;
                    }
                    skb
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

    /// Whether the device has no buffer to receive into (allocation failed
    /// everywhere): the poll must run again rather than wait for an interrupt.
    pub(crate) fn starved(&self) -> bool {
        self.next_to_use == self.next_to_clean
    }

    /// Unmaps and frees every buffer (device stopped).
    pub(crate) fn release(&mut self, dev: &Netdev<Re1000>) {
        let d = dev.data();
        for slot in self.slots.iter_mut() {
            if let Some(buf) = slot.buf.take() {
                d.dma.unmap(buf);
            }
            slot.skb = None;
        }
        self.next_to_clean = 0;
        self.next_to_use = 0;
    }
}
