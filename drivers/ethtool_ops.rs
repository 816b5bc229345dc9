//! ethtool support: driver information, statistics and ring sizes.

use crate::device::{Re1000, VERSION};
use crate::hw::ring::MAX_RING;
use crate::hw::stats::COUNTERS;
use crate::layer::ethtool::{DrvInfo, Operations, RingParam};
use crate::layer::netdev::Netdev;
use crate::stats::SW_NAMES;

/// Every `ethtool -S` name: software counters, then the device's.
const fn stat_names() -> [&'static str; SW_NAMES.len() + COUNTERS.len()] {
    let mut names = [""; SW_NAMES.len() + COUNTERS.len()];
    let mut i = 0;
    while i < SW_NAMES.len() {
        names[i] = SW_NAMES[i];
        i += 1;
    }
    let mut j = 0;
    while j < COUNTERS.len() {
        names[i + j] = COUNTERS[j].name;
        j += 1;
    }
    names
}

static STAT_NAMES: [&str; SW_NAMES.len() + COUNTERS.len()] = stat_names();

impl Operations for Re1000 {
    fn drvinfo(dev: &Netdev<Self>, f: &mut dyn FnMut(DrvInfo<'_>)) {
        f(DrvInfo {
            driver: "re1000",
            version: VERSION,
            bus_info: dev.data().pdev.name().as_bytes(),
        });
    }

    fn stat_names(_dev: &Netdev<Self>) -> &'static [&'static str] {
        &STAT_NAMES
    }

    fn stats(dev: &Netdev<Self>, out: &mut [u64]) {
        let d = dev.data();
        d.hw_stats.update(&d.regs);
        let sw = d.sw.values();
        let (head, tail) = out.split_at_mut(sw.len().min(out.len()));
        head.copy_from_slice(&sw[..head.len()]);
        d.hw_stats.values(tail);
    }

    fn ringparam(dev: &Netdev<Self>) -> RingParam {
        let c = dev.data().config.lock();
        RingParam {
            rx_max: MAX_RING as u32,
            tx_max: MAX_RING as u32,
            rx: c.rx_ring.get() as u32,
            tx: c.tx_ring.get() as u32,
        }
    }
}
