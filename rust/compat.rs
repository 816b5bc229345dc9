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
