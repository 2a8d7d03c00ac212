//! Hard-wrapped text → one line per paragraph.
//!
//! Owns paragraph reconstruction. Wire copy often arrives hard-wrapped at a
//! fixed width (ANPA/IPTC 7901 feeds, agency e-mail, `<pre>` pages, plain
//! text files): every paragraph is cut into lines of about 60–80
//! characters. The rest of normalisation is line-based (the line filter
//! judges a line as prose or chrome), so a wrapped paragraph would be judged
//! line by line and mostly thrown away, and the SHA-256 of the exact layer
//! would depend on where the lines were cut.
//!
//! A text counts as wrapped when its long lines stop at one width: the
//! 90th-percentile line length (the *wrap width*) lies between
//! [`MIN_WRAP_WIDTH`] and [`MAX_WRAP_WIDTH`] characters and at least
//! [`MIN_FULL_LINES`] lines, and a third of all non-blank lines, reach
//! [`FULL_LINE_SHARE`] of it. Raw page text (menus, counters, prose lines
//! hundreds of characters long) and cleaned bodies (one line per paragraph)
//! fail that test and pass through untouched.
//!
//! In a wrapped text, a line break inside a paragraph becomes a space. A
//! paragraph ends at a blank line, before an indented line (a leading space,
//! tab or control character, as wire services mark paragraphs), after a
//! short line (one on which the next line's first word would have fitted:
//! the wrapper would have put it there; with [`WIDTH_SLACK`] to spare when
//! the line stops inside a sentence, as wrap widths are not exact), and
//! around a line in capitals (a wire headline). Stateless.

use std::borrow::Cow;

/// Below this wrap width the text is a list of short items, not wrapped prose.
pub const MIN_WRAP_WIDTH: usize = 45;
/// Above this wrap width lines are paragraphs already (a cleaned body, raw
/// page text).
pub const MAX_WRAP_WIDTH: usize = 110;
/// A line at least this share of the wrap width was cut by the wrapper.
pub const FULL_LINE_SHARE: f64 = 0.6;
/// A wrapped text has at least this many full lines.
pub const MIN_FULL_LINES: usize = 3;
/// A line that stops inside a sentence ends its paragraph only if the next
/// line's first word would have fitted on it with this many characters to
/// spare. The width a text was wrapped at is read off its longest lines,
/// and wrappers are not exact: in METER's PA copy a line of 75 characters
/// stops before a 4-letter word at a read width of 80 in mid-sentence.
pub const WIDTH_SLACK: usize = 8;

/// Returns `text` with its hard-wrapped paragraphs joined into single lines,
/// paragraphs separated by blank lines; or `text` itself when it is not
/// wrapped.
pub fn unwrap_paragraphs(text: &str) -> Cow<'_, str> {
    let Some(width) = wrap_width(text) else {
        return Cow::Borrowed(text);
    };
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    let mut out = String::with_capacity(text.len());
    // Whether the paragraph being built may take the next line.
    let mut open = false;
    for (n, line) in lines.iter().enumerate() {
        let content = line.trim_start_matches(is_indent);
        if content.is_empty() {
            open = false;
            continue;
        }
        let indented = content.len() != line.len();
        let caps = is_capitals(content);
        if open && !indented && !caps {
            out.push(' ');
        } else if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(content.trim_end_matches(is_indent));
        // The wrapper moved the next line's first word down only if it did
        // not fit on this line; if it would have fit, this line ended its
        // paragraph.
        let next_word = lines
            .get(n + 1)
            .and_then(|l| l.split_whitespace().next())
            .map_or(0, chars);
        let room = width.saturating_sub(chars(line) + 1);
        let ended =
            next_word <= room && (ends_sentence(content) || next_word + WIDTH_SLACK <= room);
        open = !caps && next_word > 0 && !ended;
    }
    Cow::Owned(out)
}

/// Returns the wrap width of `text` if it is hard-wrapped (see the module
/// docs): the longest line that is not an outlier. `None` if the text is
/// not wrapped.
fn wrap_width(text: &str) -> Option<usize> {
    let mut lengths: Vec<usize> = text
        .lines()
        .map(|l| chars(l.trim_end()))
        .filter(|&n| n > 0)
        .collect();
    if lengths.len() < MIN_FULL_LINES {
        return None;
    }
    lengths.sort_unstable();
    let p90 = lengths[(lengths.len() * 9 / 10).min(lengths.len() - 1)];
    if !(MIN_WRAP_WIDTH..=MAX_WRAP_WIDTH).contains(&p90) {
        return None;
    }
    let full = (p90 as f64 * FULL_LINE_SHARE) as usize;
    let n_full = lengths.iter().filter(|&&n| n >= full).count();
    // Longer lines than the width are allowed for an unbreakable word or a
    // URL, but not many: a wrapper cuts at the width.
    let over = lengths.iter().filter(|&&n| n > p90 + 10).count();
    let width = lengths
        .iter()
        .copied()
        .filter(|&n| n <= p90 + 10)
        .max()
        .unwrap_or(p90);
    (n_full >= MIN_FULL_LINES && n_full * 3 >= lengths.len() && over * 20 <= lengths.len())
        .then_some(width)
}

/// Returns true if and only if `line` ends as a sentence does: with a full
/// stop, a question or exclamation mark, an ellipsis, a colon or semicolon,
/// possibly inside closing quotes or brackets. The line filter of
/// [`super::keep_line`] asks the same of a prose line.
pub(super) fn ends_sentence(line: &str) -> bool {
    let last = line
        .trim_end()
        .chars()
        .rev()
        .find(|c| !matches!(c, '"' | '\'' | '”' | '’' | '»' | ')' | ']' | '“' | '‘'));
    matches!(last, Some('.' | '!' | '?' | '…' | ':' | ';'))
}

/// Returns true if and only if `c` marks a paragraph's indentation: white
/// space or a control character (some wire formats start each paragraph
/// with one).
fn is_indent(c: char) -> bool {
    c.is_whitespace() || c.is_control()
}

/// Returns true if and only if `line` has letters and none of them is in
/// lower case (a wire headline or slug).
fn is_capitals(line: &str) -> bool {
    let mut letters = 0;
    for c in line.chars() {
        if c.is_lowercase() {
            return false;
        }
        letters += usize::from(c.is_alphabetic());
    }
    letters >= 2
}

fn chars(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.chars().count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WRAPPED: &str = "TOWN HALL TO CLOSE FOR REPAIRS\n\
        By Jane Doe, Wire News\n\
        \x19The old town hall will close next month for two years of repairs,\n\
        the council said today after a vote that split the chamber.\n\
        \x19Traders who rent stalls on its ground floor will move to a\n\
        temporary site near the railway station.\n\
        \x19The mayor said the works were overdue.\n";

    #[test]
    fn wrapped_paragraphs_are_joined() {
        let out = unwrap_paragraphs(WRAPPED);
        let paragraphs: Vec<&str> = out.split("\n\n").collect();
        assert_eq!(
            paragraphs,
            [
                "TOWN HALL TO CLOSE FOR REPAIRS",
                "By Jane Doe, Wire News",
                "The old town hall will close next month for two years of repairs, the council said today after a vote that split the chamber.",
                "Traders who rent stalls on its ground floor will move to a temporary site near the railway station.",
                "The mayor said the works were overdue.",
            ]
        );
    }

    #[test]
    fn short_line_ends_a_paragraph_and_blank_lines_too() {
        let text = "The committee met on Monday and agreed that the budget for the\n\
            next year would rise by a small amount, officials said.\n\
            Members will vote again in March.\n\
            \n\
            A second meeting, planned for the spring, is expected to settle\n\
            the question of the new library and its opening hours.\n";
        let out = unwrap_paragraphs(text);
        assert_eq!(out.split("\n\n").count(), 3, "{out}");
        assert!(out.starts_with(
            "The committee met on Monday and agreed that the budget for the next year"
        ));
    }

    #[test]
    fn a_line_that_stops_mid_sentence_goes_on_though_the_next_word_would_just_fit() {
        // Wrapped at 58 columns; the second line stops mid-sentence before
        // a word that would have fitted with one character to spare.
        let text = "The committee met on Monday and agreed that the budget for\n\
            next year would rise by a small amount, it said, and\n\
            that the library would open in the spring with new hours.\n\
            Members will vote again in March.\n";
        let out = unwrap_paragraphs(text);
        assert_eq!(out.split("\n\n").count(), 1, "{out}");
        assert!(out.contains("it said, and that the library"), "{out}");
    }

    #[test]
    fn unwrapped_text_passes_through() {
        let body = "A long paragraph that was never wrapped, because it is a cleaned article body whose lines are paragraphs of any length at all, as a cleaner writes them.\n\nA second one.";
        assert!(matches!(unwrap_paragraphs(body), Cow::Borrowed(_)));
        let menu = "Home\nWorld\nBusiness\nSport\nRead: 1344\nMore about: #Lavrov\n";
        assert!(matches!(unwrap_paragraphs(menu), Cow::Borrowed(_)));
    }
}
