//! The PHY behind MDIC: its registers (IEEE 802.3 clause 22) and how flow
//! control is resolved from both ends' advertisements (802.3 annex 28B).

/// BMCR: basic mode control.
pub const BMCR: u32 = 0;
/// BMSR: basic mode status.
pub const BMSR: u32 = 1;
/// ANAR: autonegotiation advertisement.
pub const ANAR: u32 = 4;
/// ANLPAR: the link partner's advertisement.
pub const ANLPAR: u32 = 5;

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

/// ANAR/ANLPAR: symmetric pause.
pub const ADV_PAUSE: u16 = 1 << 10;
/// ANAR/ANLPAR: asymmetric pause direction.
pub const ADV_PAUSE_ASYM: u16 = 1 << 11;

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

    #[test]
    fn descriptions_match_the_c_driver() {
        assert_eq!(BOTH.describe(), "RX/TX");
        assert_eq!(RX.describe(), "RX");
        assert_eq!(TX.describe(), "TX");
        assert_eq!(NONE.describe(), "None");
    }
}
