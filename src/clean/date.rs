//! The publication date: every place a page states one, and the choice
//! among them.
//!
//! A page says when it was published in up to four ways, which often
//! disagree (a blog post rewritten last week keeps its first date in
//! `article:published_time`, but shows readers the new one):
//!
//! - *structured* values for machines: meta tags, JSON-LD and `itemprop`
//!   elements ([`markup`], with [`super::jsonld`]);
//! - *visible* dates for people: `<time>` elements and short runs of text
//!   ("Updated on 4 Sep 2025", "04.09.2025", read by [`text`]);
//! - the URL (`/2025/09/04/slug`, [`url`]).
//!
//! This file gathers them into one [`Found`], drops the implausible ones
//! (before 1995, or after the reference day: today plus a day of clock
//! skew), reads a shown numeric date that reads both ways (`03/10/2023`)
//! the way the page's metadata or URL confirms, and hands them to
//! [`choose`], which owns the order of preference.
//! [`trace`] returns the same answer with every candidate and the rule
//! that won, for evaluation tools. Nothing here keeps state between pages.

mod choose;
mod markup;
mod text;
mod url;

use chrono::{Days, NaiveDate, Utc};
use serde::Serialize;

use super::dom::Dom;
use super::jsonld::LinkedData;
use text::Stamp;

/// Whether a date says when the page first appeared or when it changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    Published,
    Modified,
}

/// One date the page states, and where: `at` counts the non-empty text
/// nodes before it.
#[derive(Clone, Debug)]
struct Seen {
    stamp: Stamp,
    role: Role,
    at: usize,
    /// Where it came from: a meta key, `json-ld datePublished`, `itemprop
    /// datePublished`, `<time>` or `text`.
    source: String,
    /// The words that decided its role: its label, class or key.
    label: String,
    /// Whether a link holds it (the dates of other articles are links).
    in_link: bool,
}

/// Every date of one page, in document order.
#[derive(Default)]
struct Found {
    structured: Vec<Seen>,
    visible: Vec<Seen>,
    h1_at: Option<usize>,
    /// The date in the page's URL, if any.
    url: Option<Seen>,
    /// Whether the page's language writes numeric dates day first.
    day_first: bool,
}

/// Why the cleaner chose the publication date it did: every date it saw
/// and the rule that picked one. Meant for evaluation tools
/// ([`super::Cleaner::date_trace`]); the cleaner itself only keeps the date.
#[derive(Clone, Debug, Default, Serialize)]
pub struct DateTrace {
    /// The date chosen, as in [`super::Article::published`].
    pub published: Option<String>,
    /// The rule of the order of preference that chose it (`none` if none did).
    pub rule: &'static str,
    /// How many non-empty text nodes come before the first `<h1>`.
    pub headline_at: Option<usize>,
    /// Every plausible date the page states, structured ones first.
    pub candidates: Vec<DateCandidate>,
}

/// One date a page states, as [`DateTrace`] reports it.
#[derive(Clone, Debug, Serialize)]
pub struct DateCandidate {
    /// The calendar day, `YYYY-MM-DD`.
    pub day: String,
    /// The full RFC 3339 value when a time of day was given.
    pub exact: Option<String>,
    /// True for a machine-readable value (meta, JSON-LD, `itemprop`).
    pub structured: bool,
    /// True when the page says the date is a change, not the first publication.
    pub modified: bool,
    /// Where it came from: a meta key, `json-ld datePublished`, `<time>`, `text`.
    pub source: String,
    /// The words around it that decided its role.
    pub label: String,
    /// How many non-empty text nodes come before it.
    pub at: usize,
    /// True when a link holds it.
    pub in_link: bool,
}

/// Returns where the first date written for people in `text` is, if any.
pub(crate) fn find_in_text(text: &str) -> Option<std::ops::Range<usize>> {
    text::scan(text, false).map(|(_, at)| at)
}

/// Finds when the page was published, as RFC 3339 (midnight UTC when only
/// the day is known).
pub(crate) fn published(dom: &Dom, ld: &LinkedData, url: Option<&str>) -> Option<String> {
    trace(dom, ld, url).published
}

/// Finds the publication date like [`published`], with its reasons.
pub(crate) fn trace(dom: &Dom, ld: &LinkedData, url: Option<&str>) -> DateTrace {
    let latest = Utc::now().date_naive() + Days::new(1);
    trace_by(dom, ld, url, latest)
}

/// Like [`trace`], ignoring dates after `latest`.
fn trace_by(dom: &Dom, ld: &LinkedData, url: Option<&str>, latest: NaiveDate) -> DateTrace {
    let found = gather(dom, ld, url, latest);
    let (published, rule) = match choose::choose(&found) {
        Some((stamp, rule)) => (Some(stamp.rfc3339()), rule),
        None => (None, "none"),
    };
    let candidate = |s: &Seen, structured: bool| DateCandidate {
        day: s.stamp.day.format("%Y-%m-%d").to_string(),
        exact: s.stamp.exact.clone(),
        structured,
        modified: s.role == Role::Modified,
        source: s.source.clone(),
        label: s.label.clone(),
        at: s.at,
        in_link: s.in_link,
    };
    let candidates = (found.structured.iter().map(|s| candidate(s, true)))
        .chain(found.url.iter().map(|s| candidate(s, true)))
        .chain(found.visible.iter().map(|s| candidate(s, false)))
        .collect();
    DateTrace {
        published,
        rule,
        headline_at: found.h1_at,
        candidates,
    }
}

/// Collects every plausible date of the page: markup, JSON-LD, the URL.
fn gather(dom: &Dom, ld: &LinkedData, url: Option<&str>, latest: NaiveDate) -> Found {
    let day_first = markup::day_first(dom);
    let mut found = markup::collect(dom, day_first);
    for (raw, role, key) in [
        (&ld.published, Role::Published, "json-ld datePublished"),
        (&ld.modified, Role::Modified, "json-ld dateModified"),
    ] {
        if let Some(stamp) = raw.as_deref().and_then(|r| text::value(r, day_first)) {
            found.structured.push(Seen {
                stamp,
                role,
                at: 0,
                source: key.to_string(),
                label: String::new(),
                in_link: false,
            });
        }
    }
    if let Some(stamp) = url.and_then(url::date) {
        found.url = Some(Seen {
            stamp,
            role: Role::Published,
            at: 0,
            source: "url".to_string(),
            label: String::new(),
            in_link: false,
        });
    }
    let plausible = |s: &Seen| {
        NaiveDate::from_ymd_opt(1995, 1, 1).is_some_and(|e| s.stamp.day >= e)
            && s.stamp.day <= latest
    };
    found.structured.retain(plausible);
    found.visible.retain(plausible);
    found.url = found.url.filter(plausible);
    settle_ambiguous(&mut found);
    found
}

/// Reads a shown numeric date that reads both ways (`03/10/2023`) the
/// other way round when only that reading is one the page states in its
/// metadata or URL: the language of the page is a weaker clue than the
/// page's own machine-readable date.
fn settle_ambiguous(found: &mut Found) {
    let stated: Vec<NaiveDate> = (found.structured.iter().chain(&found.url))
        .map(|s| s.stamp.day)
        .collect();
    for s in &mut found.visible {
        if let Some(other) = s.stamp.other {
            if stated.contains(&other) && !stated.contains(&s.stamp.day) {
                s.stamp.day = other;
                s.stamp.other = None;
            }
        }
    }
}

#[cfg(test)]
mod tests;
