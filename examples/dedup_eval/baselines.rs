//! The detector's layers one at a time, as baselines for the full system:
//! shingle Jaccard with transitive closure on raw or normalised words.

use wirecopy::dedup::eval::{score, LabelledDoc};

/// The layers one at a time: exact shingle Jaccard ≥ 0.3 with transitive
/// closure (what a MinHash-LSH at threshold 0.3 approximates from above),
/// on raw or normalised words, 5- or 3-word shingles, with or without the
/// numbers rule.
pub fn run(labels: &[LabelledDoc], texts: &[String]) {
    use std::collections::HashSet;
    println!("\n== baselines: shingle Jaccard >= 0.3, transitive closure");
    let raw: Vec<Vec<String>> = texts
        .iter()
        .map(|t| t.split_whitespace().map(str::to_lowercase).collect())
        .collect();
    let norm: Vec<Vec<String>> = texts
        .iter()
        .map(|t| {
            wirecopy::dedup::normalize::tokens(t)
                .words()
                .map(str::to_owned)
                .collect()
        })
        .collect();
    let shingles = |words: &[String], k: usize| -> HashSet<String> {
        if words.len() < k {
            return std::iter::once(words.join(" ")).collect();
        }
        words.windows(k).map(|w| w.join(" ")).collect()
    };
    let numbers = |words: &[String]| -> HashSet<String> {
        words
            .iter()
            .map(|w| w.trim_matches(|c: char| !c.is_ascii_digit()).to_owned())
            .filter(|w| {
                !w.is_empty()
                    && w.chars()
                        .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
            })
            .collect()
    };
    for (name, words, k, rule) in [
        ("raw words, 5-shingles", &raw, 5, false),
        ("raw words, 5-shingles + numbers rule", &raw, 5, true),
        ("normalised, 5-shingles", &norm, 5, false),
        ("normalised, 5-shingles + numbers rule", &norm, 5, true),
        ("normalised, 3-shingles + numbers rule", &norm, 3, true),
    ] {
        let sets: Vec<HashSet<String>> = words.iter().map(|w| shingles(w, k)).collect();
        let nums: Vec<HashSet<String>> = words.iter().map(|w| numbers(w)).collect();
        let n = sets.len();
        let mut parent: Vec<usize> = (0..n).collect();
        fn find(p: &mut [usize], mut x: usize) -> usize {
            while p[x] != x {
                p[x] = p[p[x]];
                x = p[x];
            }
            x
        }
        for i in 0..n {
            for j in i + 1..n {
                let inter = sets[i].intersection(&sets[j]).count();
                let union = sets[i].len() + sets[j].len() - inter;
                if union == 0 || (inter as f64) < 0.3 * union as f64 {
                    continue;
                }
                if rule {
                    let (s, l) = if words[i].len() <= words[j].len() {
                        (i, j)
                    } else {
                        (j, i)
                    };
                    if !nums[s].is_subset(&nums[l]) {
                        continue;
                    }
                }
                let (a, b) = (find(&mut parent, i), find(&mut parent, j));
                parent[a] = b;
            }
        }
        let predicted: Vec<u32> = (0..n).map(|i| find(&mut parent, i) as u32).collect();
        let s = score(labels, &predicted);
        println!(
            "  {name:<40} pairwise P {:.3} R {:.3} F1 {:.3} · hard-negative merges {}",
            s.pairwise.precision,
            s.pairwise.recall,
            s.pairwise.f1,
            s.hard_negative_merges.len()
        );
    }
}
