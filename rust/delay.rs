//! Sleeping waits, for slow paths that run in process context.

use super::bindings;

/// Sleeps for at least `ms` milliseconds. Process context only.
pub fn msleep(ms: u32) {
    // SAFETY: `msleep` only needs process context, which every caller of
    // this layer's slow paths (ethtool, RTNL, probe) runs in.
    unsafe { bindings::msleep(ms) };
}

/// Polls `done` every `step_ms` until it holds or `timeout_ms` have passed;
/// returns whether it held. Process context only.
pub fn poll_until(timeout_ms: u32, step_ms: u32, mut done: impl FnMut() -> bool) -> bool {
    let mut waited = 0;
    loop {
        if done() {
            return true;
        }
        if waited >= timeout_ms {
            return false;
        }
        msleep(step_ms);
        waited += step_ms;
    }
}
