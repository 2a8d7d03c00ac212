//! `sources check`: try an outlet without storing anything.
//!
//! Reads the outlet's feeds, sitemaps and sections exactly as a run would,
//! counts the article links found, then fetches and cleans a few articles
//! and lists what a person should look at: title, date, first lines,
//! length, and chrome warnings.

use std::sync::Mutex;

use super::{Ingest, OutletRun};
use crate::clean::{warnings, Article};
use crate::config::Outlet;
use crate::fetch::{Fetcher, Request, Response};
use crate::store::SqliteStore;

/// What checking one outlet found.
#[derive(Debug)]
pub struct OutletCheck {
    /// The outlet's name.
    pub name: String,
    /// Article links discovered.
    pub links: usize,
    /// Failures while reading its sources.
    pub errors: Vec<String>,
    /// The sample articles.
    pub samples: Vec<Sample>,
}

/// One sample article.
#[derive(Debug)]
pub struct Sample {
    /// Its URL.
    pub url: String,
    /// The cleaned article, or why it failed.
    pub article: Result<Article, String>,
    /// Chrome warnings about it.
    pub warnings: Vec<String>,
}

/// Checks one outlet, fetching up to `samples` articles.
///
/// Errors only if the scratch store can't be created.
pub async fn check(
    outlet: &Outlet,
    fetcher: &Fetcher,
    samples: usize,
) -> Result<OutletCheck, crate::store::Error> {
    let store = SqliteStore::in_memory()?;
    let state = Mutex::new(Ingest::load(Box::new(store), Default::default(), None)?);
    let mut work = OutletRun::new(outlet, fetcher, &state, 0, true);
    let links = work.discover().await;
    let mut out = OutletCheck {
        name: outlet.name.clone(),
        links: links.len(),
        errors: work.first_error.take().into_iter().collect(),
        samples: Vec::new(),
    };
    for url in links.into_iter().take(samples).map(|f| f.url) {
        let request = Request {
            url: url.clone(),
            rate: outlet.rate,
            validators: Default::default(),
        };
        let article = match fetcher.fetch(&request).await {
            Ok(Response::Page(page)) => {
                let content_type = match outlet.charset {
                    Some(e) => Some(format!("text/html; charset={}", e.name())),
                    None => page.content_type.clone(),
                };
                work.cleaner
                    .clean_with_type(
                        &page.body,
                        Some(page.final_url.as_str()),
                        content_type.as_deref(),
                    )
                    .map_err(|e| e.to_string())
            }
            Ok(Response::NotModified { .. }) => {
                Err("answered 304 Not Modified to a fresh request".into())
            }
            Ok(Response::Disallowed { .. }) => Err("disallowed by robots.txt".into()),
            Err(error) => Err(error.to_string()),
        };
        let warnings = article.as_ref().map(warnings).unwrap_or_default();
        out.samples.push(Sample {
            url: url.to_string(),
            article,
            warnings,
        });
    }
    Ok(out)
}
