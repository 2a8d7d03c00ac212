//! MinHash signatures and LSH band keys over 64-bit feature hashes.
//!
//! Owns the permutation family and the banding. The family is fixed and
//! documented so that signatures can be stored: permutation `i` maps a
//! feature hash `x` (a shingle or anchor-pair hash, see [`super::shingle`]) to
//! `((a_i · x + b_i) mod 2^64) >> 32`, multiply-shift hashing (Dietzfelbinger
//! et al. 1997), where `a_i = splitmix64(SEED + 2i) | 1` (odd, so the map is a
//! bijection before the shift) and `b_i = splitmix64(SEED + 2i + 1)`: one
//! multiply-add per feature and permutation, used for the short lead and
//! anchor signatures; the main signature is a one-permutation MinHash
//! ([`one_permutation`]). The signature of the empty set is all `u32::MAX`.
//!
//! Banding as in datasketch's `MinHashLSH` (Leskovec, Rajaraman, Ullman,
//! *Mining of Massive Datasets*, ch. 3): `b` bands of `r` rows; two sets with
//! Jaccard `J` share at least one band key with probability `1 - (1 - J^r)^b`.
//! Stateless; the coefficient table is a `const`.

use xxhash_rust::xxh3::xxh3_64_with_seed;

/// Seed of the permutation coefficients: ASCII "MINHASH1".
pub const PERMUTATION_SEED: u64 = 0x4d49_4e48_4153_4831;

/// Seed of the band-key hash; the band number is added to it.
pub const BAND_SEED: u64 = 0x4241_4e44_5345_4544;

/// The largest number of permutations any signature uses.
pub const MAX_PERMUTATIONS: usize = 64;

/// splitmix64 (Steele, Lea, Flood 2014), as used to seed xoshiro generators.
#[inline]
pub const fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

const fn coefficients() -> [(u64, u64); MAX_PERMUTATIONS] {
    let mut out = [(0u64, 0u64); MAX_PERMUTATIONS];
    let mut i = 0;
    while i < MAX_PERMUTATIONS {
        let a = splitmix64(PERMUTATION_SEED.wrapping_add(2 * i as u64)) | 1;
        let b = splitmix64(PERMUTATION_SEED.wrapping_add(2 * i as u64 + 1));
        out[i] = (a, b);
        i += 1;
    }
    out
}

/// The permutation coefficients `(a_i, b_i)`.
pub const COEFFICIENTS: [(u64, u64); MAX_PERMUTATIONS] = coefficients();

/// Returns the MinHash signature of a feature set using permutations
/// `offset .. offset + n`. Using different offsets for different feature
/// kinds keeps their signatures independent.
///
/// # Panics
///
/// Panics if `offset + n` exceeds [`MAX_PERMUTATIONS`]; callers use constants.
pub fn signature(features: &[u64], offset: usize, n: usize) -> Vec<u32> {
    let coef = &COEFFICIENTS[offset..offset + n];
    let mut out = Vec::with_capacity(n);
    // Eight permutations at a time, each with its own running minimum, so
    // the multiplies of one feature are independent of each other.
    for group in coef.chunks(8) {
        let mut mins = [u64::MAX; 8];
        for &x in features {
            for (m, &(a, b)) in mins.iter_mut().zip(group) {
                *m = (*m).min(a.wrapping_mul(x).wrapping_add(b) >> 32);
            }
        }
        out.extend(
            mins[..group.len()]
                .iter()
                .map(|&m| m.min(u64::from(u32::MAX)) as u32),
        );
    }
    out
}

/// Seed of the one-permutation hash: ASCII "ONEPERM1".
pub const OPH_SEED: u64 = 0x4f4e_4550_4552_4d31;

/// Returns a `k`-value one-permutation MinHash signature (Li, Owen, Zhang
/// 2012) with optimal densification (Shrivastava 2017): each feature is
/// mixed once, `h = splitmix64(x ^ OPH_SEED)`; its bin is
/// `(h >> 32) · k >> 32` and its value the low 32 bits of `h`; each bin keeps
/// its minimum. An empty bin `i` copies the value of the first non-empty bin
/// `j = splitmix64(OPH_SEED + 1 + i · 2^16 + t) mod k`, `t = 0, 1, …`. Two
/// signatures agree in a bin with probability close to the Jaccard
/// similarity of the sets, as with `k` independent permutations, at the cost
/// of one hash per feature instead of `k`. The empty set gives all
/// `u32::MAX`.
pub fn one_permutation(features: &[u64], k: usize) -> Vec<u32> {
    // Each bin holds its minimum as a u64 so that "empty" (u64::MAX) is
    // apart from every 32-bit value and the update is a branch-free `min`.
    let mut bins = vec![u64::MAX; k];
    for &x in features {
        let h = splitmix64(x ^ OPH_SEED);
        let bin = (((h >> 32) * k as u64) >> 32) as usize;
        if let Some(b) = bins.get_mut(bin) {
            *b = (*b).min(u64::from(h as u32));
        }
    }
    let filled = |i: usize| bins[i] != u64::MAX;
    let mut out: Vec<u32> = bins.iter().map(|&b| b as u32).collect();
    if features.is_empty() || (0..k).all(filled) {
        return out;
    }
    for (i, slot) in out.iter_mut().enumerate() {
        if filled(i) {
            continue;
        }
        let mut t = 0u64;
        loop {
            let j =
                (splitmix64(OPH_SEED.wrapping_add(1 + ((i as u64) << 16) + t)) % k as u64) as usize;
            if filled(j) {
                // Salt the borrowed value with the borrowing bin so that two
                // empty bins copying one full bin do not form a shared band.
                *slot = (bins[j] as u32) ^ (i as u32).wrapping_mul(0x9e37_79b9);
                break;
            }
            t += 1;
        }
    }
    out
}

/// Returns the band keys of a signature: band `j` of `rows` rows hashes to
/// `xxh3_64(rows as little-endian u32s, BAND_SEED + salt + j)`. `salt`
/// separates signatures of different kinds that share one table. A signature
/// of the empty set yields no keys.
pub fn band_keys(sig: &[u32], rows: usize, salt: u64) -> impl Iterator<Item = u64> + '_ {
    let empty = sig.iter().all(|&v| v == u32::MAX);
    sig.chunks_exact(rows)
        .enumerate()
        .filter(move |_| !empty)
        .map(move |(j, band)| {
            let mut buf = [0u8; 4 * 8];
            for (chunk, v) in buf.chunks_exact_mut(4).zip(band) {
                chunk.copy_from_slice(&v.to_le_bytes());
            }
            xxh3_64_with_seed(
                &buf[..4 * band.len()],
                BAND_SEED.wrapping_add(salt + j as u64),
            )
        })
}

/// Returns the share of equal positions of two signatures: an unbiased
/// estimate of the Jaccard similarity of the two sets.
pub fn estimate_jaccard(a: &[u32], b: &[u32]) -> f64 {
    if a.is_empty() {
        return 0.0;
    }
    a.iter().zip(b).filter(|(x, y)| x == y).count() as f64 / a.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn golden_coefficients() {
        // Pinned: stored signatures depend on these.
        assert_eq!(splitmix64(0), 0xe220_a839_7b1d_cdaf);
        assert_eq!(COEFFICIENTS[0].0 & 1, 1);
    }

    #[test]
    fn estimate_tracks_jaccard() {
        let a: Vec<u64> = (0..1000u64)
            .map(|i| i.wrapping_mul(0x9e37_79b9_7f4a_7c15))
            .collect();
        let b: Vec<u64> = (500..1500u64)
            .map(|i| i.wrapping_mul(0x9e37_79b9_7f4a_7c15))
            .collect();
        let j = estimate_jaccard(&signature(&a, 0, 64), &signature(&b, 0, 64));
        assert!((j - 1.0 / 3.0).abs() < 0.15, "{j}");
        assert_eq!(
            estimate_jaccard(&signature(&a, 0, 64), &signature(&a, 0, 64)),
            1.0
        );
    }

    #[test]
    fn one_permutation_tracks_jaccard() {
        let a: Vec<u64> = (0..1000u64)
            .map(|i| i.wrapping_mul(0x9e37_79b9_7f4a_7c15))
            .collect();
        let b: Vec<u64> = (500..1500u64)
            .map(|i| i.wrapping_mul(0x9e37_79b9_7f4a_7c15))
            .collect();
        let j = estimate_jaccard(&one_permutation(&a, 48), &one_permutation(&b, 48));
        assert!((j - 1.0 / 3.0).abs() < 0.15, "{j}");
        let short = one_permutation(&a[..5], 48);
        assert_eq!(short.len(), 48);
        assert_eq!(short, one_permutation(&a[..5], 48));
    }

    #[test]
    fn bands() {
        let sig = signature(&[1, 2, 3], 0, 8);
        assert_eq!(band_keys(&sig, 2, 0).count(), 4);
        assert_eq!(band_keys(&signature(&[], 0, 8), 2, 0).count(), 0);
    }
}
