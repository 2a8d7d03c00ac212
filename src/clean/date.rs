//! The publication date: every place a page states one, and the choice
//! among them.
//!
//! A page says when it was published in up to four ways, which often
//! disagree (a blog post rewritten last week keeps its first date in
//! `article:published_time`, but shows readers the new one):
//!
//! - *structured* values for machines: meta tags (`article:published_time`,
//!   `og:updated_time`, `dc.date`, `pubdate`, `sailthru.date`, …), JSON-LD
//!   (`datePublished`, `dateModified`, via [`super::jsonld`]) and
//!   `itemprop="datePublished"` elements;
//! - *visible* dates for people: `<time>` elements and short runs of text
//!   ("Updated on 4 Sep 2025", "04.09.2025") read by [`text::scan`];
//! - the URL (`/2025/09/04/slug`).
//!
//! The choice, in order: a "published" date shown right by the headline
//! (it is the one the page stands by); the structured published date; a
//! published date shown near the headline; an "updated" one shown there;
//! the first published date shown below it; the structured modified date;
//! any date shown below it; the URL. A shown date is "updated" when its
//! label or class says so ("Last updated:", `class="updated"`). A
//! structured published value a day or less from the pick replaces it (the
//! page shows its local day, the value says when), and a structured value
//! for the same day lends the pick its time of day. Dates before 1995 or
//! after the reference day (today, plus a day of clock skew) are ignored.
//!
//! Nothing here keeps state between pages.

mod text;

use std::sync::OnceLock;

use chrono::{Days, NaiveDate, Utc};
use regex::Regex;

use super::dom::{Dom, NodeId, Tag};
use super::jsonld::LinkedData;
use text::Stamp;

/// How many text nodes before the headline a shown date may sit.
const BEFORE_H1: usize = 20;
/// How many text nodes after the headline a shown date may sit.
const AFTER_H1: usize = 40;
/// How many text nodes from the headline a shown published date may sit
/// and still beat the structured one (a dateline under the headline).
const BESIDE_H1: usize = 10;
/// Longer runs of text are prose, not a dateline or a byline.
const MAX_DATE_TEXT: usize = 120;

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
}

/// Every date of one page, in document order.
#[derive(Default)]
struct Found {
    structured: Vec<Seen>,
    visible: Vec<Seen>,
    h1_at: Option<usize>,
}

/// Returns where the first date written for people in `text` is, if any.
pub(crate) fn find_in_text(text: &str) -> Option<std::ops::Range<usize>> {
    text::scan(text, false).map(|(_, at)| at)
}

/// Finds when the page was published, as RFC 3339 (midnight UTC when only
/// the day is known).
pub(crate) fn published(dom: &Dom, ld: &LinkedData, url: Option<&str>) -> Option<String> {
    let latest = Utc::now().date_naive() + Days::new(1);
    published_by(dom, ld, url, latest)
}

/// Like [`published`], ignoring dates after `latest`.
fn published_by(
    dom: &Dom,
    ld: &LinkedData,
    url: Option<&str>,
    latest: NaiveDate,
) -> Option<String> {
    let earliest = NaiveDate::from_ymd_opt(1995, 1, 1)?;
    let plausible = |s: &Seen| s.stamp.day >= earliest && s.stamp.day <= latest;
    let day_first = day_first(dom);
    let mut found = collect(dom, day_first);
    for (raw, role) in [
        (&ld.published, Role::Published),
        (&ld.modified, Role::Modified),
    ] {
        if let Some(stamp) = raw.as_deref().and_then(|r| text::value(r, day_first)) {
            found.structured.push(Seen { stamp, role, at: 0 });
        }
    }
    found.structured.retain(plausible);
    found.visible.retain(plausible);
    choose(&found)
        .or_else(|| {
            url.and_then(url_date)
                .filter(|s| s.day >= earliest && s.day <= latest)
        })
        .map(|s| s.rfc3339())
}

/// Picks one date out of everything found (see the module docs).
fn choose(f: &Found) -> Option<Stamp> {
    let h1 = f.h1_at.unwrap_or(0);
    let shown = |role: Role, before: usize, after: usize| {
        f.h1_at?;
        f.visible
            .iter()
            .filter(|s| s.role == role && s.at + before >= h1 && s.at <= h1 + after)
            .min_by_key(|s| s.at.abs_diff(h1))
    };
    let below = |role: Option<Role>| {
        f.visible
            .iter()
            .find(|s| s.at >= h1 && role.is_none_or(|r| s.role == r))
    };
    let structured = |role: Role| f.structured.iter().find(|s| s.role == role);
    let pick = shown(Role::Published, BESIDE_H1, BESIDE_H1)
        .or_else(|| structured(Role::Published))
        .or_else(|| shown(Role::Published, BEFORE_H1, AFTER_H1))
        .or_else(|| shown(Role::Modified, BEFORE_H1, AFTER_H1))
        .or_else(|| below(Some(Role::Published)))
        .or_else(|| structured(Role::Modified))
        .or_else(|| below(None))?;
    // The structured published value wins over a shown date a day away
    // from it: the two differ only by the time zone the page shows.
    if let Some(s) = structured(Role::Published)
        .filter(|s| s.stamp.exact.is_some() && (s.stamp.day - pick.stamp.day).num_days().abs() <= 1)
    {
        return Some(s.stamp.clone());
    }
    // A structured value for the same day lends the shown date its time.
    let timed = f
        .structured
        .iter()
        .filter(|s| s.stamp.day == pick.stamp.day && s.stamp.exact.is_some())
        .min_by_key(|s| s.role != pick.role);
    Some(timed.unwrap_or(pick).stamp.clone())
}

/// Walks the page once, noting every date it states.
fn collect(dom: &Dom, day_first: bool) -> Found {
    let mut f = Found::default();
    let mut texts = 0usize;
    let mut recent: [&str; 2] = ["", ""];
    for id in 0..dom.nodes.len() as NodeId {
        match dom.tag(id) {
            Tag::Text => {
                let t = dom.text(id).trim();
                // A date in a code sample or a command line is data, not
                // the page's date.
                if t.is_empty() || in_code(dom, id) {
                    continue;
                }
                texts += 1;
                let mut dated = false;
                if t.len() <= MAX_DATE_TEXT {
                    if let Some((stamp, at)) = text::scan(t, day_first) {
                        let label = [recent[0], recent[1], t.get(..at.start).unwrap_or("")];
                        let role = if label.iter().any(|l| says_modified(l))
                            || ancestors_say_modified(dom, id)
                        {
                            Role::Modified
                        } else {
                            Role::Published
                        };
                        f.visible.push(Seen {
                            stamp,
                            role,
                            at: texts,
                        });
                        dated = true;
                    }
                }
                // Short undated texts are the labels of the dates after them.
                recent = [recent[1], if t.len() <= 40 && !dated { t } else { "" }];
            }
            Tag::H1 if f.h1_at.is_none() && !dom.text_content(id).trim().is_empty() => {
                f.h1_at = Some(texts);
            }
            Tag::Meta => {
                let Some((key, content)) = super::meta::meta_entry(dom, id) else {
                    continue;
                };
                if let (Some(role), Some(stamp)) = (key_role(&key), text::value(content, day_first))
                {
                    f.structured.push(Seen {
                        stamp,
                        role,
                        at: texts,
                    });
                }
            }
            _ => {
                let prop = dom.attr(id, "itemprop").map(str::to_ascii_lowercase);
                let prop_role = prop.as_deref().and_then(key_role);
                if prop_role.is_none() && dom.tag(id) != Tag::Time {
                    continue;
                }
                let value = dom.attr(id, "datetime").or_else(|| dom.attr(id, "content"));
                let Some(stamp) = value.and_then(|v| text::value(v, day_first)) else {
                    continue;
                };
                if let Some(role) = prop_role {
                    f.structured.push(Seen {
                        stamp: stamp.clone(),
                        role,
                        at: texts,
                    });
                }
                if dom.tag(id) == Tag::Time {
                    let role = if says_modified(dom.attr(id, "class").unwrap_or(""))
                        || prop.as_deref().is_some_and(says_modified)
                        || says_modified(&dom.text_content(id))
                        || recent.iter().any(|l| says_modified(l))
                    {
                        Role::Modified
                    } else {
                        Role::Published
                    };
                    f.visible.push(Seen {
                        stamp,
                        role,
                        at: texts + 1,
                    });
                }
            }
        }
    }
    f
}

/// Returns the role of a date-bearing meta or itemprop key, or None when
/// the key is not about the page's own date.
fn key_role(key: &str) -> Option<Role> {
    const NOT_OURS: &[&str] = &[
        "expir",
        "birth",
        "start",
        "end",
        "event",
        "valid",
        "format",
        "copyright",
        "review",
    ];
    if NOT_OURS.iter().any(|w| key.contains(w)) {
        return None;
    }
    if says_modified(key) || key == "last-modified" {
        return Some(Role::Modified);
    }
    const PUBLISHED: &[&str] = &[
        "date", "publish", "pubdate", "pub-date", "created", "issued",
    ];
    (PUBLISHED.iter().any(|w| key.contains(w))
        || key == "article:published_time"
        || key == "og:published_time")
        .then_some(Role::Published)
}

/// Returns true if and only if a label or class says "changed since".
fn says_modified(label: &str) -> bool {
    const WORDS: &[&str] = &[
        "updat",
        "modif",
        "revis",
        "edited",
        "обновл",
        "изменен",
        "aktualisiert",
        "mis à jour",
        "actualiz",
        "bijgewerkt",
        "aggiornat",
        "atualiz",
    ];
    let lower = label.to_lowercase();
    WORDS.iter().any(|w| lower.contains(w))
}

/// Returns true if and only if a text node sits in `<pre>` or `<code>`.
fn in_code(dom: &Dom, id: NodeId) -> bool {
    let mut n = dom.node(id).parent;
    for _ in 0..4 {
        if n == super::dom::NONE {
            return false;
        }
        if matches!(dom.tag(n), Tag::Pre | Tag::Code) {
            return true;
        }
        n = dom.node(n).parent;
    }
    false
}

/// Returns true if and only if one of the two elements above a text node
/// is classed as an "updated" date.
fn ancestors_say_modified(dom: &Dom, id: NodeId) -> bool {
    let mut n = dom.node(id).parent;
    for _ in 0..2 {
        if n == super::dom::NONE {
            return false;
        }
        if dom.attr(n, "class").is_some_and(says_modified) {
            return true;
        }
        n = dom.node(n).parent;
    }
    false
}

/// Returns true if and only if the page's language writes the day first in
/// numeric dates (everyone but US English and pages that do not say).
fn day_first(dom: &Dom) -> bool {
    let lang = (0..dom.nodes.len().min(4) as NodeId)
        .find(|&id| dom.tag(id) == Tag::Html)
        .and_then(|id| dom.attr(id, "lang"))
        .map(str::to_ascii_lowercase);
    match lang.as_deref() {
        None | Some("") => false,
        Some(l) => !(l == "en" || l.starts_with("en-us") || l.starts_with("en_us")),
    }
}

/// Reads a `/2025/09/04/` or `2025-09-04` date from a URL's path.
fn url_date(url: &str) -> Option<Stamp> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"[/_-]((?:19|20)\d{2})[/_-](\d{1,2})[/_-](\d{1,2})(?:[/_.-]|$)")
            .expect("the URL date pattern compiles")
    });
    let path = url.split_once("://").map_or(url, |(_, rest)| rest);
    let c = re.captures(path)?;
    let n = |i: usize| c.get(i)?.as_str().parse::<u32>().ok();
    let day = NaiveDate::from_ymd_opt(n(1)? as i32, n(2)?, n(3)?)?;
    Some(Stamp { day, exact: None })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clean::{jsonld, parse};

    /// Runs the date finder on an invented page, as of 2025-06-01.
    fn date_of(html: &str, url: Option<&str>) -> Option<String> {
        let dom = parse::parse(html);
        let ld = jsonld::read(&dom.json_ld);
        let latest = NaiveDate::from_ymd_opt(2025, 6, 1).expect("a day");
        published_by(&dom, &ld, url, latest).map(|d| d.chars().take(10).collect())
    }

    fn page(head: &str, body: &str) -> String {
        format!("<html><head>{head}</head><body><h1>Ferry timetable changes this spring</h1>{body}<p>The harbour office said the new timetable would apply from Monday.</p></body></html>")
    }

    #[test]
    fn reads_meta_names() {
        for key in [
            r#"property="article:published_time""#,
            r#"property="og:published_time""#,
            r#"name="pubdate""#,
            r#"name="publishdate""#,
            r#"name="sailthru.date""#,
            r#"name="parsely-pub-date""#,
            r#"name="DC.date.issued""#,
            r#"name="citation_publication_date""#,
            r#"itemprop="datePublished""#,
        ] {
            let html = page(
                &format!(r#"<meta {key} content="2024-03-05T10:00:00Z">"#),
                "",
            );
            assert_eq!(date_of(&html, None).as_deref(), Some("2024-03-05"), "{key}");
        }
        let html = page(
            r#"<meta name="citation_publication_date" content="2024 Mar 5">"#,
            "",
        );
        assert_eq!(date_of(&html, None).as_deref(), Some("2024-03-05"));
    }

    #[test]
    fn a_date_in_a_code_sample_is_not_the_pages_date() {
        let html = page("", "<pre><code>$ tides --date 2025-03-14</code></pre>");
        assert_eq!(date_of(&html, None), None);
        let html = page("", "<p>Posted March 5, 2024</p><pre>2025-03-14</pre>");
        assert_eq!(date_of(&html, None).as_deref(), Some("2024-03-05"));
    }

    #[test]
    fn prefers_published_to_modified() {
        let html = page(
            r#"<meta property="article:modified_time" content="2025-01-10T09:00:00Z">
               <meta property="article:published_time" content="2024-03-05T10:00:00Z">"#,
            "",
        );
        assert_eq!(date_of(&html, None).as_deref(), Some("2024-03-05"));
        let html = page(
            "",
            r#"<p class="meta">Updated on 10 January 2025</p><p>Published 5 March 2024</p>"#,
        );
        assert_eq!(date_of(&html, None).as_deref(), Some("2024-03-05"));
    }

    #[test]
    fn reads_json_ld_in_a_graph() {
        let html = page(
            r#"<script type="application/ld+json">{"@graph":[{"@type":"WebSite","name":"Harbour News"},
               {"@type":"WebPage","datePublished":"2024-03-05T10:00:00+01:00","dateModified":"2025-01-10"}]}</script>"#,
            "",
        );
        assert_eq!(date_of(&html, None).as_deref(), Some("2024-03-05"));
    }

    #[test]
    fn reads_time_elements_and_shown_dates() {
        let html = page(
            "",
            r#"<p><time datetime="2024-03-05T10:00:00+01:00">Tuesday</time></p>"#,
        );
        assert_eq!(date_of(&html, None).as_deref(), Some("2024-03-05"));
        for shown in [
            "March 5, 2024",
            "5 Mar 2024",
            "05.03.2024",
            "2024/03/05",
            "5 марта 2024",
            "Posted on Mar 5th, 2024",
        ] {
            let html = page(
                "",
                &format!(r#"<div class="byline">By Ann Lee</div><div>{shown}</div>"#),
            );
            assert_eq!(
                date_of(&html, None).as_deref(),
                Some("2024-03-05"),
                "{shown}"
            );
        }
    }

    #[test]
    fn a_shown_date_beats_the_meta_but_an_update_does_not() {
        let meta = r#"<meta property="article:published_time" content="2024-01-20T10:00:00Z">"#;
        let html = page(meta, "<p>March 5, 2024</p>");
        assert_eq!(date_of(&html, None).as_deref(), Some("2024-03-05"));
        let html = page(meta, "<p>Last updated:</p><p>March 5, 2024</p>");
        assert_eq!(date_of(&html, None).as_deref(), Some("2024-01-20"));
    }

    #[test]
    fn falls_back_to_the_url_and_keeps_dates_plausible() {
        let html = page("", "");
        let url = Some("https://news.example/2024/03/05/ferry-timetable/");
        assert_eq!(date_of(&html, url).as_deref(), Some("2024-03-05"));
        let html = page(
            r#"<meta property="article:published_time" content="2031-01-01T00:00:00Z">"#,
            "<p>Archive since 1990-01-01</p>",
        );
        assert_eq!(date_of(&html, None), None);
    }
}
