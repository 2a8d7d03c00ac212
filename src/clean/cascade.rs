//! The cleaner's fallback order, in one place, and [`Extraction`]: which
//! step of it produced an article's text.
//!
//! 1. **scored**: strict pruning, then the best-scoring body container with
//!    its sibling parts (`score`);
//! 2. **light pruning**: when that body is short against the page's visible
//!    prose, the same scoring again with pruning that no longer trusts
//!    class/id words (`widget`, `next`, `header` name wrappers on builder
//!    and app pages), kept if it finds clearly more text (Readability's
//!    retry with weaker flags);
//! 3. **prose region**: when both are still short, every prose block of the
//!    lightly pruned page, in order (trafilatura's baseline);
//! 4. **all text**: the page's visible text, only if everything above came
//!    back empty, so a page with text never yields "no article text found";
//! 5. **json-ld**: the page's JSON-LD `articleBody`, when the DOM gave much
//!    less (a page rendered by JavaScript).
//!
//! Nothing is kept between pages.

use serde::Serialize;

use super::blocks;
use super::dom::{Dom, NodeId, Tag};
use super::score::{self, Analysis, Pruning};
use super::Selector;

/// The step of the cascade that produced an article's text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Extraction {
    /// The best-scoring body container (and its sibling parts).
    #[default]
    Scored,
    /// The scoring again over lighter pruning: the strict body was short.
    LightPruning,
    /// Every prose block of the page: no container held enough of it.
    ProseRegion,
    /// All visible text: nothing above found any.
    AllText,
    /// The page's JSON-LD `articleBody`: the DOM held much less text.
    LinkedData,
}

impl Extraction {
    /// Returns the step's short name, as printed in evaluations and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Extraction::Scored => "scored",
            Extraction::LightPruning => "light-pruning",
            Extraction::ProseRegion => "prose-region",
            Extraction::AllText => "all-text",
            Extraction::LinkedData => "json-ld",
        }
    }

    /// Returns true if and only if the text came from a fallback step rather
    /// than the scored body.
    pub fn is_fallback(self) -> bool {
        !matches!(self, Extraction::Scored)
    }
}

impl std::fmt::Display for Extraction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What the cascade settled on.
pub(crate) struct Outcome {
    pub text: String,
    pub extraction: Extraction,
    /// The analysis the text was read from (for `--explain`).
    pub analysis: Analysis,
}

/// The strict body is accepted when it holds at least this share of the
/// page's prose (bytes of prose runs under light pruning).
const ENOUGH: f32 = 0.5;
/// Below this share of the page's prose, the body gives way to the prose region.
const REGION_SHARE: f32 = 0.2;
/// A body under this many bytes gives way to the region below [`ENOUGH`].
const REGION_SMALL_BODY: f32 = 1000.0;
/// A later step replaces an earlier one only with this much more text.
const CLEARLY_MORE: f32 = 1.5;

/// Runs the cascade over a parsed page. `body` is an outlet's body selector:
/// when it matches, its elements are the body and no fallback is tried.
pub(crate) fn extract(
    dom: &Dom,
    forced_drop: &[NodeId],
    body: Option<&Selector>,
    title: Option<&str>,
) -> Outcome {
    let mut strict = score::analyse(dom, forced_drop, Pruning::Strict);
    if let Some(sel) = body {
        let chosen: Vec<_> = sel
            .select(dom)
            .into_iter()
            .filter(|&n| !strict.removed[n as usize])
            .collect();
        if !chosen.is_empty() {
            strict.body = outermost(dom, chosen);
            return Outcome {
                text: text_of(dom, &strict, title),
                extraction: Extraction::Scored,
                analysis: strict,
            };
        }
    }
    let text = text_of(dom, &strict, title);
    let light = score::analyse(dom, forced_drop, Pruning::Light);
    let page_prose = light.prose[0] as f32;
    let mut best = Outcome {
        text,
        extraction: Extraction::Scored,
        analysis: strict,
    };
    if size(&best.text) >= page_prose * ENOUGH && !best.text.is_empty() {
        return best;
    }
    let light_text = text_of(dom, &light, title);
    if std::env::var_os("WIRECOPY_CASCADE").is_some() {
        let region = {
            let root = [root_of(dom)];
            blocks::to_text(
                blocks::collect(dom, &root, &light.removed, &light.stats),
                title,
            )
        };
        eprintln!(
            "CASCADE\t{}",
            serde_json::json!([best.text, light_text, region, page_prose])
        );
    }
    let light_better = size(&light_text) > size(&best.text) * CLEARLY_MORE;
    let region = {
        let root = [root_of(dom)];
        blocks::to_text(
            blocks::collect(dom, &root, &light.removed, &light.stats),
            title,
        )
    };
    if light_better {
        best = Outcome {
            text: light_text,
            extraction: Extraction::LightPruning,
            analysis: light,
        };
        if wants_region(&best.text, page_prose, &region) {
            best.text = region;
            best.extraction = Extraction::ProseRegion;
        }
    } else if wants_region(&best.text, page_prose, &region) {
        best.text = region;
        best.extraction = Extraction::ProseRegion;
        best.analysis = light;
    }
    if best.text.is_empty() {
        best.text = all_text(dom);
        best.extraction = Extraction::AllText;
    }
    best
}

/// Returns true if and only if the page's prose region should replace
/// `body`: the body holds a small share of the page's prose (or a minority
/// and little text in all), and the region clearly more. Measured on AEB and
/// WCXB dev: a larger share also replaces good article bodies with their
/// teaser lists.
fn wants_region(body: &str, page_prose: f32, region: &str) -> bool {
    let have = size(body);
    let short = have < page_prose * REGION_SHARE
        || (have < page_prose * ENOUGH && have < REGION_SMALL_BODY);
    short && size(region) > have * CLEARLY_MORE
}

/// The body of an analysis as article text.
fn text_of(dom: &Dom, a: &Analysis, title: Option<&str>) -> String {
    blocks::to_text(blocks::collect(dom, &a.body, &a.removed, &a.stats), title)
}

/// Non-whitespace bytes of a text, as a float for ratios.
fn size(text: &str) -> f32 {
    text.bytes().filter(|b| !b.is_ascii_whitespace()).count() as f32
}

/// The `<body>`, or the root when the page has none.
fn root_of(dom: &Dom) -> NodeId {
    (0..dom.nodes.len() as NodeId)
        .find(|&i| dom.tag(i) == Tag::Body)
        .unwrap_or(0)
}

/// Every visible block of text, unfiltered, outside `<head>`.
fn all_text(dom: &Dom) -> String {
    let removed: Vec<bool> = (0..dom.nodes.len())
        .map(|i| matches!(dom.nodes[i].tag, Tag::Head | Tag::Title))
        .collect();
    let st = score::stats(dom, &removed);
    let blocks = blocks::collect(dom, &[root_of(dom)], &removed, &st);
    blocks
        .into_iter()
        .map(|b| b.text)
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Keeps only the outermost of the selected nodes.
pub(crate) fn outermost(dom: &Dom, nodes: Vec<NodeId>) -> Vec<NodeId> {
    let mut out: Vec<NodeId> = Vec::new();
    for n in nodes {
        if !out.iter().any(|&o| dom.is_within(n, o)) {
            out.push(n);
        }
    }
    out
}
