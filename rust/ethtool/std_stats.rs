// SPDX-License-Identifier: GPL-2.0

//! Standard statistics: the IEEE 802.3 MAC and MAC control counters and the
//! RMON (RFC 2819) counters with their frame size histograms, as
//! `ethtool -S IF --groups eth-mac eth-ctrl rmon` shows them.
//!
//! Each counter is an `Option`: one a device does not keep stays `None` and
//! the core does not report it (it starts every counter at
//! `ETHTOOL_STAT_NOT_SET`). The core asks for the aggregate of the
//! device's MACs only, unless the driver supports the MAC merge layer
//! (`get_mm`), which this layer does not offer; the trampolines answer
//! nothing but the aggregate all the same (`is_aggregate`).
//!
//! C header: [`include/linux/ethtool.h`](srctree/include/linux/ethtool.h)

use super::super::bindings;
use super::{Operations, Table};

/// How many buckets an RMON histogram has at most (the kernel's
/// `ETHTOOL_RMON_HIST_MAX`: 10 on 6.12, 11 on 7.x).
// CAST: a small constant (10 or 11).
pub const RMON_HIST_MAX: usize = bindings::ETHTOOL_RMON_HIST_MAX as usize;

/// IEEE 802.3 MAC counters (clause 30.3.1.1), `--groups eth-mac`.
#[derive(Clone, Copy, Default, Debug)]
pub struct MacStats {
    /// aFramesTransmittedOK.
    pub frames_transmitted_ok: Option<u64>,
    /// aSingleCollisionFrames.
    pub single_collision_frames: Option<u64>,
    /// aMultipleCollisionFrames.
    pub multiple_collision_frames: Option<u64>,
    /// aFramesReceivedOK.
    pub frames_received_ok: Option<u64>,
    /// aFrameCheckSequenceErrors.
    pub frame_check_sequence_errors: Option<u64>,
    /// aAlignmentErrors.
    pub alignment_errors: Option<u64>,
    /// aOctetsTransmittedOK.
    pub octets_transmitted_ok: Option<u64>,
    /// aFramesWithDeferredXmissions.
    pub frames_with_deferred_xmissions: Option<u64>,
    /// aLateCollisions.
    pub late_collisions: Option<u64>,
    /// aFramesAbortedDueToXSColls.
    pub frames_aborted_due_to_xs_colls: Option<u64>,
    /// aFramesLostDueToIntMACXmitError.
    pub frames_lost_due_to_int_mac_xmit_error: Option<u64>,
    /// aCarrierSenseErrors.
    pub carrier_sense_errors: Option<u64>,
    /// aOctetsReceivedOK.
    pub octets_received_ok: Option<u64>,
    /// aFramesLostDueToIntMACRcvError.
    pub frames_lost_due_to_int_mac_rcv_error: Option<u64>,
    /// aMulticastFramesXmittedOK.
    pub multicast_frames_xmitted_ok: Option<u64>,
    /// aBroadcastFramesXmittedOK.
    pub broadcast_frames_xmitted_ok: Option<u64>,
    /// aFramesWithExcessiveDeferral.
    pub frames_with_excessive_deferral: Option<u64>,
    /// aMulticastFramesReceivedOK.
    pub multicast_frames_received_ok: Option<u64>,
    /// aBroadcastFramesReceivedOK.
    pub broadcast_frames_received_ok: Option<u64>,
    /// aInRangeLengthErrors.
    pub in_range_length_errors: Option<u64>,
    /// aOutOfRangeLengthField.
    pub out_of_range_length_field: Option<u64>,
    /// aFrameTooLongErrors.
    pub frame_too_long_errors: Option<u64>,
}

/// IEEE 802.3 MAC control counters (clause 30.3.3), `--groups eth-ctrl`.
#[derive(Clone, Copy, Default, Debug)]
pub struct CtrlStats {
    /// aMACControlFramesTransmitted.
    pub mac_control_frames_transmitted: Option<u64>,
    /// aMACControlFramesReceived.
    pub mac_control_frames_received: Option<u64>,
    /// aUnsupportedOpcodesReceived.
    pub unsupported_opcodes_received: Option<u64>,
}

/// One bucket of an RMON histogram: frames of `low..=high` bytes.
#[derive(Clone, Copy, Debug)]
pub struct RmonRange {
    /// Smallest frame counted, in bytes.
    pub low: u16,
    /// Largest frame counted, in bytes.
    pub high: u16,
}

/// RMON counters, `--groups rmon`: bucket `i` of `hist` (received) and
/// `hist_tx` (sent) counts the frames of [`Operations::RMON_RANGES`]`[i]`.
#[derive(Clone, Copy, Default, Debug)]
pub struct RmonStats {
    /// etherStatsUndersizePkts.
    pub undersize_pkts: Option<u64>,
    /// etherStatsOversizePkts.
    pub oversize_pkts: Option<u64>,
    /// etherStatsFragments.
    pub fragments: Option<u64>,
    /// etherStatsJabbers.
    pub jabbers: Option<u64>,
    /// Received frames by size.
    pub hist: [Option<u64>; RMON_HIST_MAX],
    /// Sent frames by size.
    pub hist_tx: [Option<u64>; RMON_HIST_MAX],
}

/// The core's table of histogram buckets for `ranges`: at most
/// [`RMON_HIST_MAX`] of them, each non-empty (the core reads the table up to
/// an all-zero entry), then an all-zero entry. Checked when it is built, at
/// compile time.
const fn rmon_table(
    ranges: &[RmonRange],
) -> [bindings::ethtool_rmon_hist_range; RMON_HIST_MAX + 1] {
    assert!(
        ranges.len() <= RMON_HIST_MAX,
        "more RMON buckets than the core has"
    );
    let mut t = [bindings::ethtool_rmon_hist_range { low: 0, high: 0 }; RMON_HIST_MAX + 1];
    let mut i = 0;
    while i < ranges.len() {
        let r = ranges[i];
        assert!(r.high != 0 && r.low <= r.high, "an empty RMON bucket");
        t[i] = bindings::ethtool_rmon_hist_range {
            low: r.low,
            high: r.high,
        };
        i += 1;
    }
    t
}

/// Whether a request's `src` asks for the aggregate of the device's MACs,
/// the only source the trampolines answer (a request for another leaves
/// every counter unset). Without `get_mm` the core refuses the others
/// before calling the driver; were the MAC merge layer added, requests for
/// the eMAC and the pMAC alone would reach it, and answering each with the
/// aggregate would count every frame twice (in their sum, as
/// `ethtool_aggregate_mac_stats` makes it, too).
const fn is_aggregate(src: bindings::ethtool_mac_stats_src) -> bool {
    src == bindings::RE1000_ETHTOOL_MAC_STATS_SRC_AGGREGATE
}

/// Writes the counters that are `Some` into the core's fields.
macro_rules! put {
    ($out:expr, $from:expr, { $($c:ident => $r:ident),* $(,)? }) => {
        $(if let Some(v) = $from.$r {
            $out.$c = v;
        })*
    };
}

impl<T: Operations> Table<T> {
    /// The histogram buckets of `T`, terminated as the core reads them.
    pub(super) const RMON_RANGES: [bindings::ethtool_rmon_hist_range; RMON_HIST_MAX + 1] =
        rmon_table(T::RMON_RANGES);

    /// # Safety
    ///
    /// `raw` must be a device of `T` (made by `Registration::<T>::new`);
    /// `stats` must point to a valid, writable `ethtool_eth_mac_stats` that
    /// nothing else accesses during the call.
    pub(super) unsafe extern "C" fn get_eth_mac_stats(
        raw: *mut bindings::net_device,
        stats: *mut bindings::ethtool_eth_mac_stats,
    ) {
        // SAFETY: per the function's `# Safety` contract, `stats` is valid,
        // and ours alone, for the call.
        if !is_aggregate(unsafe { (*stats).src }) {
            return;
        }
        // SAFETY: per the function's `# Safety` contract, `raw` is a device
        // of `T`.
        let Some(m) = T::mac_stats(unsafe { Self::dev(raw) }) else {
            return;
        };
        // SAFETY: per the function's `# Safety` contract, `stats` is valid,
        // writable and ours alone for the call, so this is the only
        // reference to it; both members of the union (the `stats` group and
        // its anonymous twin) are the same plain `u64` fields, valid for any
        // value.
        let out = unsafe { &mut (*stats).__bindgen_anon_1.stats };
        put!(out, m, {
            FramesTransmittedOK => frames_transmitted_ok,
            SingleCollisionFrames => single_collision_frames,
            MultipleCollisionFrames => multiple_collision_frames,
            FramesReceivedOK => frames_received_ok,
            FrameCheckSequenceErrors => frame_check_sequence_errors,
            AlignmentErrors => alignment_errors,
            OctetsTransmittedOK => octets_transmitted_ok,
            FramesWithDeferredXmissions => frames_with_deferred_xmissions,
            LateCollisions => late_collisions,
            FramesAbortedDueToXSColls => frames_aborted_due_to_xs_colls,
            FramesLostDueToIntMACXmitError => frames_lost_due_to_int_mac_xmit_error,
            CarrierSenseErrors => carrier_sense_errors,
            OctetsReceivedOK => octets_received_ok,
            FramesLostDueToIntMACRcvError => frames_lost_due_to_int_mac_rcv_error,
            MulticastFramesXmittedOK => multicast_frames_xmitted_ok,
            BroadcastFramesXmittedOK => broadcast_frames_xmitted_ok,
            FramesWithExcessiveDeferral => frames_with_excessive_deferral,
            MulticastFramesReceivedOK => multicast_frames_received_ok,
            BroadcastFramesReceivedOK => broadcast_frames_received_ok,
            InRangeLengthErrors => in_range_length_errors,
            OutOfRangeLengthField => out_of_range_length_field,
            FrameTooLongErrors => frame_too_long_errors,
        });
    }

    /// # Safety
    ///
    /// `raw` must be a device of `T` (made by `Registration::<T>::new`);
    /// `stats` must point to a valid, writable `ethtool_eth_ctrl_stats` that
    /// nothing else accesses during the call.
    pub(super) unsafe extern "C" fn get_eth_ctrl_stats(
        raw: *mut bindings::net_device,
        stats: *mut bindings::ethtool_eth_ctrl_stats,
    ) {
        // SAFETY: per the function's `# Safety` contract, `stats` is valid,
        // and ours alone, for the call.
        if !is_aggregate(unsafe { (*stats).src }) {
            return;
        }
        // SAFETY: per the function's `# Safety` contract, `raw` is a device
        // of `T`.
        let Some(c) = T::ctrl_stats(unsafe { Self::dev(raw) }) else {
            return;
        };
        // SAFETY: per the function's `# Safety` contract, `stats` is valid,
        // writable and ours alone for the call, so this is the only
        // reference to it; both members of the union (the `stats` group and
        // its anonymous twin) are the same plain `u64` fields, valid for any
        // value.
        let out = unsafe { &mut (*stats).__bindgen_anon_1.stats };
        put!(out, c, {
            MACControlFramesTransmitted => mac_control_frames_transmitted,
            MACControlFramesReceived => mac_control_frames_received,
            UnsupportedOpcodesReceived => unsupported_opcodes_received,
        });
    }

    /// # Safety
    ///
    /// `raw` must be a device of `T` (made by `Registration::<T>::new`);
    /// `stats` must point to a valid, writable `ethtool_rmon_stats`, and
    /// `ranges` be null or point to a writable pointer, that nothing else
    /// accesses during the call.
    pub(super) unsafe extern "C" fn get_rmon_stats(
        raw: *mut bindings::net_device,
        stats: *mut bindings::ethtool_rmon_stats,
        ranges: *mut *const bindings::ethtool_rmon_hist_range,
    ) {
        // SAFETY: per the function's `# Safety` contract, `stats` is valid,
        // and ours alone, for the call.
        if !is_aggregate(unsafe { (*stats).src }) {
            return;
        }
        // SAFETY: per the function's `# Safety` contract, `raw` is a device
        // of `T`.
        let Some(r) = T::rmon_stats(unsafe { Self::dev(raw) }) else {
            return;
        };
        // SAFETY: per the function's `# Safety` contract, `stats` is valid,
        // writable and ours alone for the call, so this is the only
        // reference to it; both members of the union (the `stats` group and
        // its anonymous twin) are the same plain `u64` fields, valid for any
        // value.
        let out = unsafe { &mut (*stats).__bindgen_anon_1.stats };
        put!(out, r, {
            undersize_pkts => undersize_pkts,
            oversize_pkts => oversize_pkts,
            fragments => fragments,
            jabbers => jabbers,
        });
        // Only the buckets `RMON_RANGES` names: the core reports no others.
        let n = T::RMON_RANGES.len();
        for (o, v) in out.hist.iter_mut().zip(r.hist).take(n) {
            if let Some(v) = v {
                *o = v;
            }
        }
        for (o, v) in out.hist_tx.iter_mut().zip(r.hist_tx).take(n) {
            if let Some(v) = v {
                *o = v;
            }
        }
        // A promoted constant: `'static`, as the core needs (it reads the
        // table after this returns).
        let table: &'static [bindings::ethtool_rmon_hist_range] = &Self::RMON_RANGES;
        if !ranges.is_null() {
            // SAFETY: per the function's `# Safety` contract, `ranges`, not
            // null, is valid, writable and ours alone for the call.
            unsafe { *ranges = table.as_ptr() };
        }
    }
}
