//! [`warnings`]: signs that a cleaned article still carries chrome or lost
//! its body, for a person checking a new outlet (`wirecopy sources check`).

use super::{chrome, Article};

/// Returns plain-language warnings about one cleaned article: missing
/// metadata, text that came from a fallback step of the cascade, a body too
/// short to be the article, runs of short lines that look like a menu or
/// link list, repeated paragraphs, leftover chrome.
pub fn warnings(article: &Article) -> Vec<String> {
    let mut out = Vec::new();
    if article.title.is_none() {
        out.push("no title found".to_string());
    }
    if article.published.is_none() {
        out.push("no publication time found (JSON-LD, meta tags or <time>)".to_string());
    }
    if article.extraction.is_fallback() {
        out.push(format!(
            "the text comes from the cascade's {} step, not the scored body; check it, or try --body-selector",
            article.extraction
        ));
    }
    let chars = article.text.chars().count();
    if chars < 400 {
        out.push(format!(
            "the text is only {chars} characters: the body may be missing; try --body-selector"
        ));
    }
    let paragraphs: Vec<&str> = article.paragraphs().collect();
    let mut run = 0usize;
    let mut longest_run = 0usize;
    for p in &paragraphs {
        if p.split_whitespace().count() <= 6 && !p.ends_with(['.', '!', '?', '"', '»', '”']) {
            run += 1;
            longest_run = longest_run.max(run);
        } else {
            run = 0;
        }
    }
    if longest_run >= 4 {
        out.push(format!(
            "{longest_run} short lines in a row look like a menu or link list; try drop_selectors"
        ));
    }
    let mut seen = std::collections::HashSet::new();
    if let Some(dup) = paragraphs
        .iter()
        .find(|p| p.len() > 30 && !seen.insert(**p))
    {
        out.push(format!("a paragraph appears twice: {:?}", shorten(dup)));
    }
    for p in &paragraphs {
        if chrome::is_chrome_line(p) {
            out.push(format!("looks like chrome: {:?}", shorten(p)));
        }
        if p.contains("{{") || p.contains("}}") {
            out.push(format!(
                "template placeholder left in the text: {:?}",
                shorten(p)
            ));
        }
    }
    out
}

fn shorten(s: &str) -> String {
    let mut t: String = s.chars().take(60).collect();
    if t.len() < s.len() {
        t.push('…');
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_menus_and_short_bodies() {
        let article = Article {
            text: "Home\n\nWorld\n\nBusiness\n\nSport\n\nThe minister spoke.".into(),
            ..Article::default()
        };
        let w = warnings(&article);
        assert!(w.iter().any(|x| x.contains("no title")), "{w:?}");
        assert!(w.iter().any(|x| x.contains("menu or link list")), "{w:?}");
        assert!(w.iter().any(|x| x.contains("only")), "{w:?}");
        let fallback = Article {
            extraction: crate::clean::Extraction::ProseRegion,
            ..article.clone()
        };
        assert!(warnings(&fallback)
            .iter()
            .any(|x| x.contains("prose-region step")));
        let good = Article {
            title: Some("T".into()),
            published: Some("2024-01-01T00:00:00+00:00".into()),
            text: "A long paragraph of real prose that goes on for a while, as articles do. "
                .repeat(8),
            ..Article::default()
        };
        assert!(warnings(&good).is_empty(), "{:?}", warnings(&good));
    }
}
