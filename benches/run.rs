//! A whole run against loopback sites: pages a second and peak memory.
//!
//! Generates synthetic outlets under `target/bench-sites/` (article pages of
//! about 9 KB with menus and link lists around invented text, a third of
//! them reprints of another outlet's story, one sitemap per outlet), serves
//! them with `wirecopy::sites`, and runs the real pipeline with no rate
//! limit into a fresh SQLite database. Each size runs in its own process, so
//! its peak resident memory (VmHWM) is its own:
//!
//! ```text
//! cargo bench --bench run                       # 1,000 and 5,000 pages
//! WIRECOPY_BENCH_SIZES=1000,5000,20000 cargo bench --bench run
//! ```

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

mod common;

use common::{article_page as page, prose, sentence, Rng};
use wirecopy::config;
use wirecopy::fetch::{FetchConfig, Fetcher};
use wirecopy::pipeline::{self, Ingest, RunOptions};
use wirecopy::sites::SiteServer;
use wirecopy::store::SqliteStore;

const OUTLETS: usize = 5;

fn main() {
    if let Ok(n) = std::env::var("WIRECOPY_BENCH_ONE") {
        let pages: usize = n.parse().unwrap_or(1000);
        one(pages);
        return;
    }
    let sizes = std::env::var("WIRECOPY_BENCH_SIZES").unwrap_or_else(|_| "1000,5000".into());
    let exe = std::env::current_exe().expect("bench executable");
    for size in sizes
        .split(',')
        .filter_map(|s| s.trim().parse::<usize>().ok())
    {
        let status = Command::new(&exe)
            .env("WIRECOPY_BENCH_ONE", size.to_string())
            .status()
            .expect("run one size");
        if !status.success() {
            eprintln!("run bench: size {size} failed");
            std::process::exit(1);
        }
    }
}

/// Runs one size and prints its line.
fn one(pages: usize) {
    let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("bench-sites-{pages}"));
    generate(&root, pages).expect("generate sites");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let server = runtime.block_on(SiteServer::start(&root)).expect("serve");
    let mut toml = String::from("[defaults]\nrate = 1000\nmax_pages = 1000000\nconcurrency = 16\n");
    for (name, origin) in server.sites() {
        let _ = write!(
            toml,
            "\n[[outlet]]\nname = \"{name}\"\nhomepage = \"{origin}/\"\nsitemaps = [\"{origin}/sitemap.xml\"]\nagency = {}\n",
            name == "outlet0"
        );
    }
    let sources = config::parse(&toml, "bench.toml").expect("bench config");
    let db = root.join("bench.db");
    for f in ["bench.db", "bench.db-wal", "bench.db-shm"] {
        let _ = std::fs::remove_file(root.join(f));
    }
    let store = SqliteStore::open(&db).expect("db");
    let ingest = Ingest::load(Box::new(store), Default::default(), None).expect("ingest");
    let fetcher = Fetcher::new(FetchConfig {
        concurrency: 16,
        ..FetchConfig::default()
    })
    .expect("fetcher");
    let start = Instant::now();
    let report = runtime
        .block_on(pipeline::run(
            &sources,
            ingest,
            &fetcher,
            &RunOptions::default(),
        ))
        .expect("run");
    let secs = start.elapsed().as_secs_f64();
    let c = &report.counts;
    println!(
        "run/loopback: {pages} pages  {:.1} s  {:.0} pages/s  peak RSS {:.0} MiB  ({} new articles, {} clusters, {} reprints, {} errors)",
        secs,
        c.new_articles as f64 / secs,
        peak_rss_mib(),
        c.new_articles,
        c.new_clusters,
        c.reprints,
        c.errors
    );
}

fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn story(seed: u64) -> (String, Vec<String>) {
    let title = sentence(&mut Rng(seed | 1));
    let paragraphs = prose(seed, 450).split("\n\n").map(String::from).collect();
    (title, paragraphs)
}

/// Writes `pages` article pages spread over [`OUTLETS`] sites; outlet 0
/// writes originals, the others mix own stories with reprints of them.
fn generate(root: &Path, pages: usize) -> std::io::Result<()> {
    if root.join(format!("ready-{pages}")).exists() {
        return Ok(());
    }
    let _ = std::fs::remove_dir_all(root);
    let per = pages.div_ceil(OUTLETS);
    for outlet in 0..OUTLETS {
        let dir = root.join(format!("outlet{outlet}"));
        std::fs::create_dir_all(dir.join("news"))?;
        let mut sitemap = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        for i in 0..per {
            let seed = if outlet > 0 && i % 3 == 0 {
                (i as u64) << 8
            } else {
                ((i as u64) << 8) | outlet as u64
            };
            let (title, paragraphs) = story(seed);
            std::fs::write(
                dir.join(format!("news/{i}.html")),
                page(outlet, &title, &paragraphs),
            )?;
            let _ = writeln!(
                sitemap,
                "<url><loc>{{{{origin}}}}/news/{i}.html</loc></url>"
            );
        }
        sitemap.push_str("</urlset>\n");
        std::fs::write(dir.join("sitemap.xml"), sitemap)?;
        std::fs::write(dir.join("robots.txt"), "User-agent: *\nAllow: /\n")?;
    }
    std::fs::write(root.join(format!("ready-{pages}")), "")?;
    Ok(())
}
