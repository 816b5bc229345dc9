//! DMA: coherent descriptor rings and buffers, and streaming mappings of
//! packet buffers.
//!
//! [`DescRing`] is coherent memory shared with the device, read and written
//! only through volatile 64-bit accesses. [`DmaBuf`] is a streaming mapping of
//! an sk_buff's data; it has no destructor because unmapping needs the device:
//! the ring that stores it hands it back to [`Device::unmap`] (the kernel's DMA
//! debugging reports any mapping that is never unmapped).

use super::bindings;
use super::pci::DeviceRef;
use super::skb::Skb;
use crate::hw::desc::{RawDesc, DESC_SIZE};
use core::ptr::NonNull;
use kernel::error::{
    code::{EINVAL, ENOMEM},
    Result,
};

/// The device doing DMA, with the reference that keeps it alive.
///
/// # Invariants
///
/// `dev` is the generic device of `pdev`, valid while `pdev` is held.
#[derive(Clone)]
pub struct Device {
    pdev: DeviceRef,
    dev: NonNull<bindings::device>,
}

// SAFETY: the fields are a reference-counted `pci_dev` (`Send`) and a pointer
// into it; the kernel's DMA mapping calls may be made from any thread.
unsafe impl Send for Device {}
// SAFETY: as above; `&Device` only passes the pointer to thread-safe calls.
unsafe impl Sync for Device {}

/// Which way data moves in a streaming mapping.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Direction {
    /// The device reads the buffer (transmit).
    ToDevice,
    /// The device writes the buffer (receive).
    FromDevice,
}

/// How a buffer was mapped, which decides how it is unmapped.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum MapKind {
    Single(Direction),
    Page,
}

/// A streaming DMA mapping of part of an sk_buff.
#[must_use = "a mapping must be returned to Device::unmap"]
#[derive(Debug)]
pub struct DmaBuf {
    addr: u64,
    len: u32,
    kind: MapKind,
}

impl DmaBuf {
    /// The bus address the device uses.
    pub fn addr(&self) -> u64 {
        self.addr
    }

    /// Bytes mapped.
    pub fn len(&self) -> usize {
        self.len as usize
    }

    /// Whether nothing is mapped (never, for a mapping that succeeded).
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

impl Device {
    /// The DMA device of a PCI function.
    ///
    /// The generic device is looked up once here: mapping and unmapping run
    /// for every frame.
    pub fn new(pdev: &DeviceRef) -> Result<Self> {
        let pdev = pdev.clone();
        let dev = NonNull::new(pdev.raw_device()).ok_or(EINVAL)?;
        // INVARIANT: `dev` is `pdev`'s generic device; `pdev` is stored beside it.
        Ok(Self { pdev, dev })
    }

    fn raw(&self) -> *mut bindings::device {
        self.dev.as_ptr()
    }

    fn check(&self, addr: u64, len: u32, kind: MapKind) -> Result<DmaBuf> {
        // SAFETY: `raw()` is a valid device; `addr` came from its mapping call.
        if unsafe { bindings::re1000_dma_mapping_error(self.raw(), addr) } != 0 {
            return Err(ENOMEM);
        }
        Ok(DmaBuf { addr, len, kind })
    }

    /// Maps the first `len` bytes of the linear data of `skb` for transmit.
    pub fn map_tx_head(&self, skb: &Skb, len: usize) -> Result<DmaBuf> {
        if len == 0 || len > skb.headlen() {
            return Err(EINVAL);
        }
        // SAFETY: the device is valid and `skb.data()` has `headlen() >= len`
        // bytes of linear data, which stay allocated while `skb` lives (the
        // ring keeps the skb until the mapping is unmapped).
        let addr =
            unsafe { bindings::re1000_dma_map_single(self.raw(), skb.data_ptr().cast(), len, 1) };
        self.check(addr, len as u32, MapKind::Single(Direction::ToDevice))
    }

    /// Maps page fragment `index` of `skb` for transmit; `None` for an
    /// empty fragment (nothing mapped).
    pub fn map_tx_frag(&self, skb: &Skb, index: usize) -> Result<Option<DmaBuf>> {
        if index >= skb.nr_frags() {
            return Err(EINVAL);
        }
        let mut len: core::ffi::c_uint = 0;
        // SAFETY: the device is valid and `index` is a fragment of `skb`.
        let addr = unsafe {
            bindings::re1000_dma_map_frag(self.raw(), skb.as_raw(), index as u32, &mut len)
        };
        if len == 0 {
            return Ok(None);
        }
        self.check(addr, len, MapKind::Page).map(Some)
    }

    /// Maps `len` bytes at the data pointer of an empty `skb` for receive.
    pub fn map_rx(&self, skb: &Skb, len: usize) -> Result<DmaBuf> {
        if len == 0 || len > skb.tailroom() || !skb.is_empty() {
            return Err(EINVAL);
        }
        // SAFETY: the device is valid and the skb's buffer has `len` bytes of
        // tailroom from its data pointer, kept while the skb lives.
        let addr =
            unsafe { bindings::re1000_dma_map_single(self.raw(), skb.data_ptr().cast(), len, 0) };
        self.check(addr, len as u32, MapKind::Single(Direction::FromDevice))
    }

    /// Gives a receive buffer's first `len` bytes back to the CPU without
    /// unmapping it (to copy a small frame out and reuse the buffer).
    pub fn sync_for_cpu(&self, buf: &DmaBuf, len: usize) {
        if buf.kind == MapKind::Single(Direction::FromDevice) {
            // SAFETY: `buf` is a live receive mapping of this device.
            unsafe { bindings::re1000_dma_sync_for_cpu(self.raw(), buf.addr, len.min(buf.len())) };
        }
    }

    /// Hands a receive buffer back to the device after [`Device::sync_for_cpu`].
    pub fn sync_for_device(&self, buf: &DmaBuf, len: usize) {
        if buf.kind == MapKind::Single(Direction::FromDevice) {
            // SAFETY: `buf` is a live receive mapping of this device.
            unsafe {
                bindings::re1000_dma_sync_for_device(self.raw(), buf.addr, len.min(buf.len()))
            };
        }
    }

    /// Appends the first `len` bytes the device received into `buf` (the
    /// mapping of the empty `skb`) to `into`, and leaves `buf` mapped for the
    /// device to fill again: copybreak, for frames too small to be worth a
    /// fresh buffer.
    pub fn copy_rx(&self, skb: &Skb, buf: &DmaBuf, len: usize, into: &mut Skb) -> Result {
        if buf.kind != MapKind::Single(Direction::FromDevice)
            || len > buf.len()
            || len > skb.tailroom()
            || !skb.is_empty()
        {
            return Err(EINVAL);
        }
        self.sync_for_cpu(buf, len);
        // SAFETY: `skb`'s buffer has `len` bytes of tailroom from its data
        // pointer (checked above), alive while `skb` is borrowed; they were
        // just synced for the CPU. Any byte value is a valid `u8`, so even a
        // device still writing (the caller reads only completed descriptors)
        // could not produce an invalid value.
        let bytes = unsafe { core::slice::from_raw_parts(skb.data_ptr(), len) };
        let copied = into.put_data(bytes);
        self.sync_for_device(buf, len);
        copied
    }

    /// Ends a streaming mapping.
    pub fn unmap(&self, buf: DmaBuf) {
        // SAFETY: `buf` was created by this device's mapping calls and is
        // consumed here, so it is unmapped exactly once.
        unsafe {
            match buf.kind {
                MapKind::Single(dir) => bindings::re1000_dma_unmap_single(
                    self.raw(),
                    buf.addr,
                    buf.len as usize,
                    (dir == Direction::ToDevice) as i32,
                ),
                MapKind::Page => {
                    bindings::re1000_dma_unmap_page(self.raw(), buf.addr, buf.len as usize)
                }
            }
        }
    }
}

/// A ring of 16-byte descriptors in coherent DMA memory.
///
/// # Invariants
///
/// `mem` holds `len * DESC_SIZE` bytes, page-aligned (as every coherent
/// allocation), so each descriptor word is an aligned `u64`.
pub struct DescRing {
    mem: CoherentBuf,
    len: usize,
}

// SAFETY: the memory is only accessed through volatile reads and writes,
// which may happen from any thread (the device itself accesses it too).
unsafe impl Send for DescRing {}
// SAFETY: as above.
unsafe impl Sync for DescRing {}

impl DescRing {
    /// Allocates `len` zeroed descriptors.
    pub fn new(dev: &Device, len: usize) -> Result<Self> {
        let size = len.checked_mul(DESC_SIZE).ok_or(EINVAL)?;
        // INVARIANT: `dma_alloc_coherent` returns zeroed, page-aligned memory
        // of `size` bytes (`CoherentBuf::new` refuses 0).
        Ok(Self {
            mem: CoherentBuf::new(dev, size)?,
            len,
        })
    }

    /// Number of descriptors.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the ring has no descriptors (never: `new` refuses that).
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The ring's bus address (for xDBAL/xDBAH).
    pub fn bus_addr(&self) -> u64 {
        self.mem.bus
    }

    /// Size in bytes (for xDLEN).
    pub fn bytes(&self) -> usize {
        self.len * DESC_SIZE
    }

    fn word(&self, index: usize, word: usize) -> Option<*mut u64> {
        if index >= self.len {
            return None;
        }
        // The offset stays inside the allocation: index < len, word < 2.
        Some(
            self.mem
                .cpu
                .as_ptr()
                .cast::<u64>()
                .wrapping_add(index * 2 + (word & 1)),
        )
    }

    /// Writes descriptor `index`: the address word first, then word 1.
    pub fn write(&self, index: usize, desc: RawDesc) -> Result {
        let (a, b) = (
            self.word(index, 0).ok_or(EINVAL)?,
            self.word(index, 1).ok_or(EINVAL)?,
        );
        // SAFETY: `a` and `b` are aligned words inside the ring (type
        // invariant and bounds check above); volatile since the device shares them.
        unsafe {
            a.write_volatile(desc.addr);
            b.write_volatile(desc.word1);
        }
        Ok(())
    }

    /// Reads word 1 (length, status, ...) of descriptor `index`.
    pub fn read_word1(&self, index: usize) -> Option<u64> {
        let p = self.word(index, 1)?;
        // SAFETY: `p` is an aligned word inside the ring.
        Some(unsafe { p.read_volatile() })
    }

    /// Reads the address word of descriptor `index`.
    pub fn read_addr(&self, index: usize) -> Option<u64> {
        let p = self.word(index, 0)?;
        // SAFETY: `p` is an aligned word inside the ring.
        Some(unsafe { p.read_volatile() })
    }

    /// Zeroes every descriptor.
    pub fn clear(&self) {
        for i in 0..self.len {
            let _ = self.write(i, RawDesc::default());
        }
    }
}

/// A buffer of bytes in coherent DMA memory, for data the driver builds and
/// checks itself (the self-test's frames) rather than sk_buffs.
///
/// # Invariants
///
/// `cpu` points to `len` bytes of coherent memory allocated from `dev` at bus
/// address `bus`, freed on drop.
pub struct CoherentBuf {
    dev: Device,
    cpu: NonNull<u8>,
    bus: u64,
    len: usize,
}

impl CoherentBuf {
    /// Allocates `len` zeroed bytes.
    pub fn new(dev: &Device, len: usize) -> Result<Self> {
        if len == 0 {
            return Err(EINVAL);
        }
        let mut bus: bindings::dma_addr_t = 0;
        // SAFETY: `dev` is a valid device; `bus` receives the bus address.
        let cpu = unsafe { bindings::re1000_dma_alloc_coherent(dev.raw(), len, &mut bus) };
        let cpu = NonNull::new(cpu.cast::<u8>()).ok_or(ENOMEM)?;
        // INVARIANT: `dma_alloc_coherent` returned `len` bytes at `bus`.
        Ok(Self {
            dev: dev.clone(),
            cpu,
            bus,
            len,
        })
    }

    /// The bus address of byte `offset`, if inside the buffer.
    pub fn bus_addr(&self, offset: usize) -> Option<u64> {
        (offset < self.len).then(|| self.bus + offset as u64)
    }

    /// Copies `data` to byte `offset`.
    pub fn write(&self, offset: usize, data: &[u8]) -> Result {
        let end = offset.checked_add(data.len()).ok_or(EINVAL)?;
        if end > self.len {
            return Err(EINVAL);
        }
        for (i, b) in data.iter().enumerate() {
            // SAFETY: `offset + i < len`: inside the allocation (invariant);
            // volatile because the device may access the memory too.
            unsafe { self.cpu.as_ptr().add(offset + i).write_volatile(*b) };
        }
        Ok(())
    }

    /// Copies bytes from `offset` into `out`.
    pub fn read(&self, offset: usize, out: &mut [u8]) -> Result {
        let end = offset.checked_add(out.len()).ok_or(EINVAL)?;
        if end > self.len {
            return Err(EINVAL);
        }
        for (i, b) in out.iter_mut().enumerate() {
            // SAFETY: as in `write`.
            *b = unsafe { self.cpu.as_ptr().add(offset + i).read_volatile() };
        }
        Ok(())
    }
}

impl Drop for CoherentBuf {
    fn drop(&mut self) {
        // SAFETY: by the type invariant the memory came from this device with
        // this size and address, and is freed once here.
        unsafe {
            bindings::re1000_dma_free_coherent(
                self.dev.raw(),
                self.len,
                self.cpu.as_ptr().cast(),
                self.bus,
            )
        };
    }
}

/// Orders the CPU's reads of DMA memory: after seeing a descriptor's DD bit,
/// before reading the rest of what the device wrote.
#[inline]
pub fn rmb() {
    // SAFETY: a memory barrier has no preconditions.
    unsafe { bindings::re1000_dma_rmb() };
}

/// Orders the CPU's writes to DMA memory: descriptors are complete before the
/// tail register write that hands them to the device.
#[inline]
pub fn wmb() {
    // SAFETY: a memory barrier has no preconditions.
    unsafe { bindings::re1000_dma_wmb() };
}
