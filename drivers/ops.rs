//! The interface's life cycle and data path entry points: open and stop,
//! transmit, the interrupt handler, the NAPI poll, link changes, receive
//! filters, MTU and address changes, and recovery from a transmit timeout.

use crate::device::{NapiState, Re1000, Reset, RxFilters, Watchdog, WATCHDOG_MS};
use crate::flowctl;
use crate::hw::desc::TxContext;
use crate::hw::filter::{RxMode, RAR_ENTRIES};
use crate::hw::itr::{Adaptive, Traffic};
use crate::hw::regs::{Icr, Ics, Imc, Rctl, Status, Vfta};
use crate::hw::rxbuf::{RxBuf, ETH_DATA_LEN};
use crate::hwinit;
use crate::layer::errno::eopnotsupp;
use crate::layer::irq::{self, Return};
use crate::layer::napi::{Poll, PollCtx, Round};
use crate::layer::netdev::{
    AddrLists, Features, LinkStats, Netdev, Operations, QueueStats, XmitCtx,
};
use crate::layer::skb::Skb;
use crate::layer::work::Worker;
use crate::layer::xdp::{XdpInstalled, XdpSetup, XdpXmit};
use crate::link;
use crate::netdev_log;
use crate::rx::RxRing;
use crate::tx::{self, TxCleaner, TxRing};
use core::sync::atomic::Ordering;
use kernel::error::{code::EINVAL, Result};
use kernel::prelude::vtable;

/// Most multicast addresses hashed one by one; beyond, accept all multicast.
const MAX_MC_ADDRS: usize = 64;

impl<'b> Re1000<'b> {
    /// Reports link changes: carrier on or off, and the C driver's messages.
    pub(crate) fn check_link(dev: &Netdev<Self>) {
        let status = dev.data().regs.read::<Status>();
        let up = status.lu();
        if up && !dev.carrier_ok() {
            netdev_log!(
                dev,
                Info,
                "NIC Link is Up {} Mbps {} Duplex, Flow Control: {}\n",
                status.speed_mbps(),
                if status.fd() { "Full" } else { "Half" },
                hwinit::flow_control(&dev.data().regs).describe()
            );
            dev.carrier_on();
        } else if !up && dev.carrier_ok() {
            netdev_log!(dev, Info, "NIC Link is Down\n");
            dev.carrier_off();
        }
    }

    /// The receive control value for the current MTU, filters and `features`;
    /// the overflow flags say which address lists did not fit the device.
    fn wanted_rctl(
        dev: &Netdev<Self>,
        features: Features,
        multicast_overflow: bool,
        unicast_overflow: bool,
    ) -> Rctl {
        let mode = RxMode {
            promisc: dev.promisc(),
            allmulti: dev.allmulti() || multicast_overflow,
            unicast_overflow,
            vlan_filter: features.contains(Features::VLAN_FILTER),
        };
        // The buffers of the ring the device has (the smallest before any):
        // never larger than they are, whatever the MTU says meanwhile.
        let rx_buf = dev.data().rx_buf.load(Ordering::Relaxed);
        let buf = RxBuf::from_bytes(rx_buf).unwrap_or(RxBuf::B2048);
        let rctl = buf.rctl(hwinit::base_rctl(), dev.mtu());
        let rctl = rctl.with_sbp(features.contains(Features::RXALL));
        let rctl = rctl.with_secrc(!features.contains(Features::RXFCS));
        mode.apply(rctl)
    }

    /// Programs the multicast table, the extra unicast addresses and RCTL,
    /// skipping writes that would not change anything (an RCTL write stalls
    /// QEMU's receiver for a second). Returns the RCTL value it wants. The
    /// address lists stay locked throughout, which also serialises the
    /// callers (`set_rx_mode`, `set_features`, `start`) and `rctl_off`.
    fn apply_rx_filters(
        dev: &Netdev<Self>,
        lists: &AddrLists<'_, Self>,
        features: Features,
    ) -> Rctl {
        let d = dev.data();
        let mut want = RxFilters::default();
        let mut mc = [[0u8; 6]; MAX_MC_ADDRS];
        let n_mc = lists.mc_addrs(&mut mc);
        for addr in &mc[..n_mc.min(MAX_MC_ADDRS)] {
            want.mta.add(addr);
        }
        let mut uc = [[0u8; 6]; RAR_ENTRIES - 1];
        let n_uc = lists.uc_addrs(&mut uc);
        let overflow = n_uc > uc.len();
        if !overflow {
            for (slot, addr) in want.unicast.iter_mut().zip(&uc[..n_uc]) {
                *slot = Some(*addr);
            }
        }
        {
            let mut cached = d.filters.lock();
            if cached.mta != want.mta {
                hwinit::write_mta(&d.regs, &want.mta);
            }
            if cached.unicast != want.unicast {
                for (i, addr) in want.unicast.iter().enumerate() {
                    let _ = hwinit::set_rar(&d.regs, i + 1, addr.as_ref());
                }
            }
            *cached = want;
        }
        let rctl = Self::wanted_rctl(dev, features, n_mc > MAX_MC_ADDRS, overflow);
        // A shadow of 0 means the receiver is being set up: `configure_rx`
        // writes RCTL once the ring is in place.
        let prev = d.rctl.swap(rctl.0, Ordering::Relaxed);
        if prev != 0 && prev != rctl.0 {
            d.regs.write(rctl);
        }
        rctl
    }

    /// Adds or removes one VLAN id of the filter table.
    fn set_vid(dev: &Netdev<Self>, vid: u16, on: bool) -> Result {
        let d = dev.data();
        let (index, bit) = ((vid as usize >> 5) & 0x7F, 1u32 << (vid & 31));
        let mut c = d.config.lock();
        let word = c.vfta.get_mut(index).ok_or(kernel::error::code::EINVAL)?;
        *word = if on { *word | bit } else { *word & !bit };
        d.regs.write_at::<Vfta>(index, *word)
    }

    /// Stops the device, frees the rings and the interrupt line. Safe to
    /// call when already down. A reset queued by a transmit timeout is
    /// dropped (as the C driver's `e1000_down_and_stop`); not waited for,
    /// since it takes RTNL, which `stop` holds: one already running finds
    /// the interface down and does nothing.
    pub(crate) fn down(dev: &Netdev<Self>) {
        dev.data().reset_work.cancel();
        drop(Self::halt(dev, false));
    }

    /// Sets RCTL's shadow to 0, after which `set_rx_mode` and
    /// `set_features` write RCTL no more: one in flight ends before the
    /// address lists' lock is ours (they write under it), later ones see 0.
    /// The receiver is stopped after this, so that none turns it on again
    /// over buffers about to go. Process context, where the lock can be
    /// taken.
    fn rctl_off(dev: &Netdev<Self>) {
        let d = dev.data();
        if dev
            .with_addr_lists(|_| d.rctl.store(0, Ordering::Relaxed))
            .is_err()
        {
            d.rctl.store(0, Ordering::Relaxed);
        }
    }

    /// Stops the device and frees the rings. With `keep_line`, the interrupt
    /// line stays requested (masked at the device, no handler of ours in
    /// flight when this returns) and is returned for `start` to reuse, as
    /// the C driver holds it from open to stop; otherwise it is freed before
    /// NAPI is disabled.
    ///
    /// The order is the C driver's `e1000_down`: receive and transmit off,
    /// interrupts and polling stopped, the device reset (which waits for DMA
    /// in flight) and only then the buffers unmapped and freed.
    fn halt(dev: &Netdev<Self>, keep_line: bool) -> Option<irq::Registration<Self>> {
        let d = dev.data();
        d.watchdog.cancel_sync();
        hwinit::irq_disable(&d.regs);
        Self::rctl_off(dev);
        hwinit::stop_rx_tx(&d.regs);
        // The last counts, before the reset below (or `start`, or a
        // self-test) clears them.
        d.hw_stats.stop(&d.regs);
        // Freed first when not kept: no handler may schedule NAPI after this.
        // A kept line may still run the handler (the line is shared): it
        // touches no ring, only registers (ICR, IMC) and flags, and its
        // schedule of a disabled NAPI does nothing; `start` resets the
        // flags and raises a cause for what it may have read away.
        let line = d.config.lock().irq.take().filter(|_| keep_line);
        d.napi.link_queues(dev, None);
        // When `disable` returns no poll runs, not even the tail of one
        // whose completion NAPI accepted (`Poll::completed`, which unmasks):
        // the mask below is the last word.
        let napi_state = d.napi.disable().map(|mut off| off.state().take());
        hwinit::irq_disable(&d.regs);
        if let Some(line) = &line {
            line.synchronize();
        }
        d.irq_masked.store(false, Ordering::Relaxed);
        let tx_state = dev.tx_off().map(|mut off| off.state().take());
        // Receive and transmit are off; the reset waits for DMA in flight
        // to land before the buffers it may target are unmapped and freed.
        hwinit::reset(&d.regs);
        if let Ok(Some(mut st)) = napi_state {
            st.tx.drain(dev);
            st.rx.release(dev);
        }
        drop(tx_state);
        dev.carrier_off();
        line
    }

    /// Applies a change that needs the rings rebuilt (the change is already
    /// made in the configuration), or rebuilds them unchanged for a reset
    /// (`undo` does nothing). If the interface is up, the new rings are
    /// allocated first, while the old ones still run: should that fail (no
    /// memory), `undo` restores the old configuration and the interface goes
    /// on untouched, as with the C driver. Only then is it halted and
    /// started on the new rings, on the interrupt line it already holds;
    /// should starting fail, the old configuration is brought up again. The
    /// error is returned.
    pub(crate) fn reconfigure(dev: &Netdev<Self>, undo: impl FnOnce()) -> Result {
        if !dev.running() {
            return Ok(());
        }
        let rings = match Rings::new(dev) {
            Ok(rings) => rings,
            Err(e) => {
                undo();
                netdev_log!(
                    dev,
                    Warn,
                    "cannot rebuild the rings ({:?}), old ones kept\n",
                    e
                );
                return Err(e);
            }
        };
        let line = Self::halt(dev, true);
        let Err(e) = Self::start(dev, rings, line) else {
            return Ok(());
        };
        undo();
        match Self::up(dev) {
            Ok(()) => netdev_log!(dev, Warn, "change failed ({:?}), old settings kept\n", e),
            Err(e2) => netdev_log!(dev, Err, "cannot restart the interface: {:?}\n", e2),
        }
        Err(e)
    }

    /// Allocates the rings, programs the device and starts it.
    pub(crate) fn up(dev: &Netdev<Self>) -> Result {
        let rings = Rings::new(dev)?;
        Self::start(dev, rings, None)
    }

    /// Programs the device for `rings` and starts it, on `line` if the
    /// interrupt line is still held (a reconfiguration), else on a newly
    /// requested one. On failure the device is stopped and `line` freed.
    fn start(
        dev: &Netdev<Self>,
        rings: Rings<'b>,
        line: Option<irq::Registration<Self>>,
    ) -> Result {
        let d = dev.data();
        let Rings {
            tx: tx_ring,
            tx_cleaner,
            mut rx,
        } = rings;

        let features = dev.features();
        hwinit::reset(&d.regs);
        d.hw_stats.rebase(&d.regs);
        if let Err(e) = hwinit::init(&d.regs, &dev.addr()) {
            // The receive buffers are mapped: unmap them before they go.
            rx.release(dev);
            return Err(e);
        }
        hwinit::set_vlan_mode(&d.regs, features.contains(Features::VLAN_RX));
        hwinit::write_vfta(&d.regs, &d.config.lock().vfta);
        hwinit::configure_tx(&d.regs, tx_ring.desc(), d.tx_usecs.load(Ordering::Relaxed));
        // Renegotiates if the PHY advertises other modes (a link change
        // interrupt then brings the link up and settles flow control).
        if let Err(e) = link::program(dev) {
            netdev_log!(
                dev,
                Warn,
                "cannot program the PHY's advertisement: {:?}\n",
                e
            );
        }
        if let Err(e) = flowctl::apply(dev) {
            netdev_log!(dev, Warn, "cannot read the PHY, no flow control: {:?}\n", e);
        }
        // The device's filters are empty after `init`: program them, then
        // the receiver, with the RCTL value they need.
        *d.filters.lock() = RxFilters::default();
        d.rctl.store(0, Ordering::Relaxed);
        d.rx_buf.store(rx.buf().bytes() as u32, Ordering::Relaxed);
        let rctl = match dev.with_addr_lists(|lists| Self::apply_rx_filters(dev, lists, features)) {
            Ok(rctl) => rctl,
            Err(e) => {
                rx.release(dev);
                return Err(e);
            }
        };
        hwinit::configure_rx(&d.regs, rx.desc(), rx.tail(), rctl);
        hwinit::set_itr(&d.regs, d.itr_rate.load(Ordering::Relaxed));

        // Neither guard can be held here (`down` ran, or nothing was up);
        // should one be, stop the receiver before its buffers go.
        let guards = d.napi.disable().and_then(|napi| Ok((napi, dev.tx_off()?)));
        let (mut napi, mut tx) = match guards {
            Ok(guards) => guards,
            Err(e) => {
                // The receiver runs on `rx`: no RCTL write turns it on
                // again, and the reset waits for DMA in flight, before its
                // buffers go.
                Self::rctl_off(dev);
                hwinit::reset(&d.regs);
                rx.release(dev);
                return Err(e);
            }
        };
        let rx_len = rx.buffers() as u32;
        let tx_len = u32::from(tx_cleaner.ring_len());
        *napi.state() = Some(NapiState {
            rx,
            tx: tx_cleaner,
            itr: Adaptive::new(rx_len, tx_len),
        });
        *tx.state() = Some(tx_ring);
        let requested = match line {
            Some(line) => Ok(line),
            None => irq::Registration::new(dev, d.pdev.irq()),
        };
        let registration = match requested {
            Ok(r) => r,
            Err(e) => {
                netdev_log!(dev, Err, "cannot request IRQ {}: {:?}\n", d.pdev.irq(), e);
                // The receiver runs: as above, stopped for good (no RCTL
                // write turns it on again) before its buffers go.
                Self::rctl_off(dev);
                hwinit::reset(&d.regs);
                if let Some(mut st) = napi.state().take() {
                    st.tx.drain(dev);
                    st.rx.release(dev);
                }
                *tx.state() = None;
                return Err(e);
            }
        };
        d.config.lock().irq = Some(registration);
        d.napi.link_queues(dev, Some(d.pdev.irq()));
        // The interrupt is unmasked below whatever a handler recorded since
        // `halt`; the flag is cleared before NAPI can run a poll that reads it.
        d.irq_masked.store(false, Ordering::Relaxed);
        napi.enable();
        hwinit::irq_enable(&d.regs);
        // A cause the device set during the rebuild may have been read away
        // (ICR clears on read) by the handler, run for another device on the
        // shared line while NAPI was disabled: as the C driver's e1000_up,
        // raise a link change by software so that a poll runs on the new
        // rings now rather than at the next frame.
        d.regs.write(Ics(0).with_lsc(true));
        tx.start();
        Self::check_link(dev);
        // Rebased after the reset above: the folds may go on.
        d.hw_stats.restart();
        d.watchdog.schedule_in(WATCHDOG_MS);
        Ok(())
    }
}

/// A set of rings for the current configuration (ring sizes, MTU), allocated
/// and filled but not yet given to the device.
struct Rings<'b> {
    tx: TxRing<'b>,
    tx_cleaner: TxCleaner<'b>,
    rx: RxRing<'b>,
}

impl<'b> Rings<'b> {
    fn new(dev: &Netdev<Re1000<'b>>) -> Result<Self> {
        let d = dev.data();
        let (rx_size, tx_size) = {
            let c = d.config.lock();
            (c.rx_ring, c.tx_ring)
        };
        let (tx, tx_cleaner) = tx::new_ring(&d.dma, tx_size)?;
        let rx = RxRing::new(dev, rx_size)?;
        Ok(Self { tx, tx_cleaner, rx })
    }
}

#[vtable]
impl<'b> Operations for Re1000<'b> {
    type TxState = TxRing<'b>;

    fn open(dev: &Netdev<Self>) -> Result {
        Self::up(dev)
    }

    fn stop(dev: &Netdev<Self>) -> Result {
        Self::down(dev);
        Ok(())
    }

    fn start_xmit(
        dev: &Netdev<Self>,
        tx: &mut TxRing<'b>,
        skb: Skb,
        ctx: &XmitCtx<'_>,
    ) -> Result<(), Skb> {
        tx.xmit(dev, skb, ctx)
    }

    fn get_stats64(dev: &Netdev<Self>, s: &mut LinkStats) {
        let d = dev.data();
        d.hw_stats.update(&d.regs);
        let hw = &d.hw_stats;
        s.rx_packets = d.sw.rx_packets.get();
        s.rx_bytes = d.sw.rx_bytes.get();
        s.tx_packets = d.sw.tx_packets.get();
        s.tx_bytes = d.sw.tx_bytes.get();
        s.tx_dropped = d.sw.tx_dropped.get();
        // As the C driver: frames the device refused as too long (ROC,
        // which QEMU counts) or too short (RUC), and the driver's own.
        s.rx_length_errors =
            d.sw.rx_length_errors.get() + hw.get("rx_oversize") + hw.get("rx_short_length_errors");
        s.rx_crc_errors = hw.get("rx_crc_errors");
        s.rx_frame_errors = hw.get("rx_align_errors");
        s.rx_missed_errors = hw.get("rx_missed_errors");
        s.rx_over_errors = hw.get("rx_no_buffer_count");
        s.rx_errors =
            d.sw.rx_errors.get() + s.rx_length_errors + s.rx_crc_errors + s.rx_frame_errors;
        s.rx_dropped = d.sw.rx_alloc_failed.get();
        s.multicast = hw.get("rx_multicast");
        s.collisions = hw.get("collisions");
        // As the C driver: collisions that aborted a frame are its TX errors.
        s.tx_aborted_errors = hw.get("tx_excessive_collisions");
        s.tx_window_errors = hw.get("tx_late_collisions");
        s.tx_errors = s.tx_aborted_errors + s.tx_window_errors;
    }

    fn queue_stats(dev: &Netdev<Self>) -> Option<QueueStats> {
        let sw = &dev.data().sw;
        Some(QueueStats {
            rx_packets: sw.rx_packets.get(),
            rx_bytes: sw.rx_bytes.get(),
            rx_alloc_fail: sw.rx_alloc_failed.get(),
            tx_packets: sw.tx_packets.get(),
            tx_bytes: sw.tx_bytes.get(),
        })
    }

    fn tx_timeout(dev: &Netdev<Self>) {
        let d = dev.data();
        d.sw.tx_timeouts.add(1);
        netdev_log!(dev, Warn, "transmit timed out: resetting\n");
        d.reset_work.schedule();
    }

    fn set_mac_address(dev: &Netdev<Self>, mac: &[u8; 6]) -> Result {
        hwinit::set_rar(&dev.data().regs, 0, Some(mac))
    }

    fn change_mtu(dev: &Netdev<Self>, mtu: u32) -> Result {
        if mtu > ETH_DATA_LEN && dev.xdp_attached_single_buffer() {
            // Above it a frame may span buffers, which the program cannot
            // take (it was not loaded for multi-buffer frames: `xdp.frags`).
            netdev_log!(
                dev,
                Warn,
                "MTU {} spans receive buffers: the attached XDP program does not take multi-buffer frames (xdp.frags)\n",
                mtu
            );
            return Err(EINVAL);
        }
        if !dev.running() {
            dev.set_mtu(mtu);
            return Ok(());
        }
        let old = dev.mtu();
        dev.set_mtu(mtu);
        Self::reconfigure(dev, || dev.set_mtu(old))
    }

    fn set_rx_mode(dev: &Netdev<Self>, lists: &AddrLists<'_, Self>) {
        if dev.running() && dev.data().rctl.load(Ordering::Relaxed) != 0 {
            Self::apply_rx_filters(dev, lists, dev.features());
        }
    }

    fn fix_features(dev: &Netdev<Self>, features: Features) -> Features {
        // One bit (CTRL.VME) enables both stripping and insertion: the device
        // can strip without inserting (the stack then inserts), not insert
        // without stripping.
        let features = if features.contains(Features::VLAN_RX) {
            features
        } else {
            features.without(Features::VLAN_TX)
        };
        // An XDP program sees frames without their FCS (and XDP_TX frames
        // get one from the device).
        if dev.xdp_attached() {
            features.without(Features::RXFCS)
        } else {
            features
        }
    }

    fn set_features(dev: &Netdev<Self>, features: Features) -> Result {
        let d = dev.data();
        let changed = dev.features().changed(features);
        if changed.contains(Features::VLAN_RX) {
            hwinit::set_vlan_mode(&d.regs, features.contains(Features::VLAN_RX));
        }
        let rx_bits = Features::RXALL
            .with(Features::RXFCS)
            .with(Features::VLAN_FILTER);
        if changed.0 & rx_bits.0 != 0 && dev.running() && d.rctl.load(Ordering::Relaxed) != 0 {
            dev.with_addr_lists(|lists| Self::apply_rx_filters(dev, lists, features))?;
        }
        Ok(())
    }

    fn vlan_rx_add_vid(dev: &Netdev<Self>, vid: u16) -> Result {
        Self::set_vid(dev, vid, true)
    }

    fn vlan_rx_kill_vid(dev: &Netdev<Self>, vid: u16) -> Result {
        Self::set_vid(dev, vid, false)
    }

    /// Attaches, swaps or detaches the native XDP program. The rings stay:
    /// every receive buffer has XDP's headroom and its page pool is XDP's
    /// receive queue from the start, so only the program changes (a poll
    /// runs either the old program or the new one on each frame). Above
    /// the standard MTU a frame may span buffers: only a program loaded for
    /// multi-buffer frames (`xdp.frags`) is taken there, also to replace
    /// another, as other drivers do (the core does not check).
    fn xdp_setup<'a>(dev: &Netdev<Self>, setup: XdpSetup<'a>) -> Result<XdpInstalled<'a>> {
        if setup.attaches() && !setup.takes_frags() && dev.mtu() > ETH_DATA_LEN {
            setup.message(kernel::c_str!(
                "re1000: MTU above 1500 and the XDP program does not take multi-buffer frames (xdp.frags)"
            ));
            return Err(eopnotsupp());
        }
        if setup.attaches() && dev.features().contains(Features::RXFCS) {
            // The program would see the FCS, and XDP_TX append a second.
            setup.message(kernel::c_str!("re1000: XDP needs rx-fcs off"));
            return Err(EINVAL);
        }
        Ok(setup.install())
    }

    /// Frames redirected here go out on the one transmit ring, beside the
    /// stack's and XDP_TX's (see `TxRing::xmit_redirected`).
    fn xdp_xmit(dev: &Netdev<Self>, tx: &mut TxRing<'b>, frames: &mut XdpXmit<'_>) {
        let (queued, refused) = tx.xmit_redirected(dev, frames);
        let sw = &dev.data().sw;
        sw.xdp_xmit.add(queued);
        sw.xdp_xmit_errors.add(refused);
    }

    /// A TSO frame whose headers do not fit the context descriptor (IPv6
    /// extension headers, say) is segmented by the stack, not dropped.
    fn features_check(_dev: &Netdev<Self>, skb: &Skb, features: Features) -> Features {
        match skb.tso_headers() {
            Some(h) if !TxContext::tso_fits(h.transport_offset, h.hdr_len) => {
                features.without(Features::GSO_MASK)
            }
            _ => features,
        }
    }
}

impl<'b> irq::Handler for Re1000<'b> {
    fn handle_irq(dev: &Netdev<Self>) -> Return {
        let d = dev.data();
        let icr = d.regs.read::<Icr>();
        // Zero: another device on the shared line. All ones: the device is gone.
        if icr.0 == 0 || icr.0 == u32::MAX {
            return Return::None;
        }
        if d.irq_test.load(Ordering::Acquire) {
            // The self-test raised it: record, nothing to process.
            d.irq_test_seen.fetch_or(icr.0, Ordering::AcqRel);
            return Return::Handled;
        }
        d.sw.interrupts.add(1);
        if icr.lsc() {
            // Handled under RTNL: settling flow control reads the PHY.
            d.link_work.schedule();
        }
        // Masked until the poll has done its work; the flag tells the poll
        // to unmask (set before the poll can be scheduled to read it).
        d.regs.write(Imc(u32::MAX));
        d.irq_masked.store(true, Ordering::Release);
        d.napi.schedule();
        Return::Handled
    }
}

impl<'b> Poll for Re1000<'b> {
    type NapiState = NapiState<'b>;

    fn poll(
        dev: &Netdev<Self>,
        ctx: &mut PollCtx<'_>,
        st: &mut NapiState<'b>,
        budget: usize,
    ) -> Round {
        let d = dev.data();
        // The interrupt-rate stretch goes on unless the last round's
        // completion was accepted (`completed` says so: the state is not
        // the poll's by then).
        if !d.poll_completed.swap(false, Ordering::Acquire) {
            st.itr.resume();
        }
        let (tx_frames, tx_bytes) = st.tx.clean(dev, ctx);
        let Some(rx_ctx) = ctx.rx() else {
            return Round::Done(0); // netpoll: transmit completion only
        };
        let rx = st.rx.poll(dev, &rx_ctx, budget);
        let work = rx.frames as usize;
        st.itr.count(
            Traffic {
                packets: rx.frames,
                bytes: rx.bytes,
            },
            Traffic {
                packets: tx_frames,
                bytes: tx_bytes,
            },
        );
        // A ring starved of memory does not poll again at once: that spun
        // in softirq for as long as allocations failed. Polling ends, and
        // the watchdog's receive interrupt (every 2 s) polls again, which
        // refills, as in the C driver.
        if work >= budget {
            return Round::Again;
        }

        // Polling may end: adapt the interrupt rate to what the stretch saw.
        // This is the state's last use: the layer completes after it.
        let current = d.itr_rate.load(Ordering::Relaxed);
        let rate = st.itr.end(current);
        if d.itr_adaptive.load(Ordering::Relaxed) && rate != current {
            d.itr_rate.store(rate, Ordering::Relaxed);
            hwinit::set_itr(&d.regs, rate);
        }
        Round::Done(work)
    }

    /// Unmasks the interrupt if the handler masked it. A poll that transmit
    /// scheduled (`TxRing::xmit`) finds it unmasked and skips the IMS write.
    /// Should the handler mask it once polling ended, it schedules another
    /// stretch, which unmasks. When NAPI does not accept the completion
    /// (scheduled again meanwhile, or `napi_defer_hard_irqs` holding the
    /// interrupt off with a timer), this does not run: the interrupt stays
    /// masked until a later round completes.
    fn completed(dev: &Netdev<Self>) {
        let d = dev.data();
        d.poll_completed.store(true, Ordering::Release);
        if d.irq_masked.swap(false, Ordering::AcqRel) {
            hwinit::irq_enable(&d.regs);
        }
    }
}

impl<'b> Worker<Watchdog> for Re1000<'b> {
    /// Accumulates the statistics registers (clear on read, 32 bits for the
    /// packet counts) so that no count is lost however rarely they are read,
    /// and comes back while the interface is up (`down` cancels it).
    /// Also raises a receive interrupt, as the C driver's watchdog does, so
    /// that frames waiting in the ring are taken within 2 s whatever
    /// happened to an interrupt.
    fn run(dev: &Netdev<Self>) {
        let d = dev.data();
        d.hw_stats.update(&d.regs);
        if dev.running() {
            d.regs.write(Ics(0).with_rxdmt0(true));
            d.watchdog.schedule_in(WATCHDOG_MS);
        }
    }
}

impl<'b> Worker<Reset> for Re1000<'b> {
    /// Recovery after a transmit timeout: the C driver's reinit, under RTNL.
    fn run(dev: &Netdev<Self>) {
        let _rtnl = dev.rtnl_lock();
        if !dev.device_present() {
            return; // asleep or shut down (`pm.rs`): the device is off
        }
        // Fresh rings, the line kept; should the rings not be allocated, the
        // old ones go on and the core's watchdog asks again.
        if let Err(e) = Self::reconfigure(dev, || ()) {
            netdev_log!(dev, Err, "reset failed: {:?}\n", e);
        }
    }
}
