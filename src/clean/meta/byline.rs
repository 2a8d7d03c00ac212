//! The byline: telling an author's name from the labels around it ("By",
//! "Written by", "Author:") and cleaning what the page gives ("Jane Roe -
//! March 5, 2024 • 4 min read" → "Jane Roe").
//!
//! [`super::read`] uses the labels and [`is_byline`] to find a byline in
//! markup; [`clean_byline`] cleans whichever source won (JSON-LD, a meta
//! tag, that markup).

use super::super::dom::{Dom, NodeId};
use super::super::entity;
use super::collapse;

/// Labels after which a page writes its author's name: "By", "Written by".
pub(super) const BY_LABELS: [&str; 5] = ["by", "written by", "posted by", "author", "автор"];

/// Returns true if and only if a short text could be a person's or an
/// outlet's name: one to six words, the first capitalised, no digits.
pub(super) fn looks_like_name(s: &str) -> bool {
    let words = s.split_whitespace().count();
    (1..=6).contains(&words)
        && s.chars().next().is_some_and(char::is_uppercase)
        && !s.chars().any(|c| c.is_ascii_digit())
}

/// Returns true if and only if an element is marked as the byline
/// (`rel="author"`, `itemprop="author"`, a `byline`/`author` class).
pub(super) fn is_byline(dom: &Dom, id: NodeId) -> bool {
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

/// Cleans a byline: "By Jane Roe and John Doe" → "Jane Roe and John Doe";
/// "Jane Roe - March 5, 2024 • 4 min read" → "Jane Roe".
pub(crate) fn clean_byline(raw: &str) -> Option<String> {
    let mut s = collapse(&entity::decode(raw));
    // A date ends the name, or starts a byline that names the author after it.
    if let Some(at) = super::super::date::find_in_text(&s) {
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
pub(super) fn strip_label(s: &str) -> &str {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleans_bylines() {
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
    }
}
