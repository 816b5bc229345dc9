//! Sleeping waits, for slow paths that run in process context.

use super::bindings;

/// Sleeps for at least `ms` milliseconds. Process context only.
pub fn msleep(ms: u32) {
    // SAFETY: `msleep` only needs process context, which every caller of
    // this layer's slow paths (ethtool, RTNL, probe) runs in.
    unsafe { bindings::msleep(ms) };
}
