//! Descriptor layouts: 16 bytes each, little-endian, as two 64-bit words.
//!
//! The driver reads and writes descriptors in DMA memory word by word; these
//! types turn words into meaning and back. Word 0 is the buffer address; word 1
//! packs length, command or status, and the rest.

/// A descriptor as the two little-endian 64-bit words the device sees.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct RawDesc {
    /// Bytes 0..8: the buffer's DMA address.
    pub addr: u64,
    /// Bytes 8..16: the rest, by descriptor type.
    pub word1: u64,
}

/// Size of one descriptor in bytes.
pub const DESC_SIZE: usize = 16;

/// Index of word 1 (length, command or status, ...) among a descriptor's
/// two 64-bit words: the word the driver reads back.
pub const WORD1: usize = 1;

/// RX status: descriptor done.
pub const RXD_STAT_DD: u8 = 0x01;
/// RX status: end of packet.
pub const RXD_STAT_EOP: u8 = 0x02;
/// RX status: ignore checksum indication.
pub const RXD_STAT_IXSM: u8 = 0x04;
/// RX status: the frame was 802.1Q tagged (and the tag stripped to `special`).
pub const RXD_STAT_VP: u8 = 0x08;

/// RX error: CRC or alignment error.
pub const RXD_ERR_CE: u8 = 0x01;
/// RX error: symbol error.
pub const RXD_ERR_SE: u8 = 0x02;
/// RX error: sequence error.
pub const RXD_ERR_SEQ: u8 = 0x04;
/// RX error: carrier extension error.
pub const RXD_ERR_CXE: u8 = 0x10;
/// RX error: TCP/UDP checksum error.
pub const RXD_ERR_TCPE: u8 = 0x20;
/// RX error: IP checksum error.
pub const RXD_ERR_IPE: u8 = 0x40;
/// RX error: data error.
pub const RXD_ERR_RXE: u8 = 0x80;
/// The errors that make a frame bad (checksum errors are only hints).
pub const RXD_ERR_FRAME: u8 = RXD_ERR_CE | RXD_ERR_SE | RXD_ERR_SEQ | RXD_ERR_CXE | RXD_ERR_RXE;

/// A receive descriptor as the device wrote it back.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct RxWriteback {
    /// Bytes of frame data the device says it put in the buffer.
    pub length: u16,
    /// The packet checksum (unused: QEMU does not compute it).
    pub csum: u16,
    /// Status bits (`RXD_STAT_*`).
    pub status: u8,
    /// Error bits (`RXD_ERR_*`).
    pub errors: u8,
    /// The stripped VLAN tag when `status` has VP.
    pub special: u16,
}

impl RxWriteback {
    /// Decodes word 1 of a receive descriptor.
    pub const fn from_word1(word1: u64) -> Self {
        Self {
            length: word1 as u16,
            csum: (word1 >> 16) as u16,
            status: (word1 >> 32) as u8,
            errors: (word1 >> 40) as u8,
            special: (word1 >> 48) as u16,
        }
    }

    /// The device finished with this descriptor.
    pub const fn done(&self) -> bool {
        self.status & RXD_STAT_DD != 0
    }

    /// This descriptor holds the last buffer of a frame.
    pub const fn end_of_packet(&self) -> bool {
        self.status & RXD_STAT_EOP != 0
    }

    /// The frame carries an error that makes it unusable.
    pub const fn frame_error(&self) -> bool {
        self.errors & RXD_ERR_FRAME != 0
    }

    /// The stripped 802.1Q tag, when the device stripped one.
    pub const fn vlan_tag(&self) -> Option<u16> {
        if self.status & RXD_STAT_VP != 0 {
            Some(self.special)
        } else {
            None
        }
    }

    /// The length to use, bounded by the buffer the driver gave: `None` if the
    /// device claims more than fits (it must never be trusted past the buffer).
    pub const fn checked_length(&self, buffer_len: usize) -> Option<usize> {
        let len = self.length as usize;
        if len <= buffer_len {
            Some(len)
        } else {
            None
        }
    }
}

/// A receive descriptor handed to the device: only the address matters, the
/// rest must be zero so that a stale DD bit is never read back.
pub const fn rx_desc(buffer: u64) -> RawDesc {
    RawDesc {
        addr: buffer.to_le(),
        word1: 0,
    }
}

/// TX command: end of packet.
pub const TXD_CMD_EOP: u8 = 0x01;
/// TX command: insert FCS.
pub const TXD_CMD_IFCS: u8 = 0x02;
/// TX command: insert checksum (legacy descriptors).
pub const TXD_CMD_IC: u8 = 0x04;
/// TX command: report status (write back DD).
pub const TXD_CMD_RS: u8 = 0x08;
/// TX command: extended descriptor (context or data).
pub const TXD_CMD_DEXT: u8 = 0x20;
/// TX command: insert the VLAN tag from `special`.
pub const TXD_CMD_VLE: u8 = 0x40;
/// TX command: interrupt delay enable.
pub const TXD_CMD_IDE: u8 = 0x80;

/// TX status: descriptor done.
pub const TXD_STAT_DD: u8 = 0x01;

/// A legacy transmit descriptor for one buffer of a frame.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct TxLegacy {
    /// The buffer's DMA address.
    pub addr: u64,
    /// Bytes in the buffer.
    pub length: u16,
    /// Checksum offset (with IC).
    pub cso: u8,
    /// Command bits (`TXD_CMD_*`).
    pub cmd: u8,
    /// Checksum start (with IC).
    pub css: u8,
    /// The VLAN tag to insert (with VLE).
    pub special: u16,
}

impl TxLegacy {
    /// The descriptor as the device reads it (status zeroed).
    pub const fn encode(&self) -> RawDesc {
        let word1 = (self.length as u64)
            | ((self.cso as u64) << 16)
            | ((self.cmd as u64) << 24)
            | ((self.css as u64) << 40)
            | ((self.special as u64) << 48);
        RawDesc {
            addr: self.addr.to_le(),
            word1: word1.to_le(),
        }
    }
}

/// DCMD.TSE (extended descriptors): TCP segmentation.
pub const TXD_CMD_TSE: u8 = 0x04;
/// TUCMD (context descriptor): the packet is IPv4 (compute the IP checksum).
pub const TXD_TUCMD_IP: u8 = 0x02;
/// TUCMD (context descriptor): the packet is TCP.
pub const TXD_TUCMD_TCP: u8 = 0x01;
/// DTYP of a data descriptor.
pub const TXD_DTYP_DATA: u8 = 0x1;
/// POPTS: insert the IP checksum.
pub const TXD_POPTS_IXSM: u8 = 0x01;
/// POPTS: insert the TCP/UDP checksum.
pub const TXD_POPTS_TXSM: u8 = 0x02;
/// Largest buffer one transmit descriptor carries (as the C driver).
pub const TX_MAX_PER_DESC: usize = 4096;

/// A TCP/IP context descriptor: where the checksums go and, for TSO, how to
/// cut the payload into segments. It applies to the data descriptors after it.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct TxContext {
    /// IPCSS: start of the IP header.
    pub ipcss: u8,
    /// IPCSO: where the IP checksum goes.
    pub ipcso: u8,
    /// IPCSE: last byte of the IP header (0: to the end).
    pub ipcse: u16,
    /// TUCSS: where the TCP/UDP checksum starts.
    pub tucss: u8,
    /// TUCSO: where the TCP/UDP checksum goes.
    pub tucso: u8,
    /// TUCSE: where it ends (0: end of packet).
    pub tucse: u16,
    /// PAYLEN (TSO): payload bytes after the headers (20 bits).
    pub paylen: u32,
    /// TUCMD: `TXD_TUCMD_*` plus `TXD_CMD_TSE`, `TXD_CMD_RS`, `TXD_CMD_IDE`.
    pub tucmd: u8,
    /// HDRLEN (TSO): bytes of headers copied into each segment.
    pub hdrlen: u8,
    /// MSS (TSO): payload bytes per segment.
    pub mss: u16,
}

/// Offset of the checksum in a TCP header.
pub const TCP_CHECK_OFFSET: usize = 16;

impl TxContext {
    /// Whether a TSO frame fits a context descriptor: its TCP header at
    /// `transport_offset`, its headers `hdr_len` bytes in all. TUCSO (where
    /// the TCP checksum goes) and HDRLEN are 8-bit fields; a frame with more
    /// headers (IPv6 extension headers, say) is segmented by the stack.
    pub const fn tso_fits(transport_offset: usize, hdr_len: usize) -> bool {
        transport_offset + TCP_CHECK_OFFSET <= u8::MAX as usize && hdr_len <= u8::MAX as usize
    }

    /// The descriptor as the device reads it.
    pub const fn encode(&self) -> RawDesc {
        let addr = (self.ipcss as u64)
            | ((self.ipcso as u64) << 8)
            | ((self.ipcse as u64) << 16)
            | ((self.tucss as u64) << 32)
            | ((self.tucso as u64) << 40)
            | ((self.tucse as u64) << 48);
        let word1 = ((self.paylen & 0xF_FFFF) as u64)
            | (((self.tucmd | TXD_CMD_DEXT) as u64) << 24)
            | ((self.hdrlen as u64) << 40)
            | ((self.mss as u64) << 48);
        RawDesc {
            addr: addr.to_le(),
            word1: word1.to_le(),
        }
    }
}

/// An extended data descriptor: one buffer of a frame that a context
/// descriptor describes.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct TxData {
    /// The buffer's DMA address.
    pub addr: u64,
    /// Bytes in the buffer (20 bits).
    pub length: u32,
    /// DCMD: `TXD_CMD_*` (DEXT is added).
    pub dcmd: u8,
    /// POPTS: `TXD_POPTS_*`.
    pub popts: u8,
    /// The VLAN tag to insert (with VLE).
    pub special: u16,
}

impl TxData {
    /// The descriptor as the device reads it (status zeroed).
    pub const fn encode(&self) -> RawDesc {
        let word1 = ((self.length & 0xF_FFFF) as u64)
            | ((TXD_DTYP_DATA as u64) << 20)
            | (((self.dcmd | TXD_CMD_DEXT) as u64) << 24)
            | ((self.popts as u64) << 40)
            | ((self.special as u64) << 48);
        RawDesc {
            addr: self.addr.to_le(),
            word1: word1.to_le(),
        }
    }
}

/// Descriptors needed for a buffer of `len` bytes.
pub const fn descs_for(len: usize) -> usize {
    if len == 0 {
        0
    } else {
        len.div_ceil(TX_MAX_PER_DESC)
    }
}

/// The status byte of a transmit descriptor from its word 1.
pub const fn tx_status(word1: u64) -> u8 {
    (u64::from_le(word1) >> 32) as u8
}

/// Whether the device wrote back DD on a transmit descriptor.
pub const fn tx_done(word1: u64) -> bool {
    tx_status(word1) & TXD_STAT_DD != 0
}

/// Whether a transmit descriptor, from its word 1 in DMA memory, asks for
/// status (RS): the device writes DD back only there. Legacy and data
/// descriptors both keep their command byte at byte 11.
pub const fn tx_reports(word1: u64) -> bool {
    (u64::from_le(word1) >> 24) as u8 & TXD_CMD_RS != 0
}

/// Word 1 of a transmit descriptor (as in DMA memory) with RS set: the
/// device will write DD back on it, and so tell that it and every
/// descriptor before it are done.
pub const fn tx_with_report(word1: u64) -> u64 {
    (u64::from_le(word1) | ((TXD_CMD_RS as u64) << 24)).to_le()
}

/// Decodes word 1 of a receive descriptor read from DMA memory.
pub const fn rx_writeback(word1: u64) -> RxWriteback {
    RxWriteback::from_word1(u64::from_le(word1))
}

#[cfg(test)]
mod tests {
    #[test]
    fn tso_headers_fit_the_context_descriptor_up_to_255_bytes() {
        // IPv4 + TCP with options, IPv6 + TCP: fit.
        assert!(TxContext::tso_fits(34, 86));
        assert!(TxContext::tso_fits(54, 74));
        // TUCSO = 239 + 16 = 255, HDRLEN = 255: the largest that fits.
        assert!(TxContext::tso_fits(239, 255));
        // One more byte of headers before TCP, or in TCP: does not.
        assert!(!TxContext::tso_fits(240, 255));
        assert!(!TxContext::tso_fits(200, 256));
        // IPv6 with 256 bytes of destination options.
        assert!(!TxContext::tso_fits(14 + 40 + 256, 14 + 40 + 256 + 20));
    }

    use super::*;

    #[test]
    fn report_status_is_set_in_the_command_byte_of_both_kinds() {
        let legacy = TxLegacy {
            addr: 0x1000,
            length: 60,
            cmd: TXD_CMD_EOP | TXD_CMD_IFCS,
            ..Default::default()
        }
        .encode();
        assert!(!tx_reports(legacy.word1));
        let with = tx_with_report(legacy.word1);
        assert!(tx_reports(with));
        let rs = TxLegacy {
            cmd: TXD_CMD_EOP | TXD_CMD_IFCS | TXD_CMD_RS,
            ..TxLegacy {
                addr: 0x1000,
                length: 60,
                ..Default::default()
            }
        }
        .encode();
        assert_eq!(with, rs.word1);
        let data = TxData {
            addr: 0x2000,
            length: 0x1_2345,
            dcmd: TXD_CMD_EOP | TXD_CMD_IFCS,
            popts: TXD_POPTS_TXSM,
            special: 7,
        }
        .encode();
        let data_rs = TxData {
            addr: 0x2000,
            length: 0x1_2345,
            dcmd: TXD_CMD_EOP | TXD_CMD_IFCS | TXD_CMD_RS,
            popts: TXD_POPTS_TXSM,
            special: 7,
        }
        .encode();
        assert!(!tx_reports(data.word1));
        assert_eq!(tx_with_report(data.word1), data_rs.word1);
        // Setting it leaves the status (DD) and every other field alone.
        assert!(!tx_done(with));
        assert_eq!(tx_with_report(data_rs.word1), data_rs.word1);
    }

    #[test]
    fn rx_writeback_fields_come_from_their_bytes() {
        // length 0x05EA, csum 0xBEEF, status DD|EOP|VP, errors CE, special 0x0064.
        // special 0x0064, errors 0x01, status 0x0B, csum 0xBEEF, length 0x05EA.
        let w = 0x0064_010B_BEEF_05EA_u64;
        let d = rx_writeback(w.to_le());
        assert_eq!(d.length, 0x05EA);
        assert_eq!(d.csum, 0xBEEF);
        assert!(d.done() && d.end_of_packet());
        assert_eq!(d.vlan_tag(), Some(100));
        assert!(d.frame_error());
    }

    #[test]
    fn rx_checksum_errors_alone_do_not_drop_the_frame() {
        let d = RxWriteback::from_word1(((RXD_ERR_TCPE | RXD_ERR_IPE) as u64) << 40);
        assert!(!d.frame_error());
    }

    #[test]
    fn rx_lengths_past_the_buffer_are_refused() {
        let d = RxWriteback::from_word1(2049);
        assert_eq!(d.checked_length(2048), None);
        assert_eq!(d.checked_length(4096), Some(2049));
        assert_eq!(RxWriteback::from_word1(0).checked_length(2048), Some(0));
    }

    #[test]
    fn fresh_rx_descriptors_carry_no_status() {
        let d = rx_desc(0x1234_5678_9000);
        assert_eq!(u64::from_le(d.addr), 0x1234_5678_9000);
        assert_eq!(d.word1, 0);
        assert!(!rx_writeback(d.word1).done());
    }

    #[test]
    fn tx_context_matches_the_c_drivers_layout() {
        // IPv4 TCP TSO: Ethernet 14, IP 20, TCP 32, MSS 1448.
        let c = TxContext {
            ipcss: 14,
            ipcso: 14 + 10,
            ipcse: 14 + 20 - 1,
            tucss: 34,
            tucso: 34 + 16,
            tucse: 0,
            paylen: 65000,
            tucmd: TXD_TUCMD_IP | TXD_TUCMD_TCP | TXD_CMD_TSE,
            hdrlen: 66,
            mss: 1448,
        }
        .encode();
        let a = u64::from_le(c.addr);
        assert_eq!(a & 0xFF, 14);
        assert_eq!((a >> 8) & 0xFF, 24);
        assert_eq!((a >> 16) & 0xFFFF, 33);
        assert_eq!((a >> 32) & 0xFF, 34);
        assert_eq!((a >> 40) & 0xFF, 50);
        let w = u64::from_le(c.word1);
        assert_eq!(w & 0xF_FFFF, 65000);
        assert_eq!((w >> 20) & 0xF, 0, "DTYP 0: context");
        assert_eq!((w >> 24) & 0xFF, 0x27, "DEXT | TSE | IP | TCP");
        assert_eq!((w >> 40) & 0xFF, 66);
        assert_eq!(w >> 48, 1448);
    }

    #[test]
    fn tx_data_descriptors_are_extended_type_1() {
        let d = TxData {
            addr: 0x1000,
            length: 4096,
            dcmd: TXD_CMD_EOP | TXD_CMD_IFCS | TXD_CMD_RS | TXD_CMD_TSE,
            popts: TXD_POPTS_IXSM | TXD_POPTS_TXSM,
            special: 0,
        }
        .encode();
        let w = u64::from_le(d.word1);
        assert_eq!(w & 0xF_FFFF, 4096);
        assert_eq!((w >> 20) & 0xF, 1);
        assert_eq!((w >> 24) & 0xFF, 0x2F);
        assert_eq!((w >> 32) & 0xFF, 0, "status starts clear");
        assert_eq!((w >> 40) & 0xFF, 3);
        assert!(!tx_done(d.word1));
    }

    #[test]
    fn buffers_split_into_4k_descriptors() {
        assert_eq!(descs_for(0), 0);
        assert_eq!(descs_for(1), 1);
        assert_eq!(descs_for(4096), 1);
        assert_eq!(descs_for(4097), 2);
        assert_eq!(descs_for(65536), 16);
    }

    #[test]
    fn tx_legacy_packs_length_cmd_and_vlan() {
        let d = TxLegacy {
            addr: 0xdead_b000,
            length: 1514,
            cmd: TXD_CMD_EOP | TXD_CMD_IFCS | TXD_CMD_RS | TXD_CMD_VLE,
            special: 100,
            ..Default::default()
        }
        .encode();
        let w = u64::from_le(d.word1);
        assert_eq!(w & 0xFFFF, 1514);
        assert_eq!((w >> 24) & 0xFF, 0x4B);
        assert_eq!((w >> 32) & 0xFF, 0, "status must start clear");
        assert_eq!(w >> 48, 100);
        assert!(!tx_done(d.word1));
        assert!(tx_done((w | (1 << 32)).to_le()));
    }
}
