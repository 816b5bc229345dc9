//! Flow control (802.3x pause frames): what `ethtool -A` asks for, what
//! autonegotiation settles on, and programming it into the MAC.
//!
//! Everything here runs under RTNL (open, ethtool, the link work), which
//! serialises the PHY accesses through MDIC.

use crate::device::Re1000;
use crate::hw::phy::{self, FlowControl};
use crate::hw::regs::Status;
use crate::hwinit;
use crate::layer::ethtool::Pause;
use crate::layer::io::poll::read_poll_timeout;
use crate::layer::netdev::Netdev;
use crate::layer::time::{delay::fsleep, Delta};
use crate::netdev_log;
use kernel::error::Result;

/// How long renegotiation may take before `ethtool -A` gives up waiting
/// (QEMU's PHY completes in 0.5 s).
const AUTONEG_WAIT: Delta = Delta::from_secs(3);
/// Poll interval while waiting for the link.
const POLL: Delta = Delta::from_millis(10);

/// The mode to program for the request `want`: negotiated from both ends'
/// advertisements when autonegotiating and the link is up, else forced.
fn resolve(dev: &Netdev<Re1000<'_>>, want: Pause) -> Result<FlowControl> {
    let regs = &dev.data().regs;
    let forced = FlowControl {
        rx: want.rx,
        tx: want.tx,
    };
    if !want.autoneg || !regs.read::<Status>().lu() {
        return Ok(forced);
    }
    let local = hwinit::phy_read(regs, phy::ANAR)?;
    let partner = hwinit::phy_read(regs, phy::ANLPAR)?;
    Ok(FlowControl::resolve(local, partner))
}

/// Programs the flow control the configuration asks for (on open, and after
/// a link change that found the link up).
pub(crate) fn apply(dev: &Netdev<Re1000<'_>>) -> Result {
    let want = dev.data().config.lock().pause;
    let fc = resolve(dev, want)?;
    hwinit::set_flow_control(&dev.data().regs, fc);
    Ok(())
}

/// Waits until the link is up again, for at most `AUTONEG_WAIT`.
fn wait_link(dev: &Netdev<Re1000<'_>>) -> bool {
    let regs = &dev.data().regs;
    read_poll_timeout(
        || Ok(regs.read::<Status>().lu()),
        |&up| up,
        POLL,
        AUTONEG_WAIT,
    )
    .is_ok()
}

/// `ethtool -A`: stores the request; with autonegotiation, advertises it and
/// renegotiates, then programs what both ends agreed on.
pub(crate) fn set(dev: &Netdev<Re1000<'_>>, want: Pause) -> Result {
    let d = dev.data();
    d.config.lock().pause = want;
    if want.autoneg {
        let asked = FlowControl {
            rx: want.rx,
            tx: want.tx,
        };
        let anar = hwinit::phy_read(&d.regs, phy::ANAR)?;
        let anar = (anar & !(phy::ADV_PAUSE | phy::ADV_PAUSE_ASYM)) | asked.advertisement();
        hwinit::phy_write(&d.regs, phy::ANAR, anar)?;
        hwinit::restart_autoneg(&d.regs)?;
        // The PHY drops the link while it negotiates.
        fsleep(POLL);
        if !wait_link(dev) {
            netdev_log!(dev, Warn, "link did not come back after renegotiation\n");
        }
    }
    let fc = resolve(dev, want)?;
    hwinit::set_flow_control(&d.regs, fc);
    Ok(())
}

/// Flow control as `ethtool -a` reports it: the request's autonegotiation
/// setting, and the directions the MAC has enabled.
pub(crate) fn get(dev: &Netdev<Re1000<'_>>) -> Pause {
    let d = dev.data();
    let fc = hwinit::flow_control(&d.regs);
    Pause {
        autoneg: d.config.lock().pause.autoneg,
        rx: fc.rx,
        tx: fc.tx,
    }
}
