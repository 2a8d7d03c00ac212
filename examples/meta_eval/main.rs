//! Scores the cleaner's metadata (publication date, title, byline) against
//! the WCXB development split's ground truth.
//!
//! ```text
//! cargo run --release --example meta_eval -- [--pred PRED.json] [--quiet]
//! ```
//!
//! Reads `../shared/bench/wcxb-dev` relative to the crate root and skips
//! with a message when it is absent. Every page is cleaned with its URL;
//! a page the cleaner refuses counts as "nothing found". Prints, over the
//! pages whose ground truth has the field, how often we found one and how
//! often it was right, for articles and for every page type, and writes one
//! row per page to `target/meta_eval.tsv` so two runs can be diffed.
//!
//! It also writes `target/meta_eval_dates.tsv`: one line per date miss with
//! the rule that chose our date, the page's dates that equal the gold day
//! and where the gold day is written in the HTML ("nowhere" when it is not),
//! and `target/meta_eval_dates.jsonl`, every page's date trace (see
//! `date_misses.rs`).
//!
//! `META_EVAL_ONLY=0001,0002` limits the run to those pages.
//!
//! `--pred PRED.json` scores another tool's output instead, with the same
//! match definitions: `{"ID": {"date": "…", "title": "…", "author": "…"}}`
//! (any field may be null). This is how the htmldate and trafilatura figures
//! in `docs/metadata.md` were measured.
//!
//! Match definitions:
//! - date: the first ten characters (`YYYY-MM-DD`) equal the gold date, or
//!   its first seven when the gold date is only a month;
//! - title, byline (strict): equal after lowercasing, turning punctuation
//!   into spaces and collapsing whitespace;
//! - title, byline (lenient): token F1 ≥ 0.9 over lowercase `\w+` tokens.

use std::collections::{BTreeMap, HashMap};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

mod date_misses;
mod score;

use score::{date_matches, text_matches, Tally};

use flate2::read::GzDecoder;
use serde_json::Value;
use wirecopy::clean::{Cleaner, DateTrace};

/// Decompressed pages larger than this are not read (none is near it).
const MAX_PAGE: u64 = 32 * 1024 * 1024;

/// What a tool said about one page.
#[derive(Default)]
struct Guess {
    date: Option<String>,
    title: Option<String>,
    author: Option<String>,
    error: Option<String>,
}

/// One page's ground truth.
struct Gold {
    id: String,
    url: Option<String>,
    kind: String,
    date: Option<String>,
    title: Option<String>,
    author: Option<String>,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut pred: Option<PathBuf> = None;
    let mut quiet = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--pred" => pred = args.next().map(PathBuf::from),
            "--quiet" | "-q" => quiet = true,
            other => return Err(format!("unknown argument {other:?}").into()),
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let bench = root.join("../shared/bench/wcxb-dev");
    if !bench.join("ground-truth").is_dir() {
        println!(
            "meta_eval: {} not found; skipping (it sits beside the project as ../shared)",
            bench.display()
        );
        return Ok(());
    }
    let mut golds = read_golds(&bench.join("ground-truth"))?;
    let only = std::env::var("META_EVAL_ONLY").ok();
    if let Some(only) = &only {
        golds.retain(|g| only.split(',').any(|o| o == g.id));
    }
    let preds: Option<HashMap<String, Value>> = match &pred {
        Some(p) => Some(serde_json::from_str(&std::fs::read_to_string(p)?)?),
        None => None,
    };
    let cleaner = Cleaner::default();
    let started = Instant::now();
    let mut rows = Vec::new();
    let mut misses_tsv = String::from(date_misses::HEADER);
    let mut traces = String::new();
    for g in &golds {
        let guess = match &preds {
            Some(p) => from_pred(p.get(&g.id)),
            None => clean_page(&cleaner, &bench.join("html"), g, &mut |html, trace| {
                if let Some(gold) = &g.date {
                    let row = date_misses::DateRow {
                        id: &g.id,
                        kind: &g.kind,
                        gold,
                        ok: trace
                            .published
                            .as_deref()
                            .is_some_and(|d| date_matches(gold, d)),
                        html,
                        trace,
                    };
                    date_misses::miss_line(&mut misses_tsv, &row);
                    date_misses::json_line(&mut traces, &row);
                }
            }),
        };
        rows.push(guess);
    }
    let elapsed = started.elapsed();
    if preds.is_none() && only.is_none() {
        std::fs::write(root.join("target/meta_eval_dates.tsv"), &misses_tsv)?;
        std::fs::write(root.join("target/meta_eval_dates.jsonl"), &traces)?;
    }

    let mut date_article = Tally::default();
    let mut date_cleaned = Tally::default();
    let mut date_all = Tally::default();
    let mut title_article = Tally::default();
    let mut title_all = Tally::default();
    let mut author_article = Tally::default();
    let mut author_all = Tally::default();
    let mut date_by_type: BTreeMap<&str, Tally> = BTreeMap::new();
    let mut tsv = String::from(
        "id\ttype\tgold_date\tour_date\tdate_ok\tgold_title\tour_title\ttitle_ok\tgold_author\tour_author\tauthor_ok\terror\n",
    );
    for (g, r) in golds.iter().zip(&rows) {
        let article = g.kind == "article";
        let date_ok = match (&g.date, &r.date) {
            (Some(gd), Some(d)) => date_matches(gd, d),
            _ => false,
        };
        if g.date.is_some() {
            let found = r.date.is_some();
            date_all.add(found, date_ok, date_ok);
            date_by_type
                .entry(g.kind.as_str())
                .or_default()
                .add(found, date_ok, date_ok);
            if article {
                date_article.add(found, date_ok, date_ok);
                if r.error.is_none() {
                    date_cleaned.add(found, date_ok, date_ok);
                }
            }
        }
        let (title_strict, title_lenient) = text_matches(g.title.as_deref(), r.title.as_deref());
        if g.title.is_some() {
            title_all.add(r.title.is_some(), title_strict, title_lenient);
            if article {
                title_article.add(r.title.is_some(), title_strict, title_lenient);
            }
        }
        let (author_strict, author_lenient) =
            text_matches(g.author.as_deref(), r.author.as_deref());
        if g.author.is_some() {
            author_all.add(r.author.is_some(), author_strict, author_lenient);
            if article {
                author_article.add(r.author.is_some(), author_strict, author_lenient);
            }
        }
        let cell = |s: Option<&str>| s.unwrap_or("").replace(['\t', '\n', '\r'], " ");
        let flag = |has_gold: bool, ok: bool| match (has_gold, ok) {
            (false, _) => "",
            (true, true) => "1",
            (true, false) => "0",
        };
        tsv.push_str(&format!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
            g.id,
            g.kind,
            cell(g.date.as_deref()),
            cell(r.date.as_deref()),
            flag(g.date.is_some(), date_ok),
            cell(g.title.as_deref()),
            cell(r.title.as_deref()),
            flag(g.title.is_some(), title_lenient),
            cell(g.author.as_deref()),
            cell(r.author.as_deref()),
            flag(g.author.is_some(), author_lenient),
            cell(r.error.as_deref()),
        ));
    }
    let out = root.join(match (&pred, &only) {
        (_, Some(_)) => "target/meta_eval_only.tsv",
        (Some(_), None) => "target/meta_eval_pred.tsv",
        (None, None) => "target/meta_eval.tsv",
    });
    std::fs::File::create(&out)?.write_all(tsv.as_bytes())?;

    let errors = rows.iter().filter(|r| r.error.is_some()).count();
    println!(
        "WCXB dev: {} pages ({} not cleaned) in {:.1}s; per page: {}",
        golds.len(),
        errors,
        elapsed.as_secs_f64(),
        out.display()
    );
    println!("{}", date_article.line("date, articles", false));
    println!("{}", date_all.line("date, all types", false));
    println!(
        "{}",
        date_cleaned.line("date, articles the cleaner kept", false)
    );
    if !quiet {
        for (kind, t) in &date_by_type {
            println!("{}", t.line(&format!("  date, {kind}"), false));
        }
    }
    println!(
        "{}",
        title_article.line("title (normalised =), articles", true)
    );
    println!(
        "{}",
        title_all.line("title (normalised =), all types", true)
    );
    println!(
        "{}",
        author_article.line("byline (normalised =), articles", true)
    );
    println!(
        "{}",
        author_all.line("byline (normalised =), all types", true)
    );
    Ok(())
}

fn read_golds(dir: &Path) -> Result<Vec<Gold>, Box<dyn std::error::Error>> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    let mut out = Vec::new();
    for p in paths {
        let v: Value = match std::fs::read_to_string(&p)
            .map_err(|e| e.to_string())
            .and_then(|s| serde_json::from_str(&s).map_err(|e| e.to_string()))
        {
            Ok(v) => v,
            Err(e) => {
                eprintln!("{}: {e}", p.display());
                continue;
            }
        };
        let id = p
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("")
            .to_string();
        let gt = &v["ground_truth"];
        let field = |k: &str| {
            gt[k]
                .as_str()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
        };
        out.push(Gold {
            id,
            url: v["url"].as_str().map(String::from),
            kind: v["_internal"]["page_type"]["primary"]
                .as_str()
                .unwrap_or("unknown")
                .to_string(),
            date: field("publish_date"),
            title: field("title"),
            author: field("author"),
        });
    }
    Ok(out)
}

/// Cleans one page, and hands its HTML and date trace to `dates`.
fn clean_page(
    cleaner: &Cleaner,
    html_dir: &Path,
    g: &Gold,
    dates: &mut dyn FnMut(&str, &DateTrace),
) -> Guess {
    let path = html_dir.join(format!("{}.html.gz", g.id));
    let mut bytes = Vec::new();
    let read = std::fs::File::open(&path).and_then(|f| {
        GzDecoder::new(f)
            .take(MAX_PAGE)
            .read_to_end(&mut bytes)
            .map(|_| ())
    });
    if let Err(e) = read {
        return Guess {
            error: Some(format!("{}: {e}", path.display())),
            ..Guess::default()
        };
    }
    let trace = cleaner.date_trace(&bytes, g.url.as_deref());
    dates(&String::from_utf8_lossy(&bytes), &trace);
    match cleaner.clean(&bytes, g.url.as_deref()) {
        Ok(a) => Guess {
            date: a.published,
            title: a.title,
            author: a.byline,
            error: None,
        },
        Err(e) => Guess {
            error: Some(e.to_string()),
            ..Guess::default()
        },
    }
}

fn from_pred(v: Option<&Value>) -> Guess {
    let Some(v) = v else {
        return Guess {
            error: Some("no prediction".into()),
            ..Guess::default()
        };
    };
    let field = |k: &str| {
        v[k].as_str()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
    };
    Guess {
        date: field("date"),
        title: field("title"),
        author: field("author"),
        error: field("error"),
    }
}
