// SPDX-License-Identifier: GPL-2.0

//! Typed access to a device's memory-mapped registers.
//!
//! C headers: [`include/asm-generic/io.h`](srctree/include/asm-generic/io.h) and
//! [`include/linux/io.h`](srctree/include/linux/io.h)
//!
//! [`Bar`] owns the claim and mapping of one PCI BAR (see
//! [`crate::layer::pci`]) and releases both on drop. Besides raw 32-bit accesses checked at run time
//! ([`Bar::try_read32`], [`Bar::try_write32`]), registers are read and written
//! as types implementing [`Register`] (a value at a fixed offset, moved as a
//! `u32`, as `kernel::io::register::Register` with `Storage = u32`): the offset
//! comes from the type, and a register that does not fit in the BAR is a
//! compile-time error. [`RegisterArray`] describes a table of equally spaced
//! registers, indexed with a run-time bounds check.

use super::bindings;
use super::pci::{Bound, Device};
// The methods of 7.x's `CStr` that 6.12's has itself.
#[allow(unused_imports)]
use super::CStrExt as _;
use core::ffi::c_void;
use kernel::error::{
    code::{EINVAL, ENOMEM},
    to_result, Result,
};
use kernel::str::CStr;

/// A 32-bit register at a fixed offset: what [`Bar::read`] and [`Bar::write`]
/// need to know of a typed register.
///
/// Any implementation is safe to use: [`Bar`] checks the offset against the
/// mapping at compile time.
pub trait Register: Copy {
    /// Byte offset of the register in the BAR.
    const OFFSET: usize;
    /// The register's value from the raw bits read from the device.
    fn from_raw(raw: u32) -> Self;
    /// The raw bits to write to the device.
    fn into_raw(self) -> u32;
}

/// A table of `SIZE` equally spaced 32-bit registers (names as
/// `kernel::io::register::RegisterArray`).
///
/// Any implementation is safe to use: [`Bar`] checks every entry's offset
/// against the mapping at run time.
pub trait RegisterArray {
    /// Byte offset of entry 0.
    const OFFSET: usize;
    /// Number of entries.
    const SIZE: usize;
    /// Distance in bytes between entries.
    const STRIDE: usize = 4;
}

/// Byte offset of entry `index` of table `A`, or `None` past its end.
#[inline]
fn entry<A: RegisterArray>(index: usize) -> Option<usize> {
    if index >= A::SIZE {
        return None;
    }
    A::OFFSET.checked_add(index.checked_mul(A::STRIDE)?)
}

/// A claimed and mapped PCI memory BAR of at least `SIZE` bytes, accessed
/// 32 bits at a time, as 7.3's `pci::Bar`: it borrows the bound device, so
/// it cannot outlive the binding.
///
/// # Invariants
///
/// `base` is a live `pci_iomap` mapping of at least `SIZE` bytes of memory
/// BAR `bar` of `pdev`, whose region this value has claimed, until `drop`.
pub struct Bar<'a, const SIZE: usize> {
    base: *mut c_void,
    pdev: &'a Device<Bound>,
    bar: i32,
}

// SAFETY: MMIO accessors take `&self` and perform single 32-bit volatile
// accesses, which the device serialises; the mapping itself may be used from
// any thread (`Device<Bound>` is `Sync`).
unsafe impl<const SIZE: usize> Send for Bar<'_, SIZE> {}
// SAFETY: as above: concurrent `readl`/`writel` on a mapping are allowed.
unsafe impl<const SIZE: usize> Sync for Bar<'_, SIZE> {}

impl<'a, const SIZE: usize> Bar<'a, SIZE> {
    /// Claims BAR `bar` of `pdev` in the name `name` and maps it; it must be
    /// a memory BAR of at least `SIZE` bytes.
    pub(super) fn new(pdev: &'a Device<Bound>, bar: u32, name: &'static CStr) -> Result<Self> {
        let bar = i32::try_from(bar).map_err(|_| EINVAL)?;
        if bar >= bindings::RE1000_PCI_STD_NUM_BARS {
            return Err(EINVAL);
        }
        let raw = pdev.as_raw();
        // SAFETY: `raw` is a valid `pci_dev` and `bar` one of its BARs.
        let len = unsafe { bindings::re1000_pci_resource_len(raw, bar) } as usize;
        // SAFETY: as above.
        let flags = unsafe { bindings::re1000_pci_resource_flags(raw, bar) };
        if len < SIZE || flags & bindings::RE1000_IORESOURCE_MEM == 0 {
            return Err(EINVAL);
        }
        // SAFETY: as above; `name` lives forever, as the resource tree keeps
        // the pointer.
        to_result(unsafe { bindings::re1000_pci_request_region(raw, bar, name.as_char_ptr()) })?;
        // SAFETY: `raw` is valid and `bar` is a memory BAR of the device.
        // CAST: `usize` and `c_ulong` have the same width on Linux.
        let base = unsafe { bindings::pci_iomap(raw, bar, SIZE as kernel::ffi::c_ulong) };
        if base.is_null() {
            // SAFETY: claimed above, released once.
            unsafe { bindings::re1000_pci_release_region(raw, bar) };
            return Err(ENOMEM);
        }
        // INVARIANT: `base` maps `SIZE` bytes of the BAR, claimed above.
        Ok(Self { base, pdev, bar })
    }

    /// Which BAR this is.
    pub fn index(&self) -> i32 {
        self.bar
    }

    #[inline]
    fn addr(&self, offset: usize) -> *mut c_void {
        // Callers check `valid32(offset)`; the pointer stays in the mapping.
        self.base.wrapping_byte_add(offset)
    }

    /// Whether a 32-bit access at `offset` is aligned and inside the BAR.
    #[inline]
    const fn valid32(offset: usize) -> bool {
        offset % 4 == 0 && offset <= SIZE && SIZE - offset >= 4
    }

    /// Reads a 32-bit register at `offset`; `EINVAL` if misaligned or past
    /// the BAR's end.
    #[inline]
    pub fn try_read32(&self, offset: usize) -> Result<u32> {
        if !Self::valid32(offset) {
            return Err(EINVAL);
        }
        // SAFETY: by the type invariant `base` maps `SIZE` bytes and the check
        // above keeps the aligned 4-byte access inside it.
        Ok(unsafe { bindings::re1000_readl(self.addr(offset)) })
    }

    /// Writes `value` to the 32-bit register at `offset`; `EINVAL` if
    /// misaligned or past the BAR's end.
    #[inline]
    pub fn try_write32(&self, value: u32, offset: usize) -> Result {
        if !Self::valid32(offset) {
            return Err(EINVAL);
        }
        // SAFETY: as in `try_read32`.
        unsafe { bindings::re1000_writel(value, self.addr(offset)) };
        Ok(())
    }

    /// Reads register `R`.
    #[inline]
    pub fn read<R: Register>(&self) -> R {
        const { assert!(Self::valid32(R::OFFSET)) };
        // SAFETY: the constant assertion keeps the access inside the mapping.
        R::from_raw(unsafe { bindings::re1000_readl(self.addr(R::OFFSET)) })
    }

    /// Writes register `R`.
    #[inline]
    pub fn write<R: Register>(&self, value: R) {
        const { assert!(Self::valid32(R::OFFSET)) };
        // SAFETY: the constant assertion keeps the access inside the mapping.
        unsafe { bindings::re1000_writel(value.into_raw(), self.addr(R::OFFSET)) };
    }

    /// Reads, changes and writes back register `R`; returns the new value.
    #[inline]
    pub fn modify<R: Register>(&self, f: impl FnOnce(R) -> R) -> R {
        let value = f(self.read::<R>());
        self.write(value);
        value
    }

    /// Reads entry `index` of table `A`; `EINVAL` past its end.
    #[inline]
    pub fn read_at<A: RegisterArray>(&self, index: usize) -> Result<u32> {
        self.try_read32(entry::<A>(index).ok_or(EINVAL)?)
    }

    /// Writes entry `index` of table `A`; `EINVAL` past its end.
    #[inline]
    pub fn write_at<A: RegisterArray>(&self, index: usize, value: u32) -> Result {
        self.try_write32(value, entry::<A>(index).ok_or(EINVAL)?)
    }

    /// Makes sure earlier posted writes reached the device (a read of `R`).
    #[inline]
    pub fn flush<R: Register>(&self) {
        let _ = self.read::<R>();
    }
}

impl<const SIZE: usize> Drop for Bar<'_, SIZE> {
    fn drop(&mut self) {
        // SAFETY: by the type invariant `base` is a live mapping of `pdev`
        // and we hold its region: unmapped and released exactly once here.
        unsafe {
            bindings::pci_iounmap(self.pdev.as_raw(), self.base);
            bindings::re1000_pci_release_region(self.pdev.as_raw(), self.bar);
        }
    }
}
