//! The two benchmarks' measures, exactly as their Python scorers compute them.
//!
//! - AEB (`shared/bench/aeb_score.py`): 4-token `\w+` shingles as a bag, per
//!   page true/false positives and false negatives normalised to sum 1;
//!   precision and recall averaged over pages, F1 of the two means.
//! - WCXB (`shared/bench/wcxb_score.py`): per page, the bag of lowercased
//!   `\w+` tokens of the prediction against the gold text; precision, recall
//!   and F1 per page, each averaged over the pages.
//!
//! Python's `\w` on text is a letter (`L*`), a number (`N*`) or `_`; it is
//! not a combining mark, which Rust's `char::is_alphanumeric` would accept
//! for some scripts, so the tokenizer uses the Unicode categories directly.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

static WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[\p{L}\p{N}_]+").expect("valid word pattern"));

/// The `\w+` tokens of `text`, as Python's `re.findall(r"\w+", text)`.
pub fn tokens(text: &str) -> Vec<&str> {
    WORD.find_iter(text).map(|m| m.as_str()).collect()
}

/// Precision, recall and F1 of one page.
#[derive(Clone, Copy, Debug, Default)]
pub struct Prf {
    pub p: f64,
    pub r: f64,
    pub f1: f64,
}

/// WCXB's per-page measure: bag-of-words F1 over lowercased `\w+` tokens.
pub fn wcxb(pred: &str, gold: &str) -> Prf {
    let (pl, gl) = (pred.to_lowercase(), gold.to_lowercase());
    let (p, r) = (tokens(&pl), tokens(&gl));
    if r.is_empty() {
        let v = if p.is_empty() { 1.0 } else { 0.0 };
        return Prf { p: v, r: v, f1: v };
    }
    if p.is_empty() {
        return Prf::default();
    }
    let mut bag: HashMap<&str, i64> = HashMap::with_capacity(r.len());
    for t in &r {
        *bag.entry(t).or_insert(0) += 1;
    }
    let mut overlap = 0i64;
    for t in &p {
        if let Some(c) = bag.get_mut(t) {
            if *c > 0 {
                *c -= 1;
                overlap += 1;
            }
        }
    }
    let (pp, rr) = (
        overlap as f64 / p.len() as f64,
        overlap as f64 / r.len() as f64,
    );
    let f1 = if pp + rr > 0.0 {
        2.0 * pp * rr / (pp + rr)
    } else {
        0.0
    };
    Prf { p: pp, r: rr, f1 }
}

/// AEB's per-page (tp, fp, fn), normalised to sum 1.
pub fn aeb_triple(truth: &str, pred: &str) -> (f64, f64, f64) {
    let (t, p) = (shingles(truth), shingles(pred));
    let (mut tp, mut fp, mut fneg) = (0.0, 0.0, 0.0);
    for (k, &tc) in &t {
        let pc = p.get(k).copied().unwrap_or(0.0);
        tp += f64::min(tc, pc);
        fneg += f64::max(0.0, tc - pc);
    }
    for (k, &pc) in &p {
        let tc = t.get(k).copied().unwrap_or(0.0);
        fp += f64::max(0.0, pc - tc);
    }
    let s = tp + fp + fneg;
    if s > 0.0 {
        (tp / s, fp / s, fneg / s)
    } else {
        (tp, fp, fneg)
    }
}

fn shingles(text: &str) -> HashMap<Vec<&str>, f64> {
    let toks = tokens(text);
    let mut out = HashMap::new();
    let n = 4;
    let count = if toks.len() >= n {
        toks.len() - n + 1
    } else {
        1
    };
    for i in 0..count {
        let sh: Vec<&str> = toks[i..(i + n).min(toks.len())].to_vec();
        if !sh.is_empty() {
            *out.entry(sh).or_insert(0.0) += 1.0;
        }
    }
    out
}

/// AEB's precision of one page's triple.
pub fn aeb_prec((tp, fp, fneg): (f64, f64, f64)) -> f64 {
    if fp == 0.0 && fneg == 0.0 {
        1.0
    } else if tp == 0.0 && fp == 0.0 {
        0.0
    } else {
        tp / (tp + fp)
    }
}

/// AEB's recall of one page's triple.
pub fn aeb_rec((tp, fp, fneg): (f64, f64, f64)) -> f64 {
    if fp == 0.0 && fneg == 0.0 {
        1.0
    } else if tp == 0.0 && fneg == 0.0 {
        0.0
    } else {
        tp / (tp + fneg)
    }
}

/// The harmonic mean of `p` and `r` (0 when both are 0).
pub fn f1(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

/// The mean of `values` (0 for none).
pub fn mean(values: impl Iterator<Item = f64>) -> f64 {
    let (sum, n) = values.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    if n == 0 {
        0.0
    } else {
        sum / n as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_follow_python() {
        assert_eq!(tokens("it's a_b 3.5"), ["it", "s", "a_b", "3", "5"]);
        // A Devanagari vowel sign is a mark: Python splits the word there.
        assert_eq!(tokens("कि"), ["क"]);
    }
}
