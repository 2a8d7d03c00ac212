//! Exponential backoff with jitter between attempts at one URL.
//!
//! The delay before retry `n` (1-based) is drawn uniformly from
//! `[d/2, d]` with `d = min(backoff_base · 2^(n-1), max_backoff)` ("equal
//! jitter"): never shorter than half the nominal delay, so a struggling
//! server always gets a pause, and spread so that many URLs failing at once
//! do not come back in lockstep.
//!
//! The jitter comes from [`XorShift`], a 64-bit xorshift* generator owned by
//! each [`Fetcher`](super::Fetcher): jitter needs no statistical quality, and
//! a generator per fetcher keeps tests reproducible when seeded.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A small xorshift* pseudo-random generator (Vigna, 2016). Not for
/// anything but jitter.
#[derive(Debug, Clone)]
pub(crate) struct XorShift {
    state: u64,
}

impl XorShift {
    /// A generator with the given seed; a zero seed is replaced, since
    /// xorshift would then stay at zero.
    pub(crate) fn new(seed: u64) -> XorShift {
        // SplitMix64 finaliser: spreads nearby seeds (consecutive clock
        // readings) over the whole state space.
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        XorShift {
            state: if z == 0 { 0x2545_F491_4F6C_DD1D } else { z },
        }
    }

    /// A generator seeded from the clock and this process's id.
    pub(crate) fn from_time() -> XorShift {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_nanos() as u64);
        XorShift::new(nanos ^ (u64::from(std::process::id()) << 32))
    }

    /// The next 64 pseudo-random bits.
    pub(crate) fn next_u64(&mut self) -> u64 {
        let mut x = self.state;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.state = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number uniformly drawn from `[0, 1)`.
    pub(crate) fn next_f64(&mut self) -> f64 {
        // The top 53 bits fill an f64 mantissa exactly.
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// The backoff schedule: base delay, doubling, cap.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Backoff {
    /// The nominal delay before the first retry.
    pub(crate) base: Duration,
    /// No delay is longer than this.
    pub(crate) max: Duration,
}

impl Backoff {
    /// The nominal (unjittered) delay before retry `retry` (1-based).
    pub(crate) fn nominal(&self, retry: u32) -> Duration {
        let doublings = retry.saturating_sub(1).min(31);
        self.base
            .checked_mul(1u32 << doublings)
            .unwrap_or(self.max)
            .min(self.max)
    }

    /// The delay before retry `retry` (1-based), jittered within
    /// `[nominal / 2, nominal]`.
    pub(crate) fn delay(&self, retry: u32, rng: &mut XorShift) -> Duration {
        let nominal = self.nominal(retry);
        let half = nominal / 2;
        half + (nominal - half).mul_f64(rng.next_f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BACKOFF: Backoff = Backoff {
        base: Duration::from_millis(500),
        max: Duration::from_secs(30),
    };

    #[test]
    fn nominal_doubles_then_caps() {
        assert_eq!(BACKOFF.nominal(1), Duration::from_millis(500));
        assert_eq!(BACKOFF.nominal(2), Duration::from_secs(1));
        assert_eq!(BACKOFF.nominal(3), Duration::from_secs(2));
        assert_eq!(BACKOFF.nominal(7), Duration::from_secs(30));
        assert_eq!(BACKOFF.nominal(u32::MAX), Duration::from_secs(30));
    }

    #[test]
    fn jittered_delay_stays_within_half_and_full_nominal() {
        let mut rng = XorShift::new(7);
        for retry in 1..12 {
            let nominal = BACKOFF.nominal(retry);
            let mut seen_low = false;
            let mut seen_high = false;
            for _ in 0..500 {
                let delay = BACKOFF.delay(retry, &mut rng);
                assert!(
                    delay >= nominal / 2 && delay <= nominal,
                    "{delay:?} vs {nominal:?}"
                );
                seen_low |= delay < nominal * 3 / 5;
                seen_high |= delay > nominal * 9 / 10;
            }
            assert!(seen_low && seen_high, "jitter spreads over the range");
        }
    }

    #[test]
    fn xorshift_is_deterministic_per_seed_and_never_stuck() {
        let a: Vec<u64> = (0..4)
            .scan(XorShift::new(1), |r, _| Some(r.next_u64()))
            .collect();
        let b: Vec<u64> = (0..4)
            .scan(XorShift::new(1), |r, _| Some(r.next_u64()))
            .collect();
        let c: Vec<u64> = (0..4)
            .scan(XorShift::new(2), |r, _| Some(r.next_u64()))
            .collect();
        assert_eq!(a, b);
        assert_ne!(a, c);
        let mut zero = XorShift::new(0);
        assert_ne!(zero.next_u64(), 0);
        let mut rng = XorShift::from_time();
        let mean = (0..10_000).map(|_| rng.next_f64()).sum::<f64>() / 10_000.0;
        assert!((0.45..0.55).contains(&mean), "mean {mean}");
    }
}
