//! What an index keeps of a core's sketch, owned: [`CoreFeatures`], and a
//! core as a store hands it back: [`StoredCore`].
//!
//! A core is the document a new text is compared with (see
//! [`super::index`]). The index does not keep its whole [`Sketch`]: a
//! text of more than [`FULL_SHINGLES`] shingles keeps the MOD-[`SAMPLE_MOD`]
//! sample of its shingles and the MOD-[`SKELETON_SAMPLE_MOD`] sample of its
//! skeleton, and every core keeps its word sequence up to
//! [`MAX_SEQUENCE`] words; the main and anchor signatures only serve the
//! band keys, which are filed apart. [`CoreFeatures::of`] makes exactly the
//! reduction the in-memory index makes in its arenas, so a core read back
//! from a store compares as it would have in memory.
//!
//! The reduced features are a [`Sketch`] with those fields cut, so they are
//! stored with the sketch codec ([`super::codec`]) plus one flag byte.

use super::canonical::DocMeta;
use super::codec::{decode_sketch, encode_sketch, CodecError};
use super::compare::{sampled, FULL_SHINGLES, SAMPLE_MOD, SKELETON_SAMPLE_MOD};
use super::index::partial::MAX_SEQUENCE;
use super::sketch::Sketch;

/// The features a core is compared on. See the module docs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CoreFeatures {
    /// The reduced sketch: `minhash` and `anchor_minhash` empty; shingles
    /// and skeleton sampled unless `full`; the sequence cut.
    pub sketch: Sketch,
    /// True if and only if `sketch.shingles` holds every shingle.
    pub full: bool,
}

impl CoreFeatures {
    /// Returns the features the index keeps of a core with this sketch.
    pub fn of(s: &Sketch) -> CoreFeatures {
        let full = s.shingles.len() <= FULL_SHINGLES;
        let keep = |ids: &[u32], modulus: u32| -> Vec<u32> {
            if full {
                ids.to_vec()
            } else {
                ids.iter()
                    .copied()
                    .filter(|&id| sampled(id, modulus))
                    .collect()
            }
        };
        CoreFeatures {
            sketch: Sketch {
                fingerprint: s.fingerprint.clone(),
                minhash: Vec::new(),
                lead_minhash: s.lead_minhash.clone(),
                anchor_minhash: Vec::new(),
                shingles: keep(&s.shingles, SAMPLE_MOD),
                anchors: s.anchors.clone(),
                numbers: s.numbers.clone(),
                skeleton: keep(&s.skeleton, SKELETON_SAMPLE_MOD),
                sequence: s.sequence[..s.sequence.len().min(MAX_SEQUENCE)].to_vec(),
            },
            full,
        }
    }

    /// Returns the stored form: one flag byte (1 for full), then the
    /// sketch codec's bytes.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = vec![u8::from(self.full)];
        encode_sketch(&self.sketch, &mut out);
        out
    }

    /// Reads what [`CoreFeatures::encode`] wrote.
    ///
    /// Errors if the bytes are not a core of a codec version this build reads.
    pub fn decode(bytes: &[u8]) -> Result<CoreFeatures, CodecError> {
        let (&flag, rest) = bytes.split_first().ok_or(CodecError::Truncated)?;
        Ok(CoreFeatures {
            full: flag == 1,
            sketch: decode_sketch(rest)?,
        })
    }
}

/// A core as a store hands it back to be compared with.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredCore {
    /// Its features.
    pub features: CoreFeatures,
    /// True if and only if it is a secondary core.
    pub secondary: bool,
    /// What the canonical policy knew about it when it was filed.
    pub meta: DocMeta,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dedup::sketch::sketch;

    #[test]
    fn long_texts_keep_a_sample_and_round_trip() {
        let short = sketch("A short text about the harbour and its pier, closed on Monday.");
        let f = CoreFeatures::of(&short);
        assert!(f.full);
        assert_eq!(f.sketch.shingles, short.shingles);
        let long_text = (0..400)
            .map(|i| format!("word{i}"))
            .collect::<Vec<_>>()
            .join(" ");
        let long = sketch(&long_text);
        let f = CoreFeatures::of(&long);
        assert!(!f.full);
        assert!(f.sketch.shingles.iter().all(|&id| sampled(id, SAMPLE_MOD)));
        assert!(f.sketch.shingles.len() < long.shingles.len() / 4);
        assert!(f.sketch.minhash.is_empty());
        assert_eq!(CoreFeatures::decode(&f.encode()), Ok(f));
        assert_eq!(CoreFeatures::decode(&[]), Err(CodecError::Truncated));
    }
}
