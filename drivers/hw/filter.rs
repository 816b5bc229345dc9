//! Receive filters: the multicast hash table (MTA) and the receive-mode bits.

/// Number of 32-bit words in the MTA.
pub const MTA_WORDS: usize = 128;
/// Number of receive address entries; entry 0 is the station address.
pub const RAR_ENTRIES: usize = 16;

/// The 12-bit MTA hash of a multicast address with RCTL.MO = 0 (bits 47:36).
pub const fn mta_hash(mac: &[u8; 6]) -> u16 {
    let v = ((mac[5] as u16) << 8) | mac[4] as u16;
    (v >> 4) & 0x0FFF
}

/// A multicast hash table image, built in memory and written as a whole.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct MtaTable(pub [u32; MTA_WORDS]);

impl Default for MtaTable {
    fn default() -> Self {
        Self([0; MTA_WORDS])
    }
}

impl MtaTable {
    /// Sets the bit of one multicast address.
    pub fn add(&mut self, mac: &[u8; 6]) {
        let hash = mta_hash(mac) as usize;
        self.0[hash >> 5] |= 1 << (hash & 31);
    }

    /// Whether an address's bit is set (so the hardware would accept it).
    pub fn accepts(&self, mac: &[u8; 6]) -> bool {
        let hash = mta_hash(mac) as usize;
        self.0[hash >> 5] & (1 << (hash & 31)) != 0
    }
}

/// What the stack asks of the receive filter (from the interface flags).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct RxMode {
    /// IFF_PROMISC: every frame.
    pub promisc: bool,
    /// IFF_ALLMULTI, or more multicast addresses than worth hashing.
    pub allmulti: bool,
    /// More unicast addresses than RAR entries: unicast promiscuous.
    pub unicast_overflow: bool,
    /// VLAN filtering requested (NETIF_F_HW_VLAN_CTAG_FILTER) and not promiscuous.
    pub vlan_filter: bool,
}

impl RxMode {
    /// RCTL with UPE, MPE and VFE set for this mode, other bits from `rctl`.
    pub const fn apply(&self, rctl: crate::hw::regs::Rctl) -> crate::hw::regs::Rctl {
        rctl.with_upe(self.promisc || self.unicast_overflow)
            .with_mpe(self.promisc || self.allmulti)
            .with_vfe(self.vlan_filter && !self.promisc)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hw::regs::Rctl;

    #[test]
    fn hash_matches_the_manual_example() {
        // With MO = 00 the hash is address bits 47:36: (addr[5] << 4) | (addr[4] >> 4).
        let mac = [0x01, 0x00, 0x5e, 0x00, 0x12, 0x34];
        assert_eq!(mta_hash(&mac), (0x34 << 4) | (0x12 >> 4));
    }

    #[test]
    fn table_accepts_only_what_was_added() {
        let mut t = MtaTable::default();
        let a = [0x33, 0x33, 0, 0, 0, 1];
        let b = [0x01, 0x00, 0x5e, 0x00, 0x00, 0xfb];
        t.add(&a);
        assert!(t.accepts(&a));
        assert!(!t.accepts(&b));
        assert_eq!(t.0.iter().map(|w| w.count_ones()).sum::<u32>(), 1);
    }

    #[test]
    fn rx_mode_sets_only_the_filter_bits() {
        let base = Rctl(0).with_en(true).with_bam(true);
        assert_eq!(RxMode::default().apply(base), base);
        let promisc = RxMode {
            promisc: true,
            vlan_filter: true,
            ..Default::default()
        }
        .apply(base);
        assert!(promisc.upe() && promisc.mpe() && !promisc.vfe() && promisc.en());
        let multi = RxMode {
            allmulti: true,
            vlan_filter: true,
            ..Default::default()
        }
        .apply(base);
        assert!(!multi.upe() && multi.mpe() && multi.vfe());
        // Clearing the mode clears the bits it set before.
        assert_eq!(RxMode::default().apply(promisc), base);
    }
}
