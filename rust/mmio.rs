//! Typed access to a device's memory-mapped registers.
//!
//! [`Bar`] owns the mapping of one PCI BAR (see [`crate::layer::pci`]) and
//! unmaps it on drop. Registers are read and written as the types of
//! [`crate::hw::reg`]: the offset comes from the type, and a register that does
//! not fit in the BAR is a compile-time error.

use super::bindings;
use crate::hw::reg::{Register, RegisterArray};
use core::ffi::c_void;
use kernel::error::{code::EINVAL, Result};

/// A mapped PCI memory BAR of at least `SIZE` bytes, accessed 32 bits at a time.
///
/// # Invariants
///
/// `base` is a live `pci_iomap` mapping of at least `SIZE` bytes of BAR `bar`
/// of `pdev`, which holds a reference to the device, until `drop`.
pub struct Bar<const SIZE: usize> {
    base: *mut c_void,
    pdev: super::pci::DeviceRef,
    bar: i32,
}

// SAFETY: MMIO accessors take `&self` and perform single 32-bit volatile
// accesses, which the device serialises; the mapping itself may be used from
// any thread.
unsafe impl<const SIZE: usize> Send for Bar<SIZE> {}
// SAFETY: as above: concurrent `readl`/`writel` on a mapping are allowed.
unsafe impl<const SIZE: usize> Sync for Bar<SIZE> {}

impl<const SIZE: usize> Bar<SIZE> {
    /// Maps BAR `bar` of `pdev`, which must be a memory BAR of at least `SIZE`
    /// bytes. The caller holds the device's regions (see `pci::Regions`).
    pub(super) fn map(pdev: &super::pci::DeviceRef, bar: i32) -> Result<Self> {
        let raw = pdev.as_raw();
        // SAFETY: `raw` is a valid `pci_dev` (the `DeviceRef` holds a reference).
        let len = unsafe { bindings::re1000_pci_resource_len(raw, bar) } as usize;
        // SAFETY: as above.
        let flags = unsafe { bindings::re1000_pci_resource_flags(raw, bar) };
        if len < SIZE || flags & bindings::RE1000_IORESOURCE_MEM == 0 {
            return Err(EINVAL);
        }
        // SAFETY: `raw` is valid and `bar` is a memory BAR of the device.
        // CAST: `usize` and `c_ulong` have the same width on Linux.
        let base = unsafe { bindings::pci_iomap(raw, bar, SIZE as kernel::ffi::c_ulong) };
        if base.is_null() {
            return Err(kernel::error::code::ENOMEM);
        }
        // INVARIANT: `base` maps `SIZE` bytes of the BAR; we hold a device reference.
        Ok(Self {
            base,
            pdev: pdev.clone(),
            bar,
        })
    }

    /// Which BAR this is.
    pub fn index(&self) -> i32 {
        self.bar
    }

    #[inline]
    fn addr(&self, offset: usize) -> *mut c_void {
        // Callers check `offset + 4 <= SIZE`; the pointer stays in the mapping.
        self.base.wrapping_byte_add(offset)
    }

    /// Reads a 32-bit register at `offset`, or `None` past the BAR's end.
    #[inline]
    pub fn read32(&self, offset: usize) -> Option<u32> {
        if offset % 4 != 0 || offset.checked_add(4)? > SIZE {
            return None;
        }
        // SAFETY: by the type invariant `base` maps `SIZE` bytes and the check
        // above keeps the aligned 4-byte access inside it.
        Some(unsafe { bindings::re1000_readl(self.addr(offset)) })
    }

    /// Writes a 32-bit register at `offset`; `EINVAL` past the BAR's end.
    #[inline]
    pub fn write32(&self, offset: usize, value: u32) -> Result {
        if offset % 4 != 0 || offset.checked_add(4).ok_or(EINVAL)? > SIZE {
            return Err(EINVAL);
        }
        // SAFETY: as in `read32`.
        unsafe { bindings::re1000_writel(value, self.addr(offset)) };
        Ok(())
    }

    /// Reads register `R`.
    #[inline]
    pub fn read<R: Register>(&self) -> R {
        const { assert!(R::OFFSET % 4 == 0 && R::OFFSET + 4 <= SIZE) };
        // SAFETY: the constant assertion keeps the access inside the mapping.
        R::from_raw(unsafe { bindings::re1000_readl(self.addr(R::OFFSET)) })
    }

    /// Writes register `R`.
    #[inline]
    pub fn write<R: Register>(&self, value: R) {
        const { assert!(R::OFFSET % 4 == 0 && R::OFFSET + 4 <= SIZE) };
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

    /// Reads entry `index` of table `A`, or `None` past its end.
    #[inline]
    pub fn read_at<A: RegisterArray>(&self, index: usize) -> Option<u32> {
        self.read32(A::offset(index)?)
    }

    /// Writes entry `index` of table `A`; `EINVAL` past its end.
    #[inline]
    pub fn write_at<A: RegisterArray>(&self, index: usize, value: u32) -> Result {
        self.write32(A::offset(index).ok_or(EINVAL)?, value)
    }

    /// Makes sure earlier posted writes reached the device (a read of `R`).
    #[inline]
    pub fn flush<R: Register>(&self) {
        let _ = self.read::<R>();
    }
}

impl<const SIZE: usize> Drop for Bar<SIZE> {
    fn drop(&mut self) {
        // SAFETY: by the type invariant `base` is a live mapping of `pdev`,
        // unmapped exactly once here.
        unsafe { bindings::pci_iounmap(self.pdev.as_raw(), self.base) };
    }
}
