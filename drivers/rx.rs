//! The receive ring: buffers handed to the device ahead of time, and the NAPI
//! poll that takes filled ones back, checks what the device wrote and gives
//! the frames to the stack.
//!
//! Slots in `[next_to_clean, next_to_use)` belong to the device; the others
//! are empty and are refilled in batches (each RDT write is a trip into QEMU).
//!
//! Every buffer is a page from the ring's page pool, which maps it once and
//! takes it back from the stack when the sk_buff that carried it is freed.
//! Every buffer sits behind XDP's headroom, with room for `skb_shared_info`
//! at its page's end. Up to the standard MTU the device writes 2048 bytes
//! at most into an order-0 page, a frame fits one buffer, and its sk_buff
//! is built around the page (no copy). Above it (jumbo frames, RCTL.LPE)
//! buffers are 4096 bytes in order-1 pages, and the device spreads a frame
//! over as many as it needs (three at MTU 9000), which the poll chains
//! (`RxFrame`): the sk_buff is built around the first, the others become
//! its fragments. Order-1 pages instead of one 16 KiB buffer per
//! descriptor (an order-3 atomic allocation each: 8 MiB pinned for the
//! default 256 descriptors at MTU 9000, 32 MiB for 1024; order-1 pin 2
//! MiB). Any buffer can be a frame's first and has XDP's rooms, so a
//! program can be attached at any MTU without new buffers. RCTL tells the
//! device the size of the buffers of the ring it has (`Re1000::rx_buf`),
//! never the MTU's: `change_mtu` sets the MTU before the new ring exists.
//!
//! Frames in one buffer up to the copybreak (ethtool's `rx-copybreak`
//! tunable, 256 bytes unless set) are copied into a small sk_buff and their
//! page goes straight back into the pool's cache: an acknowledgement then
//! charges its socket a few hundred bytes, not a page.
//!
//! With a native XDP program attached, the program sees every frame first,
//! in its pages (XDP's headroom in front, the frame size a page; a frame
//! over several buffers as a multi-buffer frame, for a program loaded for
//! them, `xdp.frags`, which above the standard MTU is the only kind
//! attached): XDP_PASS goes on as above (copybreak included, unless the
//! program left metadata), XDP_DROP and XDP_ABORTED recycle the pages,
//! XDP_REDIRECT hands them to the target (the layer flushes at the end of
//! the poll), and XDP_TX sends the frame on the transmit ring, each page in
//! descriptors of at most 4096 bytes (`TxRing::xmit_xdp`, under the queue's
//! lock), whose cleanup
//! gives the pages back to the pool.

use crate::device::Re1000;
use crate::hw::desc::{rx_desc, rx_writeback, RxWriteback, WORD1};
use crate::hw::regs::Rdt;
use crate::hw::ring::RingSize;
use crate::hw::rxbuf::{self, RxBuf};
use crate::hwio::DescRing;
use crate::layer::dma;
use crate::layer::napi::RxCtx;
use crate::layer::netdev::{Features, Netdev};
use crate::layer::page_pool::{self, PagePool, PoolPage, RxFrag, RxFrame, XDP_HEADROOM};
use crate::layer::skb::Skb;
use crate::layer::xdp::{FrameVerdict, ProgRef, Verdict};
use core::sync::atomic::Ordering;
use kernel::alloc::{flags::GFP_KERNEL, KVec};
use kernel::error::{
    code::{EINVAL, ENOMEM},
    Result,
};

/// Smallest frame accepted: an Ethernet header.
const ETH_HLEN: usize = 14;
/// Shortest Ethernet frame without its FCS: XDP_TX frames are padded to it
/// (as `start_xmit` pads the stack's).
const ETH_ZLEN: usize = 60;
/// Refill (and write RDT) once this many buffers were taken (sooner if the
/// device holds no more buffers than wait: `RingSize::refill_due`).
const REFILL_BATCH: u16 = 16;
/// Frames up to this size are copied into a fresh small sk_buff, unless
/// ethtool's rx-copybreak says otherwise (the C driver's copybreak).
pub(crate) const DEFAULT_COPYBREAK: u32 = 256;
/// The largest rx-copybreak: a standard MTU's buffer.
pub(crate) const MAX_COPYBREAK: u32 = 2048;

/// The receive ring, owned by the NAPI poll while the interface is up.
///
/// Each slot holds its page or nothing. Dropping the ring gives them back to
/// the pool, and the pool goes (the kernel frees it once the stack has given
/// back the pages it still holds): the device must be stopped first (`halt`
/// stops the receiver before the rings go).
pub(crate) struct RxRing<'a> {
    desc: DescRing<'a>,
    slots: KVec<Option<PoolPage>>,
    /// Where the slots' pages come from; after `slots` and `chain`, which
    /// give theirs back when dropped.
    size: RingSize,
    next_to_clean: u16,
    next_to_use: u16,
    /// The longest frame taken over several buffers: the MTU's, with the
    /// Ethernet header, a VLAN tag and the FCS.
    max_frame: usize,
    /// The size of every buffer, which RCTL tells the device
    /// (`Re1000::rx_buf`).
    buf: RxBuf,
    /// The frame whose first buffers were taken, until its last.
    chain: Option<RxFrame>,
    /// Dropping the rest of a frame refused at an earlier descriptor.
    discarding: bool,
    /// The copybreak, read at the start of each poll.
    copybreak: usize,
    pool: PagePool,
}

/// Outcome of one receive poll.
#[derive(Default)]
pub(crate) struct RxWork {
    /// Frames handed to the stack or dropped (the NAPI work count).
    pub(crate) frames: u32,
    /// Frames received whole: handed to the stack, or taken by the XDP
    /// program (dropped, sent back, redirected: received all the same, as
    /// the kernel's statistics.rst counts them).
    pub(crate) delivered: u32,
    /// Their bytes (as received).
    pub(crate) bytes: u32,
    /// The XDP program's verdicts.
    xdp: XdpWork,
}

/// XDP verdicts of one poll, added to the counters once at its end.
#[derive(Default)]
struct XdpWork {
    pass: u32,
    drop: u32,
    redirect: u32,
    tx: u32,
    aborted: u32,
}

impl RxWork {
    /// A frame of `len` bytes the XDP program took (dropped, sent back,
    /// redirected): received all the same.
    fn taken_by_xdp(&mut self, len: usize) {
        self.delivered += 1;
        self.bytes = self.bytes.wrapping_add(len as u32);
    }
}

impl XdpWork {
    /// Counts an XDP_TX frame: `sent`, or dropped (no room, or transmission
    /// off: its pages went back to their pool) and traced.
    fn sent_back(&mut self, dev: &Netdev<Re1000<'_>>, prog: ProgRef<'_>, sent: bool) {
        if sent {
            self.tx += 1;
        } else {
            prog.tx_failed(dev);
            self.aborted += 1;
        }
    }
}

impl<'a> RxRing<'a> {
    /// A ring of `size` buffers for the MTU (`RxBuf::for_mtu`) behind
    /// XDP's headroom, filled (process context).
    pub(crate) fn new(dev: &Netdev<Re1000<'a>>, size: RingSize) -> Result<Self> {
        let d = dev.data();
        let buf = RxBuf::for_mtu(dev.mtu());
        // The smallest pages that hold the buffer behind XDP's headroom and
        // before `skb_shared_info` (order 1 for 4096 bytes in 4 KiB pages).
        let order = page_pool::order_for(XDP_HEADROOM, buf.bytes()).ok_or(EINVAL)?;
        let mut pool = PagePool::new(
            &d.dma,
            dev,
            page_pool::Params {
                size: size.len() as u32,
                order,
                offset: XDP_HEADROOM as u32,
                max_len: buf.bytes() as u32,
                // XDP_TX sends from the buffers: a two-way mapping (under
                // swiotlb, a bounce copy each way).
                tx: true,
            },
        )?;
        // Every ring is XDP's receive queue 0, so that a program can be
        // attached without rebuilding it.
        pool.enable_xdp(dev, 0)?;
        let desc = DescRing::new(&d.dma, size.len())?;
        let mut slots = KVec::with_capacity(size.len(), GFP_KERNEL).map_err(|_| ENOMEM)?;
        for _ in 0..size.len() {
            slots.push(None, GFP_KERNEL).map_err(|_| ENOMEM)?;
        }
        let mut ring = Self {
            desc,
            slots,
            size,
            next_to_clean: 0,
            next_to_use: 0,
            max_frame: rxbuf::max_frame(dev.mtu()),
            buf,
            chain: None,
            discarding: false,
            copybreak: d.rx_copybreak.load(Ordering::Relaxed) as usize,
            pool,
        };
        ring.refill(dev, true);
        if ring.size.distance(ring.next_to_clean, ring.next_to_use) == 0 {
            return Err(ENOMEM);
        }
        Ok(ring)
    }

    /// The descriptor memory (for RDBAL/RDBAH/RDLEN).
    pub(crate) fn desc(&self) -> &DescRing<'a> {
        &self.desc
    }

    /// How many buffers the ring holds.
    pub(crate) fn buffers(&self) -> usize {
        self.size.len()
    }

    /// The size of its buffers, for RCTL.
    pub(crate) fn buf(&self) -> RxBuf {
        self.buf
    }

    /// The RDT value: one past the last buffer handed to the device.
    pub(crate) fn tail(&self) -> u16 {
        self.next_to_use
    }

    /// Fills empty slots with fresh pages (`may_sleep`: in process
    /// context); returns how many slots were handed back to the device.
    /// Stops at the first allocation failure (counted): the next poll tries
    /// again.
    fn refill(&mut self, dev: &Netdev<Re1000<'_>>, may_sleep: bool) -> u16 {
        let mut added = 0;
        while self.size.next(self.next_to_use) != self.next_to_clean {
            let i = self.next_to_use as usize;
            let Some(slot) = self.slots.get_mut(i) else {
                break;
            };
            let addr = match slot {
                // A page left in place (its frame refused unread): its
                // descriptor's status is cleared before the device sees it
                // again.
                Some(page) => page.addr(),
                None => {
                    let Some(page) = self.pool.alloc(may_sleep) else {
                        dev.data().sw.rx_alloc_failed.add_shared(1);
                        break;
                    };
                    slot.insert(page).addr()
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
    fn kick(&self, dev: &Netdev<Re1000<'_>>) {
        // The descriptors are written before the tail moves over them.
        dma::wmb();
        dev.data()
            .regs
            .write(Rdt(0).with_index(u32::from(self.next_to_use)));
    }

    /// Receives up to `budget` frames.
    pub(crate) fn poll(
        &mut self,
        dev: &Netdev<Re1000<'_>>,
        ctx: &RxCtx<'_>,
        budget: usize,
    ) -> RxWork {
        let d = dev.data();
        let features = dev.features();
        let rxall = features.contains(Features::RXALL);
        self.copybreak = d.rx_copybreak.load(Ordering::Relaxed) as usize;
        let mut work = RxWork::default();
        let mut taken: u16 = 0;
        // The program for this poll (the same one for all its frames).
        let prog = dev.xdp_prog(ctx);
        while (work.frames as usize) < budget {
            // Buffers go back every REFILL_BATCH taken, frames the stack got
            // or not (under XDP_DROP a 48-buffer ring would otherwise run
            // dry within one poll).
            if taken >= REFILL_BATCH && self.refill(dev, false) > 0 {
                self.kick(dev);
                taken = 0;
            }
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
            let taken_frame = self.take(dev, ctx, prog, i as usize, &wb, rxall, &mut work);
            let (mut skb, len) = match taken_frame {
                Ok(Some(frame)) => frame,
                // Part of a frame, or a frame the XDP program took.
                Ok(None) => continue,
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
        }
        // XDP_TX frames wait on the transmit ring for one tail write
        // (`TxRing::xmit_xdp`). The ring is the poll's to use until it ends:
        // transmission goes off (`TxOff`) only once NAPI is disabled.
        if work.xdp.tx > 0 {
            dev.with_tx_in_poll(ctx, |ring| ring.kick(dev));
        }
        // Taken buffers go back in batches (`refill_due`): a poll that took an
        // acknowledgement or two does not pay an RDT write for it.
        if self
            .size
            .refill_due(self.next_to_clean, self.next_to_use, REFILL_BATCH)
            && self.refill(dev, false) > 0
        {
            self.kick(dev);
        }
        d.sw.rx_packets.add(u64::from(work.delivered));
        d.sw.rx_bytes.add(u64::from(work.bytes));
        if prog.is_some() {
            let x = &work.xdp;
            d.sw.xdp_pass.add(u64::from(x.pass));
            d.sw.xdp_drop.add(u64::from(x.drop));
            d.sw.xdp_redirect.add(u64::from(x.redirect));
            d.sw.xdp_tx.add(u64::from(x.tx));
            d.sw.xdp_aborted.add(u64::from(x.aborted));
        }
        work
    }

    /// The part of a frame in the buffer of slot `i`: `Ok(None)` until the
    /// frame's last descriptor, then the whole frame as `deliver` or
    /// `deliver_frame` hands it on. A frame longer than the MTU allows (or
    /// than one buffer, up to the standard MTU) is refused; a part refused
    /// before it is read leaves its page in its slot, and the parts taken
    /// before it go back to the pool.
    #[allow(clippy::too_many_arguments)]
    fn take(
        &mut self,
        dev: &Netdev<Re1000<'_>>,
        ctx: &RxCtx<'_>,
        prog: Option<ProgRef<'_>>,
        i: usize,
        wb: &RxWriteback,
        rxall: bool,
        work: &mut RxWork,
    ) -> Result<Option<(Skb, usize)>, Refused> {
        let eop = wb.end_of_packet();
        let len = wb.checked_length(self.buf.bytes()).ok_or(Refused::Length)?;
        let so_far = self.chain.as_ref().map_or(0, RxFrame::len);
        // The MTU's longest frame, or any frame one buffer holds (the
        // device writes the FCS too with rx-fcs, past a tagged 1518 bytes).
        if so_far + len > self.max_frame.max(self.buf.bytes()) || (eop && so_far + len < ETH_HLEN) {
            return Err(Refused::Length);
        }
        // The error bits are valid on the last descriptor only.
        if eop && wb.frame_error() && !rxall {
            return Err(Refused::Error);
        }
        let frag = self.take_frag(i, len)?;
        let Some(mut frame) = self.chain.take() else {
            // A frame in one buffer: every frame up to the standard MTU, and
            // above it those up to 4096 bytes.
            if eop {
                return self.deliver(dev, ctx, prog, frag, work);
            }
            self.chain = Some(RxFrame::new(frag));
            return Ok(None);
        };
        if let Err(frag) = frame.push(frag) {
            // More buffers than an sk_buff has fragments: cannot happen
            // below the largest MTU's 4.
            self.pool.recycle(frag.into_page());
            self.pool.recycle_frame(frame);
            return Err(Refused::Length);
        }
        if !eop {
            self.chain = Some(frame);
            return Ok(None);
        }
        self.deliver_frame(dev, ctx, prog, frame, so_far + len, work)
    }

    /// A whole frame in one buffer, for the stack. With an XDP program, the
    /// program sees it first; only what it passes goes on (`Ok(None)`: it
    /// kept or dropped the frame, counted in `work` as received). Up to the
    /// copybreak it is copied out, else its sk_buff is built around the
    /// page.
    fn deliver(
        &mut self,
        dev: &Netdev<Re1000<'_>>,
        ctx: &RxCtx<'_>,
        prog: Option<ProgRef<'_>>,
        mut frag: RxFrag,
        work: &mut RxWork,
    ) -> Result<Option<(Skb, usize)>, Refused> {
        let len = frag.len();
        if let Some(prog) = prog {
            let verdict = ctx.run_xdp(dev, prog, &self.pool, frag);
            if !matches!(verdict, Verdict::Pass(_)) {
                work.taken_by_xdp(len);
            }
            let x = &mut work.xdp;
            frag = match verdict {
                Verdict::Pass(frag) => {
                    x.pass += 1;
                    frag
                }
                Verdict::Drop(page) => {
                    x.drop += 1;
                    self.pool.recycle(page);
                    return Ok(None);
                }
                Verdict::Redirected => {
                    x.redirect += 1;
                    return Ok(None);
                }
                Verdict::Aborted(page) => {
                    x.aborted += 1;
                    self.pool.recycle(page);
                    return Ok(None);
                }
                // Sent on the transmit ring the stack uses, under its lock;
                // its page comes back to the pool once sent.
                Verdict::Tx(tx) => {
                    let page = match tx.into_tx(&self.pool, ETH_ZLEN) {
                        Ok(page) => page,
                        Err(page) => {
                            x.aborted += 1;
                            self.pool.recycle(page);
                            return Ok(None);
                        }
                    };
                    let sent = dev.with_tx_in_poll(ctx, |ring| ring.xmit_xdp(dev, page));
                    x.sent_back(dev, prog, matches!(sent, Some(true)));
                    return Ok(None);
                }
            };
        }
        // The program may have moved the frame's head and tail (the kernel
        // keeps at least an Ethernet header); the counters take the frame
        // as received (`len`).
        let now = frag.len();
        if now < ETH_HLEN {
            self.pool.recycle(frag.into_page());
            return Err(Refused::Length);
        }
        // Metadata a program left goes with the page's sk_buff, not a copy.
        if now <= self.copybreak && frag.meta_len() == 0 {
            return self.copy_out(ctx, frag).map(|skb| Some((skb, len)));
        }
        match ctx.build_skb(frag) {
            Ok(skb) => Ok(Some((skb, len))),
            Err(frag) => {
                self.pool.recycle(frag.into_page());
                Err(Refused::NoMemory)
            }
        }
    }

    /// A whole frame over several buffers (above the standard MTU), of
    /// `len` bytes as received, for the stack: as `deliver`, an XDP program
    /// (one loaded for such frames) sees all its buffers first, as a
    /// multi-buffer frame. Its sk_buff is built around the first buffer,
    /// the others its fragments.
    fn deliver_frame(
        &mut self,
        dev: &Netdev<Re1000<'_>>,
        ctx: &RxCtx<'_>,
        prog: Option<ProgRef<'_>>,
        mut frame: RxFrame,
        len: usize,
        work: &mut RxWork,
    ) -> Result<Option<(Skb, usize)>, Refused> {
        if let Some(prog) = prog {
            let verdict = ctx.run_xdp_frame(dev, prog, &self.pool, frame);
            if !matches!(verdict, FrameVerdict::Pass(_)) {
                work.taken_by_xdp(len);
            }
            let x = &mut work.xdp;
            frame = match verdict {
                FrameVerdict::Pass(frame) => {
                    x.pass += 1;
                    frame
                }
                FrameVerdict::Drop(frame) => {
                    x.drop += 1;
                    self.pool.recycle_frame(frame);
                    return Ok(None);
                }
                FrameVerdict::Redirected => {
                    x.redirect += 1;
                    return Ok(None);
                }
                FrameVerdict::Aborted(frame) => {
                    x.aborted += 1;
                    self.pool.recycle_frame(frame);
                    return Ok(None);
                }
                // Each page in descriptors of at most 4096 bytes, on the
                // ring the stack uses.
                FrameVerdict::Tx(tx) => {
                    let Some(pages) = tx.into_tx(&mut self.pool, ETH_ZLEN) else {
                        x.aborted += 1;
                        return Ok(None);
                    };
                    let sent = dev.with_tx_in_poll(ctx, |ring| ring.xmit_xdp_frame(dev, pages));
                    x.sent_back(dev, prog, matches!(sent, Some(true)));
                    return Ok(None);
                }
            };
        }
        if frame.head().len() < ETH_HLEN {
            self.pool.recycle_frame(frame);
            return Err(Refused::Length);
        }
        let (head, frags) = frame.into_parts();
        let mut skb = match ctx.build_skb(head) {
            Ok(skb) => skb,
            Err(head) => {
                self.pool.recycle(head.into_page());
                for frag in frags {
                    self.pool.recycle(frag.into_page());
                }
                return Err(Refused::NoMemory);
            }
        };
        for frag in frags {
            // Cannot fail: an sk_buff of ours with as many fragment slots as
            // a frame may have buffers after its first. The sk_buff (and the
            // pages it holds) goes if it does.
            if let Err(frag) = skb.add_rx_frag(frag, 0) {
                self.pool.recycle(frag.into_page());
                return Err(Refused::Length);
            }
        }
        Ok(Some((skb, len)))
    }

    /// The page of slot `i`, into which the device wrote `len` bytes, taken
    /// back from it (the slot is refilled with another).
    fn take_frag(&mut self, i: usize, len: usize) -> Result<RxFrag, Refused> {
        let slot = self.slots.get_mut(i).ok_or(Refused::Length)?;
        let page = slot.take().ok_or(Refused::Length)?;
        self.pool.complete(page, len).map_err(|page| {
            *slot = Some(page);
            Refused::Length
        })
    }

    /// A short frame copied into a small sk_buff; its page goes back into
    /// the pool's cache, to be handed out again first.
    fn copy_out(&mut self, ctx: &RxCtx<'_>, frag: RxFrag) -> Result<Skb, Refused> {
        let len = frag.len();
        let small = ctx
            .alloc_skb(len)
            .ok_or(Refused::NoMemory)
            .and_then(|mut small| {
                small
                    .put_frag_head(&frag, len)
                    .map(|()| small)
                    .map_err(|_| Refused::Length)
            });
        self.pool.recycle(frag.into_page());
        small
    }

    /// Gives every page back to the pool (device stopped). Dropping the
    /// ring does the same.
    pub(crate) fn release(&mut self, _dev: &Netdev<Re1000<'_>>) {
        self.free_all();
    }

    fn free_all(&mut self) {
        for slot in self.slots.iter_mut() {
            *slot = None;
        }
        self.chain = None;
        self.discarding = false;
        self.next_to_clean = 0;
        self.next_to_use = 0;
    }
}
impl Drop for RxRing<'_> {
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
