//! Discovery: the article links in a feed, a sitemap or a section page.
//!
//! Pure functions over bytes already fetched, no I/O, so the pipeline can
//! run them anywhere and tests need no server. Each returns absolute http(s)
//! URLs resolved against the document's own URL, deduplicated, in document
//! order; normalising them ([`normalize`](super::normalize)) and filtering
//! them by the outlet's patterns is the caller's job.
//!
//! * [`feed_links`]: RSS 0.9x–2.0, RSS 1.0 (RDF), Atom and JSON Feed, read by feed-rs;
//! * [`sitemap_links`]: sitemaps and sitemap indexes, plain or gzip, with
//!   the Google News extension, read with quick-xml (and plain-text sitemaps);
//! * [`page_links`]: the `<a href>` of a section or listing page;
//! * [`declared_feeds`] and [`navigation_links`]: what a homepage names as its
//!   feeds and its sections, for `wirecopy sources add`.

use chrono::{DateTime, Utc};
use url::Url;

mod declared;
mod feed;
mod page;
mod sitemap;

pub use declared::{declared_feeds, navigation_links};
pub use feed::feed_links;
pub use page::page_links;
pub use sitemap::{sitemap_links, Sitemap, MAX_SITEMAP_BYTES};

/// A link found in a feed or sitemap, with what the document says about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The absolute http(s) URL.
    pub url: Url,
    /// When the item was published: the entry's published date (else its
    /// updated date) in feeds; `news:publication_date` (else `lastmod`) in
    /// sitemaps.
    pub published: Option<DateTime<Utc>>,
    /// The item's title: the entry title in feeds, `news:title` in sitemaps.
    pub title: Option<String>,
}

/// Resolves `href` against `base`; `None` unless the result is http(s).
fn resolve(base: &Url, href: &str) -> Option<Url> {
    let url = base.join(href.trim()).ok()?;
    matches!(url.scheme(), "http" | "https").then_some(url)
}
