// SPDX-License-Identifier: GPL-2.0

//! Software counters: one writer, any number of readers, no atomic
//! read-modify-write on the hot path.

use core::sync::atomic::{AtomicU64, Ordering};

/// A 64-bit counter written from a single context (one NAPI instance or one
/// transmit queue) and read from anywhere; a counter of rare events that
/// several contexts may bump at once uses [`Counter::add_shared`] instead.
///
/// `add` is a relaxed load and store, not a locked add: with one writer no
/// update is lost, and a reader sees each value whole.
#[derive(Default)]
pub struct Counter(AtomicU64);

impl Counter {
    /// A counter at zero.
    pub const fn new() -> Self {
        Self(AtomicU64::new(0))
    }

    /// Adds `n` (writer side).
    #[inline]
    pub fn add(&self, n: u64) {
        self.0.store(
            self.0.load(Ordering::Relaxed).wrapping_add(n),
            Ordering::Relaxed,
        );
    }

    /// Adds `n` where more than one context may write at once (a locked
    /// add: for rare events, such as an allocation failing in the poll and
    /// while a new ring is filled).
    #[inline]
    pub fn add_shared(&self, n: u64) {
        self.0.fetch_add(n, Ordering::Relaxed);
    }

    /// The current value (reader side).
    #[inline]
    pub fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}
