//! `ethtool -t`: the C driver's five self-tests, done so that they pass on a
//! working device (QEMU included) and fail on a broken one.
//!
//! The offline tests take the interface down, use the device alone and
//! bring the interface back up; the link test runs in both modes. Each
//! result is 0 on success or, as in the C driver, a code saying what failed
//! (the register test gives the failing register's offset).

use crate::device::Re1000;
use crate::hw::desc::{
    rx_desc, rx_writeback, TxLegacy, TXD_CMD_EOP, TXD_CMD_IFCS, TXD_CMD_RS, WORD1,
};
use crate::hw::eeprom;
use crate::hw::phy;
use crate::hw::regs::{Icr, Ics, Imc, Ims, Status, Tdt, IRQ_CAUSES};
use crate::hw::rxbuf::RxBuf;
use crate::hw::selftest::{
    index, loopback_classify, loopback_frame, reads_back, Looped, LOOPBACK_FRAME, LOOPBACK_FRAMES,
    PATTERNS, REG_CHECKS, TEST_NAMES,
};
use crate::hwinit;
use crate::hwio::DescRing;
use crate::layer::dma::{self, CoherentBuf};
use crate::layer::io::poll::read_poll_timeout;
use crate::layer::irq;
use crate::layer::netdev::Netdev;
use crate::layer::time::{delay::fsleep, Delta};
use crate::netdev_log;
use core::sync::atomic::Ordering;

/// What a failed test reports (0 is success).
type Outcome = core::result::Result<(), u64>;

/// Interrupt test: the interrupt line could not be requested.
const IRQ_REQUEST_FAILED: u64 = 1;
/// Interrupt test: a masked cause interrupted.
const IRQ_MASKED_FIRED: u64 = 3;
/// Interrupt test: an unmasked cause did not interrupt.
const IRQ_NOT_RAISED: u64 = 4;
/// Loopback test: memory or PHY setup failed.
const LOOPBACK_SETUP_FAILED: u64 = 1;
/// Loopback test: a frame came back wrong.
const LOOPBACK_CORRUPT: u64 = 13;
/// Loopback test: frames did not come back in time.
const LOOPBACK_TIMEOUT: u64 = 14;
/// EEPROM test: unreadable or bad checksum.
const EEPROM_BAD: u64 = 1;
/// Link test: no link.
const NO_LINK: u64 = 1;

/// Receive buffer size in the loopback test (RCTL.BSIZE's default).
const LOOPBACK_RX_BUF: usize = 2048;
/// Descriptors per loopback ring (a multiple of 8, above the frame count).
const LOOPBACK_RING: usize = 64;
/// QEMU holds reception for a second after an RCTL write and drops frames
/// looped back meanwhile (the C driver's loopback test fails on that).
const RCTL_SETTLE: Delta = Delta::from_millis(1100);
/// How long looped-back frames may take.
const LOOPBACK_WAIT_MS: u32 = 2000;
/// How long an unmasked interrupt may take to arrive.
const IRQ_WAIT: Delta = Delta::from_millis(100);
/// How long the link may take to come up.
const LINK_WAIT: Delta = Delta::from_secs(5);
/// Poll interval of the waits.
const POLL_MS: u32 = 10;
/// The same, as a span.
const POLL: Delta = Delta::from_millis(POLL_MS as i64);

/// The test names, for ethtool.
pub(crate) const NAMES: &[&str] = &TEST_NAMES;

/// Runs the tests into `results`; returns whether any failed.
pub(crate) fn run(dev: &Netdev<Re1000<'_>>, offline: bool, results: &mut [u64]) -> bool {
    let mut failed = false;
    let mut record = |i: usize, outcome: Outcome| {
        if let (Err(code), Some(slot)) = (outcome, results.get_mut(i)) {
            *slot = code;
            failed = true;
        }
    };
    if offline {
        let d = dev.data();
        let running = dev.running();
        if running {
            Re1000::down(dev);
        }
        record(index::REGISTERS, registers(dev));
        record(index::EEPROM, eeprom_checksum(dev));
        record(index::INTERRUPT, interrupt(dev));
        record(index::LOOPBACK, loopback(dev));
        // Put back what the tests overwrote: the station address and
        // filters (open reprograms everything else). The device is down, so
        // its statistics are not being read (`HwStats::stop`); open rebases
        // them, so the frames the tests counted are not taken for traffic.
        hwinit::reset(&d.regs);
        if let Err(e) = hwinit::init(&d.regs, &dev.addr()) {
            netdev_log!(dev, Err, "self-test: cannot restore the device: {:?}\n", e);
        }
        if running {
            if let Err(e) = Re1000::up(dev) {
                netdev_log!(dev, Err, "self-test: cannot reopen: {:?}\n", e);
                record(index::LINK, Err(NO_LINK));
                return true;
            }
        }
    }
    record(index::LINK, link(dev, offline));
    failed
}

/// Writes each pattern to each register the driver relies on and reads it
/// back; the first mismatch gives the register's offset.
fn registers(dev: &Netdev<Re1000<'_>>) -> Outcome {
    let regs = &dev.data().regs;
    for check in REG_CHECKS {
        for pattern in PATTERNS {
            let written = pattern & check.mask;
            let read = regs
                .try_write32(written, check.offset)
                .and_then(|()| regs.try_read32(check.offset))
                .ok();
            match read {
                Some(r) if reads_back(check, written, r) => {}
                other => {
                    netdev_log!(
                        dev,
                        Err,
                        "register test failed at {:#07x}: wrote {:#010x}, read {:x?}\n",
                        check.offset,
                        written,
                        other
                    );
                    return Err(check.offset as u64);
                }
            }
        }
        let _ = regs.try_write32(0, check.offset);
    }
    Ok(())
}

/// The EEPROM reads and its checksum is right.
fn eeprom_checksum(dev: &Netdev<Re1000<'_>>) -> Outcome {
    match hwinit::read_eeprom_all(&dev.data().regs) {
        Ok(words) if eeprom::checksum_valid(&words) => Ok(()),
        _ => Err(EEPROM_BAD),
    }
}

/// Waits up to `timeout` for `done`, polling.
fn wait_for(timeout: Delta, mut done: impl FnMut() -> bool) -> bool {
    read_poll_timeout(|| Ok(done()), |&ok| ok, POLL, timeout).is_ok()
}

/// Raises each cause the driver handles by software (ICS): masked it must
/// not interrupt, unmasked it must.
fn interrupt(dev: &Netdev<Re1000<'_>>) -> Outcome {
    let d = dev.data();
    d.irq_test_seen.store(0, Ordering::Relaxed);
    d.irq_test.store(true, Ordering::Release);
    let outcome = match irq::Registration::new(dev, d.pdev.irq()) {
        Ok(line) => {
            hwinit::set_itr(&d.regs, 0);
            let outcome = raise_each_cause(dev);
            hwinit::irq_disable(&d.regs);
            drop(line);
            outcome
        }
        Err(_) => Err(IRQ_REQUEST_FAILED),
    };
    d.irq_test.store(false, Ordering::Release);
    let _ = d.regs.read::<Icr>();
    outcome
}

fn raise_each_cause(dev: &Netdev<Re1000<'_>>) -> Outcome {
    let d = dev.data();
    let seen = || d.irq_test_seen.load(Ordering::Acquire);
    for bit in 0..32 {
        let cause = 1u32 << bit;
        if IRQ_CAUSES & cause == 0 {
            continue;
        }
        // Masked: the cause latches in ICR but the line stays quiet.
        d.regs.write(Imc(u32::MAX));
        d.irq_test_seen.store(0, Ordering::Release);
        d.regs.write(Ics(cause));
        fsleep(POLL);
        if seen() & cause != 0 {
            return Err(IRQ_MASKED_FIRED);
        }
        let _ = d.regs.read::<Icr>();
        // Unmasked: the handler sees it.
        d.irq_test_seen.store(0, Ordering::Release);
        d.regs.write(Ims(cause));
        d.regs.write(Ics(cause));
        let raised = wait_for(IRQ_WAIT, || seen() & cause != 0);
        d.regs.write(Imc(u32::MAX));
        if !raised {
            netdev_log!(dev, Err, "interrupt test: cause {:#x} not raised\n", cause);
            return Err(IRQ_NOT_RAISED);
        }
    }
    Ok(())
}

/// Sends frames with the PHY looping them back and checks each one arrives
/// intact, through rings and buffers of the test's own. Other traffic still
/// reaches the port meanwhile: the receive ring has room for it, and only
/// the test's own frames count.
fn loopback(dev: &Netdev<Re1000<'_>>) -> Outcome {
    let d = dev.data();
    let setup = |_| LOOPBACK_SETUP_FAILED;
    let tx = DescRing::new(&d.dma, LOOPBACK_RING).map_err(setup)?;
    let rx = DescRing::new(&d.dma, LOOPBACK_RING).map_err(setup)?;
    let bufs = CoherentBuf::new(&d.dma, RX_BASE + RX_BUFS * LOOPBACK_RX_BUF).map_err(setup)?;
    let bmcr = hwinit::phy_read(&d.regs, phy::BMCR).map_err(setup)?;
    hwinit::phy_write(
        &d.regs,
        phy::BMCR,
        phy::BMCR_LOOPBACK | phy::BMCR_FULLDPLX | phy::BMCR_SPEED1000,
    )
    .map_err(setup)?;
    let outcome = run_loopback(dev, &tx, &rx, &bufs);
    // The rings are freed when this returns: stop all DMA first.
    hwinit::stop_rx_tx(&d.regs);
    if hwinit::phy_write(&d.regs, phy::BMCR, bmcr).is_err() {
        netdev_log!(dev, Err, "loopback test: cannot restore the PHY\n");
    }
    outcome
}

/// Receive buffers handed to the device: the whole ring but one slot.
const RX_BUFS: usize = LOOPBACK_RING - 1;
/// Where the receive buffers start in the test's DMA memory (after the
/// frames to send).
const RX_BASE: usize = LOOPBACK_FRAMES * LOOPBACK_FRAME;

fn run_loopback(
    dev: &Netdev<Re1000<'_>>,
    tx: &DescRing<'_>,
    rx: &DescRing<'_>,
    bufs: &CoherentBuf<'_>,
) -> Outcome {
    let d = dev.data();
    let mac = dev.addr();
    let setup = |_| LOOPBACK_SETUP_FAILED;
    let addr = |offset| bufs.bus_addr(offset).ok_or(LOOPBACK_SETUP_FAILED);
    for i in 0..RX_BUFS {
        rx.write(i, rx_desc(addr(RX_BASE + i * LOOPBACK_RX_BUF)?))
            .map_err(setup)?;
    }
    hwinit::configure_tx(&d.regs, tx, 0);
    let rctl = RxBuf::B2048.rctl(hwinit::base_rctl(), 1500);
    hwinit::configure_rx(&d.regs, rx, RX_BUFS as u16, rctl);
    fsleep(RCTL_SETTLE);

    // One buffer builds the frames to send and then holds those received.
    let mut buf = [0u8; LOOPBACK_RX_BUF];
    for i in 0..LOOPBACK_FRAMES {
        let frame = &mut buf[..LOOPBACK_FRAME];
        loopback_frame(i, &mac, frame);
        bufs.write(i * LOOPBACK_FRAME, frame).map_err(setup)?;
        let desc = TxLegacy {
            addr: addr(i * LOOPBACK_FRAME)?,
            length: LOOPBACK_FRAME as u16,
            cmd: TXD_CMD_EOP | TXD_CMD_IFCS | TXD_CMD_RS,
            ..TxLegacy::default()
        };
        tx.write(i, desc.encode()).map_err(setup)?;
    }
    // The descriptors are in memory before the device is told of them.
    dma::wmb();
    d.regs.write(Tdt(0).with_index(LOOPBACK_FRAMES as u32));

    // Receive descriptors complete in order: scan from `next` as they do.
    let mut next = 0;
    let mut arrived = [false; LOOPBACK_FRAMES];
    let complete = |arrived: &[bool; LOOPBACK_FRAMES]| arrived.iter().all(|a| *a);
    let mut waited = 0;
    loop {
        while next < RX_BUFS {
            let Some(wb) = rx.read_word(next, WORD1).map(rx_writeback) else {
                break;
            };
            if !wb.done() {
                break;
            }
            // The device wrote DD last: read the rest only after it.
            dma::rmb();
            let wb = rx_writeback(rx.read_word(next, WORD1).unwrap_or(0));
            let got = match wb.checked_length(LOOPBACK_RX_BUF) {
                Some(len) if wb.end_of_packet() && !wb.frame_error() => {
                    let got = &mut buf[..len];
                    bufs.read(RX_BASE + next * LOOPBACK_RX_BUF, got)
                        .map(|()| loopback_classify(&mac, got))
                        .unwrap_or(Looped::Corrupt)
                }
                _ => Looped::Corrupt,
            };
            match got {
                Looped::Intact(seq) => arrived[seq] = true,
                Looped::Foreign => {}
                Looped::Corrupt => {
                    netdev_log!(
                        dev,
                        Err,
                        "loopback test: descriptor {} came back wrong\n",
                        next
                    );
                    return Err(LOOPBACK_CORRUPT);
                }
            }
            next += 1;
        }
        if complete(&arrived) {
            return Ok(());
        }
        if waited >= LOOPBACK_WAIT_MS || next == RX_BUFS {
            let n = arrived.iter().filter(|a| **a).count();
            netdev_log!(
                dev,
                Err,
                "loopback test: {} of {} frames came back\n",
                n,
                LOOPBACK_FRAMES
            );
            return Err(LOOPBACK_TIMEOUT);
        }
        fsleep(POLL);
        waited += POLL_MS;
    }
}

/// The link is up (offline, it may take a few seconds to come back).
fn link(dev: &Netdev<Re1000<'_>>, offline: bool) -> Outcome {
    let regs = &dev.data().regs;
    let up = || regs.read::<Status>().lu();
    let ok = if offline {
        wait_for(LINK_WAIT, up)
    } else {
        up()
    };
    if ok {
        Ok(())
    } else {
        Err(NO_LINK)
    }
}
