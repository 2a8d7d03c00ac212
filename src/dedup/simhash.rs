//! Charikar's 64-bit simhash over shingle hashes.
//!
//! Owns [`simhash`] and [`hamming`]. The input is the 64-bit shingle hashes
//! of a text from [`super::shingle`] (a shingle that occurs twice weighs
//! twice), so the fingerprint inherits their fixed, documented hash and is
//! stable across compilers and platforms, unlike the `simhash` crate's
//! `std::hash::Hash` words. Stateless.
//!
//! Charikar, "Similarity estimation techniques from rounding algorithms",
//! STOC 2002: bit `i` of the fingerprint is the sign of the sum, over the
//! features, of +1 when bit `i` of the feature's hash is set and -1 when not.

/// Returns the 64-bit simhash of feature hashes, each weighing once per
/// occurrence. No features hash to 0.
pub fn simhash(features: &[u64]) -> u64 {
    // Count set bits per position; bit i is set if and only if more than half
    // of the features have it (the sign of the ±1 sum). Bytes are spread into
    // eight one-byte lanes of a u64 by a table, so one addition counts eight
    // positions; lanes are flushed before they can overflow.
    const SPREAD: [u64; 256] = spread_table();
    let mut counts = [0u32; 64];
    for chunk in features.chunks(255) {
        let mut lanes = [0u64; 8];
        for &h in chunk {
            for (byte, lane) in lanes.iter_mut().enumerate() {
                *lane += SPREAD[((h >> (8 * byte)) & 0xff) as usize];
            }
        }
        for (byte, lane) in lanes.iter().enumerate() {
            for bit in 0..8 {
                counts[8 * byte + bit] += ((lane >> (8 * bit)) & 0xff) as u32;
            }
        }
    }
    let n = features.len() as u32;
    counts.iter().enumerate().fold(
        0u64,
        |acc, (bit, &c)| if 2 * c > n { acc | (1 << bit) } else { acc },
    )
}

/// `SPREAD[b]` has byte `i` equal to bit `i` of `b`.
const fn spread_table() -> [u64; 256] {
    let mut t = [0u64; 256];
    let mut b = 0;
    while b < 256 {
        let mut i = 0;
        while i < 8 {
            if b & (1 << i) != 0 {
                t[b] |= 1 << (8 * i);
            }
            i += 1;
        }
        b += 1;
    }
    t
}

/// Returns the Hamming distance between two fingerprints (0 to 64).
pub fn hamming(a: u64, b: u64) -> u32 {
    (a ^ b).count_ones()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn majority_per_bit() {
        assert_eq!(simhash(&[]), 0);
        assert_eq!(simhash(&[0b101]), 0b101);
        assert_eq!(simhash(&[0b101, 0b100, 0b110]), 0b100);
        assert_eq!(hamming(0b1011, 0b0001), 2);
        // The table version equals the ±1 sum on many features.
        let f: Vec<u64> = (0..1000u64)
            .map(|i| i.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ (i << 7))
            .collect();
        let mut sum = [0i64; 64];
        for h in &f {
            for (bit, s) in sum.iter_mut().enumerate() {
                *s += if h >> bit & 1 == 1 { 1 } else { -1 };
            }
        }
        let want = sum
            .iter()
            .enumerate()
            .fold(0u64, |a, (b, &s)| if s > 0 { a | 1 << b } else { a });
        assert_eq!(simhash(&f), want);
    }
}
