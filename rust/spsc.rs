// SPDX-License-Identifier: GPL-2.0

//! Ring slots shared by exactly one producer and one consumer.
//!
//! The transmit ring's per-descriptor state (a mapped frame, `dma::TxFrame`)
//! is filled by `start_xmit` and reclaimed by the NAPI poll on
//! another CPU, without a lock: the producer owns the slots from its tail up
//! to the consumer's head, the consumer those from its head up to the
//! producer's tail. Each side publishes its index with a release store and
//! reads the other's with an acquire load, so a slot changes hands only after
//! everything written to it is visible.
//!
//! A ring of `size` slots holds at most `size - 1` in flight: one slot
//! always stays empty, so that equal indices mean "empty" (as the
//! descriptor rings of most NICs).

use core::cell::UnsafeCell;
use core::num::{NonZeroU16, NonZeroU32};
use core::sync::atomic::{AtomicU16, Ordering};
use kernel::alloc::{flags::GFP_KERNEL, KVVec};
use kernel::error::{
    code::{EINVAL, ENOMEM},
    Result,
};
use kernel::sync::Arc;

/// Index arithmetic in a ring of a given size.
#[derive(Clone, Copy)]
struct Ring(NonZeroU16);

impl Ring {
    /// `sum` reduced into the ring. Its sums are almost always below twice
    /// the size: one subtraction instead of a division (a helper call per
    /// `div` under QEMU's TCG); the remainder covers any other input.
    #[inline]
    fn wrap(self, sum: u32) -> u16 {
        let size = u32::from(self.0.get());
        // CAST: each result is below `size`, a `u16`.
        if sum < size {
            sum as u16
        } else if sum - size < size {
            (sum - size) as u16
        } else {
            (sum % NonZeroU32::from(self.0)) as u16
        }
    }

    /// `index` moved forward by `n` slots.
    #[inline]
    fn advance(self, index: u16, n: u16) -> u16 {
        self.wrap(u32::from(index) + u32::from(n))
    }

    /// Slots from `from` forward to `to`.
    #[inline]
    fn distance(self, from: u16, to: u16) -> u16 {
        self.wrap((u32::from(to) + u32::from(self.0.get())).wrapping_sub(u32::from(from)))
    }

    /// Slots the producer at `tail` may fill before it would reach the
    /// consumer at `head` (one slot stays empty).
    #[inline]
    fn unused(self, head: u16, tail: u16) -> u16 {
        (self.0.get() - 1).saturating_sub(self.distance(head, tail))
    }
}

/// What both sides share: the slots, the two indices and `X`, read-only
/// data both sides use (the descriptor memory).
///
/// # Invariants
///
/// Slots in `[head, tail)` belong to the consumer, all others to the
/// producer; `head` is written only by the consumer, `tail` only by the
/// producer; both are below `size`; `slots.len() == size`.
struct Shared<S, X> {
    slots: KVVec<UnsafeCell<S>>,
    size: Ring,
    head: AtomicU16,
    tail: AtomicU16,
    extra: X,
}

// SAFETY: a slot is used by one side at a time (type invariant), and slots
// move between the two threads, hence `S: Send`; `X` is shared by reference.
unsafe impl<S: Send, X: Sync> Sync for Shared<S, X> {}
// SAFETY: as above.
unsafe impl<S: Send, X: Send> Send for Shared<S, X> {}

/// The filling side.
pub struct Producer<S, X> {
    shared: Arc<Shared<S, X>>,
    tail: u16,
}

/// The reclaiming side.
pub struct Consumer<S, X> {
    shared: Arc<Shared<S, X>>,
    head: u16,
}

/// A ring of `size` default slots, with `extra` shared by both sides;
/// `EINVAL` if `size` is 0.
pub fn new<S: Default + Send, X: Send + Sync>(
    size: u16,
    extra: X,
) -> Result<(Producer<S, X>, Consumer<S, X>)> {
    let size = Ring(NonZeroU16::new(size).ok_or(EINVAL)?);
    let len = usize::from(size.0.get());
    // kvmalloc: a slot may be a few hundred bytes (a mapped transmit frame)
    // and a ring thousands of slots.
    let mut slots = KVVec::with_capacity(len, GFP_KERNEL).map_err(|_| ENOMEM)?;
    for _ in 0..len {
        slots
            .push(UnsafeCell::new(S::default()), GFP_KERNEL)
            .map_err(|_| ENOMEM)?;
    }
    // INVARIANT: empty ring: head == tail, every slot the producer's.
    let shared = Arc::new(
        Shared {
            slots,
            size,
            head: AtomicU16::new(0),
            tail: AtomicU16::new(0),
            extra,
        },
        GFP_KERNEL,
    )
    .map_err(|_| ENOMEM)?;
    Ok((
        Producer {
            shared: shared.clone(),
            tail: 0,
        },
        Consumer { shared, head: 0 },
    ))
}

impl<S, X> Shared<S, X> {
    /// The slot at ring index `index`.
    fn slot(&self, index: u16) -> Option<&UnsafeCell<S>> {
        self.slots.get(usize::from(index))
    }
}

impl<S, X> Producer<S, X> {
    /// The shared read-only data.
    pub fn extra(&self) -> &X {
        &self.shared.extra
    }

    /// The ring's size in slots.
    pub fn size(&self) -> u16 {
        self.shared.size.0.get()
    }

    /// The ring index of the next slot to fill.
    pub fn tail(&self) -> u16 {
        self.tail
    }

    /// Slots the producer may fill now.
    pub fn free(&self) -> u16 {
        let head = self.shared.head.load(Ordering::Acquire);
        self.shared.size.unused(head, self.tail)
    }

    /// The slot `offset` places past the tail, if the producer owns it.
    pub fn slot(&mut self, offset: u16) -> Option<&mut S> {
        self.slot_with_extra(offset).map(|(slot, _)| slot)
    }

    /// The slot `offset` places past the tail, if the producer owns it,
    /// with the shared data beside it: a slot can be filled while the
    /// descriptors are written for it.
    pub fn slot_with_extra(&mut self, offset: u16) -> Option<(&mut S, &X)> {
        let shared = &*self.shared;
        if offset
            >= shared
                .size
                .unused(shared.head.load(Ordering::Acquire), self.tail)
        {
            return None;
        }
        let index = shared.size.advance(self.tail, offset);
        let cell = shared.slot(index)?;
        // SAFETY: `index` is in the producer's region (offset < free), which
        // the consumer does not touch until `publish`; `&mut self` makes this
        // the only reference to a slot the producer hands out. `extra` is
        // read-only, shared by both sides, and not in a slot.
        Some((unsafe { &mut *cell.get() }, &shared.extra))
    }

    /// Hands the next `n` slots to the consumer. Returns `false` (and does
    /// nothing) if the producer does not own `n` slots.
    pub fn publish(&mut self, n: u16) -> bool {
        if n > self.free() {
            return false;
        }
        self.tail = self.shared.size.advance(self.tail, n);
        // INVARIANT: only the producer writes `tail`; release orders the slot
        // writes before it.
        self.shared.tail.store(self.tail, Ordering::Release);
        true
    }
}

impl<S, X> Consumer<S, X> {
    /// The shared read-only data.
    pub fn extra(&self) -> &X {
        &self.shared.extra
    }

    /// The ring's size in slots.
    pub fn size(&self) -> u16 {
        self.shared.size.0.get()
    }

    /// The ring index of the oldest slot not yet reclaimed.
    pub fn head(&self) -> u16 {
        self.head
    }

    /// Slots published and not yet reclaimed.
    pub fn pending(&self) -> u16 {
        let tail = self.shared.tail.load(Ordering::Acquire);
        self.shared.size.distance(self.head, tail)
    }

    /// The slot `offset` places past the head, if published.
    pub fn slot(&mut self, offset: u16) -> Option<&mut S> {
        if offset >= self.pending() {
            return None;
        }
        let index = self.shared.size.advance(self.head, offset);
        let cell = self.shared.slot(index)?;
        // SAFETY: `index` is in the consumer's region (offset < pending),
        // which the producer does not touch until `release`.
        Some(unsafe { &mut *cell.get() })
    }

    /// Gives the next `n` slots back to the producer. Returns `false` (and
    /// does nothing) if fewer than `n` are pending.
    pub fn release(&mut self, n: u16) -> bool {
        if n > self.pending() {
            return false;
        }
        self.head = self.shared.size.advance(self.head, n);
        // INVARIANT: only the consumer writes `head`; release orders its use
        // of the slots before handing them back.
        self.shared.head.store(self.head, Ordering::Release);
        true
    }
}
