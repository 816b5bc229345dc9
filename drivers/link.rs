//! The link: the speed and duplex modes the PHY advertises (`ethtool -s
//! advertise`), and link changes, which the interrupt handler passes to a
//! work item, as the C driver passes them to its watchdog.
//!
//! PHY accesses through MDIC run under RTNL (open, ethtool, the link work).

use crate::device::{LinkChange, Re1000};
use crate::flowctl;
use crate::hw::phy::{self, Modes};
use crate::hw::regs::Status;
use crate::hwinit;
use crate::layer::ethtool::LinkModes;
use crate::layer::netdev::Netdev;
use crate::layer::work::Worker;
use crate::netdev_log;
use kernel::error::{code::EINVAL, Result};

/// What the port supports: the PHY's speed and duplex modes (no 1000BASE-T
/// half duplex), autonegotiation and twisted pair.
pub(crate) const SUPPORTED: LinkModes = LinkModes::T10_HALF
    .with(LinkModes::T10_FULL)
    .with(LinkModes::T100_HALF)
    .with(LinkModes::T100_FULL)
    .with(LinkModes::T1000_FULL)
    .with(LinkModes::AUTONEG)
    .with(LinkModes::TP);

/// The PHY modes an `ethtool -s advertise` asks for. A mode the port does
/// not support is refused (`EINVAL`); no speed at all means every one, as
/// the C driver's `e1000_phy_setup_autoneg` takes it; the autoneg and
/// twisted-pair bits may be given or left out.
pub(crate) fn modes_from(adv: LinkModes) -> Result<Modes> {
    if !SUPPORTED.contains(adv) {
        return Err(EINVAL);
    }
    let modes = Modes {
        half10: adv.contains(LinkModes::T10_HALF),
        full10: adv.contains(LinkModes::T10_FULL),
        half100: adv.contains(LinkModes::T100_HALF),
        full100: adv.contains(LinkModes::T100_FULL),
        full1000: adv.contains(LinkModes::T1000_FULL),
    };
    if modes.is_empty() {
        return Ok(Modes::ALL);
    }
    Ok(modes)
}

/// How `ethtool IF` shows the advertised `modes`, with autonegotiation and
/// twisted pair as the C driver.
pub(crate) fn link_modes(modes: Modes) -> LinkModes {
    let mut all = LinkModes::AUTONEG.with(LinkModes::TP);
    for (on, mode) in [
        (modes.half10, LinkModes::T10_HALF),
        (modes.full10, LinkModes::T10_FULL),
        (modes.half100, LinkModes::T100_HALF),
        (modes.full100, LinkModes::T100_FULL),
        (modes.full1000, LinkModes::T1000_FULL),
    ] {
        if on {
            all = all.with(mode);
        }
    }
    all
}

/// Writes the configured modes into ANAR and CTRL1000 if the PHY advertises
/// anything else (the PHY keeps them across a driver reload: QEMU resets
/// it only with the machine), and renegotiates. Returns whether it did.
pub(crate) fn program(dev: &Netdev<Re1000<'_>>) -> Result<bool> {
    let d = dev.data();
    let modes = d.config.lock().advertise;
    let anar = hwinit::phy_read(&d.regs, phy::ANAR)?;
    let ctrl1000 = hwinit::phy_read(&d.regs, phy::CTRL1000)?;
    let (new_anar, new_ctrl1000) = (modes.anar(anar), modes.ctrl1000(ctrl1000));
    if (new_anar, new_ctrl1000) == (anar, ctrl1000) {
        return Ok(false);
    }
    hwinit::phy_write(&d.regs, phy::ANAR, new_anar)?;
    hwinit::phy_write(&d.regs, phy::CTRL1000, new_ctrl1000)?;
    hwinit::restart_autoneg(&d.regs)?;
    Ok(true)
}

/// `ethtool -s advertise`: keeps `modes` for every open and advertises
/// them now. The link comes back through a link change once negotiated.
pub(crate) fn set_advertising(dev: &Netdev<Re1000<'_>>, modes: Modes) -> Result {
    let old = core::mem::replace(&mut dev.data().config.lock().advertise, modes);
    match program(dev) {
        // The PHY drops the link while it negotiates: say so now (on a
        // PHY that takes longer, the link change interrupt does).
        Ok(true) if started(dev) => Re1000::check_link(dev),
        Ok(_) => {}
        Err(e) => {
            dev.data().config.lock().advertise = old;
            return Err(e);
        }
    }
    Ok(())
}

/// Whether the device is up and running on its rings (open and no failed
/// reconfiguration since). Under RTNL.
fn started(dev: &Netdev<Re1000<'_>>) -> bool {
    dev.running() && dev.data().config.lock().irq.is_some()
}

impl<'b> Worker<LinkChange> for Re1000<'b> {
    /// After a link change interrupt, under RTNL (the PHY is read): as the
    /// C driver's watchdog, settles flow control again if the link is up
    /// (the partner may advertise other pause abilities, and a mode forced
    /// while the link was down is programmed again), then reports the link.
    fn run(dev: &Netdev<Self>) {
        let _rtnl = dev.rtnl_lock();
        if !started(dev) {
            return;
        }
        if dev.data().regs.read::<Status>().lu() {
            if let Err(e) = flowctl::apply(dev) {
                netdev_log!(
                    dev,
                    Warn,
                    "cannot read the PHY, flow control kept: {:?}\n",
                    e
                );
            }
        }
        Self::check_link(dev);
    }
}
