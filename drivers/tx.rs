//! The transmit ring: `start_xmit` fills descriptors (the producer), the NAPI
//! poll reclaims them once the device wrote DD back (the consumer).
//!
//! Each frame takes one descriptor per mapped buffer. The first slot of a
//! frame holds its sk_buff, its descriptor count and its byte count; only the
//! last descriptor asks for status (RS), so the consumer checks DD there.

use crate::device::Re1000;
use crate::hw::desc::{tx_done, TxLegacy, TXD_CMD_EOP, TXD_CMD_IFCS, TXD_CMD_RS, TXD_CMD_VLE};
use crate::hw::regs::Tdt;
use crate::hw::ring::RingSize;
use crate::layer::dma::{self, DescRing, DmaBuf};
use crate::layer::napi::PollCtx;
use crate::layer::netdev::Netdev;
use crate::layer::skb::Skb;
use crate::layer::spsc::{self, Consumer, Producer};
use core::sync::atomic::{fence, Ordering};
use kernel::error::Result;

/// Most descriptors one frame may need: linear part plus 17 fragments.
pub(crate) const MAX_DESC_PER_FRAME: u16 = 18;
/// The queue is stopped when fewer descriptors than this are free...
pub(crate) const STOP_THRESHOLD: u16 = MAX_DESC_PER_FRAME + 2;
/// ...and woken again when this many are (as the C driver: 16 more than needed).
pub(crate) const WAKE_THRESHOLD: u16 = STOP_THRESHOLD + 16;

/// One transmit descriptor's software state.
#[derive(Default)]
pub(crate) struct TxSlot {
    buf: Option<DmaBuf>,
    /// First slot of a frame only: the frame.
    skb: Option<Skb>,
    /// First slot of a frame only: descriptors in the frame.
    descs: u16,
    /// First slot of a frame only: bytes, for BQL and the counters.
    bytes: u32,
}

/// What `start_xmit` owns.
pub(crate) struct TxRing {
    prod: Producer<TxSlot, DescRing>,
}

/// What the NAPI poll owns of the transmit ring.
pub(crate) struct TxCleaner {
    cons: Consumer<TxSlot, DescRing>,
}

/// Allocates a transmit ring of `size` descriptors, split into its two halves.
pub(crate) fn new_ring(dma: &dma::Device, size: RingSize) -> Result<(TxRing, TxCleaner)> {
    let desc = DescRing::new(dma, size.len())?;
    let (prod, cons) = spsc::new(size, desc)?;
    Ok((TxRing { prod }, TxCleaner { cons }))
}

impl TxRing {
    /// The descriptor memory (for TDBAL/TDBAH/TDLEN).
    pub(crate) fn desc(&self) -> &DescRing {
        self.prod.extra()
    }

    /// Queues one frame; `Err(skb)` asks the stack to retry it later.
    pub(crate) fn xmit(&mut self, dev: &Netdev<Re1000>, mut skb: Skb) -> Result<(), Skb> {
        let d = dev.data();
        let frags = skb.nr_frags();
        let needed = 1 + frags as u16;
        if frags as u16 >= MAX_DESC_PER_FRAME || self.prod.free() < needed {
            // The queue should have been stopped before this: say busy.
            dev.stop_queue();
            return Err(skb);
        }
        let len = skb.len();
        let vlan = skb.vlan_tag();
        skb.tx_timestamp();

        // Map every buffer first, so that a failure leaves the ring untouched.
        let head = match d.dma.map_tx_head(&skb, skb.headlen()) {
            Ok(b) => b,
            Err(_) => {
                d.sw.tx_dropped.add(1);
                return Ok(());
            }
        };
        let mut bufs: [Option<DmaBuf>; MAX_DESC_PER_FRAME as usize] = Default::default();
        bufs[0] = Some(head);
        for i in 0..frags {
            match d.dma.map_tx_frag(&skb, i) {
                Ok(b) => bufs[i + 1] = Some(b),
                Err(_) => {
                    for b in bufs.iter_mut().filter_map(Option::take) {
                        d.dma.unmap(b);
                    }
                    d.sw.tx_dropped.add(1);
                    return Ok(());
                }
            }
        }

        let tail = self.prod.tail();
        let size = self.prod.size();
        for (i, buf) in bufs.iter_mut().take(needed as usize).enumerate() {
            let Some(buf) = buf.take() else { break };
            let last = i + 1 == needed as usize;
            let mut cmd = TXD_CMD_IFCS;
            if last {
                cmd |= TXD_CMD_EOP | TXD_CMD_RS;
            }
            let mut desc = TxLegacy {
                addr: buf.addr(),
                length: buf.len() as u16,
                cmd,
                ..Default::default()
            };
            if let Some(tag) = vlan {
                desc.cmd |= TXD_CMD_VLE;
                desc.special = tag;
            }
            let index = size.advance(tail, i as u16) as usize;
            // Both cannot fail: the index is in the ring and the slot is ours.
            let _ = self.prod.extra().write(index, desc.encode());
            if let Some(slot) = self.prod.slot(i as u16) {
                slot.buf = Some(buf);
            }
        }
        let bytes = len as u32;
        if let Some(first) = self.prod.slot(0) {
            first.descs = needed;
            first.bytes = bytes;
            first.skb = Some(skb);
        }
        dev.sent_queue(bytes);
        // The descriptors and slots are complete before the consumer sees them.
        self.prod.publish(needed);

        if self.prod.free() < STOP_THRESHOLD {
            dev.stop_queue();
            // Pairs with the fence in `TxCleaner::clean`: either we see the
            // space it freed, or it sees the stopped queue and wakes it.
            fence(Ordering::SeqCst);
            if self.prod.free() >= WAKE_THRESHOLD {
                dev.wake_queue();
            }
        }
        if !dev.xmit_more() || dev.xmit_stopped() {
            self.kick(dev);
        }
        Ok(())
    }

    /// Hands everything queued to the device (one MMIO write: in QEMU the
    /// whole transmit happens inside it).
    pub(crate) fn kick(&self, dev: &Netdev<Re1000>) {
        // Descriptors in memory before the tail write that exposes them.
        dma::wmb();
        dev.data()
            .regs
            .write(Tdt(0).with_index(self.prod.tail() as u32));
        dev.trans_update();
    }
}

impl TxCleaner {
    /// Reclaims completed frames; returns (frames, bytes).
    pub(crate) fn clean(&mut self, dev: &Netdev<Re1000>, ctx: &PollCtx<'_>) -> (u32, u32) {
        let d = dev.data();
        let size = self.cons.size();
        let (mut frames, mut bytes) = (0u32, 0u32);
        while frames < size.get() as u32 {
            let head = self.cons.head();
            let (descs, done) = match self.cons.slot(0) {
                Some(first) => {
                    let descs = first.descs.clamp(1, MAX_DESC_PER_FRAME);
                    let last = size.advance(head, descs - 1) as usize;
                    let word1 = self.cons.extra().read_word1(last).unwrap_or(0);
                    (descs, tx_done(word1))
                }
                None => break,
            };
            if !done {
                break;
            }
            let mut frame_bytes = 0;
            for i in 0..descs {
                if let Some(slot) = self.cons.slot(i) {
                    if let Some(buf) = slot.buf.take() {
                        d.dma.unmap(buf);
                    }
                    if let Some(skb) = slot.skb.take() {
                        frame_bytes = slot.bytes;
                        ctx.consume(skb);
                    }
                    slot.descs = 0;
                    slot.bytes = 0;
                }
            }
            if !self.cons.release(descs) {
                break;
            }
            frames += 1;
            bytes = bytes.wrapping_add(frame_bytes);
        }
        if frames > 0 {
            d.sw.tx_packets.add(frames as u64);
            d.sw.tx_bytes.add(bytes as u64);
            dev.completed_queue(frames, bytes);
            // Pairs with the fence in `TxRing::xmit` (see there).
            fence(Ordering::SeqCst);
            let free = size.get() - 1 - self.cons.pending();
            if dev.queue_stopped() && free >= WAKE_THRESHOLD && dev.running() {
                dev.wake_queue();
            }
        }
        (frames, bytes)
    }

    /// Drops every frame still in the ring (device stopped): unmaps and frees.
    pub(crate) fn drain(&mut self, dev: &Netdev<Re1000>) {
        let d = dev.data();
        let pending = self.cons.pending();
        let mut dropped = 0u64;
        for i in 0..pending {
            if let Some(slot) = self.cons.slot(i) {
                if let Some(buf) = slot.buf.take() {
                    d.dma.unmap(buf);
                }
                if slot.skb.take().is_some() {
                    dropped += 1;
                }
                slot.descs = 0;
            }
        }
        self.cons.release(pending);
        d.sw.tx_dropped.add(dropped);
        dev.reset_queue();
    }
}
