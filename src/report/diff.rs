//! Word-level differences between a member and its canonical text: what an
//! outlet inserted, deleted, or cut from the tail.

use serde::Serialize;
use similar::{ChangeTag, TextDiff};

/// One run of words: kept, inserted by the member, or deleted from the canonical.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "op", content = "text", rename_all = "lowercase")]
pub enum Span {
    /// Words both texts have.
    Same(String),
    /// Words only the member has.
    Insert(String),
    /// Words only the canonical has.
    Delete(String),
}

impl Span {
    fn new(tag: ChangeTag, text: String) -> Span {
        match tag {
            ChangeTag::Equal => Span::Same(text),
            ChangeTag::Insert => Span::Insert(text),
            ChangeTag::Delete => Span::Delete(text),
        }
    }

    fn tag(&self) -> ChangeTag {
        match self {
            Span::Same(_) => ChangeTag::Equal,
            Span::Insert(_) => ChangeTag::Insert,
            Span::Delete(_) => ChangeTag::Delete,
        }
    }

    fn text_mut(&mut self) -> &mut String {
        match self {
            Span::Same(t) | Span::Insert(t) | Span::Delete(t) => t,
        }
    }

    /// The run's text.
    pub fn text(&self) -> &str {
        match self {
            Span::Same(t) | Span::Insert(t) | Span::Delete(t) => t,
        }
    }
}

/// How a member differs from its canonical.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct WordDiff {
    /// Words the member added.
    pub inserted: usize,
    /// Words the member dropped (including the cut tail).
    pub deleted: usize,
    /// Words of the canonical's end that the member lacks: its cut tail.
    pub cut_tail: usize,
    /// The runs, in text order.
    pub spans: Vec<Span>,
}

/// Texts longer than this many words are compared on their first part only,
/// so one huge page cannot stall a report.
const MAX_WORDS: usize = 3000;

fn clip(text: &str) -> &str {
    match text.split_whitespace().nth(MAX_WORDS) {
        Some(w) => {
            let end = w.as_ptr() as usize - text.as_ptr() as usize;
            &text[..end]
        }
        None => text,
    }
}

/// Compares `member` with `canonical` word by word.
pub fn word_diff(canonical: &str, member: &str) -> WordDiff {
    let (old, new) = (clip(canonical), clip(member));
    let diff = TextDiff::configure()
        .timeout(std::time::Duration::from_millis(200))
        .diff_words(old, new);
    let mut out = WordDiff::default();
    for change in diff.iter_all_changes() {
        let value = change.value();
        let tag = change.tag();
        match tag {
            ChangeTag::Insert => out.inserted += value.split_whitespace().count(),
            ChangeTag::Delete => out.deleted += value.split_whitespace().count(),
            ChangeTag::Equal => {}
        }
        match out.spans.last_mut() {
            Some(last) if last.tag() == tag => last.text_mut().push_str(value),
            _ => out.spans.push(Span::new(tag, value.to_string())),
        }
    }
    // Runs that are only whitespace say nothing; fold them into "same".
    out.spans.retain(|s| match s {
        Span::Insert(t) | Span::Delete(t) => !t.trim().is_empty(),
        Span::Same(_) => true,
    });
    out.cut_tail = out
        .spans
        .iter()
        .rev()
        .take_while(|s| !matches!(s, Span::Same(t) if !t.trim().is_empty()))
        .map(|s| match s {
            Span::Delete(t) => t.split_whitespace().count(),
            _ => 0,
        })
        .sum();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_insertions_deletions_and_a_cut_tail() {
        let canonical = "MOSCOW, May 3. /TASS/. Talks resumed on Friday. The next round is set for June. Both sides hope for progress.";
        let member = "Talks resumed on Friday, Sputnik reported. The next round is set for June.";
        let d = word_diff(canonical, member);
        assert!(d.inserted >= 2, "{d:?}");
        assert!(d.deleted >= 9, "{d:?}");
        assert_eq!(d.cut_tail, 5, "{d:?}");
        assert!(d
            .spans
            .iter()
            .any(|s| matches!(s, Span::Insert(t) if t.contains("Sputnik"))));
        let same = word_diff(canonical, canonical);
        assert_eq!((same.inserted, same.deleted, same.cut_tail), (0, 0, 0));
    }
}
