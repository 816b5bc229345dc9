// SPDX-License-Identifier: GPL-2.0

//! PCI device id tables.
//!
//! C header: [`include/linux/mod_devicetable.h`](srctree/include/linux/mod_devicetable.h)

use super::super::bindings;

/// One entry of a PCI id table.
#[repr(transparent)]
#[derive(Clone, Copy)]
pub struct DeviceId(bindings::pci_device_id);

impl DeviceId {
    /// Matches `vendor:device` with any subsystem; `data` is handed to probe.
    pub const fn new(vendor: u16, device: u16, data: usize) -> Self {
        Self(bindings::pci_device_id {
            vendor: vendor as u32,
            device: device as u32,
            subvendor: bindings::RE1000_PCI_ANY_ID,
            subdevice: bindings::RE1000_PCI_ANY_ID,
            class: 0,
            class_mask: 0,
            // CAST: `usize` and `c_ulong` have the same width on Linux.
            driver_data: data as kernel::ffi::c_ulong,
            override_only: 0,
        })
    }

    /// The all-zero entry that ends a table.
    pub const END: Self = Self(bindings::pci_device_id {
        vendor: 0,
        device: 0,
        subvendor: 0,
        subdevice: 0,
        class: 0,
        class_mask: 0,
        driver_data: 0,
        override_only: 0,
    });

    /// Whether this is the all-zero entry that ends a table.
    pub const fn is_end(&self) -> bool {
        self.0.vendor == 0 && self.0.device == 0
    }

    /// The device id this entry matches.
    pub const fn device(&self) -> u16 {
        self.0.device as u16
    }

    /// The driver's data for this entry.
    pub const fn data(&self) -> usize {
        self.0.driver_data
    }
}
