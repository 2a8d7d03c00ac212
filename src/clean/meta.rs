//! Page metadata from `<head>` and markup: title, byline, language,
//! canonical URL. The publication date has its own module, [`super::date`].
//!
//! Sources in order of trust: JSON-LD ([`super::jsonld`]), Open Graph and
//! `article:` meta tags, other common meta names, then visible markup
//! (`<h1>`, a `byline` element).

use super::dom::{Dom, NodeId, Tag};
use super::jsonld::LinkedData;

/// Everything the head and markup say, before the body is read.
#[derive(Clone, Debug, Default)]
pub(crate) struct PageMeta {
    pub og_title: Option<String>,
    pub h1: Option<String>,
    pub author: Option<String>,
    pub lang: Option<String>,
    pub canonical: Option<String>,
    pub og_url: Option<String>,
    pub byline_text: Option<String>,
}

/// Reads meta tags and markup in one pass over the tree.
pub(crate) fn read(dom: &Dom) -> PageMeta {
    let mut m = PageMeta::default();
    for id in 0..dom.nodes.len() as NodeId {
        match dom.tag(id) {
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
            Tag::H1 if m.h1.is_none() => {
                let t = collapse(&dom.text_content(id));
                if !t.is_empty() {
                    m.h1 = Some(t);
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
    m
}

fn read_meta(dom: &Dom, id: NodeId, m: &mut PageMeta) {
    let key = dom
        .attr(id, "property")
        .or_else(|| dom.attr(id, "name"))
        .or_else(|| dom.attr(id, "itemprop"))
        .or_else(|| dom.attr(id, "http-equiv"))
        .map(str::to_ascii_lowercase);
    let (Some(key), Some(content)) = (key, dom.attr(id, "content")) else {
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
        "author" | "article:author" | "byl" | "dc.creator" | "sailthru.author"
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

/// Picks the headline: the `<h1>` when the `<title>`/og:title confirms it,
/// else og:title or `<title>` without its " | Site" suffix.
pub(crate) fn title(dom: &Dom, m: &PageMeta, ld: &LinkedData) -> Option<String> {
    let doc_title = dom.title.as_deref().map(collapse).filter(|t| !t.is_empty());
    let candidates = [m.og_title.clone(), ld.headline.clone(), doc_title.clone()];
    if let Some(h1) = &m.h1 {
        let h1k = key(h1);
        if h1k.len() >= 8 && candidates.iter().flatten().any(|c| key(c).contains(&h1k)) {
            return Some(h1.clone());
        }
    }
    let best = m
        .og_title
        .clone()
        .or_else(|| ld.headline.clone())
        .or(doc_title)
        .or_else(|| m.h1.clone())?;
    Some(strip_site_suffix(&collapse(&best)))
}

/// Drops a " | Site name" or " - Site" tail from a title.
pub(crate) fn strip_site_suffix(title: &str) -> String {
    for sep in [" | ", " – ", " — ", " - ", " :: ", " · ", " » "] {
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

/// Cleans a byline: "By Jane Roe and John Doe" → "Jane Roe and John Doe".
pub(crate) fn clean_byline(raw: &str) -> Option<String> {
    let s = collapse(raw);
    let lower = s.to_lowercase();
    let s = ["by ", "автор: ", "author: ", "written by "]
        .iter()
        .find(|p| lower.starts_with(*p))
        .map_or(s.as_str(), |p| &s[p.len()..])
        .trim()
        .trim_end_matches([',', '|', '-'])
        .trim();
    (!s.is_empty() && s.len() < 100).then(|| s.to_string())
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

    #[test]
    fn cleans_bylines_and_langs() {
        assert_eq!(clean_byline(" By  Jane Roe ").as_deref(), Some("Jane Roe"));
        assert_eq!(primary_lang("en-GB").as_deref(), Some("en"));
        assert_eq!(primary_lang("ru_RU").as_deref(), Some("ru"));
        assert_eq!(primary_lang("x"), None);
    }
}
