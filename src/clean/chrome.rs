//! Lines of site chrome recognised by their words alone.
//!
//! Markup-based pruning ([`super::hints`]) catches chrome in its own
//! elements. What survives it is chrome written inline with the article:
//! a "Read also" line between paragraphs, a view counter next to the date,
//! a lone photo credit, a template placeholder the page never filled in.
//! These rules look at one block of text at a time and only ever at short
//! blocks, so a real paragraph that merely mentions "advertisement" stays.

/// Blocks longer than this (in chars) are never judged chrome by wording.
const SHORT: usize = 160;

/// Openings of chrome lines (compared lowercased).
const PREFIXES: &[&str] = &[
    "our standards",
    "this slideshow requires javascript",
    "tell us what you think",
    "have a tip",
    "got a tip",
    "get the latest",
    "follow @",
    "sign up to receive",
    "to get the latest",
    "editorial standards",
    "read also",
    "read more",
    "see also",
    "also read",
    "related:",
    "related articles",
    "related stories",
    "related news",
    "related coverage",
    "more on this",
    "more about:",
    "share this",
    "share on",
    "share:",
    "follow us",
    "sign up for",
    "sign up to",
    "subscribe to",
    "click here",
    "photo:",
    "photos:",
    "image:",
    "picture:",
    "credit:",
    "photo credit",
    "image credit",
    "tags:",
    "topics:",
    "filed under",
    "copyright ©",
    "all rights reserved",
    "читайте также",
    "читайте еще",
    "читать также",
    "смотрите также",
    "подписывайтесь",
    "поделиться",
    "фото:",
    "теги:",
    "leave a reply",
    "leave a comment",
    "post comment",
    "your email address will not be published",
    "you must be logged in",
    "required fields are marked",
    "© copyright",
];

/// Labels that open a chrome line of at most [`LABEL_WORDS`] words
/// ("Advertisement", "Sponsored content"): longer lines starting so are prose.
const LABELS: &[&str] = &[
    "recommended",
    "advertisement",
    "advertising",
    "sponsored",
    "loading",
    "комментарии",
    "реклама",
    "partner content",
    "advert",
    "promoted",
];

/// How many words a [`LABELS`] line may have.
const LABEL_WORDS: usize = 4;

/// Whole chrome lines (compared lowercased, trimmed of punctuation).
const EXACT: &[&str] = &[
    "share",
    "loading",
    "show more",
    "more news",
    "all news",
    "news line",
    "news feed",
    "comments",
    "print",
    "email",
    "facebook",
    "twitter",
    "whatsapp",
    "telegram",
    "close",
    "menu",
    "search",
    "home",
    "next",
    "previous",
    "top stories",
    "most read",
    "partner news",
    "in other media",
    "persons",
    "photo",
    "video",
    "infographics",
    "advertisement",
    "ad",
    "реклама",
    "новости",
    "все новости",
    "войти",
    "subscribe",
    "log in",
    "sign in",
];

/// Returns true if and only if `text` (one block, whitespace collapsed)
/// reads as site chrome.
pub(crate) fn is_chrome_line(text: &str) -> bool {
    let t = text.trim();
    if t.is_empty() {
        return true;
    }
    if t.chars().count() > SHORT {
        return false;
    }
    let lower = t.to_lowercase();
    let bare = lower.trim_matches(|c: char| !c.is_alphanumeric());
    if EXACT.contains(&bare) {
        return true;
    }
    if PREFIXES.iter().any(|p| lower.starts_with(p)) {
        return true;
    }
    if lower.split_whitespace().count() <= LABEL_WORDS
        && LABELS.iter().any(|p| lower.starts_with(p))
    {
        return true;
    }
    if lower.starts_with('©') || lower.starts_with("(c)") {
        return true;
    }
    is_counter(&lower) || is_icon_sprite(&lower)
}

/// "Read: 1344", "Views 12 000", "12 February 2018 Read: 1344".
fn is_counter(lower: &str) -> bool {
    if lower.chars().count() > 60 {
        return false;
    }
    for key in [
        "read:",
        "views:",
        "views",
        "просмотров:",
        "просмотров",
        "прочитали:",
    ] {
        if let Some(at) = lower.find(key) {
            let rest = lower[at + key.len()..].trim();
            if !rest.is_empty()
                && rest.chars().all(|c| {
                    c.is_ascii_digit() || c == ' ' || c == ',' || c == '.' || c == '\u{a0}'
                })
            {
                return true;
            }
        }
    }
    false
}

/// "icon bookmark-bicon cameraicon check…": words from an icon font.
fn is_icon_sprite(lower: &str) -> bool {
    let words: Vec<&str> = lower.split_whitespace().collect();
    let icons = words.iter().filter(|w| w.contains("icon")).count();
    words.len() >= 3 && icons * 3 >= words.len()
}

/// Removes unfilled template placeholders (`{{item.group_date}}`, `{% … %}`,
/// `${name}`) from a block, in place.
pub(crate) fn strip_placeholders(text: &mut String) {
    for (open, close) in [("{{", "}}"), ("{%", "%}"), ("${", "}")] {
        while let Some(start) = text.find(open) {
            let Some(len) = text[start..].find(close) else {
                break;
            };
            text.replace_range(start..start + len + close.len(), "");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_chrome_lines() {
        for line in [
            "Read also",
            "Read: 1344",
            "12 February 2018 Read: 1344",
            "More about: #Minister",
            "© Ivan Petrov/Agency",
            "Реклама",
            "Leave a Reply",
            "Your email address will not be published. Required fields are marked *",
            "icon bookmark-bicon bookmarkicon cameraicon checkicon chevron down",
            "Share",
        ] {
            assert!(is_chrome_line(line), "{line}");
        }
    }

    #[test]
    fn keeps_prose() {
        for line in [
            "The minister said the talks would resume in March.",
            "Advertisement revenue at the broadcaster fell by a third last year, the report said.",
            "Share prices rose 3% on Monday.",
            "Read the full statement below, he told reporters.",
        ] {
            assert!(!is_chrome_line(line), "{line}");
        }
    }

    #[test]
    fn strips_placeholders() {
        let mut s =
            "Now {{item.group_date}} and {{item.suffix?\", \"+item.suffix:\"\"}} then".to_string();
        strip_placeholders(&mut s);
        assert_eq!(s, "Now  and  then");
        let mut open = "a {{ b".to_string();
        strip_placeholders(&mut open);
        assert_eq!(open, "a {{ b");
    }
}
