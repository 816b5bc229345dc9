// SPDX-License-Identifier: GPL-2.0

//! Self-test: `ethtool -t`.
//!
//! C header: [`include/linux/ethtool.h`](srctree/include/linux/ethtool.h)

use super::super::bindings;
use super::{core_buf, Operations, Table};

impl<T: Operations> Table<T> {
    /// # Safety
    ///
    /// `raw` must be a device of `T` (made by `Registration::<T>::new`), under
    /// RTNL; `test` must point to a valid, writable `ethtool_test`, and `data`
    /// have room for `test.len` values.
    pub(super) unsafe extern "C" fn self_test(
        raw: *mut bindings::net_device,
        test: *mut bindings::ethtool_test,
        data: *mut u64,
    ) {
        // SAFETY: called by the ethtool core, under RTNL, on our device with
        // a valid request.
        let (dev, test) = unsafe { (Self::dev(raw), &mut *test) };
        let n = (test.len as usize).min(T::TEST_NAMES.len());
        // SAFETY: `data` has room for `test.len` values, the core's own count
        // of its buffer, per the contract.
        let out = unsafe { core_buf(data, n) };
        out.fill(0);
        let offline = test.flags & bindings::RE1000_ETH_TEST_FL_OFFLINE != 0;
        if T::self_test(dev, offline, out) {
            test.flags |= bindings::RE1000_ETH_TEST_FL_FAILED;
        }
    }
}
