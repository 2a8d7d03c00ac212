//! The choice among the dates a page states ([`super::Found`]).
//!
//! In order: a "published" date shown right by the headline (it is the one
//! the page stands by); an "updated" date shown near the headline, when the
//! page shows no published date there and only schema.org (JSON-LD,
//! microdata) states one; the structured published date; a published date
//! shown near the headline; an "updated" one shown there; the first
//! published date shown below it; the structured modified date; any date
//! shown below it; the URL. Near the headline the nearest date wins, and
//! of two as near the one under it. A structured published value a day or less
//! from the pick replaces it (the page shows its local day, the value says
//! when), and a structured value for the same day lends the pick its time
//! of day. Each rule has a name, which [`super::DateTrace`] reports.
//!
//! Why schema.org alone yields to a shown update: a publisher that sets
//! Open Graph's `article:published_time` (or `pubdate`, `dc.date`, …) states
//! the first publication on purpose, and pages with it mean that date even
//! when they show "Updated …" (gold published on 19 of 24 such WCXB dev
//! pages). A `datePublished` that only a schema.org block carries is often
//! the CMS record's creation, and a page that then shows readers nothing but
//! "Last updated: …" by its headline stands by the update (gold updated on
//! 17 of 19). Dates inside links (other articles' teasers, tickers) are not
//! shown dates of this page when a structured published date exists.

use super::text::Stamp;
use super::{Found, Role, Seen};

/// How many text nodes before the headline a shown date may sit.
const BEFORE_H1: usize = 20;
/// How many text nodes after the headline a shown date may sit.
const AFTER_H1: usize = 40;
/// How many text nodes from the headline a shown published date may sit
/// and still beat the structured one (a dateline under the headline).
const BESIDE_H1: usize = 10;

/// Picks one date out of everything found, and names the rule that did.
pub(super) fn choose<'a>(f: &'a Found) -> Option<(Stamp, &'static str)> {
    let h1 = f.h1_at.unwrap_or(0);
    let structured = |role: Role| f.structured.iter().find(|s| s.role == role);
    let stated = structured(Role::Published).is_some();
    let visible: Vec<&Seen> = f
        .visible
        .iter()
        .filter(|s| !(stated && s.in_link))
        .collect();
    let shown = |role: Role, before: usize, after: usize| {
        f.h1_at?;
        visible
            .iter()
            .copied()
            .filter(|s| s.role == role && s.at + before >= h1 && s.at <= h1 + after)
            .min_by_key(|s| distance(s.at, h1))
    };
    let below = |role: Option<Role>| {
        visible
            .iter()
            .copied()
            .find(|s| s.at >= h1 && role.is_none_or(|r| s.role == r))
    };
    let schema_org_only = stated
        && f.structured
            .iter()
            .filter(|s| s.role == Role::Published)
            .all(schema_org);
    let rules: [(&'static str, &dyn Fn() -> Option<&'a Seen>); 9] = [
        ("published beside the headline", &|| {
            shown(Role::Published, BESIDE_H1, BESIDE_H1)
        }),
        ("updated near the headline over schema.org", &|| {
            let no_published = shown(Role::Published, BEFORE_H1, AFTER_H1).is_none();
            (schema_org_only && no_published)
                .then(|| shown(Role::Modified, BEFORE_H1, AFTER_H1))
                .flatten()
        }),
        ("structured published", &|| structured(Role::Published)),
        ("published near the headline", &|| {
            shown(Role::Published, BEFORE_H1, AFTER_H1)
        }),
        ("updated near the headline", &|| {
            shown(Role::Modified, BEFORE_H1, AFTER_H1)
        }),
        ("first published below the headline", &|| {
            below(Some(Role::Published))
        }),
        ("structured modified", &|| structured(Role::Modified)),
        ("first below the headline", &|| below(None)),
        ("url", &|| f.url.as_ref()),
    ];
    let (rule, pick) = rules
        .iter()
        .find_map(|(name, rule)| rule().map(|s| (*name, s)))?;
    // The structured published value wins over a shown date a day away
    // from it: the two differ only by the time zone the page shows.
    if let Some(s) = structured(Role::Published)
        .filter(|s| s.stamp.exact.is_some() && (s.stamp.day - pick.stamp.day).num_days().abs() <= 1)
    {
        return Some((s.stamp.clone(), rule));
    }
    // A structured value for the same day lends the shown date its time.
    let timed = f
        .structured
        .iter()
        .filter(|s| s.stamp.day == pick.stamp.day && s.stamp.exact.is_some())
        .min_by_key(|s| s.role != pick.role);
    Some((timed.unwrap_or(pick).stamp.clone(), rule))
}

/// How far a text node is from the headline (`h1` text nodes come before
/// it): the last text above it and the first one under its own text are
/// both one away. Of two dates as far, the one under the headline comes
/// first (`false` sorts before `true`): bylines sit under headlines,
/// teasers of other stories above them.
fn distance(at: usize, h1: usize) -> (usize, bool) {
    if at <= h1 {
        (h1 - at + 1, true)
    } else {
        (at - h1 - 1, false)
    }
}

/// Returns true if and only if a structured date comes from schema.org
/// (JSON-LD, or a microdata `itemprop`), not from a meta tag of its own
/// (Open Graph `article:published_time`, `pubdate`, Dublin Core, …).
fn schema_org(s: &Seen) -> bool {
    [
        "json-ld ",
        "itemprop ",
        "meta datepublished",
        "meta datecreated",
    ]
    .iter()
    .any(|p| s.source.starts_with(p))
}
