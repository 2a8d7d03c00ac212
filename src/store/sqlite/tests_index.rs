//! Tests of the dedup index tables: migration 3 on an old database, filing
//! and the windowed, capped lookups.

use super::tests::{fetch, store};
use super::*;
use crate::clean::Article;
use crate::dedup::{sketch, CanonicalPolicy, CoreFeatures, DocMeta, Relation, FINGERPRINT_VERSION};
use crate::store::{ClusterPlacement, CoreEntry, IndexEntry};

/// Saves `text` at `url` with an index entry: a primary core filed under
/// `bands` and `postings`, or a plain doc.
fn save_filed(s: &mut SqliteStore, url: &str, text: &str, core: Option<(&[u32], &[u32])>) -> Id {
    save_placed(s, url, text, core, None)
}

/// [`save_filed`], placed after `matched` when given.
fn save_placed(
    s: &mut SqliteStore,
    url: &str,
    text: &str,
    core: Option<(&[u32], &[u32])>,
    matched: Option<Id>,
) -> Id {
    let run = s.begin_run().expect("run");
    let article = Article {
        text: text.into(),
        ..Article::default()
    };
    let sk = sketch(text);
    let meta = DocMeta {
        agency: false,
        published: None,
        words: sk.fingerprint.words,
    };
    let entry = IndexEntry {
        exact_key: Some(crate::dedup::place::exact_key(&sk)),
        core: core.map(|(bands, postings)| CoreEntry {
            root: None,
            features: CoreFeatures::of(&sk),
            meta,
            band_keys: bands.to_vec(),
            postings: postings.to_vec(),
        }),
    };
    s.save_article(&NewArticle {
        fetch: fetch(run, "blog", url),
        final_url: url,
        html: b"<p>x</p>",
        article: &article,
        claimed_canonical: None,
        normalized: "",
        fingerprint: &sk.fingerprint,
        cluster: ClusterPlacement {
            matched,
            relation: if matched.is_some() {
                Relation::Near
            } else {
                Relation::Canonical
            },
            similarity: if matched.is_some() { 0.9 } else { 1.0 },
            meta,
        },
        policy: CanonicalPolicy::default(),
        index: Some(&entry),
    })
    .expect("save")
    .0
}

#[test]
fn lookups_follow_keys_the_window_and_the_posting_cap() {
    let mut s = store();
    let a = save_filed(
        &mut s,
        "https://blog.example/a",
        "First text here.",
        Some((&[7, 7, 9], &[100, 200])),
    );
    let b = save_filed(
        &mut s,
        "https://blog.example/b",
        "Second text here.",
        Some((&[9], &[100])),
    );
    let c = save_filed(&mut s, "https://blog.example/c", "Third text here.", None);
    let all = CandidateScope::default();
    let mut hits = s.band_hits(&[7, 9, 9], &all).expect("bands");
    hits.sort_unstable();
    // a filed 7 twice and 9 once; asked 7 once and 9 twice.
    assert_eq!(hits, [(a, 4), (b, 2)]);
    let mut hits = s.posting_hits(&[100, 200], &all, 1).expect("postings");
    hits.sort_unstable();
    assert_eq!(hits, [(a, 2)], "one core per key: the oldest");
    let key = crate::dedup::place::exact_key(&sketch("Third text here."));
    assert_eq!(s.exact_candidate(&key, &all).expect("exact"), Some(c));
    let cores = s.indexed_cores(&[b, c, a]).expect("cores");
    assert_eq!(
        cores.iter().map(|x| (x.id, x.root)).collect::<Vec<_>>(),
        [(b, b), (a, a)]
    );
    assert_eq!(
        cores[0].core.features,
        CoreFeatures::of(&sketch("Second text here."))
    );
    // a falls out of the window.
    s.connection()
        .execute(
            "UPDATE dedup_docs SET fetched_at = '2020-01-01T00:00:00.000Z' WHERE article_id = ?1",
            [a],
        )
        .expect("age a");
    let window = crate::store::MatchWindow::days(30, chrono::Utc::now());
    let floor = s.candidate_floor(window.as_ref()).expect("floor");
    assert_eq!(floor, b);
    let recent = CandidateScope { window, floor };
    assert_eq!(s.band_hits(&[7], &recent).expect("bands"), []);
    assert_eq!(
        s.posting_hits(&[100], &recent, 1).expect("postings"),
        [(b, 1)]
    );
    // Without the floor the window alone still decides.
    let unfloored = CandidateScope { floor: 0, ..recent };
    assert_eq!(
        s.posting_hits(&[100], &unfloored, 1).expect("postings"),
        [(b, 1)]
    );
}

/// A database from before the index lived in the store (schema 2, with
/// articles) opens, is upgraded, and says its index needs `wirecopy
/// reindex`; an empty one starts with a current index.
#[test]
fn migration_3_upgrades_an_old_database_and_asks_for_reindex() {
    let dir = std::env::temp_dir().join(format!("wirecopy-mig3-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join("v2.db");
    {
        let conn = rusqlite::Connection::open(&path).expect("v2 database");
        conn.execute_batch(schema::MIGRATIONS[0]).expect("schema 1");
        conn.execute_batch(schema::MIGRATIONS[1]).expect("schema 2");
        conn.pragma_update(None, "user_version", 2)
            .expect("version");
        conn.execute_batch(
            "INSERT INTO outlets (id, name, homepage) VALUES (1, 'blog', 'https://blog.example/');
             INSERT INTO urls (id, url, outlet_id, kind) VALUES (1, 'https://blog.example/a', 1, 'article');
             INSERT INTO articles (id, url_id, outlet_id, url, final_url, text, words,
                                   sha256, simhash, fp_version, fetched_at) VALUES
                 (1, 1, 1, 'https://blog.example/a', 'https://blog.example/a',
                  'The harbour reopened on Monday after a week of repairs to its main pier.', 14,
                  '', 0, 3, '2024-01-01T00:00:00.000Z');",
        )
        .expect("v2 rows");
    }
    // Read-only (a dry run) sees no index without migrating anything.
    let ro = SqliteStore::open_read_only(&path).expect("read-only");
    assert_eq!(ro.index_state().expect("state").version, 0);
    drop(ro);
    let mut s = SqliteStore::open(&path).expect("migrate");
    assert_eq!(s.schema_version().expect("version"), schema::VERSION);
    let state = s.index_state().expect("state");
    assert_eq!((state.version, state.reindexed_to), (0, None));
    assert!(!state.is_current());
    let message = Error::IndexStale {
        path: "v2.db".into(),
        state,
    }
    .to_string();
    assert!(
        message.contains("not built yet") && message.contains("wirecopy reindex"),
        "{message}"
    );
    let done = crate::pipeline::reindex(&mut s, &Default::default(), &mut |_| {}).expect("reindex");
    assert_eq!((done.done, done.total), (1, 1));
    assert!(s.index_state().expect("state").is_current());
    let filed: i64 = s
        .connection()
        .query_row("SELECT COUNT(*) FROM dedup_docs WHERE core = 1", [], |r| {
            r.get(0)
        })
        .expect("count");
    assert_eq!(filed, 1);
    let fresh = SqliteStore::in_memory().expect("fresh");
    let state = fresh.index_state().expect("state");
    assert_eq!(
        (state.version, state.is_current()),
        (FINGERPRINT_VERSION, true)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_split_leaves_both_clusters_with_a_primary_core() {
    use crate::store::{Decision, DecisionKind};
    let mut s = store();
    let founder = save_filed(
        &mut s,
        "https://blog.example/founder",
        "The ferry line to the islands reopened on Monday after repairs to its pier.",
        Some((&[11, 12], &[21])),
    );
    let member = save_placed(
        &mut s,
        "https://blog.example/member",
        "The ferry line to the islands reopened on Monday after repairs, its operator said.",
        None,
        Some(founder),
    );
    let cluster_of = |s: &SqliteStore, a: Id| -> Id {
        s.connection()
            .query_row(
                "SELECT cluster_id FROM members WHERE article_id = ?1",
                [a],
                |r| r.get(0),
            )
            .expect("member")
    };
    let old = cluster_of(&s, founder);
    assert_eq!(cluster_of(&s, member), old);
    let core_kind = |s: &SqliteStore, a: Id| -> i64 {
        s.connection()
            .query_row(
                "SELECT core FROM dedup_docs WHERE article_id = ?1",
                [a],
                |r| r.get(0),
            )
            .expect("filed")
    };
    assert_eq!(core_kind(&s, member), 0);
    // The founder, the old cluster's only core, is split out.
    let new = s
        .review(
            &Decision {
                kind: DecisionKind::Split,
                cluster: old,
                article: Some(founder),
                other: None,
                note: None,
            },
            CanonicalPolicy::default(),
        )
        .expect("split");
    assert_ne!(new, old);
    assert_eq!(cluster_of(&s, member), old);
    // The member left behind is now the old cluster's core, filed under its
    // own band keys, so a later copy of it can find the old cluster.
    assert_eq!(core_kind(&s, member), super::schema::CORE_PRIMARY);
    let bands: i64 = s
        .connection()
        .query_row(
            "SELECT COUNT(*) FROM dedup_bands WHERE core = ?1",
            [member],
            |r| r.get(0),
        )
        .expect("bands");
    assert!(bands > 0);
    assert_eq!(core_kind(&s, founder), super::schema::CORE_PRIMARY);
}
