//! Power management: system sleep (suspend to RAM or to idle, hibernation)
//! and shutdown, as the C driver's `e1000_suspend`, `__e1000_shutdown`,
//! `e1000_resume` and `e1000_shutdown`.
//!
//! Going to sleep, the interface is detached (the core then neither
//! transmits, opens it nor runs ethtool on it), brought down if it was up
//! (rings freed, interrupt line released; `netif_running` stays set), the
//! wake-up filters armed by `ethtool -s wol` are programmed (or every one
//! disarmed) and the PCI function disabled, which stops its DMA. Waking up,
//! the function is enabled again, the device reset and programmed, the
//! interface brought up if it was up, and attached.

use crate::device::Re1000;
use crate::ethtool_ops::wake_filters;
use crate::hw::regs::{Ctrl, Rctl, Rdh, Rdt, Status, Wus};
use crate::hw::wake;
use crate::hwinit;
use crate::layer::netdev::Netdev;
use crate::layer::pci::{Core, Device};
use crate::netdev_log;
use core::sync::atomic::Ordering;
use kernel::error::Result;

impl<'b> Re1000<'b> {
    /// Detaches the interface, brings it down if it is up, and programs the
    /// wake-up filters armed by `ethtool -s wol` (or disarms them). Returns
    /// whether the device is to wake the system.
    fn quiesce(dev: &Netdev<Self>) -> bool {
        let d = dev.data();
        let _rtnl = dev.rtnl_lock();
        // From here the core calls no `ndo_open`, no `start_xmit` and no
        // `ndo_tx_timeout`; a reset already queued finds the device absent.
        dev.device_detach();
        // The receive filters in use, for the wake-up filters to see the
        // frames they pass (0: the receiver was not set up).
        let rctl = d.rctl.load(Ordering::Relaxed);
        if dev.running() {
            Self::down(dev);
        }
        let wufc = wake::filters(
            wake_filters(d.config.lock().wol),
            d.regs.read::<Status>().lu(),
        );
        if wufc.0 != 0 {
            // No receive descriptor is left to the device: the receiver
            // runs for the wake-up filters only and writes nothing to memory.
            d.regs.write(Rdh(0));
            d.regs.write(Rdt(0));
            let rctl = if rctl != 0 {
                Rctl(rctl)
            } else {
                hwinit::base_rctl()
            };
            d.regs.write(wake::rctl(rctl, wufc));
            d.regs.modify::<Ctrl>(wake::ctrl);
        }
        d.regs.write(wake::control(wufc));
        d.regs.write(wufc);
        wufc.0 != 0
    }

    /// Programs the device again after sleep and brings the interface up if
    /// it was up, then attaches it.
    fn wake_up(dev: &Netdev<Self>) -> Result {
        let d = dev.data();
        let _rtnl = dev.rtnl_lock();
        hwinit::reset(&d.regs);
        d.regs
            .modify::<Ctrl>(|c| c.with_advd3wuc(false).with_en_phy_pwr_mgmt(false));
        // Which filter woke the system is of no further use.
        d.regs.write(Wus(u32::MAX));
        let result = if dev.running() {
            Self::up(dev)
        } else {
            hwinit::init(&d.regs, &dev.addr())
        };
        if let Err(e) = &result {
            // Attached all the same: `ip link set down` and `up` may retry.
            netdev_log!(dev, Err, "cannot restart after sleep: {:?}\n", e);
        }
        dev.device_attach();
        result
    }
}

/// `suspend`, `freeze` and `poweroff`: quiesce the device, arm its wake-up
/// as `ethtool -s wol` asked, and disable the PCI function.
pub(crate) fn suspend(dev: &Netdev<Re1000<'_>>, pdev: &Device<Core<'_>>) -> Result {
    let wake = Re1000::quiesce(dev);
    if pdev.can_wakeup() {
        // As the C driver: the device wakes the system only if armed.
        let _ = pdev.set_wakeup(wake);
    }
    pdev.disable_device();
    Ok(())
}

/// `resume`, `thaw` and `restore`: enable the PCI function and the device
/// again, and bring the interface up if it was.
pub(crate) fn resume(dev: &Netdev<Re1000<'_>>, pdev: &Device<Core<'_>>) -> Result {
    if let Err(e) = pdev.reenable_device() {
        // The interface stays detached: nothing can use the device.
        netdev_log!(
            dev,
            Err,
            "cannot enable the PCI device after sleep: {:?}\n",
            e
        );
        return Err(e);
    }
    pdev.set_master();
    Re1000::wake_up(dev)
}

/// `shutdown` (power-off, reboot, kexec): quiesce the device and disable
/// the PCI function, so that no DMA outlives the kernel; at power-off, arm
/// its wake-up from D3 and put it there.
pub(crate) fn shutdown(dev: &Netdev<Re1000<'_>>, pdev: &Device<Core<'_>>) {
    let wake = Re1000::quiesce(dev);
    pdev.disable_device();
    pdev.prepare_power_off(wake);
}
