//! The transmit ring: `start_xmit` fills descriptors (the producer), the NAPI
//! poll reclaims them once the device wrote DD back on their frame or a
//! later one (the consumer).
//!
//! Each frame takes one descriptor per mapped buffer (more for buffers over
//! `TX_MAX_PER_DESC`). The first slot of a frame holds the mapped frame
//! (`dma::TxFrame`: the sk_buff and its mappings), its descriptor count and
//! its byte count; an XDP_TX frame keeps a receive page in each of its
//! slots, one per descriptor.
//!
//! Only the last descriptor before each tail write asks for status (RS,
//! set by [`TxRing::kick`]), and a frame's last descriptor once
//! `RS_EVERY` descriptors went without, as DPDK's e1000 and ixgbe drivers
//! batch it (`tx_rs_thresh`): the device sends in order, so DD there says
//! every frame before it is done too. Under QEMU every RS is a DMA write of
//! the status inside the tail write's exit; with pktgen's bursts of 32, one
//! in 32 remains.
//! The consumer reads each frame's last descriptor: DD reclaims it and
//! every frame before it, RS without DD ends the walk.

use crate::device::Re1000;
use crate::hw::desc::{
    descs_for, tx_done, tx_reports, tx_with_report, TxContext, TxData, TxLegacy, TCP_CHECK_OFFSET,
    TXD_CMD_EOP, TXD_CMD_IDE, TXD_CMD_IFCS, TXD_CMD_RS, TXD_CMD_TSE, TXD_CMD_VLE, TXD_POPTS_IXSM,
    TXD_POPTS_TXSM, TXD_TUCMD_IP, TXD_TUCMD_TCP, TX_MAX_PER_DESC, WORD1,
};
use crate::hw::regs::Tdt;
use crate::hw::ring::RingSize;
use crate::hw::rxbuf;
use crate::hwio::DescRing;
use crate::layer::dma::{self, CoherentBuf, TxFrame, XdpTxFrame};
use crate::layer::napi::PollCtx;
use crate::layer::netdev::{Netdev, XmitCtx};
use crate::layer::page_pool::{TxPage, TxPages};
use crate::layer::skb::Skb;
use crate::layer::spsc::{self, Consumer, Producer};
use crate::layer::xdp::{XdpFrame, XdpXmit};
use core::sync::atomic::{fence, Ordering};
use kernel::alloc::{flags::GFP_KERNEL, KVVec};
use kernel::error::{
    code::{EINVAL, ENOMEM},
    Result,
};

/// Descriptors the C driver keeps free for the next frame: its fragments,
/// a context descriptor and slack for buffers over 4 KiB.
pub(crate) const STOP_THRESHOLD: u16 = MAX_SKB_FRAGS + 7;
/// The queue is woken again when this many are free.
pub(crate) const WAKE_THRESHOLD: u16 = STOP_THRESHOLD + 16;
/// The kernel's default MAX_SKB_FRAGS (rust/helpers.c fails the build on a
/// kernel configured otherwise, rather than dropping frames with more).
const MAX_SKB_FRAGS: u16 = 17;
/// RS on a frame's last descriptor once this many went without: a batch
/// longer than that (a ring filled before one tail write) is reclaimed in
/// parts while the device still sends the rest, rather than all at its end.
const RS_EVERY: u16 = 32;
/// Shortest Ethernet frame without its FCS.
const ETH_ZLEN: usize = 60;
/// Offset of the checksum in an IPv4 header.
const IPV4_CHECK: usize = 10;

/// What the device must do for a frame besides sending it.
struct Offload {
    /// The context descriptor to send ahead of the data descriptors.
    ctx: TxContext,
    /// POPTS of the data descriptors.
    popts: u8,
    /// TCP segmentation.
    tso: bool,
}

/// One transmit descriptor's software state: in a frame's first slot, the
/// frame; the other slots of the frame hold nothing, except an XDP_TX
/// frame's pages (each in the slot of its first descriptor).
#[derive(Default)]
pub(crate) struct TxSlot {
    /// First slot of a frame only: the frame, mapped.
    frame: Option<TxFrame>,
    /// The slot of each page's first descriptor in an XDP_TX frame: the
    /// receive page those descriptors send from, back to its pool once the
    /// frame is sent.
    xdp: Option<TxPage>,
    /// First slot of a frame another device's XDP program redirected here
    /// only: the frame, mapped; given back to its memory once sent.
    redirected: Option<XdpTxFrame>,
    /// First slot of a frame only: descriptors in the frame.
    descs: u16,
    /// First slot of a frame only: bytes on the wire, for BQL and the counters.
    bytes: u32,
    /// First slot of a frame only: packets on the wire (TSO segments).
    packets: u16,
}

/// What `start_xmit` owns.
pub(crate) struct TxRing<'a> {
    prod: Producer<TxSlot, DescRing<'a>>,
    /// The ring's size (the producer's slots and the descriptors).
    size: RingSize,
    /// The tail last written to TDT.
    kicked: u16,
    /// Descriptors queued since the last one with RS.
    since_rs: u16,
    /// The context descriptor the device loaded last (none since the ring
    /// was set up).
    last_ctx: Option<TxContext>,
    /// Zeroes the device pads short redirected frames with (`xmit_redirected`).
    pad: CoherentBuf<'a>,
}

/// What the NAPI poll owns of the transmit ring.
///
/// Dropping it unmaps and frees the frames still queued, with its own clone
/// of the DMA device (the device must be stopped first); `drain` does that
/// and also counts them and resets the queue's byte limit.
pub(crate) struct TxCleaner<'a> {
    cons: Consumer<TxSlot, DescRing<'a>>,
    /// The ring's size (the consumer's slots and the descriptors).
    size: RingSize,
    dma: dma::Device<'a>,
    /// Sent buffers netpoll took off the ring for the next real poll to
    /// give back.
    held: Held,
}

/// A sent buffer that goes back to its memory when dropped: an XDP_TX
/// frame's pool page, or a redirected frame (already unmapped).
enum Sent {
    Page { _page: TxPage },
    Frame { _frame: XdpFrame },
}

/// Sent buffers a transmit completion under netpoll took off the ring.
///
/// Netpoll polls with a budget of 0 and interrupts off (a panic's
/// netconsole), where neither a pool page nor a redirected frame can go
/// back to its memory: a page pool's lock needs bottom halves off. The
/// completion keeps them here instead, in room allocated with the ring, so
/// the descriptors behind them (netconsole's own frames) are reclaimed;
/// the next real poll gives them back. That poll comes with the next
/// interrupt, which netpoll's own frames raise once sent (or it is
/// already scheduled, the interrupt masked). Without it netpoll stopped at
/// the first such frame, and with the ring full behind it no message went
/// out until NAPI ran again, which after a panic it never does.
///
/// One entry per ring slot (56 bytes each, in `kvmalloc` memory: 14 KiB for
/// 256 descriptors): every buffer held took a slot, so the ring's worth
/// of sent frames it can have is reclaimed whatever they hold; only more
/// than that between two real polls (frames other devices keep
/// redirecting here) stops netpoll again.
///
/// # Invariants
///
/// `n <= slots.len()`, and exactly `slots[..n]` are `Some`.
struct Held {
    slots: KVVec<Option<Sent>>,
    n: usize,
}

impl Held {
    /// Room for `len` buffers (process context).
    fn new(len: usize) -> Result<Self> {
        let mut slots = KVVec::with_capacity(len, GFP_KERNEL).map_err(|_| ENOMEM)?;
        for _ in 0..len {
            slots.push(None, GFP_KERNEL).map_err(|_| ENOMEM)?;
        }
        // INVARIANT: `len` empty entries, none held.
        Ok(Self { slots, n: 0 })
    }

    /// How many more buffers fit.
    fn room(&self) -> usize {
        self.slots.len() - self.n
    }

    /// Whether any buffer is held.
    fn any(&self) -> bool {
        self.n > 0
    }

    /// Gives a sent buffer back to its memory, or under netpoll keeps it
    /// (without allocating) for [`Held::release`]. The caller checked
    /// [`Held::room`]; were there none after all, the buffer would be
    /// dropped, which the layer turns into a leak with a warning while
    /// interrupts are off.
    fn give_back(&mut self, netpoll: bool, sent: Sent) {
        if !netpoll {
            drop(sent);
            return;
        }
        if let Some(slot) = self.slots.get_mut(self.n) {
            *slot = Some(sent);
            // INVARIANT: `slots[..n + 1]` are `Some` now, and `n` was below
            // `slots.len()`.
            self.n += 1;
        }
    }

    /// Gives every held buffer back to its memory (interrupts on).
    fn release(&mut self) {
        for slot in self.slots.iter_mut().take(self.n) {
            drop(slot.take());
        }
        // INVARIANT: every entry is `None` again.
        self.n = 0;
    }
}

/// Allocates a transmit ring of `size` descriptors, split into its two halves.
pub(crate) fn new_ring<'a>(
    dma: &dma::Device<'a>,
    size: RingSize,
) -> Result<(TxRing<'a>, TxCleaner<'a>)> {
    let desc = DescRing::new(dma, size.len())?;
    let (prod, cons) = spsc::new(size.get(), desc)?;
    let pad = CoherentBuf::new(dma, ETH_ZLEN)?;
    // Allocated zeroed; written once more so the padding never depends on it.
    pad.write(0, &[0; ETH_ZLEN])?;
    Ok((
        TxRing {
            prod,
            size,
            kicked: 0,
            since_rs: 0,
            last_ctx: None,
            pad,
        },
        TxCleaner {
            cons,
            size,
            dma: dma.clone(),
            held: Held::new(size.len())?,
        },
    ))
}

impl<'a> TxRing<'a> {
    /// The descriptor memory (for TDBAL/TDBAH/TDLEN).
    pub(crate) fn desc(&self) -> &DescRing<'a> {
        self.prod.extra()
    }

    /// Decides the frame's offloads (TSO, checksum insertion); `Err` if the
    /// frame cannot be sent at all.
    fn offload(skb: &mut Skb) -> Result<(Option<Offload>, u16, u32)> {
        let len = skb.len();
        if skb.gso_size() > 0 {
            let t = skb.prepare_tso()?;
            let (net, tcp) = (t.network_offset as usize, t.transport_offset as usize);
            let hdr = t.hdr_len as usize;
            // `Re1000::features_check` sends frames whose headers do not
            // fit to software segmentation: this is only a last guard.
            if !TxContext::tso_fits(tcp, hdr) || hdr >= len {
                return Err(EINVAL);
            }
            let ctx = TxContext {
                ipcss: net as u8,
                ipcso: if t.ipv4 { (net + IPV4_CHECK) as u8 } else { 0 },
                ipcse: if t.ipv4 { (tcp - 1) as u16 } else { 0 },
                tucss: tcp as u8,
                tucso: (tcp + TCP_CHECK_OFFSET) as u8,
                tucse: 0,
                paylen: (len - hdr) as u32,
                tucmd: TXD_TUCMD_TCP | TXD_CMD_TSE | if t.ipv4 { TXD_TUCMD_IP } else { 0 },
                hdrlen: hdr as u8,
                mss: t.mss,
            };
            let popts = TXD_POPTS_TXSM | if t.ipv4 { TXD_POPTS_IXSM } else { 0 };
            let segs = t.segs.max(1);
            // Every segment after the first repeats the headers on the wire.
            let bytes = len as u32 + (u32::from(segs) - 1) * hdr as u32;
            return Ok((
                Some(Offload {
                    ctx,
                    popts,
                    tso: true,
                }),
                segs,
                bytes,
            ));
        }
        if let Some((start, place)) = skb.csum_request() {
            if start <= u8::MAX as usize && place <= u8::MAX as usize {
                let ctx = TxContext {
                    tucss: start as u8,
                    tucso: place as u8,
                    ..Default::default()
                };
                return Ok((
                    Some(Offload {
                        ctx,
                        popts: TXD_POPTS_TXSM,
                        tso: false,
                    }),
                    1,
                    len as u32,
                ));
            }
            // Out of the device's reach: checksum in software.
            skb.checksum_help()?;
        }
        Ok((None, 1, len as u32))
    }

    /// Queues one frame; `Err(skb)` asks the stack to retry it later.
    pub(crate) fn xmit(
        &mut self,
        dev: &Netdev<Re1000<'_>>,
        skb: Skb,
        ctx: &XmitCtx<'_>,
    ) -> Result<(), Skb> {
        let result = self.queue(dev, skb, ctx);
        // Frames queued before this one may still wait for a tail write
        // (xmit_more): whatever happened to this frame, write the tail when
        // the stack sends nothing more, or will not call again soon.
        let stopped = dev.xmit_stopped();
        if (result.is_err() || !dev.xmit_more() || stopped) && self.kick(dev) {
            // Where the device sends within the tail write (QEMU does), the
            // frames are done already: if the queue is stopped (the ring is
            // full, or BQL's byte limit is reached), reclaim them now rather
            // than at the moderated interrupt, which would hold the queue
            // stopped for up to its whole delay. Otherwise they
            // wait for the interrupt, whose poll runs on the CPU that takes
            // it, beside this one: reclaiming here on every burst made
            // pktgen 10 % slower and TCP transmit no faster (see
            // Documentation/benchmarks.rst). Where the device is slower,
            // this is one read of descriptor memory.
            if stopped && self.sent_all() {
                dev.data().napi.schedule();
            }
        }
        result
    }

    /// Puts one frame on the ring, or drops it (counted) if it cannot be sent.
    fn queue(&mut self, dev: &Netdev<Re1000<'_>>, skb: Skb, ctx: &XmitCtx<'_>) -> Result<(), Skb> {
        let d = dev.data();
        // As the C driver: the 8254x may corrupt the padding it adds to
        // short frames itself, so they leave padded with zeroes.
        let mut skb = if skb.len() < ETH_ZLEN {
            match skb.pad_to(ETH_ZLEN) {
                Ok(skb) => skb,
                Err(_) => {
                    d.sw.tx_dropped.add(1);
                    return Ok(());
                }
            }
        } else {
            skb
        };
        let (offload, packets, bytes) = match Self::offload(&mut skb) {
            Ok(o) => o,
            Err(_) => {
                d.sw.tx_dropped.add(1);
                return Ok(());
            }
        };
        // The queue stops with room for a frame left (`STOP_THRESHOLD`): no
        // free slot is a frame sent past a stop, which the stack retries.
        if !self.room(dev, ctx, 1) {
            return Err(skb);
        }
        let Some(first) = self.prod.slot(0) else {
            return Err(skb); // cannot happen: a slot is free
        };
        // Mapped in place, in the tail's slot, where the frame waits for the
        // device: a mapped frame is about 240 bytes (`dma::TxFrame`).
        if d.dma.map_tx(skb, &mut first.frame).is_err() {
            d.sw.tx_dropped.add(1);
            return Ok(());
        }
        let Some(frame) = first.frame.as_ref() else {
            return Ok(()); // cannot happen: mapped just above
        };
        // The device keeps the context it loaded last: a frame whose context
        // is the same (checksum offload within one flow) needs no new one.
        let new_ctx = offload
            .as_ref()
            .map(|o| o.ctx)
            .filter(|c| self.last_ctx != Some(*c));
        let needed: usize = usize::from(new_ctx.is_some())
            + (0..frame.bufs())
                .filter_map(|k| frame.buf(k))
                .map(|(_, len)| descs_for(len))
                .sum::<usize>();
        let vlan = frame.skb().vlan_tag();
        let size = self.size;
        if needed == 0 || needed >= size.len() {
            // Nothing to send, or could never fit: drop rather than stall
            // the queue forever.
            drop(self.unmap_tail(dev));
            d.sw.tx_dropped.add(1);
            return Ok(());
        }
        let needed = needed as u16;
        if !self.room(dev, ctx, needed) {
            return match self.unmap_tail(dev) {
                Some(skb) => Err(skb),
                // Not ours (cannot happen): leaked, not freed mapped.
                None => Ok(()),
            };
        }

        let rs = report_due(&mut self.since_rs, needed);
        let tail = self.prod.tail();
        let Some((first, desc)) = self.prod.slot_with_extra(0) else {
            // Cannot happen: the slot was free above.
            drop(self.unmap_tail(dev));
            d.sw.tx_dropped.add(1);
            return Ok(());
        };
        let Some(frame) = first.frame.as_mut() else {
            return Ok(()); // cannot happen: mapped above
        };
        frame.tx_timestamp();
        let mut at: u16 = 0;
        if let Some(c) = new_ctx {
            // Cannot fail: the index is in the ring.
            let _ = desc.write(size.advance(tail, 0) as usize, c.encode());
            at = 1;
        }
        let (popts, tso) = match &offload {
            Some(o) => (o.popts, o.tso),
            None => (0, false),
        };
        let mut base = TXD_CMD_IFCS | if tso { TXD_CMD_TSE } else { 0 };
        if vlan.is_some() {
            base |= TXD_CMD_VLE;
        }
        // ethtool tx-usecs: the completion interrupt may wait for others
        // (IDE matters only where RS is; the tail write adds it to the
        // batch's last descriptor).
        let eop = if d.tx_usecs.load(Ordering::Relaxed) != 0 {
            TXD_CMD_EOP | TXD_CMD_IDE | rs
        } else {
            TXD_CMD_EOP | rs
        };
        for (addr, len) in (0..frame.bufs()).filter_map(|k| frame.buf(k)) {
            let mut pos = 0;
            while pos < len {
                let chunk = (len - pos).min(TX_MAX_PER_DESC);
                let last = at + 1 == needed;
                let cmd = base | if last { eop } else { 0 };
                let raw = if offload.is_some() {
                    TxData {
                        addr: addr + pos as u64,
                        length: chunk as u32,
                        dcmd: cmd,
                        popts,
                        special: vlan.unwrap_or(0),
                    }
                    .encode()
                } else {
                    TxLegacy {
                        addr: addr + pos as u64,
                        length: chunk as u16,
                        cmd,
                        special: vlan.unwrap_or(0),
                        ..Default::default()
                    }
                    .encode()
                };
                let _ = desc.write(size.advance(tail, at) as usize, raw);
                at += 1;
                pos += chunk;
            }
        }
        first.descs = needed;
        first.bytes = bytes;
        first.packets = packets;
        dev.sent_queue(bytes);
        // The descriptors and slots are complete before the consumer sees
        // them. Cannot fail: `room` saw `needed` slots free, and only the
        // consumer changes that, upward.
        let _ = self.prod.publish(needed);
        if new_ctx.is_some() {
            self.last_ctx = new_ctx;
        }

        if self.prod.free() < STOP_THRESHOLD {
            dev.stop_queue();
            // Pairs with the fence in `TxCleaner::clean`: either we see the
            // space it freed, or it sees the stopped queue and wakes it.
            fence(Ordering::SeqCst);
            if self.prod.free() >= STOP_THRESHOLD {
                ctx.restart_queue();
            }
        }
        Ok(())
    }

    /// Whether `needed` slots are free. If not, stops the queue, and
    /// starts it again if the poll freed them meanwhile (it saw the queue
    /// running, so it will not wake it).
    fn room(&mut self, dev: &Netdev<Re1000<'_>>, ctx: &XmitCtx<'_>, needed: u16) -> bool {
        if self.prod.free() >= needed {
            return true;
        }
        dev.stop_queue();
        // As after queueing (see `queue`): the poll may have freed the ring
        // in between, seeing the queue not yet stopped.
        fence(Ordering::SeqCst);
        if self.prod.free() < needed {
            return false;
        }
        ctx.restart_queue();
        true
    }

    /// Unmaps the frame mapped into the tail's slot and not queued, and
    /// gives its sk_buff back.
    fn unmap_tail(&mut self, dev: &Netdev<Re1000<'_>>) -> Option<Skb> {
        let first = self.prod.slot(0)?;
        let skb = dev.data().dma.unmap_tx(&mut first.frame);
        // Another device's frame (cannot happen) is leaked, not kept.
        first.frame = None;
        skb
    }

    /// Queues a frame an XDP program sent back (XDP_TX), in descriptors of
    /// at most `TX_MAX_PER_DESC` bytes (a jumbo MTU's 4096-byte buffer with
    /// a header pushed in front takes two); false if the ring lacks room
    /// (the page goes back to its pool). From the poll, under the queue's
    /// lock (`Netdev::with_tx_in_poll`): it shares the ring with
    /// `start_xmit`, whose own room checks see the slot taken. The poll
    /// hands the frames it queued to the device at its end, with one tail
    /// write ([`TxRing::kick`]): under QEMU each write is
    /// an exit that sends what it exposes, and a write per frame was most
    /// of XDP_TX's cost.
    pub(crate) fn xmit_xdp(&mut self, dev: &Netdev<Re1000<'_>>, page: TxPage) -> bool {
        let len = page.len();
        let Ok(n) = u16::try_from(descs_for(len)) else {
            return false;
        };
        if n == 0 || len > rxbuf::max_frame(rxbuf::MAX_MTU) || !self.xdp_room(n) {
            return false;
        }
        self.queue_xdp(dev, n, len, core::iter::once(page))
    }

    /// Queues a frame over several pages an XDP program sent back (XDP_TX),
    /// each page in descriptors as [`TxRing::xmit_xdp`] queues one.
    pub(crate) fn xmit_xdp_frame(&mut self, dev: &Netdev<Re1000<'_>>, pages: TxPages) -> bool {
        let descs: usize = pages.iter().map(|p| descs_for(p.len())).sum();
        let Ok(n) = u16::try_from(descs) else {
            return false;
        };
        let len = pages.len();
        // No longer than the longest frame the device receives (a program
        // may have grown the head).
        // Every page takes a descriptor (the cleanup finds the frame by its
        // first slot's page).
        if n == 0
            || pages.iter().any(TxPage::is_empty)
            || len > rxbuf::max_frame(rxbuf::MAX_MTU)
            || !self.xdp_room(n)
        {
            return false;
        }
        self.queue_xdp(dev, n, len, pages.into_pages())
    }

    /// Whether `n` descriptors can be queued for XDP_TX: the stack's next
    /// frame keeps the room it stops the queue for.
    fn xdp_room(&mut self, n: u16) -> bool {
        self.prod.free() >= n.saturating_add(STOP_THRESHOLD)
            && (0..n).all(|k| self.prod.slot(k).is_some())
    }

    /// Queues the non-empty pages of a frame of `len` bytes in `n`
    /// descriptors, each page in `descs_for` its length (`xdp_room(n)`
    /// checked): the slot of a page's first descriptor keeps it until the
    /// frame is sent. False (nothing published, the pages back to their
    /// pool) if a slot is missing after all.
    fn queue_xdp(
        &mut self,
        dev: &Netdev<Re1000<'_>>,
        n: u16,
        len: usize,
        pages: impl Iterator<Item = TxPage>,
    ) -> bool {
        let size = self.size;
        let tail = self.prod.tail();
        let since_rs = self.since_rs;
        let rs = report_due(&mut self.since_rs, n);
        let mut at: u16 = 0;
        let mut short = false;
        'pages: for page in pages {
            let (addr, plen) = (page.addr(), page.len());
            let mut page = Some(page);
            let mut pos = 0;
            while pos < plen {
                let chunk = (plen - pos).min(TX_MAX_PER_DESC);
                let raw = TxLegacy {
                    addr: addr + pos as u64,
                    length: chunk as u16,
                    cmd: TXD_CMD_IFCS | if at + 1 == n { TXD_CMD_EOP | rs } else { 0 },
                    ..Default::default()
                }
                .encode();
                let Some((slot, desc)) = self.prod.slot_with_extra(at).filter(|_| at < n) else {
                    short = true;
                    break 'pages;
                };
                // Cannot fail: the index is in the ring.
                let _ = desc.write(size.advance(tail, at) as usize, raw);
                // The slot of the page's first descriptor keeps it: the
                // cleanup knows an XDP_TX frame by its first slot's page.
                if pos == 0 {
                    slot.xdp = page.take();
                }
                pos += chunk;
                at += 1;
            }
        }
        if at != n || short {
            // Cannot happen (`xdp_room`): the frame is incomplete, and goes.
            for k in 0..at {
                if let Some(slot) = self.prod.slot(k) {
                    slot.xdp = None;
                }
            }
            self.since_rs = since_rs;
            return false;
        }
        let Some(first) = self.prod.slot(0) else {
            return false; // cannot happen: `at == n >= 1`
        };
        first.descs = n;
        first.bytes = len as u32;
        first.packets = 1;
        dev.sent_queue(len as u32);
        // The descriptors and slots are complete before the consumer sees
        // them.
        self.prod.publish(n);
        true
    }

    /// Queues frames other devices' XDP programs redirected here
    /// (`ndo_xdp_xmit`, under the queue's lock), each buffer (the linear
    /// part, then each fragment of a multi-buffer frame) in descriptors of
    /// at most `TX_MAX_PER_DESC` bytes as the stack's frames, and hands
    /// them to the device. The tail is written on every call, not only when the core
    /// asks (`XDP_XMIT_FLUSH`): it calls without when its bulk queue is
    /// full (16 frames), and the call that would flush may never come (a
    /// devmap program dropping the rest), leaving frames in the ring that
    /// the stack's BQL counts. A frame that cannot be mapped, or longer
    /// than the device sends (a devmap program may grow one after the
    /// core's MTU check), is dropped alone; once the ring lacks room (it keeps the stack's, as for
    /// XDP_TX) the frame goes back to the core with those after it.
    /// Returns (queued, refused).
    ///
    /// A frame under the Ethernet minimum is padded from the ring's zeroed
    /// buffer in a second descriptor, as the C driver pads the stack's
    /// frames for the PCI 8254x's erratum (`queue`): the frame's own memory
    /// is its sender's, and the layer gives no write access to it.
    pub(crate) fn xmit_redirected(
        &mut self,
        dev: &Netdev<Re1000<'_>>,
        frames: &mut XdpXmit<'_>,
    ) -> (u64, u64) {
        let d = dev.data();
        let size = self.size;
        let (mut queued, mut refused) = (0u64, 0u64);
        while let Some(frame) = frames.next() {
            let bufs = frame.bufs();
            let total = frame.total_len();
            // The core checked the length against the MTU when it queued
            // the frame; a devmap program may have grown it since.
            if total > rxbuf::max_frame(rxbuf::MAX_MTU) {
                drop(frame);
                refused += 1;
                continue;
            }
            let pad = ETH_ZLEN.saturating_sub(total);
            let pad_addr = if pad > 0 { self.pad.bus_addr(0) } else { None };
            let pad = if pad_addr.is_some() { pad } else { 0 };
            let data_descs = match bufs {
                1 => descs_for(total),
                _ => (0..bufs).map(|i| descs_for(frame.buf_len(i))).sum(),
            };
            let needed = data_descs + usize::from(pad > 0);
            if usize::from(self.prod.free()) < needed + usize::from(STOP_THRESHOLD) {
                refused += 1 + frames.remaining() as u64;
                frames.give_back(frame);
                break;
            }
            let frame = match d.dma.map_xdp(frame) {
                Ok(f) => f,
                Err(frame) => {
                    drop(frame);
                    refused += 1;
                    continue;
                }
            };
            // A descriptor per `TX_MAX_PER_DESC` bytes of each mapped buffer
            // (an empty fragment is not mapped: `needed` counted none).
            let since_rs = self.since_rs;
            // CAST: `needed` is below the ring's free slots, a `u16`.
            let rs = report_due(&mut self.since_rs, needed as u16);
            let tail = self.prod.tail();
            let desc = self.prod.extra();
            let mut at: u16 = 0;
            let mut sent = 0;
            for (addr, blen) in (0..frame.bufs()).filter_map(|i| frame.buf(i)) {
                let mut pos = 0;
                while pos < blen && usize::from(at) < data_descs {
                    let chunk = (blen - pos).min(TX_MAX_PER_DESC);
                    sent += chunk;
                    let last = sent == total && pad_addr.is_none();
                    let raw = TxLegacy {
                        addr: addr + pos as u64,
                        length: chunk as u16,
                        cmd: TXD_CMD_IFCS | if last { TXD_CMD_EOP | rs } else { 0 },
                        ..Default::default()
                    }
                    .encode();
                    // Cannot fail: the index is in the ring.
                    let _ = desc.write(size.advance(tail, at) as usize, raw);
                    at += 1;
                    pos += chunk;
                }
            }
            if sent != total || frame.len() != total {
                // Cannot happen (the mapped buffers are those `needed`
                // counted): the frame is incomplete, and goes unpublished.
                self.since_rs = since_rs;
                drop(d.dma.unmap_xdp(frame));
                refused += 1;
                continue;
            }
            if let Some(pad_addr) = pad_addr {
                let raw = TxLegacy {
                    addr: pad_addr,
                    length: pad as u16,
                    cmd: TXD_CMD_IFCS | TXD_CMD_EOP | rs,
                    ..Default::default()
                }
                .encode();
                let _ = desc.write(size.advance(tail, at) as usize, raw);
                at += 1;
            }
            let bytes = (total + pad) as u32;
            let Some(first) = self.prod.slot(0) else {
                // Cannot happen (`free() >= needed`): unmapped and given
                // back to its memory, nothing published.
                self.since_rs = since_rs;
                drop(d.dma.unmap_xdp(frame));
                refused += 1;
                continue;
            };
            first.descs = at;
            first.bytes = bytes;
            first.packets = 1;
            first.redirected = Some(frame);
            dev.sent_queue(bytes);
            // The descriptors and slot are complete before the consumer sees them.
            self.prod.publish(at);
            queued += 1;
        }
        self.kick(dev);
        (queued, refused)
    }

    /// Hands everything queued to the device (one MMIO write: in QEMU the
    /// whole transmit happens inside it), asking for status on the last
    /// descriptor; false if there was nothing new.
    pub(crate) fn kick(&mut self, dev: &Netdev<Re1000<'_>>) -> bool {
        let tail = self.prod.tail();
        if tail == self.kicked {
            return false; // nothing new since the last tail write
        }
        self.kicked = tail;
        self.since_rs = 0;
        // The last descriptor of the newest frame, still the driver's until
        // the tail write: RS there, so that DD tells the batch is done. The
        // consumer may read it meanwhile, and sees RS or not, never DD.
        let size = self.size;
        let newest = size.advance(tail, size.get() - 1) as usize;
        let desc = self.prod.extra();
        if let Some(word1) = desc.read_word(newest, WORD1) {
            // Cannot fail: the index is in the ring.
            let _ = desc.write_word(newest, WORD1, tx_with_report(word1));
        }
        // Descriptors in memory before the tail write that exposes them.
        dma::wmb();
        dev.data().regs.write(Tdt(0).with_index(u32::from(tail)));
        dev.trans_update();
        true
    }

    /// Whether the device wrote DD back on the newest queued descriptor (and
    /// so, sending in order, on all of them). The descriptor is ours to read:
    /// only its status changes under us, and a stale answer costs one poll
    /// or one interrupt's wait.
    fn sent_all(&self) -> bool {
        let size = self.size;
        let newest = size.advance(self.prod.tail(), size.get() - 1);
        let word1 = self
            .prod
            .extra()
            .read_word(newest as usize, WORD1)
            .unwrap_or(0);
        tx_done(word1)
    }
}

impl<'a> TxCleaner<'a> {
    /// The ring's size in descriptors.
    pub(crate) fn ring_len(&self) -> u16 {
        self.size.get()
    }

    /// Descriptors from the head that the device is done with: up to the
    /// newest frame whose last descriptor has DD, since the device sends in
    /// order and writes DD only where RS asked (the last frame of each tail
    /// write, and one every `RS_EVERY` descriptors). Stops at a frame that
    /// asked and is not done, at the unpublished end, or after a ring's
    /// worth of frames.
    fn done_descs(&mut self) -> u16 {
        let size = self.size;
        let head = self.cons.head();
        let pending = self.cons.pending();
        let (mut at, mut done, mut frames) = (0u16, 0u16, 0u16);
        while at < pending && frames < size.get() {
            let Some(first) = self.cons.slot(at) else {
                break;
            };
            let descs = first.descs.clamp(1, pending - at);
            let last = size.advance(head, at + descs - 1) as usize;
            let word1 = self.cons.extra().read_word(last, WORD1).unwrap_or(0);
            at += descs;
            frames += 1;
            if tx_done(word1) {
                done = at;
            } else if tx_reports(word1) {
                break;
            }
        }
        done
    }

    /// Reclaims completed frames; returns (frames, bytes).
    ///
    /// Under netpoll, sent XDP_TX pages and redirected frames are held for
    /// the next real poll ([`Held`]), which gives them back first; the walk
    /// stops at a frame whose buffers no longer fit.
    pub(crate) fn clean(&mut self, dev: &Netdev<Re1000<'_>>, ctx: &PollCtx<'_>) -> (u32, u32) {
        let d = dev.data();
        let size = self.size;
        let netpoll = ctx.netpoll();
        if !netpoll && self.held.any() {
            self.held.release();
        }
        let (mut frames, mut packets, mut bytes) = (0u32, 0u32, 0u32);
        let mut done = self.done_descs();
        while done > 0 {
            let descs = match self.cons.slot(0) {
                Some(first) => first.descs.clamp(1, done),
                None => break,
            };
            if netpoll && self.buffers_in(descs) > self.held.room() {
                break;
            }
            let mut frame_bytes = 0;
            let mut frame_packets = 1;
            let mut xdp_frame = false;
            if let Some(first) = self.cons.slot(0) {
                frame_bytes = first.bytes;
                frame_packets = first.packets;
                if let Some(skb) = self.dma.unmap_tx(&mut first.frame) {
                    ctx.consume(skb);
                }
                // Another device's frame (cannot happen) is leaked, not kept.
                first.frame = None;
                // Sent: an XDP_TX frame's page goes back to its pool, a
                // redirected frame to its memory (under netpoll, later).
                if let Some(page) = first.xdp.take() {
                    xdp_frame = true;
                    self.held.give_back(netpoll, Sent::Page { _page: page });
                }
                if let Some(frame) = first.redirected.take() {
                    if let Some(frame) = self.dma.unmap_xdp(frame) {
                        self.held.give_back(netpoll, Sent::Frame { _frame: frame });
                    }
                }
                first.descs = 0;
                first.bytes = 0;
                first.packets = 0;
            }
            // An XDP_TX frame's other pages, sent too.
            if xdp_frame {
                for k in 1..descs {
                    if let Some(page) = self.cons.slot(k).and_then(|s| s.xdp.take()) {
                        self.held.give_back(netpoll, Sent::Page { _page: page });
                    }
                }
            }
            if !self.cons.release(descs) {
                break;
            }
            done -= descs;
            frames += 1;
            packets += u32::from(frame_packets);
            bytes = bytes.wrapping_add(frame_bytes);
        }
        if frames > 0 {
            d.sw.tx_packets.add(u64::from(packets));
            d.sw.tx_bytes.add(u64::from(bytes));
            dev.completed_queue(packets, bytes);
            // Pairs with the fence in `TxRing::xmit` (see there).
            fence(Ordering::SeqCst);
            let free = size.get() - 1 - self.cons.pending();
            if dev.queue_stopped() && free >= WAKE_THRESHOLD && dev.running() {
                dev.wake_queue(ctx);
                d.sw.tx_restart_queue.add(1);
            }
        }
        (frames, bytes)
    }

    /// How many buffers the frame in the first `descs` slots gives back
    /// once sent: its XDP_TX pages, or its redirected frame.
    fn buffers_in(&mut self, descs: u16) -> usize {
        let mut n = 0;
        for k in 0..descs {
            if let Some(s) = self.cons.slot(k) {
                n += usize::from(s.xdp.is_some()) + usize::from(s.redirected.is_some());
            }
        }
        n
    }

    /// Drops every frame still in the ring (device stopped): unmaps and
    /// frees them, counts them as dropped and resets the queue's byte limit.
    pub(crate) fn drain(&mut self, dev: &Netdev<Re1000<'_>>) {
        let dropped = self.free_all();
        dev.data().sw.tx_dropped.add(dropped);
        dev.reset_queue();
    }

    /// Unmaps and frees every queued frame; returns how many there were.
    fn free_all(&mut self) -> u64 {
        let pending = self.cons.pending();
        let mut dropped = 0u64;
        for i in 0..pending {
            if let Some(slot) = self.cons.slot(i) {
                if slot.frame.is_some() {
                    drop(self.dma.unmap_tx(&mut slot.frame));
                    // Another device's frame (cannot happen) is leaked.
                    slot.frame = None;
                    dropped += 1;
                }
                // An XDP_TX frame counts once, at its first page's slot.
                if slot.xdp.take().is_some() && slot.descs > 0 {
                    dropped += 1;
                }
                if let Some(frame) = slot.redirected.take() {
                    drop(self.dma.unmap_xdp(frame));
                    dropped += 1;
                }
                slot.descs = 0;
            }
        }
        self.cons.release(pending);
        self.held.release();
        dropped
    }
}

impl Drop for TxCleaner<'_> {
    fn drop(&mut self) {
        self.free_all();
    }
}

/// Counts `descs` more descriptors without RS; `TXD_CMD_RS` for the frame's
/// last descriptor if that makes `RS_EVERY` (and restarts the count).
fn report_due(since: &mut u16, descs: u16) -> u8 {
    *since = since.saturating_add(descs);
    if *since >= RS_EVERY {
        *since = 0;
        TXD_CMD_RS
    } else {
        0
    }
}
