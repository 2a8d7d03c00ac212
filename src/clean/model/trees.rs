//! [`BlockModel`]: gradient-boosted decision trees over a block's features,
//! read from a small text file, and the probability that a block is content.
//!
//! The file is written by `examples/train_blocks` and read back here:
//!
//! ```text
//! # comments
//! wirecopy-block-model 1
//! features hand_kept hand_share …          (must equal FEATURE_NAMES)
//! depth 3
//! cut 0.35 0.65                           (unsure between these: the hand rules decide)
//! base -0.41
//! tree 0:0.5 3:0.31 … | 1.2 -0.8 …        (2^depth − 1 splits, then 2^depth leaves)
//! ```
//!
//! A tree is complete and stored breadth-first: at split `i` a block whose
//! feature `f` is at most the threshold goes to `2i + 1`, else to `2i + 2`.
//! The model's score is `base` plus one leaf per tree, a log-odds.

use super::features::{FEATURE_COUNT, FEATURE_NAMES};

/// A learned block decision: trees over [`FEATURE_NAMES`].
#[derive(Clone, Debug, PartialEq)]
pub struct BlockModel {
    depth: u32,
    base: f32,
    /// Below this probability a block is dropped.
    low: f32,
    /// At or above this probability a block is kept; between the two the
    /// hand rules decide.
    high: f32,
    /// Per tree: `(feature, threshold)` splits, breadth-first.
    splits: Vec<(u16, f32)>,
    /// Per tree: the leaf values.
    leaves: Vec<f32>,
}

/// Why a block model file could not be read.
#[derive(Debug, thiserror::Error)]
#[error("block model, line {line}: {what}; rebuild it with `cargo run --release --example train_blocks`")]
pub struct ModelError {
    line: usize,
    what: String,
}

fn err(line: usize, what: impl Into<String>) -> ModelError {
    ModelError {
        line,
        what: what.into(),
    }
}

/// How the model's probability for a block decides it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    Keep,
    Drop,
    Unsure,
}

/// The model shipped with the cleaner, written by `examples/train_blocks`
/// (`-- --write`) from AEB and the WCXB dev split.
const SHIPPED: &str = include_str!("blocks.model");

impl BlockModel {
    /// Returns the model shipped in `src/clean/model/blocks.model`. It is not
    /// set on [`crate::clean::Cleaner`] by default (`docs/cleaning.md` says
    /// why); `Cleaner::default().block_model(BlockModel::shipped().ok())`
    /// sets it.
    ///
    /// Errors only if the file no longer matches the cleaner's features (a
    /// test keeps it matching: retrain after changing them).
    pub fn shipped() -> Result<BlockModel, ModelError> {
        BlockModel::parse(SHIPPED)
    }

    /// Reads a model from the text written by the trainer.
    ///
    /// Errors name the line, when the header is missing, the feature names
    /// differ from [`FEATURE_NAMES`] (the model was trained on other
    /// features), or a tree is malformed.
    pub fn parse(text: &str) -> Result<BlockModel, ModelError> {
        let mut model = BlockModel {
            depth: 0,
            base: 0.0,
            low: 0.5,
            high: 0.5,
            splits: Vec::new(),
            leaves: Vec::new(),
        };
        let mut header = false;
        let mut features = false;
        for (i, line) in text.lines().enumerate() {
            let n = i + 1;
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (word, rest) = line.split_once(' ').unwrap_or((line, ""));
            match word {
                "wirecopy-block-model" => {
                    if rest.trim() != "1" {
                        return Err(err(n, format!("unknown version {rest:?}")));
                    }
                    header = true;
                }
                "features" => {
                    let names: Vec<&str> = rest.split_whitespace().collect();
                    if names != FEATURE_NAMES {
                        return Err(err(n, "its features are not the cleaner's"));
                    }
                    features = true;
                }
                "depth" => {
                    model.depth = number(n, rest)?;
                    if !(1..=8).contains(&model.depth) {
                        return Err(err(n, "depth must be 1 to 8"));
                    }
                }
                "cut" => {
                    let v: Vec<&str> = rest.split_whitespace().collect();
                    let [low, high] = v.as_slice() else {
                        return Err(err(n, "cut needs two probabilities"));
                    };
                    model.low = number(n, low)?;
                    model.high = number(n, high)?;
                }
                "base" => model.base = number(n, rest)?,
                "tree" => model.tree(n, rest)?,
                other => return Err(err(n, format!("unknown line {other:?}"))),
            }
        }
        if !header || !features || model.depth == 0 {
            return Err(err(0, "missing the header, features or depth line"));
        }
        Ok(model)
    }

    fn tree(&mut self, n: usize, rest: &str) -> Result<(), ModelError> {
        if self.depth == 0 {
            return Err(err(n, "a tree before the depth line"));
        }
        let (splits, leaves) = rest
            .split_once('|')
            .ok_or_else(|| err(n, "a tree needs `|` between splits and leaves"))?;
        let splits: Vec<&str> = splits.split_whitespace().collect();
        let leaves: Vec<&str> = leaves.split_whitespace().collect();
        let count = 1usize << self.depth;
        if splits.len() != count - 1 || leaves.len() != count {
            return Err(err(
                n,
                format!(
                    "a tree of depth {} needs {} splits and {count} leaves",
                    self.depth,
                    count - 1
                ),
            ));
        }
        for s in splits {
            let (f, t) = s
                .split_once(':')
                .ok_or_else(|| err(n, format!("split {s:?} is not FEATURE:THRESHOLD")))?;
            let f: u16 = number(n, f)?;
            if usize::from(f) >= FEATURE_COUNT {
                return Err(err(n, format!("feature {f} out of range")));
            }
            self.splits.push((f, number(n, t)?));
        }
        for l in leaves {
            self.leaves.push(number(n, l)?);
        }
        Ok(())
    }

    /// Returns the probability that a block with these features is content.
    pub fn probability(&self, x: &[f32; FEATURE_COUNT]) -> f32 {
        let inner = (1usize << self.depth) - 1;
        let mut sum = self.base;
        for (splits, leaves) in self
            .splits
            .chunks_exact(inner)
            .zip(self.leaves.chunks_exact(inner + 1))
        {
            let mut at = 0usize;
            while at < inner {
                let (f, t) = splits[at];
                at = 2 * at + 1 + usize::from(x[usize::from(f)] > t);
            }
            sum += leaves[at - inner];
        }
        1.0 / (1.0 + (-sum).exp())
    }

    /// Decides a block by its probability and the model's cut.
    pub(crate) fn verdict(&self, x: &[f32; FEATURE_COUNT]) -> Verdict {
        let p = self.probability(x);
        if p >= self.high {
            Verdict::Keep
        } else if p < self.low {
            Verdict::Drop
        } else {
            Verdict::Unsure
        }
    }
}

fn number<T: std::str::FromStr>(line: usize, s: &str) -> Result<T, ModelError> {
    s.trim()
        .parse()
        .map_err(|_| err(line, format!("{:?} is not a number", s.trim())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header() -> String {
        format!(
            "wirecopy-block-model 1\nfeatures {}\ndepth 1\ncut 0.4 0.6\nbase 0\n",
            FEATURE_NAMES.join(" ")
        )
    }

    #[test]
    fn a_stump_splits_on_its_feature() {
        // One stump on feature 3 (link density): ≤ 0.5 is content.
        let model =
            BlockModel::parse(&format!("{}tree 3:0.5 | 4 -4\n", header())).expect("a valid model");
        let mut x = [0f32; FEATURE_COUNT];
        x[3] = 0.1;
        assert!(model.probability(&x) > 0.9);
        assert_eq!(model.verdict(&x), Verdict::Keep);
        x[3] = 0.9;
        assert_eq!(model.verdict(&x), Verdict::Drop);
    }

    #[test]
    fn the_shipped_model_loads() {
        if let Err(error) = BlockModel::shipped() {
            panic!("{error}");
        }
    }

    #[test]
    fn refuses_other_features_and_bad_trees() {
        let other = "wirecopy-block-model 1\nfeatures a b\ndepth 1\n";
        assert!(BlockModel::parse(other).is_err());
        let short = format!("{}tree 3:0.5 | 4\n", header());
        let error = BlockModel::parse(&short).expect_err("one leaf is too few");
        assert!(error.to_string().contains("line 6"), "{error}");
        assert!(BlockModel::parse(&format!("{}tree 99:1 | 1 2\n", header())).is_err());
    }
}
