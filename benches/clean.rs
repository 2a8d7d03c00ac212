//! Cleaner quality and speed on the article extraction benchmark.
//!
//! Reads `../shared/bench/aeb` (181 real pages and their true article
//! bodies), cleans every page, and prints F1, precision and recall exactly
//! as `shared/bench/aeb_score.py` computes them (4-token `\w+` shingles,
//! per-page scores averaged over pages, F1 of the two means), then pages a
//! second on one thread. Skips cleanly when the benchmark is absent.
//!
//! ```text
//! cargo bench --bench clean                      # figures
//! WIRECOPY_AEB_OUT=pred.json cargo bench --bench clean   # also write predictions
//! WIRECOPY_AEB_WORST=10 cargo bench --bench clean        # list the 10 worst pages
//! ```

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Instant;

use wirecopy::clean::Cleaner;

// The measures, shared with the evaluation example (which cross-checks them
// against the benchmarks' Python scorers).
#[allow(dead_code, unused_imports)]
#[path = "../examples/clean_eval/score.rs"]
mod score;
use score::{aeb_prec as prec, aeb_rec as rec, aeb_triple as tp_fp_fn, f1, mean};

fn main() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/bench/aeb");
    let truth_path = dir.join("ground-truth.json");
    let Ok(truth_text) = std::fs::read_to_string(&truth_path) else {
        println!("clean bench: {} not found, skipping", truth_path.display());
        return;
    };
    let truth: HashMap<String, serde_json::Value> = match serde_json::from_str(&truth_text) {
        Ok(t) => t,
        Err(error) => {
            eprintln!("clean bench: {}: {error}", truth_path.display());
            std::process::exit(2);
        }
    };
    let mut ids: Vec<&String> = truth.keys().collect();
    ids.sort();
    let pages: Vec<(String, Vec<u8>, Option<String>)> = ids
        .iter()
        .filter_map(|id| {
            let bytes = std::fs::read(dir.join("html").join(format!("{id}.html"))).ok()?;
            let url = truth[*id]
                .get("url")
                .and_then(|u| u.as_str())
                .map(String::from);
            Some(((*id).clone(), bytes, url))
        })
        .collect();
    let total_bytes: usize = pages.iter().map(|p| p.1.len()).sum();

    let cleaner = Cleaner::default();
    let mut predictions: Vec<(String, String)> = Vec::new();
    for (id, bytes, url) in &pages {
        let text = cleaner
            .clean(bytes, url.as_deref())
            .map(|a| a.text)
            .unwrap_or_default();
        predictions.push((id.clone(), text));
    }

    // Speed: repeat the whole set until at least two seconds have passed.
    let start = Instant::now();
    let mut rounds = 0;
    while rounds < 3 || start.elapsed().as_secs_f64() < 2.0 {
        for (_, bytes, url) in &pages {
            std::hint::black_box(cleaner.clean(bytes, url.as_deref()).ok());
        }
        rounds += 1;
    }
    let secs = start.elapsed().as_secs_f64();
    let per_sec = (rounds * pages.len()) as f64 / secs;

    let mut triples = Vec::new();
    let mut worst = Vec::new();
    for (id, pred) in &predictions {
        let t = truth[id]
            .get("articleBody")
            .and_then(|b| b.as_str())
            .unwrap_or("");
        let x = tp_fp_fn(t, pred);
        worst.push((f1(prec(x), rec(x)), id.clone(), prec(x), rec(x)));
        triples.push(x);
    }
    let p = mean(triples.iter().filter(|x| x.0 + x.1 > 0.0).map(|&x| prec(x)));
    let r = mean(triples.iter().filter(|x| x.0 + x.2 > 0.0).map(|&x| rec(x)));
    println!(
        "clean/aeb: {} pages  F1 {:.4}  precision {:.4}  recall {:.4}  {:.0} pages/s  {:.1} MB/s (one thread)",
        pages.len(),
        f1(p, r),
        p,
        r,
        per_sec,
        (rounds * total_bytes) as f64 / secs / 1e6
    );
    if let Ok(n) = std::env::var("WIRECOPY_AEB_WORST") {
        worst.sort_by(|a, b| a.0.total_cmp(&b.0));
        for (f, id, p, r) in worst.iter().take(n.parse().unwrap_or(10)) {
            println!("  {f:.3}  p {p:.3}  r {r:.3}  {id}");
        }
    }
    if let Ok(out) = std::env::var("WIRECOPY_AEB_OUT") {
        let map: serde_json::Map<String, serde_json::Value> = predictions
            .into_iter()
            .map(|(id, text)| (id, serde_json::json!({ "articleBody": text })))
            .collect();
        if let Err(error) = std::fs::write(&out, serde_json::Value::Object(map).to_string()) {
            eprintln!("clean bench: {out}: {error}");
        }
    }
}
