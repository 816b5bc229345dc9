// SPDX-License-Identifier: GPL-2.0

//! What Linux 7.x's `kernel` crate (and its `pin_init` crate) offers and
//! 6.12's lacks, under 7.x's names, for the part re1000 uses.
//!
//! Compiled only on 6.x (Kbuild sets `cfg(compat_6_12)` from the kernel's
//! `VERSION`): there the layer reaches these items through the same paths it
//! uses on 7.x (`super::pin_init`, `layer::module!`), so neither the layer
//! nor the driver carries a version test. When a later kernel changes one of
//! these APIs, this module is where the difference is absorbed.

/// 7.x's `pin_init` crate: 6.12 has its items in `kernel::init`.
pub(crate) mod pin_init {
    pub(crate) use kernel::init::{pin_init_from_closure, PinInit};

    /// Initialises `slot` with `init` (7.x's `pin_init::raw_try_init`).
    ///
    /// # Safety
    ///
    /// `slot` is valid for writes and uninitialised; on error the caller
    /// does not touch it (it may only deallocate it); `slot` does not move
    /// until it is dropped.
    #[inline(always)]
    pub(crate) unsafe fn raw_try_init<T, E>(
        slot: *mut T,
        init: impl PinInit<T, E>,
    ) -> Result<(), E> {
        // SAFETY: the caller's guarantees are `__pinned_init`'s.
        unsafe { init.__pinned_init(slot) }
    }
}

/// 7.x's `kernel::time`: the span type and the sleep re1000 uses.
pub(crate) mod time {
    use super::super::bindings;

    const NSEC_PER_USEC: i64 = 1_000;
    const NSEC_PER_MSEC: i64 = 1_000_000;
    const NSEC_PER_SEC: i64 = 1_000_000_000;

    /// A span of time in nanoseconds (7.x's `kernel::time::Delta`).
    #[derive(Copy, Clone, PartialEq, Eq, PartialOrd, Ord, Debug, Default)]
    pub(crate) struct Delta {
        value: i64,
    }

    impl Delta {
        /// A span of time equal to zero.
        pub(crate) const ZERO: Self = Self { value: 0 };

        /// `micros` microseconds (saturating).
        pub(crate) const fn from_micros(micros: i64) -> Self {
            Self {
                value: micros.saturating_mul(NSEC_PER_USEC),
            }
        }

        /// `millis` milliseconds (saturating).
        pub(crate) const fn from_millis(millis: i64) -> Self {
            Self {
                value: millis.saturating_mul(NSEC_PER_MSEC),
            }
        }

        /// `secs` seconds (saturating).
        pub(crate) const fn from_secs(secs: i64) -> Self {
            Self {
                value: secs.saturating_mul(NSEC_PER_SEC),
            }
        }

        /// Whether the span is empty.
        pub(crate) fn is_zero(self) -> bool {
            self.value == 0
        }

        /// The span in nanoseconds.
        pub(crate) const fn as_nanos(self) -> i64 {
            self.value
        }

        /// The smallest number of microseconds not shorter than the span.
        pub(crate) fn as_micros_ceil(self) -> i64 {
            let n = self.value;
            n / NSEC_PER_USEC + i64::from(n > 0 && n % NSEC_PER_USEC != 0)
        }
    }

    /// 7.x's `kernel::time::delay`.
    pub(crate) mod delay {
        use super::{bindings, Delta};

        /// Sleeps for at least `delta` (7.x's `fsleep`: spans outside `[0,
        /// i32::MAX]` microseconds sleep for the maximum). Process context.
        pub(crate) fn fsleep(delta: Delta) {
            const MAX_DELTA: Delta = Delta::from_micros(i32::MAX as i64);
            let delta = if (Delta::ZERO..=MAX_DELTA).contains(&delta) {
                delta
            } else {
                MAX_DELTA
            };
            // CAST: within `[0, i32::MAX]` microseconds (clamped above).
            let us = delta.as_micros_ceil() as kernel::ffi::c_ulong;
            // SAFETY: `fsleep` may be called with any duration.
            unsafe { bindings::re1000_fsleep(us) };
        }
    }

    /// Nanoseconds of the monotonic clock (7.x reads it as
    /// `Instant<Monotonic>`).
    pub(super) fn monotonic_ns() -> i64 {
        kernel::time::Ktime::ktime_get().to_ns()
    }
}

/// 7.x's `kernel::io`: the polling helper re1000 uses.
pub(crate) mod io {
    /// 7.x's `kernel::io::poll`.
    pub(crate) mod poll {
        use super::super::super::bindings;
        use super::super::super::errno::etimedout;
        use super::super::time::{delay::fsleep, monotonic_ns, Delta};
        use kernel::error::Result;

        /// Runs `op` until `cond` holds for its value, `op` fails or
        /// `timeout_delta` has passed (`ETIMEDOUT`), sleeping `sleep_delta`
        /// between tries (7.x's `read_poll_timeout`). Process context.
        #[track_caller]
        pub(crate) fn read_poll_timeout<Op, Cond, T>(
            mut op: Op,
            mut cond: Cond,
            sleep_delta: Delta,
            timeout_delta: Delta,
        ) -> Result<T>
        where
            Op: FnMut() -> Result<T>,
            Cond: FnMut(&T) -> bool,
        {
            let start = monotonic_ns();
            // SAFETY: `might_sleep` only checks the context (and may
            // reschedule), which the caller must allow.
            unsafe { bindings::re1000_might_sleep() };
            loop {
                let val = op()?;
                if cond(&val) {
                    return Ok(val);
                }
                if monotonic_ns().saturating_sub(start) > timeout_delta.as_nanos() {
                    return Err(etimedout());
                }
                if !sleep_delta.is_zero() {
                    fsleep(sleep_delta);
                }
            }
        }
    }
}

/// 7.x's `kernel::str::CStrExt`: 6.12's `CStr` has `from_char_ptr` and
/// `as_char_ptr` itself; `to_bytes` is 7.x's (`core::ffi::CStr`) name for
/// its `as_bytes`.
pub(crate) trait CStrExt {
    /// The bytes before the NUL.
    fn to_bytes(&self) -> &[u8];
}

impl CStrExt for kernel::str::CStr {
    fn to_bytes(&self) -> &[u8] {
        self.as_bytes()
    }
}

/// 7.x's `module!`, whose `authors` is a list: 6.12's takes one `author`.
///
/// Forwards to 6.12's `module!` with the first author; the other keys pass
/// through as they are. Token trees only: 6.12's macro parses plain tokens
/// and panics on the invisible groups a `ty` or `literal` fragment becomes.
macro_rules! module {
    (
        type: $type:tt,
        name: $name:tt,
        authors: [$author:tt $(, $more:tt)* $(,)?],
        $($rest:tt)*
    ) => {
        ::kernel::prelude::module! {
            type: $type,
            name: $name,
            author: $author,
            $($rest)*
        }
    };
}
pub(crate) use module;
