//! The EEPROM: its checksum and the MAC address it holds.
//!
//! Words 0..=2 hold the MAC address (little-endian byte pairs). The sum of
//! words 0..=0x3F, the last being the checksum word, must be 0xBABA.

/// Number of 16-bit words the checksum covers.
pub const CHECKSUM_WORDS: usize = 0x40;
/// What the first `CHECKSUM_WORDS` words add up to in a valid EEPROM.
pub const CHECKSUM_SUM: u16 = 0xBABA;
/// Size of the 82540EM's EEPROM in 16-bit words.
pub const EEPROM_WORDS: usize = 64;

/// Whether the words, starting at word 0, carry a valid checksum.
pub fn checksum_valid(words: &[u16]) -> bool {
    words.len() >= CHECKSUM_WORDS
        && words[..CHECKSUM_WORDS]
            .iter()
            .fold(0u16, |sum, w| sum.wrapping_add(*w))
            == CHECKSUM_SUM
}

/// The checksum word that makes words `0..CHECKSUM_WORDS - 1` valid.
pub fn checksum_word(words: &[u16]) -> u16 {
    let sum = words
        .iter()
        .take(CHECKSUM_WORDS - 1)
        .fold(0u16, |sum, w| sum.wrapping_add(*w));
    CHECKSUM_SUM.wrapping_sub(sum)
}

/// The MAC address in EEPROM words 0..=2.
pub const fn mac_from_words(words: [u16; 3]) -> [u8; 6] {
    let [a, b] = words[0].to_le_bytes();
    let [c, d] = words[1].to_le_bytes();
    let [e, f] = words[2].to_le_bytes();
    [a, b, c, d, e, f]
}

/// Whether a MAC address may be a station's own: not all zero, not multicast.
pub const fn mac_valid(mac: &[u8; 6]) -> bool {
    let zero =
        mac[0] == 0 && mac[1] == 0 && mac[2] == 0 && mac[3] == 0 && mac[4] == 0 && mac[5] == 0;
    !zero && mac[0] & 1 == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qemu_style_mac_words_decode_in_order() {
        assert_eq!(
            mac_from_words([0x5452, 0x1200, 0x5634]),
            [0x52, 0x54, 0x00, 0x12, 0x34, 0x56]
        );
    }

    #[test]
    fn mac_validity() {
        assert!(mac_valid(&[0x52, 0x54, 0, 0x12, 0x34, 0x56]));
        assert!(!mac_valid(&[0; 6]));
        assert!(!mac_valid(&[0x01, 0, 0x5e, 0, 0, 1]));
        assert!(!mac_valid(&[0xff; 6]));
    }

    #[test]
    fn checksum_round_trip() {
        let mut words = [0u16; EEPROM_WORDS];
        words[..3].copy_from_slice(&[0x5452, 0x1200, 0x5634]);
        words[10] = 0x1234;
        assert!(!checksum_valid(&words));
        words[CHECKSUM_WORDS - 1] = checksum_word(&words);
        assert!(checksum_valid(&words));
        words[5] ^= 1;
        assert!(!checksum_valid(&words));
        assert!(!checksum_valid(&words[..10]));
    }
}
