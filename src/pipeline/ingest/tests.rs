//! Tests of [`super::Ingest`]: loading, fingerprint refresh, placement by claims.

use super::*;
use crate::clean::Article;
use crate::dedup::{sketch, Fingerprint};
use crate::store::{OutletRow, SqliteStore, UrlKind};

/// A store written by an older fingerprint version is brought up to
/// date when it is loaded, and loading again changes nothing.
#[test]
fn load_refreshes_fingerprints_of_another_version() {
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
    // comparison text.
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
    for _ in 0..2 {
        let store = SqliteStore::open(&path).expect("open");
        let ingest = Ingest::load(Box::new(store), IndexConfig::default(), None).expect("load");
        assert_eq!(ingest.len(), 1);
        drop(ingest);
        let (version, simhash, normalized, words) = columns();
        assert_eq!(version, FINGERPRINT_VERSION);
        assert_eq!(simhash, current.simhash as i64);
        assert!(
            normalized.starts_with("talks resumed on friday"),
            "{normalized}"
        );
        assert_eq!(words, current.words);
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

/// With a matching window, a run loads only the articles published or
/// fetched within it; without one, all of them.
#[test]
fn the_matching_window_bounds_what_a_run_loads() {
    let mut store = SqliteStore::in_memory().expect("store");
    store
        .sync_outlets(&[OutletRow {
            name: "tass".into(),
            homepage: "https://tass.com/".into(),
            agency: true,
        }])
        .expect("outlets");
    let run = store.begin_run().expect("run");
    for (n, text) in [
        "Talks resumed in Geneva on Friday after a pause of two years, officials said, and both sides called them useful.",
        "The harbour authority closed the old northern pier to ferries after divers found cracks in three of its columns.",
    ]
    .iter()
    .enumerate()
    {
        let url = format!("https://tass.com/politics/{n}");
        let article = Article {
            text: (*text).into(),
            ..Article::default()
        };
        let fingerprint = sketch(text).fingerprint;
        save_founder(&mut store, (run, "tass", &url), &article, &fingerprint);
    }
    // The first article is two months old: published and fetched then.
    store
        .connection()
        .execute(
            "UPDATE articles SET published_ts = ?1, fetched_at = '2026-01-01T00:00:00.000Z' WHERE url LIKE '%/0'",
            [chrono::Utc::now().timestamp() - 60 * 86_400],
        )
        .expect("age the first article");
    let window = crate::store::MatchWindow::days(30, chrono::Utc::now());
    assert!(crate::store::MatchWindow::days(0, chrono::Utc::now()).is_none());
    let recent = store.indexed_articles(window.as_ref()).expect("recent");
    assert_eq!(recent.len(), 1);
    assert!(recent[0].text.starts_with("The harbour"));
    assert_eq!(store.indexed_articles(None).expect("all").len(), 2);
    let ingest =
        Ingest::load(Box::new(store), IndexConfig::default(), window.as_ref()).expect("load");
    assert_eq!(ingest.len(), 1);
}
