//! The headline: which of the page's candidates (`<h1>`s, og:title, the
//! JSON-LD headline, `<title>`) is the article's title, and the site's name
//! cut from it.
//!
//! An `<h1>` wins when a title tag confirms it (contains it, or repeats
//! enough of its words); otherwise the first title tag, without the site's
//! name at either end (" | Harbour News") or a short section tail.

use super::super::dom::Dom;
use super::super::jsonld::LinkedData;
use super::{collapse, PageMeta};

/// The share of an `<h1>`'s words a title must repeat to confirm it as the
/// headline. Measured on the WCXB dev split: 0.3 keeps the most right
/// (0.2–0.6 are within a point of each other; taking any `<h1>` is worse on
/// non-article pages).
const H1_SHARED: f64 = 0.3;

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
pub(super) fn strip_site_suffix(title: &str) -> String {
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
        let dom = crate::clean::parse::parse(html);
        let ld = crate::clean::jsonld::read(&dom.json_ld);
        title(&dom, &super::super::read(&dom), &ld)
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
}
