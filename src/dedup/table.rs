//! A compact multimap from 32-bit LSH band keys to 32-bit core numbers.
//!
//! Owns the memory layout of the LSH tables: one open-addressing table with
//! linear probing for all bands of all signature kinds (each band key is
//! salted with its band number and kind, see [`super::minhash::band_keys`]).
//! A slot is 8 bytes (key, value); equal keys simply occupy several slots of
//! one probe run. The table doubles when it is 85% full, so it sits between
//! 42% and 85% full: about 12.5 bytes per entry on average, against 40+ for
//! a `HashMap<u64, Vec<u32>>`. Keys are the top 32 bits of the 64-bit band
//! hash; a collision of two different bands only adds a candidate, which
//! verification then rejects. Entries are never removed.

const EMPTY: u32 = u32::MAX;

/// The band-key multimap. See the module docs.
#[derive(Clone, Debug)]
pub struct BandTable {
    slots: Vec<(u32, u32)>,
    len: usize,
    shift: u32,
}

impl Default for BandTable {
    fn default() -> Self {
        BandTable::with_capacity_log2(10)
    }
}

impl BandTable {
    fn with_capacity_log2(bits: u32) -> BandTable {
        BandTable {
            slots: vec![(0, EMPTY); 1 << bits],
            len: 0,
            shift: 32 - bits,
        }
    }

    fn home(&self, key: u32) -> usize {
        (key.wrapping_mul(0x9e37_79b9) >> self.shift) as usize
    }

    /// Adds `value` under `key`. `value` must not be `u32::MAX`.
    pub fn insert(&mut self, key: u32, value: u32) {
        if (self.len + 1) * 100 > self.slots.len() * 85 {
            self.grow();
        }
        let mask = self.slots.len() - 1;
        let mut i = self.home(key);
        while self.slots[i].1 != EMPTY {
            i = (i + 1) & mask;
        }
        self.slots[i] = (key, value);
        self.len += 1;
    }

    /// Adds `value` under `key` unless `key` already holds `cap` values;
    /// returns whether it was added. One walk of the probe run does both.
    /// `value` must not be `u32::MAX`.
    pub fn insert_capped(&mut self, key: u32, value: u32, cap: usize) -> bool {
        if (self.len + 1) * 100 > self.slots.len() * 85 {
            self.grow();
        }
        let mask = self.slots.len() - 1;
        let mut i = self.home(key);
        let mut held = 0;
        while self.slots[i].1 != EMPTY {
            held += usize::from(self.slots[i].0 == key);
            if held >= cap {
                return false;
            }
            i = (i + 1) & mask;
        }
        self.slots[i] = (key, value);
        self.len += 1;
        true
    }

    /// Calls `f` with every value stored under `key`.
    pub fn get(&self, key: u32, mut f: impl FnMut(u32)) {
        let mask = self.slots.len() - 1;
        let mut i = self.home(key);
        loop {
            let (k, v) = self.slots[i];
            if v == EMPTY {
                return;
            }
            if k == key {
                f(v);
            }
            i = (i + 1) & mask;
        }
    }

    fn grow(&mut self) {
        let bits = 32 - self.shift + 1;
        let old = std::mem::replace(self, BandTable::with_capacity_log2(bits));
        for (k, v) in old.slots {
            if v != EMPTY {
                self.insert(k, v);
            }
        }
    }

    /// Returns the number of entries.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Returns true if and only if the table holds no entry.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Returns the bytes the table holds on the heap.
    pub fn heap_bytes(&self) -> usize {
        self.slots.capacity() * std::mem::size_of::<(u32, u32)>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multimap_and_growth() {
        let mut t = BandTable::default();
        for i in 0..5000u32 {
            t.insert(i % 700, i);
        }
        assert_eq!(t.len(), 5000);
        let mut got = Vec::new();
        t.get(3, |v| got.push(v));
        got.sort_unstable();
        assert_eq!(got, (0..5000).filter(|i| i % 700 == 3).collect::<Vec<_>>());
        let mut none = 0;
        t.get(9999, |_| none += 1);
        assert_eq!(none, 0);
    }

    #[test]
    fn capped_inserts_stop_at_the_cap() {
        let mut t = BandTable::default();
        let added = (0..10u32).filter(|&v| t.insert_capped(7, v, 4)).count();
        assert_eq!(added, 4);
        assert!(t.insert_capped(8, 1, 4));
        let mut got = Vec::new();
        t.get(7, |v| got.push(v));
        got.sort_unstable();
        assert_eq!(got, [0, 1, 2, 3]);
    }
}
