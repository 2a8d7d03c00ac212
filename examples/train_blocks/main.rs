//! Trains the cleaner's block model (`src/clean/model/`) on AEB and the WCXB
//! dev split, with cross-validation grouped by domain, and reports page-level
//! F1 as `clean_eval` measures it: hand rules alone, the model out of fold
//! (each page decided by a model that saw none of its domain's pages), and
//! the model in-sample.
//!
//! ```text
//! cargo run --release --example train_blocks -- [--folds 5] [--trees 200] [--depth 3]
//!     [--rate 0.1] [--min-child 0.5] [--spread 2] [--cuts 0.35,0.65;0.5,0.5] [--no-cv] [--write]
//! ```
//!
//! Reads `../shared/bench` as `clean_eval` does and stops cleanly when it is
//! absent. Every block the cleaner segments is a row, its features read
//! through `Cleaner::block_samples` (the run-time code); its label says
//! whether most of its words are in the gold (`labels.rs`); rows weigh by
//! their words over the page's gold length, so each page counts about as
//! much as it does in a per-page F1. Folds are the URL host (without
//! `www.`) hashed into `--folds` groups, over both sets at once. `--write`
//! saves the model trained on every page to `src/clean/model/blocks.model`.

// The measures and loaders, shared with the evaluation example.
#[allow(dead_code)]
#[path = "../clean_eval/score.rs"]
mod score;
#[allow(dead_code)]
#[path = "../clean_eval/sets.rs"]
mod sets;

mod boost;
mod labels;
mod report;

use std::path::PathBuf;
use std::time::Instant;

use wirecopy::clean::{BlockModel, Cleaner, FEATURE_COUNT};

use report::{Outcome, Scored};
use sets::{Measure, Page};

/// One page with the range of its rows.
pub struct Item<'a> {
    pub page: &'a Page,
    pub measure: Measure,
    pub fold: usize,
    pub rows: std::ops::Range<usize>,
}

struct Options {
    folds: usize,
    settings: boost::Settings,
    cuts: Vec<(f64, f64)>,
    /// A page's rows weigh at most this much in all (its words over its
    /// gold words, capped): F1 cannot fall below 0 on one page.
    spread: f32,
    cv: bool,
    write: bool,
}

fn main() {
    let Some(opts) = options() else {
        std::process::exit(2);
    };
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let bench = root.join("../shared/bench");
    let (aeb, wcxb) = match (sets::aeb(&bench), sets::wcxb(&bench)) {
        (Ok(a), Ok(w)) => (a, w),
        (Err(e), _) | (_, Err(e)) => {
            println!("train_blocks: {e}; skipping");
            return;
        }
    };
    let start = Instant::now();
    let hand = Cleaner::default().block_model(None);
    let mut x: Vec<[f32; FEATURE_COUNT]> = Vec::new();
    let (mut y, mut w) = (Vec::new(), Vec::new());
    let mut items = Vec::new();
    let mut hand_scores = Vec::new();
    for set in [&aeb, &wcxb] {
        for page in &set.pages {
            let begin = x.len();
            let gold = labels::Gold::of(&page.gold);
            let samples = hand
                .block_samples(&page.html, page.url.as_deref())
                .unwrap_or_default();
            let universe: usize = samples.iter().map(|s| gold_words(&s.text)).sum();
            let norm = (gold.len as f32)
                .max(universe as f32 / opts.spread)
                .max(30.0);
            for s in samples {
                let (share, words) = gold.share(&s.text);
                x.push(s.features);
                y.push(if share >= 0.5 { 1.0 } else { 0.0 });
                w.push(words.max(1) as f32 / norm);
            }
            hand_scores.push(report::score_page(&hand, page, set.measure));
            items.push(Item {
                page,
                measure: set.measure,
                fold: fold_of(page, opts.folds),
                rows: begin..x.len(),
            });
        }
    }
    println!(
        "train_blocks: {} pages, {} blocks ({:.0}% content by weight), {} folds by domain, read in {:.0} s",
        items.len(),
        x.len(),
        100.0 * y.iter().zip(&w).map(|(a, b)| a * b).sum::<f32>() / w.iter().sum::<f32>(),
        opts.folds,
        start.elapsed().as_secs_f64()
    );
    let edges = boost::edges(&x);
    let data = boost::bin(&x, &edges);
    let hand_out = Outcome::new("hand rules", &items, hand_scores);
    hand_out.print();
    // The model's path with the hand rules' choice as the only rule: what
    // deciding block by block costs before anything is learned.
    let identity = identity_cleaner();
    let same: Vec<Scored> = items
        .iter()
        .map(|it| report::score_page(&identity, it.page, it.measure))
        .collect();
    let mut lost: Vec<(f64, &str)> = items
        .iter()
        .zip(hand_out.scores.iter().zip(&same))
        .filter(|(it, _)| it.measure == Measure::Wcxb)
        .map(|(it, (h, s))| (h.f1 - s.f1, it.page.id.as_str()))
        .filter(|(d, _)| *d > 0.02)
        .collect();
    lost.sort_by(|a, b| b.0.total_cmp(&a.0));
    Outcome::new("hand rules, block by block", &items, same).print();
    println!(
        "hand rules, block by block: {} WCXB pages lose > 0.02 F1 ({})",
        lost.len(),
        lost.iter()
            .take(8)
            .map(|(d, id)| format!("{id} {d:.2}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let (mut right, mut all) = (0f64, 0f64);
    for i in 0..x.len() {
        let hit = (x[i][0] >= 0.5) == (y[i] >= 0.5);
        right += f64::from(w[i]) * f64::from(u8::from(hit));
        all += f64::from(w[i]);
    }
    println!(
        "hand rules: block accuracy {:.3} (by weight)",
        right / all.max(1e-9)
    );
    if opts.cv {
        let mut cv = vec![vec![Scored::default(); items.len()]; opts.cuts.len()];
        for k in 0..opts.folds {
            let train: Vec<usize> = items
                .iter()
                .filter(|it| it.fold != k)
                .flat_map(|it| it.rows.clone())
                .collect();
            let t = Instant::now();
            let model = boost::train(&data, &y, &w, &train, &opts.settings);
            let held: Vec<usize> = (0..items.len()).filter(|&i| items[i].fold == k).collect();
            for (c, &cut) in opts.cuts.iter().enumerate() {
                let cleaner = cleaner_with(&model, cut, "cross-validation fold");
                for &i in &held {
                    cv[c][i] = report::score_page(&cleaner, items[i].page, items[i].measure);
                }
            }
            let acc = report::accuracy(
                &model,
                &x,
                &y,
                &w,
                held.iter().flat_map(|&i| items[i].rows.clone()),
            );
            println!(
                "fold {k}: {} pages, block accuracy {:.3} (by weight), trained in {:.0} s; {}",
                held.len(),
                acc,
                t.elapsed().as_secs_f64(),
                report::fold_line(&items, &held, &hand_out.scores, &cv[0])
            );
        }
        let mut moved: Vec<(f64, &str, &str)> = items
            .iter()
            .zip(hand_out.scores.iter().zip(&cv[0]))
            .filter(|(it, _)| it.measure == Measure::Wcxb)
            .map(|(it, (h, m))| (m.f1 - h.f1, it.page.id.as_str(), it.page.kind.as_str()))
            .filter(|(d, _, _)| d.abs() > 0.01)
            .collect();
        moved.sort_by(|a, b| a.0.total_cmp(&b.0));
        let line = |v: &[(f64, &str, &str)]| {
            v.iter()
                .map(|(d, id, k)| format!("{id} {k} {d:+.2}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        println!(
            "out of fold, first cut: {} WCXB pages better, {} worse by > 0.01 F1; worst: {}",
            moved.iter().filter(|m| m.0 > 0.0).count(),
            moved.iter().filter(|m| m.0 < 0.0).count(),
            line(&moved[..moved.len().min(10)])
        );
        for (c, scores) in cv.into_iter().enumerate() {
            let name = format!(
                "model, out of fold (grouped by domain), cut {:?}",
                opts.cuts[c]
            );
            Outcome::new(&name, &items, scores).print();
        }
    }
    let all: Vec<usize> = (0..x.len()).collect();
    let model = boost::train(&data, &y, &w, &all, &opts.settings);
    let comment = format!(
        "The cleaner's block model: {} trees of depth {}, rate {}, trained by\n`cargo run --release --example train_blocks --{}` on AEB and the WCXB dev\nsplit ({} pages, {} blocks). Do not edit by hand.",
        opts.settings.trees,
        opts.settings.depth,
        opts.settings.rate,
        std::env::args().skip(1).map(|a| format!(" {a}")).collect::<String>(),
        items.len(),
        x.len()
    );
    let cut = opts.cuts[0];
    let cleaner = cleaner_with(&model, cut, &comment);
    let ins: Vec<Scored> = items
        .iter()
        .map(|it| report::score_page(&cleaner, it.page, it.measure))
        .collect();
    Outcome::new(&format!("model, in-sample, cut {cut:?}"), &items, ins).print();
    if opts.write {
        let path = root.join("src/clean/model/blocks.model");
        match std::fs::write(&path, model.to_text(cut, &comment)) {
            Ok(()) => println!("train_blocks: wrote {}", path.display()),
            Err(error) => eprintln!("train_blocks: {}: {error}", path.display()),
        }
    }
}

/// The number of words the gold measure counts in `text`.
fn gold_words(text: &str) -> usize {
    score::tokens(text).len()
}

/// A cleaner that decides blocks with `model`.
fn cleaner_with(model: &boost::Model, cut: (f64, f64), comment: &str) -> Cleaner {
    let text = model.to_text(cut, comment);
    match BlockModel::parse(&text) {
        Ok(m) => Cleaner::default().block_model(Some(m)),
        Err(error) => {
            eprintln!("train_blocks: the trained model does not load: {error}");
            std::process::exit(1);
        }
    }
}

/// A cleaner whose model keeps exactly the blocks the hand rules kept.
fn identity_cleaner() -> Cleaner {
    let text = format!(
        "wirecopy-block-model 1\nfeatures {}\ndepth 1\ncut 0.5 0.5\nbase 0\ntree 0:0.5 | -9 9\n",
        wirecopy::clean::FEATURE_NAMES.join(" ")
    );
    match BlockModel::parse(&text) {
        Ok(m) => Cleaner::default().block_model(Some(m)),
        Err(error) => {
            eprintln!("train_blocks: {error}");
            std::process::exit(1);
        }
    }
}

/// The fold of a page: its host, without `www.`, hashed.
fn fold_of(page: &Page, folds: usize) -> usize {
    let url = page.url.as_deref().unwrap_or(&page.id);
    let host = url
        .split_once("://")
        .map_or(url, |(_, rest)| rest)
        .split(['/', '?', '#', ':'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    (xxhash_rust::xxh3::xxh3_64(host.as_bytes()) % folds.max(1) as u64) as usize
}

fn options() -> Option<Options> {
    let mut o = Options {
        folds: 5,
        settings: boost::Settings {
            trees: 200,
            depth: 3,
            rate: 0.1,
            lambda: 1.0,
            min_child: 0.5,
            rows: 0.5,
        },
        cuts: vec![(0.35, 0.65)],
        spread: 2.0,
        cv: true,
        write: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().unwrap_or_default();
        let ok = match a.as_str() {
            "--folds" => value().parse().map(|v| o.folds = v).is_ok(),
            "--trees" => value().parse().map(|v| o.settings.trees = v).is_ok(),
            "--depth" => value().parse().map(|v| o.settings.depth = v).is_ok(),
            "--rate" => value().parse().map(|v| o.settings.rate = v).is_ok(),
            "--min-child" => value().parse().map(|v| o.settings.min_child = v).is_ok(),
            "--spread" => value().parse().map(|v| o.spread = v).is_ok(),
            "--cuts" => {
                o.cuts.clear();
                for cut in value().split(';') {
                    let parts: Vec<f64> = cut.split(',').filter_map(|p| p.parse().ok()).collect();
                    if let [lo, hi] = parts.as_slice() {
                        o.cuts.push((*lo, *hi));
                    }
                }
                !o.cuts.is_empty()
            }
            "--no-cv" => {
                o.cv = false;
                true
            }
            "--write" => {
                o.write = true;
                true
            }
            _ => false,
        };
        if !ok {
            eprintln!("train_blocks: bad argument {a:?} (see the usage at the top of examples/train_blocks/main.rs)");
            return None;
        }
    }
    Some(o)
}
