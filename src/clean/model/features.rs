//! The features of one block of text, as the block model reads them: the
//! block's own text (length, link density, punctuation, casing), its kind,
//! its tag path ([`super::path`]), its place on the page, its neighbours,
//! what the hand rules made of it, and what the page says it is.
//!
//! The trainer (`examples/train_blocks`) reads the same numbers through
//! [`crate::clean::Cleaner::block_samples`], so training and inference
//! cannot drift: the names in [`FEATURE_NAMES`] are written into the model
//! file and checked when it is loaded. No state.

use std::collections::{HashMap, HashSet};

use xxhash_rust::xxh3::xxh3_64;

use super::super::blocks::{key, Block, BlockKind};
use super::super::chrome;
use super::super::dom::{Dom, Tag};
use super::super::Extraction;
use super::path::Path;

/// The names of the features, in the order of a feature vector.
pub const FEATURE_NAMES: &[&str] = &[
    "hand_kept",
    "hand_share",
    "log_words",
    "log_chars",
    "link_density",
    "heading",
    "list_item",
    "quote",
    "punct_share",
    "sentence_end",
    "commas_per_word",
    "digit_share",
    "capital_share",
    "mean_word_len",
    "chrome_line",
    "is_title",
    "repeats",
    "seen_before",
    "rel_index",
    "rel_offset",
    "depth",
    "positive",
    "negative",
    "hard_negative",
    "positive_up",
    "negative_up",
    "comments",
    "hidden",
    "article",
    "chrome_tag",
    "header",
    "form",
    "list",
    "cell",
    "in_link",
    "strict_removed",
    "light_removed",
    "strict_body",
    "score_rel",
    "owner",
    "prev_hand_kept",
    "next_hand_kept",
    "prev_link_density",
    "next_link_density",
    "prev_log_words",
    "next_log_words",
    "window_hand_kept",
    "window_link_density",
    "page_article",
    "page_thread",
    "page_log_words",
    "hand_page_share",
    "step",
];

/// The index of `hand_kept`: 1 when the block is a paragraph of the hand
/// rules' text, else 0.
pub(crate) const HAND_KEPT: usize = 0;

/// How many features a block has.
pub const FEATURE_COUNT: usize = FEATURE_NAMES.len();

/// What the page as a whole says, for the page-level features.
pub(crate) struct PageFacts<'a> {
    /// The page declares an article (`profile::Profile::Article`).
    pub article: bool,
    /// The page is a discussion thread.
    pub thread: bool,
    /// The cascade step the hand rules took.
    pub step: Extraction,
    /// The page's title, if known.
    pub title: Option<&'a str>,
    /// The text the hand rules produced.
    pub hand_text: &'a str,
}

/// Per-block numbers that the neighbour features read.
struct Own {
    words: f32,
    kept: bool,
    hand_share: f32,
    link_density: f32,
}

/// Calls `f` with a hash of each lowercase word (a run of letters and
/// digits) of `text`.
pub(crate) fn for_each_word(text: &str, buf: &mut String, mut f: impl FnMut(u64)) {
    buf.clear();
    for c in text.chars() {
        if c.is_alphanumeric() {
            buf.extend(c.to_lowercase());
        } else if !buf.is_empty() {
            f(xxh3_64(buf.as_bytes()));
            buf.clear();
        }
    }
    if !buf.is_empty() {
        f(xxh3_64(buf.as_bytes()));
        buf.clear();
    }
}

/// Computes the feature vector of every block.
pub(crate) fn features(
    dom: &Dom,
    blocks: &[Block],
    paths: &[Path],
    facts: &PageFacts<'_>,
) -> Vec<[f32; FEATURE_COUNT]> {
    let mut buf = String::new();
    let paragraphs: HashSet<u64> = facts
        .hand_text
        .split("\n\n")
        .map(|p| xxh3_64(p.trim().as_bytes()))
        .collect();
    let mut pairs: HashSet<u64> = HashSet::new();
    let mut hand_words = 0usize;
    let mut last = 0u64;
    for_each_word(facts.hand_text, &mut buf, |h| {
        pairs.insert(last.rotate_left(17) ^ h);
        last = h;
        hand_words += 1;
    });
    let own: Vec<Own> = blocks
        .iter()
        .map(|b| {
            let (mut words, mut found) = (0usize, 0usize);
            let mut last = 0u64;
            let mut hits: Vec<bool> = Vec::new();
            for_each_word(&b.text, &mut buf, |h| {
                if words > 0 {
                    hits.push(pairs.contains(&(last.rotate_left(17) ^ h)));
                }
                last = h;
                words += 1;
            });
            for i in 0..words {
                let left = i > 0 && hits[i - 1];
                let right = i < hits.len() && hits[i];
                found += usize::from(left || right);
            }
            let hand_share = if words < 2 {
                0.0
            } else {
                found as f32 / words as f32
            };
            Own {
                words: words as f32,
                kept: paragraphs.contains(&xxh3_64(b.text.as_bytes())),
                hand_share,
                link_density: b.link_density(),
            }
        })
        .collect();
    let page_words: f32 = own.iter().map(|o| o.words).sum::<f32>().max(1.0);
    let page_chars: f32 = blocks
        .iter()
        .map(|b| b.text.len() as f32)
        .sum::<f32>()
        .max(1.0);
    let max_score = paths.iter().map(|p| p.score).fold(0f32, f32::max).max(1.0);
    let title_key = facts.title.map(key).filter(|k| !k.is_empty());
    let mut counts: HashMap<&str, u32> = HashMap::new();
    for b in blocks {
        *counts.entry(b.text.as_str()).or_insert(0) += 1;
    }
    let mut seen: HashSet<&str> = HashSet::new();
    let n = blocks.len();
    let mut offset = 0f32;
    let mut out = Vec::with_capacity(n);
    for (i, b) in blocks.iter().enumerate() {
        let o = &own[i];
        let path = paths[b.node as usize];
        let text = TextShape::of(&b.text);
        let at =
            |j: Option<usize>, f: &dyn Fn(&Own) -> f32| j.and_then(|j| own.get(j)).map_or(-1.0, f);
        let (prev, next) = (i.checked_sub(1), Some(i + 1));
        let (mut wh, mut wl, mut ww) = (0f32, 0f32, 0f32);
        for near in &own[i.saturating_sub(3)..(i + 4).min(n)] {
            let w = near.words.max(1.0);
            wh += flag(near.kept) * w;
            wl += near.link_density * w;
            ww += w;
        }
        let v = [
            flag(o.kept),
            o.hand_share,
            o.words.ln_1p(),
            (b.text.len() as f32).ln_1p(),
            o.link_density,
            match b.kind {
                BlockKind::Heading(l) => f32::from(l),
                _ => 0.0,
            },
            flag(b.kind == BlockKind::ListItem),
            flag(b.kind == BlockKind::Quote),
            text.punct,
            flag(text.sentence_end),
            text.commas / o.words.max(1.0),
            text.digits,
            text.capitals,
            text.mean_word_len,
            flag(chrome::is_chrome_line(&b.text)),
            flag(title_key.as_deref() == Some(key(&b.text).as_str())),
            (counts.get(b.text.as_str()).copied().unwrap_or(1) - 1).min(5) as f32,
            flag(!seen.insert(b.text.as_str())),
            i as f32 / n.max(1) as f32,
            offset / page_chars,
            f32::from(path.depth.min(60)),
            f32::from(path.positive),
            f32::from(path.negative),
            f32::from(path.hard_negative),
            f32::from(path.positive_up.min(20)),
            f32::from(path.negative_up.min(20)),
            flag(path.comments),
            flag(path.hidden),
            flag(path.article),
            flag(path.chrome_tag),
            flag(path.header),
            flag(path.form),
            flag(path.list),
            flag(path.cell),
            flag(path.link),
            flag(path.strict_removed),
            flag(path.light_removed),
            flag(path.strict_body),
            path.score / max_score,
            owner(dom, b),
            at(prev, &|o| flag(o.kept)),
            at(next, &|o| flag(o.kept)),
            at(prev, &|o| o.link_density),
            at(next, &|o| o.link_density),
            at(prev, &|o| o.words.ln_1p()),
            at(next, &|o| o.words.ln_1p()),
            wh / ww,
            wl / ww,
            flag(facts.article),
            flag(facts.thread),
            page_words.ln_1p(),
            hand_words as f32 / page_words,
            step_code(facts.step),
        ];
        offset += b.text.len() as f32;
        out.push(v);
    }
    out
}

fn flag(b: bool) -> f32 {
    if b {
        1.0
    } else {
        0.0
    }
}

/// The element that holds the block's first text, as a small code:
/// 1 `p`, 2 `div`/`section`, 3 inline, 4 `a`, 5 list item, 6 table cell,
/// 7 heading, 8 `pre`/`code`, 0 anything else.
fn owner(dom: &Dom, b: &Block) -> f32 {
    let parent = dom.node(b.node).parent;
    if parent == super::super::dom::NONE {
        return 0.0;
    }
    match dom.tag(parent) {
        Tag::P => 1.0,
        Tag::Div | Tag::Section | Tag::Article | Tag::Main => 2.0,
        Tag::Span | Tag::Em | Tag::Strong | Tag::B | Tag::I | Tag::Small | Tag::Font => 3.0,
        Tag::A => 4.0,
        Tag::Li | Tag::Dd | Tag::Dt => 5.0,
        Tag::Td | Tag::Th => 6.0,
        t if t.is_heading() => 7.0,
        Tag::Pre | Tag::Code => 8.0,
        _ => 0.0,
    }
}

/// The cascade step as a code, in the cascade's order.
fn step_code(step: Extraction) -> f32 {
    match step {
        Extraction::Scored => 0.0,
        Extraction::LightPruning => 1.0,
        Extraction::ProseRegion => 2.0,
        Extraction::Thread => 3.0,
        Extraction::Listing => 4.0,
        _ => 5.0,
    }
}

/// The shape of a block's text, by character classes.
struct TextShape {
    punct: f32,
    sentence_end: bool,
    commas: f32,
    digits: f32,
    capitals: f32,
    mean_word_len: f32,
}

impl TextShape {
    fn of(text: &str) -> TextShape {
        let (mut chars, mut punct, mut digits, mut commas) = (0usize, 0usize, 0usize, 0usize);
        let (mut words, mut capitals, mut letters) = (0usize, 0usize, 0usize);
        let mut in_word = false;
        for c in text.chars() {
            if c.is_whitespace() {
                in_word = false;
                continue;
            }
            chars += 1;
            if c.is_alphanumeric() {
                if !in_word {
                    words += 1;
                    capitals += usize::from(c.is_uppercase());
                }
                in_word = true;
                letters += 1;
                digits += usize::from(c.is_numeric());
            } else {
                punct += 1;
                commas += usize::from(matches!(c, ',' | '，' | '、'));
            }
        }
        let chars = chars.max(1) as f32;
        TextShape {
            punct: punct as f32 / chars,
            sentence_end: text.trim_end().ends_with([
                '.', '!', '?', '"', '»', '”', ':', '。', '！', '？', '」', ')',
            ]),
            commas: commas as f32,
            digits: digits as f32 / chars,
            capitals: capitals as f32 / words.max(1) as f32,
            mean_word_len: letters as f32 / words.max(1) as f32,
        }
    }
}
