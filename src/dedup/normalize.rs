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

mod fold;

pub(crate) use fold::fold_lookalike;
use fold::{fold_char, is_apostrophe};

use super::dateline::strip_dateline;
use super::lexicon::{agencies, stopwords, CHROME_PREFIXES, CREDIT_WORDS};
use super::shingle::word_hash;
use super::spelling::spelling_variant;

/// The words of one text as they take part in comparisons.
///
/// The words live in one buffer (no allocation per word): `text` holds them
/// separated by single spaces and `ends[i]` is where word `i` ends.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tokens {
    text: String,
    ends: Vec<u32>,
    agency_seen: bool,
    /// Word hashes ([`word_hash`]), one per word.
    pub(crate) hashes: Vec<u64>,
    /// For each word: true if and only if it is all digits.
    pub(crate) digits: Vec<bool>,
    /// For each word: true if and only if it is a name or a number in the
    /// source (capitalised away from the start of a sentence, or all digits).
    pub anchor: Vec<bool>,
}

impl Tokens {
    /// Returns the number of words.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Returns true if and only if there are no words.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Returns word `i`.
    ///
    /// # Panics
    ///
    /// Panics if `i >= self.len()`.
    pub fn word(&self, i: usize) -> &str {
        let start = if i == 0 {
            0
        } else {
            self.ends[i - 1] as usize + 1
        };
        &self.text[start..self.ends[i] as usize]
    }

    /// Returns the words joined by single spaces.
    pub fn joined(&self) -> &str {
        &self.text
    }

    /// Returns the folded words in reading order.
    pub fn words(&self) -> impl Iterator<Item = &str> + '_ {
        self.text.split(' ').filter(|w| !w.is_empty())
    }

    fn start_word(&mut self) -> usize {
        if !self.text.is_empty() {
            self.text.push(' ');
        }
        self.text.len()
    }

    fn end_word(&mut self, anchor: bool, digits: bool, hash: u64) {
        self.ends
            .push(u32::try_from(self.text.len()).unwrap_or(u32::MAX));
        self.anchor.push(anchor);
        self.digits.push(digits);
        self.hashes.push(hash);
    }
}

/// Below this many words the strict line filter is not trusted, and every
/// line of the text is used instead: short inputs are taken as they are.
const MIN_FILTERED_WORDS: usize = 15;

/// Returns the comparison tokens of `text` (a cleaned body or raw page text).
pub fn tokens(text: &str) -> Tokens {
    let mut out = Tokens {
        text: String::with_capacity(text.len()),
        ..Tokens::default()
    };
    let mut kept = 0;
    for line in text.lines() {
        if push_if_prose(line, &mut out) {
            kept += 1;
        }
    }
    if kept == 0 || out.len() < MIN_FILTERED_WORDS {
        out = Tokens::default();
        for line in text.lines() {
            push_line(strip_dateline(line.trim()), &mut out);
        }
    }
    drop_credits(&mut out);
    out
}

/// Tokenises one line into `out` and keeps it there if and only if
/// [`keep_line`] holds; returns whether it was kept. One pass serves both the
/// decision and the tokens.
fn push_if_prose(line: &str, out: &mut Tokens) -> bool {
    let line = line.trim();
    if !passes_prefilter(line) {
        return false;
    }
    let (text_mark, ends_mark, agency_mark) = (out.text.len(), out.ends.len(), out.agency_seen);
    let stopwords = stopwords();
    push_line(strip_dateline(line), out);
    let new = out.len() - ends_mark;
    let stop = (ends_mark..out.len().min(ends_mark + 50))
        .filter(|&i| stopwords.contains_hash(out.hashes[i]))
        .count();
    // A title-case line ("Russia Ready to Continue Security Dialogue with
    // U.S.") is a headline even when it ends with a full stop: every word
    // after the first is a stop word or capitalised.
    let headline = new < 20
        && (ends_mark + 1..out.len()).all(|i| {
            out.anchor[i] || stopwords.contains_hash(out.hashes[i]) || out.word(i).len() == 1
        });
    if !headline && is_prose(line, new, stop) {
        return true;
    }
    out.text.truncate(text_mark);
    out.ends.truncate(ends_mark);
    out.anchor.truncate(ends_mark);
    out.digits.truncate(ends_mark);
    out.hashes.truncate(ends_mark);
    out.agency_seen = agency_mark;
    false
}

/// The cheap part of [`keep_line`]: no placeholders, credits or chrome starts.
fn passes_prefilter(line: &str) -> bool {
    if line.is_empty() || line.contains("{{") || line.contains('©') {
        return false;
    }
    let head = line.get(..line.len().min(24)).unwrap_or(line);
    if head.is_ascii() {
        let lower = head.to_ascii_lowercase();
        return !CHROME_PREFIXES.iter().any(|p| lower.starts_with(p));
    }
    let lower: String = line.chars().take(24).flat_map(char::to_lowercase).collect();
    !CHROME_PREFIXES.iter().any(|p| lower.starts_with(p))
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

/// Returns true if and only if the line ends with sentence punctuation,
/// possibly followed by closing quotes or brackets.
fn ends_sentence(line: &str) -> bool {
    let last = line
        .trim_end()
        .chars()
        .rev()
        .find(|c| !matches!(c, '"' | '\'' | '”' | '’' | '»' | ')' | ']' | '“' | '‘'));
    matches!(last, Some('.' | '!' | '?' | '…' | ':' | ';'))
}

/// Appends the folded words of one line to `out`.
fn push_line(line: &str, out: &mut Tokens) {
    if line.is_ascii() {
        return push_ascii_line(line.as_bytes(), out);
    }
    let mut word = String::new();
    let mut capital = false;
    let mut all_digits = true;
    let mut sentence_start = true;
    let mut chars = line.chars().peekable();
    let mut prev: Option<char> = None;
    while let Some(c) = chars.next() {
        let mut handled = false;
        fold_char(c, &mut |f| {
            handled = true;
            if f.is_alphanumeric() {
                if word.is_empty() {
                    capital = f.is_uppercase();
                    all_digits = true;
                }
                if !f.is_ascii_digit() {
                    all_digits = false;
                }
                if f.is_ascii() {
                    word.push(f.to_ascii_lowercase());
                } else {
                    for l in f.to_lowercase() {
                        word.push(fold_lookalike(l));
                    }
                }
            } else if is_apostrophe(f) && !word.is_empty() {
                // "Moscow’s" and "Moscow's" both become "moscows".
            } else if matches!(f, ',' | '.' | ' ' | '\u{2009}')
                && prev.is_some_and(|p| p.is_ascii_digit())
                && chars.peek().is_some_and(char::is_ascii_digit)
                && !word.is_empty()
            {
                // "100,000", "100 000" and "100000" are one number.
            } else {
                if !word.is_empty() {
                    finish_word(&mut word, capital && !sentence_start, all_digits, out);
                    sentence_start = false;
                }
                if matches!(f, '.' | '!' | '?' | '…' | ':' | '"' | '“' | '«') {
                    sentence_start = true;
                }
            }
        });
        if handled {
            prev = Some(c);
        }
    }
    if !word.is_empty() {
        finish_word(&mut word, capital && !sentence_start, all_digits, out);
    }
}

/// [`push_line`] for ASCII text: the same result, byte by byte.
fn push_ascii_line(line: &[u8], out: &mut Tokens) {
    // Lowercase bytes go straight into the token buffer; the word is folded
    // in place when it ends.
    let mut start: Option<usize> = None;
    let mut capital = false;
    let mut all_digits = true;
    let mut sentence_start = true;
    for (i, &b) in line.iter().enumerate() {
        if b.is_ascii_alphanumeric() {
            if start.is_none() {
                start = Some(out.start_word());
                capital = b.is_ascii_uppercase();
                all_digits = true;
            }
            if !b.is_ascii_digit() {
                all_digits = false;
            }
            out.text.push(b.to_ascii_lowercase() as char);
        } else if matches!(b, b'\'' | b'`') && start.is_some() {
            // An apostrophe inside a word.
        } else if matches!(b, b',' | b'.' | b' ')
            && i > 0
            && line[i - 1].is_ascii_digit()
            && line.get(i + 1).is_some_and(u8::is_ascii_digit)
            && start.is_some()
        {
            // A digit group separator.
        } else {
            if let Some(s) = start.take() {
                finish_in_place(out, s, capital && !sentence_start, all_digits);
                sentence_start = false;
            }
            if matches!(b, b'.' | b'!' | b'?' | b':' | b'"') {
                sentence_start = true;
            }
        }
    }
    if let Some(s) = start {
        finish_in_place(out, s, capital && !sentence_start, all_digits);
    }
}

/// Pushes a finished word (and clears the buffer).
fn finish_word(word: &mut String, capital: bool, digits: bool, out: &mut Tokens) {
    let start = out.start_word();
    out.text.push_str(word);
    finish_in_place(out, start, capital, digits);
    word.clear();
}

/// Ends the word that starts at `start` in the token buffer: folds its
/// spelling in place, hashes it and records its flags.
fn finish_in_place(out: &mut Tokens, start: usize, capital: bool, digits: bool) {
    if let Some(folded) = spelling_variant(&out.text[start..]) {
        out.text.truncate(start);
        out.text.push_str(&folded);
    }
    let hash = word_hash(&out.text[start..]);
    let anchor = digits || (capital && !stopwords().contains_hash(hash));
    if agencies().contains_hash(hash) {
        out.agency_seen = true;
    }
    out.end_word(anchor, digits, hash);
}

/// Drops agency names from the tokens, with a credit verb next to them
/// (`sputnik reported`, `tass reports`) and a leading `according to`.
pub fn drop_credits(t: &mut Tokens) {
    if !t.agency_seen {
        return;
    }
    let n = t.len();
    let mut drop: Vec<usize> = Vec::new();
    for i in 0..n {
        if !agencies().contains_hash(t.hashes[i]) {
            continue;
        }
        drop.push(i);
        if i + 1 < n && CREDIT_WORDS.contains(&t.word(i + 1)) {
            drop.push(i + 1);
        }
        if i >= 1 && CREDIT_WORDS.contains(&t.word(i - 1)) {
            drop.push(i - 1);
        }
        if i >= 2 && t.word(i - 2) == "according" && t.word(i - 1) == "to" {
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
            kept.text.push_str(t.word(i));
            kept.end_word(t.anchor[i], t.digits[i], t.hashes[i]);
        }
    }
    *t = kept;
}

#[cfg(test)]
mod tests;
