//! Page-level figures of one way of cleaning, as `clean_eval` measures
//! them: AEB's F1 (`aeb_score.py`) and WCXB's mean per-page F1, over all
//! pages and per type; and the block accuracy of a model.

use std::collections::BTreeMap;

use wirecopy::clean::{Cleaner, FEATURE_COUNT};

use crate::boost;
use crate::score;
use crate::sets::{Measure, Page};
use crate::Item;

/// One page's score: WCXB's F1, or AEB's (tp, fp, fn) triple.
#[derive(Clone, Copy, Debug, Default)]
pub struct Scored {
    pub f1: f64,
    pub triple: Option<(f64, f64, f64)>,
}

/// Cleans a page and scores it by its set's measure.
pub fn score_page(cleaner: &Cleaner, page: &Page, measure: Measure) -> Scored {
    let text = cleaner
        .clean(&page.html, page.url.as_deref())
        .map(|a| a.text)
        .unwrap_or_default();
    match measure {
        Measure::Wcxb => Scored {
            f1: score::wcxb(&text, &page.gold).f1,
            triple: None,
        },
        Measure::Aeb => Scored {
            f1: 0.0,
            triple: Some(score::aeb_triple(&page.gold, &text)),
        },
    }
}

/// AEB's set-level F1 over the triples of some pages.
pub fn aeb_f1(triples: impl Iterator<Item = (f64, f64, f64)>) -> f64 {
    let t: Vec<_> = triples.collect();
    if t.is_empty() {
        return f64::NAN;
    }
    let p = score::mean(
        t.iter()
            .filter(|x| x.0 + x.1 > 0.0)
            .map(|&x| score::aeb_prec(x)),
    );
    let r = score::mean(
        t.iter()
            .filter(|x| x.0 + x.2 > 0.0)
            .map(|&x| score::aeb_rec(x)),
    );
    score::f1(p, r)
}

/// The scores of one way of cleaning every page.
pub struct Outcome<'a> {
    name: String,
    items: &'a [Item<'a>],
    pub scores: Vec<Scored>,
}

impl<'a> Outcome<'a> {
    pub fn new(name: &str, items: &'a [Item<'a>], scores: Vec<Scored>) -> Outcome<'a> {
        Outcome {
            name: name.to_string(),
            items,
            scores,
        }
    }

    pub fn print(&self) {
        let aeb = aeb_f1(self.scores.iter().filter_map(|s| s.triple));
        let mut by: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
        for (it, s) in self.items.iter().zip(&self.scores) {
            if it.measure == Measure::Wcxb {
                by.entry("all").or_default().push(s.f1);
                by.entry(it.page.kind.as_str()).or_default().push(s.f1);
            }
        }
        let types: Vec<String> = by
            .iter()
            .map(|(k, v)| format!("{k} {:.4}", score::mean(v.iter().copied())))
            .collect();
        println!("{}: AEB F1 {aeb:.4}; WCXB {}", self.name, types.join(", "));
    }
}

/// One fold's page figures, hand rules against the model.
pub fn fold_line(items: &[Item<'_>], held: &[usize], hand: &[Scored], model: &[Scored]) -> String {
    let wcxb: Vec<usize> = held
        .iter()
        .copied()
        .filter(|&i| items[i].measure == Measure::Wcxb)
        .collect();
    let mean = |s: &[Scored]| score::mean(wcxb.iter().map(|&i| s[i].f1));
    let aeb = |s: &[Scored]| aeb_f1(held.iter().filter_map(|&i| s[i].triple));
    format!(
        "WCXB {:.3} → {:.3}, AEB {:.3} → {:.3}",
        mean(hand),
        mean(model),
        aeb(hand),
        aeb(model)
    )
}

/// The weighted share of rows the model labels right at 0.5.
pub fn accuracy(
    model: &boost::Model,
    x: &[[f32; FEATURE_COUNT]],
    y: &[f32],
    w: &[f32],
    rows: impl Iterator<Item = usize>,
) -> f64 {
    let (mut right, mut all) = (0f64, 0f64);
    for i in rows {
        let p = model.probability(&x[i]);
        let hit = (p >= 0.5) == (y[i] >= 0.5);
        right += f64::from(w[i]) * f64::from(u8::from(hit));
        all += f64::from(w[i]);
    }
    right / all.max(1e-9)
}
