//! The cleaner's fallback order, in one place; each step is an
//! [`Extraction`] (`extraction.rs`), recorded on the article.
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
//! 4. **listing**: when that is still under about twenty words, every block
//!    of the lightly pruned page with link text included (a page of cards);
//!    then **all text**, the page's visible text, if that is still under
//!    twenty words, and the **description** (`<meta name=description>`) if the
//!    page shows no text at all, so a page with text never yields "no
//!    article text found";
//! 5. **thread**: on a discussion thread (schema.org markup or a thread's
//!    address), the scoring again with reply areas kept, when they add
//!    clearly more (comments are chrome on an article, content on a thread);
//! 6. **noscript**: when the result is short, the page's `<noscript>`
//!    markup (the page as served without JavaScript) through steps 1–4,
//!    kept if it gives clearly more;
//! 7. **json-ld**: the page's JSON-LD `articleBody`, when the DOM gave much
//!    less (a page rendered by JavaScript).
//!
//! Nothing is kept between pages.

use super::dom::{Dom, NodeId, Tag};
use super::profile::{is_thread, Profile};
use super::score::{self, Analysis, Pruning};
use super::Selector;
use super::{blocks, chrome, parse, Extraction};

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
/// On a page that declares no article, the strict body must hold this share.
const PAGE_ENOUGH: f32 = 0.8;
/// On a page that declares no article, below this share the region wins.
const PAGE_REGION_SHARE: f32 = 0.7;
/// Below this share of the page's prose, the body gives way to the prose region.
const REGION_SHARE: f32 = 0.2;
/// A body under this many bytes gives way to the region below [`ENOUGH`].
const REGION_SMALL_BODY: f32 = 1000.0;
/// About twenty words, in non-whitespace bytes: a shorter result tries the
/// listing step.
const FEW_WORDS: f32 = 120.0;
/// On a thread, the replies are kept when they add this much text.
const THREAD_MORE: f32 = 1.3;
/// A result under this many bytes tries the page's `<noscript>` markup.
const NOSCRIPT_SHORT: f32 = 2000.0;
/// A later step replaces an earlier one only with this much more text.
const CLEARLY_MORE: f32 = 1.5;

/// Runs the cascade over a parsed page. `body` is an outlet's body selector:
/// when it matches, its elements are the body and no fallback is tried.
pub(crate) fn extract(
    dom: &Dom,
    forced_drop: &[NodeId],
    body: Option<&Selector>,
    title: Option<&str>,
    url: Option<&str>,
) -> Outcome {
    let mut out = extract_any(dom, forced_drop, body, title, url);
    if out.extraction.is_fallback() {
        out.text = drop_repeats(&out.text);
    }
    out
}

/// Removes paragraphs that repeat an earlier one word for word: the wider
/// steps take in repeated widgets (a colour picker per variant, a notice
/// shown twice) that a body container rarely holds.
fn drop_repeats(text: &str) -> String {
    let mut seen = std::collections::HashSet::new();
    text.split("\n\n")
        .filter(|p| seen.insert(p.trim()))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// The cascade before the repeat filter.
fn extract_any(
    dom: &Dom,
    forced_drop: &[NodeId],
    body: Option<&Selector>,
    title: Option<&str>,
    url: Option<&str>,
) -> Outcome {
    let mut best = extract_dom(dom, forced_drop, body, title);
    if body.is_none() && is_thread(dom, url) {
        let thread = score::analyse(dom, forced_drop, Pruning::Thread);
        let text = text_of(dom, &thread, title);
        let weak = matches!(
            best.extraction,
            Extraction::Listing | Extraction::AllText | Extraction::Description
        );
        if size(&text) > size(&best.text) * THREAD_MORE || (weak && size(&text) >= FEW_WORDS) {
            best = Outcome {
                text,
                extraction: Extraction::Thread,
                analysis: thread,
            };
        }
    }
    if dom.noscript.is_empty() || size(&best.text) >= NOSCRIPT_SHORT {
        return best;
    }
    let inner = parse::parse(&dom.noscript.join("\n"));
    let alt = extract_dom(&inner, &[], None, title);
    if size(&alt.text) > size(&best.text) * CLEARLY_MORE {
        // The marks of `--explain` stay those of the page itself.
        return Outcome {
            text: alt.text,
            extraction: Extraction::Noscript,
            analysis: best.analysis,
        };
    }
    best
}

/// Steps 1–4 over one document.
fn extract_dom(
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
    let have = size(&text);
    let profile = Profile::of(dom);
    if have >= page_prose * enough(profile) && have >= FEW_WORDS {
        return Outcome {
            text,
            extraction: Extraction::Scored,
            analysis: strict,
        };
    }
    let (mut text, mut extraction, mut lighter) = (text, Extraction::Scored, false);
    let light_text = text_of(dom, &light, title);
    if size(&light_text) > size(&text) * CLEARLY_MORE {
        (text, extraction, lighter) = (light_text, Extraction::LightPruning, true);
    }
    let root = [root_of(dom)];
    let region = blocks::to_text(
        blocks::collect(dom, &root, &light.removed, &light.stats),
        title,
    );
    if wants_region(&text, page_prose, &region, profile) {
        (text, extraction, lighter) = (region, Extraction::ProseRegion, true);
    }
    if size(&text) < FEW_WORDS {
        let listing = listing_text(dom, &light.removed, &light.stats, title);
        if size(&listing) > size(&text) * CLEARLY_MORE {
            (text, extraction, lighter) = (listing, Extraction::Listing, true);
        }
    }
    if size(&text) < FEW_WORDS {
        let all = all_text(dom);
        if size(&all) > size(&text) * CLEARLY_MORE {
            (text, extraction) = (all, Extraction::AllText);
        }
    }
    if text.is_empty() {
        if let Some(d) = description(dom) {
            (text, extraction) = (d, Extraction::Description);
        }
    }
    Outcome {
        text,
        extraction,
        analysis: if lighter { light } else { strict },
    }
}

/// The share of the page's prose the strict body must hold to stand.
fn enough(profile: Profile) -> f32 {
    match profile {
        Profile::Article => ENOUGH,
        Profile::Page => PAGE_ENOUGH,
    }
}

/// Returns true if and only if the page's prose region should replace
/// `body`: the body holds a small share of the page's prose (or a minority
/// and little text in all), and the region clearly more. Measured on AEB and
/// WCXB dev: a larger share also replaces good article bodies with their
/// teaser lists.
fn wants_region(body: &str, page_prose: f32, region: &str, profile: Profile) -> bool {
    let have = size(body);
    let short = match profile {
        Profile::Article => {
            have < page_prose * REGION_SHARE
                || (have < page_prose * ENOUGH && have < REGION_SMALL_BODY)
        }
        Profile::Page => have < page_prose * PAGE_REGION_SHARE,
    };
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

/// Every block of the page outside pruned chrome, link text included, but
/// without chrome lines and the title.
fn listing_text(dom: &Dom, removed: &[bool], st: &[score::Stats], title: Option<&str>) -> String {
    let title_key = title.map(blocks::key);
    blocks::collect(dom, &[root_of(dom)], removed, st)
        .into_iter()
        .map(|b| b.text)
        .filter(|t| !chrome::is_chrome_line(t))
        .filter(|t| title_key.as_deref() != Some(blocks::key(t).as_str()))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// The `<meta name="description">` or `og:description` of the page.
fn description(dom: &Dom) -> Option<String> {
    (0..dom.nodes.len() as NodeId)
        .filter(|&i| dom.tag(i) == Tag::Meta)
        .find(|&i| {
            dom.attr(i, "name")
                .or_else(|| dom.attr(i, "property"))
                .is_some_and(|n| {
                    n.eq_ignore_ascii_case("description")
                        || n.eq_ignore_ascii_case("og:description")
                })
        })
        .and_then(|i| dom.attr(i, "content"))
        .map(|c| c.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|c| !c.is_empty())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_paragraphs_are_dropped() {
        assert_eq!(
            drop_repeats("Colour: black\n\nA shoe.\n\nColour: black"),
            "Colour: black\n\nA shoe."
        );
    }
}
