//! Articles stored per second by 1, 2 and 4 concurrent writers on one
//! PostgreSQL (issue 13: many cron hosts, one database), and by one writer
//! on SQLite for comparison.
//!
//! Each writer is a thread with its own connection and its own
//! `pipeline::Ingest`, as a cron host would be, storing its share of a
//! synthetic corpus built on `benches/scale`'s stories (stories of four: an
//! original and three reprints with an outlet's line added). Article `i` goes to
//! writer `i % W`, so the copies of one story are stored by different
//! writers at about the same time: the placement locks are contended as
//! they would be by hosts fetching the same agency story ("copies
//! shared"). A second pass gives each writer whole stories ("stories
//! shared"): the same work with no two writers placing one story. Every writer
//! starts at one barrier; the time is from there until the last one is
//! done. After each count the bench checks that every story ended as one
//! cluster.
//!
//! The server is the tests' throwaway PostgreSQL (`tests/support/postgres.rs`):
//! on loopback, with `fsync`, `synchronous_commit` and `full_page_writes`
//! off, so the figures are of the work, not of a disk's flush latency; a
//! durable server's commit costs add to each article. Without PostgreSQL
//! the bench says why and stops.
//!
//! ```text
//! cargo bench --bench pg_writers
//! WIRECOPY_BENCH_PG_ARTICLES=4000 WIRECOPY_BENCH_PG_RUNS=5 cargo bench --bench pg_writers
//! ```

#[path = "scale/archive.rs"]
#[allow(dead_code)]
mod archive;
#[path = "../tests/support/postgres.rs"]
mod pg_server;
#[path = "common/store_text.rs"]
mod store_text;

use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use store_text::store_text;
use wirecopy::dedup::IndexConfig;
use wirecopy::pipeline::Ingest;
use wirecopy::store::{PostgresStore, SqliteStore, Store};

/// The text of article `i`: the scale bench's story `i / 4`, as the
/// original or a reprint with a line of its outlet's added. Unlike
/// `archive::text`, the reprints' lines carry no number: two reprints whose
/// numbers disagree are not matched with each other, so when a reprint
/// comes first (another writer got ahead) a story can end as two clusters
/// whatever the store does, and the count below checks the store.
fn text(i: usize) -> String {
    const DESKS: [&str; 4] = ["", "river", "mountain", "harbour"];
    let body = archive::story((i / 4) as u64);
    match i % 4 {
        0 => body,
        k => format!(
            "{body}\n\nRead more from the {} desk on our site, and follow us.",
            DESKS[k]
        ),
    }
}

/// How the articles are shared out between writers.
#[derive(Clone, Copy, Debug)]
enum Share {
    /// Article `i` to writer `i % W`: the copies of each story are stored
    /// by different writers at about the same time, and wait for each
    /// other's placement locks.
    Copies,
    /// Story `i / 4` to writer `(i / 4) % W`: each writer stores whole
    /// stories, and no two writers place copies of one story.
    Stories,
}

impl Share {
    fn writer_of(self, i: usize, writers: usize) -> usize {
        match self {
            Share::Copies => i % writers,
            Share::Stories => (i / 4) % writers,
        }
    }
}

/// Stores the articles of `0..n` that `share` gives writer `w` through
/// `ingest`.
fn write_share(ingest: &mut Ingest, run: i64, w: usize, writers: usize, n: usize, share: Share) {
    for i in (0..n).filter(|&i| share.writer_of(i, writers) == w) {
        let body = text(i);
        let outlet = format!("outlet{}", i % 4);
        let address = format!("https://{outlet}.example/a/{i}");
        store_text(ingest, run, (&outlet, &address), &body, i % 4 == 0);
    }
}

/// `writers` threads on one fresh PostgreSQL database: the time they take
/// for `n` articles, and the clusters they leave.
fn postgres(writers: usize, n: usize, share: Share) -> Option<(Duration, u64)> {
    let url = pg_server::database()?;
    let mut setup = PostgresStore::open(&url).expect("open");
    setup.sync_outlets(&archive::outlets()).expect("outlets");
    let start = Arc::new(Barrier::new(writers + 1));
    let threads: Vec<_> = (0..writers)
        .map(|w| {
            let (url, start) = (url.clone(), Arc::clone(&start));
            std::thread::spawn(move || {
                let store = PostgresStore::open(&url).expect("open");
                let mut ingest =
                    Ingest::load(Box::new(store), IndexConfig::default(), None).expect("load");
                let run = ingest.store().begin_run().expect("run");
                start.wait();
                write_share(&mut ingest, run, w, writers, n, share);
            })
        })
        .collect();
    start.wait();
    let began = Instant::now();
    for t in threads {
        t.join().expect("writer");
    }
    let took = began.elapsed();
    Some((took, setup.totals().expect("totals").clusters))
}

/// One writer on a fresh SQLite file, for comparison.
fn sqlite(n: usize) -> (Duration, u64) {
    let dir = std::env::temp_dir().join(format!("wirecopy-bench-pg-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let mut store = SqliteStore::open(&dir.join("w.db")).expect("open");
    store.sync_outlets(&archive::outlets()).expect("outlets");
    let mut ingest = Ingest::load(Box::new(store), IndexConfig::default(), None).expect("load");
    let run = ingest.store().begin_run().expect("run");
    let began = Instant::now();
    write_share(&mut ingest, run, 0, 1, n, Share::Copies);
    let took = began.elapsed();
    let clusters = ingest.store().totals().expect("totals").clusters;
    drop(ingest);
    let _ = std::fs::remove_dir_all(&dir);
    (took, clusters)
}

/// The median of `runs` measurements by `f` (time, clusters).
fn median(runs: usize, mut f: impl FnMut() -> Option<(Duration, u64)>) -> Option<(Duration, u64)> {
    let mut got = Vec::with_capacity(runs);
    for _ in 0..runs {
        got.push(f()?);
    }
    got.sort();
    got.get(got.len() / 2).copied()
}

fn main() {
    let env = |key: &str, default: usize| -> usize {
        std::env::var(key)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let n = env("WIRECOPY_BENCH_PG_ARTICLES", 2000);
    let runs = env("WIRECOPY_BENCH_PG_RUNS", 3).max(1);
    println!("articles stored per second, {n} articles (stories of four), one database, median of {runs}");
    let Some((took, clusters)) = median(runs, || Some(sqlite(n))) else {
        return;
    };
    println!(
        "sqlite      1 writer                 : {:>6.0} articles/s  ({:.2} s, {clusters} clusters)",
        n as f64 / took.as_secs_f64(),
        took.as_secs_f64()
    );
    for share in [Share::Copies, Share::Stories] {
        for writers in [1, 2, 4] {
            if writers == 1 && matches!(share, Share::Stories) {
                continue;
            }
            let Some((took, clusters)) = median(runs, || postgres(writers, n, share)) else {
                return;
            };
            println!(
                "postgresql  {writers} writer{} ({:<16}): {:>6.0} articles/s  ({:.2} s, {clusters} clusters)",
                if writers == 1 { " " } else { "s" },
                match share {
                    Share::Copies => "copies shared",
                    Share::Stories => "stories shared",
                },
                n as f64 / took.as_secs_f64(),
                took.as_secs_f64()
            );
            assert_eq!(
                clusters,
                (n as u64).div_ceil(4),
                "every story one cluster with {writers} writers"
            );
        }
    }
}
