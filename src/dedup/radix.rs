//! Sorting 32-bit ids: one bucket pass on the top byte, then insertion sorts.
//!
//! Owns [`sort_dedup`]. Every sketch sorts its shingle ids (a few hundred
//! to a few thousand) and its skeleton ids. The ids are uniform hashes, so
//! the buckets are small and even, and a counting pass plus tiny sorts beat
//! a comparison sort of the whole list. Short lists go to the standard
//! library's sort.

/// Below this many ids the comparison sort is faster.
const MIN_RADIX: usize = 96;

/// Sorts `ids` ascending and removes repeats. `scratch` is working space,
/// reused between calls.
///
/// One counting pass spreads the ids into 256 buckets by their top byte
/// (uniform hashes: a handful per bucket), then an insertion sort finishes
/// each bucket, which costs a few steps for so few.
pub fn sort_dedup(ids: &mut Vec<u32>, scratch: &mut Vec<u32>) {
    if ids.len() < MIN_RADIX {
        ids.sort_unstable();
    } else {
        let mut starts = [0usize; 257];
        for &id in ids.iter() {
            starts[(id >> 24) as usize + 1] += 1;
        }
        for b in 0..256 {
            starts[b + 1] += starts[b];
        }
        scratch.clear();
        scratch.resize(ids.len(), 0);
        let mut next = starts;
        for &id in ids.iter() {
            let slot = &mut next[(id >> 24) as usize];
            scratch[*slot] = id;
            *slot += 1;
        }
        for b in 0..256 {
            insertion_sort(&mut scratch[starts[b]..starts[b + 1]]);
        }
        std::mem::swap(ids, scratch);
    }
    ids.dedup();
}

/// Sorts a short slice in place.
fn insertion_sort(v: &mut [u32]) {
    for i in 1..v.len() {
        let x = v[i];
        let mut j = i;
        while j > 0 && v[j - 1] > x {
            v[j] = v[j - 1];
            j -= 1;
        }
        v[j] = x;
    }
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
                    if i % 7 == 0 { (x % 50) as u32 } else { (x >> 32) as u32 }
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
