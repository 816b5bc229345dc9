// SPDX-License-Identifier: GPL-2.0

//! re1000's safe layer over the kernel's C API: PCI, MMIO, DMA, IRQ,
//! net_device, NAPI, sk_buff, page pools and ethtool.
//!
//! This layer owns every `unsafe` block of the module. The driver in
//! `drivers/` uses only the safe types exported here; the generated bindings
//! are private to this module, so the compiler keeps raw kernel calls out of
//! the driver.

mod bindings;
#[cfg(compat_6_12)]
mod compat;

// What 7.x's kernel crate has and 6.12's lacks: the compat layer on 6.12.
#[cfg(compat_6_12)]
pub(crate) use compat::{io, module, pin_init, time, CStrExt};
#[cfg(not(compat_6_12))]
pub(crate) use ::{
    kernel::{io, prelude::module, str::CStrExt, time},
    pin_init,
};

/// In a `PhantomData`, makes a type invariant in `T`: for types whose `T`
/// has associated types that do not shrink with `T` (`Operations::TxState`).
pub(crate) type Invariant<T> = fn(T) -> T;

pub mod dma;
pub mod errno;
pub mod ethtool;
pub mod irq;
pub mod mmio;
pub mod napi;
pub mod netdev;
pub mod page_pool;
pub mod pci;
pub mod skb;
pub mod spsc;
pub mod stats;
pub mod work;
pub mod xdp;
