//! What a run costs as the archive grows (issue 13): a no-op cron run and a
//! run that stores 1,000 new articles, against databases of 2,000, 20,000
//! and 100,000 stored articles (and 1,000,000 with `WIRECOPY_BENCH_1M=1`).
//!
//! Each database is built once under the target directory by inserting
//! synthetic rows directly (articles in stories of four, one agency
//! original and three reprints, 1,000 a day, the last 30 days with their
//! raw HTML; each original filed in the dedup index as a run files it:
//! features, band keys, posting keys), and reused. The no-op run is the
//! release `wirecopy run` binary as a child process, against one loopback
//! outlet whose feed is empty and answers 304 the second time; its wall
//! time and peak RSS (`VmHWM`, polled) are printed. The 1,000-article
//! run goes through `pipeline::Ingest` in this process, into the database
//! and into an empty one, and is rolled back afterwards.
//!
//! ```text
//! cargo bench --bench scale
//! WIRECOPY_BENCH_1M=1 cargo bench --bench scale
//! WIRECOPY_BENCH_SCALE_SIZES=2000,20000 cargo bench --bench scale
//! ```

mod archive;
#[path = "../common/store_text.rs"]
mod store_text;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use archive::{at, build, outlets, story, text};
use store_text::store_text;
use wirecopy::dedup::IndexConfig;
use wirecopy::pipeline::Ingest;
use wirecopy::sites::SiteServer;
use wirecopy::store::{MatchWindow, SqliteStore, Store};

/// New articles in the measured run.
const NEW: usize = 1000;

/// A no-op cron run of the release binary: median wall time and peak RSS
/// of eleven.
fn noop_run(db: &Path, root: &Path) -> (Duration, f64) {
    let sites = root.join("noop-sites");
    std::fs::create_dir_all(sites.join("outlet0")).expect("site dir");
    std::fs::write(
        sites.join("outlet0/rss.xml"),
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Nothing new</title>\
         <link>{{origin}}/</link></channel></rss>",
    )
    .expect("feed");
    std::fs::write(
        sites.join("outlet0/robots.txt"),
        "User-agent: *\nAllow: /\n",
    )
    .expect("robots");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime");
    let server = runtime.block_on(SiteServer::start(&sites)).expect("serve");
    let origin = server.origin("outlet0").expect("outlet0");
    let config = root.join("noop.toml");
    std::fs::write(
        &config,
        format!(
            "[defaults]\nrate = 1000\n\n[[outlet]]\nname = \"outlet0\"\nhomepage = \"{origin}/\"\nfeeds = [\"{origin}/rss.xml\"]\n"
        ),
    )
    .expect("config");
    let mut walls = Vec::new();
    let mut peak = 0.0f64;
    // The first run learns the feed's ETag; the next eleven get a 304 and are
    // measured: the median wall time, the highest peak.
    for round in 0..12 {
        let start = Instant::now();
        let mut child = Command::new(env!("CARGO_BIN_EXE_wirecopy"))
            .args(["-q", "run", "--config"])
            .arg(&config)
            .arg("--db")
            .arg(db)
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("start wirecopy");
        let mut peak_kb = 0u64;
        let status = loop {
            if let Some(status) = child.try_wait().expect("wait") {
                break status;
            }
            peak_kb = peak_kb.max(vm_hwm_kb(child.id()).unwrap_or(0));
            std::thread::sleep(Duration::from_micros(500));
        };
        if round > 0 {
            walls.push(start.elapsed());
            peak = peak.max(peak_kb as f64 / 1024.0);
        }
        assert!(
            status.code().is_some_and(|c| c < 2),
            "wirecopy run could not run ({status})"
        );
    }
    drop(server);
    walls.sort();
    (walls[walls.len() / 2], peak)
}

/// The peak resident memory of a running process, from `/proc`.
///
/// Not `getrusage`/`wait4`: a child's `ru_maxrss` counts the memory of this
/// (large) process at the fork, while `VmHWM` belongs to the child's own
/// address space after `exec`. Read every half millisecond until it exits;
/// `VmHWM` only grows, so the last read misses at most the last half
/// millisecond.
fn vm_hwm_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// Stores [`NEW`] articles through [`Ingest`] into `db`: a third reprint
/// stories of the last days of a database of `n`, the rest are new stories
/// with reprints. Returns the time they took and how many joined a
/// cluster, then removes them again.
fn new_articles(db: &Path, n: usize, end: i64) -> (Duration, u64) {
    let mut store = SqliteStore::open(db).expect("open");
    store.sync_outlets(&outlets()).expect("outlets");
    let conn = store.connection();
    let max = |table: &str, col: &str| -> i64 {
        conn.query_row(
            &format!("SELECT COALESCE(MAX({col}), 0) FROM {table}"),
            [],
            |r| r.get(0),
        )
        .expect("max")
    };
    let (articles, urls, clusters, runs) = (
        max("articles", "id"),
        max("urls", "id"),
        max("clusters", "id"),
        max("runs", "id"),
    );
    let window =
        chrono::DateTime::from_timestamp(end, 0).and_then(|end| MatchWindow::days(30, end));
    let mut ingest =
        Ingest::load(Box::new(store), IndexConfig::default(), window.as_ref()).expect("load");
    let run = ingest.store().begin_run().expect("run");
    let bodies: Vec<(usize, String)> = (0..NEW)
        .map(|j| {
            if j % 3 == 0 && n > 0 {
                // A reprint of one of the last stories stored.
                let i = n - 1 - (j * 7) % n.min(20_000);
                (
                    j,
                    format!("{}\n\nAs reported by our partners.", story((i / 4) as u64)),
                )
            } else {
                (j, text(4_000_000_000 + j))
            }
        })
        .collect();
    let start = Instant::now();
    for (j, body) in &bodies {
        let outlet = format!("outlet{}", 2 + j % 8);
        let address = format!("https://{outlet}.example/new/{j}");
        store_text(&mut ingest, run, (&outlet, &address), body, false);
    }
    let took = start.elapsed();
    let reprints = ingest.counts.reprints;
    drop(ingest);
    let store = SqliteStore::open(db).expect("reopen");
    store
        .connection()
        .execute_batch(&format!(
            "BEGIN;
             DELETE FROM dedup_postings WHERE core > {articles};
             DELETE FROM dedup_bands WHERE core > {articles};
             DELETE FROM dedup_docs WHERE article_id > {articles};
             DELETE FROM members WHERE article_id > {articles};
             UPDATE clusters SET size = (SELECT COUNT(*) FROM members m WHERE m.cluster_id = clusters.id)
                 WHERE id IN (SELECT id FROM clusters WHERE updated_at > '{}');
             DELETE FROM clusters WHERE id > {clusters};
             DELETE FROM pages WHERE url_id > {urls};
             DELETE FROM articles WHERE id > {articles};
             DELETE FROM urls WHERE id > {urls};
             DELETE FROM runs WHERE id > {runs};
             COMMIT;",
            at(end)
        ))
        .expect("roll back the new articles");
    (took, reprints)
}

fn main() {
    let mut sizes: Vec<usize> = std::env::var("WIRECOPY_BENCH_SCALE_SIZES")
        .ok()
        .map(|v| v.split(',').filter_map(|s| s.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![2_000, 20_000, 100_000]);
    if std::env::var("WIRECOPY_BENCH_1M").is_ok_and(|v| v == "1") {
        sizes.push(1_000_000);
    }
    let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("scale-bench");
    std::fs::create_dir_all(&root).expect("bench dir");
    for n in sizes {
        // The same articles into an empty database, for the ratio.
        let empty = root.join("empty.db");
        for ext in ["db", "db-wal", "db-shm"] {
            let _ = std::fs::remove_file(empty.with_extension(ext));
        }
        drop(SqliteStore::open(&empty).expect("empty db"));
        let db = root.join(format!("scale-{n}.db"));
        let end = build(&db, n);
        let (wall, rss) = noop_run(&db, &root);
        println!(
            "scale/noop: {n} stored articles: no-op run {:.3} s wall (median of 11), {rss:.1} MiB peak RSS",
            wall.as_secs_f64()
        );
        // Three rounds, each into the empty database and then into this
        // one (both rolled back), and the medians: the machine is shared.
        let (mut base, mut took, mut reprints) = (Vec::new(), Vec::new(), 0);
        for _ in 0..3 {
            base.push(new_articles(&empty, n, end).0);
            let (t, r) = new_articles(&db, n, end);
            took.push(t);
            reprints = r;
        }
        base.sort();
        took.sort();
        let (base, took) = (base[1].as_secs_f64(), took[1].as_secs_f64());
        println!(
            "scale/new: {NEW} new articles into {n} stored: {took:.2} s, into an empty database {base:.2} s \
             (medians of 3): {:.2}x ({reprints} joined a cluster)",
            took / base
        );
    }
}
