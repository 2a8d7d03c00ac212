//! The synthetic archive the scale bench measures against: deterministic
//! news-like stories and a database of them built from rows inserted
//! directly, each original filed in the dedup index as a run files it.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;
use std::time::Instant;

use rusqlite::{params, Connection};
use wirecopy::dedup::index::partial::posting_ids;
use wirecopy::dedup::place::exact_key;
use wirecopy::dedup::{sketch, CoreFeatures, Index};
use wirecopy::store::{OutletRow, SqliteStore, Store};

/// Articles stored a day.
pub const PER_DAY: i64 = 1000;
pub const OUTLETS: usize = 10;

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
pub fn story(seed: u64) -> String {
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
pub fn text(i: usize) -> String {
    let body = story((i / 4) as u64);
    match i % 4 {
        0 => body,
        k => format!("{body}\n\nRead more from outlet {k} on our site, and follow us."),
    }
}

pub fn at(ts: i64) -> String {
    chrono::DateTime::from_timestamp(ts, 0)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

pub fn outlets() -> Vec<OutletRow> {
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
pub fn build(path: &Path, n: usize) -> i64 {
    let marker = path.with_extension(format!(
        "ready-{n}-v{}",
        wirecopy::dedup::FINGERPRINT_VERSION
    ));
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
    let mut page =
        conn.prepare("INSERT INTO pages (url_id, fetched_at, html) VALUES (?1, ?2, ?3)")?;
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
    let mut posting =
        conn.prepare("INSERT OR IGNORE INTO dedup_postings (key, core) VALUES (?1, ?2)")?;
    let first_ts = end - (n as i64 * 86_400) / PER_DAY;
    let retention_from = end - 30 * 86_400;
    let mut head = 0i64;
    for i in 0..n {
        let id = i as i64 + 1;
        let ts = first_ts + (i as i64 * 86_400) / PER_DAY;
        let fetched = at(ts);
        let position = i % 4;
        let outlet = if position == 0 {
            (i / 4) % 2
        } else {
            2 + i % 8
        };
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
