//! Host build of re1000's hardware knowledge, for `cargo test`.
//!
//! The kernel module compiles `mod.rs` as its `hw` module; this crate root
//! compiles the very same files as a `no_std` library so that the register,
//! descriptor and ring logic is unit-tested on the host.
#![no_std]
#![forbid(unsafe_code)]

#[path = "mod.rs"]
mod hw;
pub use hw::*;
