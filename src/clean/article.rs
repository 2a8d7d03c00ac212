//! The [`Article`]: what the clean stage hands to every later stage.

use serde::Serialize;

use super::Extraction;

/// One news article as read from a page: its body text and metadata.
///
/// Every field but `text` may be missing: a page need not say who wrote it
/// or when. `text` holds the body as paragraphs (subheadings, list items and
/// block quotes each count as a paragraph) joined by a blank line (`\n\n`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Article {
    /// The headline, without a trailing " | Site name" suffix.
    pub title: Option<String>,
    /// Who wrote it, as the page credits them ("By Jane Roe" → "Jane Roe").
    pub byline: Option<String>,
    /// When it was published, as RFC 3339 (`2022-02-14T10:30:00+03:00`).
    pub published: Option<String>,
    /// An agency dateline that opened the body, e.g. `SOCHI, February 7. /TASS/.`.
    pub dateline: Option<String>,
    /// The news agency the copy is credited to (TASS, Sputnik, Reuters …).
    pub agency: Option<String>,
    /// The page language as a lowercase BCP 47 primary tag (`en`, `ru`).
    pub lang: Option<String>,
    /// The page's own idea of its address (`link rel=canonical`, `og:url`).
    pub canonical_url: Option<String>,
    /// The body: paragraphs joined by `\n\n`, no site chrome.
    pub text: String,
    /// Which step of the cleaner's cascade produced `text`.
    #[serde(skip)]
    pub extraction: Extraction,
}

impl Article {
    /// Returns the body paragraphs in order.
    pub fn paragraphs(&self) -> impl Iterator<Item = &str> {
        self.text.split("\n\n").filter(|p| !p.is_empty())
    }
}
