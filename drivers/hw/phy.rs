//! The PHY behind MDIC: its registers (IEEE 802.3 clause 22), the speed and
//! duplex modes it advertises, and how flow control is resolved from both
//! ends' advertisements (802.3 annex 28B).

/// BMCR: basic mode control.
pub const BMCR: u32 = 0;
/// BMSR: basic mode status.
pub const BMSR: u32 = 1;
/// ANAR: autonegotiation advertisement.
pub const ANAR: u32 = 4;
/// ANLPAR: the link partner's advertisement.
pub const ANLPAR: u32 = 5;
/// CTRL1000: 1000BASE-T control (what is advertised of 1000 Mb/s).
pub const CTRL1000: u32 = 9;

/// BMCR: restart autonegotiation.
pub const BMCR_ANRESTART: u16 = 1 << 9;
/// BMCR: autonegotiation enabled.
pub const BMCR_ANENABLE: u16 = 1 << 12;
/// BMCR: loop transmitted frames back to the receiver.
pub const BMCR_LOOPBACK: u16 = 1 << 14;
/// BMCR: full duplex.
pub const BMCR_FULLDPLX: u16 = 1 << 8;
/// BMCR: speed selection, most significant bit (1000 Mb/s with bit 13 clear).
pub const BMCR_SPEED1000: u16 = 1 << 6;

/// ANAR: selector field, IEEE 802.3 (CSMA/CD).
pub const ADV_CSMA: u16 = 0x0001;
/// ANAR/ANLPAR: 10BASE-T half duplex.
pub const ADV_10HALF: u16 = 1 << 5;
/// ANAR/ANLPAR: 10BASE-T full duplex.
pub const ADV_10FULL: u16 = 1 << 6;
/// ANAR/ANLPAR: 100BASE-TX half duplex.
pub const ADV_100HALF: u16 = 1 << 7;
/// ANAR/ANLPAR: 100BASE-TX full duplex.
pub const ADV_100FULL: u16 = 1 << 8;
/// ANAR: every speed and duplex bit.
pub const ADV_SPEEDS: u16 = ADV_10HALF | ADV_10FULL | ADV_100HALF | ADV_100FULL;
/// CTRL1000: advertise 1000BASE-T half duplex.
pub const CTRL1000_HALF: u16 = 1 << 8;
/// CTRL1000: advertise 1000BASE-T full duplex.
pub const CTRL1000_FULL: u16 = 1 << 9;

/// ANAR/ANLPAR: symmetric pause.
pub const ADV_PAUSE: u16 = 1 << 10;
/// ANAR/ANLPAR: asymmetric pause direction.
pub const ADV_PAUSE_ASYM: u16 = 1 << 11;

/// The speed and duplex modes the PHY advertises when it autonegotiates:
/// those of the 82540EM's PHY, which has no 1000BASE-T half duplex (the C
/// driver's AUTONEG_ADVERTISE_SPEED_DEFAULT).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Modes {
    /// 10BASE-T half duplex.
    pub half10: bool,
    /// 10BASE-T full duplex.
    pub full10: bool,
    /// 100BASE-TX half duplex.
    pub half100: bool,
    /// 100BASE-TX full duplex.
    pub full100: bool,
    /// 1000BASE-T full duplex.
    pub full1000: bool,
}

impl Modes {
    /// Every mode: what the PHY advertises after reset.
    pub const ALL: Self = Self {
        half10: true,
        full10: true,
        half100: true,
        full100: true,
        full1000: true,
    };

    /// Whether no mode is advertised (no link could be negotiated).
    pub const fn is_empty(self) -> bool {
        !(self.half10 || self.full10 || self.half100 || self.full100 || self.full1000)
    }

    /// `anar` with the speed and duplex bits replaced by these modes and
    /// the 802.3 selector set; the pause bits are left as they are.
    pub const fn anar(self, anar: u16) -> u16 {
        let mut bits = ADV_CSMA;
        if self.half10 {
            bits |= ADV_10HALF;
        }
        if self.full10 {
            bits |= ADV_10FULL;
        }
        if self.half100 {
            bits |= ADV_100HALF;
        }
        if self.full100 {
            bits |= ADV_100FULL;
        }
        (anar & !(ADV_SPEEDS | 0x001F)) | bits
    }

    /// `ctrl1000` with the advertised 1000BASE-T modes replaced by these
    /// (full duplex or nothing); the master/slave bits are left as they are.
    pub const fn ctrl1000(self, ctrl1000: u16) -> u16 {
        let rest = ctrl1000 & !(CTRL1000_HALF | CTRL1000_FULL);
        if self.full1000 {
            rest | CTRL1000_FULL
        } else {
            rest
        }
    }

    /// The modes ANAR and CTRL1000 advertise (a 1000BASE-T half duplex bit
    /// is not one of them).
    pub const fn from_regs(anar: u16, ctrl1000: u16) -> Self {
        Self {
            half10: anar & ADV_10HALF != 0,
            full10: anar & ADV_10FULL != 0,
            half100: anar & ADV_100HALF != 0,
            full100: anar & ADV_100FULL != 0,
            full1000: ctrl1000 & CTRL1000_FULL != 0,
        }
    }
}

/// Flow control: whether the station honours received pause frames (`rx`)
/// and sends them (`tx`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FlowControl {
    /// Pause on received pause frames (CTRL.RFCE).
    pub rx: bool,
    /// Send pause frames (CTRL.TFCE).
    pub tx: bool,
}

impl FlowControl {
    /// The ANAR pause bits that ask for this mode (802.3 annex 28B.2).
    pub const fn advertisement(self) -> u16 {
        match (self.rx, self.tx) {
            (true, true) => ADV_PAUSE,
            (true, false) => ADV_PAUSE | ADV_PAUSE_ASYM,
            (false, true) => ADV_PAUSE_ASYM,
            (false, false) => 0,
        }
    }

    /// The mode both ends agree on, from our and the partner's advertised
    /// pause bits (802.3 annex 28B.3, table 28B-3).
    pub const fn resolve(local: u16, partner: u16) -> Self {
        let (l_sym, l_asym) = (local & ADV_PAUSE != 0, local & ADV_PAUSE_ASYM != 0);
        let (p_sym, p_asym) = (partner & ADV_PAUSE != 0, partner & ADV_PAUSE_ASYM != 0);
        if l_sym && p_sym {
            // Symmetric at both ends; a local asym bit only widens what we
            // accept, so both directions pause.
            Self { rx: true, tx: true }
        } else if l_sym && l_asym && !p_sym && p_asym {
            // The partner sends pause frames but will not honour ours.
            Self {
                rx: true,
                tx: false,
            }
        } else if !l_sym && l_asym && p_sym && p_asym {
            // We send, the partner honours.
            Self {
                rx: false,
                tx: true,
            }
        } else {
            Self {
                rx: false,
                tx: false,
            }
        }
    }

    /// How the C driver words the mode in its link message.
    pub const fn describe(self) -> &'static str {
        match (self.rx, self.tx) {
            (true, true) => "RX/TX",
            (true, false) => "RX",
            (false, true) => "TX",
            (false, false) => "None",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOTH: FlowControl = FlowControl { rx: true, tx: true };
    const RX: FlowControl = FlowControl {
        rx: true,
        tx: false,
    };
    const TX: FlowControl = FlowControl {
        rx: false,
        tx: true,
    };
    const NONE: FlowControl = FlowControl {
        rx: false,
        tx: false,
    };

    #[test]
    fn resolution_follows_table_28b_3() {
        let (s, a) = (ADV_PAUSE, ADV_PAUSE_ASYM);
        // (local, partner, result) for every combination of the four bits.
        let table = [
            (0, 0, NONE),
            (0, s, NONE),
            (0, a, NONE),
            (0, s | a, NONE),
            (a, 0, NONE),
            (a, s, NONE),
            (a, a, NONE),
            (a, s | a, TX),
            (s, 0, NONE),
            (s, s, BOTH),
            (s, a, NONE),
            (s, s | a, BOTH),
            (s | a, 0, NONE),
            (s | a, s, BOTH),
            (s | a, a, RX),
            (s | a, s | a, BOTH),
        ];
        for (local, partner, want) in table {
            assert_eq!(
                FlowControl::resolve(local, partner),
                want,
                "local {local:#x} partner {partner:#x}"
            );
        }
    }

    #[test]
    fn an_advertised_mode_is_what_a_full_partner_grants() {
        // Against a partner advertising both bits, each request resolves to
        // itself (rx-only resolves to both: symmetric pause includes rx).
        let full = ADV_PAUSE | ADV_PAUSE_ASYM;
        assert_eq!(FlowControl::resolve(BOTH.advertisement(), full), BOTH);
        assert_eq!(FlowControl::resolve(TX.advertisement(), full), TX);
        assert_eq!(FlowControl::resolve(NONE.advertisement(), full), NONE);
        assert_eq!(FlowControl::resolve(RX.advertisement(), full), BOTH);
        assert_eq!(FlowControl::resolve(RX.advertisement(), ADV_PAUSE_ASYM), RX);
    }

    /// QEMU 7.2's PHY after reset: ANAR advertises 10/100 half and full
    /// duplex and both pause bits; CTRL1000 1000BASE-T full duplex, with the
    /// port type and manual master/slave bits.
    const QEMU_ANAR: u16 = 0x0DE1;
    const QEMU_CTRL1000: u16 = 0x0E00;

    #[test]
    fn all_modes_are_what_the_phy_advertises_after_reset() {
        assert_eq!(Modes::from_regs(QEMU_ANAR, QEMU_CTRL1000), Modes::ALL);
        assert_eq!(Modes::ALL.anar(QEMU_ANAR), QEMU_ANAR);
        assert_eq!(Modes::ALL.ctrl1000(QEMU_CTRL1000), QEMU_CTRL1000);
    }

    #[test]
    fn one_mode_sets_one_bit_and_keeps_the_rest() {
        let full100 = Modes {
            half10: false,
            full10: false,
            half100: false,
            full100: true,
            full1000: false,
        };
        // Pause bits and the selector stay; the other speeds go.
        assert_eq!(full100.anar(QEMU_ANAR), 0x0D01);
        // Master/slave and port bits stay; 1000BASE-T full duplex goes.
        assert_eq!(full100.ctrl1000(QEMU_CTRL1000), 0x0C00);
        assert_eq!(Modes::from_regs(0x0D01, 0x0C00), full100);
        let full1000 = Modes {
            full100: false,
            full1000: true,
            ..full100
        };
        assert_eq!(full1000.anar(QEMU_ANAR), 0x0C01);
        assert_eq!(full1000.ctrl1000(0x0100), CTRL1000_FULL);
        assert_eq!(Modes::from_regs(0x0C01, CTRL1000_FULL), full1000);
        assert!(!full1000.is_empty());
    }

    #[test]
    fn every_mode_round_trips_through_the_registers() {
        for bits in 0u8..32 {
            let m = Modes {
                half10: bits & 1 != 0,
                full10: bits & 2 != 0,
                half100: bits & 4 != 0,
                full100: bits & 8 != 0,
                full1000: bits & 16 != 0,
            };
            assert_eq!(Modes::from_regs(m.anar(0xFFFF), m.ctrl1000(0xFFFF)), m);
            assert_eq!(m.anar(0) & (ADV_PAUSE | ADV_PAUSE_ASYM), 0);
            assert_eq!(m.anar(0xFFFF) & 0x001F, ADV_CSMA);
            assert_eq!(m.ctrl1000(0xFFFF) & CTRL1000_HALF, 0);
            assert_eq!(m.is_empty(), bits == 0);
        }
    }

    #[test]
    fn descriptions_match_the_c_driver() {
        assert_eq!(BOTH.describe(), "RX/TX");
        assert_eq!(RX.describe(), "RX");
        assert_eq!(TX.describe(), "TX");
        assert_eq!(NONE.describe(), "None");
    }
}
