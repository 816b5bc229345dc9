//! Typed 32-bit registers: the [`Register`] trait and the [`register!`] macro.
//!
//! Each register is its own type wrapping the raw `u32`, with one getter and one
//! builder-style setter per named field, so that code says `ctrl.slu()` and
//! `ctrl.with_slu(true)` rather than masking bare numbers.

/// A 32-bit device register at a fixed offset in BAR0.
pub trait Register: Copy {
    /// Byte offset of the register in BAR0.
    const OFFSET: usize;
    /// The register's value from the raw bits read from the device.
    fn from_raw(raw: u32) -> Self;
    /// The raw bits to write to the device.
    fn into_raw(self) -> u32;
}

/// A block of equally spaced 32-bit registers (a table such as MTA or VFTA).
pub trait RegisterArray {
    /// Byte offset of entry 0.
    const BASE: usize;
    /// Number of entries.
    const LEN: usize;
    /// Distance in bytes between entries.
    const STRIDE: usize = 4;

    /// Byte offset of entry `index`, or `None` past the end of the table.
    fn offset(index: usize) -> Option<usize> {
        if index < Self::LEN {
            Some(Self::BASE + index * Self::STRIDE)
        } else {
            None
        }
    }
}

/// The mask of bits `hi..=lo` of a 32-bit value.
pub const fn field_mask(hi: u32, lo: u32) -> u32 {
    (u32::MAX >> (31 - hi)) & (u32::MAX << lo)
}

/// Defines a register type with named fields.
///
/// ```ignore
/// register! {
///     /// Device Control.
///     Ctrl @ 0x0000 {
///         /// Set link up.
///         slu / with_slu: 6;
///         /// A multi-bit field, read and written as `u32`.
///         speed / with_speed: 9:8;
///     }
/// }
/// ```
#[macro_export]
macro_rules! register {
    ($(#[$meta:meta])* $name:ident @ $offset:literal {
        $($(#[$fmeta:meta])* $get:ident / $set:ident : $hi:literal $(: $lo:literal)?;)*
    }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq, Eq, Default)]
        pub struct $name(pub u32);

        impl $crate::hw::reg::Register for $name {
            const OFFSET: usize = $offset;
            fn from_raw(raw: u32) -> Self {
                Self(raw)
            }
            fn into_raw(self) -> u32 {
                self.0
            }
        }

        impl core::fmt::Debug for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                write!(f, "{}({:#010x})", stringify!($name), self.0)
            }
        }

        #[allow(dead_code)]
        impl $name {
            $($crate::register!(@field $(#[$fmeta])* $get $set [$hi $(: $lo)?]);)*
        }
    };
    (@field $(#[$fmeta:meta])* $get:ident $set:ident [$bit:literal]) => {
        $(#[$fmeta])*
        #[inline]
        pub const fn $get(self) -> bool {
            self.0 & (1 << $bit) != 0
        }
        $(#[$fmeta])*
        #[inline]
        #[must_use]
        pub const fn $set(self, on: bool) -> Self {
            if on {
                Self(self.0 | (1 << $bit))
            } else {
                Self(self.0 & !(1 << $bit))
            }
        }
    };
    (@field $(#[$fmeta:meta])* $get:ident $set:ident [$hi:literal : $lo:literal]) => {
        $(#[$fmeta])*
        #[inline]
        pub const fn $get(self) -> u32 {
            (self.0 & $crate::hw::reg::field_mask($hi, $lo)) >> $lo
        }
        $(#[$fmeta])*
        /// (The value is truncated to the field's width.)
        #[inline]
        #[must_use]
        pub const fn $set(self, value: u32) -> Self {
            let mask = $crate::hw::reg::field_mask($hi, $lo);
            Self((self.0 & !mask) | ((value << $lo) & mask))
        }
    };
}

/// Defines a register table type (see [`RegisterArray`]).
#[macro_export]
macro_rules! register_array {
    ($(#[$meta:meta])* $name:ident @ $base:literal [$len:literal]) => {
        $(#[$meta])*
        pub struct $name;

        impl $crate::hw::reg::RegisterArray for $name {
            const BASE: usize = $base;
            const LEN: usize = $len;
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    crate::register! {
        /// A register for the tests.
        Test @ 0x1234 {
            /// Bit 0.
            low / with_low: 0;
            /// Bit 31.
            high / with_high: 31;
            /// Bits 11:8.
            nibble / with_nibble: 11:8;
        }
    }

    crate::register_array! {
        /// A table for the tests.
        Table @ 0x5200 [128]
    }

    #[test]
    fn masks_cover_exactly_the_field() {
        assert_eq!(field_mask(0, 0), 0x1);
        assert_eq!(field_mask(31, 31), 0x8000_0000);
        assert_eq!(field_mask(11, 8), 0xF00);
        assert_eq!(field_mask(31, 0), u32::MAX);
    }

    #[test]
    fn bit_fields_set_and_clear_only_their_bit() {
        let r = Test(0x0000_0F00).with_low(true).with_high(true);
        assert_eq!(r.0, 0x8000_0F01);
        assert!(r.low() && r.high());
        let r = r.with_high(false);
        assert_eq!(r.0, 0x0000_0F01);
        assert!(!r.high());
        assert_eq!(<Test as Register>::OFFSET, 0x1234);
    }

    #[test]
    fn multi_bit_fields_truncate_and_keep_neighbours() {
        let r = Test(0xFFFF_FFFF).with_nibble(0x5);
        assert_eq!(r.0, 0xFFFF_F5FF);
        assert_eq!(r.nibble(), 0x5);
        // A value wider than the field is truncated, not spilled.
        let r = Test(0).with_nibble(0x1F);
        assert_eq!(r.0, 0x0000_0F00);
    }

    #[test]
    fn arrays_bound_their_index() {
        assert_eq!(Table::offset(0), Some(0x5200));
        assert_eq!(Table::offset(127), Some(0x5200 + 127 * 4));
        assert_eq!(Table::offset(128), None);
    }
}
