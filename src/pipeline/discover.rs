//! Finding an outlet's article links: feeds, sitemaps (following sitemap
//! indexes), and section pages, each fetched with the validators stored
//! from last time, so an unchanged source costs one 304 and no parsing.
//! Each sitemap is fetched at most once per outlet per run: a set of the
//! sitemaps read so far lives for the outlet's discovery.

use std::collections::HashSet;

use url::Url;

use super::{lock, status_of, OutletRun};
use crate::fetch::{discover, normalize, Request, Response, Validators};
use crate::store::UrlKind;

/// How deep sitemap indexes are followed.
const MAX_SITEMAP_DEPTH: usize = 2;
/// At most this many child sitemaps are read per outlet per run (newest
/// first, as indexes list them).
const MAX_CHILD_SITEMAPS: usize = 20;

/// A source read in full whose validators wait for the end of the run.
pub(super) struct Pending {
    pub(super) url: String,
    pub(super) kind: UrlKind,
    pub(super) status: u16,
    pub(super) etag: Option<String>,
    pub(super) last_modified: Option<String>,
}

/// An article link as a feed, sitemap or section page gave it.
pub(super) struct Found {
    /// The normalised URL.
    pub(super) url: Url,
    /// Its publication time (Unix seconds), when the source said.
    pub(super) published: Option<i64>,
}

impl OutletRun<'_> {
    /// Returns the outlet's article links, newest first where the sources
    /// say, normalised and without duplicates.
    pub(super) async fn discover(&mut self) -> Vec<Found> {
        let mut links: Vec<(Option<i64>, Url)> = Vec::new();
        let outlet = self.outlet;
        for feed in &outlet.feeds {
            if let Some(bytes) = self.source(feed, UrlKind::Feed).await {
                match discover::feed_links(&bytes, feed) {
                    Ok(found) => links.extend(
                        found
                            .into_iter()
                            .map(|l| (l.published.map(|p| p.timestamp()), l.url)),
                    ),
                    Err(error) => self.fail(
                        feed.as_str(),
                        UrlKind::Feed,
                        Some(200),
                        "discover",
                        &error.to_string(),
                    ),
                }
            }
        }
        let mut queue: Vec<(Url, usize)> = outlet.sitemaps.iter().map(|u| (u.clone(), 0)).collect();
        let mut children = 0usize;
        // Each sitemap is read once per run, however often indexes list it
        // (an index listing itself, two indexes listing each other).
        let mut visited: HashSet<String> = HashSet::new();
        while let Some((sitemap, depth)) = queue.pop() {
            if !visited.insert(normalize(&sitemap).to_string()) {
                tracing::debug!(outlet = %outlet.name, url = %sitemap, "Sitemap already read in this run.");
                continue;
            }
            let Some(bytes) = self.source(&sitemap, UrlKind::Sitemap).await else {
                continue;
            };
            match discover::sitemap_links(&bytes, &sitemap) {
                Ok(found) => {
                    links.extend(
                        found
                            .pages
                            .into_iter()
                            .map(|l| (l.published.map(|p| p.timestamp()), l.url)),
                    );
                    if depth < MAX_SITEMAP_DEPTH {
                        for child in found.sitemaps.into_iter().rev() {
                            if visited.contains(normalize(&child).as_str()) {
                                continue;
                            }
                            if children < MAX_CHILD_SITEMAPS {
                                children += 1;
                                queue.push((child, depth + 1));
                            }
                        }
                    }
                }
                Err(error) => self.fail(
                    sitemap.as_str(),
                    UrlKind::Sitemap,
                    Some(200),
                    "discover",
                    &error.to_string(),
                ),
            }
        }
        for section in &outlet.sections {
            if let Some(bytes) = self.source(section, UrlKind::Section).await {
                links.extend(
                    discover::page_links(&bytes, section)
                        .into_iter()
                        .map(|u| (None, u)),
                );
            }
        }
        // Newest first when dates are known; otherwise keep source order.
        links.sort_by_key(|(published, _)| std::cmp::Reverse(published.unwrap_or(i64::MIN)));
        let mut seen = HashSet::new();
        links
            .into_iter()
            .map(|(published, u)| Found {
                url: normalize(&u),
                published,
            })
            .filter(|f| outlet.wants(&f.url))
            .filter(|f| seen.insert(f.url.as_str().to_string()))
            .collect()
    }

    /// Fetches a feed, sitemap or section page with its stored validators.
    /// Returns its body when it changed; `None` when unchanged or failed.
    async fn source(&mut self, url: &Url, kind: UrlKind) -> Option<Vec<u8>> {
        if self.halted() {
            return None;
        }
        if !self.dry_run && self.budget.expired() {
            self.complete = false;
            self.out_of_time = true;
            return None;
        }
        if !self.dry_run && self.budget.given_up(url) {
            self.complete = false;
            self.record_given_up(url);
            return None;
        }
        let validators = {
            let mut st = lock(self.state);
            match st.store().url_state(url.as_str()) {
                Ok(Some(s)) => Validators {
                    etag: s.etag,
                    last_modified: s.last_modified,
                },
                _ => Validators::default(),
            }
        };
        let request = Request {
            url: url.clone(),
            rate: self.outlet.rate,
            validators,
        };
        let result = self.fetcher.fetch(&request).await;
        self.note_reach(url, &result);
        match result {
            Ok(Response::Page(page)) => {
                lock(self.state).counts.fetched += 1;
                let (etag, modified) = (
                    page.validators.etag.clone(),
                    page.validators.last_modified.clone(),
                );
                // The validators are kept only once every link the source
                // gave is handled (`OutletRun::run`): a run killed or cut
                // short must not leave the next one a 304 that hides the
                // links it never got to.
                self.record_ok(url.as_str(), kind, Some(page.status), None, None);
                self.pending.push(Pending {
                    url: url.to_string(),
                    kind,
                    status: page.status,
                    etag,
                    last_modified: modified,
                });
                Some(page.body)
            }
            Ok(Response::NotModified { .. }) => {
                lock(self.state).counts.not_modified += 1;
                self.record_ok(url.as_str(), kind, Some(304), None, None);
                None
            }
            Ok(Response::Disallowed { .. }) => {
                tracing::info!(outlet = %self.outlet.name, %url, "Source disallowed by robots.txt.");
                None
            }
            Err(error) => {
                self.fail(
                    url.as_str(),
                    kind,
                    status_of(&error),
                    "fetch",
                    &error.to_string(),
                );
                None
            }
        }
    }
}
