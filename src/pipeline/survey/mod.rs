//! Finding a new outlet's sources from its homepage, for `wirecopy sources
//! add`: which feeds, sitemaps or section pages list its articles.
//!
//! # How it works
//!
//! The homepage is fetched through the run's [`Fetcher`], so robots.txt is
//! read first, with the configured User-Agent, and obeyed for every request
//! after it. Then, in order:
//!
//! 1. **feeds** the homepage declares (`<link rel="alternate"
//!    type="application/rss+xml">`, Atom, RDF, JSON Feed); when it declares
//!    none, the usual feed paths ([`USUAL_FEEDS`]) until one works;
//! 2. **sitemaps** named by robots.txt `Sitemap:` lines; when none of those
//!    is usable, the usual sitemap paths ([`USUAL_SITEMAPS`]);
//! 3. **section pages** linked from the homepage's main navigation, only
//!    when neither a feed nor a sitemap is usable; failing those, the
//!    folders the homepage's article links sit in, then the homepage itself
//!    (many small sites list their latest stories nowhere else).
//!
//! Each candidate is read (`read.rs`) and either kept, passed over
//! for a better one, or rejected with the reason, so the user sees what
//! was tried. Preferences: Google News sitemaps over general ones; the feed
//! with the most recent item first, then others only if they are as fresh
//! ([`FRESH_DAYS`]) and add links.
//!
//! Nothing here writes: the caller infers `article_url`
//! ([`infer_article_url`]) from
//! [`SiteDiscovery::article_links`] and tries the outlet.

mod pattern;
mod read;

use std::collections::HashSet;

use url::Url;

use crate::fetch::discover::{declared_feeds, navigation_links};
use crate::fetch::{normalize, page_links, same_site, FetchError, Fetcher, Request, Response};
pub use pattern::{infer_article_url, looks_like_article, InferredPattern};
pub use read::Listing;
use read::{read_feed, read_section, read_sitemap};

/// Feed paths tried when the homepage declares no feed.
pub const USUAL_FEEDS: &[&str] = &[
    "/rss",
    "/rss.xml",
    "/feed",
    "/feed.xml",
    "/atom.xml",
    "/index.xml",
    "/feeds/all.rss",
    "/feeds/posts/default",
];
/// Sitemap paths tried when robots.txt names no usable sitemap.
pub const USUAL_SITEMAPS: &[&str] = &["/sitemap.xml", "/sitemap_index.xml", "/news-sitemap.xml"];
/// Declared feeds read at most.
const MAX_FEEDS: usize = 6;
/// Feeds kept at most.
const MAX_KEPT_FEEDS: usize = 3;
/// Sitemaps kept at most.
const MAX_KEPT_SITEMAPS: usize = 2;
/// Section pages read at most in each pass (navigation, folders).
const MAX_SECTIONS: usize = 8;
/// A second feed is kept only if its newest item is this close to the freshest feed's.
pub const FRESH_DAYS: i64 = 2;

/// What kind of source a candidate is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceKind {
    /// An RSS, Atom or JSON feed.
    Feed,
    /// A sitemap or sitemap index.
    Sitemap,
    /// A section page scanned for links.
    Section,
}

impl SourceKind {
    /// `feed`, `sitemap` or `section`.
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Feed => "feed",
            SourceKind::Sitemap => "sitemap",
            SourceKind::Section => "section",
        }
    }
}

/// What became of a candidate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// It goes into the outlet.
    Kept(Listing),
    /// It lists articles, but another source is preferred: why.
    Passed(Listing, String),
    /// It cannot be used: why.
    Rejected(String),
}

/// One source tried.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    /// Its URL.
    pub url: Url,
    /// Feed, sitemap or section.
    pub kind: SourceKind,
    /// How it was found (`declared on the homepage`, `robots.txt Sitemap: line` …).
    pub found_by: &'static str,
    /// Kept, passed over or rejected.
    pub verdict: Verdict,
}

/// Everything discovery learned about a site.
#[derive(Clone, Debug)]
pub struct SiteDiscovery {
    /// The homepage after redirects.
    pub homepage: Url,
    /// The homepage's links on its own site, normalised.
    pub home_links: Vec<Url>,
    /// Every candidate tried, in the order tried.
    pub candidates: Vec<Candidate>,
}

impl SiteDiscovery {
    /// The kept sources of one kind.
    pub fn kept(&self, kind: SourceKind) -> Vec<&Url> {
        self.candidates
            .iter()
            .filter(|c| c.kind == kind && matches!(c.verdict, Verdict::Kept(_)))
            .map(|c| &c.url)
            .collect()
    }

    /// Returns true if and only if some source was kept.
    pub fn usable(&self) -> bool {
        self.candidates
            .iter()
            .any(|c| matches!(c.verdict, Verdict::Kept(_)))
    }

    /// The article links of the kept sources, without duplicates.
    pub fn article_links(&self) -> Vec<Url> {
        let mut seen = HashSet::new();
        self.candidates
            .iter()
            .filter_map(|c| match &c.verdict {
                Verdict::Kept(listing) => Some(listing.links.iter()),
                _ => None,
            })
            .flatten()
            .filter(|u| seen.insert(u.as_str().to_owned()))
            .cloned()
            .collect()
    }
}

/// Why discovery could not start.
#[derive(Debug, thiserror::Error)]
pub enum SiteError {
    /// The homepage could not be fetched.
    #[error("cannot fetch the homepage: {0}; check the URL, or try again when the site is up")]
    Homepage(#[source] FetchError),
    /// robots.txt forbids the homepage.
    #[error("{0}: robots.txt forbids fetching the homepage, so wirecopy will not watch this site")]
    Forbidden(Url),
    /// The homepage answered 304 to a request that sent no validators.
    #[error("{0}: the homepage answered 304 Not Modified to a plain request; the server is misbehaving, try again later")]
    NotModified(Url),
}

/// Finds `homepage`'s sources, at `rate` requests per second to its host.
///
/// Errors only when the homepage cannot be fetched or robots.txt forbids
/// it; a candidate that fails is rejected, with its reason, instead.
pub async fn discover_site(
    fetcher: &Fetcher,
    homepage: &Url,
    rate: f64,
) -> Result<SiteDiscovery, SiteError> {
    let page = match fetcher
        .fetch(&Request::new(homepage.clone()).rate(rate))
        .await
    {
        Ok(Response::Page(page)) => page,
        Ok(Response::Disallowed { url }) => return Err(SiteError::Forbidden(url)),
        Ok(Response::NotModified { url }) => return Err(SiteError::NotModified(url)),
        Err(error) => return Err(SiteError::Homepage(error)),
    };
    let site = page.final_url.clone();
    let home_links: Vec<Url> = {
        let mut seen = HashSet::new();
        page_links(&page.body, &site)
            .iter()
            .filter(|u| same_site(u, &site))
            .map(normalize)
            .filter(|u| seen.insert(u.as_str().to_owned()))
            .collect()
    };
    let mut found = SiteDiscovery {
        homepage: site.clone(),
        home_links,
        candidates: Vec::new(),
    };
    feeds(&mut found, fetcher, &page.body, rate).await;
    sitemaps(&mut found, fetcher, rate).await;
    if !found.usable() {
        sections(&mut found, fetcher, &page.body, rate).await;
    }
    Ok(found)
}

/// Declared feeds, else the usual feed paths until one works.
async fn feeds(found: &mut SiteDiscovery, fetcher: &Fetcher, body: &[u8], rate: f64) {
    let site = found.homepage.clone();
    let declared = declared_feeds(body, &site);
    let mut read = Vec::new();
    if declared.is_empty() {
        for path in USUAL_FEEDS {
            let Ok(url) = site.join(path) else { continue };
            let result = read_feed(fetcher, &url, &site, rate).await;
            let ok = result.is_ok();
            read.push((url, "usual feed path", result));
            if ok {
                break;
            }
        }
    } else {
        for url in declared.into_iter().take(MAX_FEEDS) {
            let result = read_feed(fetcher, &url, &site, rate).await;
            read.push((
                url,
                "declared on the homepage with <link rel=\"alternate\">",
                result,
            ));
        }
    }
    // Judged freshest first (feeds without dates after those with), shown
    // in the order tried.
    let mut read: Vec<(usize, _)> = read.into_iter().enumerate().collect();
    read.sort_by_key(|(_, (_, _, r))| {
        std::cmp::Reverse(
            r.as_ref()
                .ok()
                .and_then(|l| l.newest)
                .map(|d| d.timestamp()),
        )
    });
    let mut judged = Vec::with_capacity(read.len());
    let mut freshest: Option<chrono::DateTime<chrono::Utc>> = None;
    let mut covered: HashSet<String> = HashSet::new();
    let mut kept = 0;
    for (tried, (url, found_by, result)) in read {
        let verdict = match result {
            Err(why) => Verdict::Rejected(why),
            Ok(listing) => {
                let stale = match (freshest, listing.newest) {
                    (Some(best), Some(newest)) => (best - newest).num_days() >= FRESH_DAYS,
                    (Some(_), None) => true,
                    _ => false,
                };
                let adds = listing.links.iter().any(|u| !covered.contains(u.as_str()));
                if kept == 0 || (!stale && adds && kept < MAX_KEPT_FEEDS) {
                    freshest = freshest.or(listing.newest);
                    covered.extend(listing.links.iter().map(|u| u.as_str().to_owned()));
                    kept += 1;
                    Verdict::Kept(listing)
                } else if stale {
                    let why = match listing.newest {
                        Some(newest) => format!("older: newest item {}", newest.format("%Y-%m-%d")),
                        None => "its items carry no dates; a dated feed is preferred".to_owned(),
                    };
                    Verdict::Passed(listing, why)
                } else {
                    Verdict::Passed(listing, "adds no article the kept feeds lack".to_owned())
                }
            }
        };
        judged.push((
            tried,
            Candidate {
                url,
                kind: SourceKind::Feed,
                found_by,
                verdict,
            },
        ));
    }
    judged.sort_by_key(|(tried, _)| *tried);
    found.candidates.extend(judged.into_iter().map(|(_, c)| c));
}

/// robots.txt sitemaps, else the usual paths; news sitemaps preferred.
async fn sitemaps(found: &mut SiteDiscovery, fetcher: &Fetcher, rate: f64) {
    let site = found.homepage.clone();
    let declared = fetcher.robots_sitemaps(&site).await;
    let mut read = Vec::new();
    let mut robots_ok = false;
    for (url, found_by) in sitemap_candidates(&site, &declared) {
        if robots_ok && found_by != ROBOTS_LINE {
            break;
        }
        let result = read_sitemap(fetcher, &url, &site, rate).await;
        robots_ok |= found_by == ROBOTS_LINE && result.is_ok();
        read.push((url, found_by, result));
    }
    let any_news = read
        .iter()
        .any(|(_, _, r)| r.as_ref().is_ok_and(|l| l.news));
    let mut kept = 0;
    for (url, found_by, result) in read {
        let verdict = match result {
            Err(why) => Verdict::Rejected(why),
            Ok(listing) if any_news && !listing.news => {
                Verdict::Passed(listing, "a Google News sitemap is preferred".to_owned())
            }
            Ok(listing) if kept >= MAX_KEPT_SITEMAPS => {
                Verdict::Passed(listing, format!("{MAX_KEPT_SITEMAPS} sitemaps are enough"))
            }
            Ok(listing) => {
                kept += 1;
                Verdict::Kept(listing)
            }
        };
        found.candidates.push(Candidate {
            url,
            kind: SourceKind::Sitemap,
            found_by,
            verdict,
        });
    }
}

/// How a robots.txt sitemap is described.
const ROBOTS_LINE: &str = "robots.txt Sitemap: line";

/// The sitemaps to try for `site`, in order: robots.txt's `Sitemap:` lines
/// (`declared`, as the fetcher read them, http(s) only, without
/// duplicates), then the usual paths not already named. Each comes with how
/// it was found.
pub fn sitemap_candidates(site: &Url, declared: &[Url]) -> Vec<(Url, &'static str)> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for url in declared
        .iter()
        .filter(|u| matches!(u.scheme(), "http" | "https"))
    {
        if seen.insert(normalize(url).to_string()) {
            out.push((url.clone(), ROBOTS_LINE));
        }
    }
    for path in USUAL_SITEMAPS {
        let Ok(url) = site.join(path) else { continue };
        if seen.insert(normalize(&url).to_string()) {
            out.push((url, "usual sitemap path"));
        }
    }
    out
}

/// Section pages, when nothing else worked: those of the main navigation;
/// failing them, the folders the homepage's article links sit in
/// (`/world/` for `/world/41940.html`); failing those, the homepage itself.
async fn sections(found: &mut SiteDiscovery, fetcher: &Fetcher, body: &[u8], rate: f64) {
    let site = found.homepage.clone();
    let navigation: Vec<Url> = navigation_links(body, &site)
        .iter()
        .filter(|u| same_site(u, &site))
        .map(normalize)
        .collect();
    let nav_set: HashSet<String> = navigation.iter().map(|u| u.as_str().to_owned()).collect();
    let home = normalize(&site);
    let is_section = |u: &Url| *u != home && !looks_like_article(u);
    let mut tried: HashSet<String> = HashSet::new();
    let nav: Vec<Url> = navigation.into_iter().filter(is_section).collect();
    let folders: Vec<Url> = found
        .home_links
        .iter()
        .filter(|u| looks_like_article(u))
        .filter_map(|u| u.join("./").ok())
        .filter(is_section)
        .collect();
    let passes: [(Vec<Url>, &'static str); 3] = [
        (nav, "main navigation"),
        (folders, "folder of the homepage's article links"),
        (vec![home.clone()], "the homepage itself"),
    ];
    for (urls, found_by) in passes {
        let mut read = 0;
        for url in urls {
            if read == MAX_SECTIONS || !tried.insert(url.as_str().to_owned()) {
                continue;
            }
            read += 1;
            let verdict = match read_section(fetcher, &url, &site, &nav_set, rate).await {
                Ok(listing) => Verdict::Kept(listing),
                Err(why) => Verdict::Rejected(why),
            };
            found.candidates.push(Candidate {
                url,
                kind: SourceKind::Section,
                found_by,
                verdict,
            });
        }
        if found.usable() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn robots_sitemaps_come_first_without_duplicates_then_the_usual_paths() {
        let site = Url::parse("https://news.example/").expect("URL");
        let declared: Vec<Url> = [
            "https://news.example/news-sitemap.xml",
            "https://cdn.example/maps/all.xml.gz",
            "https://news.example/news-sitemap.xml#again",
            "ftp://news.example/sitemap.xml",
        ]
        .iter()
        .map(|u| Url::parse(u).expect("URL"))
        .collect();
        let found: Vec<(String, &str)> = sitemap_candidates(&site, &declared)
            .into_iter()
            .map(|(u, by)| (u.to_string(), by))
            .collect();
        assert_eq!(
            found,
            [
                (
                    "https://news.example/news-sitemap.xml".to_owned(),
                    ROBOTS_LINE
                ),
                (
                    "https://cdn.example/maps/all.xml.gz".to_owned(),
                    ROBOTS_LINE
                ),
                (
                    "https://news.example/sitemap.xml".to_owned(),
                    "usual sitemap path"
                ),
                (
                    "https://news.example/sitemap_index.xml".to_owned(),
                    "usual sitemap path"
                ),
            ]
        );
    }
}
