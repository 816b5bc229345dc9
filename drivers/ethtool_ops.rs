//! ethtool support: driver information, statistics, rings, link and flow
//! control, coalescing, self-test, LED identification and Wake-on-LAN.

use crate::device::{Re1000, VERSION};
use crate::flowctl;
use crate::hw::eeprom::EEPROM_WORDS;
use crate::hw::itr;
use crate::hw::phy;
use crate::hw::regs::{Ledctl, Status, Wuc, Wufc, LED_MODE_OFF, LED_MODE_ON};
use crate::hw::ring::{RingSize, MAX_RING};
use crate::hw::stats::{listed_count, COUNTERS, RX_SIZES, SIZE_BUCKETS, TX_SIZES};
use crate::hwinit;
use crate::layer::errno::eopnotsupp;
use crate::layer::ethtool::{
    Channels, Coalesce, CoalesceParams, CtrlStats, DrvInfo, LinkRequest, LinkSettings, MacStats,
    Operations, Pause, PhysId, RegsBuf, RingParam, RmonRange, RmonStats, Tunable, WakeOn, Wol,
};
use crate::layer::netdev::Netdev;
use crate::link;
use crate::rx::MAX_COPYBREAK;
use crate::selftest;
use crate::stats::SW_NAMES;
use core::sync::atomic::Ordering;
use kernel::error::{code::EINVAL, Result};
use kernel::prelude::vtable;

/// Registers in the `ethtool -d` dump, in order (version 3 of the layout:
/// version 2 had no PHY registers).
/// The pending interrupt causes are read through ICS (0x00C8), which QEMU
/// returns as ICR and whose reading clears nothing (the datasheet calls ICS
/// write-only): reading ICR would take its causes from the interrupt handler
/// (version 1 did).
const DUMP_REGS: [usize; 25] = [
    0x0000, 0x0008, 0x0010, 0x0018, 0x00C8, 0x00C4, 0x00D0, 0x0100, 0x0400, 0x0410, 0x2800, 0x2804,
    0x2808, 0x2810, 0x2818, 0x2820, 0x282C, 0x3800, 0x3804, 0x3808, 0x3810, 0x3818, 0x3820, 0x382C,
    0x0E00,
];

/// PHY registers at the end of the `ethtool -d` dump, one 32-bit word each
/// (all ones if MDIC fails): what is advertised and what the partner
/// advertised.
const DUMP_PHY: [u32; 5] = [phy::BMCR, phy::BMSR, phy::ANAR, phy::ANLPAR, phy::CTRL1000];

/// The Wake-on-LAN events the 82540EM's filters can wake on (as the C
/// driver reports them).
const WOL_SUPPORTED: WakeOn = WakeOn::UCAST
    .with(WakeOn::MCAST)
    .with(WakeOn::BCAST)
    .with(WakeOn::MAGIC);

/// The wake-up filters for the events of `w`.
pub(crate) fn wake_filters(w: WakeOn) -> Wufc {
    Wufc(0)
        .with_lnkc(w.contains(WakeOn::PHY))
        .with_ex(w.contains(WakeOn::UCAST))
        .with_mc(w.contains(WakeOn::MCAST))
        .with_bc(w.contains(WakeOn::BCAST))
        .with_mag(w.contains(WakeOn::MAGIC))
}

/// How many names `ethtool -S` shows.
const N_STATS: usize = SW_NAMES.len() + listed_count();

/// Every `ethtool -S` name: the software counters, then the device's, that
/// have no standard home (`SW_NAMES`, the `listed` `COUNTERS`).
const fn stat_names() -> [&'static str; N_STATS] {
    let mut names = [""; N_STATS];
    let mut i = 0;
    while i < SW_NAMES.len() {
        names[i] = SW_NAMES[i];
        i += 1;
    }
    let mut j = 0;
    while j < COUNTERS.len() {
        if COUNTERS[j].listed {
            names[i] = COUNTERS[j].name;
            i += 1;
        }
        j += 1;
    }
    names
}

const STAT_NAMES: [&str; N_STATS] = stat_names();

/// The RMON histogram buckets: the device's frame size counters.
const fn rmon_ranges() -> [RmonRange; SIZE_BUCKETS.len()] {
    let mut r = [RmonRange { low: 0, high: 0 }; SIZE_BUCKETS.len()];
    let mut i = 0;
    while i < SIZE_BUCKETS.len() {
        r[i] = RmonRange {
            low: SIZE_BUCKETS[i].0,
            high: SIZE_BUCKETS[i].1,
        };
        i += 1;
    }
    r
}

const RMON_RANGES: [RmonRange; SIZE_BUCKETS.len()] = rmon_ranges();

#[vtable]
impl<'b> Operations for Re1000<'b> {
    fn drvinfo(dev: &Netdev<Self>, f: &mut dyn FnMut(DrvInfo<'_>)) {
        f(DrvInfo {
            driver: "re1000",
            version: VERSION,
            bus_info: dev.data().pdev.name(),
        });
    }

    const STAT_NAMES: &'static [&'static str] = &STAT_NAMES;

    fn stats(dev: &Netdev<Self>, out: &mut [u64]) {
        let d = dev.data();
        d.hw_stats.update_waiting(&d.regs);
        let sw = d.sw.listed();
        let (head, tail) = out.split_at_mut(sw.len().min(out.len()));
        head.copy_from_slice(&sw[..head.len()]);
        d.hw_stats.values(tail);
    }

    fn ringparam(dev: &Netdev<Self>) -> RingParam {
        let c = dev.data().config.lock();
        RingParam {
            rx_max: u32::from(MAX_RING),
            tx_max: u32::from(MAX_RING),
            rx: u32::from(c.rx_ring.get()),
            tx: u32::from(c.tx_ring.get()),
        }
    }

    fn set_ringparam(dev: &Netdev<Self>, rx: u32, tx: u32) -> Result {
        let rx = RingSize::from_request(rx).map_err(|_| EINVAL)?;
        let tx = RingSize::from_request(tx).map_err(|_| EINVAL)?;
        let d = dev.data();
        {
            let c = d.config.lock();
            if c.rx_ring == rx && c.tx_ring == tx {
                return Ok(());
            }
        }
        let set = |rx, tx| {
            let mut c = d.config.lock();
            let old = (c.rx_ring, c.tx_ring);
            c.rx_ring = rx;
            c.tx_ring = tx;
            old
        };
        let (old_rx, old_tx) = set(rx, tx);
        Re1000::reconfigure(dev, || {
            set(old_rx, old_tx);
        })
    }

    fn link_settings(dev: &Netdev<Self>) -> LinkSettings {
        let d = dev.data();
        let status = d.regs.read::<Status>();
        LinkSettings {
            supported: link::SUPPORTED,
            advertising: link::link_modes(d.config.lock().advertise),
            link_up: status.lu() && dev.carrier_ok(),
            speed: status.speed_mbps(),
            full_duplex: status.fd(),
            autoneg: true,
        }
    }

    fn set_link_settings(dev: &Netdev<Self>, req: LinkRequest) -> Result {
        if req.autoneg {
            // The modes to advertise: each one the PHY has, as the C driver
            // (which drops those it lacks; re1000 refuses them).
            let modes = link::modes_from(req.advertising.ok_or(EINVAL)?)?;
            return link::set_advertising(dev, modes);
        }
        // QEMU's PHY negotiates 1000 Mb/s full duplex and nothing else.
        if req.speed == 1000 && req.full_duplex {
            Ok(())
        } else {
            Err(EINVAL)
        }
    }

    fn nway_reset(dev: &Netdev<Self>) -> Result {
        // As the C driver: renegotiating means reinitialising.
        Re1000::reconfigure(dev, || ())
    }

    fn regs_len(_dev: &Netdev<Self>) -> usize {
        (DUMP_REGS.len() + DUMP_PHY.len()) * 4
    }

    fn regs(dev: &Netdev<Self>, out: &mut RegsBuf<'_>) -> u32 {
        let regs = &dev.data().regs;
        let words = out.words();
        for (i, off) in DUMP_REGS.into_iter().enumerate().take(words) {
            out.set(i, regs.try_read32(off).unwrap_or(0));
        }
        // Under RTNL (the ethtool ioctl), as every MDIC access.
        for (i, reg) in DUMP_PHY.into_iter().enumerate() {
            let at = DUMP_REGS.len() + i;
            if at >= words {
                break;
            }
            out.set(at, hwinit::phy_read(regs, reg).map_or(u32::MAX, u32::from));
        }
        3
    }

    fn eeprom_len(_dev: &Netdev<Self>) -> usize {
        EEPROM_WORDS * 2
    }

    fn eeprom(dev: &Netdev<Self>, offset: usize, out: &mut [u8]) -> Result<u32> {
        let d = dev.data();
        if offset + out.len() > EEPROM_WORDS * 2 {
            return Err(EINVAL);
        }
        for (i, byte) in out.iter_mut().enumerate() {
            let at = offset + i;
            let word = hwinit::read_eeprom(&d.regs, (at / 2) as u32)?;
            *byte = word.to_le_bytes()[at % 2];
        }
        // As the C driver: vendor id, then device id.
        Ok(0x8086 | (u32::from(d.pdev.device_id()) << 16))
    }

    fn msglevel(dev: &Netdev<Self>) -> u32 {
        dev.data().msglevel.load(Ordering::Relaxed)
    }

    fn set_msglevel(dev: &Netdev<Self>, level: u32) {
        dev.data().msglevel.store(level, Ordering::Relaxed);
    }

    fn pause(dev: &Netdev<Self>) -> Pause {
        flowctl::get(dev)
    }

    fn set_pause(dev: &Netdev<Self>, p: Pause) -> Result {
        flowctl::set(dev, p)
    }

    fn pause_stats(dev: &Netdev<Self>) -> Option<(u64, u64)> {
        let d = dev.data();
        d.hw_stats.update_waiting(&d.regs);
        let h = &d.hw_stats;
        Some((
            h.get("tx_flow_control_xon") + h.get("tx_flow_control_xoff"),
            h.get("rx_flow_control_xon") + h.get("rx_flow_control_xoff"),
        ))
    }

    fn mac_stats(dev: &Netdev<Self>) -> Option<MacStats> {
        let d = dev.data();
        d.hw_stats.update_waiting(&d.regs);
        let h = |name| Some(d.hw_stats.get(name));
        Some(MacStats {
            frames_transmitted_ok: h("hw_tx_packets"),
            single_collision_frames: h("tx_single_coll_ok"),
            multiple_collision_frames: h("tx_multi_coll_ok"),
            frames_received_ok: h("hw_rx_packets"),
            frame_check_sequence_errors: h("rx_crc_errors"),
            alignment_errors: h("rx_align_errors"),
            octets_transmitted_ok: h("hw_tx_bytes"),
            frames_with_deferred_xmissions: h("tx_deferred_ok"),
            late_collisions: h("tx_late_collisions"),
            frames_aborted_due_to_xs_colls: h("tx_excessive_collisions"),
            carrier_sense_errors: h("tx_carrier_errors"),
            octets_received_ok: h("hw_rx_bytes"),
            multicast_frames_xmitted_ok: h("tx_multicast"),
            broadcast_frames_xmitted_ok: h("tx_broadcast"),
            multicast_frames_received_ok: h("rx_multicast"),
            broadcast_frames_received_ok: h("rx_broadcast"),
            frame_too_long_errors: h("rx_oversize"),
            ..MacStats::default()
        })
    }

    fn ctrl_stats(dev: &Netdev<Self>) -> Option<CtrlStats> {
        let d = dev.data();
        d.hw_stats.update_waiting(&d.regs);
        let h = |name| d.hw_stats.get(name);
        // The 82540EM recognises every MAC control frame it receives: the
        // pause frames (XON, XOFF) and the others (FCRUC). Of those sent it
        // counts only the pause frames it makes itself, not the ones the
        // stack sends, so it has no count of all MAC control frames sent.
        // (QEMU's e1000 emulates no flow control: all of these stay 0.)
        Some(CtrlStats {
            mac_control_frames_transmitted: None,
            mac_control_frames_received: Some(
                h("rx_flow_control_xon")
                    + h("rx_flow_control_xoff")
                    + h("rx_flow_control_unsupported"),
            ),
            unsupported_opcodes_received: Some(h("rx_flow_control_unsupported")),
        })
    }

    const RMON_RANGES: &'static [RmonRange] = &RMON_RANGES;

    fn rmon_stats(dev: &Netdev<Self>) -> Option<RmonStats> {
        let d = dev.data();
        d.hw_stats.update_waiting(&d.regs);
        let h = |name| Some(d.hw_stats.get(name));
        let mut r = RmonStats {
            undersize_pkts: h("rx_short_length_errors"),
            oversize_pkts: h("rx_oversize"),
            fragments: h("rx_fragments"),
            jabbers: h("rx_jabbers"),
            ..RmonStats::default()
        };
        for (o, name) in r.hist.iter_mut().zip(RX_SIZES) {
            *o = h(name);
        }
        for (o, name) in r.hist_tx.iter_mut().zip(TX_SIZES) {
            *o = h(name);
        }
        Some(r)
    }

    fn channels(_dev: &Netdev<Self>) -> (Channels, Channels) {
        // One receive and one transmit ring, served by one interrupt and
        // one NAPI instance.
        let one = Channels {
            combined: 1,
            ..Channels::default()
        };
        (one, one)
    }

    fn set_channels(_dev: &Netdev<Self>, ch: Channels) -> Result {
        // The core bounds the counts by the maxima: only one combined
        // channel and nothing else is possible, which is what there is.
        let one = Channels {
            combined: 1,
            ..Channels::default()
        };
        if ch == one {
            Ok(())
        } else {
            Err(EINVAL)
        }
    }

    fn tunable(dev: &Netdev<Self>, t: Tunable) -> Result<u32> {
        match t {
            Tunable::RxCopybreak => Ok(dev.data().rx_copybreak.load(Ordering::Relaxed)),
            _ => Err(eopnotsupp()),
        }
    }

    fn set_tunable(dev: &Netdev<Self>, t: Tunable, value: u32) -> Result {
        match t {
            // Taken up by the next receive poll; copying more than a
            // standard frame's buffer would be no copybreak.
            Tunable::RxCopybreak if value <= MAX_COPYBREAK => {
                dev.data().rx_copybreak.store(value, Ordering::Relaxed);
                Ok(())
            }
            Tunable::RxCopybreak => Err(EINVAL),
            _ => Err(eopnotsupp()),
        }
    }

    fn coalesce(dev: &Netdev<Self>) -> Option<Coalesce> {
        let d = dev.data();
        let rate = d.itr_rate.load(Ordering::Relaxed);
        Some(Coalesce {
            rx_usecs: 1_000_000u32.checked_div(rate).unwrap_or(0),
            tx_usecs: d.tx_usecs.load(Ordering::Relaxed),
            adaptive_rx: d.itr_adaptive.load(Ordering::Relaxed),
        })
    }

    const COALESCE_PARAMS: CoalesceParams = CoalesceParams::RX_USECS
        .with(CoalesceParams::TX_USECS)
        .with(CoalesceParams::ADAPTIVE_RX);

    fn set_coalesce(dev: &Netdev<Self>, c: Coalesce) -> Result {
        let d = dev.data();
        // ITR counts 256 ns: 16.7 ms is the longest interval it holds.
        if c.rx_usecs > 16_000 || c.tx_usecs > hwinit::MAX_TX_USECS {
            return Err(EINVAL);
        }
        hwinit::set_tx_delay(&d.regs, c.tx_usecs);
        d.tx_usecs.store(c.tx_usecs, Ordering::Relaxed);
        let rate = 1_000_000u32.checked_div(c.rx_usecs).unwrap_or(0);
        let rate = if c.adaptive_rx {
            itr::RATE_DEFAULT
        } else {
            rate
        };
        d.itr_adaptive.store(c.adaptive_rx, Ordering::Relaxed);
        d.itr_rate.store(rate, Ordering::Relaxed);
        hwinit::set_itr(&d.regs, rate);
        Ok(())
    }

    const TEST_NAMES: &'static [&'static str] = selftest::NAMES;

    fn self_test(dev: &Netdev<Self>, offline: bool, results: &mut [u64]) -> bool {
        selftest::run(dev, offline, results)
    }

    fn set_phys_id(dev: &Netdev<Self>, state: PhysId) -> Result<u32> {
        let d = dev.data();
        let mut c = d.config.lock();
        let led0 = |mode| {
            d.regs
                .modify::<Ledctl>(|l| l.with_led0_mode(mode).with_led0_blink(false));
        };
        match state {
            PhysId::Active => {
                c.ledctl_saved = Some(d.regs.read::<Ledctl>());
                // Let the core blink it: on and off twice a second.
                return Ok(2);
            }
            PhysId::On => led0(LED_MODE_ON),
            PhysId::Off => led0(LED_MODE_OFF),
            PhysId::Inactive => {
                if let Some(saved) = c.ledctl_saved.take() {
                    d.regs.write(saved);
                }
            }
        }
        Ok(0)
    }

    fn wol(dev: &Netdev<Self>) -> Wol {
        Wol {
            supported: WOL_SUPPORTED,
            enabled: dev.data().config.lock().wol,
        }
    }

    fn set_wol(dev: &Netdev<Self>, w: WakeOn) -> Result {
        let d = dev.data();
        if !WOL_SUPPORTED.contains(w) {
            return Err(eopnotsupp());
        }
        // As the C driver: only a device the platform lets wake the system
        // can be armed (QEMU's e1000 cannot).
        if !d.pdev.can_wakeup() {
            return if w.0 == 0 { Ok(()) } else { Err(eopnotsupp()) };
        }
        d.pdev.set_wakeup(w.0 != 0)?;
        d.regs.write(wake_filters(w));
        d.regs.write(Wuc(0).with_pme_en(w.0 != 0));
        d.config.lock().wol = w;
        Ok(())
    }
}
