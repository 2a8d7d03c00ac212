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

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use rusqlite::{params, Connection};
use wirecopy::clean::Article;
use wirecopy::dedup::index::partial::posting_ids;
use wirecopy::dedup::place::exact_key;
use wirecopy::dedup::{sketch, CoreFeatures, Index, IndexConfig};
use wirecopy::pipeline::{Cleaned, Ingest};
use wirecopy::serve::SiteServer;
use wirecopy::store::{FetchRecord, MatchWindow, OutletRow, SqliteStore, Store, UrlKind};

/// Articles stored a day.
const PER_DAY: i64 = 1000;
const OUTLETS: usize = 10;
/// New articles in the measured run.
const NEW: usize = 1000;

/// A tiny deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

const SYLLABLES: [&str; 16] = [
    "ka", "to", "ri", "men", "sa", "lo", "vi", "der", "an", "pol", "ur", "es", "ber", "gi", "na",
    "tov",
];

/// About 130 words of news-like prose from `seed`, over a vocabulary of
/// 4,096 invented words drawn with a skew (a few words are very common, as
/// in real text), with a number now and then.
fn story(seed: u64) -> String {
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut out = String::with_capacity(1000);
    for s in 0..8 {
        if s > 0 {
            out.push_str(if s % 3 == 0 { "\n\n" } else { " " });
        }
        let n = 12 + (rng.next() % 8) as usize;
        for w in 0..n {
            if w > 0 {
                out.push(' ');
            }
            if rng.next().is_multiple_of(23) {
                let _ = write!(out, "{}", rng.next() % 5000);
                continue;
            }
            let u = (rng.next() % 4096) as f64 / 4096.0;
            let mut idx = (u * u * 4096.0) as usize;
            for _ in 0..3 {
                out.push_str(SYLLABLES[idx % 16]);
                idx /= 16;
            }
        }
        out.push('.');
    }
    out
}

/// The text of article `i` of a database: the story's original, or a
/// reprint of it with an outlet's line added.
fn text(i: usize) -> String {
    let body = story((i / 4) as u64);
    match i % 4 {
        0 => body,
        k => format!("{body}\n\nRead more from outlet {k} on our site, and follow us."),
    }
}

fn at(ts: i64) -> String {
    chrono::DateTime::from_timestamp(ts, 0)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

fn outlets() -> Vec<OutletRow> {
    (0..OUTLETS)
        .map(|i| OutletRow {
            name: format!("outlet{i}"),
            homepage: format!("https://outlet{i}.example/"),
            agency: i < 2,
        })
        .collect()
}

/// Builds the database of `n` articles at `path` unless it is there;
/// returns the time of its last article (Unix seconds): the build's time,
/// kept in the marker file, so the raw HTML of the last 30 days is kept.
fn build(path: &Path, n: usize) -> i64 {
    let marker = path.with_extension(format!("ready-{n}"));
    if let Some(end) = std::fs::read_to_string(&marker)
        .ok()
        .and_then(|s| s.trim().parse().ok())
    {
        return end;
    }
    let end = chrono::Utc::now().timestamp();
    for ext in ["db", "db-wal", "db-shm"] {
        let _ = std::fs::remove_file(path.with_extension(ext));
    }
    let start = Instant::now();
    let mut store = SqliteStore::open(path).expect("create bench database");
    store.sync_outlets(&outlets()).expect("outlets");
    let run = store.begin_run().expect("run");
    let conn = store.connection();
    conn.execute_batch("PRAGMA synchronous = OFF; PRAGMA cache_size = -1000000; BEGIN;")
        .expect("pragmas");
    fill(conn, n, run, end).expect("rows");
    conn.execute_batch(
        "UPDATE clusters SET size = (SELECT COUNT(*) FROM members m WHERE m.cluster_id = clusters.id);
         COMMIT; PRAGMA synchronous = NORMAL;",
    )
    .expect("commit");
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
        .expect("checkpoint");
    drop(store);
    let size = std::fs::metadata(path).map_or(0, |m| m.len());
    println!(
        "scale/build: {n} articles in {:.1} s, {:.0} MB",
        start.elapsed().as_secs_f64(),
        size as f64 / 1e6
    );
    std::fs::write(&marker, end.to_string()).expect("marker");
    end
}

fn fill(conn: &Connection, n: usize, run: i64, end: i64) -> rusqlite::Result<()> {
    let mut url = conn.prepare(
        "INSERT INTO urls (id, url, outlet_id, kind, status, fetched_at, fetches)
         VALUES (?1, ?2, ?3, 'article', 200, ?4, 1)",
    )?;
    let mut article = conn.prepare(
        "INSERT INTO articles (id, url_id, outlet_id, run_id, url, final_url, title, published,
             agency_own, published_ts, text, normalized, words, sha256, simhash, fp_version, fetched_at)
         VALUES (?1, ?1, ?2, ?3, ?4, ?4, ?5, ?6, ?7, ?8, ?9, '', ?10, ?11, 0, ?12, ?13)",
    )?;
    let mut page = conn.prepare("INSERT INTO pages (url_id, fetched_at, html) VALUES (?1, ?2, ?3)")?;
    let mut cluster = conn.prepare(
        "INSERT INTO clusters (id, canonical_id, created_run, updated_at) VALUES (?1, ?2, ?3, ?4)",
    )?;
    let mut member = conn.prepare(
        "INSERT INTO members (article_id, cluster_id, relation, similarity, matched_id)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    let mut doc = conn.prepare(
        "INSERT INTO dedup_docs (article_id, published_ts, fetched_at, exact_key, core, root, agency,
             words, features) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    let mut band = conn.prepare(
        "INSERT INTO dedup_bands (key, core) VALUES (?1, ?2) ON CONFLICT (key, core) DO UPDATE SET n = n + 1",
    )?;
    let mut posting = conn.prepare("INSERT OR IGNORE INTO dedup_postings (key, core) VALUES (?1, ?2)")?;
    let first_ts = end - (n as i64 * 86_400) / PER_DAY;
    let retention_from = end - 30 * 86_400;
    let mut head = 0i64;
    for i in 0..n {
        let id = i as i64 + 1;
        let ts = first_ts + (i as i64 * 86_400) / PER_DAY;
        let fetched = at(ts);
        let position = i % 4;
        let outlet = if position == 0 { (i / 4) % 2 } else { 2 + i % 8 };
        let address = format!("https://outlet{outlet}.example/news/{i}");
        let body = text(i);
        let words = body.split_whitespace().count() as i64;
        url.execute(params![id, address, outlet as i64 + 1, fetched])?;
        let sha = format!("{:064x}", i);
        article.execute(params![
            id,
            outlet as i64 + 1,
            run,
            address,
            format!("Story {}", i / 4),
            at(ts),
            position == 0,
            ts,
            body,
            words,
            sha,
            wirecopy::dedup::FINGERPRINT_VERSION,
            fetched
        ])?;
        if ts >= retention_from {
            let mut enc =
                flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
            let _ = enc.write_all(format!("<html><body><p>{body}</p></body></html>").as_bytes());
            page.execute(params![id, fetched, enc.finish().unwrap_or_default()])?;
        }
        if position == 0 {
            head = id;
            let cluster_id = (i / 4) as i64 + 1;
            cluster.execute(params![cluster_id, id, run, fetched])?;
            member.execute(params![id, cluster_id, "canonical", 1.0, None::<i64>])?;
            let s = sketch(&body);
            let features = CoreFeatures::of(&s).encode();
            doc.execute(params![
                id,
                ts,
                fetched,
                &exact_key(&s)[..],
                1,
                id,
                true,
                s.fingerprint.words,
                features
            ])?;
            for k in Index::band_keys(&s) {
                band.execute(params![(k >> 32) as u32, id])?;
            }
            for k in posting_ids(&s) {
                posting.execute(params![k, id])?;
            }
        } else {
            let cluster_id = (i / 4) as i64 + 1;
            member.execute(params![id, cluster_id, "near", 0.9, head])?;
            let mut key = [0u8; 16];
            key[..8].copy_from_slice(&(i as u64).to_le_bytes());
            key[8] = 0xee;
            doc.execute(params![
                id,
                ts,
                fetched,
                &key[..],
                0,
                None::<i64>,
                false,
                words,
                None::<Vec<u8>>
            ])?;
        }
        if i > 0 && i % 100_000 == 0 {
            conn.execute_batch("COMMIT; BEGIN;")?;
            eprint!("\rscale/build: {i} of {n}   ");
        }
    }
    eprint!("\r\x1b[2K");
    Ok(())
}

/// A no-op cron run of the release binary: median wall time and peak RSS
/// of five.
fn noop_run(db: &Path, root: &Path) -> (Duration, f64) {
    let sites = root.join("noop-sites");
    std::fs::create_dir_all(sites.join("outlet0")).expect("site dir");
    std::fs::write(
        sites.join("outlet0/rss.xml"),
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Nothing new</title>\
         <link>{{origin}}/</link></channel></rss>",
    )
    .expect("feed");
    std::fs::write(sites.join("outlet0/robots.txt"), "User-agent: *\nAllow: /\n").expect("robots");
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
    // The first run learns the feed's ETag; the next five get a 304 and are
    // measured: the median wall time, the highest peak.
    for round in 0..6 {
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
        conn.query_row(&format!("SELECT COALESCE(MAX({col}), 0) FROM {table}"), [], |r| r.get(0))
            .expect("max")
    };
    let (articles, urls, clusters, runs) = (
        max("articles", "id"),
        max("urls", "id"),
        max("clusters", "id"),
        max("runs", "id"),
    );
    let window = chrono::DateTime::from_timestamp(end, 0)
        .and_then(|end| MatchWindow::days(30, end));
    let mut ingest =
        Ingest::load(Box::new(store), IndexConfig::default(), window.as_ref()).expect("load");
    let run = ingest.store().begin_run().expect("run");
    let bodies: Vec<(usize, String)> = (0..NEW)
        .map(|j| {
            if j % 3 == 0 && n > 0 {
                // A reprint of one of the last stories stored.
                let i = n - 1 - (j * 7) % n.min(20_000);
                (j, format!("{}\n\nAs reported by our partners.", story((i / 4) as u64)))
            } else {
                (j, text(4_000_000_000 + j))
            }
        })
        .collect();
    let start = Instant::now();
    for (j, body) in &bodies {
        let outlet = format!("outlet{}", 2 + j % 8);
        let address = format!("https://{outlet}.example/new/{j}");
        let article = Article {
            text: body.clone(),
            ..Article::default()
        };
        ingest
            .add(&Cleaned {
                fetch: FetchRecord {
                    run,
                    outlet: &outlet,
                    url: &address,
                    kind: UrlKind::Article,
                    status: Some(200),
                    etag: None,
                    last_modified: None,
                    error: None,
                    stage: None,
                },
                final_url: &address,
                html: body.as_bytes(),
                article: &article,
                outlet_is_agency: false,
                outlet_name: &outlet,
                outlet_homepage: "https://example/",
                claimed_canonical: None,
                claimed: None,
            })
            .expect("add");
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
        let (base, _) = new_articles(&empty, n, end);
        let (wall, rss) = noop_run(&db, &root);
        println!(
            "scale/noop: {n} stored articles: no-op run {:.3} s wall (median of 5), {rss:.1} MiB peak RSS",
            wall.as_secs_f64()
        );
        let (took, reprints) = new_articles(&db, n, end);
        println!(
            "scale/new: {NEW} new articles into {n} stored: {:.2} s, into an empty database {:.2} s: {:.2}x ({reprints} joined a cluster)",
            took.as_secs_f64(),
            base.as_secs_f64(),
            took.as_secs_f64() / base.as_secs_f64()
        );
    }
}
