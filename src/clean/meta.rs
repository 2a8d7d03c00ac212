//! Page metadata from `<head>` and markup: title, byline, language,
//! canonical URL. The publication date has its own module, [`super::date`].
//!
//! Sources in order of trust: JSON-LD ([`super::jsonld`]), Open Graph and
//! `article:` meta tags, other common meta names, then visible markup
//! (`<h1>`, a `byline` element).

use super::dom::{Dom, NodeId, Tag};
use super::entity;
use super::jsonld::LinkedData;

/// Everything the head and markup say, before the body is read.
#[derive(Clone, Debug, Default)]
pub(crate) struct PageMeta {
    pub og_title: Option<String>,
    pub h1: Vec<String>,
    pub site_name: Option<String>,
    pub author: Option<String>,
    pub lang: Option<String>,
    pub canonical: Option<String>,
    pub og_url: Option<String>,
    pub byline_text: Option<String>,
}

/// How many `<h1>`s are weighed as the headline (a logo may come first).
const MAX_H1: usize = 3;

/// The share of an `<h1>`'s words a title must repeat to confirm it as the
/// headline. Measured on the WCXB dev split: 0.3 keeps the most right
/// (0.2–0.6 are within a point of each other; taking any `<h1>` is worse on
/// non-article pages).
const H1_SHARED: f64 = 0.3;

/// Labels after which a page writes its author's name: "By", "Written by".
const BY_LABELS: [&str; 5] = ["by", "written by", "posted by", "author", "автор"];

/// Returns true if and only if a short text could be a person's or an
/// outlet's name: one to six words, the first capitalised, no digits.
fn looks_like_name(s: &str) -> bool {
    let words = s.split_whitespace().count();
    (1..=6).contains(&words)
        && s.chars().next().is_some_and(char::is_uppercase)
        && !s.chars().any(|c| c.is_ascii_digit())
}

/// Reads meta tags and markup in one pass over the tree.
pub(crate) fn read(dom: &Dom) -> PageMeta {
    let mut m = PageMeta::default();
    let mut by_text: Option<String> = None;
    let mut name_next = false;
    for id in 0..dom.nodes.len() as NodeId {
        match dom.tag(id) {
            // The last resort for the byline: a name after a "By" label.
            Tag::Text if by_text.is_none() => {
                let t = dom.text(id).trim();
                if t.is_empty() {
                    continue;
                }
                let lower = t.to_lowercase();
                if name_next {
                    by_text = looks_like_name(t).then(|| t.to_string());
                    name_next = false;
                } else if BY_LABELS.contains(&lower.trim_end_matches(':')) {
                    name_next = true;
                } else if BY_LABELS
                    .iter()
                    .any(|l| lower.starts_with(&format!("{l} ")))
                {
                    let rest = strip_label(t);
                    by_text = looks_like_name(rest).then(|| rest.to_string());
                }
            }
            Tag::Meta => read_meta(dom, id, &mut m),
            Tag::Link => {
                let rel = dom.attr(id, "rel").unwrap_or("");
                if rel.eq_ignore_ascii_case("canonical") && m.canonical.is_none() {
                    m.canonical = dom.attr(id, "href").map(|s| s.trim().to_string());
                }
            }
            Tag::Html if m.lang.is_none() => {
                m.lang = dom.attr(id, "lang").map(str::to_string);
            }
            Tag::H1 if m.h1.len() < MAX_H1 => {
                let t = collapse(&dom.text_content(id));
                if !t.is_empty() {
                    m.h1.push(t);
                }
            }
            Tag::Text | Tag::Root => {}
            _ if m.byline_text.is_none() && is_byline(dom, id) => {
                let t = collapse(&dom.text_content(id));
                if !t.is_empty() && t.len() < 120 {
                    m.byline_text = Some(t);
                }
            }
            _ => {}
        }
    }
    if m.byline_text.is_none() {
        m.byline_text = by_text;
    }
    m
}

/// Returns a `<meta>` element's key (its `property`, `name`, `itemprop` or
/// `http-equiv`, lowercased) and its `content`, if it has both.
pub(super) fn meta_entry(dom: &Dom, id: NodeId) -> Option<(String, &str)> {
    let key = dom
        .attr(id, "property")
        .or_else(|| dom.attr(id, "name"))
        .or_else(|| dom.attr(id, "itemprop"))
        .or_else(|| dom.attr(id, "http-equiv"))?
        .to_ascii_lowercase();
    Some((key, dom.attr(id, "content")?))
}

fn read_meta(dom: &Dom, id: NodeId, m: &mut PageMeta) {
    let Some((key, content)) = meta_entry(dom, id) else {
        return;
    };
    let content = content.trim();
    if content.is_empty() {
        return;
    }
    let set = |slot: &mut Option<String>| {
        if slot.is_none() {
            *slot = Some(content.to_string());
        }
    };
    match key.as_str() {
        "og:title" | "twitter:title" => set(&mut m.og_title),
        "og:url" => set(&mut m.og_url),
        "og:site_name" | "application-name" => set(&mut m.site_name),
        "author" | "article:author" | "byl" | "dc.creator" | "dcterms.creator"
        | "sailthru.author"
            if !content.starts_with("http") =>
        {
            set(&mut m.author)
        }
        "content-language" | "og:locale" | "language" => set(&mut m.lang),
        _ => {}
    }
}

fn is_byline(dom: &Dom, id: NodeId) -> bool {
    if dom
        .attr(id, "rel")
        .is_some_and(|r| r.eq_ignore_ascii_case("author"))
    {
        return true;
    }
    if dom.attr(id, "itemprop").is_some_and(|r| r == "author") {
        return true;
    }
    dom.attr(id, "class").is_some_and(|c| {
        c.split(|ch: char| !ch.is_ascii_alphanumeric())
            .any(|w| w.eq_ignore_ascii_case("byline") || w.eq_ignore_ascii_case("author"))
    })
}

/// Collapses runs of whitespace to one space and trims.
pub(crate) fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Picks the headline: an `<h1>` that the `<title>`, og:title or JSON-LD
/// headline confirms (by containing it, or sharing most of its words), else
/// one of those without its " | Site" part. A candidate that is only the
/// site's name (og:site_name) never wins.
pub(crate) fn title(dom: &Dom, m: &PageMeta, ld: &LinkedData) -> Option<String> {
    let site = m.site_name.as_deref().map(key).filter(|k| k.len() >= 3);
    let not_site = |c: &str| site.as_ref().is_none_or(|s| key(c) != *s);
    let doc_title = dom.title.as_deref().map(collapse);
    let candidates: Vec<String> = [m.og_title.clone(), ld.headline.clone(), doc_title]
        .into_iter()
        .flatten()
        .map(|c| collapse(&c))
        .filter(|c| !c.is_empty() && not_site(c))
        .collect();
    let h1s = || m.h1.iter().filter(|h| key(h).len() >= 8 && not_site(h));
    if let Some(h1) = h1s().find(|h| candidates.iter().any(|c| key(c).contains(&key(h)))) {
        return Some(h1.clone());
    }
    // Sites rewrite their titles for search engines and keep the headline
    // in the `<h1>`: a few shared words are enough to tell it from a logo.
    if let Some(h1) = h1s().find(|h| candidates.iter().any(|c| shared(h, c) >= H1_SHARED)) {
        return Some(h1.clone());
    }
    let best = candidates.first().or_else(|| m.h1.first())?;
    let host = m
        .canonical
        .as_deref()
        .or(m.og_url.as_deref())
        .and_then(host_key);
    Some(strip_site(best, site.as_deref(), host.as_deref()))
}

/// Returns the share of `a`'s words that `b` also has.
fn shared(a: &str, b: &str) -> f64 {
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    let (a, b) = (words(a), words(b));
    if a.len() < 2 {
        return 0.0;
    }
    a.iter().filter(|w| b.contains(w)).count() as f64 / a.len() as f64
}

/// Drops the site's name from either end of a title ("Site | Title",
/// "Title - Site"), then any short " | Section" tail. `site` is the key of
/// og:site_name; `host` that of the page's host without `www.` and TLD.
fn strip_site(title: &str, site: Option<&str>, host: Option<&str>) -> String {
    const SEPS: [&str; 8] = [" | ", " – ", " — ", " - ", " :: ", " · ", " » ", " • "];
    let is_site = |piece: &str| {
        let k = key(piece);
        k.len() >= 3
            && piece.split_whitespace().count() <= 4
            && (site == Some(k.as_str())
                || host.is_some_and(|h| h == k || (k.len() >= 5 && h.contains(&k))))
    };
    for sep in SEPS {
        if let Some((head, tail)) = title.split_once(sep) {
            if is_site(head) && !tail.trim().is_empty() {
                return strip_site(tail.trim(), site, host);
            }
        }
        if let Some(at) = title.rfind(sep) {
            let (head, tail) = (&title[..at], &title[at + sep.len()..]);
            if is_site(tail) && !head.trim().is_empty() {
                return strip_site(head.trim(), site, host);
            }
        }
    }
    strip_site_suffix(title)
}

/// The key of a URL's host without `www.` and its last label
/// (`https://www.harbour-news.example/x` → `harbournews`).
fn host_key(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let host = rest.split(['/', '?', '#', ':']).next()?;
    let host = host.strip_prefix("www.").unwrap_or(host);
    let name = host.rsplit_once('.').map_or(host, |(name, _)| name);
    Some(key(name)).filter(|k| k.len() >= 3)
}

/// Drops a " | Site name" or " - Site" tail from a title.
pub(crate) fn strip_site_suffix(title: &str) -> String {
    for sep in [" | ", " – ", " — ", " - ", " :: ", " · ", " » ", " • "] {
        if let Some(at) = title.rfind(sep) {
            let (head, tail) = (&title[..at], &title[at + sep.len()..]);
            if tail.split_whitespace().count() <= 4 && head.split_whitespace().count() >= 3 {
                return strip_site_suffix(head.trim());
            }
        }
    }
    title.trim().to_string()
}

fn key(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Cleans a byline: "By Jane Roe and John Doe" → "Jane Roe and John Doe";
/// "Jane Roe - March 5, 2024 • 4 min read" → "Jane Roe".
pub(crate) fn clean_byline(raw: &str) -> Option<String> {
    let mut s = collapse(&entity::decode(raw));
    // A date ends the name, or starts a byline that names the author after it.
    if let Some(at) = super::date::find_in_text(&s) {
        let (before, after) = (
            s.get(..at.start).unwrap_or(""),
            s.get(at.end..).unwrap_or(""),
        );
        s = if strip_label(before).is_empty() {
            after
        } else {
            before
        }
        .to_string();
    }
    for stop in [
        " • ",
        " | ",
        " · ",
        " on ",
        "last updated",
        "updated",
        "published",
    ] {
        if let Some(at) = find_ignore_case(&s, stop).filter(|&at| at > 0) {
            s.truncate(at);
        }
    }
    let name = strip_label(&s);
    let lower = name.to_lowercase();
    let label_only =
        ["by", "author", "the author", "written by", "posted by"].contains(&lower.as_str());
    (!name.is_empty() && name.len() < 100 && !label_only).then(|| name.to_string())
}

/// Drops a leading "By", "Author:", "Written by" and trailing separators.
fn strip_label(s: &str) -> &str {
    const LABELS: [&str; 8] = [
        "written by",
        "posted by",
        "author:",
        "автор:",
        "author ",
        "by:",
        "by ",
        "автор ",
    ];
    let mut s = s.trim();
    for label in LABELS {
        if s.get(..label.len())
            .is_some_and(|h| h.to_lowercase() == label)
        {
            s = s
                .get(label.len()..)
                .unwrap_or("")
                .trim_start_matches(':')
                .trim();
            break;
        }
    }
    s.trim_matches([',', '|', '-', '–', '—', ':', '•', '·', ' '])
}

/// Returns the byte offset of `needle` (lowercase ASCII) in `hay`, ignoring case.
fn find_ignore_case(hay: &str, needle: &str) -> Option<usize> {
    hay.char_indices().map(|(i, _)| i).find(|&i| {
        hay.get(i..i + needle.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(needle))
    })
}

/// Reduces a language tag to its lowercase primary subtag (`en-GB` → `en`).
pub(crate) fn primary_lang(tag: &str) -> Option<String> {
    let primary = tag
        .trim()
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    (primary.len() >= 2 && primary.len() <= 3 && primary.chars().all(|c| c.is_ascii_alphabetic()))
        .then_some(primary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_site_suffixes() {
        assert_eq!(
            strip_site_suffix("Talks resume in Geneva | World News"),
            "Talks resume in Geneva"
        );
        assert_eq!(
            strip_site_suffix("Talks resume in Geneva - Daily Star - Latest"),
            "Talks resume in Geneva"
        );
        assert_eq!(
            strip_site_suffix("Ukraine - EU talks"),
            "Ukraine - EU talks"
        );
    }

    fn title_of(html: &str) -> Option<String> {
        let dom = super::super::parse::parse(html);
        let ld = super::super::jsonld::read(&dom.json_ld);
        title(&dom, &read(&dom), &ld)
    }

    #[test]
    fn picks_the_h1_that_the_title_confirms() {
        // The <title> is rewritten for search engines; the <h1> shares a few words.
        let page = r#"<html><head><title>Ferry Timetable 2025: Every Change Explained | Harbour News</title>
            <meta property="og:site_name" content="Harbour News"></head>
            <body><h1>Harbour News</h1><h1>New ferry timetable starts on Monday</h1></body></html>"#;
        assert_eq!(
            title_of(page).as_deref(),
            Some("New ferry timetable starts on Monday")
        );
        // No agreeing <h1>: the title without the site's name at either end.
        let page = r#"<html><head><title>Harbour News | Ferry timetable changes</title>
            <link rel="canonical" href="https://www.harbournews.example/ferry">
            </head><body><h1>Subscribe to our newsletter</h1></body></html>"#;
        assert_eq!(title_of(page).as_deref(), Some("Ferry timetable changes"));
        let page = r#"<html><head><meta property="og:title" content="Harbour News">
            <meta property="og:site_name" content="Harbour News">
            <title>Ferry timetable changes • Harbour News</title></head><body></body></html>"#;
        assert_eq!(title_of(page).as_deref(), Some("Ferry timetable changes"));
    }

    #[test]
    fn finds_a_name_after_a_by_label() {
        let m = read(&super::super::parse::parse(
            "<html><body><h1>Ferry timetable changes</h1><p>Written by</p><p>Ann Lee</p></body></html>",
        ));
        assert_eq!(m.byline_text.as_deref(), Some("Ann Lee"));
        let m = read(&super::super::parse::parse(
            "<html><body><p>By Ann Lee</p><p>by 2025 the ferry will run hourly</p></body></html>",
        ));
        assert_eq!(m.byline_text.as_deref(), Some("Ann Lee"));
        let m = read(&super::super::parse::parse(
            "<html><body><p>By clicking here you agree to 12 rules.</p></body></html>",
        ));
        assert_eq!(m.byline_text, None);
    }

    #[test]
    fn cleans_bylines_and_langs() {
        assert_eq!(clean_byline(" By  Jane Roe ").as_deref(), Some("Jane Roe"));
        assert_eq!(
            clean_byline("Author: Jane Roe").as_deref(),
            Some("Jane Roe")
        );
        assert_eq!(
            clean_byline("Jane Roe - March 5, 2024 • 4 min read").as_deref(),
            Some("Jane Roe")
        );
        assert_eq!(
            clean_byline("5 March 2024 by Jane Roe").as_deref(),
            Some("Jane Roe")
        );
        assert_eq!(
            clean_byline("Written By: Jane Roe Last Updated: May 2").as_deref(),
            Some("Jane Roe")
        );
        assert_eq!(clean_byline("Ann &amp; Bo").as_deref(), Some("Ann & Bo"));
        assert_eq!(clean_byline("By"), None);
        assert_eq!(primary_lang("en-GB").as_deref(), Some("en"));
        assert_eq!(primary_lang("ru_RU").as_deref(), Some("ru"));
        assert_eq!(primary_lang("x"), None);
    }
}
