//! One line of text → folded, hashed words appended to [`Tokens`].
//!
//! Owns the word scanner. A word is a run of alphanumeric characters after
//! [`fold_char`]; an apostrophe inside a word and a digit-group separator
//! between digits (`100,000`, `100 000`) do not end it. Runs of ASCII letters
//! and digits, which make up most of most texts, are copied and lowercased as
//! whole slices; every other character goes through [`fold_char`] one by one.
//! Both ways give the same words. When a word ends it is folded for spelling
//! in place, hashed and classed by the lexicon's word table.

use super::fold::{fold_char, fold_lookalike, is_apostrophe};
use super::Tokens;
use crate::dedup::lexicon::word_classes;
use crate::dedup::shingle::word_hash;
use crate::dedup::spelling::{irregular, may_have_rule, pack_word, rule_variant};
use crate::dedup::wordset::{class, WordTable};

/// The word being scanned and where it sits in the sentence.
struct Scanner<'t> {
    out: &'t mut Tokens,
    /// The line being scanned.
    line: &'t str,
    /// Where the current word is in `line` when it is one run of ASCII
    /// letters and digits (most words).
    run: Option<(usize, usize)>,
    classes: &'static WordTable,
    /// Where the current word starts in `out.text`, if one is open.
    start: Option<usize>,
    /// The current word starts with a capital letter.
    capital: bool,
    /// The current word so far is all ASCII digits.
    digits: bool,
    /// No word has been finished since the last sentence mark.
    sentence_start: bool,
    /// The current word so far is all ASCII.
    ascii: bool,
}

impl Scanner<'_> {
    /// Opens a word if none is open.
    fn begin(&mut self, capital: bool) {
        if self.start.is_none() {
            self.start = Some(self.out.start_word());
            self.capital = capital;
            self.digits = true;
            self.ascii = true;
        }
    }

    /// Adds a run of ASCII letters and digits, `line[from..to]`, to the
    /// current word.
    fn ascii_run(&mut self, from: usize, to: usize, capital: bool, all_digits: bool) {
        self.run = if self.start.is_none() {
            Some((from, to))
        } else {
            None
        };
        self.begin(capital);
        self.digits &= all_digits;
        let at = self.out.text.len();
        self.out.text.push_str(&self.line[from..to]);
        self.out.text[at..].make_ascii_lowercase();
    }

    /// Handles one folded character. `joins_digits` is true when the raw
    /// characters before and after it are ASCII digits.
    fn folded(&mut self, f: char, joins_digits: bool) {
        if f.is_alphanumeric() {
            self.run = None;
            self.begin(f.is_uppercase());
            if !f.is_ascii_digit() {
                self.digits = false;
            }
            if f.is_ascii() {
                self.out.text.push(f.to_ascii_lowercase());
            } else {
                for l in f.to_lowercase() {
                    let l = fold_lookalike(l);
                    self.ascii &= l.is_ascii();
                    self.out.text.push(l);
                }
            }
        } else if self.start.is_some()
            && (is_apostrophe(f) || (joins_digits && matches!(f, ',' | '.' | ' ' | '\u{2009}')))
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
        if self.ascii {
            let packed = self
                .run
                .take()
                .and_then(|(from, to)| pack_run(self.line.as_bytes(), from, to));
            fold_rule_spelling(&mut out.text, start, packed);
        }
        let mut hash = word_hash(&out.text[start..]);
        let mut bits = self.classes.class(hash);
        if bits & class::IRREGULAR != 0 {
            if let Some(american) = irregular(&out.text[start..]) {
                out.text.truncate(start);
                out.text.push_str(american);
                hash = word_hash(american);
                bits = self.classes.class(hash);
            }
        }
        let capital = self.capital && !self.sentence_start;
        let anchor = self.digits | (capital & (bits & class::STOP == 0));
        bits |= (u8::from(anchor) * class::ANCHOR) | (u8::from(self.digits) * class::DIGITS);
        out.end_word(hash, bits);
        self.sentence_start = false;
    }
}

/// A word as [`may_have_rule`] reads it: `(head, tail, length)`.
type Packed = (u128, u64, usize);

/// Packs the word `line[from..to]`, one run of ASCII letters and digits,
/// for [`may_have_rule`], reading the source line rather than the word just
/// written to the token buffer (a wide load of freshly stored bytes stalls
/// the processor). `None` near the ends of the line.
fn pack_run(line: &[u8], from: usize, to: usize) -> Option<Packed> {
    let n = to - from;
    let head = <[u8; 16]>::try_from(line.get(from..from + 16)?).ok()?;
    let tail = <[u8; 8]>::try_from(line.get(to.checked_sub(8)?..to)?).ok()?;
    // Lowercase the letters (digits already have the bit), zero what
    // follows the word.
    let keep = if n >= 16 {
        u128::MAX
    } else {
        (1u128 << (8 * n)) - 1
    };
    let head = (u128::from_le_bytes(head) | 0x2020_2020_2020_2020_2020_2020_2020_2020) & keep;
    // Before the word: non-alphanumeric bytes, which stay non-letters.
    let tail = u64::from_le_bytes(tail) | 0x2020_2020_2020_2020;
    Some((head, tail, n))
}

/// Applies [`rule_variant`] in place to the ASCII word that starts at
/// `start` and ends `text`. The word is tested without branches first
/// ([`may_have_rule`], on `packed` if the caller has it); only the rare word
/// that may take a rule is looked at closely.
fn fold_rule_spelling(text: &mut String, start: usize, packed: Option<Packed>) {
    let end = text.len();
    let (head, tail, n) = packed.unwrap_or_else(|| pack_word(&text.as_bytes()[start..end]));
    if may_have_rule(head, tail, n) {
        if let Some(folded) = rule_variant(&text[start..]) {
            text.truncate(start);
            text.push_str(&folded);
        }
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
        line,
        run: None,
        classes: word_classes(),
        start: None,
        capital: false,
        digits: true,
        sentence_start: true,
        ascii: true,
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
            scan.ascii_run(run, i, first & CAPITAL != 0, seen & LETTER == 0);
            prev_digit = bytes[i - 1].is_ascii_digit();
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
