//! A versioned binary form of a [`Sketch`], for storing it.
//!
//! Layout, little-endian throughout: the codec version byte
//! ([`CODEC_VERSION`]); the fingerprint (`version` u32, `sha256` 32 bytes,
//! `simhash` u64, `words` u32); then each list field in declaration order
//! (`minhash`, `lead_minhash`, `anchor_minhash`, `shingles`, `anchors`,
//! `numbers`, `skeleton`, `sequence`) as a u32 count followed by its items
//! (u32 or u16 each). Nothing is compressed: the items are hashes.
//!
//! The codec version describes the byte layout only. What the values mean
//! is [`super::FINGERPRINT_VERSION`], carried inside the fingerprint: a
//! sketch of another fingerprint version decodes fine and must still never
//! be compared (the store's `wirecopy reindex` replaces it). A change of
//! layout bumps [`CODEC_VERSION`] and keeps reading the old one.

use super::sketch::{Fingerprint, Sketch};

/// The layout version this build writes (and the only one it reads).
pub const CODEC_VERSION: u8 = 1;

/// Why bytes are not a sketch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CodecError {
    /// Written by another layout version.
    #[error("sketch codec version {0} is not one this wirecopy reads ({CODEC_VERSION}); run `wirecopy reindex`")]
    Version(u8),
    /// The bytes end inside a field.
    #[error("stored sketch is truncated; run `wirecopy reindex`")]
    Truncated,
    /// Bytes follow the last field.
    #[error("stored sketch has trailing bytes; run `wirecopy reindex`")]
    Trailing,
}

/// Appends the stored form of `s` to `out`.
pub fn encode_sketch(s: &Sketch, out: &mut Vec<u8>) {
    let lists32 = [&s.minhash, &s.lead_minhash, &s.anchor_minhash, &s.shingles];
    let n = 1
        + 48
        + lists32.iter().map(|l| 4 + 4 * l.len()).sum::<usize>()
        + 4
        + 2 * s.anchors.len()
        + 8
        + 4 * (s.numbers.len() + s.skeleton.len())
        + 4
        + 2 * s.sequence.len();
    out.reserve(n);
    out.push(CODEC_VERSION);
    let fp = &s.fingerprint;
    out.extend_from_slice(&fp.version.to_le_bytes());
    out.extend_from_slice(&fp.sha256);
    out.extend_from_slice(&fp.simhash.to_le_bytes());
    out.extend_from_slice(&fp.words.to_le_bytes());
    for list in lists32 {
        put32(out, list);
    }
    put16(out, &s.anchors);
    put32(out, &s.numbers);
    put32(out, &s.skeleton);
    put16(out, &s.sequence);
}

/// Reads a sketch written by [`encode_sketch`].
///
/// Errors if the layout version is unknown or the bytes are cut or too long.
pub fn decode_sketch(bytes: &[u8]) -> Result<Sketch, CodecError> {
    let mut r = Reader(bytes);
    let version = r.take(1)?[0];
    if version != CODEC_VERSION {
        return Err(CodecError::Version(version));
    }
    let fp_version = r.u32()?;
    let mut sha256 = [0u8; 32];
    sha256.copy_from_slice(r.take(32)?);
    let simhash = u64::from_le_bytes(r.array()?);
    let words = r.u32()?;
    let s = Sketch {
        fingerprint: Fingerprint {
            version: fp_version,
            sha256,
            simhash,
            words,
        },
        minhash: r.list32()?,
        lead_minhash: r.list32()?,
        anchor_minhash: r.list32()?,
        shingles: r.list32()?,
        anchors: r.list16()?,
        numbers: r.list32()?,
        skeleton: r.list32()?,
        sequence: r.list16()?,
    };
    if !r.0.is_empty() {
        return Err(CodecError::Trailing);
    }
    Ok(s)
}

fn put32(out: &mut Vec<u8>, items: &[u32]) {
    out.extend_from_slice(&(items.len() as u32).to_le_bytes());
    for v in items {
        out.extend_from_slice(&v.to_le_bytes());
    }
}

fn put16(out: &mut Vec<u8>, items: &[u16]) {
    out.extend_from_slice(&(items.len() as u32).to_le_bytes());
    for v in items {
        out.extend_from_slice(&v.to_le_bytes());
    }
}

/// The unread rest of the bytes.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], CodecError> {
        if self.0.len() < n {
            return Err(CodecError::Truncated);
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], CodecError> {
        let mut a = [0u8; N];
        a.copy_from_slice(self.take(N)?);
        Ok(a)
    }

    fn u32(&mut self) -> Result<u32, CodecError> {
        Ok(u32::from_le_bytes(self.array()?))
    }

    fn count(&mut self, width: usize) -> Result<usize, CodecError> {
        let n = self.u32()? as usize;
        // A count larger than the bytes left is a cut, not an allocation.
        if n.saturating_mul(width) > self.0.len() {
            return Err(CodecError::Truncated);
        }
        Ok(n)
    }

    fn list32(&mut self) -> Result<Vec<u32>, CodecError> {
        let n = self.count(4)?;
        let bytes = self.take(4 * n)?;
        Ok(bytes
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect())
    }

    fn list16(&mut self) -> Result<Vec<u16>, CodecError> {
        let n = self.count(2)?;
        let bytes = self.take(2 * n)?;
        Ok(bytes
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dedup::sketch::sketch;

    fn tiny() -> Sketch {
        let mut sha256 = [0u8; 32];
        sha256[0] = 0xab;
        sha256[31] = 0x01;
        Sketch {
            fingerprint: Fingerprint {
                version: 3,
                sha256,
                simhash: 0x0102_0304_0506_0708,
                words: 7,
            },
            minhash: vec![1, 0xffff_ffff],
            lead_minhash: vec![2],
            anchor_minhash: vec![],
            shingles: vec![0x0a0b_0c0d],
            anchors: vec![0x1234],
            numbers: vec![],
            skeleton: vec![5],
            sequence: vec![0x8001, 2],
        }
    }

    #[test]
    fn golden_bytes() {
        // Pinned: a change here is a layout change; bump CODEC_VERSION.
        let mut out = Vec::new();
        encode_sketch(&tiny(), &mut out);
        let hex: String = out.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(
            hex,
            concat!(
                "01",
                "03000000",
                "ab",
                "000000000000000000000000000000000000000000000000000000000000",
                "01",
                "0807060504030201",
                "07000000",
                "0200000001000000ffffffff",
                "0100000002000000",
                "00000000",
                "010000000d0c0b0a",
                "010000003412",
                "00000000",
                "0100000005000000",
                "0200000001800200",
            )
        );
        assert_eq!(decode_sketch(&out), Ok(tiny()));
    }

    #[test]
    fn real_sketches_round_trip_and_bad_bytes_are_refused() {
        let s = sketch(
            "MOSCOW, May 3. /TASS/. Talks resumed on Friday after a pause of two years, \
             officials in Geneva said, and both delegations called them useful.",
        );
        let mut out = Vec::new();
        encode_sketch(&s, &mut out);
        assert_eq!(decode_sketch(&out).as_ref(), Ok(&s));
        assert_eq!(
            decode_sketch(&out[..out.len() - 1]),
            Err(CodecError::Truncated)
        );
        let mut longer = out.clone();
        longer.push(0);
        assert_eq!(decode_sketch(&longer), Err(CodecError::Trailing));
        out[0] = 9;
        assert_eq!(decode_sketch(&out), Err(CodecError::Version(9)));
        // A huge count in cut bytes is refused before it allocates.
        assert_eq!(decode_sketch(&[1, 3, 0, 0, 0]), Err(CodecError::Truncated));
    }
}
