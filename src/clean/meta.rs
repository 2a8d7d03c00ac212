//! Page metadata from `<head>` and markup: title, byline, language,
//! canonical URL. The publication date has its own module, [`super::date`].
//!
//! Sources in order of trust: JSON-LD ([`super::jsonld`]), Open Graph and
//! `article:` meta tags, other common meta names, then visible markup
//! (`<h1>`, a `byline` element).
//!
//! This file reads them all in one pass over the tree ([`read`] →
//! [`PageMeta`]); [`title`] picks the headline among the candidates and
//! [`byline`] tells names from labels and cleans the byline.

mod byline;
mod title;

pub(crate) use byline::clean_byline;
pub(crate) use title::title;

use super::dom::{Dom, NodeId, Tag};
use byline::{is_byline, looks_like_name, strip_label, BY_LABELS};

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

/// Collapses runs of whitespace to one space and trims.
pub(crate) fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
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
    fn reduces_language_tags() {
        assert_eq!(primary_lang("en-GB").as_deref(), Some("en"));
        assert_eq!(primary_lang("ru_RU").as_deref(), Some("ru"));
        assert_eq!(primary_lang("x"), None);
    }
}
