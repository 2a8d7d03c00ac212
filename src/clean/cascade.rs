//! [`Extraction`]: which step of the cleaner's fallback order produced an
//! article's text.
//!
//! The order is: the scored body container, then JSON-LD `articleBody` when
//! the page renders its text with JavaScript. Each article records its step
//! so that `--explain`, the warnings and the evaluation can say where the
//! text came from.

use serde::Serialize;

/// The step of the cascade that produced an article's text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Extraction {
    /// The best-scoring body container (and its sibling parts).
    #[default]
    Scored,
    /// The page's JSON-LD `articleBody`: the DOM held much less text.
    LinkedData,
}

impl Extraction {
    /// Returns the step's short name, as printed in evaluations and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Extraction::Scored => "scored",
            Extraction::LinkedData => "json-ld",
        }
    }
}

impl std::fmt::Display for Extraction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
