//! A member's diff against its canonical, side by side: the canonical on the
//! left, the member on the right, one row per sentence.
//!
//! The spans come from [`crate::report::word_diff`], which compares
//! sentences first and words inside edited sentences. This file only lays
//! them out: a row ends where an unchanged run ends a sentence, so a row
//! holds one unchanged sentence, or one edited sentence with its word-level
//! `<del>` (left) and `<ins>` (right) marks, or the sentences one side alone
//! has. Runs of more than [`KEEP_SAME`] unchanged rows fold into a
//! `<details>` element, which opens without JavaScript.

use crate::report::html::esc;
use crate::report::Span;

/// Unchanged rows shown before a long unchanged stretch folds.
const KEEP_SAME: usize = 2;

/// One row of the side-by-side view (HTML, escaped).
#[derive(Debug, Default, PartialEq, Eq)]
struct Row {
    left: String,
    right: String,
    changed: bool,
}

/// Splits `text` after each sentence end (`.`, `!`, `?`, `…` followed by
/// white space and then a capital letter, a digit or an opening quote, so
/// "March 4. /TASS/." stays whole), keeping the white space with the
/// sentence before it.
fn sentence_pieces(text: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        if matches!(c, '.' | '!' | '?' | '…') {
            if let Some(&(j, next)) = chars.peek() {
                if next.is_whitespace() {
                    let mut end = j;
                    while let Some(&(k, w)) = chars.peek() {
                        if !w.is_whitespace() {
                            break;
                        }
                        end = k + w.len_utf8();
                        chars.next();
                    }
                    let starts_sentence = chars.peek().is_some_and(|&(_, n)| {
                        n.is_uppercase() || n.is_ascii_digit() || "\"«“‘'(".contains(n)
                    });
                    if starts_sentence {
                        pieces.push(&text[start..end]);
                        start = end;
                    }
                }
            }
        }
    }
    if start < text.len() {
        pieces.push(&text[start..]);
    }
    pieces
}

/// Returns true if and only if `text` ends a sentence.
fn closes(text: &str) -> bool {
    text.trim_end().ends_with(['.', '!', '?', '…'])
}

fn rows(spans: &[Span]) -> Vec<Row> {
    let mut rows = Vec::new();
    let mut row = Row::default();
    // The last change in the row ended a sentence ("June." replaced).
    let mut change_closed = false;
    for span in spans {
        match span {
            Span::Insert(t) => {
                row.right.push_str(&format!("<ins>{}</ins>", esc(t)));
                row.changed = true;
                change_closed = closes(t);
            }
            Span::Delete(t) => {
                row.left.push_str(&format!("<del>{}</del>", esc(t)));
                row.changed = true;
                change_closed = closes(t);
            }
            Span::Same(t) => {
                let mut t = t.as_str();
                let rest = t.trim_start();
                if change_closed && rest.len() < t.len() {
                    // The kept run starts a new sentence after the edited one.
                    let lead = &t[..t.len() - rest.len()];
                    row.left.push_str(lead);
                    row.right.push_str(lead);
                    rows.push(std::mem::take(&mut row));
                    t = rest;
                }
                change_closed = false;
                let pieces = sentence_pieces(t);
                let last = pieces.len().saturating_sub(1);
                for (i, piece) in pieces.into_iter().enumerate() {
                    row.left.push_str(&esc(piece));
                    row.right.push_str(&esc(piece));
                    // Split points are sentence ends; so is the end of a
                    // kept run that closes a sentence.
                    let ends_sentence =
                        i < last || (piece.ends_with(char::is_whitespace) && closes(piece));
                    if ends_sentence {
                        rows.push(std::mem::take(&mut row));
                    }
                }
            }
        }
    }
    if !row.left.trim().is_empty() || !row.right.trim().is_empty() {
        rows.push(row);
    }
    rows
}

/// The side-by-side table for `spans`, headed with the two outlets' names.
pub(crate) fn render(spans: &[Span], left_title: &str, right_title: &str) -> String {
    let rows = rows(spans);
    let mut html = format!(
        "<table class=\"sbs\"><tr><th>canonical: {}</th><th>this member: {}</th></tr>",
        esc(left_title),
        esc(right_title)
    );
    let mut i = 0;
    while i < rows.len() {
        let same_run = rows[i..].iter().take_while(|r| !r.changed).count();
        if same_run > 2 * KEEP_SAME + 1 {
            for r in &rows[i..i + KEEP_SAME] {
                html.push_str(&tr(r));
            }
            let hidden = same_run - 2 * KEEP_SAME;
            html.push_str(&format!(
                "<tr class=\"same\"><td colspan=\"2\"><details><summary class=\"meta\">{hidden} unchanged sentences</summary><table class=\"sbs\">"
            ));
            for r in &rows[i + KEEP_SAME..i + KEEP_SAME + hidden] {
                html.push_str(&tr(r));
            }
            html.push_str("</table></details></td></tr>");
            for r in &rows[i + KEEP_SAME + hidden..i + same_run] {
                html.push_str(&tr(r));
            }
            i += same_run;
        } else if same_run > 0 {
            for r in &rows[i..i + same_run] {
                html.push_str(&tr(r));
            }
            i += same_run;
        } else {
            html.push_str(&tr(&rows[i]));
            i += 1;
        }
    }
    html.push_str("</table>");
    html
}

fn tr(r: &Row) -> String {
    format!(
        "<tr class=\"{}\"><td>{}</td><td>{}</td></tr>",
        if r.changed { "changed" } else { "same" },
        r.left,
        r.right
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::word_diff;

    #[test]
    fn splits_after_sentence_ends_only() {
        assert_eq!(
            sentence_pieces("One. Two? Three 3.5 four"),
            ["One. ", "Two? ", "Three 3.5 four"]
        );
        assert_eq!(
            sentence_pieces("GENEVA, May 3. /TASS/. Talks resumed."),
            ["GENEVA, May 3. /TASS/. ", "Talks resumed."]
        );
        assert_eq!(sentence_pieces("Всё… Да. "), ["Всё… ", "Да. "]);
    }

    #[test]
    fn an_edited_sentence_is_one_row_with_word_marks() {
        let canonical = "Talks resumed on Friday. The next round follows in June. The agenda was not disclosed.";
        let member = "Talks resumed on Friday. The next round follows in July. The agenda was not disclosed.";
        let d = word_diff(canonical, member);
        let rows = rows(&d.spans);
        assert_eq!(rows.len(), 3, "{rows:?}");
        assert!(!rows[0].changed && rows[1].changed && !rows[2].changed);
        assert!(
            rows[1].left.contains("<del>June.</del>") || rows[1].left.contains("<del>June"),
            "{:?}",
            rows[1]
        );
        assert!(rows[1].right.contains("<ins>July"), "{:?}", rows[1]);
        assert!(rows[1].left.contains("The next round follows in"));
    }

    #[test]
    fn escapes_and_folds_long_unchanged_stretches() {
        let same: String = (0..10)
            .map(|i| format!("Sentence {i} <b>is</b> here. "))
            .collect();
        let canonical = format!("{same}Old end.");
        let member = format!("{same}New <script>x</script> end.");
        let html = render(&word_diff(&canonical, &member).spans, "tass", "blog<b>");
        assert!(html.contains("6 unchanged sentences"), "{html}");
        assert!(!html.contains("<script>") && !html.contains("<b>"));
        assert!(html.contains("blog&lt;b&gt;"));
    }
}
