//! Differences between a member and its canonical text: what an outlet
//! inserted, deleted, or cut from the tail.
//!
//! Sentence first, then words: the two texts are compared as sequences of
//! sentences; a sentence that both keep is one unchanged run, and a changed
//! sentence is compared word by word with the sentence it replaced only when
//! the two share most of their words. A sentence the outlet rewrote is shown
//! as the sentence deleted and the sentence inserted, so it reads as one
//! sentence rather than as interleaved words.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use serde::Serialize;
use similar::{capture_diff_slices_deadline, Algorithm, ChangeTag, DiffTag, TextDiff};

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

/// Two changed sentences share at least this share of their words to be
/// compared word by word; below it, one replaced the other.
const SAME_SENTENCE: f64 = 0.5;

/// Compares `member` with `canonical`, sentence by sentence, then word by
/// word inside sentences that were edited (see the module docs).
pub fn word_diff(canonical: &str, member: &str) -> WordDiff {
    let (old, new) = (clip(canonical), clip(member));
    let (a, b) = (sentences(old), sentences(new));
    // Sentences compare without the white space that follows them.
    let key = |v: &[&str]| -> Vec<String> { v.iter().map(|s| s.trim().to_string()).collect() };
    let deadline = Instant::now() + Duration::from_millis(200);
    let mut out = WordDiff::default();
    let (mut deleted, mut inserted): (Vec<&str>, Vec<&str>) = (Vec::new(), Vec::new());
    for op in capture_diff_slices_deadline(Algorithm::Myers, &key(&a), &key(&b), Some(deadline)) {
        let (tag, old_range, new_range) = op.as_tag_tuple();
        match tag {
            DiffTag::Equal => {
                changed(&mut out, &mut deleted, &mut inserted);
                push(&mut out, ChangeTag::Equal, &a[old_range].concat());
            }
            DiffTag::Delete => deleted.extend(&a[old_range]),
            DiffTag::Insert => inserted.extend(&b[new_range]),
            DiffTag::Replace => {
                deleted.extend(&a[old_range]);
                inserted.extend(&b[new_range]);
            }
        }
    }
    changed(&mut out, &mut deleted, &mut inserted);
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

/// Adds the changed sentences between two unchanged runs: each inserted
/// sentence is compared word by word with the next deleted one it shares
/// most words with (the deleted ones before it were dropped whole); the
/// others are deleted or inserted whole.
fn changed<'a>(out: &mut WordDiff, deleted: &mut Vec<&'a str>, inserted: &mut Vec<&'a str>) {
    let mut next = 0;
    for n in inserted.iter() {
        let twin = deleted[next..]
            .iter()
            .position(|d| word_overlap(d, n) >= SAME_SENTENCE)
            .map(|k| next + k);
        match twin {
            Some(k) => {
                for d in &deleted[next..k] {
                    push(out, ChangeTag::Delete, d);
                }
                words(out, deleted[k], n);
                next = k + 1;
            }
            None => push(out, ChangeTag::Insert, n),
        }
    }
    for d in &deleted[next..] {
        push(out, ChangeTag::Delete, d);
    }
    deleted.clear();
    inserted.clear();
}

/// Adds the word-level differences of two versions of one sentence.
fn words(out: &mut WordDiff, old: &str, new: &str) {
    let diff = TextDiff::configure()
        .timeout(Duration::from_millis(50))
        .diff_words(old, new);
    for change in diff.iter_all_changes() {
        push(out, change.tag(), change.value());
    }
}

/// Appends a run, merging it with the last one of the same kind.
fn push(out: &mut WordDiff, tag: ChangeTag, value: &str) {
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

/// Returns the Jaccard overlap of two sentences' lowercased words.
fn word_overlap(a: &str, b: &str) -> f64 {
    let set = |s: &str| -> HashSet<String> {
        s.split_whitespace()
            .map(|w| {
                w.trim_matches(|c: char| !c.is_alphanumeric())
                    .to_lowercase()
            })
            .filter(|w| !w.is_empty())
            .collect()
    };
    let (x, y) = (set(a), set(b));
    let union = x.union(&y).count();
    if union == 0 {
        return 1.0;
    }
    x.intersection(&y).count() as f64 / union as f64
}

/// Splits `text` into sentences that join back into it: each ends after
/// `.`, `!`, `?` or `…` (and any closing quote or bracket) with the white
/// space that follows, or at a paragraph break.
fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let ends =
            matches!(c, '.' | '!' | '?' | '…') || (c == '\n' && text[i + 1..].starts_with('\n'));
        if !ends {
            continue;
        }
        let mut end = i + c.len_utf8();
        while let Some(&(j, q)) = chars.peek() {
            if matches!(q, '"' | '\'' | '”' | '’' | '»' | ')' | ']') {
                end = j + q.len_utf8();
                chars.next();
            } else {
                break;
            }
        }
        // A sentence ends only before white space (not in "3.5" or "U.S.A").
        let Some(&(_, next)) = chars.peek() else {
            break;
        };
        if !next.is_whitespace() {
            continue;
        }
        while let Some(&(j, w)) = chars.peek() {
            if w.is_whitespace() {
                end = j + w.len_utf8();
                chars.next();
            } else {
                break;
            }
        }
        out.push(&text[start..end]);
        start = end;
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
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

    #[test]
    fn a_rewritten_sentence_reads_as_one_sentence_and_an_edit_as_words() {
        let canonical = "The council voted to close the pier. The mayor said the works were overdue. Ferries will use the south terminal.";
        let member = "The council voted to close the old pier. Local officials described the repairs as long delayed. Ferries will use the south terminal.";
        let d = word_diff(canonical, member);
        // The edited first sentence: one inserted word.
        assert!(
            d.spans
                .iter()
                .any(|s| matches!(s, Span::Insert(t) if t.trim() == "old")),
            "{d:?}"
        );
        // The rewritten second sentence: deleted and inserted whole.
        assert!(d.spans.iter().any(|s| matches!(s, Span::Delete(t) if t.trim() == "The mayor said the works were overdue.")), "{d:?}");
        assert!(d.spans.iter().any(|s| matches!(s, Span::Insert(t) if t.trim() == "Local officials described the repairs as long delayed.")), "{d:?}");
        assert_eq!(d.cut_tail, 0);
        // Sentences join back into the text, and "3.5" is no sentence end.
        let text = "Rates rose 3.5 percent. \"Too much,\" he said!\n\nNext paragraph";
        assert_eq!(sentences(text).concat(), text);
        assert_eq!(sentences(text).len(), 3, "{:?}", sentences(text));
    }
}
