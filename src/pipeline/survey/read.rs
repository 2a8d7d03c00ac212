//! Reading one candidate source for `sources add`: fetch it politely, parse
//! it with the same functions a run uses (`feed_links`, `sitemap_links`,
//! `page_links`), and say whether it really lists articles, or why not.
//!
//! What counts as listing articles: a feed with items on the site; a
//! sitemap whose `<loc>`s include links shaped like articles
//! ([`looks_like_article`]), or a Google News sitemap (its entries are
//! articles by definition); a section page with at least
//! [`MIN_SECTION_ARTICLES`] such links. A sitemap index is judged by the
//! children it lists, of which the first [`MAX_CHILDREN`] are read.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use url::Url;

use super::pattern::looks_like_article;
use crate::fetch::{
    feed_links, normalize, page_links, same_site, sitemap_links, Fetcher, Request, Response,
};

/// Children of a sitemap index read when judging it.
pub(super) const MAX_CHILDREN: usize = 5;
/// A section page needs this many article-shaped links.
pub(super) const MIN_SECTION_ARTICLES: usize = 2;

/// What a usable candidate lists.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Listing {
    /// Its article links on the site, normalised, without duplicates.
    pub links: Vec<Url>,
    /// Entries it lists in all (items, `<loc>`s, links).
    pub entries: usize,
    /// True if and only if it is a Google News sitemap (or an index of them).
    pub news: bool,
    /// Its newest entry's date, when it gives dates.
    pub newest: Option<DateTime<Utc>>,
}

/// Fetches `url`; `Err` says why it cannot be used.
async fn fetch(fetcher: &Fetcher, url: &Url, rate: f64) -> Result<Vec<u8>, String> {
    match fetcher.fetch(&Request::new(url.clone()).rate(rate)).await {
        Ok(Response::Page(page)) => Ok(page.body),
        Ok(Response::Disallowed { .. }) => {
            Err("robots.txt forbids fetching it, so it is not used".to_owned())
        }
        Ok(Response::NotModified { .. }) => Err("answered 304 to a fresh request".to_owned()),
        Err(error) => Err(error.kind().to_string()),
    }
}

/// Reads a feed: usable when it has items linking to the site.
pub(super) async fn read_feed(
    fetcher: &Fetcher,
    url: &Url,
    site: &Url,
    rate: f64,
) -> Result<Listing, String> {
    let body = fetch(fetcher, url, rate).await?;
    let items = feed_links(&body, url).map_err(|error| format!("not a feed: {error}"))?;
    if items.is_empty() {
        return Err("a feed with no items".to_owned());
    }
    let links = on_site(items.iter().map(|l| &l.url), site);
    if links.is_empty() {
        return Err(format!(
            "its {} items link to other sites (e.g. {})",
            items.len(),
            items[0].url
        ));
    }
    Ok(Listing {
        links,
        entries: items.len(),
        news: false,
        newest: items.iter().filter_map(|l| l.published).max(),
    })
}

/// Reads a sitemap or sitemap index (following an index one level down).
pub(super) async fn read_sitemap(
    fetcher: &Fetcher,
    url: &Url,
    site: &Url,
    rate: f64,
) -> Result<Listing, String> {
    let body = fetch(fetcher, url, rate).await?;
    let sitemap = sitemap_links(&body, url).map_err(|error| format!("not a sitemap: {error}"))?;
    if sitemap.pages.is_empty() && sitemap.sitemaps.is_empty() {
        return Err("an empty sitemap".to_owned());
    }
    let mut pages = sitemap.pages;
    let mut news = pages.iter().any(|l| l.title.is_some());
    let mut unreadable = Vec::new();
    for child in sitemap.sitemaps.iter().take(MAX_CHILDREN) {
        let read = fetch(fetcher, child, rate)
            .await
            .and_then(|b| sitemap_links(&b, child).map_err(|e| e.to_string()));
        match read {
            Ok(found) => {
                news |= found.pages.iter().any(|l| l.title.is_some());
                pages.extend(found.pages);
            }
            Err(why) => unreadable.push(format!("{child}: {why}")),
        }
    }
    if pages.is_empty() {
        let why = match unreadable.first() {
            Some(first) => format!("an index whose sitemaps could not be read ({first})"),
            None => "an index whose sitemaps list nothing".to_owned(),
        };
        return Err(why);
    }
    let newest = pages.iter().filter_map(|l| l.published).max();
    let entries = pages.len();
    let shaped: Vec<&Url> = pages
        .iter()
        .map(|l| &l.url)
        .filter(|u| news || looks_like_article(u))
        .collect();
    let links = on_site(shaped.into_iter(), site);
    if links.is_empty() {
        return Err(format!(
            "none of its {entries} <loc>s is an article on the site (e.g. {})",
            pages[0].url
        ));
    }
    Ok(Listing {
        links,
        entries,
        news,
        newest,
    })
}

/// Reads a section page: usable when it links to enough article-shaped
/// pages of the site that are not in `navigation`.
pub(super) async fn read_section(
    fetcher: &Fetcher,
    url: &Url,
    site: &Url,
    navigation: &HashSet<String>,
    rate: f64,
) -> Result<Listing, String> {
    let body = fetch(fetcher, url, rate).await?;
    let all = page_links(&body, url);
    let shaped = all
        .iter()
        .filter(|u| looks_like_article(u) && !navigation.contains(normalize(u).as_str()));
    let links = on_site(shaped, site);
    if links.len() < MIN_SECTION_ARTICLES {
        return Err(format!(
            "{} of its {} links look like articles (at least {MIN_SECTION_ARTICLES} needed)",
            links.len(),
            all.len()
        ));
    }
    Ok(Listing {
        links,
        entries: all.len(),
        news: false,
        newest: None,
    })
}

/// The links on `site`'s site, normalised, first occurrence kept.
fn on_site<'a>(links: impl Iterator<Item = &'a Url>, site: &Url) -> Vec<Url> {
    let mut seen = HashSet::new();
    links
        .filter(|u| same_site(u, site))
        .map(normalize)
        .filter(|u| seen.insert(u.as_str().to_owned()))
        .collect()
}
