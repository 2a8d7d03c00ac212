//! Byte-level scanning for the parser: skipping comments and declarations,
//! finding the end of raw-text elements, and the HTML rules on which tags
//! close or contain what.

use super::dom::Tag;

/// Skips `<!-- … -->`, `<!DOCTYPE …>`, `<![CDATA[ … ]]>`; returns the index after.
pub(super) fn skip_markup_declaration(bytes: &[u8], lt: usize) -> usize {
    if bytes[lt..].starts_with(b"<!--") {
        return match find(bytes, lt + 4, b"-->") {
            Some(end) => end + 3,
            None => bytes.len(),
        };
    }
    skip_to_gt(bytes, lt)
}

pub(super) fn skip_to_gt(bytes: &[u8], from: usize) -> usize {
    match bytes[from..].iter().position(|&c| c == b'>') {
        Some(off) => from + off + 1,
        None => bytes.len(),
    }
}

/// Finds `needle` in `bytes` at or after `from`.
pub(super) fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let first = needle[0];
    let mut i = from;
    while i + needle.len() <= bytes.len() {
        let off = bytes[i..].iter().position(|&c| c == first)?;
        i += off;
        if bytes[i..].starts_with(needle) {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// Finds a case-insensitive `</name` at or after `from`.
pub(super) fn find_end_tag(bytes: &[u8], from: usize, name: &[u8]) -> Option<usize> {
    let mut i = from;
    loop {
        let at = find(bytes, i, b"</")?;
        let rest = &bytes[at + 2..];
        if rest.len() >= name.len() && rest[..name.len()].eq_ignore_ascii_case(name) {
            let after = rest.get(name.len()).copied().unwrap_or(b'>');
            if !after.is_ascii_alphanumeric() {
                return Some(at);
            }
        }
        i = at + 2;
    }
}

/// Elements whose contents are never markup.
pub(super) fn raw_text_kind(tag: Tag, name: &str) -> Option<bool> {
    // Some(true): keep the text (it is decoded); Some(false): drop it.
    match tag {
        Tag::Title | Tag::Textarea => Some(true),
        Tag::Script | Tag::Style | Tag::Noscript | Tag::Template | Tag::Iframe => Some(false),
        Tag::Svg | Tag::Math => Some(false),
        Tag::Other if matches!(name, "xmp" | "noembed" | "noframes" | "plaintext") => Some(false),
        _ => None,
    }
}

/// Returns true if and only if a start tag of `tag` closes an open `<p>`.
pub(super) fn closes_p(tag: Tag) -> bool {
    use Tag::*;
    matches!(
        tag,
        Address
            | Article
            | Aside
            | Blockquote
            | Center
            | Details
            | Dialog
            | Div
            | Dl
            | Figcaption
            | Figure
            | Footer
            | Form
            | H1
            | H2
            | H3
            | H4
            | H5
            | H6
            | Header
            | Hgroup
            | Hr
            | Main
            | Menu
            | Nav
            | Ol
            | P
            | Pre
            | Section
            | Summary
            | Table
            | Ul
            | Li
            | Dd
            | Dt
    )
}

/// The lowercase name of a raw-text element's tag.
pub(super) fn tag_name(tag: Tag) -> &'static str {
    match tag {
        Tag::Title => "title",
        Tag::Textarea => "textarea",
        Tag::Script => "script",
        Tag::Style => "style",
        Tag::Noscript => "noscript",
        Tag::Template => "template",
        Tag::Iframe => "iframe",
        Tag::Svg => "svg",
        Tag::Math => "math",
        _ => "",
    }
}
