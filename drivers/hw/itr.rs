//! Interrupt moderation: the ITR register and an adaptive rate policy.
//!
//! ITR holds the minimum interval between interrupts in 256 ns units. The
//! adaptive policy follows the C e1000's idea: classify the traffic seen since
//! the last interrupt as latency-sensitive or bulk and pick a rate for each.

/// Lowest-latency rate: interrupts per second for sparse traffic.
pub const RATE_LOWEST_LATENCY: u32 = 70_000;
/// Rate for mixed traffic.
pub const RATE_LOW_LATENCY: u32 = 20_000;
/// Rate for bulk transfers.
pub const RATE_BULK: u32 = 4_000;
/// The rate the C driver starts from.
pub const RATE_DEFAULT: u32 = 20_000;

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
    /// The interrupt rate of this class.
    pub const fn rate(self) -> u32 {
        match self {
            Latency::Lowest => RATE_LOWEST_LATENCY,
            Latency::Low => RATE_LOW_LATENCY,
            Latency::Bulk => RATE_BULK,
        }
    }

    /// The next class given the packets and bytes handled in one interrupt
    /// (the C driver's `e1000_update_itr` thresholds).
    pub const fn next(self, packets: u32, bytes: u32) -> Latency {
        if packets == 0 {
            return self;
        }
        match self {
            Latency::Lowest => {
                if bytes > 10_000 {
                    if bytes / packets > 8_000 || packets < 10 || bytes / packets > 1_200 {
                        Latency::Bulk
                    } else if packets > 35 {
                        Latency::Lowest
                    } else {
                        Latency::Low
                    }
                } else if bytes > 2_000 && bytes / packets > 500 {
                    Latency::Low
                } else {
                    Latency::Lowest
                }
            }
            Latency::Low => {
                if bytes > 10_000 {
                    if bytes / packets > 8_000 || packets < 10 || bytes / packets > 1_200 {
                        Latency::Bulk
                    } else if packets > 35 {
                        Latency::Lowest
                    } else {
                        Latency::Low
                    }
                } else if bytes <= 2_000 {
                    Latency::Lowest
                } else {
                    Latency::Low
                }
            }
            Latency::Bulk => {
                if bytes > 25_000 {
                    if packets > 35 {
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

    #[test]
    fn bulk_traffic_lowers_the_rate_and_sparse_traffic_raises_it() {
        // 40 full-size frames in one interrupt: bulk.
        assert_eq!(Latency::Low.next(40, 40 * 1514), Latency::Bulk);
        // A ping: lowest latency.
        assert_eq!(Latency::Bulk.next(1, 98), Latency::Low);
        assert_eq!(Latency::Low.next(1, 98), Latency::Lowest);
        // Nothing happened: keep the class.
        assert_eq!(Latency::Bulk.next(0, 0), Latency::Bulk);
        assert!(Latency::Bulk.rate() < Latency::Low.rate());
        assert!(Latency::Low.rate() < Latency::Lowest.rate());
    }
}
