//! How well the shape test behind `wirecopy sources add`
//! (`wirecopy::pipeline::looks_like_article`) tells article URLs from other
//! pages' URLs, on real addresses it was not written against.
//!
//! ```text
//! cargo run --release --example discover_eval
//! ```
//!
//! Reads, relative to the crate root, `../shared/bench/wcxb-dev/ground-truth`
//! (each page's URL and its page type: article, forum, product, listing …)
//! and `../shared/bench/aeb/ground-truth.json` (181 article URLs), and skips
//! either with a message when it is absent. Prints, per page type, how many
//! URLs look like articles. For articles that is the recall of the test; for
//! the other types it is how often they would be taken for articles (a
//! sitemap or section page judged on them), so lower is better.
//!
//! Then, for every host with two article URLs or more (both sets pooled),
//! it leaves each one out in turn, infers `article_url`
//! (`infer_article_url`) from the others, and counts how often the one left
//! out matches: how well a pattern learnt from a few links generalises to
//! the site's next article.
//!
//! `-- --show TYPE` also prints each URL of that type (`wcxb-dev listing`,
//! `aeb article` …) with its verdict.

use std::collections::BTreeMap;
use std::path::Path;

use url::Url;
use wirecopy::pipeline::{infer_article_url, looks_like_article};

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench");
    let args: Vec<String> = std::env::args().collect();
    let show = args
        .iter()
        .position(|a| a == "--show")
        .and_then(|i| args.get(i + 1))
        .cloned();
    // type → (looks like an article, all)
    let mut by_type: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut articles_by_host: BTreeMap<String, Vec<Url>> = BTreeMap::new();
    let mut add = |kind: &str, url: &str| {
        let Ok(url) = Url::parse(url) else { return };
        if kind.ends_with(" article") {
            let host = url
                .host_str()
                .unwrap_or("")
                .trim_start_matches("www.")
                .to_owned();
            articles_by_host.entry(host).or_default().push(url.clone());
        }
        let entry = by_type.entry(kind.to_owned()).or_default();
        let shaped = looks_like_article(&url);
        entry.0 += usize::from(shaped);
        entry.1 += 1;
        if show.as_deref() == Some(kind) {
            println!("{} {url}", if shaped { "article" } else { "other  " });
        }
    };
    let wcxb = root.join("wcxb-dev/ground-truth");
    match std::fs::read_dir(&wcxb) {
        Err(_) => println!("skipped: {} does not exist", wcxb.display()),
        Ok(entries) => {
            for entry in entries.flatten() {
                let Ok(text) = std::fs::read_to_string(entry.path()) else {
                    continue;
                };
                let Ok(page) = serde_json::from_str::<serde_json::Value>(&text) else {
                    continue;
                };
                let kind = page["_internal"]["page_type"]["primary"]
                    .as_str()
                    .unwrap_or("unknown");
                if let Some(url) = page["url"].as_str() {
                    add(&format!("wcxb-dev {kind}"), url);
                }
            }
        }
    }
    let aeb = root.join("aeb/ground-truth.json");
    match std::fs::read_to_string(&aeb)
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
    {
        None => println!("skipped: {} does not exist or is not JSON", aeb.display()),
        Some(pages) => {
            for page in pages.as_object().into_iter().flat_map(|o| o.values()) {
                if let Some(url) = page["url"].as_str() {
                    add("aeb article", url);
                }
            }
        }
    }
    println!(
        "{:<24} {:>8} {:>8} {:>8}",
        "set and page type", "URLs", "shaped", "share"
    );
    for (kind, (shaped, all)) in &by_type {
        println!(
            "{kind:<24} {all:>8} {shaped:>8} {:>7.1}%",
            100.0 * *shaped as f64 / (*all).max(1) as f64
        );
    }
    let (mut hosts, mut held, mut matched) = (0, 0, 0);
    for urls in articles_by_host.values_mut() {
        urls.sort();
        urls.dedup();
        if urls.len() < 2 {
            continue;
        }
        hosts += 1;
        for out in 0..urls.len() {
            let rest: Vec<Url> = urls
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != out)
                .map(|(_, u)| u.clone())
                .collect();
            held += 1;
            let hit = infer_article_url(&rest, &[])
                .and_then(|p| regex::Regex::new(&p.regex).ok())
                .is_some_and(|re| re.is_match(urls[out].as_str()));
            matched += usize::from(hit);
            if show.as_deref() == Some("held-out") {
                println!("{} {}", if hit { "matched" } else { "missed " }, urls[out]);
            }
        }
    }
    println!(
        "leave-one-out article_url: {hosts} hosts with 2+ article URLs, {matched} of {held} held-out URLs matched ({:.1}%)",
        100.0 * matched as f64 / held.max(1) as f64
    );
}
