//! [`Cleaner::explain`]: why the cleaner kept or dropped a piece of a page;
//! [`Cleaner::date_trace`]: why it chose the publication date it did.

use super::{cascade, charset, date, dom, jsonld, parse, Cleaner, DateTrace, Selector};

/// What [`Cleaner::explain`] found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Explanation {
    /// Lines for a person: the cascade step, then the chain of elements.
    pub lines: Vec<String>,
    /// False if the text asked about is nowhere in the page.
    pub found: bool,
}

impl Cleaner {
    /// Returns every date the page states and the rule that chose the
    /// publication date among them (the date [`Cleaner::clean`] would give
    /// the article, whether or not the page has body text). Meant for
    /// evaluation tools and for people asking why a page got its date.
    pub fn date_trace(&self, bytes: &[u8], url: Option<&str>) -> DateTrace {
        let (html, _, _) = charset::decode(bytes, None);
        let dom = parse::parse(&html);
        let ld = jsonld::read(&dom.json_ld);
        date::trace(&dom, &ld, url)
    }

    /// Explains what the cleaner made of the element holding `needle`: the
    /// chain of elements from the page root down to the first text that
    /// contains it, each with its `id`/`class`, whether it was pruned as
    /// chrome and whether it is part of the chosen body. Meant for people
    /// writing `body_selector`/`drop_selectors` for an outlet. The first line
    /// names the step of the cascade that produced the text (the marks are
    /// those of the analysis that step used).
    pub fn explain(&self, bytes: &[u8], needle: &str) -> Explanation {
        let super::hand::Prepared {
            dom,
            forced_drop,
            title,
            ..
        } = self.prepare(bytes, None);
        let outcome = cascade::extract(
            &dom,
            &forced_drop,
            self.overrides.body.as_ref(),
            title.as_deref(),
            None,
        );
        let step = format!(
            "text produced by: {} ({} bytes)",
            outcome.extraction,
            outcome.text.len()
        );
        let analysis = outcome.analysis;
        let Some(hit) = (0..dom.nodes.len() as dom::NodeId)
            .find(|&i| dom.tag(i) == dom::Tag::Text && dom.text(i).contains(needle))
        else {
            return Explanation {
                lines: vec![step, format!("text {needle:?} not found in the page")],
                found: false,
            };
        };
        let mut chain = Vec::new();
        let mut at = dom.node(hit).parent;
        while at != dom::NONE && at != 0 {
            chain.push(at);
            at = dom.node(at).parent;
        }
        let lines = chain.iter().rev().map(|&id| {
            let in_body = analysis.body.iter().any(|&b| dom.is_within(id, b));
            let st = analysis.stats[id as usize];
            format!(
                "{:?} id={:?} class={:?} text={} links={} score={:.1}{}{}",
                dom.tag(id),
                dom.attr(id, "id").unwrap_or(""),
                dom.attr(id, "class").unwrap_or(""),
                st.text,
                st.link,
                analysis.scores[id as usize],
                if analysis.removed[id as usize] {
                    " [pruned]"
                } else {
                    ""
                },
                if analysis.body.contains(&id) {
                    " [body root]"
                } else if in_body {
                    " [body]"
                } else {
                    ""
                },
            )
        });
        Explanation {
            lines: std::iter::once(step).chain(lines).collect(),
            found: true,
        }
    }

    /// Returns true if and only if `selector` matches an element of the
    /// page: a `body_selector` that matches nothing leaves the body to the
    /// cleaner's own choice, which the person who wrote it should know.
    pub fn selector_matches(&self, bytes: &[u8], selector: &Selector) -> bool {
        let (html, _, _) = charset::decode(bytes, None);
        !selector.select(&parse::parse(&html)).is_empty()
    }
}
