//! Sorting 32-bit ids: an LSD radix sort, four passes of one byte.
//!
//! Owns [`sort_dedup`]. Every sketch sorts its shingle ids (a few hundred
//! to a few thousand) and its skeleton ids. The ids are uniform hashes, so a
//! radix sort's four counting passes beat a comparison sort, whose branches
//! on random keys the processor cannot predict. Short lists go to the
//! standard library's sort.

/// Below this many ids the comparison sort is faster.
const MIN_RADIX: usize = 96;

/// Sorts `ids` ascending and removes repeats. `scratch` is working space,
/// reused between calls.
pub fn sort_dedup(ids: &mut Vec<u32>, scratch: &mut Vec<u32>) {
    if ids.len() < MIN_RADIX {
        ids.sort_unstable();
    } else {
        scratch.clear();
        scratch.resize(ids.len(), 0);
        for shift in [0u32, 8, 16, 24] {
            let mut counts = [0usize; 256];
            for &id in ids.iter() {
                counts[((id >> shift) & 0xff) as usize] += 1;
            }
            let mut sum = 0;
            for c in counts.iter_mut() {
                let n = *c;
                *c = sum;
                sum += n;
            }
            for &id in ids.iter() {
                let slot = &mut counts[((id >> shift) & 0xff) as usize];
                scratch[*slot] = id;
                *slot += 1;
            }
            std::mem::swap(ids, scratch);
        }
    }
    ids.dedup();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equals_sort_and_dedup() {
        let mut scratch = Vec::new();
        for n in [0usize, 1, 5, 95, 96, 97, 1000, 5000] {
            let mut x: u64 = n as u64;
            let mut ids: Vec<u32> = (0..n)
                .map(|i| {
                    x = crate::dedup::minhash::splitmix64(x);
                    // Some repeats and some small values.
                    if i % 7 == 0 {
                        (x % 50) as u32
                    } else {
                        (x >> 32) as u32
                    }
                })
                .collect();
            let mut want = ids.clone();
            want.sort_unstable();
            want.dedup();
            sort_dedup(&mut ids, &mut scratch);
            assert_eq!(ids, want, "n = {n}");
        }
    }
}
