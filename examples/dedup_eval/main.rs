//! Scores `wirecopy::dedup` against labelled JSON Lines corpora.
//!
//! ```text
//! cargo run --release --example dedup_eval -- [--verbose] [FILES.jsonl]
//! DEDUP_EVAL_METER_ONLY=1 cargo run --release --example dedup_eval
//! DEDUP_EVAL_JOINED=1 …   # also list each METER newspaper text, joined or not
//! DEDUP_EVAL_EDITS_ONLY=1 cargo run --release --example dedup_eval   # machine edits only
//! ```
//!
//! Without files it reads `fixtures/reprints/*.jsonl`. Each line is a
//! [`LabelledDoc`]: `id`, `story` (same story = reprints), `kind`, and `text`
//! or `html` (cleaned with the crate's cleaner). Prints pairwise and B-cubed
//! precision/recall/F1, every hard-negative merge, recall per kind, the same
//! figures for the raw incremental index fed in file order and reversed (the
//! order-sensitivity check), and with `--verbose` every split of a story.
//! Then the METER showbiz half from `../shared` ([`meter`]), and machine
//! edits (random substitution, cuts) of its PA copy and the seeds
//! ([`perturb`]).

mod baselines;
mod meter;
mod perturb;

use std::path::{Path, PathBuf};
use std::time::Instant;

use wirecopy::clean::Cleaner;
use wirecopy::dedup::canonical::parse_published;
use wirecopy::dedup::eval::{score, LabelledDoc, Scores};
use wirecopy::dedup::{
    cluster_batch, compare, sketch, Assignment, BatchDoc, DocMeta, Index, IndexConfig, Sketch,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut verbose = false;
    let mut files: Vec<PathBuf> = Vec::new();
    for a in std::env::args().skip(1) {
        if a == "--verbose" || a == "-v" {
            verbose = true;
        } else {
            files.push(a.into());
        }
    }
    if files.is_empty() {
        let dir = PathBuf::from("fixtures/reprints");
        let mut found: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map_err(|e| format!("{}: {e}", dir.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
            .collect();
        found.sort();
        files = found;
    }
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    if std::env::var_os("DEDUP_EVAL_METER_ONLY").is_some() {
        return meter::run(&shared);
    }
    if std::env::var_os("DEDUP_EVAL_EDITS_ONLY").is_some() {
        return perturb::run(&shared);
    }
    let cleaner = Cleaner::default();
    let mut labels: Vec<LabelledDoc> = Vec::new();
    let mut docs: Vec<BatchDoc> = Vec::new();
    let mut texts: Vec<String> = Vec::new();
    let started = Instant::now();
    for f in &files {
        let body = std::fs::read_to_string(f).map_err(|e| format!("{}: {e}", f.display()))?;
        for (n, line) in body.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let d: LabelledDoc = match serde_json::from_str(line) {
                Ok(d) => d,
                Err(e) => {
                    eprintln!("{}:{}: {e}", f.display(), n + 1);
                    continue;
                }
            };
            let text = match (&d.text, &d.html) {
                (Some(t), _) => t.clone(),
                (None, Some(h)) => match cleaner.clean(h.as_bytes(), d.url.as_deref()) {
                    Ok(a) => a.text,
                    Err(e) => {
                        eprintln!("{}:{}: {}: {e}", f.display(), n + 1, d.id);
                        String::new()
                    }
                },
                (None, None) => String::new(),
            };
            let s = sketch(&text);
            texts.push(text.clone());
            let meta = DocMeta {
                agency: d.agency.unwrap_or(false),
                published: d.published.as_deref().and_then(parse_published),
                words: s.fingerprint.words,
            };
            docs.push(BatchDoc {
                key: d.id.clone(),
                sketch: s,
                meta,
            });
            labels.push(d);
        }
    }
    let sketch_time = started.elapsed();
    let stories: std::collections::HashSet<&str> =
        labels.iter().map(|l| l.story.as_str()).collect();
    println!(
        "corpus: {} documents, {} stories, from {} file(s); sketched in {:.1} ms",
        labels.len(),
        stories.len(),
        files.len(),
        sketch_time.as_secs_f64() * 1e3
    );

    let clusters = cluster_batch(&docs, IndexConfig::default());
    let mut predicted = vec![0u32; docs.len()];
    for c in &clusters {
        for m in &c.members {
            predicted[m.doc as usize] = c.id;
        }
    }
    let s = score(&labels, &predicted);
    println!("\n== batch (wirecopy dedup): {} clusters", clusters.len());
    report(&s, &labels, &docs, &predicted, verbose);

    baselines::run(&labels, &texts);

    for (name, reversed) in [
        ("incremental, file order", false),
        ("incremental, reversed", true),
    ] {
        let (assigned, order) = insert_each(&docs, reversed);
        let pred: Vec<u32> = assigned.iter().map(|a| a.cluster).collect();
        let trace = std::env::var("DEDUP_EVAL_TRACE").ok();
        for (i, a) in assigned.iter().enumerate() {
            if trace
                .as_deref()
                .is_some_and(|t| labels[i].id.starts_with(t))
            {
                let matched = a.matched.map(|m| labels[order[m as usize]].id.as_str());
                println!(
                    "  trace {}: cluster {} {:?} {:.2} via {matched:?}",
                    labels[i].id, a.cluster, a.relation, a.similarity
                );
            }
        }
        let s = score(&labels, &pred);
        println!(
            "\n== {name}: pairwise P {:.4} R {:.4} F1 {:.4} · B-cubed F1 {:.4} · hard-negative merges {}",
            s.pairwise.precision,
            s.pairwise.recall,
            s.pairwise.f1,
                        s.bcubed.f1,
            s.hard_negative_merges.len()
        );
        for &(i, j) in s
            .hard_negative_merges
            .iter()
            .take(if verbose { usize::MAX } else { 5 })
        {
            println!(
                "  merged: {} ({}) + {} ({}){}",
                labels[i].id,
                labels[i].kind,
                labels[j].id,
                labels[j].kind,
                explain(&docs[i].sketch, &docs[j].sketch)
            );
        }
        if verbose {
            for (kind, ok, all) in s.kind_recall.iter().filter(|(_, ok, all)| ok < all) {
                println!("  {kind:<16} {ok:>4}/{all:<4}");
            }
            for i in 0..labels.len() {
                for j in 0..labels.len() {
                    if labels[i].kind == "original"
                        && labels[j].story == labels[i].story
                        && pred[i] != pred[j]
                    {
                        println!(
                            "  split {} / {} ({})",
                            labels[i].id, labels[j].id, labels[j].kind
                        );
                    }
                }
            }
        }
    }
    meter::run(&shared)?;
    perturb::run(&shared)
}

/// Inserts `docs` into a fresh index one by one, in file order or
/// reversed. Returns each document's assignment (in file order) and the
/// order they went in (an assignment's `matched` is a position in it).
pub(crate) fn insert_each(docs: &[BatchDoc], reversed: bool) -> (Vec<Assignment>, Vec<usize>) {
    let mut order: Vec<usize> = (0..docs.len()).collect();
    if reversed {
        order.reverse();
    }
    let mut index = Index::new(IndexConfig::default());
    let mut assigned: Vec<Option<Assignment>> = vec![None; docs.len()];
    for &i in &order {
        assigned[i] = Some(index.insert(&docs[i].sketch, docs[i].meta));
    }
    (assigned.into_iter().flatten().collect(), order)
}

fn report(s: &Scores, labels: &[LabelledDoc], docs: &[BatchDoc], predicted: &[u32], verbose: bool) {
    println!(
        "pairwise  P {:.4}  R {:.4}  F1 {:.4}",
        s.pairwise.precision, s.pairwise.recall, s.pairwise.f1
    );
    println!(
        "B-cubed   P {:.4}  R {:.4}  F1 {:.4}",
        s.bcubed.precision, s.bcubed.recall, s.bcubed.f1
    );
    println!("hard-negative merges: {}", s.hard_negative_merges.len());
    for &(i, j) in &s.hard_negative_merges {
        println!(
            "  {} ({}, story {}) + {} ({}, story {}){}",
            labels[i].id,
            labels[i].kind,
            labels[i].story,
            labels[j].id,
            labels[j].kind,
            labels[j].story,
            explain(&docs[i].sketch, &docs[j].sketch)
        );
    }
    println!("recall per kind (joined their story's original):");
    for (kind, ok, all) in &s.kind_recall {
        println!(
            "  {kind:<16} {ok:>4}/{all:<4} {:.3}",
            *ok as f64 / *all as f64
        );
    }
    if !verbose {
        return;
    }
    if let Ok(kind) = std::env::var("DEDUP_EVAL_KIND") {
        println!("pairs original / {kind}:");
        for i in 0..labels.len() {
            for j in 0..labels.len() {
                if labels[i].story == labels[j].story
                    && labels[i].kind == "original"
                    && labels[j].kind == kind
                {
                    println!(
                        "  {} / {}{}",
                        labels[i].id,
                        labels[j].id,
                        explain(&docs[i].sketch, &docs[j].sketch)
                    );
                }
            }
        }
    }
    if std::env::var_os("DEDUP_EVAL_CROSS").is_some() {
        println!("close pairs of different stories:");
        for i in 0..labels.len() {
            for j in i + 1..labels.len() {
                let (a, b) = (&docs[i].sketch, &docs[j].sketch);
                let short = a.anchors.len().min(b.anchors.len());
                let lcs = wirecopy::dedup::compare::lcs_len(&a.anchors, &b.anchors);
                let m = wirecopy::dedup::minhash::estimate_jaccard(&a.minhash, &b.minhash);
                if labels[i].story != labels[j].story
                    && (lcs * 10 >= short * 5 && short >= 6 || m > 0.1)
                {
                    println!("  {} / {}{}", labels[i].id, labels[j].id, explain(a, b));
                }
            }
        }
    }
    println!("splits (same story, different clusters):");
    for i in 0..labels.len() {
        for j in i + 1..labels.len() {
            if labels[i].story == labels[j].story
                && predicted[i] != predicted[j]
                && labels[i].kind == "original"
            {
                println!(
                    "  {} ({}) / {} ({}){}",
                    labels[i].id,
                    labels[i].kind,
                    labels[j].id,
                    labels[j].kind,
                    explain(&docs[i].sketch, &docs[j].sketch)
                );
            }
        }
    }
}

fn explain(a: &Sketch, b: &Sketch) -> String {
    let j = wirecopy::dedup::minhash::estimate_jaccard(&a.minhash, &b.minhash);
    let sim = wirecopy::dedup::simhash::hamming(a.fingerprint.simhash, b.fingerprint.simhash);
    let lcs = wirecopy::dedup::compare::lcs_len(&a.anchors, &b.anchors);
    let (short, long) = if a.fingerprint.words <= b.fingerprint.words {
        (a, b)
    } else {
        (b, a)
    };
    let inter = short
        .shingles
        .iter()
        .filter(|x| long.shingles.binary_search(x).is_ok())
        .count();
    let sk = short
        .skeleton
        .iter()
        .filter(|x| long.skeleton.binary_search(x).is_ok())
        .count() as f64
        / short.skeleton.len().max(1) as f64;
    let nums_ok = wirecopy::dedup::compare::numbers_agree(&short.numbers, &long.numbers);
    let al = wirecopy::dedup::align::align(&a.sequence, &b.sequence);
    format!(
        "  [words {}/{} skel {:.2} J {:.2} C {:.2} mhJ {:.2} simhash {} anchors {}/{}/{} lcs {} numbers {} aligned {}/{}/{} in {} passages from {} numbers changed {} → {:?}]",
        a.fingerprint.words,
        b.fingerprint.words,
        sk,
        inter as f64 / (a.shingles.len() + b.shingles.len() - inter).max(1) as f64,
        inter as f64 / short.shingles.len().max(1) as f64,
        j,
        sim,
        a.anchors.len(),
        b.anchors.len(),
        short.anchors.len(),
        lcs,
        if nums_ok { "ok" } else { "DIFFER" },
        al.tiled,
        al.longest,
        al.spanned,
        al.passages,
        al.first,
        al.number_changes,
        compare(a, b).map(|m| m.relation)
    )
}
