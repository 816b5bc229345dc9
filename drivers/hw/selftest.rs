//! What `ethtool -t` checks: the register test's table and patterns, and the
//! frames of the loopback test.

use super::reg::{Register, RegisterArray};
use super::regs::*;

/// The tests, in the order ethtool shows them.
pub const TEST_NAMES: [&str; 5] = [
    "Register test  (offline)",
    "Eeprom test    (offline)",
    "Interrupt test (offline)",
    "Loopback test  (offline)",
    "Link test   (on/offline)",
];

/// Index of each test in [`TEST_NAMES`] and in the results.
pub mod index {
    /// Register read/write test.
    pub const REGISTERS: usize = 0;
    /// EEPROM checksum.
    pub const EEPROM: usize = 1;
    /// Interrupt delivery.
    pub const INTERRUPT: usize = 2;
    /// PHY loopback.
    pub const LOOPBACK: usize = 3;
    /// Link up.
    pub const LINK: usize = 4;
}

/// One register of the register test: where it is and which bits hold what
/// is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RegCheck {
    /// Byte offset in BAR0.
    pub offset: usize,
    /// The bits that must read back as written.
    pub mask: u32,
}

impl RegCheck {
    /// The register `R`.
    pub const fn of<R: Register>(mask: u32) -> Self {
        Self {
            offset: R::OFFSET,
            mask,
        }
    }

    /// Entry `index` of the table `A`.
    pub const fn entry<A: RegisterArray>(index: usize, mask: u32) -> Self {
        Self {
            offset: A::BASE + index * A::STRIDE,
            mask,
        }
    }
}

/// The patterns written to every register of the test.
pub const PATTERNS: [u32; 4] = [0x5A5A_5A5A, 0xA5A5_A5A5, 0x0000_0000, 0xFFFF_FFFF];

/// The registers the driver programs and relies on holding their value, with
/// the bits the device keeps (the ring registers drop the low bits of
/// addresses and lengths; the timers are 16 bits wide).
pub const REG_CHECKS: [RegCheck; 17] = [
    RegCheck::of::<Rdbal>(0xFFFF_FFF0),
    RegCheck::of::<Rdbah>(0xFFFF_FFFF),
    RegCheck::of::<Rdlen>(0x000F_FF80),
    RegCheck::of::<Rdt>(0x0000_FFFF),
    RegCheck::of::<Rdtr>(0x0000_FFFF),
    RegCheck::of::<Radv>(0x0000_FFFF),
    RegCheck::of::<Tdbal>(0xFFFF_FFF0),
    RegCheck::of::<Tdbah>(0xFFFF_FFFF),
    RegCheck::of::<Tdlen>(0x000F_FF80),
    RegCheck::of::<Tadv>(0x0000_FFFF),
    RegCheck::of::<Itr>(0x0000_FFFF),
    RegCheck::of::<Vet>(0x0000_FFFF),
    RegCheck::entry::<Ral>(0, 0xFFFF_FFFF),
    RegCheck::entry::<Ral>(15, 0xFFFF_FFFF),
    RegCheck::entry::<Mta>(0, 0xFFFF_FFFF),
    RegCheck::entry::<Mta>(127, 0xFFFF_FFFF),
    RegCheck::entry::<Vfta>(127, 0xFFFF_FFFF),
];

/// Whether `read` is what the device must hold after `written` went to a
/// register with `mask`.
pub const fn reads_back(check: RegCheck, written: u32, read: u32) -> bool {
    read & check.mask == written & check.mask
}

/// Length of each loopback test frame.
pub const LOOPBACK_FRAME: usize = 1024;
/// Frames the loopback test sends.
pub const LOOPBACK_FRAMES: usize = 32;
/// The ether type of the test frames (IEEE "local experimental").
const LOOPBACK_ETHERTYPE: [u8; 2] = [0x88, 0xB5];
/// Where the sequence number sits (big-endian, after the header).
const SEQ_AT: usize = 14;
/// Where the pattern starts.
const PATTERN_AT: usize = 16;

/// Byte `i` of frame `seq`'s pattern.
const fn pattern_byte(seq: usize, i: usize) -> u8 {
    (seq.wrapping_mul(31).wrapping_add(i.wrapping_mul(7)) & 0xFF) as u8
}

/// Byte `i` of loopback frame `seq` from `src`.
fn frame_byte(seq: usize, src: &[u8; 6], i: usize) -> u8 {
    match i {
        0..=5 => 0xFF,
        6..=11 => src[i - 6],
        12 | 13 => LOOPBACK_ETHERTYPE[i - 12],
        14 | 15 => (seq as u16).to_be_bytes()[i - SEQ_AT],
        _ => pattern_byte(seq, i),
    }
}

/// Builds loopback frame `seq` from `src`, broadcast, into `out`.
pub fn loopback_frame(seq: usize, src: &[u8; 6], out: &mut [u8]) {
    for (i, b) in out.iter_mut().enumerate() {
        *b = frame_byte(seq, src, i);
    }
}

/// What a received frame is to the loopback test.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Looped {
    /// Not a test frame (other traffic reaching the port): ignored.
    Foreign,
    /// Test frame `seq`, intact.
    Intact(usize),
    /// A test frame damaged on the way.
    Corrupt,
}

/// Classifies a frame received during the loopback test from `src`.
pub fn loopback_classify(src: &[u8; 6], frame: &[u8]) -> Looped {
    if frame.len() < PATTERN_AT
        || frame[6..12] != src[..]
        || frame[12..SEQ_AT] != LOOPBACK_ETHERTYPE[..]
    {
        return Looped::Foreign;
    }
    let seq = u16::from_be_bytes([frame[SEQ_AT], frame[SEQ_AT + 1]]) as usize;
    let intact = seq < LOOPBACK_FRAMES
        && frame.len() == LOOPBACK_FRAME
        && frame
            .iter()
            .enumerate()
            .all(|(i, b)| *b == frame_byte(seq, src, i));
    if intact {
        Looped::Intact(seq)
    } else {
        Looped::Corrupt
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAC: [u8; 6] = [0x52, 0x54, 0, 0x12, 0x34, 0x56];

    fn frame(seq: usize) -> [u8; LOOPBACK_FRAME] {
        let mut f = [0u8; LOOPBACK_FRAME];
        loopback_frame(seq, &MAC, &mut f);
        f
    }

    #[test]
    fn each_frame_classifies_as_itself() {
        for seq in [0, 1, 7, LOOPBACK_FRAMES - 1] {
            let f = frame(seq);
            assert_eq!(&f[..6], &[0xFF; 6]);
            assert_eq!(&f[6..12], &MAC);
            assert_eq!(loopback_classify(&MAC, &f), Looped::Intact(seq));
        }
    }

    #[test]
    fn one_flipped_bit_or_a_short_frame_is_corrupt() {
        let f = frame(5);
        for i in [0, 5, 14, 15, 16, 500, LOOPBACK_FRAME - 1] {
            let mut g = f;
            g[i] ^= 0x10;
            assert_eq!(loopback_classify(&MAC, &g), Looped::Corrupt, "byte {i}");
        }
        assert_eq!(
            loopback_classify(&MAC, &f[..LOOPBACK_FRAME - 1]),
            Looped::Corrupt
        );
        // A sequence number past the frames sent.
        let mut g = f;
        g[15] = LOOPBACK_FRAMES as u8;
        assert_eq!(loopback_classify(&MAC, &g), Looped::Corrupt);
    }

    #[test]
    fn other_traffic_is_foreign() {
        let f = frame(2);
        let mut other_src = f;
        other_src[11] ^= 1;
        assert_eq!(loopback_classify(&MAC, &other_src), Looped::Foreign);
        let mut arp = f;
        arp[12..14].copy_from_slice(&[0x08, 0x06]);
        assert_eq!(loopback_classify(&MAC, &arp), Looped::Foreign);
        assert_eq!(loopback_classify(&MAC, &f[..15]), Looped::Foreign);
    }

    #[test]
    fn register_checks_compare_only_the_kept_bits() {
        let rdlen = REG_CHECKS[2];
        assert_eq!(rdlen.offset, 0x2808);
        // The device drops RDLEN's low seven bits: still a pass.
        assert!(reads_back(rdlen, 0xFFFF_FFFF, 0x000F_FF80));
        assert!(!reads_back(rdlen, 0xFFFF_FFFF, 0x000F_FF00));
        let ral15 = REG_CHECKS[13];
        assert_eq!(ral15.offset, 0x5400 + 15 * 8);
        assert_eq!(REG_CHECKS[16].offset, 0x5600 + 127 * 4);
    }

    #[test]
    fn checks_cover_distinct_registers() {
        for (i, a) in REG_CHECKS.iter().enumerate() {
            for b in &REG_CHECKS[i + 1..] {
                assert_ne!(a.offset, b.offset);
            }
        }
    }
}
