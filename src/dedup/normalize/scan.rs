//! One line of text → folded, hashed words appended to [`Tokens`].
//!
//! Owns the word scanner. A word is a run of alphanumeric characters after
//! [`fold_char`]; an apostrophe inside a word and a digit-group separator
//! between digits (`100,000`, `100 000`) do not end it. Runs of ASCII letters
//! and digits, which make up most of most texts, are classified sixteen bytes
//! at a time ([`Block`]: bit masks of letters, digits and capitals, computed
//! with plain integer arithmetic), so a run's end is one count of trailing
//! zeros, and a run shorter than sixteen bytes is lowercased in a register,
//! written with one store and hashed from that register
//! ([`packed_word_hash`]). Every other character goes through [`fold_char`]
//! one by one. Both ways give the same words. When a word ends it is folded
//! for spelling in place, hashed and classed by the lexicon's word table.

use super::block::{line_block, Block};
use super::fold::{fold_char, fold_lookalike, is_apostrophe};
use super::Tokens;
use crate::dedup::lexicon::word_classes;
use crate::dedup::shingle::{packed_word_hash, word_hash, word_hash_bytes};
use crate::dedup::spelling::{irregular, may_have_rule, pack_word, rule_variant};
use crate::dedup::wordset::{class, WordTable};

/// The word being scanned and where it sits in the sentence.
struct Scanner<'t> {
    out: &'t mut Tokens,
    /// The line being scanned.
    line: &'t str,
    /// The current word's bytes, lowercased and zero-padded, when it is one
    /// run of fewer than sixteen ASCII letters and digits (most words).
    packed: Option<u128>,
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
        self.packed = None;
        self.begin(capital);
        self.digits &= all_digits;
        let at = self.out.text.len();
        self.out
            .text
            .extend_from_slice(&self.line.as_bytes()[from..to]);
        self.out.text[at..].make_ascii_lowercase();
    }

    /// [`Scanner::ascii_run`] for a run of `n < 16` bytes at `from`, the
    /// start of `block`: the lowercased bytes are written with one store.
    fn ascii_block(&mut self, from: usize, block: &Block, n: usize) {
        let keep = (1u128 << (8 * n)) - 1;
        if self.start.is_some() {
            return self.ascii_run(from, from + n, block.capital, block.letter & keep == 0);
        }
        let word = block.lower & keep;
        self.packed = Some(word);
        self.begin(block.capital);
        self.digits = block.letter & keep == 0;
        // One store of all sixteen bytes; the zeros after the word are cut
        // off again.
        let at = self.out.text.len();
        self.out.text.extend_from_slice(&word.to_le_bytes());
        self.out.text.truncate(at + n);
    }

    /// Handles one folded character. `joins_digits` is true when the raw
    /// characters before and after it are ASCII digits.
    fn folded(&mut self, f: char, joins_digits: bool) {
        if f.is_alphanumeric() {
            self.packed = None;
            self.begin(f.is_uppercase());
            if !f.is_ascii_digit() {
                self.digits = false;
            }
            if f.is_ascii() {
                self.out.text.push(f.to_ascii_lowercase() as u8);
            } else {
                for l in f.to_lowercase() {
                    let l = fold_lookalike(l);
                    self.ascii &= l.is_ascii();
                    let mut buf = [0; 4];
                    self.out
                        .text
                        .extend_from_slice(l.encode_utf8(&mut buf).as_bytes());
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
        let packed = self.packed.take();
        // The hash straight from the packed word, when it is still that word.
        let mut quick = None;
        if self.ascii {
            let n = out.text.len() - start;
            let (head, tail) = match packed {
                Some(head) => (head, tail_of(head, n)),
                None => pack_word(&out.text[start..]),
            };
            let folded = may_have_rule(head, tail, n) && fold_rule_spelling(&mut out.text, start);
            if !folded && packed.is_some() {
                quick = Some(packed_word_hash(head, n));
            }
        }
        let mut hash = quick.unwrap_or_else(|| word_hash_bytes(&out.text[start..]));
        let mut bits = self.classes.class(hash);
        if bits & class::IRREGULAR != 0 {
            if let Some(american) = irregular(&out.text[start..]) {
                out.text.truncate(start);
                out.text.extend_from_slice(american.as_bytes());
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

/// The last eight bytes of a word of `n` bytes whose first sixteen,
/// zero-padded, are `head`, as [`may_have_rule`] reads them: zeros (not
/// letters) before the word's start when it is shorter than eight bytes.
#[inline]
fn tail_of(head: u128, n: usize) -> u64 {
    if n >= 8 {
        (head >> (8 * (n - 8))) as u64
    } else {
        (head << (8 * (8 - n))) as u64
    }
}

/// Applies [`rule_variant`] in place to the ASCII word that starts at
/// `start` and ends `text`; returns whether it changed. Called only for the
/// rare word that [`may_have_rule`] lets through.
fn fold_rule_spelling(text: &mut Vec<u8>, start: usize) -> bool {
    let folded = std::str::from_utf8(&text[start..])
        .ok()
        .and_then(rule_variant);
    let Some(folded) = folded else {
        return false;
    };
    text.truncate(start);
    text.extend_from_slice(folded.as_bytes());
    true
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
        packed: None,
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
            // A run of ASCII letters and digits: sixteen bytes classified at
            // once when the line has them, so the run's end is found without
            // a branch per byte.
            let run = i;
            let block = line_block(bytes, i);
            let n = block.run_len();
            if n < 16 {
                i += n;
                scan.ascii_block(run, &block, n);
                prev_digit = bytes[i - 1].is_ascii_digit();
                continue;
            }
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
            if b == b' ' && !joins_digits {
                // The common case of `folded`: a space ends the word.
                scan.end_word();
            } else {
                scan.folded(char::from(b), joins_digits);
            }
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
