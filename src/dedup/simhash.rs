//! Charikar's 64-bit simhash over shingle hashes.
//!
//! Owns [`simhash`] and [`hamming`]. The input is the set of 64-bit shingle
//! hashes from [`super::shingle`] (each shingle counted once, weight 1), so
//! the fingerprint inherits their fixed, documented hash (xxh3-64 with fixed
//! seeds) and is stable across compilers and platforms, unlike the `simhash`
//! crate's `std::hash::Hash` words. Stateless.
//!
//! Charikar, "Similarity estimation techniques from rounding algorithms",
//! STOC 2002: bit `i` of the fingerprint is the sign of the sum, over the
//! features, of +1 when bit `i` of the feature's hash is set and -1 when not.

/// Returns the 64-bit simhash of a set of feature hashes. The empty set
/// hashes to 0.
pub fn simhash(features: &[u64]) -> u64 {
    let mut counts = [0i32; 64];
    for &h in features {
        for (bit, count) in counts.iter_mut().enumerate() {
            // +1 for a set bit, -1 for a clear one.
            *count += (((h >> bit) & 1) as i32) * 2 - 1;
        }
    }
    counts.iter().enumerate().fold(
        0u64,
        |acc, (bit, &c)| if c > 0 { acc | (1 << bit) } else { acc },
    )
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
    }
}
