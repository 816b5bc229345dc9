// SPDX-License-Identifier: GPL-2.0

//! The hardware crate's registers as the layer's I/O sees them.
//!
//! `hw` is also a host crate that knows nothing of the layer, and the layer
//! names nothing of `hw`: the implementations joining the two live here.

use crate::hw::reg;
use crate::layer::mmio;

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
