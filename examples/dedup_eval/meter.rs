//! The METER showbiz half: real Press Association copy and the UK
//! newspaper stories built on it (`../shared/bench/meter-showbiz`, read at
//! run time; skipped when absent).
//!
//! Prints what `../shared/bench/meter_score.py` prints for the batch
//! clustering and for the raw incremental index in file order and reversed: the join
//! rate (newspaper texts clustered with a PA text of their own story), the
//! share of same-story PA version pairs clustered together, and every pair
//! of documents from different stories in one cluster (false merges, which
//! must be none). PA texts are marked as the agency's own copy, as
//! `agency = true` marks an agency's outlet in `sources.toml`. Then the
//! candidate recall of the index against exhaustive all-pairs
//! verification.

use std::collections::HashMap;
use std::path::Path;

use wirecopy::dedup::align::Aligner;
use wirecopy::dedup::compare::{pair_numbers_agree, partial, sampled, Source};
use wirecopy::dedup::index::partial::{
    MIN_HIT_SHARE_INVERSE, MIN_POSTING_HITS, POSTING_SAMPLE_MOD,
};
use wirecopy::dedup::{cluster_batch, compare, sketch, BatchDoc, DocMeta, Index, IndexConfig};

#[derive(serde::Deserialize)]
struct MeterDoc {
    id: String,
    story: String,
    source: String,
    text: String,
}

/// Runs the METER evaluation if the set is there.
pub fn run(shared: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let path = shared.join("bench/meter-showbiz/docs.jsonl");
    let Ok(body) = std::fs::read_to_string(&path) else {
        println!("\n== METER: {} not found, skipped", path.display());
        return Ok(());
    };
    let mut meter: Vec<MeterDoc> = Vec::new();
    for (n, line) in body
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        meter.push(
            serde_json::from_str(line).map_err(|e| format!("{}:{}: {e}", path.display(), n + 1))?,
        );
    }
    let docs: Vec<BatchDoc> = meter
        .iter()
        .map(|d| {
            let s = sketch(&d.text);
            BatchDoc {
                key: d.id.clone(),
                meta: DocMeta {
                    agency: d.source == "pa",
                    published: None,
                    words: s.fingerprint.words,
                },
                sketch: s,
            }
        })
        .collect();
    println!("\n== METER showbiz half: {} documents", docs.len());
    let clusters = cluster_batch(&docs, IndexConfig::default());
    let mut batch = vec![0u32; docs.len()];
    let mut relation = vec!["canonical"; docs.len()];
    for c in &clusters {
        for m in &c.members {
            batch[m.doc as usize] = c.id;
            relation[m.doc as usize] = m.relation.as_str();
        }
    }
    score("batch", &meter, &batch, &relation);
    // Reversed, the newspapers' stories mostly come before the PA copy they
    // were built on, as when an agency's feed is fetched last.
    for (name, reversed) in [
        ("incremental, file order", false),
        ("incremental, reversed", true),
    ] {
        let (assigned, _) = super::insert_each(&docs, reversed);
        let incremental: Vec<u32> = assigned.iter().map(|a| a.cluster).collect();
        let inc_relation: Vec<&str> = assigned.iter().map(|a| a.relation.as_str()).collect();
        score(name, &meter, &incremental, &inc_relation);
    }
    candidate_recall(&docs);
    Ok(())
}

fn score(name: &str, meter: &[MeterDoc], cluster: &[u32], relation: &[&str]) {
    let mut members: HashMap<u32, Vec<usize>> = HashMap::new();
    for (i, &c) in cluster.iter().enumerate() {
        members.entry(c).or_default().push(i);
    }
    let mut false_pairs = Vec::new();
    for g in members.values() {
        for (x, &a) in g.iter().enumerate() {
            for &b in &g[x + 1..] {
                if meter[a].story != meter[b].story {
                    false_pairs.push((a, b));
                }
            }
        }
    }
    // DEDUP_EVAL_JOINED=1 lists every newspaper text, joined or not, to
    // diff two runs.
    let list_joined = std::env::var_os("DEDUP_EVAL_JOINED").is_some();
    let papers: Vec<usize> = (0..meter.len())
        .filter(|&i| meter[i].source != "pa")
        .collect();
    let mut by_relation: HashMap<&str, usize> = HashMap::new();
    let joined = papers
        .iter()
        .filter(|&&i| {
            let ok = members[&cluster[i]]
                .iter()
                .any(|&j| meter[j].source == "pa" && meter[j].story == meter[i].story);
            if ok {
                *by_relation.entry(relation[i]).or_default() += 1;
            }
            if list_joined {
                println!("  joined {name}: {} {ok} {}", meter[i].id, relation[i]);
            }
            ok
        })
        .count();
    let pa: Vec<usize> = (0..meter.len())
        .filter(|&i| meter[i].source == "pa")
        .collect();
    let (mut pa_pairs, mut pa_together) = (0, 0);
    for (x, &a) in pa.iter().enumerate() {
        for &b in &pa[x + 1..] {
            if meter[a].story == meter[b].story {
                pa_pairs += 1;
                pa_together += usize::from(cluster[a] == cluster[b]);
            }
        }
    }
    let mut rel: Vec<_> = by_relation.into_iter().collect();
    rel.sort();
    println!(
        "{name}: clusters {} · join {:.3} ({joined}/{}; by relation {rel:?}) · PA versions together {:.3} · false-merge pairs {}",
        members.len(),
        joined as f64 / papers.len() as f64,
        papers.len(),
        pa_together as f64 / pa_pairs.max(1) as f64,
        false_pairs.len()
    );
    for (a, b) in false_pairs {
        println!(
            "  false merge: {} ({}) + {} ({})",
            meter[a].id, relation[a], meter[b].id, relation[b]
        );
    }
}

/// Returns true if and only if the index's partial path proposes `y`'s core
/// to `x` arriving after it: they share enough of `x`'s sampled shingles.
fn proposes(x: &BatchDoc, y: &BatchDoc) -> bool {
    let ids: Vec<u32> = x
        .sketch
        .shingles
        .iter()
        .copied()
        .filter(|&id| sampled(id, POSTING_SAMPLE_MOD))
        .collect();
    let shared = ids
        .iter()
        .filter(|id| y.sketch.shingles.binary_search(id).is_ok())
        .count() as u32;
    shared >= MIN_POSTING_HITS.max((ids.len() as u32).div_ceil(MIN_HIT_SHARE_INVERSE))
}

/// Of the pairs that exhaustive verification accepts (the rules of
/// `compare`, or a partial reprint between a newspaper and an agency text),
/// the share that the index's candidate stage can propose: a shared band
/// key, or at least two shared sampled shingles.
fn candidate_recall(docs: &[BatchDoc]) {
    let keys: Vec<Vec<u64>> = docs.iter().map(|d| Index::band_keys(&d.sketch)).collect();
    let mut aligner = Aligner::new();
    let (mut accepted, mut proposed) = (0, 0);
    for i in 0..docs.len() {
        for j in i + 1..docs.len() {
            let (a, b) = (&docs[i], &docs[j]);
            let full = compare(&a.sketch, &b.sketch).is_some();
            let part = !(a.meta.agency && b.meta.agency) && {
                let al = aligner.align(&a.sketch.sequence, &b.sketch.sequence);
                let (x, y) = (&a.sketch, &b.sketch);
                let numbers =
                    pair_numbers_agree(&x.numbers, a.meta.words, &y.numbers, b.meta.words);
                match (a.meta.agency, b.meta.agency) {
                    (true, _) => partial(&al, b.meta.words, Source::Agency, numbers),
                    (_, true) => partial(&al, a.meta.words, Source::Agency, numbers),
                    _ => partial(
                        &al,
                        a.meta.words.min(b.meta.words),
                        Source::Unknown,
                        numbers,
                    ),
                }
                .is_some()
            };
            if !(full || part) {
                continue;
            }
            accepted += 1;
            let band = keys[i].iter().any(|k| keys[j].contains(k));
            proposed += usize::from(band || proposes(a, b) || proposes(b, a));
        }
    }
    println!(
        "candidate recall vs exhaustive all-pairs: {proposed}/{accepted} = {:.3}",
        proposed as f64 / accepted.max(1) as f64
    );
}
