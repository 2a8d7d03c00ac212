//! Scores `wirecopy::clean` on the AEB and WCXB dev benchmarks in one run.
//!
//! ```text
//! cargo run --release --example clean_eval -- [--set aeb|wcxb] [--worst N] [--type T]
//!                                             [--pred DIR] [--no-speed] [--model]
//! ```
//!
//! Reads `../shared/bench` relative to the crate root and skips a set that is
//! absent. For each set it prints precision, recall and F1 per page type
//! (WCXB's type is `_internal.page_type.primary`), the number of empty
//! results and of pages with ≥ 100 words of gold text that got < 20, which
//! cascade step produced the text, and pages a second on one thread. It
//! writes one TSV line a page to `target/clean-eval/SET.tsv` (the previous
//! run moves to `SET.prev.tsv`) and prints the pages that moved most since
//! that previous run, so a rule that helps ten pages and hurts twelve shows.
//! `--model` cleans with the shipped block model (`src/clean/model/`,
//! off by default) as well as the hand rules. `--pred DIR` also writes
//! `DIR/SET.json` (`{id: text}`) for the Python
//! scorers, to cross-check the measures.

mod report;
mod score;
mod sets;

use std::path::{Path, PathBuf};
use std::time::Instant;

use wirecopy::clean::{BlockModel, Cleaner};

use report::Row;
use sets::{Measure, Set};

/// Reads one set from the bench directory.
type Loader = fn(&Path) -> Result<Set, String>;

struct Options {
    only: Option<String>,
    worst: usize,
    kind: Option<String>,
    pred: Option<PathBuf>,
    speed: bool,
    model: bool,
}

fn main() {
    let mut opts = Options {
        only: None,
        worst: 0,
        kind: None,
        pred: None,
        speed: true,
        model: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--set" => opts.only = args.next(),
            "--worst" => opts.worst = args.next().and_then(|n| n.parse().ok()).unwrap_or(20),
            "--type" => opts.kind = args.next(),
            "--pred" => opts.pred = args.next().map(PathBuf::from),
            "--no-speed" => opts.speed = false,
            "--model" => opts.model = true,
            other => {
                eprintln!("clean_eval: unknown argument {other:?}");
                std::process::exit(2);
            }
        }
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let bench = root.join("../shared/bench");
    let out_dir = root.join("target/clean-eval");
    if let Err(error) = std::fs::create_dir_all(&out_dir) {
        eprintln!("clean_eval: {}: {error}", out_dir.display());
        std::process::exit(2);
    }
    let loaders: [(&str, Loader); 2] = [("aeb", sets::aeb), ("wcxb", sets::wcxb)];
    for (name, load) in loaders {
        if opts.only.as_deref().is_some_and(|o| o != name) {
            continue;
        }
        match load(&bench) {
            Ok(set) => run(&set, &opts, &out_dir),
            Err(error) => println!("clean_eval: {name}: {error}; skipping"),
        }
    }
}

fn run(set: &Set, opts: &Options, out_dir: &Path) {
    let cleaner = if opts.model {
        match BlockModel::shipped() {
            Ok(model) => Cleaner::default().block_model(Some(model)),
            Err(error) => {
                eprintln!("clean_eval: {error}");
                std::process::exit(2);
            }
        }
    } else {
        Cleaner::default()
    };
    let start = Instant::now();
    let mut rows = Vec::with_capacity(set.pages.len());
    let mut preds = serde_json::Map::new();
    for page in &set.pages {
        if std::env::var_os("WIRECOPY_CASCADE").is_some() {
            eprintln!("PAGE\t{}", page.id);
        }
        let result = cleaner.clean(&page.html, page.url.as_deref());
        let (text, step) = match &result {
            Ok(a) => (a.text.as_str(), a.extraction.as_str()),
            Err(_) => ("", "error"),
        };
        let prf = match set.measure {
            Measure::Wcxb => score::wcxb(text, &page.gold),
            Measure::Aeb => {
                let t = score::aeb_triple(&page.gold, text);
                let (p, r) = (score::aeb_prec(t), score::aeb_rec(t));
                score::Prf {
                    p,
                    r,
                    f1: score::f1(p, r),
                }
            }
        };
        rows.push(Row {
            id: page.id.clone(),
            kind: page.kind.clone(),
            prf,
            words_out: score::tokens(text).len(),
            words_gold: score::tokens(&page.gold).len(),
            step: step.to_string(),
            triple: (set.measure == Measure::Aeb).then(|| score::aeb_triple(&page.gold, text)),
        });
        if opts.pred.is_some() {
            preds.insert(page.id.clone(), serde_json::Value::String(text.to_string()));
        }
    }
    let one_pass = start.elapsed().as_secs_f64();
    report::summary(set.name, &rows);
    let per_sec = if opts.speed && set.measure == Measure::Aeb {
        speed(set, &cleaner)
    } else {
        set.pages.len() as f64 / one_pass
    };
    let bytes: usize = set.pages.iter().map(|p| p.html.len()).sum();
    println!(
        "{}: {:.0} pages/s, {:.1} MB/s on one thread{}",
        set.name,
        per_sec,
        per_sec * bytes as f64 / set.pages.len().max(1) as f64 / 1e6,
        if set.measure == Measure::Aeb && opts.speed {
            " (repeated for 2 s)"
        } else {
            " (one pass, scoring included)"
        }
    );
    let tsv = out_dir.join(format!("{}.tsv", set.name));
    let prev = out_dir.join(format!("{}.prev.tsv", set.name));
    if tsv.exists() {
        let _ = std::fs::rename(&tsv, &prev);
    }
    if let Err(error) = report::write_tsv(&tsv, &rows) {
        eprintln!("clean_eval: {}: {error}", tsv.display());
    } else {
        println!("{}: per-page TSV in {}", set.name, tsv.display());
    }
    if let Ok(old) = report::read_tsv(&prev) {
        report::compare(set.name, &old, &rows);
    }
    if opts.worst > 0 {
        report::worst(&rows, opts.worst, opts.kind.as_deref());
    }
    if let Some(dir) = &opts.pred {
        let path = dir.join(format!("{}.json", set.name));
        let json = serde_json::Value::Object(preds).to_string();
        if let Err(error) = std::fs::write(&path, json) {
            eprintln!("clean_eval: {}: {error}", path.display());
        }
    }
}

/// Pages a second over the whole set, repeated until two seconds have passed.
fn speed(set: &Set, cleaner: &Cleaner) -> f64 {
    let start = Instant::now();
    let mut rounds = 0;
    while rounds < 3 || start.elapsed().as_secs_f64() < 2.0 {
        for page in &set.pages {
            std::hint::black_box(cleaner.clean(&page.html, page.url.as_deref()).ok());
        }
        rounds += 1;
    }
    (rounds * set.pages.len()) as f64 / start.elapsed().as_secs_f64()
}
