//! The links of a section or listing page: every `<a href>`, resolved.
//!
//! A small tag scanner rather than an HTML parser: links need no tree, and
//! the scanner skips what would fool a naive search (comments, `<script>`,
//! `<style>`, `<template>`, attributes in quotes). It honours `<base href>`.
//! Bytes are read as UTF-8, lossily: hrefs in other charsets are normally
//! ASCII or percent-encoded.

use std::borrow::Cow;
use std::collections::HashSet;

use url::Url;

use super::resolve;

/// Elements whose content is not markup: skipped up to their end tag.
const RAW_TEXT: &[&str] = &["script", "style", "template", "textarea", "noscript"];

/// The `<a href>` targets of an HTML page, resolved against `base` (the
/// page's URL, or its `<base href>`), without fragments, deduplicated, in
/// document order. Only http(s) links are kept (no `mailto:`,
/// `javascript:` ...).
///
/// ```
/// use url::Url;
/// use wirecopy::fetch::page_links;
///
/// let html = br#"<ul><li><a href="/world/1">One</a><li><a href='/world/1#c'>Comments</a>
///   <li><a href="mailto:desk@news.example">Mail</a></ul>"#;
/// let base = Url::parse("https://news.example/world/").unwrap();
/// let links: Vec<String> = page_links(html, &base).iter().map(Url::to_string).collect();
/// assert_eq!(links, ["https://news.example/world/1"]);
/// ```
pub fn page_links(html: &[u8], base: &Url) -> Vec<Url> {
    let html = String::from_utf8_lossy(html);
    let mut base = base.clone();
    let mut seen = HashSet::new();
    let mut links = Vec::new();
    for tag in Tags::new(&html) {
        if tag.name != "a" && tag.name != "base" {
            continue;
        }
        let Some(url) = tag.href(&base) else {
            continue;
        };
        if tag.name == "base" {
            base = url;
        } else if seen.insert(url.clone()) {
            links.push(url);
        }
    }
    links
}

/// One start or end tag met by [`Tags`].
pub(super) struct Tag<'a> {
    /// The element name, lowercased; end tags start with `/` (`/nav`).
    pub(super) name: String,
    /// The raw attribute text of a start tag.
    pub(super) attributes: &'a str,
}

impl Tag<'_> {
    /// The value of attribute `wanted`, with character references decoded.
    pub(super) fn attribute(&self, wanted: &str) -> Option<String> {
        attribute(self.attributes, wanted).map(|value| decode_entities(&value).into_owned())
    }

    /// The tag's `href` resolved against `base`, without its fragment;
    /// `None` when it is missing, empty, fragment-only or not http(s).
    pub(super) fn href(&self, base: &Url) -> Option<Url> {
        let href = self.attribute("href")?;
        // Empty and fragment-only hrefs point back at this page.
        if href.trim().is_empty() || href.trim_start().starts_with('#') {
            return None;
        }
        let mut url = resolve(base, &href)?;
        url.set_fragment(None);
        Some(url)
    }
}

/// The tags of an HTML text in document order, skipping comments and the
/// content of raw-text elements (`<script>`, `<style>` ...).
pub(super) struct Tags<'a> {
    rest: &'a str,
}

impl<'a> Tags<'a> {
    /// Scans `html` from its start.
    pub(super) fn new(html: &'a str) -> Tags<'a> {
        Tags { rest: html }
    }
}

impl<'a> Iterator for Tags<'a> {
    type Item = Tag<'a>;

    fn next(&mut self) -> Option<Tag<'a>> {
        loop {
            let open = self.rest.find('<')?;
            let rest = &self.rest[open + 1..];
            if let Some(comment) = rest.strip_prefix("!--") {
                self.rest = comment.find("-->").map_or("", |end| &comment[end + 3..]);
                continue;
            }
            let (closing, rest) = match rest.strip_prefix('/') {
                Some(after) => (true, after),
                None => (false, rest),
            };
            let name_len = rest
                .find(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/')
                .unwrap_or(rest.len());
            let name = rest[..name_len].to_ascii_lowercase();
            let (attributes, after) = split_tag(&rest[name_len..]);
            self.rest = after;
            if name.is_empty() {
                continue;
            }
            if closing {
                return Some(Tag {
                    name: format!("/{name}"),
                    attributes: "",
                });
            }
            if RAW_TEXT.contains(&name.as_str()) {
                self.rest = skip_raw_text(self.rest, &name);
            }
            return Some(Tag { name, attributes });
        }
    }
}

/// Splits the text after a tag name into its attributes and what follows
/// the closing `>`, stepping over quoted values.
fn split_tag(text: &str) -> (&str, &str) {
    let mut quote = None;
    for (at, c) in text.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return (&text[..at], &text[at + 1..]),
            (None, _) => {}
        }
    }
    (text, "")
}

/// Skips past the end tag of a raw-text element.
fn skip_raw_text<'a>(text: &'a str, name: &str) -> &'a str {
    let closing = format!("</{name}");
    let lower = text.to_ascii_lowercase();
    // ASCII lowercasing keeps every byte offset, so the index is valid in `text`.
    match lower.find(&closing) {
        Some(at) => &text[at..],
        None => "",
    }
}

/// The value of attribute `wanted` in a tag's attribute text.
fn attribute(mut text: &str, wanted: &str) -> Option<String> {
    loop {
        text = text.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '/');
        if text.is_empty() {
            return None;
        }
        let name_len = text
            .find(|c: char| c.is_ascii_whitespace() || c == '=' || c == '/')
            .unwrap_or(text.len());
        let name = &text[..name_len];
        text = text[name_len..].trim_start();
        let value = if let Some(after_eq) = text.strip_prefix('=') {
            let after_eq = after_eq.trim_start();
            let (value, after) = match after_eq.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let inner = &after_eq[1..];
                    let end = inner.find(q).unwrap_or(inner.len());
                    (&inner[..end], inner.get(end + 1..).unwrap_or(""))
                }
                _ => {
                    let end = after_eq
                        .find(|c: char| c.is_ascii_whitespace())
                        .unwrap_or(after_eq.len());
                    (&after_eq[..end], &after_eq[end..])
                }
            };
            text = after;
            value
        } else {
            ""
        };
        if name.eq_ignore_ascii_case(wanted) {
            return Some(value.to_owned());
        }
    }
}

/// Decodes the character references that occur in hrefs: `&amp;` and
/// friends, and numeric ones.
fn decode_entities(text: &str) -> Cow<'_, str> {
    if !text.contains('&') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest.find(';').filter(|end| *end <= 10);
        let decoded = end.and_then(|end| {
            let name = &rest[1..end];
            let c = match name {
                "amp" => '&',
                "quot" => '"',
                "apos" => '\'',
                "lt" => '<',
                "gt" => '>',
                "nbsp" => '\u{a0}',
                _ => {
                    let number = name.strip_prefix('#')?;
                    let code = match number.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => number.parse().ok()?,
                    };
                    char::from_u32(code)?
                }
            };
            Some((c, end + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links(html: &str) -> Vec<String> {
        let base = Url::parse("https://news.example/world/index.html").expect("valid URL");
        page_links(html.as_bytes(), &base)
            .iter()
            .map(Url::to_string)
            .collect()
    }

    #[test]
    fn resolves_dedups_and_keeps_order() {
        let html = r##"<html><body>
<A HREF="story-1.html">One</A>
<a class=x href=/politics/2 data-x=">">Two</a>
<a title='a > b' href="https://other.example/3?a=1&amp;b=2&#38;c=3">Three</a>
<a href="story-1.html#comments">One again</a>
<a href="mailto:x@news.example">Mail</a> <a href="javascript:void(0)">JS</a> <a href="#top">Top</a>
<a name="anchor">No href</a><a href>Empty</a>
<a href="//cdn.example/4">Four</a>
</body></html>"##;
        assert_eq!(
            links(html),
            [
                "https://news.example/world/story-1.html",
                "https://news.example/politics/2",
                "https://other.example/3?a=1&b=2&c=3",
                "https://cdn.example/4"
            ]
        );
    }

    #[test]
    fn skips_comments_scripts_and_styles() {
        let html = r#"<!-- <a href="/commented">x</a> -->
<script>document.write('<a href="/scripted">x</a>')</script>
<STYLE>a[href="/styled"]{}</STYLE>
<noscript><a href="/noscript">x</a></noscript>
<a href="/real">Real</a>
<script>unterminated <a href="/never">"#;
        assert_eq!(links(html), ["https://news.example/real"]);
    }

    #[test]
    fn honours_base_href() {
        let html = r#"<head><base href="https://mirror.example/ru/"></head><a href="news/1">x</a>"#;
        assert_eq!(links(html), ["https://mirror.example/ru/news/1"]);
    }

    #[test]
    fn cyrillic_and_broken_markup_do_not_panic() {
        let html = "<a href=\"/новости/1\">Новости</a><a href=\"/x\" <<<< <a href='/y";
        let found = links(html);
        assert_eq!(
            found[0],
            "https://news.example/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8/1"
        );
        assert!(links("<").is_empty());
        assert!(links("<a").is_empty());
        assert!(links("<a href=").is_empty());
        assert!(links("&amp;<a href='&#xZZ;&'>").len() <= 1);
    }

    #[test]
    fn entity_decoding() {
        assert_eq!(decode_entities("a&amp;b&#38;c&#x26;d"), "a&b&c&d");
        assert_eq!(decode_entities("a&b; &unknown; &"), "a&b; &unknown; &");
        assert_eq!(decode_entities("&#xD800;"), "&#xD800;");
    }
}
