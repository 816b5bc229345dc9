//! The 82540EM's registers as QEMU emulates them, one type per register.
//!
//! Offsets and bits follow Intel's "PCI/PCI-X Family of Gigabit Ethernet
//! Controllers Software Developer's Manual" (317453-006), chapter 13.

use crate::{register, register_array};

/// BAR0 is 128 KiB of memory-mapped registers.
pub const BAR0_SIZE: usize = 128 * 1024;

register! {
    /// CTRL: device control.
    Ctrl @ 0x0000 {
        /// FD: full duplex.
        fd / with_fd: 0;
        /// ASDE: auto-speed detection enable.
        asde / with_asde: 5;
        /// SLU: set link up.
        slu / with_slu: 6;
        /// ILOS: invert loss-of-signal.
        ilos / with_ilos: 7;
        /// FRCSPD: force speed.
        frcspd / with_frcspd: 11;
        /// FRCDPLX: force duplex.
        frcdplx / with_frcdplx: 12;
        /// ADVD3WUC: D3cold wake-up capability advertisement enable.
        advd3wuc / with_advd3wuc: 20;
        /// EN_PHY_PWR_MGMT: PHY power management enable.
        en_phy_pwr_mgmt / with_en_phy_pwr_mgmt: 21;
        /// RST: device reset (ignored by QEMU).
        rst / with_rst: 26;
        /// RFCE: receive flow control enable.
        rfce / with_rfce: 27;
        /// TFCE: transmit flow control enable.
        tfce / with_tfce: 28;
        /// VME: VLAN mode enable (strip and insert 802.1Q tags).
        vme / with_vme: 30;
        /// PHY_RST: PHY reset.
        phy_rst / with_phy_rst: 31;
    }
}

register! {
    /// STATUS: device status (read only).
    Status @ 0x0008 {
        /// FD: link is full duplex.
        fd / with_fd: 0;
        /// LU: link up.
        lu / with_lu: 1;
        /// TXOFF: transmission paused by flow control.
        txoff / with_txoff: 4;
        /// SPEED: 00 10 Mb/s, 01 100 Mb/s, 1x 1000 Mb/s.
        speed / with_speed: 7:6;
    }
}

impl Status {
    /// The link speed in Mb/s.
    pub const fn speed_mbps(self) -> u32 {
        match self.speed() {
            0 => 10,
            1 => 100,
            _ => 1000,
        }
    }
}

register! {
    /// EECD: EEPROM/flash control.
    Eecd @ 0x0010 {
        /// PRES: an EEPROM is present.
        pres / with_pres: 8;
    }
}

register! {
    /// EERD: EEPROM read through the device.
    Eerd @ 0x0014 {
        /// START: begin a read.
        start / with_start: 0;
        /// DONE: the read finished.
        done / with_done: 4;
        /// ADDR: word address.
        addr / with_addr: 15:8;
        /// DATA: the word read.
        data / with_data: 31:16;
    }
}

register! {
    /// MDIC: MDI control, the path to the PHY's registers.
    Mdic @ 0x0020 {
        /// DATA: the PHY register's value.
        data / with_data: 15:0;
        /// REGADD: the PHY register.
        reg / with_reg: 20:16;
        /// PHYADD: the PHY's address (1 on the 82540EM).
        phy / with_phy: 25:21;
        /// OP: 01 write, 10 read.
        op / with_op: 27:26;
        /// R: ready, the operation finished.
        ready / with_ready: 28;
        /// I: interrupt when done.
        ie / with_ie: 29;
        /// E: error.
        err / with_err: 30;
    }
}

/// MDIC.OP for a PHY write.
pub const MDIC_OP_WRITE: u32 = 0b01;
/// MDIC.OP for a PHY read.
pub const MDIC_OP_READ: u32 = 0b10;
/// The PHY's MDIO address on the 82540EM.
pub const PHY_ADDR: u32 = 1;

/// Interrupt causes, shared by ICR, ICS, IMS and IMC.
macro_rules! interrupt_register {
    ($(#[$meta:meta])* $name:ident @ $offset:literal) => {
        register! {
            $(#[$meta])*
            $name @ $offset {
                /// TXDW: a transmit descriptor was written back.
                txdw / with_txdw: 0;
                /// TXQE: the transmit queue is empty.
                txqe / with_txqe: 1;
                /// LSC: link status change.
                lsc / with_lsc: 2;
                /// RXSEQ: receive sequence error.
                rxseq / with_rxseq: 3;
                /// RXDMT0: receive descriptors below the minimum threshold.
                rxdmt0 / with_rxdmt0: 4;
                /// RXO: receiver overrun.
                rxo / with_rxo: 6;
                /// RXT0: receiver timer (a frame was received).
                rxt0 / with_rxt0: 7;
                /// MDAC: MDIO access complete.
                mdac / with_mdac: 9;
                /// TXD_LOW: transmit descriptors below the low threshold.
                txd_low / with_txd_low: 15;
                /// SRPD: small receive packet detected.
                srpd / with_srpd: 16;
                /// INT_ASSERTED (ICR only): the device asserted its interrupt.
                asserted / with_asserted: 31;
            }
        }
    };
}

interrupt_register! {
    /// ICR: interrupt cause read (reading clears it).
    Icr @ 0x00C0
}
interrupt_register! {
    /// ICS: interrupt cause set (raises causes by software).
    Ics @ 0x00C8
}
interrupt_register! {
    /// IMS: interrupt mask set (enables causes).
    Ims @ 0x00D0
}
interrupt_register! {
    /// IMC: interrupt mask clear (disables causes).
    Imc @ 0x00D8
}

/// The causes re1000 handles: transmit done, link change, receive and overrun.
pub const IRQ_CAUSES: u32 = Ims(0)
    .with_txdw(true)
    .with_lsc(true)
    .with_rxseq(true)
    .with_rxdmt0(true)
    .with_rxo(true)
    .with_rxt0(true)
    .0;

register! {
    /// ITR: interrupt throttling, the minimum gap between interrupts.
    Itr @ 0x00C4 {
        /// INTERVAL: in units of 256 ns; 0 disables throttling.
        interval / with_interval: 15:0;
    }
}

register! {
    /// RCTL: receive control.
    Rctl @ 0x0100 {
        /// EN: receiver enable.
        en / with_en: 1;
        /// SBP: store bad packets.
        sbp / with_sbp: 2;
        /// UPE: unicast promiscuous.
        upe / with_upe: 3;
        /// MPE: multicast promiscuous.
        mpe / with_mpe: 4;
        /// LPE: long packet enable (frames over 1522 bytes).
        lpe / with_lpe: 5;
        /// LBM: loopback mode (00 none, 11 PHY loopback).
        lbm / with_lbm: 7:6;
        /// RDMTS: free-descriptor threshold for RXDMT0 (1/2, 1/4, 1/8 of the ring).
        rdmts / with_rdmts: 9:8;
        /// MO: which 12 bits of a multicast address index the MTA.
        mo / with_mo: 13:12;
        /// BAM: accept broadcast.
        bam / with_bam: 15;
        /// BSIZE: buffer size (with BSEX).
        bsize / with_bsize: 17:16;
        /// VFE: VLAN filter enable.
        vfe / with_vfe: 18;
        /// CFIEN: canonical form indicator enable.
        cfien / with_cfien: 19;
        /// CFI: canonical form indicator value.
        cfi / with_cfi: 20;
        /// DPF: discard pause frames.
        dpf / with_dpf: 22;
        /// PMCF: pass MAC control frames.
        pmcf / with_pmcf: 23;
        /// BSEX: buffer size extension (BSIZE times 16).
        bsex / with_bsex: 25;
        /// SECRC: strip the Ethernet CRC.
        secrc / with_secrc: 26;
    }
}

register! {
    /// TCTL: transmit control.
    Tctl @ 0x0400 {
        /// EN: transmitter enable.
        en / with_en: 1;
        /// PSP: pad short packets.
        psp / with_psp: 3;
        /// CT: collision threshold.
        ct / with_ct: 11:4;
        /// COLD: collision distance.
        cold / with_cold: 21:12;
        /// SWXOFF: software XOFF transmission.
        swxoff / with_swxoff: 22;
        /// RTLC: re-transmit on late collision.
        rtlc / with_rtlc: 24;
    }
}

register! {
    /// TIPG: transmit inter-packet gap.
    Tipg @ 0x0410 {
        /// IPGT: IPG transmit time.
        ipgt / with_ipgt: 9:0;
        /// IPGR1: IPG receive time 1.
        ipgr1 / with_ipgr1: 19:10;
        /// IPGR2: IPG receive time 2.
        ipgr2 / with_ipgr2: 29:20;
    }
}

register! {
    /// FCAL: flow control address low.
    Fcal @ 0x0028 {}
}
register! {
    /// FCAH: flow control address high.
    Fcah @ 0x002C {}
}
register! {
    /// FCT: flow control type.
    Fct @ 0x0030 {}
}
register! {
    /// VET: VLAN ether type.
    Vet @ 0x0038 {}
}
register! {
    /// FCTTV: flow control transmit timer value.
    Fcttv @ 0x0170 {}
}

register! {
    /// FCRTL: flow control receive threshold low (XON), in bytes.
    Fcrtl @ 0x2160 {
        /// RTL: the threshold, 8-byte units in bits 15:3.
        rtl / with_rtl: 15:3;
        /// XONE: send XON when the FIFO drains below the threshold.
        xone / with_xone: 31;
    }
}
register! {
    /// FCRTH: flow control receive threshold high (XOFF), in bytes.
    Fcrth @ 0x2168 {
        /// RTH: the threshold, 8-byte units in bits 15:3.
        rth / with_rth: 15:3;
    }
}

register! {
    /// LEDCTL: LED control, four LEDs of one byte each.
    Ledctl @ 0x0E00 {
        /// LED0_MODE: what drives LED0 (`LED_MODE_*`).
        led0_mode / with_led0_mode: 3:0;
        /// LED0_IVRT: LED0 active low.
        led0_ivrt / with_led0_ivrt: 6;
        /// LED0_BLINK: LED0 blinks.
        led0_blink / with_led0_blink: 7;
        /// LED1_MODE: what drives LED1.
        led1_mode / with_led1_mode: 11:8;
        /// LED1_BLINK: LED1 blinks.
        led1_blink / with_led1_blink: 15;
    }
}

/// LEDCTL mode: the LED is on.
pub const LED_MODE_ON: u32 = 0xE;
/// LEDCTL mode: the LED is off.
pub const LED_MODE_OFF: u32 = 0xF;

register! {
    /// WUC: wake-up control.
    Wuc @ 0x5800 {
        /// APME: advanced power management wake enable.
        apme / with_apme: 0;
        /// PME_EN: assert PME# on a wake-up event.
        pme_en / with_pme_en: 1;
        /// PME_STATUS: a wake-up event happened (write 1 to clear).
        pme_status / with_pme_status: 2;
    }
}

register! {
    /// WUFC: wake-up filter control, which frames wake the host.
    Wufc @ 0x5808 {
        /// LNKC: a link status change.
        lnkc / with_lnkc: 0;
        /// MAG: a magic packet.
        mag / with_mag: 1;
        /// EX: a directed (unicast) frame to the station address.
        ex / with_ex: 2;
        /// MC: a multicast frame.
        mc / with_mc: 3;
        /// BC: a broadcast frame.
        bc / with_bc: 4;
    }
}

register! {
    /// WUS: wake-up status, which filter woke the host (write 1 to clear).
    Wus @ 0x5810 {}
}

/// The 802.1Q ether type programmed into VET.
pub const ETH_P_8021Q: u32 = 0x8100;

/// Defines the registers of one descriptor ring (RX at 0x2800, TX at 0x3800).
macro_rules! ring_registers {
    ($kind:literal, $bal:ident @ $o0:literal, $bah:ident @ $o1:literal, $len:ident @ $o2:literal,
     $head:ident @ $o3:literal, $tail:ident @ $o4:literal) => {
        register! {
            #[doc = concat!($kind, " descriptor base address, low 32 bits.")]
            $bal @ $o0 {}
        }
        register! {
            #[doc = concat!($kind, " descriptor base address, high 32 bits.")]
            $bah @ $o1 {}
        }
        register! {
            #[doc = concat!($kind, " descriptor ring length in bytes (a multiple of 128).")]
            $len @ $o2 {}
        }
        register! {
            #[doc = concat!($kind, " head: the next descriptor the device processes.")]
            $head @ $o3 {
                /// The descriptor index.
                index / with_index: 15:0;
            }
        }
        register! {
            #[doc = concat!($kind, " tail: one past the last descriptor handed to the device.")]
            $tail @ $o4 {
                /// The descriptor index.
                index / with_index: 15:0;
            }
        }
    };
}

ring_registers!("Receive", Rdbal @ 0x2800, Rdbah @ 0x2804, Rdlen @ 0x2808, Rdh @ 0x2810, Rdt @ 0x2818);
ring_registers!("Transmit", Tdbal @ 0x3800, Tdbah @ 0x3804, Tdlen @ 0x3808, Tdh @ 0x3810, Tdt @ 0x3818);

register! {
    /// RDTR: receive delay timer (1.024 us units).
    Rdtr @ 0x2820 {
        /// DELAY: the delay.
        delay / with_delay: 15:0;
        /// FPD: flush partial descriptor block.
        fpd / with_fpd: 31;
    }
}

register! {
    /// RADV: receive absolute delay timer (1.024 us units).
    Radv @ 0x282C {
        /// DELAY: the delay.
        delay / with_delay: 15:0;
    }
}

register! {
    /// TIDV: transmit interrupt delay (1.024 us units).
    Tidv @ 0x3820 {
        /// DELAY: the delay.
        delay / with_delay: 15:0;
    }
}

register! {
    /// TADV: transmit absolute interrupt delay (1.024 us units).
    Tadv @ 0x382C {
        /// DELAY: the delay.
        delay / with_delay: 15:0;
    }
}

register! {
    /// RXCSUM: receive checksum control.
    Rxcsum @ 0x5000 {
        /// IPOFL: IP checksum offload.
        ipofl / with_ipofl: 8;
        /// TUOFL: TCP/UDP checksum offload.
        tuofl / with_tuofl: 9;
    }
}

register! {
    /// MANC: management control.
    Manc @ 0x5820 {
        /// ARP_EN: ARP request filtering to the manageability engine.
        arp_en / with_arp_en: 13;
    }
}

register_array! {
    /// MTA: the multicast table, a 4096-bit hash filter.
    Mta @ 0x5200 [128]
}

register_array! {
    /// VFTA: the VLAN filter table, one bit per VLAN id.
    Vfta @ 0x5600 [128]
}

/// RAL/RAH: the 16 receive address (unicast filter) entries, 8 bytes apart.
pub struct Ral;
impl crate::hw::reg::RegisterArray for Ral {
    const BASE: usize = 0x5400;
    const LEN: usize = 16;
    const STRIDE: usize = 8;
}

/// RAH (the high half of a receive address entry).
pub struct Rah;
impl crate::hw::reg::RegisterArray for Rah {
    const BASE: usize = 0x5404;
    const LEN: usize = 16;
    const STRIDE: usize = 8;
}

/// RAH.AV: the entry is valid.
pub const RAH_AV: u32 = 1 << 31;

/// A MAC address split into RAL and RAH values (RAH without AV).
pub const fn rar_words(mac: &[u8; 6]) -> (u32, u32) {
    let low = u32::from_le_bytes([mac[0], mac[1], mac[2], mac[3]]);
    let high = u16::from_le_bytes([mac[4], mac[5]]) as u32;
    (low, high)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hw::reg::{Register, RegisterArray};

    #[test]
    fn offsets_match_the_manual() {
        assert_eq!(Ctrl::OFFSET, 0x0000);
        assert_eq!(Status::OFFSET, 0x0008);
        assert_eq!(Eerd::OFFSET, 0x0014);
        assert_eq!(Icr::OFFSET, 0x00C0);
        assert_eq!(Ims::OFFSET, 0x00D0);
        assert_eq!(Imc::OFFSET, 0x00D8);
        assert_eq!(Rctl::OFFSET, 0x0100);
        assert_eq!(Tctl::OFFSET, 0x0400);
        assert_eq!(Rdt::OFFSET, 0x2818);
        assert_eq!(Tdt::OFFSET, 0x3818);
        assert_eq!(Rah::offset(15), Some(0x5404 + 15 * 8));
        assert_eq!(Vfta::offset(128), None);
    }

    #[test]
    fn status_reports_speed_and_link() {
        // QEMU's STATUS at link up: FD, LU, 1000 Mb/s (speed bits 10), plus ASDE-set bits.
        let s = Status(0x8000_0083);
        assert!(s.lu() && s.fd());
        assert_eq!(s.speed_mbps(), 1000);
        assert_eq!(Status(0x40).speed_mbps(), 100);
        assert!(!Status(0).lu());
    }

    #[test]
    fn rctl_fields_land_on_their_bits() {
        let r = Rctl(0)
            .with_en(true)
            .with_bam(true)
            .with_secrc(true)
            .with_rdmts(0)
            .with_bsize(0);
        assert_eq!(r.0, (1 << 1) | (1 << 15) | (1 << 26));
        assert_eq!(
            Rctl(0).with_bsize(3).with_bsex(true).0,
            (3 << 16) | (1 << 25)
        );
        assert_eq!(Rctl(0).with_lbm(3).0, 3 << 6);
    }

    #[test]
    fn interrupt_causes_are_the_documented_bits() {
        assert_eq!(IRQ_CAUSES, 0x01 | 0x04 | 0x08 | 0x10 | 0x40 | 0x80);
        assert!(Icr(0x80).rxt0() && !Icr(0x80).txdw());
    }

    #[test]
    fn tctl_and_tipg_encode_the_c_driver_defaults() {
        let t = Tctl(0)
            .with_en(true)
            .with_psp(true)
            .with_ct(0x0F)
            .with_cold(0x40);
        assert_eq!(t.0, 0x0004_00FA);
        let g = Tipg(0).with_ipgt(8).with_ipgr1(8).with_ipgr2(6);
        assert_eq!(g.0, 8 | (8 << 10) | (6 << 20));
    }

    #[test]
    fn mac_addresses_split_into_ral_and_rah() {
        let (lo, hi) = rar_words(&[0x52, 0x54, 0x00, 0x12, 0x34, 0x56]);
        assert_eq!(lo, 0x1200_5452);
        assert_eq!(hi, 0x0000_5634);
    }

    #[test]
    fn mdic_builds_a_phy_read() {
        let m = Mdic(0).with_reg(1).with_phy(PHY_ADDR).with_op(MDIC_OP_READ);
        assert_eq!(m.0, (1 << 16) | (1 << 21) | (2 << 26));
        assert!(Mdic(0x1000_7949).ready());
        assert_eq!(Mdic(0x1000_7949).data(), 0x7949);
    }
}
