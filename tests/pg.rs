//! Many cron hosts on one PostgreSQL (issue 13): concurrent writers end
//! with one cluster per story, and two concurrent `wirecopy run`s over the
//! same config fetch each article page once in all and cluster exactly as
//! one SQLite run does.
//!
//! Each test gets a fresh database on the throwaway server of
//! `support/postgres.rs`; without a server they say `skipped: …` and return
//! (under `CI=true` they fail).

use std::collections::BTreeMap;
use std::sync::{Arc, Barrier};

use wirecopy::dedup::IndexConfig;
use wirecopy::pipeline::Ingest;
use wirecopy::store::{OutletRow, PostgresStore, Store};

use crate::demo_sites::DemoSites;
use crate::loopback::partition;
use crate::pg_server;
use crate::store_text::store_text;
use crate::util::fixtures;

/// Each cluster of the PostgreSQL database at `url` as the sorted URLs of
/// its members, sorted (the shape of [`partition`]).
fn pg_partition(url: &str) -> Vec<Vec<String>> {
    let mut client = postgres::Client::connect(url, postgres::NoTls).expect("connect");
    let mut by: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    for row in client
        .query(
            "SELECT m.cluster_id, a.url FROM members m JOIN articles a ON a.id = m.article_id",
            &[],
        )
        .expect("members")
    {
        by.entry(row.get(0)).or_default().push(row.get(1));
    }
    let mut out: Vec<Vec<String>> = by
        .into_values()
        .map(|mut v| {
            v.sort();
            v
        })
        .collect();
    out.sort();
    out
}

/// About 80 words of invented prose from `seed`: unrelated for different
/// seeds, so each seed is its own story.
fn story(seed: u64) -> String {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    const SYLLABLES: [&str; 12] = [
        "ka", "to", "ri", "men", "sa", "lo", "vi", "der", "an", "pol", "ur", "es",
    ];
    let mut words = Vec::new();
    for _ in 0..80 {
        let mut w = String::new();
        for _ in 0..3 {
            w.push_str(SYLLABLES[(next() % 12) as usize]);
        }
        words.push(w);
    }
    let mut text = String::new();
    for (i, chunk) in words.chunks(16).enumerate() {
        if i > 0 {
            text.push_str("\n\n");
        }
        text.push_str(&chunk.join(" "));
        text.push('.');
    }
    text
}

const WRITERS: usize = 4;
const STORIES: usize = 16;

// Four hosts store a copy of each of sixteen stories, all at the same
// moment and in the same order, each through its own connection. Without
// the placement locks two hosts both find no candidate for a story and
// found two clusters; with them, each story is one cluster of four.
#[test]
fn f13_concurrent_writers_end_with_one_cluster_per_story() {
    let Some(url) = pg_server::database() else {
        return;
    };
    let mut setup = PostgresStore::open(&url).expect("open");
    let outlets: Vec<OutletRow> = (0..WRITERS)
        .map(|w| OutletRow {
            name: format!("host{w}"),
            homepage: format!("https://host{w}.example/"),
            agency: false,
        })
        .collect();
    setup.sync_outlets(&outlets).expect("outlets");
    drop(setup);
    let texts: Arc<Vec<String>> = Arc::new((0..STORIES as u64).map(story).collect());
    let start = Arc::new(Barrier::new(WRITERS));
    let writers: Vec<_> = (0..WRITERS)
        .map(|w| {
            let (url, texts, start) = (url.clone(), Arc::clone(&texts), Arc::clone(&start));
            std::thread::spawn(move || {
                let store = PostgresStore::open(&url).expect("open");
                let mut ingest =
                    Ingest::load(Box::new(store), IndexConfig::default(), None).expect("load");
                let run = ingest.store().begin_run().expect("run");
                let outlet = format!("host{w}");
                start.wait();
                for (i, text) in texts.iter().enumerate() {
                    let address = format!("https://host{w}.example/story/{i}");
                    store_text(&mut ingest, run, (&outlet, &address), text, false);
                }
            })
        })
        .collect();
    for w in writers {
        w.join().expect("writer");
    }
    let clusters = pg_partition(&url);
    let expected: Vec<Vec<String>> = {
        let mut e: Vec<Vec<String>> = (0..STORIES)
            .map(|i| {
                (0..WRITERS)
                    .map(|w| format!("https://host{w}.example/story/{i}"))
                    .collect()
            })
            .collect();
        e.sort();
        e
    };
    assert_eq!(
        clusters, expected,
        "one cluster per story, four copies each"
    );
}

// Outlets are shared out: a second run on the same database skips the
// outlets the first one holds, and takes them once they are released.
#[test]
fn f13_a_second_run_skips_outlets_another_run_holds() {
    let Some(url) = pg_server::database() else {
        return;
    };
    let mut first = PostgresStore::open(&url).expect("open");
    let mut second = PostgresStore::open(&url).expect("open");
    assert!(first.claim_outlet("tass").expect("claim"));
    assert!(
        !second.claim_outlet("tass").expect("claim"),
        "held by the first run"
    );
    assert!(second.claim_outlet("ria").expect("claim"));
    first.release_outlet("tass").expect("release");
    assert!(second.claim_outlet("tass").expect("claim"), "free again");
    drop(second);
    // The server releases a closed session's locks as its backend exits,
    // a moment after the client has gone.
    assert!(
        eventually(|| first.claim_outlet("ria").expect("claim")),
        "a run that ends releases its claims"
    );
}

/// Returns true if and only if `check` holds within 200 tries 50 ms apart:
/// for what the server does on its own once a session is closed.
fn eventually(mut check: impl FnMut() -> bool) -> bool {
    (0..200).any(|_| {
        check() || {
            std::thread::sleep(std::time::Duration::from_millis(50));
            false
        }
    })
}

// A run on another host that is still going is not "interrupted"; one
// whose host is gone is.
#[test]
fn f13_only_runs_whose_host_is_gone_are_marked_interrupted() {
    let Some(url) = pg_server::database() else {
        return;
    };
    let mut live = PostgresStore::open(&url).expect("open");
    let mut gone = PostgresStore::open(&url).expect("open");
    let mut starting = PostgresStore::open(&url).expect("open");
    live.begin_run().expect("run");
    gone.begin_run().expect("run");
    drop(gone);
    assert!(
        eventually(|| starting.close_interrupted_runs().expect("close") == 1),
        "the run whose host is gone is marked"
    );
    let statuses: Vec<String> = starting
        .runs(10)
        .expect("runs")
        .into_iter()
        .map(|r| r.status)
        .collect();
    assert_eq!(statuses, ["interrupted", "running"]);
}

// See: issue 13, "two concurrent runs, same config, one PostgreSQL".
// Two `wirecopy run` processes start together against the fixture sites
// and one database: every article page is fetched once in all, and the
// clusters (as URL sets) are those of one SQLite run over the same outlets.
#[test]
fn f13_two_concurrent_runs_fetch_each_article_once_and_cluster_as_one_sqlite_run() {
    let Some(url) = pg_server::database() else {
        return;
    };
    let sites = DemoSites::start("pg-two-runs");
    let (server, dir, config) = (&sites.server, &sites.dir, sites.config_arg());
    let root = fixtures().join("sites");
    let runs: Vec<_> = (0..2)
        .map(|_| {
            let mut command = dir.command();
            command.args(["run", "--config", config, "--db", &url]);
            std::thread::spawn(move || command.output())
        })
        .collect();
    for run in runs {
        let out = run.join().expect("run");
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let expected: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("expected.json")).expect("expected.json"),
    )
    .expect("expected.json parses");
    let articles: Vec<(String, String)> = expected["articles"]
        .as_array()
        .expect("articles")
        .iter()
        .filter_map(|a| {
            Some((
                a["site"].as_str()?.to_string(),
                a["path"].as_str()?.to_string(),
            ))
        })
        .collect();
    assert!(!articles.is_empty());
    let log = server.requests();
    for (site, path) in &articles {
        let fetched = log
            .iter()
            .filter(|r| &r.site == site && &r.path == path && r.method == "GET" && r.status == 200)
            .count();
        assert_eq!(
            fetched, 1,
            "{site}{path} fetched {fetched} times by the two runs"
        );
    }
    let shared = pg_partition(&url);
    let sqlite = dir.path.join("one.db");
    dir.command()
        .args([
            "run",
            "--config",
            config,
            "--db",
            sqlite.to_str().expect("utf-8"),
        ])
        .assert_exit_code(0);
    assert_eq!(shared, partition(&sqlite));
    assert!(
        shared.iter().any(|c| c.len() > 1),
        "some reprints were clustered"
    );
    // The reading commands take the same URL.
    let listed = dir
        .command()
        .args(["clusters", "list", "--db", &url])
        .assert_exit_code(0);
    assert!(listed.contains("tass"), "{listed}");
    let runs = dir
        .command()
        .args(["runs", "list", "--db", &url])
        .assert_exit_code(0);
    assert_eq!(runs.matches(" ok ").count(), 2, "{runs}");
}
