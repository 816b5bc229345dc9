//! re1000: a driver for the Intel 82540EM Gigabit Ethernet controller (e1000)
//! as QEMU emulates it, written in Rust.
//!
//! This file is the crate root of the module. The crate has three layers:
//! `layer` (the files in `rust/`), the only place with `unsafe`, wrapping the
//! kernel's PCI, DMA, IRQ, net_device and NAPI APIs; `hw` (`drivers/hw/`),
//! the hardware's registers and descriptors in plain Rust, tested on the host;
//! and the driver itself (the other modules here).

// pin-init's macros expand once per field of the device state.
#![recursion_limit = "256"]

// The layer is a general API over the kernel, public to the driver's modules:
// the driver need not use all of it.
#[allow(dead_code, unreachable_pub)]
#[path = "../rust/mod.rs"]
mod layer;

#[allow(dead_code, unreachable_pub)]
mod hw;

#[cfg(re1000_compile_fail)]
mod compile_fail;
mod device;
mod ethtool_ops;
mod flowctl;
mod hwinit;
mod hwio;
mod link;
mod ops;
mod pm;
mod rx;
mod selftest;
mod stats;
mod tx;

use kernel::prelude::*;

layer::module! {
    type: Re1000Module,
    name: "re1000",
    authors: ["re1000 developers"],
    description: "Intel 82540EM (e1000) network driver in Rust",
    license: "GPL",
}

struct Re1000Module {
    _pci: layer::pci::Registration<device::Re1000Driver>,
}

impl kernel::Module for Re1000Module {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        pr_info!(
            "Intel(R) 82540EM network driver in Rust, version {}\n",
            device::VERSION
        );
        Ok(Self {
            _pci: layer::pci::Registration::register()?,
        })
    }
}
