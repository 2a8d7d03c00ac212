//! Issue 13: the dedup index lives in the store. A second run over a stored
//! database places articles as one run would; the stored index decides as
//! the in-memory one; `wirecopy reindex` resumes after an interruption and
//! runs refuse a stale index until it has.

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;
use wirecopy::clean::{Article, Cleaner};
use wirecopy::dedup::canonical::parse_published;
use wirecopy::dedup::{sketch, DocMeta, Index, IndexConfig, Relation};
use wirecopy::pipeline::{is_own_copy, reindex, Cleaned, Ingest, ReindexOptions};
use wirecopy::store::{FetchRecord, IndexStore, OutletRow, SqliteStore, Store, UrlKind};

use crate::util::{fixtures, Dir};

#[derive(Deserialize)]
struct Line {
    id: String,
    outlet: Option<String>,
    agency: Option<bool>,
    published: Option<String>,
    text: Option<String>,
    html: Option<String>,
    url: Option<String>,
}

/// One corpus document as a run would store it.
struct Doc {
    url: String,
    outlet: String,
    agency_outlet: bool,
    article: Article,
}

/// The invented reprint corpus of `fixtures/reprints`, in file order.
fn corpus() -> Vec<Doc> {
    let cleaner = Cleaner::default();
    let mut docs = Vec::new();
    for name in ["stories_a.jsonl", "stories_b.jsonl", "stories_c.jsonl"] {
        let Ok(body) = std::fs::read_to_string(fixtures().join("reprints").join(name)) else {
            continue;
        };
        for line in body.lines().filter(|l| !l.trim().is_empty()) {
            let d: Line = serde_json::from_str(line).expect("corpus line parses");
            let text = match (&d.text, &d.html) {
                (Some(t), _) => t.clone(),
                (None, Some(h)) => cleaner
                    .clean(h.as_bytes(), d.url.as_deref())
                    .map(|a| a.text)
                    .unwrap_or_default(),
                _ => String::new(),
            };
            let outlet = d.outlet.unwrap_or_else(|| "unknown".into());
            docs.push(Doc {
                url: format!("https://{outlet}/{}", d.id),
                agency_outlet: d.agency.unwrap_or(false),
                outlet,
                article: Article {
                    text,
                    published: d.published,
                    ..Article::default()
                },
            });
        }
    }
    docs
}

fn homepage(outlet: &str) -> String {
    format!("https://{outlet}/")
}

/// Stores `docs` through one [`Ingest`] (one run); returns each relation.
fn one_run(db: &Path, docs: &[Doc]) -> Vec<Relation> {
    let mut store = SqliteStore::open(db).expect("open");
    let mut outlets: Vec<OutletRow> = docs
        .iter()
        .map(|d| OutletRow {
            name: d.outlet.clone(),
            homepage: homepage(&d.outlet),
            agency: d.agency_outlet,
        })
        .collect();
    outlets.sort_by(|a, b| a.name.cmp(&b.name));
    outlets.dedup_by(|a, b| a.name == b.name);
    store.sync_outlets(&outlets).expect("outlets");
    let mut ingest = Ingest::load(Box::new(store), IndexConfig::default(), None).expect("load");
    let run = ingest.store().begin_run().expect("run");
    docs.iter()
        .map(|d| {
            let home = homepage(&d.outlet);
            let page = Cleaned {
                fetch: FetchRecord {
                    run,
                    outlet: &d.outlet,
                    url: &d.url,
                    kind: UrlKind::Article,
                    status: Some(200),
                    etag: None,
                    last_modified: None,
                    error: None,
                    stage: None,
                },
                final_url: &d.url,
                html: b"<p>x</p>",
                article: &d.article,
                outlet_is_agency: d.agency_outlet,
                outlet_name: &d.outlet,
                outlet_homepage: &home,
                claimed_canonical: None,
                claimed: None,
            };
            ingest.add(&page).expect("add").1
        })
        .collect()
}

/// Each article's cluster (by its canonical's URL), relation and score.
fn clusters(db: &Path) -> HashMap<String, (String, String, i64)> {
    let store = SqliteStore::open(db).expect("open");
    let mut stmt = store
        .connection()
        .prepare(
            "SELECT a.url, c.url, m.relation, CAST(m.similarity * 1e6 AS INTEGER)
             FROM members m JOIN articles a ON a.id = m.article_id
             JOIN clusters k ON k.id = m.cluster_id JOIN articles c ON c.id = k.canonical_id",
        )
        .expect("query");
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?, r.get(3)?))))
        .expect("rows");
    rows.collect::<Result<_, _>>().expect("rows")
}

/// The dedup index tables, row by row.
fn index_rows(db: &Path) -> Vec<String> {
    let store = SqliteStore::open(db).expect("open");
    let mut out = Vec::new();
    for sql in [
        "SELECT article_id, published_ts, fetched_at, hex(exact_key), core, root, agency, words,
                hex(features) FROM dedup_docs ORDER BY article_id",
        "SELECT key, core, n, '', '', '', '', '', '' FROM dedup_bands ORDER BY key, core",
        "SELECT key, core, '', '', '', '', '', '', '' FROM dedup_postings ORDER BY key, core",
    ] {
        let mut stmt = store.connection().prepare(sql).expect("query");
        let rows = stmt
            .query_map([], |r| {
                let cols: Vec<String> = (0..9)
                    .map(|i| {
                        r.get::<_, rusqlite::types::Value>(i)
                            .map(|v| format!("{v:?}"))
                    })
                    .collect::<Result<_, _>>()?;
                Ok(cols.join("|"))
            })
            .expect("rows");
        out.extend(rows.map(|r| r.expect("row")));
    }
    out
}

fn same_partition(a: &[u32], b: &[u32]) -> bool {
    (0..a.len()).all(|i| (0..a.len()).all(|j| (a[i] == a[j]) == (b[i] == b[j])))
}

#[test]
fn f13_a_second_run_makes_the_clusters_of_one_run_and_of_the_memory_index() {
    let docs = corpus();
    if docs.is_empty() {
        eprintln!("skipped: no corpus in fixtures/reprints");
        return;
    }
    let dir = Dir::new("scale-runs");
    let one = dir.path.join("one.db");
    let relations = one_run(&one, &docs);
    let two = dir.path.join("two.db");
    let half = docs.len() / 2;
    let mut split = one_run(&two, &docs[..half]);
    split.extend(one_run(&two, &docs[half..]));
    assert_eq!(relations, split, "relations differ between one run and two");
    assert_eq!(clusters(&one), clusters(&two));

    // The in-memory index, fed the same articles in the same order, decides
    // the same.
    let mut index = Index::new(IndexConfig::default());
    let memory: Vec<_> = docs
        .iter()
        .map(|d| {
            let s = sketch(&d.article.text);
            let meta = DocMeta {
                agency: is_own_copy(
                    d.agency_outlet,
                    d.article.agency.as_deref(),
                    &d.outlet,
                    &homepage(&d.outlet),
                ),
                published: d.article.published.as_deref().and_then(parse_published),
                words: s.fingerprint.words,
            };
            index.insert(&s, meta)
        })
        .collect();
    let memory_relations: Vec<Relation> = memory.iter().map(|a| a.relation).collect();
    assert_eq!(relations, memory_relations);
    let stored = clusters(&one);
    let mut names: HashMap<&str, u32> = HashMap::new();
    let by_store: Vec<u32> = docs
        .iter()
        .map(|d| {
            let next = names.len() as u32;
            *names.entry(stored[&d.url].0.as_str()).or_insert(next)
        })
        .collect();
    let by_memory: Vec<u32> = memory.iter().map(|a| a.cluster).collect();
    assert!(same_partition(&by_store, &by_memory), "clusters differ");
    assert!(
        relations
            .iter()
            .filter(|r| **r != Relation::Canonical)
            .count()
            > docs.len() / 3,
        "the corpus has reprints of every kind"
    );
}

#[test]
fn f13_reindex_resumes_after_an_interruption() {
    let docs = corpus();
    if docs.len() < 100 {
        eprintln!("skipped: no corpus in fixtures/reprints");
        return;
    }
    let dir = Dir::new("scale-reindex");
    let db = dir.path.join("w.db");
    one_run(&db, &docs[..100]);
    let filed = index_rows(&db);
    let mut store = SqliteStore::open(&db).expect("open");
    store
        .connection()
        .execute("UPDATE dedup_state SET version = 0", [])
        .expect("an index from before");
    let options = ReindexOptions {
        batch: 25,
        ..ReindexOptions::default()
    };
    let mut calls = 0;
    let interrupted = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        reindex(&mut store, &options, &mut |p| {
            calls += 1;
            // Ctrl-C after the second batch.
            assert!(calls < 3, "interrupted at {}", p.done);
        })
    }));
    assert!(interrupted.is_err());
    drop(store);
    let store = SqliteStore::open(&db).expect("open");
    let state = store.index_state().expect("state");
    assert!(state.reindexed_to.is_some() && !state.is_current());
    let refused = Ingest::load(Box::new(store), IndexConfig::default(), None)
        .err()
        .expect("a half-built index is refused")
        .to_string();
    assert!(refused.contains("being rebuilt"), "{refused}");

    let mut store = SqliteStore::open(&db).expect("open");
    let mut first = None;
    let done = reindex(&mut store, &options, &mut |p| {
        first.get_or_insert(p.done);
    })
    .expect("resume");
    assert_eq!(first, Some(50), "resumed after the last batch it finished");
    assert_eq!((done.done, done.total), (100, 100));
    drop(store);
    assert_eq!(
        index_rows(&db),
        filed,
        "the reindexed index is the one runs filed"
    );
}

#[test]
fn f13_run_refuses_a_stale_index_until_reindex() {
    let dir = Dir::new("scale-cli");
    let db = dir.path.join("w.db");
    {
        let store = SqliteStore::open(&db).expect("create");
        store
            .connection()
            .execute("UPDATE dedup_state SET version = 1", [])
            .expect("an old index");
    }
    dir.create(
        "sources.toml",
        "[[outlet]]\nname = \"gone\"\nhomepage = \"http://127.0.0.1:9/\"\nfeeds = [\"http://127.0.0.1:9/rss\"]\n",
    );
    let out = dir.command().args(["run", "--db", "w.db"]).output();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("fingerprint version 1") && stderr.contains("wirecopy reindex --db"),
        "{stderr}"
    );
    let said = dir.command().args(["reindex", "--db", "w.db"]).stdout();
    assert!(said.contains("dedup index current"), "{said}");
    // Now the run goes ahead (and its one outlet fails: exit 1, not 2).
    dir.command()
        .args(["run", "--db", "w.db"])
        .assert_exit_code(1);
}
