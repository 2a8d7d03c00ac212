//! Sixteen bytes of a line classified at once: the scanner's fast path.
//!
//! Owns [`Block`] and [`line_block`]. The masks are computed with plain
//! integer arithmetic on a `u128` (SWAR, "SIMD within a register"): each
//! byte's high bit says whether it is an ASCII letter, digit or capital, so
//! the end of a run of letters and digits is one count of trailing zeros
//! rather than a loop that mispredicts at the end of every word, and the run
//! is lowercased by one OR.

/// Sixteen bytes of a line, classified at once (SWAR): each mask has the
/// high bit of a byte set where the byte is in the class.
pub(super) struct Block {
    /// ASCII letters and digits.
    pub(super) alnum: u128,
    /// ASCII letters.
    pub(super) letter: u128,
    /// The bytes with ASCII capitals lowercased.
    pub(super) lower: u128,
    /// The first byte is an ASCII capital.
    pub(super) capital: bool,
}

/// 0x01 in every byte.
const ONES: u128 = u128::MAX / 255;
/// 0x80 in every byte.
const HIGH: u128 = ONES << 7;

/// The high bit of each byte of `y` (all below 0x80) that lies in
/// `lo..=hi`. No byte carries into the next: each sum stays below 0x100.
#[inline]
fn in_range(y: u128, lo: u8, hi: u8) -> u128 {
    let at_least_lo = y + ONES * u128::from(0x80 - lo);
    let above_hi = y + ONES * u128::from(0x7f - hi);
    at_least_lo & !above_hi & HIGH
}

/// Classifies `bytes[i..i + 16]`, with zeros (not letters or digits) for
/// what lies past the end of the line.
#[inline]
pub(super) fn line_block(bytes: &[u8], i: usize) -> Block {
    let chunk = match bytes.get(i..i + 16) {
        Some(whole) => <[u8; 16]>::try_from(whole).unwrap_or_default(),
        None => {
            let mut padded = [0u8; 16];
            let rest = bytes.get(i..).unwrap_or_default();
            padded[..rest.len()].copy_from_slice(rest);
            padded
        }
    };
    let x = u128::from_le_bytes(chunk);
    let ascii = !x & HIGH;
    let y = x & !HIGH;
    let digit = in_range(y, b'0', b'9') & ascii;
    let letter = in_range(y | (ONES * 0x20), b'a', b'z') & ascii;
    // A letter is a capital when its 0x20 bit is clear.
    let capital = letter & !(x << 2);
    Block {
        alnum: digit | letter,
        letter,
        lower: x | (letter >> 2),
        capital: capital & 0x80 != 0,
    }
}

impl Block {
    /// The length of the run of letters and digits the block starts with
    /// (16 if it fills the block).
    #[inline]
    pub(super) fn run_len(&self) -> usize {
        ((!self.alnum & HIGH).trailing_zeros() / 8) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The block classifier agrees with the standard library on every byte value
    /// at every position.
    #[test]
    fn block_matches_byte_classes() {
        let mut x: u64 = 7;
        for round in 0..4096 {
            let mut chunk = [0u8; 16];
            for (k, b) in chunk.iter_mut().enumerate() {
                x = crate::dedup::minhash::splitmix64(x);
                // Mostly letters and digits, so that runs are long.
                *b = match x % 4 {
                    0 => (x >> 8) as u8,
                    1 => b"aZ09mQ"[(x >> 8) as usize % 6],
                    _ => b'a' + (x >> 8) as u8 % 26,
                };
                if k == round % 16 {
                    *b = (round / 16) as u8;
                }
            }
            let block = line_block(&chunk, 0);
            let want = chunk
                .iter()
                .position(|&b| !b.is_ascii_alphanumeric())
                .unwrap_or(16);
            assert_eq!(block.run_len(), want, "{chunk:?}");
            let lower = block.lower.to_le_bytes();
            for (k, &b) in chunk.iter().enumerate() {
                assert_eq!(lower[k], b.to_ascii_lowercase(), "{chunk:?}");
                let letter = block.letter >> (8 * k + 7) & 1 == 1;
                assert_eq!(letter, b.is_ascii_alphabetic(), "{chunk:?}");
            }
            assert_eq!(block.capital, chunk[0].is_ascii_uppercase(), "{chunk:?}");
        }
        let short = line_block(b"Short line", 6);
        assert_eq!(
            (short.run_len(), short.lower as u32),
            (4, u32::from_le_bytes(*b"line"))
        );
    }
}
