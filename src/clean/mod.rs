//! The clean stage: page bytes → [`Article`].
//!
//! Sync and free of I/O. [`Cleaner::clean`] runs these steps, one file each:
//!
//! 1. [`charset`]: bytes in any charset → text (BOM, header, `<meta>`, detection);
//! 2. `parse`: text → a light DOM, without scripts, styles or comments;
//! 3. `score`: prune chrome by markup (`prune`, `hints`), score text blocks,
//!    pick the body;
//!    `cascade` falls back to lighter pruning, the page's prose region,
//!    `<noscript>` markup or JSON-LD when that body is short ([`Extraction`]);
//! 4. `blocks`: the body → paragraphs, dropping inline chrome (`chrome`);
//! 5. `model` (off unless [`Cleaner::block_model`] sets one): on a page that
//!    declares no article, a learned decision over every block of the page,
//!    with the steps above as one of its inputs (`docs/cleaning.md`);
//! 6. `meta`, `jsonld`, `date`, `credit`: title, byline, publication date,
//!    language, canonical URL, dateline and agency.
//!
//! ```
//! use wirecopy::clean::Cleaner;
//!
//! let page = br#"<html lang="en"><head><title>Talks resume | Daily Wire</title></head>
//! <body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
//! <article><h1>Talks resume</h1>
//! <p>GENEVA, May 3. /TASS/. Negotiators from both countries met again on Friday,
//! after a pause of almost two years, officials said.</p>
//! <p>The next round, they added, is planned for the autumn.</p></article>
//! <footer>Most read</footer></body></html>"#;
//! let article = Cleaner::default().clean(page, None).unwrap();
//! assert_eq!(article.title.as_deref(), Some("Talks resume"));
//! assert_eq!(article.agency.as_deref(), Some("TASS"));
//! assert_eq!(article.paragraphs().count(), 2);
//! ```

mod article;
mod blocks;
mod cascade;
pub mod charset;
mod chrome;
mod class_words;
mod credit;
mod date;
mod dom;
mod entity;
mod explain;
mod extraction;
mod garbage;
mod hand;
mod hints;
mod jsonld;
mod lang;
mod meta;
mod model;
mod parse;
mod profile;
mod prune;
mod scan;
mod score;
mod selector;
mod tag;
mod warnings;

pub use article::Article;
pub use date::{DateCandidate, DateTrace};
pub use explain::Explanation;
pub use extraction::Extraction;
pub use model::{BlockModel, BlockSample, ModelError, FEATURE_COUNT, FEATURE_NAMES};
pub use selector::{Selector, SelectorError};
pub use warnings::warnings;

use std::sync::Arc;

/// The default cap on page size: larger inputs are refused, not parsed.
pub const DEFAULT_MAX_BYTES: usize = 20 * 1024 * 1024;

/// What went wrong cleaning one page.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input is larger than the configured cap.
    #[error("page is {size} bytes, over the {limit}-byte limit")]
    TooLarge {
        /// Size of the input in bytes.
        size: usize,
        /// The cap in bytes.
        limit: usize,
    },
    /// The input is not a text document (an image, a PDF, an archive).
    #[error("not an HTML page: looks like {0}")]
    NotHtml(&'static str),
    /// The page holds no article text.
    #[error("no article text found")]
    NoText,
}

/// Outlet-specific help for the generic algorithm, applied before it runs.
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    /// When set and matching, the body is exactly what this selects.
    pub body: Option<Selector>,
    /// Elements removed before anything else looks at the page.
    pub drop: Vec<Selector>,
}

/// Cleans pages into articles. Cheap to clone; holds only options.
#[derive(Clone, Debug)]
pub struct Cleaner {
    max_bytes: usize,
    overrides: Overrides,
    block_model: Option<Arc<BlockModel>>,
}

impl Default for Cleaner {
    fn default() -> Cleaner {
        Cleaner {
            max_bytes: DEFAULT_MAX_BYTES,
            overrides: Overrides::default(),
            block_model: None,
        }
    }
}

impl Cleaner {
    /// Sets the largest page accepted, in bytes. The default is
    /// [`DEFAULT_MAX_BYTES`].
    pub fn max_bytes(mut self, limit: usize) -> Cleaner {
        self.max_bytes = limit;
        self
    }

    /// Sets outlet-specific selectors. None are set by default.
    pub fn overrides(mut self, overrides: Overrides) -> Cleaner {
        self.overrides = overrides;
        self
    }

    /// Sets the learned block decision (`src/clean/model/`): on a page that
    /// declares no article, every block is kept or dropped by `model`, with
    /// the hand rules' choice as one of its inputs and as the answer where it
    /// is unsure. `None` leaves the hand rules alone. None is set by default:
    /// the shipped model ([`BlockModel::shipped`]) gains a little out of
    /// fold on WCXB, but follows WCXB's gold where the project's fixtures
    /// differ (headings kept, usernames, replies); `docs/cleaning.md` has
    /// the figures and how to retrain it.
    pub fn block_model(mut self, model: Option<BlockModel>) -> Cleaner {
        self.block_model = model.map(Arc::new);
        self
    }

    /// Cleans one page. `url` is where it came from, if known; relative
    /// canonical URLs are resolved against it.
    ///
    /// Errors if the page is over the size cap, is not a text document, or
    /// holds no text.
    pub fn clean(&self, bytes: &[u8], url: Option<&str>) -> Result<Article, Error> {
        self.clean_with_type(bytes, url, None)
    }

    /// Like [`Cleaner::clean`], with the HTTP `Content-Type` header, whose
    /// charset (if any) takes precedence over the page's own declaration.
    pub fn clean_with_type(
        &self,
        bytes: &[u8],
        url: Option<&str>,
        content_type: Option<&str>,
    ) -> Result<Article, Error> {
        let hand::Handled {
            dom,
            forced_drop,
            ld,
            page,
            title,
            mut text,
            extraction,
        } = self.hand(bytes, url, content_type)?;
        if let Some(model) = &self.block_model {
            if self.overrides.body.is_none() && model::applies(&dom, extraction) {
                let hand = model::Hand {
                    text: &text,
                    step: extraction,
                    title: title.as_deref(),
                    url,
                };
                let samples = model::samples(&dom, &forced_drop, &hand);
                let decided = model::decide(model, &samples, extraction);
                // A page the model empties keeps what the hand rules found.
                if !decided.is_empty() {
                    text = decided;
                }
            }
        }
        if text.is_empty() {
            return Err(Error::NoText);
        }
        garbage::check(&text)?;
        let credit = credit::read(&text);
        let byline = ld
            .author
            .as_deref()
            .or(page.author.as_deref())
            .or(page.byline_text.as_deref())
            .and_then(meta::clean_byline);
        let published = date::published(&dom, &ld, url);
        let lang = page
            .lang
            .as_deref()
            .or(ld.lang.as_deref())
            .and_then(meta::primary_lang)
            .or_else(|| lang::detect(&text));
        let canonical_url = page
            .canonical
            .as_deref()
            .or(page.og_url.as_deref())
            .map(|c| resolve(url, c));
        Ok(Article {
            title,
            byline,
            published,
            dateline: credit.dateline,
            agency: credit.agency,
            lang,
            canonical_url,
            text,
            extraction,
        })
    }
}

/// Resolves a possibly relative link against the page URL.
fn resolve(base: Option<&str>, link: &str) -> String {
    let link = link.trim();
    if link.contains("://") {
        return link.to_string();
    }
    let Some(base) = base else {
        return link.to_string();
    };
    let Some(scheme_end) = base.find("://") else {
        return link.to_string();
    };
    let host_end = base[scheme_end + 3..]
        .find('/')
        .map_or(base.len(), |i| scheme_end + 3 + i);
    if let Some(rest) = link.strip_prefix("//") {
        return format!("{}//{rest}", &base[..scheme_end + 1]);
    }
    if link.starts_with('/') {
        return format!("{}{link}", &base[..host_end]);
    }
    let dir_end = base
        .rfind('/')
        .filter(|&i| i >= host_end)
        .unwrap_or(host_end);
    format!("{}/{link}", &base[..dir_end])
}

/// Names the format of a binary input, if it is one.
fn binary_kind(bytes: &[u8]) -> Option<&'static str> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"\x89PNG", "a PNG image"),
        (b"%PDF", "a PDF document"),
        (b"\xFF\xD8\xFF", "a JPEG image"),
        (b"GIF8", "a GIF image"),
        (b"PK\x03\x04", "a ZIP archive"),
        (b"\x1F\x8B", "gzip-compressed data"),
        (b"RIFF", "a RIFF (WebP/WAV) file"),
    ];
    if let Some((_, kind)) = MAGIC.iter().find(|(m, _)| bytes.starts_with(m)) {
        return Some(kind);
    }
    let head = &bytes[..bytes.len().min(1024)];
    let utf16 = head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF");
    (!utf16 && head.iter().filter(|&&b| b == 0).count() > 8).then_some("binary data")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_relative_canonicals() {
        let base = Some("https://example.com/world/story.html");
        assert_eq!(resolve(base, "/a/b"), "https://example.com/a/b");
        assert_eq!(
            resolve(base, "//cdn.example.com/x"),
            "https://cdn.example.com/x"
        );
        assert_eq!(
            resolve(base, "other.html"),
            "https://example.com/world/other.html"
        );
        assert_eq!(resolve(None, "/a"), "/a");
    }

    #[test]
    fn refuses_binary_and_oversized_input() {
        let cleaner = Cleaner::default().max_bytes(100);
        assert!(matches!(
            cleaner.clean(b"\x89PNG\r\n\x1a\n....", None),
            Err(Error::NotHtml(_))
        ));
        assert!(matches!(
            cleaner.clean(&[b'a'; 101], None),
            Err(Error::TooLarge { .. })
        ));
        assert!(matches!(cleaner.clean(b"", None), Err(Error::NoText)));
    }
}
