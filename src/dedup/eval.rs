//! Scoring a clustering against labels: pairwise and B-cubed precision,
//! recall and F1, hard-negative merges and recall per kind of reprint.
//!
//! Owns [`LabelledDoc`] (one line of the labelled JSONL corpus in
//! `fixtures/reprints/`) and [`score`]. Pure functions over slices; reading
//! files is the caller's business.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

/// One labelled document of the reprint corpus.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelledDoc {
    /// Unique id.
    pub id: String,
    /// Story label: documents with the same label are reprints of one story.
    pub story: String,
    /// What kind of variant this is (`original`, `excerpt`, `spin`,
    /// `neg-template` …); kinds starting with `neg-` are hard negatives.
    #[serde(default)]
    pub kind: String,
    /// Outlet name.
    #[serde(default)]
    pub outlet: Option<String>,
    /// True if and only if the outlet is the agency that wrote the story.
    #[serde(default)]
    pub agency: Option<bool>,
    /// Where it was published.
    #[serde(default)]
    pub url: Option<String>,
    /// Headline.
    #[serde(default)]
    pub title: Option<String>,
    /// Publication time (RFC 3339 or `YYYY-MM-DD`).
    #[serde(default)]
    pub published: Option<String>,
    /// Article or page text, if given as text.
    #[serde(default)]
    pub text: Option<String>,
    /// Page HTML, if given as HTML.
    #[serde(default)]
    pub html: Option<String>,
}

/// Precision, recall and F1.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Prf {
    /// Precision.
    pub precision: f64,
    /// Recall.
    pub recall: f64,
    /// Harmonic mean of the two.
    pub f1: f64,
}

impl Prf {
    fn new(precision: f64, recall: f64) -> Prf {
        let f1 = if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        };
        Prf {
            precision,
            recall,
            f1,
        }
    }
}

/// The scores of one clustering.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Scores {
    /// Over all pairs of documents: same predicted cluster vs same story.
    pub pairwise: Prf,
    /// B-cubed (Bagga and Baldwin 1998): per-document precision and recall of
    /// its cluster against its story, averaged.
    pub bcubed: Prf,
    /// Pairs (by position) in one predicted cluster but of different stories
    /// where at least one is a hard negative (`neg-*`).
    pub hard_negative_merges: Vec<(usize, usize)>,
    /// Per kind: (documents whose cluster holds their story's original or,
    /// without one, most of their story; documents of that kind).
    pub kind_recall: Vec<(String, usize, usize)>,
}

fn pairs(n: usize) -> f64 {
    (n * n.saturating_sub(1) / 2) as f64
}

/// Scores predicted cluster numbers `predicted[i]` for documents `labels[i]`.
pub fn score(labels: &[LabelledDoc], predicted: &[u32]) -> Scores {
    let n = labels.len().min(predicted.len());
    let mut by_cluster: HashMap<u32, usize> = HashMap::new();
    let mut by_story: HashMap<&str, usize> = HashMap::new();
    let mut by_both: HashMap<(u32, &str), usize> = HashMap::new();
    for i in 0..n {
        *by_cluster.entry(predicted[i]).or_default() += 1;
        *by_story.entry(labels[i].story.as_str()).or_default() += 1;
        *by_both
            .entry((predicted[i], labels[i].story.as_str()))
            .or_default() += 1;
    }
    let tp: f64 = by_both.values().map(|&k| pairs(k)).sum();
    let pred: f64 = by_cluster.values().map(|&k| pairs(k)).sum();
    let truth: f64 = by_story.values().map(|&k| pairs(k)).sum();
    let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { 1.0 };
    let pairwise = Prf::new(ratio(tp, pred), ratio(tp, truth));

    let (mut bp, mut br) = (0.0, 0.0);
    for i in 0..n {
        let both = by_both[&(predicted[i], labels[i].story.as_str())] as f64;
        bp += both / by_cluster[&predicted[i]] as f64;
        br += both / by_story[labels[i].story.as_str()] as f64;
    }
    let bcubed = if n > 0 {
        Prf::new(bp / n as f64, br / n as f64)
    } else {
        Prf::default()
    };

    let mut hard_negative_merges = Vec::new();
    for i in 0..n {
        for j in i + 1..n {
            if predicted[i] == predicted[j]
                && labels[i].story != labels[j].story
                && (labels[i].kind.starts_with("neg") || labels[j].kind.starts_with("neg"))
            {
                hard_negative_merges.push((i, j));
            }
        }
    }

    // Where each story "lives": the cluster of its original, else its mode.
    let mut home: HashMap<&str, u32> = HashMap::new();
    for i in 0..n {
        if labels[i].kind == "original" {
            home.entry(labels[i].story.as_str()).or_insert(predicted[i]);
        }
    }
    for label in &labels[..n] {
        let story = label.story.as_str();
        if !home.contains_key(story) {
            let best = by_both
                .iter()
                .filter(|((_, s), _)| *s == story)
                .max_by(|a, b| a.1.cmp(b.1).then(b.0 .0.cmp(&a.0 .0)))
                .map(|((c, _), _)| *c);
            if let Some(c) = best {
                home.insert(story, c);
            }
        }
    }
    let mut kinds: HashMap<&str, (usize, usize)> = HashMap::new();
    for i in 0..n {
        let e = kinds.entry(labels[i].kind.as_str()).or_default();
        e.1 += 1;
        if home.get(labels[i].story.as_str()) == Some(&predicted[i]) {
            e.0 += 1;
        }
    }
    let mut kind_recall: Vec<(String, usize, usize)> = kinds
        .into_iter()
        .map(|(k, (a, b))| (k.to_owned(), a, b))
        .collect();
    kind_recall.sort();
    Scores {
        pairwise,
        bcubed,
        hard_negative_merges,
        kind_recall,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(story: &str, kind: &str) -> LabelledDoc {
        LabelledDoc {
            story: story.into(),
            kind: kind.into(),
            ..LabelledDoc::default()
        }
    }

    #[test]
    fn perfect_and_merged() {
        let labels = [
            doc("a", "original"),
            doc("a", "near"),
            doc("b", "neg-template"),
        ];
        let s = score(&labels, &[0, 0, 1]);
        assert_eq!(s.pairwise.f1, 1.0);
        assert_eq!(s.bcubed.f1, 1.0);
        assert!(s.hard_negative_merges.is_empty());
        let s = score(&labels, &[0, 0, 0]);
        assert!((s.pairwise.precision - 1.0 / 3.0).abs() < 1e-9);
        assert_eq!(s.pairwise.recall, 1.0);
        assert_eq!(s.hard_negative_merges, vec![(0, 2), (1, 2)]);
        let s = score(&labels, &[0, 1, 2]);
        assert_eq!(s.pairwise.recall, 0.0);
        assert_eq!(s.kind_recall[2], ("original".into(), 1, 1));
    }
}
