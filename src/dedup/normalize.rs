//! Text → comparison tokens: the line filter, datelines, agency credits and
//! character folding.
//!
//! Owns everything that decides *which words* of a page take part in the
//! comparison and *how they are spelled* there. Stateless: every function is a
//! pure map from text to [`Tokens`]. Any change to what comes out here changes
//! fingerprints, so it goes with a bump of [`super::FINGERPRINT_VERSION`].
//!
//! The input is either a cleaned body (paragraphs joined by `\n\n`) or the raw
//! text of a page as a scraper saw it (menus, counters, captions and all), so
//! the first step is a line filter that keeps prose and drops chrome:
//! [`keep_line`]. Datelines are cut from the start of a line
//! ([`super::dateline::strip_dateline`]); agency names and the report verbs next to them are
//! dropped from the token stream ([`drop_credits`]). Characters are folded with
//! NFKD (compatibility decomposition, combining marks dropped), case folding,
//! Cyrillic/Greek look-alike folding and the removal of invisible format
//! characters; words are then folded for British/American spelling.

mod block;
mod fold;
mod scan;
mod unwrap;

pub(crate) use fold::fold_lookalike;
use scan::push_line;
use unwrap::ends_sentence;
pub use unwrap::unwrap_paragraphs;

use super::dateline::strip_dateline;
use super::lexicon::CHROME_PREFIXES;
use super::wordset::class;

/// The words of one text as they take part in comparisons.
///
/// The words live in one buffer (no allocation per word): `text` holds them
/// separated by single spaces, and one entry per word says where it ends,
/// its hash and its class. The buffer is bytes so that the scanner can
/// write a short word with one fixed-size store; everything written to it
/// is a `str` or a `char`, so it is always UTF-8.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tokens {
    text: Vec<u8>,
    items: Vec<Word>,
    agency_seen: bool,
}

/// One word of [`Tokens`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Word {
    /// [`super::shingle::word_hash`] of the folded word.
    pub(crate) hash: u64,
    /// Where the word ends in [`Tokens::joined`].
    end: u32,
    /// [`class`] bits: the lexicon's, and `ANCHOR` and `DIGITS` from the
    /// source text.
    pub(crate) class: u8,
}

impl Tokens {
    /// Returns the number of words.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Returns true if and only if there are no words.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Returns word `i`.
    ///
    /// # Panics
    ///
    /// Panics if `i >= self.len()`.
    pub fn word(&self, i: usize) -> &str {
        utf8(self.word_bytes(i))
    }

    /// [`Tokens::word`] as bytes.
    fn word_bytes(&self, i: usize) -> &[u8] {
        let start = if i == 0 {
            0
        } else {
            self.items[i - 1].end as usize + 1
        };
        &self.text[start..self.items[i].end as usize]
    }

    /// Returns true if and only if word `i` is a name or a number in the
    /// source: capitalised away from the start of a sentence, or all digits.
    ///
    /// # Panics
    ///
    /// Panics if `i >= self.len()`.
    pub fn is_anchor(&self, i: usize) -> bool {
        self.items[i].class & class::ANCHOR != 0
    }

    /// Returns the words joined by single spaces.
    pub fn joined(&self) -> &str {
        utf8(&self.text)
    }

    /// [`Tokens::joined`] as bytes.
    pub(crate) fn joined_bytes(&self) -> &[u8] {
        &self.text
    }

    /// Returns the folded words in reading order.
    pub fn words(&self) -> impl Iterator<Item = &str> + '_ {
        self.joined().split(' ').filter(|w| !w.is_empty())
    }

    /// Returns the hash and class of every word, in reading order.
    pub(crate) fn items(&self) -> &[Word] {
        &self.items
    }

    /// Empties the tokens and makes room for a text of `bytes` bytes.
    fn clear(&mut self, bytes: usize) {
        self.text.clear();
        self.items.clear();
        self.agency_seen = false;
        self.text.reserve(bytes);
        // About one word per six bytes of prose.
        self.items.reserve(bytes / 5 + 8);
    }

    /// Opens a word: returns where its first byte goes in the text.
    fn start_word(&mut self) -> usize {
        if !self.text.is_empty() {
            self.text.push(b' ');
        }
        self.text.len()
    }

    /// Closes the word that ends at the end of the text.
    fn end_word(&mut self, hash: u64, class: u8) {
        if class & class::AGENCY != 0 {
            self.agency_seen = true;
        }
        self.items.push(Word {
            hash,
            end: u32::try_from(self.text.len()).unwrap_or(u32::MAX),
            class,
        });
    }
}

/// Returns the text of the token buffer, which holds UTF-8 only (see
/// [`Tokens`]).
fn utf8(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes).expect("the token buffer holds only str and char writes")
}

/// Below this many words the strict line filter is not trusted, and every
/// line of the text is used instead: short inputs are taken as they are.
const MIN_FILTERED_WORDS: usize = 15;

/// Returns the comparison tokens of `text` (a cleaned body or raw page text).
pub fn tokens(text: &str) -> Tokens {
    let mut out = Tokens::default();
    tokens_into(text, &mut out);
    out
}

/// [`tokens`] into a caller's buffer, which is cleared first: sketching many
/// texts in a row reuses its allocations.
pub fn tokens_into(text: &str, out: &mut Tokens) {
    let text = &*unwrap_paragraphs(text);
    out.clear(text.len());
    let mut kept = 0;
    for line in text.lines() {
        if push_if_prose(line, out) {
            kept += 1;
        }
    }
    if kept == 0 || out.len() < MIN_FILTERED_WORDS {
        out.clear(text.len());
        for line in text.lines() {
            push_line(strip_dateline(line.trim()), out);
        }
    }
    drop_credits(out);
}

/// Tokenises one line into `out` and keeps it there if and only if
/// [`keep_line`] holds; returns whether it was kept. One pass serves both the
/// decision and the tokens.
fn push_if_prose(line: &str, out: &mut Tokens) -> bool {
    let line = line.trim();
    if !passes_prefilter(line) {
        return false;
    }
    let (text_mark, words_mark, agency_mark) = (out.text.len(), out.len(), out.agency_seen);
    push_line(strip_dateline(line), out);
    let new = &out.items[words_mark..];
    let stop = new
        .iter()
        .take(50)
        .filter(|w| w.class & class::STOP != 0)
        .count();
    // A title-case line ("Russia Ready to Continue Security Dialogue with
    // U.S.") is a headline even when it ends with a full stop: every word
    // after the first is a stop word or capitalised.
    let headline = new.len() < 20
        && (words_mark + 1..out.len()).all(|i| {
            out.items[i].class & (class::ANCHOR | class::STOP) != 0 || out.word_bytes(i).len() == 1
        });
    if !headline && is_prose(line, out.len() - words_mark, stop) {
        return true;
    }
    out.text.truncate(text_mark);
    out.items.truncate(words_mark);
    out.agency_seen = agency_mark;
    false
}

/// The cheap part of [`keep_line`]: no placeholders, credits or chrome starts.
fn passes_prefilter(line: &str) -> bool {
    if line.is_empty() || has_placeholder(line) || line.contains('©') || is_wire_note(line) {
        return false;
    }
    let head = line.get(..line.len().min(24)).unwrap_or(line);
    if head.is_ascii() {
        // Most lines start with a letter no prefix starts with.
        let first = head.as_bytes().first().map_or(0, u8::to_ascii_lowercase);
        return !CHROME_PREFIXES.iter().any(|p| {
            p.as_bytes()[0] == first
                && head
                    .as_bytes()
                    .get(..p.len())
                    .is_some_and(|h| h.eq_ignore_ascii_case(p.as_bytes()))
        });
    }
    let lower: String = line.chars().take(24).flat_map(char::to_lowercase).collect();
    !CHROME_PREFIXES.iter().any(|p| lower.starts_with(p))
}

/// Returns true if and only if `line` is a wire service's note to editors,
/// wholly in brackets: `(with pic)`, `(corrected repetition, adds quote)`.
fn is_wire_note(line: &str) -> bool {
    line.len() < 160
        && ((line.starts_with('(') && line.ends_with(')'))
            || (line.starts_with('[') && line.ends_with(']')))
}

/// Returns true if and only if `line` holds `{{` (a template placeholder).
/// A search for `{` (the standard library's word-at-a-time `memchr`) with
/// a look at the next byte: cheaper than setting up a substring search for
/// every line, and than a byte loop.
fn has_placeholder(line: &str) -> bool {
    let mut rest = line;
    while let Some(at) = rest.find('{') {
        rest = &rest[at + 1..];
        if rest.starts_with('{') {
            return true;
        }
    }
    false
}

/// The word-count part of [`keep_line`], given the line's words and how
/// many of its first 50 are stop words.
fn is_prose(line: &str, words: usize, stop: usize) -> bool {
    if words < 5 {
        return false;
    }
    if words >= 8 && stop * 100 < words.min(50) * 5 {
        return false;
    }
    ends_sentence(line) || words >= 20
}

/// Returns true if and only if a line of page text looks like article prose
/// rather than site chrome, a caption, a headline or an inserted link line.
///
/// Prose is a line of at least five words that ends like a sentence, or a
/// long line (20+ words) with a normal share of stop words. Headlines,
/// standfirsts without a full stop, menus, counters ("Read: 1344"), tag lines
/// ("More about: #Lavrov"), captions and credits ("© Name/TASS"), template
/// placeholders and icon-sprite text all fail one of these tests.
pub fn keep_line(line: &str) -> bool {
    push_if_prose(line, &mut Tokens::default())
}

/// Drops agency names from the tokens, with a credit verb next to them
/// (`sputnik reported`, `tass reports`) and a leading `according to`.
pub fn drop_credits(t: &mut Tokens) {
    if !t.agency_seen {
        return;
    }
    let n = t.len();
    let is = |i: usize, bit: u8| t.items[i].class & bit != 0;
    let mut drop: Vec<usize> = Vec::new();
    for i in 0..n {
        if !is(i, class::AGENCY) {
            continue;
        }
        drop.push(i);
        if i + 1 < n && is(i + 1, class::CREDIT) {
            drop.push(i + 1);
        }
        if i >= 1 && is(i - 1, class::CREDIT) {
            drop.push(i - 1);
        }
        if i >= 2 && t.word_bytes(i - 2) == b"according" && t.word_bytes(i - 1) == b"to" {
            drop.push(i - 2);
            drop.push(i - 1);
        }
    }
    if drop.is_empty() {
        return;
    }
    let mut kept = Tokens::default();
    for i in 0..n {
        if !drop.contains(&i) {
            kept.start_word();
            kept.text.extend_from_slice(t.word_bytes(i));
            kept.end_word(t.items[i].hash, t.items[i].class);
        }
    }
    *t = kept;
}

#[cfg(test)]
mod tests;
