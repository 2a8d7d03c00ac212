//! The learned block decision: every block of the page, described by its
//! features (`features.rs`, `path.rs`), is kept or dropped by a small model
//! of boosted trees (`trees.rs`), with the hand rules' choice as one of the
//! features and as the answer where the model is unsure.
//!
//! The idea is Dragnet's and boilerpipe's (a classifier over block
//! features) on top of Readability-style scoring: the cascade
//! (`cascade.rs`) runs first, its text marks which blocks the hand rules
//! kept (`hand_kept`), and the model then sees every block of the page
//! outside chrome tags, pruned by class/id words or not, so it can both
//! drop chrome the rules let through and take back content they pruned. It
//! applies only on a page that declares no article, when the cascade's text
//! came from the page's own blocks (not all text, `<noscript>`, JSON-LD or
//! the meta description), and when no outlet body selector is set.
//!
//! The trainer, `examples/train_blocks`, reads the features through
//! [`crate::clean::Cleaner::block_samples`] and writes the model file;
//! `docs/cleaning.md` has the figures. No state is kept between pages.

mod features;
mod path;
mod trees;

pub use features::{FEATURE_COUNT, FEATURE_NAMES};
pub use trees::{BlockModel, ModelError};

use super::blocks::{self, Block};
use super::dom::{Dom, NodeId, Tag};
use super::profile::{is_thread, Profile};
use super::score::{self, Pruning};
use super::{chrome, Extraction};
use features::PageFacts;
use trees::Verdict;

/// One block of a page with its features, for training the model.
#[derive(Clone, Debug)]
pub struct BlockSample {
    /// The block's text, whitespace collapsed.
    pub text: String,
    /// The block's features, in the order of [`FEATURE_NAMES`].
    pub features: [f32; FEATURE_COUNT],
}

/// Returns true if and only if the model may decide the page: it does not
/// declare an article (on AEB and WCXB's articles the hand rules did better
/// out of fold than any model, see `docs/cleaning.md`), and its hand text
/// came from the page's blocks outside chrome tags (not the all-text step).
pub(crate) fn applies(dom: &Dom, step: Extraction) -> bool {
    Profile::of(dom) == Profile::Page
        && matches!(
            step,
            Extraction::Scored
                | Extraction::LightPruning
                | Extraction::ProseRegion
                | Extraction::Thread
                | Extraction::Listing
        )
}

/// What the model needs to know about a page besides its tree.
pub(crate) struct Hand<'a> {
    pub text: &'a str,
    pub step: Extraction,
    pub title: Option<&'a str>,
    pub url: Option<&'a str>,
}

/// Every block of the page outside `<head>` and the outlet's dropped
/// elements, with its features.
pub(crate) fn samples(dom: &Dom, forced_drop: &[NodeId], hand: &Hand<'_>) -> Vec<BlockSample> {
    let strict = score::analyse(dom, forced_drop, Pruning::Strict);
    let light = score::analyse(dom, forced_drop, Pruning::Light);
    // Elements that every pruning removes by their tag, and hidden ones
    // that light pruning removes, go here too, so that a block keeps the
    // text it has in the hand rules' output (a card without its button
    // label). The all-text step, which keeps them, is left to the hand rules.
    let paths = path::paths(dom, &strict, &light);
    let mut removed: Vec<bool> = (0..dom.nodes.len())
        .map(|i| {
            let tag = dom.nodes[i].tag;
            matches!(tag, Tag::Head | Tag::Title)
                || (tag != Tag::Text
                    && (paths[i].chrome_tag || (paths[i].hidden && light.removed[i])))
        })
        .collect();
    for &id in forced_drop {
        removed[id as usize] = true;
    }
    let st = score::stats(dom, &removed);
    let root = (0..dom.nodes.len() as NodeId)
        .find(|&i| dom.tag(i) == Tag::Body)
        .unwrap_or(0);
    let mut all: Vec<Block> = blocks::collect(dom, &[root], &removed, &st);
    for b in &mut all {
        chrome::strip_placeholders(&mut b.text);
        let trimmed = b.text.trim();
        if trimmed.len() != b.text.len() {
            b.text = trimmed.to_string();
        }
    }
    all.retain(|b| !b.text.is_empty());
    let facts = PageFacts {
        article: Profile::of(dom) == Profile::Article,
        thread: is_thread(dom, hand.url),
        step: hand.step,
        title: hand.title,
        hand_text: hand.text,
    };
    let features = features::features(dom, &all, &paths, &facts);
    all.into_iter()
        .zip(features)
        .map(|(b, features)| BlockSample {
            text: b.text,
            features,
        })
        .collect()
}

/// The page's text as the model decides it: the kept blocks in page order,
/// joined by blank lines. After a fallback step of the cascade a block that
/// repeats an earlier one word for word is left out, as the cascade does.
pub(crate) fn decide(model: &BlockModel, samples: &[BlockSample], step: Extraction) -> String {
    let mut out = String::new();
    let mut seen = std::collections::HashSet::new();
    for s in samples {
        if step.is_fallback() && !seen.insert(s.text.as_str()) {
            continue;
        }
        let keep = match model.verdict(&s.features) {
            Verdict::Keep => true,
            Verdict::Drop => false,
            Verdict::Unsure => s.features[features::HAND_KEPT] >= 0.5,
        };
        if keep {
            if !out.is_empty() {
                out.push_str("\n\n");
            }
            out.push_str(&s.text);
        }
    }
    out
}
