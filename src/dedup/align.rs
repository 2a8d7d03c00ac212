//! Local alignment of two word sequences: the passages two texts share.
//!
//! Owns the reuse measure that decides partial reprints. Overlap of shingle
//! sets says how much two texts share, not how: two stories on one topic
//! share names, stock phrases and a quote scattered through them, while a
//! reprint shares long runs of words in order, with a word changed here and
//! a sentence cut there. So, after the candidate stage, the two sequences of
//! word ids ([`super::Sketch::sequence`]) are aligned:
//!
//! 1. **Tiles** (greedy string tiling, Wise 1996, as the METER studies of
//!    newspaper reuse of wire copy used it): every maximal run of at least
//!    [`TILE_WORDS`] words that both texts hold, taken longest first, each
//!    word of either text in at most one tile. Seeds are the shorter text's
//!    word 3-grams, looked up in a sorted table, so a pair costs
//!    O(n log n), not the O(n·m) of a full dynamic-programming alignment.
//! 2. **Passages**: tiles that follow each other in both texts, with at most
//!    [`MAX_GAP`] words between them on either side (a substituted word, an
//!    inserted clause, "today" turned into "yesterday"), chain into one
//!    aligned passage, as a local alignment with substitutions and gaps
//!    would. A reordered paragraph starts a passage of its own.
//!
//! A passage that is mostly gaps (its tiles hold less than half of its
//! words) is stock phrases that happen to follow each other: it is split at
//! its widest gap, and what is still mostly gaps is not counted. Nor is a passage whose numbers differ between the two texts
//! (one miss per eight allowed): the same sentences with other figures are a
//! template, not a copy. The [`Alignment`] gives the words inside tiles, the
//! longest passage and the passages' total length; [`super::compare`]
//! decides on them. Ids are 15 bits of the word's hash plus a bit that
//! marks numbers, so two different words share an id with probability
//! 1/32,768; a tile needs [`TILE_WORDS`] equal ids in a row, which chance
//! does not give. State: an [`Aligner`] keeps its buffers between pairs.

use super::normalize::Word;
use super::wordset::class;
use days::{DayWords, Days};

mod days;

/// A tile is at least this many words that both texts hold in a row.
///
/// Measured on the METER showbiz half (see `docs/dedup.md`): newspapers
/// edit wire copy every few words, and tiles of 3 words with gaps of up to
/// 20 joined 0.167 of its newspaper texts against 0.144 for tiles of 4 with
/// gaps of 10, with no new merge of different stories and none in
/// `fixtures/reprints`.
pub const TILE_WORDS: usize = 3;
/// Tiles at most this many words apart on both sides are one passage.
pub const MAX_GAP: usize = 20;
/// The bit of a sequence id that marks a number.
pub const NUMBER_BIT: u16 = 1 << 15;

/// Returns the id of a word in [`super::Sketch::sequence`]: the top 15 bits
/// of its hash, with [`NUMBER_BIT`] set for a number.
pub(crate) fn sequence_id(w: &Word) -> u16 {
    let number = if w.class & class::DIGITS != 0 {
        NUMBER_BIT
    } else {
        0
    };
    (w.hash >> 49) as u16 | number
}

/// Returns true if and only if sequence id `id` is a number's.
pub fn is_number(id: u16) -> bool {
    id & NUMBER_BIT != 0
}

/// A word 3-gram seen more often than this in the shorter text (a refrain,
/// a list) seeds only its first occurrences.
const MAX_SEEDS_PER_KEY: usize = 8;

/// What two aligned texts share. Lengths are in words.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Alignment {
    /// Words of each text inside tiles (the same on both sides).
    pub tiled: u32,
    /// Words of the shorter text spanned by its longest passage, gaps
    /// included.
    pub longest: u32,
    /// Words of the shorter text spanned by all passages of at least
    /// [`MIN_PASSAGE`] words.
    pub spanned: u32,
    /// The number of such passages.
    pub passages: u32,
    /// Where the earliest counted passage starts, in words from the start of
    /// whichever text it starts earlier in (`u32::MAX` without passages).
    pub first: u32,
    /// Tiles that stop at a number where the other text has another number
    /// (`rose 2.5 percent` against `rose 1.7 percent`): the mark of a
    /// template filled in with other figures.
    pub number_changes: u32,
    /// Counted passages inside whose gaps one text says "today" where the
    /// other says "yesterday" ([`days`]): one was written a day later.
    pub day_shifts: u32,
    /// Of those, the passages in which the shorter text is the later one
    /// (it says "yesterday" where the longer says "today").
    pub shorter_later: u32,
    /// Words of the shorter text.
    pub short_words: u32,
    /// Words of the longer text.
    pub long_words: u32,
}

/// Passages shorter than this are not counted in [`Alignment::spanned`]: a
/// shared name with its title, a stock phrase.
pub const MIN_PASSAGE: u32 = 8;

impl Alignment {
    /// Returns the share of the shorter text that its passages span.
    pub fn coverage(&self) -> f64 {
        f64::from(self.spanned) / f64::from(self.short_words.max(1))
    }

    /// Returns the share of the longer text that the passages span (as
    /// measured in the shorter text; gaps differ little between the two).
    pub fn long_coverage(&self) -> f64 {
        f64::from(self.spanned) / f64::from(self.long_words.max(1))
    }
}

/// A maximal common run: `len` words at `a` in the shorter and `b` in the
/// longer text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Tile {
    a: u32,
    b: u32,
    len: u32,
}

/// Aligns pair after pair, reusing its buffers. See the module docs.
#[derive(Debug, Default)]
pub struct Aligner {
    seeds: Vec<(u64, u32)>,
    runs: Vec<Tile>,
    tiles: Vec<Tile>,
    taken_a: Vec<bool>,
    taken_b: Vec<bool>,
    /// Per diagonal of the current pair, where its last run ended in `b`.
    diagonal_end: std::collections::HashMap<i64, u32>,
    /// The day words' ids, computed on first use: an aligner is cheap to
    /// make (the index swaps a fresh one in while it borrows its own).
    days: Option<DayWords>,
}

/// Returns the alignment of two word-id sequences (see [`Aligner::align`]).
pub fn align(x: &[u16], y: &[u16]) -> Alignment {
    Aligner::default().align(x, y)
}

impl Aligner {
    /// Returns an aligner with empty buffers.
    pub fn new() -> Aligner {
        Aligner::default()
    }

    /// Returns what `x` and `y` share. Symmetric: the shorter of the two is
    /// the one measured.
    pub fn align(&mut self, x: &[u16], y: &[u16]) -> Alignment {
        let (a, b) = if x.len() <= y.len() { (x, y) } else { (y, x) };
        let mut out = Alignment {
            first: u32::MAX,
            short_words: a.len() as u32,
            long_words: b.len() as u32,
            ..Alignment::default()
        };
        if a.len() < TILE_WORDS {
            return out;
        }
        self.find_runs(a, b);
        self.tile(a.len(), b.len());
        self.passages(a, b, &mut out);
        out
    }

    /// Fills `runs` with the maximal common runs of at least
    /// [`TILE_WORDS`] words, seeded by the shorter text's 3-grams.
    fn find_runs(&mut self, a: &[u16], b: &[u16]) {
        self.seeds.clear();
        self.seeds.extend(
            a.windows(TILE_WORDS)
                .enumerate()
                .map(|(i, w)| (key(w), i as u32)),
        );
        self.seeds.sort_unstable();
        self.runs.clear();
        self.diagonal_end.clear();
        for (j, w) in b.windows(TILE_WORDS).enumerate() {
            let k = key(w);
            let from = self.seeds.partition_point(|s| s.0 < k);
            for &(sk, i) in self.seeds[from..].iter().take(MAX_SEEDS_PER_KEY) {
                if sk != k {
                    break;
                }
                let diagonal = j as i64 - i64::from(i);
                if self
                    .diagonal_end
                    .get(&diagonal)
                    .is_some_and(|&end| (j as u32) < end)
                {
                    continue;
                }
                let (i, j) = (i as usize, j);
                let mut len = TILE_WORDS;
                while i + len < a.len() && j + len < b.len() && a[i + len] == b[j + len] {
                    len += 1;
                }
                self.diagonal_end.insert(diagonal, (j + len) as u32);
                self.runs.push(Tile {
                    a: i as u32,
                    b: j as u32,
                    len: len as u32,
                });
            }
        }
    }

    /// Greedy string tiling: takes runs longest first; the parts of a run
    /// that overlap a taken tile on either side are dropped, and what is
    /// left of at least [`TILE_WORDS`] words becomes a tile.
    fn tile(&mut self, a_len: usize, b_len: usize) {
        self.runs
            .sort_unstable_by(|x, y| y.len.cmp(&x.len).then(x.a.cmp(&y.a)).then(x.b.cmp(&y.b)));
        self.taken_a.clear();
        self.taken_a.resize(a_len, false);
        self.taken_b.clear();
        self.taken_b.resize(b_len, false);
        self.tiles.clear();
        for r in &self.runs {
            let mut start = None;
            for k in 0..=r.len {
                let free = k < r.len
                    && !self.taken_a[(r.a + k) as usize]
                    && !self.taken_b[(r.b + k) as usize];
                match (free, start) {
                    (true, None) => start = Some(k),
                    (false, Some(s)) => {
                        if (k - s) as usize >= TILE_WORDS {
                            self.tiles.push(Tile {
                                a: r.a + s,
                                b: r.b + s,
                                len: k - s,
                            });
                            for t in s..k {
                                self.taken_a[(r.a + t) as usize] = true;
                                self.taken_b[(r.b + t) as usize] = true;
                            }
                        }
                        start = None;
                    }
                    _ => {}
                }
            }
        }
    }

    /// Chains the tiles into passages and fills in the figures.
    fn passages(&mut self, a: &[u16], b: &[u16], out: &mut Alignment) {
        self.tiles.sort_unstable_by_key(|t| (t.a, t.b));
        let changed = |x: Option<&u16>, y: Option<&u16>| match (x, y) {
            (Some(&x), Some(&y)) => is_number(x) && is_number(y) && x != y,
            _ => false,
        };
        for t in &self.tiles {
            out.tiled += t.len;
            let (i, j) = (t.a as usize, t.b as usize);
            let before = i > 0 && j > 0 && changed(a.get(i - 1), b.get(j - 1));
            let after = changed(a.get(i + t.len as usize), b.get(j + t.len as usize));
            out.number_changes += u32::from(before) + u32::from(after);
        }
        let days = self.days.get_or_insert_with(DayWords::default);
        let tiles = &self.tiles;
        let mut start = 0;
        for k in 1..=tiles.len() {
            let chains = tiles.get(k).is_some_and(|t| {
                let p = tiles[k - 1];
                t.a >= p.a + p.len
                    && t.a - (p.a + p.len) <= MAX_GAP as u32
                    && t.b >= p.b + p.len
                    && t.b - (p.b + p.len) <= MAX_GAP as u32
            });
            if !chains {
                settle(&tiles[start..k], a, b, days, out);
                start = k;
            }
        }
    }
}

/// Counts one chain of tiles (sorted, each following the last in both
/// texts within [`MAX_GAP`]) as a passage, or drops it.
///
/// Dropped when its numbers differ between the texts (a template). When it
/// is mostly gaps, it is split at its widest gap and each side settled on
/// its own: chance phrases of a few words a gap apart must not chain a
/// verbatim quote into a passage that is dropped with them.
fn settle(tiles: &[Tile], a: &[u16], b: &[u16], days: &DayWords, out: &mut Alignment) {
    let (Some(first), Some(last)) = (tiles.first(), tiles.last()) else {
        return;
    };
    let (start_a, end_a) = (first.a, last.a + last.len);
    let (start_b, end_b) = (first.b, last.b + last.len);
    // The same sentences with other numbers are a template (a market
    // close, a result), not a copy.
    if !numbers_agree(
        &a[start_a as usize..end_a as usize],
        &b[start_b as usize..end_b as usize],
    ) {
        return;
    }
    let span = end_a - start_a;
    let tiled: u32 = tiles.iter().map(|t| t.len).sum();
    if tiled * 2 < span {
        let widest =
            (1..tiles.len()).max_by_key(|&k| tiles[k].a - (tiles[k - 1].a + tiles[k - 1].len));
        if let Some(cut) = widest {
            settle(&tiles[..cut], a, b, days, out);
            settle(&tiles[cut..], a, b, days, out);
        }
        return;
    }
    out.longest = out.longest.max(span);
    if span < MIN_PASSAGE {
        return;
    }
    let (mut days_a, mut days_b) = (Days::default(), Days::default());
    for pair in tiles.windows(2) {
        let (p, t) = (pair[0], pair[1]);
        days_a = days_a.or(days.named_in(&a[(p.a + p.len) as usize..t.a as usize]));
        days_b = days_b.or(days.named_in(&b[(p.b + p.len) as usize..t.b as usize]));
    }
    out.spanned += span;
    out.passages += 1;
    out.first = out.first.min(start_a.min(start_b));
    out.day_shifts += u32::from(days_a.shifted_from(days_b));
    out.shorter_later += u32::from(days_a.later_than(days_b));
}

/// Returns true if and only if the numbers of `short` appear in `long`,
/// allowing one miss per eight (the rule of [`super::compare::numbers_agree`],
/// within one passage).
fn numbers_agree(short: &[u16], long: &[u16]) -> bool {
    let mut numbers = 0;
    let mut missing = 0;
    for &id in short.iter().filter(|&&id| is_number(id)) {
        numbers += 1;
        missing += usize::from(!long.contains(&id));
    }
    missing <= numbers / 8
}

/// The seed key of a tile-long run of words: their 16-bit ids side by side.
fn key(w: &[u16]) -> u64 {
    w.iter().fold(0u64, |k, &id| (k << 16) | u64::from(id))
}

#[cfg(test)]
mod tests;
