//! Descriptor ring geometry and index arithmetic.
//!
//! A ring of `size` descriptors is shared with the device through two indices:
//! the driver's tail (the next slot it fills) and the device's head (the next
//! slot it processes). One slot always stays empty so that head == tail means
//! "empty" and never "full".

use core::num::NonZeroU32;

/// Smallest ring the driver accepts (as the C driver).
pub const MIN_RING: u16 = 48;
/// Largest ring the driver accepts (as the C driver on the 82540EM).
pub const MAX_RING: u16 = 4096;
/// Default receive ring size (as the C driver). A 1024-buffer default was
/// measured against it and not kept: at 256 buffers re1000 received one TCP
/// stream as fast as C or faster in three runs of 8-14 rounds (1.02, 1.12,
/// 1.02; ahead in one) with 0.34-0.39x its interrupts, and at 1024 QEMU still
/// dropped frames whenever the poll ran a ring late (every retransmit was a
/// missed frame), for 4 MiB of pinned pages instead of 1 MiB. See
/// Documentation/benchmarks.rst, "The receive ring's default".
pub const DEFAULT_RX_RING: u16 = 256;
/// Default transmit ring size (as the C driver).
pub const DEFAULT_TX_RING: u16 = 256;
/// Ring sizes are multiples of 8: RDLEN/TDLEN must be multiples of 128 bytes.
pub const RING_MULTIPLE: u16 = 8;

/// Why a ring size was refused.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum RingSizeError {
    /// Outside `MIN_RING..=MAX_RING`.
    OutOfRange,
}

/// A validated ring size.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct RingSize(u16);

impl RingSize {
    /// The C driver's behaviour: clamp into range and round up to a multiple
    /// of 8; only a request of 0 is refused.
    pub fn from_request(requested: u32) -> Result<Self, RingSizeError> {
        if requested == 0 {
            return Err(RingSizeError::OutOfRange);
        }
        let clamped = requested.clamp(u32::from(MIN_RING), u32::from(MAX_RING)) as u16;
        let rounded = clamped.div_ceil(RING_MULTIPLE) * RING_MULTIPLE;
        Ok(Self(rounded.min(MAX_RING)))
    }

    /// An exact size: in range and a multiple of 8, or refused.
    pub const fn exact(size: u16) -> Result<Self, RingSizeError> {
        if size < MIN_RING || size > MAX_RING || size % RING_MULTIPLE != 0 {
            Err(RingSizeError::OutOfRange)
        } else {
            Ok(Self(size))
        }
    }

    /// The default receive ring size.
    pub const fn default_rx() -> Self {
        Self(DEFAULT_RX_RING)
    }

    /// The default transmit ring size.
    pub const fn default_tx() -> Self {
        Self(DEFAULT_TX_RING)
    }

    /// Number of descriptors.
    pub const fn get(self) -> u16 {
        self.0
    }

    /// Number of descriptors, as an index bound.
    pub const fn len(self) -> usize {
        self.0 as usize
    }

    /// Always false: a ring has at least `MIN_RING` slots.
    pub const fn is_empty(self) -> bool {
        false
    }

    /// Bytes of descriptor memory (the RDLEN/TDLEN value).
    pub const fn bytes(self) -> usize {
        self.0 as usize * crate::hw::desc::DESC_SIZE
    }

    /// The slot after `index`.
    pub const fn next(self, index: u16) -> u16 {
        if index + 1 >= self.0 {
            0
        } else {
            index + 1
        }
    }

    /// The size as a divisor the compiler knows is not zero (so that ring
    /// arithmetic carries no division-by-zero panic path).
    fn divisor(self) -> NonZeroU32 {
        NonZeroU32::new(u32::from(self.0)).unwrap_or(NonZeroU32::MIN)
    }

    /// `sum` reduced into the ring. Ring arithmetic runs for every frame, and
    /// its sums are almost always below twice the size: one subtraction
    /// instead of a division (a helper call per `div` under QEMU's TCG).
    fn wrap(self, sum: u32) -> u16 {
        let size = u32::from(self.0);
        if sum < size {
            sum as u16
        } else if sum - size < size {
            (sum - size) as u16
        } else {
            (sum % self.divisor()) as u16
        }
    }

    /// `index` moved forward by `n` slots.
    pub fn advance(self, index: u16, n: u16) -> u16 {
        self.wrap(u32::from(index) + u32::from(n))
    }

    /// Slots from `from` forward to `to` (the number of in-flight entries
    /// when `from` is the consumer and `to` the producer).
    pub fn distance(self, from: u16, to: u16) -> u16 {
        self.wrap((u32::from(to) + u32::from(self.0)).wrapping_sub(u32::from(from)))
    }

    /// Slots the producer at `tail` may still fill before it would reach the
    /// consumer at `head` (one slot stays empty).
    pub fn unused(self, head: u16, tail: u16) -> u16 {
        self.0
            .saturating_sub(1)
            .saturating_sub(self.distance(head, tail))
    }

    /// Whether a receive ring whose device owns `[head, tail)` should have
    /// its empty slots refilled and handed back now: once `batch` of them
    /// wait, or once they are as many as the device still holds (a small
    /// ring, or allocation failures), so that the device never runs short
    /// while RDT writes, each a trip into the device, stay few.
    pub fn refill_due(self, head: u16, tail: u16, batch: u16) -> bool {
        let empty = self.unused(head, tail);
        empty > 0 && (empty >= batch || self.distance(head, tail) <= empty)
    }

    /// A ring index reported by the device, or `None` if it is out of range.
    pub const fn checked_index(self, index: u32) -> Option<u16> {
        if index < self.0 as u32 {
            Some(index as u16)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_clamped_and_rounded_like_the_c_driver() {
        assert_eq!(RingSize::from_request(0), Err(RingSizeError::OutOfRange));
        assert_eq!(RingSize::from_request(1).unwrap().get(), 48);
        assert_eq!(RingSize::from_request(100).unwrap().get(), 104);
        assert_eq!(RingSize::from_request(256).unwrap().get(), 256);
        assert_eq!(RingSize::from_request(5000).unwrap().get(), 4096);
        assert_eq!(RingSize::from_request(4095).unwrap().get(), 4096);
    }

    #[test]
    fn the_defaults_are_sizes_the_device_accepts() {
        assert_eq!(RingSize::exact(DEFAULT_RX_RING), Ok(RingSize::default_rx()));
        assert_eq!(RingSize::exact(DEFAULT_TX_RING), Ok(RingSize::default_tx()));
        assert_eq!(RingSize::from_request(256), Ok(RingSize::default_rx()));
    }

    #[test]
    fn exact_sizes_must_be_in_range_and_aligned() {
        assert!(RingSize::exact(48).is_ok());
        assert!(RingSize::exact(4096).is_ok());
        assert!(RingSize::exact(40).is_err());
        assert!(RingSize::exact(4104).is_err());
        assert!(RingSize::exact(250).is_err());
        assert_eq!(RingSize::exact(256).unwrap().bytes(), 4096);
    }

    #[test]
    fn receive_buffers_go_back_in_batches_unless_the_device_runs_short() {
        let r = RingSize::exact(1024).unwrap();
        // Full ring: nothing to give.
        assert!(!r.refill_due(0, 1023, 16));
        // An acknowledgement or two taken: wait for a batch.
        assert!(!r.refill_due(2, 1023, 16));
        assert!(!r.refill_due(15, 1023, 16));
        assert!(r.refill_due(16, 1023, 16));
        // Across the wrap: the device holds 5 buffers, 1018 are empty.
        assert!(r.refill_due(1020, 1, 16));
        // A small ring: 20 held, 27 empty -> due, below the batch or not.
        let small = RingSize::exact(48).unwrap();
        assert!(small.refill_due(0, 20, 32));
        assert!(!small.refill_due(0, 40, 32));
        // Device starved (head == tail): always due.
        for head in 0..48 {
            assert!(small.refill_due(head, head, 1000));
        }
        // Never due with nothing empty; due whenever a batch waits.
        for head in 0..48 {
            for tail in 0..48 {
                let empty = small.unused(head, tail);
                let due = small.refill_due(head, tail, 8);
                if empty == 0 {
                    assert!(!due);
                }
                if empty >= 8 {
                    assert!(due);
                }
                if due && empty < 8 {
                    assert!(small.distance(head, tail) <= empty);
                }
            }
        }
    }

    #[test]
    fn indices_wrap_at_the_end() {
        let r = RingSize::exact(48).unwrap();
        assert_eq!(r.next(46), 47);
        assert_eq!(r.next(47), 0);
        assert_eq!(r.advance(40, 10), 2);
        assert_eq!(r.advance(0, 48), 0);
    }

    #[test]
    fn one_slot_always_stays_empty() {
        let r = RingSize::exact(64).unwrap();
        assert_eq!(r.unused(0, 0), 63);
        assert_eq!(r.unused(10, 9), 0);
        assert_eq!(r.unused(0, 63), 0);
        assert_eq!(r.distance(60, 4), 8);
        assert_eq!(r.unused(60, 4), 55);
        // Filling `unused` slots from any start leaves the ring exactly full.
        for head in 0..64 {
            for tail in 0..64 {
                let free = r.unused(head, tail);
                assert_eq!(r.unused(head, r.advance(tail, free)), 0);
                assert_eq!(r.distance(head, tail) + free, 63);
            }
        }
    }

    #[test]
    fn arithmetic_without_division_agrees_with_the_remainder() {
        // Sums under twice the size take the subtraction; any other input
        // (an index beyond the ring, a huge step) still gets the remainder.
        for size in [48u16, 56, 256, 1000, 4096] {
            let r = RingSize::exact(size).unwrap();
            let s = size as u32;
            let probes = [
                0u16,
                1,
                7,
                size / 2,
                size - 2,
                size - 1,
                size,
                size + 1,
                2 * size - 1,
                2 * size,
                9000,
                u16::MAX,
            ];
            for a in probes.iter().copied().chain(0..size) {
                for &b in probes.iter() {
                    assert_eq!(
                        r.advance(a, b) as u32,
                        (a as u32 + b as u32) % s,
                        "advance({a}, {b}) in {size}"
                    );
                    let expected = (b as u32 + s).wrapping_sub(a as u32) % s;
                    assert_eq!(
                        r.distance(a, b) as u32,
                        expected,
                        "distance({a}, {b}) in {size}"
                    );
                }
            }
        }
    }

    #[test]
    fn device_indices_are_bounded() {
        let r = RingSize::exact(256).unwrap();
        assert_eq!(r.checked_index(255), Some(255));
        assert_eq!(r.checked_index(256), None);
        assert_eq!(r.checked_index(u32::MAX), None);
    }
}
