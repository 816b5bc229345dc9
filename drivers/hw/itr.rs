//! Interrupt moderation: the ITR register and an adaptive rate policy.
//!
//! ITR holds the minimum interval between interrupts in 256 ns units. The
//! adaptive policy follows the C e1000's idea: classify the traffic seen since
//! the last interrupt as latency-sensitive or bulk and pick a rate for each.
//! Unlike the C driver, bulk traffic is given as few interrupts as its ring
//! allows (`bulk_rate`): between two of them, line rate uses at most a third
//! of the ring. Receive then finds whole budgets of frames and stays in
//! polling mode, with larger GRO batches and fewer acknowledgements; transmit
//! spends fewer interrupts on the CPU that sends.

/// Lowest-latency rate: interrupts per second for sparse traffic.
pub const RATE_LOWEST_LATENCY: u32 = 70_000;
/// Rate for mixed traffic.
pub const RATE_LOW_LATENCY: u32 = 20_000;
/// The C driver's rate for bulk traffic, the highest `bulk_rate` gives.
pub const RATE_BULK: u32 = 4_000;
/// Lowest rate for bulk traffic: the first packet after a transfer waits at
/// most 4 ms for its interrupt.
pub const RATE_BULK_MIN: u32 = 250;
/// Full-sized frames per second at gigabit speed (1538 bytes each on the
/// wire, with preamble and inter-frame gap).
pub const FULL_FRAMES_PER_SEC: u32 = 81_274;
/// The rate the C driver starts from.
pub const RATE_DEFAULT: u32 = 20_000;

/// The interrupt rate for bulk traffic on a ring of `ring_len` descriptors:
/// between two interrupts, full-sized frames at line rate use at most a
/// third of the ring (the poll may run an interval late and the device still
/// has room), within [`RATE_BULK_MIN`, `RATE_BULK`]. A received frame takes
/// one descriptor; a sent one at least one, and a TSO frame of 64 kB about
/// 17 for its 45 full-sized segments, so transmit stays within it too.
pub const fn bulk_rate(ring_len: u32) -> u32 {
    let rate = match (FULL_FRAMES_PER_SEC * 3).checked_div(ring_len) {
        Some(rate) => rate,
        None => RATE_BULK,
    };
    if rate < RATE_BULK_MIN {
        RATE_BULK_MIN
    } else if rate > RATE_BULK {
        RATE_BULK
    } else {
        rate
    }
}

/// The ITR interval (256 ns units) for `rate` interrupts per second; 0 means
/// unthrottled.
pub const fn interval_for_rate(rate: u32) -> u32 {
    if rate == 0 {
        0
    } else {
        let v = 1_000_000_000 / (rate as u64 * 256);
        if v > 0xFFFF {
            0xFFFF
        } else if v == 0 {
            1
        } else {
            v as u32
        }
    }
}

/// Interrupts per second an ITR interval allows (0 for unthrottled).
pub const fn rate_for_interval(interval: u32) -> u32 {
    if interval == 0 {
        0
    } else {
        (1_000_000_000 / (interval as u64 * 256)) as u32
    }
}

/// The latency class of recent traffic.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Latency {
    /// Few small packets: interrupt as fast as allowed.
    Lowest,
    /// Moderate traffic.
    Low,
    /// Large sustained transfers: few interrupts.
    Bulk,
}

impl Latency {
    /// The interrupt rate of this class, `bulk` for bulk traffic (the
    /// `bulk_rate` of the direction's ring).
    pub const fn rate(self, bulk: u32) -> u32 {
        match self {
            Latency::Lowest => RATE_LOWEST_LATENCY,
            Latency::Low => RATE_LOW_LATENCY,
            Latency::Bulk => bulk,
        }
    }

    /// The next class of one direction given the packets and bytes it moved
    /// since polling began (the C driver's `e1000_update_itr` thresholds).
    pub const fn next(self, t: Traffic) -> Latency {
        let (packets, bytes) = (t.packets, t.bytes);
        if packets == 0 {
            return self;
        }
        let per_packet = bytes / packets;
        match self {
            Latency::Lowest => {
                if bytes > 10_000 {
                    // Where the C driver stays at lowest (its default mode
                    // never keeps this class), more than 10 kB is judged as
                    // from low latency: a stream starting after pings is bulk.
                    Latency::Low.next(t)
                } else if per_packet > 8_000 {
                    Latency::Bulk
                } else if packets < 5 && bytes > 512 {
                    Latency::Low
                } else {
                    Latency::Lowest
                }
            }
            Latency::Low => {
                if bytes > 10_000 {
                    if per_packet > 8_000 || packets < 10 || per_packet > 1_200 {
                        Latency::Bulk
                    } else if packets > 35 {
                        Latency::Lowest
                    } else {
                        Latency::Low
                    }
                } else if per_packet > 2_000 {
                    Latency::Bulk
                } else if packets <= 2 && bytes < 512 {
                    Latency::Lowest
                } else {
                    Latency::Low
                }
            }
            Latency::Bulk => {
                if bytes > 25_000 {
                    // Many packets that are not full-sized: mixed traffic.
                    // (The C driver leaves bulk for any 36 packets, full-sized
                    // too; then one stream's interrupt rate swings between
                    // the two classes with the number of frames that one
                    // interrupt happens to find.)
                    if packets > 35 && per_packet <= 1_200 {
                        Latency::Low
                    } else {
                        Latency::Bulk
                    }
                } else if bytes < 6_000 {
                    Latency::Low
                } else {
                    Latency::Bulk
                }
            }
        }
    }
}

/// Packets and bytes one direction moved since polling began.
#[derive(Clone, Copy, Default, PartialEq, Eq, Debug)]
pub struct Traffic {
    /// Packets (frames received, or frames sent).
    pub packets: u32,
    /// Bytes of those packets.
    pub bytes: u32,
}

impl Traffic {
    /// Adds one poll round's work (saturating: a long polling stretch is bulk
    /// whatever its exact count).
    pub fn add(&mut self, packets: u32, bytes: u32) {
        self.packets = self.packets.saturating_add(packets);
        self.bytes = self.bytes.saturating_add(bytes);
    }
}

/// The adaptive interrupt rate: each direction classified on its own, over
/// everything it moved in one polling stretch (from the interrupt or
/// transmit that scheduled the poll to the round that completes it), as the
/// C driver does.
///
/// A stretch ends when NAPI accepts the completion; the state is then no
/// longer the poll's to touch, so the end is noted ([`Adaptive::end`]) and
/// taken up when the next round counts ([`Adaptive::count`]). When NAPI
/// instead polls again (it was scheduled meanwhile), [`Adaptive::resume`]
/// keeps the stretch going.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Adaptive {
    /// The rates of bulk receive and bulk transmit (`bulk_rate` of each
    /// ring).
    bulk_rx: u32,
    bulk_tx: u32,
    /// The classes at the start of this stretch.
    rx: Latency,
    tx: Latency,
    /// The classes of this stretch so far (what `end` last returned).
    rx_now: Latency,
    tx_now: Latency,
    /// Traffic in this stretch.
    seen_rx: Traffic,
    seen_tx: Traffic,
    /// `end` was called and not resumed: the next count begins a stretch.
    ended: bool,
    /// The stretch before this one wanted to leave bulk and was held there.
    held: bool,
    /// This stretch so far wants to leave bulk and was held (what `end`
    /// last decided; taken up, as the classes, when the next stretch begins).
    held_now: bool,
}

impl Adaptive {
    /// Both directions start in the class of the default rate; the lengths
    /// are the rings' sizes.
    pub const fn new(rx_ring_len: u32, tx_ring_len: u32) -> Self {
        Self {
            bulk_rx: bulk_rate(rx_ring_len),
            bulk_tx: bulk_rate(tx_ring_len),
            rx: Latency::Low,
            tx: Latency::Low,
            rx_now: Latency::Low,
            tx_now: Latency::Low,
            seen_rx: Traffic {
                packets: 0,
                bytes: 0,
            },
            seen_tx: Traffic {
                packets: 0,
                bytes: 0,
            },
            ended: false,
            held: false,
            held_now: false,
        }
    }

    /// Counts one poll round's work (the first round after an ended stretch
    /// begins a new one).
    pub fn count(&mut self, rx: Traffic, tx: Traffic) {
        if self.ended {
            self.rx = self.rx_now;
            self.tx = self.tx_now;
            self.held = self.held_now;
            self.seen_rx = Traffic::default();
            self.seen_tx = Traffic::default();
            self.ended = false;
        }
        self.seen_rx.add(rx.packets, rx.bytes);
        self.seen_tx.add(tx.packets, tx.bytes);
    }

    /// The stretch may end with this round: classifies what it saw and
    /// returns the rate to program given the `current` one. A rate goes down
    /// at once (bulk wants fewer interrupts now) and up by a quarter of the
    /// target at a time (the C driver's bias towards bulk); from bulk, only
    /// when the stretch before wanted that too.
    pub fn end(&mut self, current: u32) -> u32 {
        self.rx_now = self.rx.next(self.seen_rx);
        self.tx_now = self.tx.next(self.seen_tx);
        self.ended = true;
        // Both directions together: the one that wants fewer interrupts
        // (bulk receive is not sped up by its acknowledgements' class).
        let rx = self.rx_now.rate(self.bulk_rx);
        let tx = self.tx_now.rate(self.bulk_tx);
        let target = if rx < tx { rx } else { tx };
        // Leaving bulk takes two stretches in a row that want it: a transfer
        // whose writes each end in a short frame (TCP's last piece of each
        // write) would otherwise swing between bulk and a faster rate every
        // other interrupt, an ITR write (a trip into the device) each time.
        self.held_now = target > current && current != 0 && current <= RATE_BULK && !self.held;
        if self.held_now {
            return current;
        }
        if target > current && current != 0 {
            let step = current.saturating_add(target / 4);
            if step < target {
                step
            } else {
                target
            }
        } else {
            target
        }
    }

    /// NAPI polls again after `end`: the stretch goes on, counting on from
    /// where it was.
    pub fn resume(&mut self) {
        self.ended = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interval_and_rate_convert_both_ways() {
        assert_eq!(interval_for_rate(20_000), 195);
        assert_eq!(rate_for_interval(195), 20_032);
        assert_eq!(interval_for_rate(0), 0);
        assert_eq!(rate_for_interval(0), 0);
        assert_eq!(interval_for_rate(1), 0xFFFF);
        assert_eq!(interval_for_rate(u32::MAX), 1);
    }

    fn t(packets: u32, bytes: u32) -> Traffic {
        Traffic { packets, bytes }
    }

    #[test]
    fn bulk_traffic_lowers_the_rate_and_sparse_traffic_raises_it() {
        // 20 full-size frames: bulk.
        assert_eq!(Latency::Low.next(t(20, 20 * 1514)), Latency::Bulk);
        // A TSO frame counted as one packet: bulk.
        assert_eq!(Latency::Lowest.next(t(1, 65_000)), Latency::Bulk);
        // A ping: out of bulk, then lowest latency.
        assert_eq!(Latency::Bulk.next(t(1, 98)), Latency::Low);
        assert_eq!(Latency::Low.next(t(1, 98)), Latency::Lowest);
        // Nothing happened: keep the class.
        assert_eq!(Latency::Bulk.next(t(0, 0)), Latency::Bulk);
        assert!(Latency::Bulk.rate(RATE_BULK) < Latency::Low.rate(RATE_BULK));
        assert!(Latency::Low.rate(RATE_BULK) < Latency::Lowest.rate(RATE_BULK));
        assert_eq!(Latency::Bulk.rate(952), 952);
    }

    #[test]
    fn many_full_sized_frames_stay_bulk_and_many_small_ones_do_not() {
        // One interrupt finding 60 full-sized frames of a stream: still bulk
        // (the C driver would go to low latency here).
        assert_eq!(Latency::Bulk.next(t(60, 60 * 1514)), Latency::Bulk);
        // 60 mid-sized packets: mixed traffic.
        assert_eq!(Latency::Bulk.next(t(60, 60 * 600)), Latency::Low);
        // A little over the bulk floor, a few frames: stay.
        assert_eq!(Latency::Bulk.next(t(5, 7_000)), Latency::Bulk);
    }

    /// Receives `frames` full-sized frames and sends `acks` acknowledgements,
    /// over `rounds` poll rounds, then completes polling.
    fn poll_session(a: &mut Adaptive, rate: u32, rounds: u32, frames: u32, acks: u32) -> u32 {
        for _ in 0..rounds {
            a.count(
                t(frames / rounds, frames / rounds * 1514),
                t(acks / rounds, acks / rounds * 66),
            );
        }
        a.end(rate)
    }

    #[test]
    fn acknowledgements_do_not_pull_bulk_receive_out_of_bulk() {
        let mut a = Adaptive::new(1024, 256);
        let mut rate = RATE_DEFAULT;
        for _ in 0..3 {
            rate = poll_session(&mut a, rate, 1, 30, 10);
        }
        assert_eq!(rate, bulk_rate(1024));
        // A round that finds only a few frames (the end of a burst) does
        // not leave bulk either: it is counted with the rounds before it.
        rate = poll_session(&mut a, rate, 3, 66, 3);
        assert_eq!(rate, bulk_rate(1024));
    }

    #[test]
    fn a_stream_that_ends_goes_back_to_low_latency_in_steps() {
        let mut a = Adaptive::new(1024, 256);
        let mut rate = poll_session(&mut a, RATE_DEFAULT, 1, 30, 10);
        assert_eq!(rate, RATE_BULK_MIN);
        // Pings now: the rate rises a quarter of the target at a time.
        let mut seen = [0u32; 8];
        for s in seen.iter_mut() {
            a.count(t(1, 98), t(1, 98));
            rate = a.end(rate);
            *s = rate;
        }
        // The first stretch that wants out of bulk is held there; from the
        // second on, each steps up.
        assert_eq!(seen[0], RATE_BULK_MIN);
        assert_eq!(seen[1], RATE_BULK_MIN + RATE_LOWEST_LATENCY / 4);
        assert!(seen.windows(2).all(|w| w[0] <= w[1]));
        assert_eq!(seen[7], RATE_LOWEST_LATENCY);
        // Bulk again: down at once.
        assert_eq!(poll_session(&mut a, rate, 1, 30, 0), RATE_BULK_MIN);
    }

    #[test]
    fn bulk_waits_as_long_as_the_ring_allows() {
        // A third of the ring at line rate, never under 250 or over 4000/s.
        assert_eq!(bulk_rate(256), 952);
        assert_eq!(bulk_rate(1024), RATE_BULK_MIN);
        assert_eq!(bulk_rate(4096), RATE_BULK_MIN);
        assert_eq!(bulk_rate(48), RATE_BULK);
        assert_eq!(bulk_rate(0), RATE_BULK);
        // (Rings under 64 buffers get the C driver's bulk rate, the highest.)
        for len in [64u32, 80, 256, 512, 1024, 4096] {
            let interval_frames = FULL_FRAMES_PER_SEC / bulk_rate(len);
            assert!(
                interval_frames <= len / 3 + 1,
                "ring {len}: {interval_frames} frames"
            );
        }
        let mut small = Adaptive::new(256, 256);
        assert_eq!(poll_session(&mut small, RATE_DEFAULT, 1, 30, 10), 952);
    }

    #[test]
    fn bulk_transmit_waits_as_long_as_its_ring_allows() {
        // TSO frames out, acknowledgements in: the transmit ring's interval,
        // not the receive ring's (4 ms for 1024 buffers).
        let mut a = Adaptive::new(1024, 256);
        let mut rate = RATE_DEFAULT;
        for _ in 0..3 {
            a.count(t(4, 4 * 66), t(3, 3 * 65_000));
            rate = a.end(rate);
        }
        assert_eq!(rate, bulk_rate(256));
        assert!(bulk_rate(256) != bulk_rate(1024));
        // Full-sized frames without TSO: bulk too.
        let mut b = Adaptive::new(1024, 256);
        rate = RATE_DEFAULT;
        for _ in 0..3 {
            b.count(t(2, 2 * 66), t(30, 30 * 1514));
            rate = b.end(rate);
        }
        assert_eq!(rate, bulk_rate(256));
        // A larger transmit ring waits longer.
        let mut c = Adaptive::new(1024, 1024);
        rate = RATE_DEFAULT;
        for _ in 0..3 {
            c.count(t(4, 4 * 66), t(3, 3 * 65_000));
            rate = c.end(rate);
        }
        assert_eq!(rate, RATE_BULK_MIN);
        // Both ways at once: the lower rate of the two.
        rate = poll_session(&mut a, rate, 1, 30, 0);
        a.count(t(30, 30 * 1514), t(3, 3 * 65_000));
        assert_eq!(a.end(rate), RATE_BULK_MIN);
    }

    #[test]
    fn a_stretch_that_goes_on_keeps_counting() {
        // Rounds that each find a few frames, the poll rescheduled after
        // each (transmit scheduled it meanwhile): one stretch of bulk.
        let mut a = Adaptive::new(1024, 256);
        let mut rate = poll_session(&mut a, RATE_DEFAULT, 1, 30, 0);
        assert_eq!(rate, RATE_BULK_MIN);
        for _ in 0..20 {
            a.count(t(3, 3 * 1514), t(0, 0));
            rate = a.end(rate);
            a.resume();
        }
        assert_eq!(rate, RATE_BULK_MIN);
        // Had each round been a stretch of its own, 3 frames would have
        // left bulk (at the second such stretch).
        let mut b = Adaptive::new(1024, 256);
        rate = poll_session(&mut b, RATE_DEFAULT, 1, 30, 0);
        for _ in 0..2 {
            b.count(t(3, 3 * 1514), t(0, 0));
            rate = b.end(rate);
        }
        assert!(rate > RATE_BULK_MIN);
    }

    #[test]
    fn a_transfer_of_long_and_short_frames_stays_at_one_rate() {
        // TCP transmit: each write leaves as two 64 kB frames and a 3.6 kB
        // rest, and a stretch often completes only the rest. The rate must
        // not swing with it (each change is an ITR write).
        let mut a = Adaptive::new(1024, 256);
        let bulk = bulk_rate(256);
        let mut rate = RATE_DEFAULT;
        for _ in 0..3 {
            a.count(t(1, 66), t(1, 65_000));
            rate = a.end(rate);
        }
        assert_eq!(rate, bulk);
        for _ in 0..20 {
            a.count(t(1, 66), t(1, 3_700));
            assert_eq!(a.end(rate), bulk);
            a.count(t(1, 66), t(2, 130_000));
            assert_eq!(a.end(rate), bulk);
        }
        // The transfer ends, pings follow: held for one stretch, then the
        // rate rises.
        a.count(t(1, 98), t(1, 98));
        assert_eq!(a.end(rate), bulk);
        a.count(t(1, 98), t(1, 98));
        assert!(a.end(rate) > bulk);
    }

    #[test]
    fn counts_saturate_and_reset_at_completion() {
        let mut a = Adaptive::new(1024, 256);
        a.count(t(u32::MAX, u32::MAX), t(0, 0));
        a.count(t(5, 5), t(0, 0));
        assert_eq!(a.seen_rx, t(u32::MAX, u32::MAX));
        a.end(RATE_DEFAULT);
        a.count(t(1, 98), t(0, 0));
        assert_eq!(a.seen_rx, t(1, 98));
        // Unthrottled now (ethtool): the adaptive rate applies at once.
        let mut b = Adaptive::new(1024, 256);
        assert_eq!(b.end(0), RATE_LOW_LATENCY);
    }
}
