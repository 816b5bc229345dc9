//! Wake-on-LAN while the system sleeps: what the device is left with when
//! the driver suspends it or shuts it down, as the C e1000's
//! `__e1000_shutdown` leaves it.

use crate::hw::regs::{Ctrl, Rctl, Wuc, Wufc};

/// The wake-up filters to arm from those the user asked for: a link change
/// cannot wake a system whose link is up already (LNKC is dropped then).
pub fn filters(wanted: Wufc, link_up: bool) -> Wufc {
    if link_up {
        wanted.with_lnkc(false)
    } else {
        wanted
    }
}

/// WUC for `wufc`: PME# asserted on a wake-up event, or nothing armed.
pub fn control(wufc: Wufc) -> Wuc {
    Wuc(0).with_pme_en(wufc.0 != 0)
}

/// The receiver while asleep with `wufc` armed: on (the wake-up filters see
/// what it receives), with the receive filters of `rctl`, and every
/// multicast frame accepted if multicast frames wake. The driver has taken
/// every receive descriptor back first (RDH = RDT), so nothing is written
/// to memory.
pub fn rctl(rctl: Rctl, wufc: Wufc) -> Rctl {
    let rctl = rctl.with_en(true);
    if wufc.mc() {
        rctl.with_mpe(true)
    } else {
        rctl
    }
}

/// CTRL while asleep with filters armed: wake-up from D3cold advertised and
/// PHY power management on (82540 and later).
pub fn ctrl(ctrl: Ctrl) -> Ctrl {
    ctrl.with_advd3wuc(true).with_en_phy_pwr_mgmt(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_change_is_dropped_while_the_link_is_up() {
        let wanted = Wufc(0).with_lnkc(true).with_mag(true);
        assert_eq!(filters(wanted, true), Wufc(0).with_mag(true));
        assert_eq!(filters(wanted, false), wanted);
        // Only a link change asked for, link up: nothing is armed.
        assert_eq!(filters(Wufc(0).with_lnkc(true), true).0, 0);
    }

    #[test]
    fn pme_follows_the_filters() {
        assert_eq!(control(Wufc(0)).0, 0);
        // WUC.PME_EN is bit 1, as the C driver's E1000_WUC_PME_EN (0x2).
        assert_eq!(control(Wufc(0).with_mag(true)).0, 0x2);
        // WUFC bits as the C driver's E1000_WUFC_*: LNKC 1, MAG 2, EX 4, MC 8, BC 0x10.
        let all = Wufc(0)
            .with_lnkc(true)
            .with_mag(true)
            .with_ex(true)
            .with_mc(true)
            .with_bc(true);
        assert_eq!(all.0, 0x1F);
    }

    #[test]
    fn receiver_stays_on_and_takes_all_multicast_for_multicast_wake() {
        let base = Rctl(0).with_bam(true).with_upe(true);
        let r = rctl(base, Wufc(0).with_mag(true));
        assert!(r.en() && r.bam() && r.upe() && !r.mpe());
        assert!(rctl(base, Wufc(0).with_mc(true)).mpe());
    }

    #[test]
    fn ctrl_advertises_d3cold_wake_and_phy_power_management() {
        // E1000_CTRL_ADVD3WUC 0x00100000, E1000_CTRL_EN_PHY_PWR_MGMT 0x00200000.
        let c = ctrl(Ctrl(0x1));
        assert_eq!(c.0, 0x0030_0001);
    }
}
