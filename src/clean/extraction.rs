//! [`Extraction`]: which step of the cleaner's cascade (`cascade.rs`)
//! produced an article's text, as recorded on every [`super::Article`].

use serde::Serialize;

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
    /// A discussion thread (schema.org `DiscussionForumPosting`, `QAPage`,
    /// or a thread's address): scored with the replies kept as content.
    Thread,
    /// Every block of the lightly pruned page, link text included: the page
    /// is a list of links or cards, with little prose.
    Listing,
    /// All visible text: nothing above found any.
    AllText,
    /// The page's meta description: it shows no text at all.
    Description,
    /// The page's `<noscript>` markup, cleaned as a page of its own: the
    /// script-free version held clearly more prose.
    Noscript,
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
            Extraction::Thread => "thread",
            Extraction::Listing => "listing",
            Extraction::AllText => "all-text",
            Extraction::Description => "description",
            Extraction::Noscript => "noscript",
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
