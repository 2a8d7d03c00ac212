//! What a homepage declares about itself: the feeds it names with
//! `<link rel="alternate">`, and the links of its main navigation (the
//! section pages a person would click). Both read with the tag scanner of
//! `page.rs`, so comments and scripts are skipped the same way.
//!
//! The navigation is every `<a href>` inside a `<nav>` element or an element
//! with `role="navigation"`; a page with neither falls back to its
//! `<header>`. Nesting is tracked per element name, which is enough for
//! the well-formed menus sites write and harmless for the rest.

use std::collections::HashSet;

use url::Url;

use super::page::Tags;

/// The `type`s of `<link rel="alternate">` that name a feed.
const FEED_TYPES: &[&str] = &[
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/feed+json",
    "application/json+feed",
];

/// The feeds a page declares with `<link rel="alternate" type="…rss+xml">`
/// (or Atom, RDF, JSON Feed), resolved against `base` (honouring `<base
/// href>`), deduplicated, in document order.
///
/// ```
/// use url::Url;
/// use wirecopy::fetch::discover::declared_feeds;
///
/// let html = br#"<head><link rel="alternate" type="application/rss+xml" href="/rss.xml">
///   <link rel="alternate" hreflang="en" href="/en/"></head>"#;
/// let base = Url::parse("https://news.example/").unwrap();
/// let feeds: Vec<String> = declared_feeds(html, &base).iter().map(Url::to_string).collect();
/// assert_eq!(feeds, ["https://news.example/rss.xml"]);
/// ```
pub fn declared_feeds(html: &[u8], base: &Url) -> Vec<Url> {
    let html = String::from_utf8_lossy(html);
    let mut base = base.clone();
    let mut seen = HashSet::new();
    let mut feeds = Vec::new();
    for tag in Tags::new(&html) {
        match tag.name.as_str() {
            "base" => {
                if let Some(url) = tag.href(&base) {
                    base = url;
                }
            }
            "link" => {
                let rel = tag
                    .attribute("rel")
                    .unwrap_or_default()
                    .to_ascii_lowercase();
                if !rel.split_ascii_whitespace().any(|r| r == "alternate") {
                    continue;
                }
                let kind = tag.attribute("type").unwrap_or_default();
                let kind = kind.trim().to_ascii_lowercase();
                if !FEED_TYPES.iter().any(|t| kind.starts_with(t)) {
                    continue;
                }
                if let Some(url) = tag.href(&base).filter(|u| seen.insert(u.clone())) {
                    feeds.push(url);
                }
            }
            _ => {}
        }
    }
    feeds
}

/// The links of a page's main navigation: the `<a href>`s inside `<nav>`
/// or `role="navigation"` elements, else inside `<header>`; resolved,
/// without fragments, deduplicated, in document order.
///
/// ```
/// use url::Url;
/// use wirecopy::fetch::discover::navigation_links;
///
/// let html = br#"<nav><a href="/world/">World</a><a href="/economy/">Economy</a></nav>
///   <main><a href="/world/2024/05/03/talks">Talks</a></main>"#;
/// let base = Url::parse("https://news.example/").unwrap();
/// let nav: Vec<String> = navigation_links(html, &base).iter().map(Url::to_string).collect();
/// assert_eq!(nav, ["https://news.example/world/", "https://news.example/economy/"]);
/// ```
pub fn navigation_links(html: &[u8], base: &Url) -> Vec<Url> {
    let html = String::from_utf8_lossy(html);
    let nav = links_inside(&html, base, |name, role| {
        name == "nav" || role.eq_ignore_ascii_case("navigation")
    });
    if !nav.is_empty() {
        return nav;
    }
    links_inside(&html, base, |name, _| name == "header")
}

/// The links inside the elements `wanted(name, role)` picks.
fn links_inside(html: &str, base: &Url, wanted: impl Fn(&str, &str) -> bool) -> Vec<Url> {
    let mut base = base.clone();
    // The open picked elements: name, and how many same-named elements
    // opened inside it are still open.
    let mut open: Vec<(String, usize)> = Vec::new();
    let mut seen = HashSet::new();
    let mut links = Vec::new();
    for tag in Tags::new(html) {
        if let Some(closed) = tag.name.strip_prefix('/') {
            if let Some(top) = open.last_mut().filter(|top| top.0 == closed) {
                if top.1 == 0 {
                    open.pop();
                } else {
                    top.1 -= 1;
                }
            }
            continue;
        }
        let role = tag.attribute("role").unwrap_or_default();
        if wanted(&tag.name, &role) {
            open.push((tag.name.clone(), 0));
        } else if let Some(top) = open.last_mut().filter(|top| top.0 == tag.name) {
            top.1 += 1;
        }
        match tag.name.as_str() {
            "base" => {
                if let Some(url) = tag.href(&base) {
                    base = url;
                }
            }
            "a" if !open.is_empty() => {
                if let Some(url) = tag.href(&base).filter(|u| seen.insert(u.clone())) {
                    links.push(url);
                }
            }
            _ => {}
        }
    }
    links
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Url {
        Url::parse("https://news.example/index.html").expect("valid URL")
    }

    fn strings(urls: Vec<Url>) -> Vec<String> {
        urls.iter().map(Url::to_string).collect()
    }

    #[test]
    fn feeds_by_rel_and_type_in_order() {
        let html = r#"<html><head>
<link rel="stylesheet" href="/a.css">
<LINK REL="Alternate" TYPE="application/atom+xml; charset=utf-8" HREF="atom.xml">
<link rel="alternate" type="application/rss+xml" title="Main" href="https://news.example/rss">
<link rel="alternate" type="text/html" hreflang="ru" href="/ru/">
<link rel="alternate feed" type="application/rss+xml" href="/rss">
<!-- <link rel="alternate" type="application/rss+xml" href="/commented"> -->
<link type="application/rss+xml" href="/no-rel">
</head></html>"#;
        assert_eq!(
            strings(declared_feeds(html.as_bytes(), &base())),
            ["https://news.example/atom.xml", "https://news.example/rss"]
        );
    }

    #[test]
    fn navigation_is_nav_or_role_else_header() {
        let html = r#"<header><a href="/logo">Logo</a>
<div role="navigation"><div><a href="/world/">World</a></div><a href="/sport/">Sport</a></div>
<a href="/outside-role">x</a></header>
<nav><ul><li><a href="/economy/">Economy</a></li></ul><nav><a href="/inner">i</a></nav>
<a href="/still-nav">s</a></nav>
<main><a href="/2024/05/03/story">Story</a></main>"#;
        assert_eq!(
            strings(navigation_links(html.as_bytes(), &base())),
            [
                "https://news.example/world/",
                "https://news.example/sport/",
                "https://news.example/economy/",
                "https://news.example/inner",
                "https://news.example/still-nav"
            ]
        );
        let header_only = r#"<header><a href="/politics/">Politics</a></header><a href="/x">x</a>"#;
        assert_eq!(
            strings(navigation_links(header_only.as_bytes(), &base())),
            ["https://news.example/politics/"]
        );
        assert!(navigation_links(b"<a href='/x'>x</a>", &base()).is_empty());
    }

    #[test]
    fn broken_markup_does_not_panic() {
        for html in [
            "<nav",
            "<nav><a href=",
            "</nav></nav><a href='/x'>",
            "<link rel=alternate",
        ] {
            let _ = navigation_links(html.as_bytes(), &base());
            let _ = declared_feeds(html.as_bytes(), &base());
        }
    }
}
