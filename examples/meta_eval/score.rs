//! The match definitions of the eval and the tallies they feed: a date
//! matches on its day (or month), a title or byline strictly (equal words)
//! or leniently (token F1 ≥ 0.9).

use std::collections::HashMap;

/// Found / correct counts over the pages that have a gold value.
#[derive(Default)]
pub struct Tally {
    gold: usize,
    found: usize,
    strict: usize,
    lenient: usize,
}

impl Tally {
    pub fn add(&mut self, found: bool, strict: bool, lenient: bool) {
        self.gold += 1;
        self.found += usize::from(found);
        self.strict += usize::from(strict);
        self.lenient += usize::from(lenient);
    }

    pub fn line(&self, label: &str, lenient: bool) -> String {
        let acc = |n: usize| n as f64 / self.gold.max(1) as f64;
        let mut s = format!(
            "{label:<34} gold {:>4}  found {:>4}  correct {:>4}  accuracy {:.3}  precision {:.3}",
            self.gold,
            self.found,
            self.strict,
            acc(self.strict),
            self.strict as f64 / self.found.max(1) as f64
        );
        if lenient {
            s.push_str(&format!(
                "  | F1≥0.9 {:>4} ({:.3})",
                self.lenient,
                acc(self.lenient)
            ));
        }
        s
    }
}

/// Returns true if and only if `ours` starts with the gold day (or month).
pub fn date_matches(gold: &str, ours: &str) -> bool {
    let n = if gold.len() >= 10 { 10 } else { gold.len() };
    match (gold.get(..n), ours.get(..n)) {
        (Some(g), Some(o)) => g == o,
        _ => false,
    }
}

/// Lowercase words, punctuation as separators.
fn tokens(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// (strict, lenient) match of a guess against a gold string.
pub fn text_matches(gold: Option<&str>, ours: Option<&str>) -> (bool, bool) {
    let (Some(gold), Some(ours)) = (gold, ours) else {
        return (false, false);
    };
    let (g, o) = (tokens(gold), tokens(ours));
    if g.is_empty() || o.is_empty() {
        return (false, false);
    }
    let strict = g == o;
    let mut bag: HashMap<&str, i32> = HashMap::new();
    for t in &g {
        *bag.entry(t.as_str()).or_default() += 1;
    }
    let mut common = 0;
    for t in &o {
        if let Some(n) = bag.get_mut(t.as_str()) {
            if *n > 0 {
                *n -= 1;
                common += 1;
            }
        }
    }
    let p = common as f64 / o.len() as f64;
    let r = common as f64 / g.len() as f64;
    let f1 = if common == 0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    };
    (strict, strict || f1 >= 0.9)
}
