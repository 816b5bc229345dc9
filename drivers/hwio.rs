// SPDX-License-Identifier: GPL-2.0

//! The hardware crate's registers and descriptors as the layer's I/O sees
//! them.
//!
//! `hw` is also a host crate that knows nothing of the layer, and the layer
//! names nothing of `hw`: the implementations joining the two live here.

use crate::hw::desc::RawDesc;
use crate::hw::reg;
use crate::layer::{dma, mmio};

/// A ring of the device's 16-byte descriptors.
pub(crate) type DescRing<'a> = dma::DescRing<'a, RawDesc>;

impl dma::Descriptor for RawDesc {
    const WORDS: usize = 2;

    #[inline]
    fn word(&self, i: usize) -> u64 {
        if i == 0 {
            self.addr
        } else {
            self.word1
        }
    }
}

impl<R: reg::Register> mmio::Register for R {
    const OFFSET: usize = <R as reg::Register>::OFFSET;

    #[inline]
    fn from_raw(raw: u32) -> Self {
        <R as reg::Register>::from_raw(raw)
    }

    #[inline]
    fn into_raw(self) -> u32 {
        <R as reg::Register>::into_raw(self)
    }
}

impl<A: reg::RegisterArray> mmio::RegisterArray for A {
    const OFFSET: usize = A::BASE;
    const SIZE: usize = A::LEN;
    const STRIDE: usize = <A as reg::RegisterArray>::STRIDE;
}
