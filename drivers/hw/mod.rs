//! What re1000 knows about the 82540EM, in plain Rust with no kernel dependency.
//!
//! Registers and their fields, descriptor layouts, ring index arithmetic, the
//! EEPROM, receive filters and interrupt moderation. Nothing here touches the
//! device: the driver reads and writes through the kernel layer and uses these
//! types to give the bits their meaning.

pub mod desc;
pub mod eeprom;
pub mod filter;
pub mod itr;
pub mod phy;
pub mod reg;
pub mod regs;
pub mod ring;
pub mod rxbuf;
pub mod selftest;
pub mod stats;
pub mod wake;
