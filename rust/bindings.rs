// SPDX-License-Identifier: GPL-2.0

//! The bindings bindgen generates at build time from `bindings_helper.h`.
//!
//! Private to the layer: nothing outside `rust/` may name them.
#![allow(
    dead_code,
    improper_ctypes,
    missing_docs,
    non_camel_case_types,
    non_snake_case,
    non_upper_case_globals,
    unreachable_pub,
    unsafe_op_in_unsafe_fn,
    clippy::all,
    clippy::pedantic,
    clippy::undocumented_unsafe_blocks
)]

// bindgen is told to leave these to us, as the kernel's own bindings do.
pub type __kernel_size_t = usize;
pub type __kernel_ssize_t = isize;
pub type __kernel_ptrdiff_t = isize;

include!("bindings_generated.rs");
