//! One line of text → folded, hashed words appended to [`Tokens`].
//!
//! Owns the word scanner. A word is a run of alphanumeric characters after
//! [`fold_char`]; an apostrophe inside a word and a digit-group separator
//! between digits (`100,000`, `100 000`) do not end it. Runs of ASCII letters
//! and digits, which make up most of most texts, are copied and lowercased as
//! whole slices; every other character goes through [`fold_char`] one by one.
//! Both ways give the same words.

use super::fold::{fold_char, fold_lookalike, is_apostrophe};
use super::Tokens;
use crate::dedup::lexicon::word_classes;
use crate::dedup::shingle::word_hash;
use crate::dedup::spelling::spelling_variant;
use crate::dedup::wordset::{class, WordTable};

/// The word being scanned and where it sits in the sentence.
struct Scanner<'t> {
    out: &'t mut Tokens,
    classes: &'static WordTable,
    /// Where the current word starts in `out.text`, if one is open.
    start: Option<usize>,
    /// The current word starts with a capital letter.
    capital: bool,
    /// The current word so far is all ASCII digits.
    digits: bool,
    /// No word has been finished since the last sentence mark.
    sentence_start: bool,
}

impl Scanner<'_> {
    /// Opens a word if none is open.
    fn begin(&mut self, capital: bool) {
        if self.start.is_none() {
            self.start = Some(self.out.start_word());
            self.capital = capital;
            self.digits = true;
        }
    }

    /// Adds a run of ASCII letters and digits to the current word.
    fn ascii_run(&mut self, run: &str, capital: bool, all_digits: bool) {
        self.begin(capital);
        self.digits &= all_digits;
        let at = self.out.text.len();
        self.out.text.push_str(run);
        self.out.text[at..].make_ascii_lowercase();
    }

    /// Handles one folded character. `joins_digits` is true when the raw
    /// characters before and after it are ASCII digits.
    fn folded(&mut self, f: char, joins_digits: bool) {
        if f.is_alphanumeric() {
            self.begin(f.is_uppercase());
            if !f.is_ascii_digit() {
                self.digits = false;
            }
            if f.is_ascii() {
                self.out.text.push(f.to_ascii_lowercase());
            } else {
                for l in f.to_lowercase() {
                    self.out.text.push(fold_lookalike(l));
                }
            }
        } else if self.start.is_some()
            && (is_apostrophe(f)
                || (joins_digits && matches!(f, ',' | '.' | ' ' | '\u{2009}')))
        {
            // "Moscow’s" is one word, and so is "100,000".
        } else {
            self.end_word();
            if matches!(f, '.' | '!' | '?' | '…' | ':' | '"' | '“' | '«') {
                self.sentence_start = true;
            }
        }
    }

    /// Finishes the current word, if one is open: folds its spelling in
    /// place, hashes it and records its class. A number is an anchor, and so
    /// is a capitalised word that is not a stop word and does not start a
    /// sentence.
    fn end_word(&mut self) {
        let Some(start) = self.start.take() else {
            return;
        };
        let out = &mut *self.out;
        if let Some(folded) = spelling_variant(&out.text[start..]) {
            out.text.truncate(start);
            out.text.push_str(&folded);
        }
        let hash = word_hash(&out.text[start..]);
        let mut bits = self.classes.class(hash);
        let capital = self.capital && !self.sentence_start;
        if self.digits {
            bits |= class::DIGITS | class::ANCHOR;
        } else if capital && bits & class::STOP == 0 {
            bits |= class::ANCHOR;
        }
        out.end_word(hash, bits);
        self.sentence_start = false;
    }
}

/// [`BYTE_CLASS`] bit: an ASCII letter or digit.
const ALNUM: u8 = 1;
/// [`BYTE_CLASS`] bit: an ASCII letter.
const LETTER: u8 = 2;
/// [`BYTE_CLASS`] bit: an ASCII capital letter.
const CAPITAL: u8 = 4;

/// The class bits of each byte value: one load instead of three range tests
/// per byte on the hot path.
static BYTE_CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = if c.is_ascii_digit() {
            ALNUM
        } else if c.is_ascii_lowercase() {
            ALNUM | LETTER
        } else if c.is_ascii_uppercase() {
            ALNUM | LETTER | CAPITAL
        } else {
            0
        };
        b += 1;
    }
    t
};

/// Appends the folded words of one line to `out`.
pub(super) fn push_line(line: &str, out: &mut Tokens) {
    let bytes = line.as_bytes();
    let mut scan = Scanner {
        out,
        classes: word_classes(),
        start: None,
        capital: false,
        digits: true,
        sentence_start: true,
    };
    // The last raw character that folded to something was an ASCII digit.
    let mut prev_digit = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let first = BYTE_CLASS[usize::from(b)];
        if first & ALNUM != 0 {
            // A run of ASCII letters and digits.
            let run = i;
            let mut seen = first;
            i += 1;
            while let Some(&next) = bytes.get(i) {
                let class = BYTE_CLASS[usize::from(next)];
                if class & ALNUM == 0 {
                    break;
                }
                seen |= class;
                i += 1;
            }
            scan.ascii_run(&line[run..i], first & CAPITAL != 0, seen & LETTER == 0);
            prev_digit = seen & LETTER == 0 || bytes[i - 1].is_ascii_digit();
            continue;
        }
        if b.is_ascii() {
            // Punctuation and spaces fold to themselves.
            let joins_digits = prev_digit && bytes.get(i + 1).is_some_and(u8::is_ascii_digit);
            scan.folded(char::from(b), joins_digits);
            prev_digit = false;
            i += 1;
            continue;
        }
        let Some(c) = line[i..].chars().next() else {
            break;
        };
        let len = c.len_utf8();
        let joins_digits = prev_digit && bytes.get(i + len).is_some_and(u8::is_ascii_digit);
        let mut handled = false;
        fold_char(c, &mut |f| {
            handled = true;
            scan.folded(f, joins_digits);
        });
        if handled {
            prev_digit = false;
        }
        i += len;
    }
    scan.end_word();
}
