//! Tests of [`super::Ingest`]: loading, fingerprint refresh, placement by claims.

use super::*;
use crate::clean::Article;
use crate::dedup::{sketch, Fingerprint, FINGERPRINT_VERSION};
use crate::store::{IndexStore, OutletRow, SqliteStore, UrlKind};

/// A store written by an older fingerprint version is refused by a run
/// until `wirecopy reindex` brings it up to date, and reindexing again
/// changes nothing.
#[test]
fn runs_wait_for_reindex_after_a_fingerprint_version_change() {
    let dir = std::env::temp_dir().join(format!("wirecopy-refresh-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join("w.db");
    let _ = std::fs::remove_file(&path);
    let article = Article {
        text: "MOSCOW, May 3. /TASS/. Talks resumed on Friday after a pause of two years, \
               officials in Geneva said, and both delegations called them useful."
            .into(),
        ..Article::default()
    };
    let current = sketch(&article.text).fingerprint;
    // What an older version stored: another version and simhash, no
    // comparison text, and an index of that version.
    let old = Fingerprint {
        version: FINGERPRINT_VERSION - 1,
        simhash: !current.simhash,
        ..current.clone()
    };
    {
        let mut store = SqliteStore::open(&path).expect("create");
        store
            .sync_outlets(&[OutletRow {
                name: "tass".into(),
                homepage: "https://tass.com/".into(),
                agency: true,
            }])
            .expect("outlets");
        let run = store.begin_run().expect("run");
        save_founder(
            &mut store,
            (run, "tass", "https://tass.com/politics/1"),
            &article,
            &old,
        );
        store
            .connection()
            .execute(
                "UPDATE dedup_state SET version = ?1",
                [FINGERPRINT_VERSION - 1],
            )
            .expect("an index of the old version");
    }
    let columns = || {
        let store = SqliteStore::open(&path).expect("reopen");
        store
            .connection()
            .query_row(
                "SELECT fp_version, simhash, normalized, words FROM articles",
                [],
                |r| {
                    Ok((
                        r.get::<_, u32>(0)?,
                        r.get::<_, i64>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, u32>(3)?,
                    ))
                },
            )
            .expect("row")
    };
    assert_eq!(columns().0, FINGERPRINT_VERSION - 1);
    let store = SqliteStore::open(&path).expect("open");
    let refused = Ingest::load(Box::new(store), IndexConfig::default(), None);
    let message = refused.err().expect("a stale index is refused").to_string();
    assert!(message.contains("wirecopy reindex"), "{message}");
    assert!(
        message.contains(&format!("version {}", FINGERPRINT_VERSION - 1)),
        "{message}"
    );
    for _ in 0..2 {
        let mut store = SqliteStore::open(&path).expect("open");
        let done = crate::pipeline::reindex(&mut store, &Default::default(), &mut |_| {})
            .expect("reindex");
        assert_eq!((done.done, done.total), (1, 1));
        let (version, simhash, normalized, words) = columns();
        assert_eq!(version, FINGERPRINT_VERSION);
        assert_eq!(simhash, current.simhash as i64);
        assert!(
            normalized.starts_with("talks resumed on friday"),
            "{normalized}"
        );
        assert_eq!(words, current.words);
        Ingest::load(Box::new(store), IndexConfig::default(), None).expect("current again");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn own_copy_needs_an_agency_outlet_crediting_itself() {
    assert!(is_own_copy(true, Some("TASS"), "tass", "https://tass.com/"));
    assert!(is_own_copy(true, None, "tass", "https://tass.com/"));
    assert!(!is_own_copy(
        true,
        Some("Reuters"),
        "tass",
        "https://tass.com/"
    ));
    assert!(!is_own_copy(
        false,
        Some("TASS"),
        "tass",
        "https://tass.com/"
    ));
}

/// A fetch record for tests.
fn record<'a>(run: Id, outlet: &'a str, url: &'a str) -> FetchRecord<'a> {
    FetchRecord {
        run,
        outlet,
        url,
        kind: UrlKind::Article,
        status: Some(200),
        etag: None,
        last_modified: None,
        error: None,
        stage: None,
    }
}

/// Stores `article` from `outlet` at `url` as the founder of a cluster,
/// behind the index's back; returns its id and cluster.
fn save_founder(
    store: &mut dyn Store,
    (run, outlet, url): (Id, &str, &str),
    article: &Article,
    fingerprint: &Fingerprint,
) -> (Id, Id) {
    store
        .save_article(&NewArticle {
            fetch: record(run, outlet, url),
            final_url: url,
            html: b"<p>x</p>",
            article,
            claimed_canonical: None,
            normalized: "",
            fingerprint,
            cluster: ClusterPlacement {
                matched: None,
                relation: Relation::Canonical,
                similarity: 1.0,
                meta: DocMeta::default(),
            },
            policy: CanonicalPolicy::default(),
            index: None,
        })
        .expect("save")
}

// See: issue 12, item 1. A page's claim of a stored canonical places it in
// that article's cluster even when the index matched nothing, and only
// when the two texts relate.
#[test]
fn r12_a_claimed_canonical_places_the_page_when_the_texts_relate() {
    let story = "The northern port reopened on Monday after a week of repairs to its main pier, \
        the harbour master said. Ferries to the islands will run to the winter timetable from \
        Wednesday, the operator added, and freight traffic is expected to return to normal by \
        the end of the month. Repairs cost 4.2 million and were paid for by the regional government.";
    let other = "The city council approved a new budget for schools on Thursday, adding funds \
        for teachers and buildings. Parents groups welcomed the decision but said class sizes \
        remain too large in the eastern districts, where three new schools are planned by 2027.";
    let mut store = SqliteStore::in_memory().expect("store");
    store
        .sync_outlets(&[
            OutletRow {
                name: "wire".into(),
                homepage: "https://wire.example/".into(),
                agency: true,
            },
            OutletRow {
                name: "blog".into(),
                homepage: "https://blog.example/".into(),
                agency: false,
            },
        ])
        .expect("outlets");
    let mut ingest = Ingest::load(Box::new(store), IndexConfig::default(), None).expect("load");
    let run = ingest.store().begin_run().expect("run");
    // Stored behind the index's back, so the index cannot match them.
    let mut stored = Vec::new();
    for (url, text) in [
        ("https://wire.example/1", story),
        ("https://wire.example/2", other),
    ] {
        let article = Article {
            text: text.into(),
            ..Article::default()
        };
        let s = sketch(text);
        let (id, cluster) =
            save_founder(ingest.store(), (run, "wire", url), &article, &s.fingerprint);
        stored.push((id, cluster));
    }
    let reprint = Article {
        text: format!("{story}\n\nRead more on our site."),
        ..Article::default()
    };
    let add = |ingest: &mut Ingest, url: &str, claimed: Id| {
        let claim = "https://wire.example/claimed";
        ingest
            .add(&Cleaned {
                fetch: record(run, "blog", url),
                final_url: url,
                html: b"<p>x</p>",
                article: &reprint,
                outlet_is_agency: false,
                outlet_name: "blog",
                outlet_homepage: "https://blog.example/",
                claimed_canonical: Some(claim),
                claimed: Some(claimed),
            })
            .expect("add")
    };
    let cluster_of = |ingest: &mut Ingest, id: Id| -> Id {
        let store = ingest.store();
        let detail = store.cluster_ids(&Default::default()).expect("ids");
        detail
            .into_iter()
            .find(|c| {
                store.cluster(*c).expect("cluster").is_some_and(|d| {
                    d.canonical.info.id == id || d.members.iter().any(|m| m.article.info.id == id)
                })
            })
            .expect("in a cluster")
    };

    // The claim names a related article: the reprint joins its cluster.
    let (joined, relation) = add(&mut ingest, "https://blog.example/a", stored[0].0);
    assert_ne!(relation, Relation::Canonical);
    assert_eq!(cluster_of(&mut ingest, joined), stored[0].1);
    assert_eq!(ingest.counts.claims_joined, 1);
    assert_eq!(ingest.counts.reprints, 1);

    // The claim names an unrelated article (a boilerplate canonical link):
    // it is not followed; the index decides (and matches the first copy).
    let (second, _) = add(&mut ingest, "https://blog.example/b", stored[1].0);
    assert_ne!(cluster_of(&mut ingest, second), stored[1].1);
    assert_eq!(ingest.counts.claims_joined, 1);
}

/// A page from `outlet` at `url` with `text`, ready for [`Ingest::add`].
pub(super) fn page<'a>(
    run: Id,
    (outlet, url): (&'a str, &'a str),
    article: &'a Article,
) -> Cleaned<'a> {
    Cleaned {
        fetch: record(run, outlet, url),
        final_url: url,
        html: b"<p>x</p>",
        article,
        outlet_is_agency: outlet == "tass",
        outlet_name: outlet,
        outlet_homepage: if outlet == "tass" {
            "https://tass.com/"
        } else {
            "https://blog.example/"
        },
        claimed_canonical: None,
        claimed: None,
    }
}

pub(super) fn outlets(store: &mut SqliteStore) {
    store
        .sync_outlets(&[
            OutletRow {
                name: "tass".into(),
                homepage: "https://tass.com/".into(),
                agency: true,
            },
            OutletRow {
                name: "blog".into(),
                homepage: "https://blog.example/".into(),
                agency: false,
            },
        ])
        .expect("outlets");
}

const TALKS: &str = "Talks resumed in Geneva on Friday after a pause of two years, officials said, and both sides called them useful. The delegations will meet again in March to discuss the 14 points left open, a spokesman for the foreign ministry told reporters after the session.";
const PIER: &str = "The harbour authority closed the old northern pier to ferries after divers found cracks in three of its columns. Ferries to the islands will sail from the southern terminal instead, adding about 20 minutes to each crossing, the authority said in a statement on Monday.";

/// With a matching window, only the articles published or fetched within
/// it are candidates; without one, all of them.
#[test]
fn the_matching_window_bounds_the_candidates() {
    let path = temp_db("window");
    let mut store = SqliteStore::open(&path).expect("store");
    outlets(&mut store);
    let mut ingest = Ingest::load(Box::new(store), IndexConfig::default(), None).expect("load");
    let run = ingest.store().begin_run().expect("run");
    let stored: Vec<Id> = [TALKS, PIER]
        .iter()
        .enumerate()
        .map(|(n, text)| {
            let article = Article {
                text: (*text).into(),
                ..Article::default()
            };
            let url = format!("https://tass.com/politics/{n}");
            ingest
                .add(&page(run, ("tass", &url), &article))
                .expect("add")
                .0
        })
        .collect();
    // The first article is two months old: published and fetched then.
    let old = chrono::Utc::now().timestamp() - 60 * 86_400;
    drop(ingest);
    let store = SqliteStore::open(&path).expect("reopen");
    for sql in [
        "UPDATE articles SET published_ts = ?2, fetched_at = '2026-01-01T00:00:00.000Z' WHERE id = ?1",
        "UPDATE dedup_docs SET published_ts = ?2, fetched_at = '2026-01-01T00:00:00.000Z' WHERE article_id = ?1",
    ] {
        store
            .connection()
            .execute(sql, rusqlite::params![stored[0], old])
            .expect("age");
    }
    let window = crate::store::MatchWindow::days(30, chrono::Utc::now());
    assert!(crate::store::MatchWindow::days(0, chrono::Utc::now()).is_none());
    assert_eq!(
        store.candidate_floor(window.as_ref()).expect("floor"),
        stored[1]
    );
    assert_eq!(store.candidate_floor(None).expect("floor"), 0);
    let mut ingest =
        Ingest::load(Box::new(store), IndexConfig::default(), window.as_ref()).expect("load");
    // A reprint of the old story founds a cluster; one of the recent joins.
    for (n, text, joins) in [(2, TALKS, false), (3, PIER, true)] {
        let article = Article {
            text: format!("{text}\n\nRead more on our site."),
            ..Article::default()
        };
        let url = format!("https://blog.example/{n}");
        let (_, relation) = ingest
            .add(&page(run, ("blog", &url), &article))
            .expect("add");
        assert_eq!(relation != Relation::Canonical, joins, "{url}");
    }
}

/// Opening a run reads no article text, and placing a new article reads
/// only the features of its candidates: with every stored text made
/// unreadable, both still work.
#[test]
fn a_run_reads_no_article_text() {
    let path = temp_db("no-text");
    let mut store = SqliteStore::open(&path).expect("store");
    outlets(&mut store);
    let mut ingest = Ingest::load(Box::new(store), IndexConfig::default(), None).expect("load");
    let run = ingest.store().begin_run().expect("run");
    for (n, text) in [TALKS, PIER].iter().enumerate() {
        let article = Article {
            text: (*text).into(),
            ..Article::default()
        };
        let url = format!("https://tass.com/politics/{n}");
        ingest
            .add(&page(run, ("tass", &url), &article))
            .expect("add");
    }
    drop(ingest);
    let store = SqliteStore::open(&path).expect("reopen");
    // Not UTF-8: any read of a text as a string fails.
    store
        .connection()
        .execute(
            "UPDATE articles SET text = X'FFFE00', normalized = X'FFFE00'",
            [],
        )
        .expect("spoil the texts");
    let mut ingest =
        Ingest::load(Box::new(store), IndexConfig::default(), None).expect("no text read");
    let article = Article {
        text: format!("{PIER}\n\nRead more on our site."),
        ..Article::default()
    };
    let (_, relation) = ingest
        .add(&page(run, ("blog", "https://blog.example/1"), &article))
        .expect("placed without reading a stored text");
    assert_ne!(relation, Relation::Canonical);
}

/// A fresh database path of its own for one test.
fn temp_db(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("wirecopy-ingest-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir.join("w.db")
}
