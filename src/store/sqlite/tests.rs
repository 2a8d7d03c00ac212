use super::*;
use crate::clean::Article;
use crate::dedup::{sketch, CanonicalPolicy, DocMeta, Relation};
use crate::store::{ClusterPlacement, UrlKind};

pub(super) fn store() -> SqliteStore {
    let mut s = SqliteStore::in_memory().expect("in-memory store");
    s.sync_outlets(&[
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
    s
}

pub(super) fn fetch<'a>(run: Id, outlet: &'a str, url: &'a str) -> FetchRecord<'a> {
    FetchRecord {
        run,
        outlet,
        url,
        kind: UrlKind::Article,
        status: Some(200),
        etag: Some("\"v1\""),
        last_modified: None,
        error: None,
        stage: None,
    }
}

/// Saves `text` from `outlet` at `url` as a new article placed after
/// `matched` (a near copy with `similarity`) or founding a cluster.
pub(super) fn save_text(
    s: &mut SqliteStore,
    run: Id,
    (outlet, url): (&str, &str),
    text: &str,
    matched: Option<Id>,
    similarity: f64,
    meta: DocMeta,
) -> (Id, Id) {
    let article = Article {
        text: text.into(),
        ..Article::default()
    };
    let fp = sketch(text).fingerprint;
    s.save_article(&NewArticle {
        fetch: fetch(run, outlet, url),
        final_url: url,
        html: b"<p>x</p>",
        article: &article,
        claimed_canonical: None,
        normalized: "",
        fingerprint: &fp,
        cluster: ClusterPlacement {
            matched,
            relation: if matched.is_some() {
                Relation::Near
            } else {
                Relation::Canonical
            },
            similarity,
            meta,
        },
        policy: CanonicalPolicy::default(),
        index: None,
    })
    .expect("save")
}

#[test]
fn migrates_and_reopens() {
    let dir = std::env::temp_dir().join(format!("wirecopy-store-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join("w.db");
    let _ = std::fs::remove_file(&path);
    {
        let s = SqliteStore::open(&path).expect("create");
        assert_eq!(s.schema_version().expect("version"), schema::VERSION);
    }
    let s = SqliteStore::open(&path).expect("reopen");
    assert_eq!(s.totals().expect("totals").runs, 0);
    s.connection()
        .pragma_update(None, "user_version", 999)
        .expect("bump");
    drop(s);
    let error = SqliteStore::open(&path).expect_err("newer schema refused");
    assert!(error.to_string().contains("upgrade wirecopy"), "{error}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn saves_articles_with_clusters_in_one_go() {
    let mut s = store();
    let run = s.begin_run().expect("run");
    let original = Article {
        title: Some("Talks resume".into()),
        text: "MOSCOW, May 3. /TASS/. Talks resumed on Friday after a pause of two years, officials said.".into(),
        agency: Some("TASS".into()),
        ..Article::default()
    };
    let fp = sketch(&original.text).fingerprint;
    let html = b"<html><body><p>Talks resumed</p></body></html>";
    let (a, ca) = s
        .save_article(&NewArticle {
            fetch: fetch(run, "tass", "https://tass.com/politics/1"),
            final_url: "https://tass.com/politics/1",
            html,
            article: &original,
            claimed_canonical: None,
            normalized: "",
            fingerprint: &fp,
            cluster: ClusterPlacement {
                matched: None,
                relation: Relation::Canonical,
                similarity: 1.0,
                meta: DocMeta {
                    agency: true,
                    published: Some(100),
                    words: 15,
                },
            },
            policy: CanonicalPolicy::default(),
            index: None,
        })
        .expect("save original");
    let (b, cb) = s
        .save_article(&NewArticle {
            fetch: fetch(run, "blog", "https://blog.example/talks"),
            final_url: "https://blog.example/talks",
            html,
            article: &original,
            claimed_canonical: None,
            normalized: "",
            fingerprint: &fp,
            cluster: ClusterPlacement {
                matched: Some(a),
                relation: Relation::Exact,
                similarity: 1.0,
                meta: DocMeta {
                    agency: false,
                    published: Some(50),
                    words: 15,
                },
            },
            policy: CanonicalPolicy::default(),
            index: None,
        })
        .expect("save reprint");
    assert_eq!(ca, cb, "the reprint joins the original's cluster");
    let (size, canonical): (i64, i64) = s
        .connection()
        .query_row(
            "SELECT size, canonical_id FROM clusters WHERE id = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("cluster row");
    assert_eq!((size, canonical), (2, a));
    let relation: String = s
        .connection()
        .query_row(
            "SELECT relation FROM members WHERE article_id = ?1",
            [b],
            |r| r.get(0),
        )
        .expect("member");
    assert_eq!(relation, "exact");
    assert_eq!(s.raw_html(a).expect("raw").as_deref(), Some(&html[..]));
    let state = s
        .url_state("https://tass.com/politics/1")
        .expect("state")
        .expect("known");
    assert_eq!(
        (state.status, state.etag.as_deref(), state.article),
        (Some(200), Some("\"v1\""), Some(a))
    );
    let indexed = s.reindex_batch(0, 10).expect("indexed");
    assert_eq!(
        indexed
            .iter()
            .map(|i| (i.id, i.agency_own))
            .collect::<Vec<_>>(),
        [(a, true), (b, false)]
    );
    assert_eq!(
        s.article_at("https://tass.com/politics/1").expect("lookup"),
        Some(a)
    );
    assert_eq!(
        s.article_at("https://tass.com/politics/2").expect("lookup"),
        None
    );
    let views = s.clusters_with_reprints(10).expect("views");
    assert_eq!(views.len(), 1);
    assert_eq!(
        (
            views[0].id,
            views[0].canonical.id,
            views[0].canonical.outlet.as_str()
        ),
        (1, a, "tass")
    );
    assert_eq!(
        views[0]
            .members
            .iter()
            .map(|m| (m.0.id, m.1.as_str()))
            .collect::<Vec<_>>(),
        [(b, "exact")]
    );
    assert_eq!(s.prune_raw_html(0).expect("prune"), 2);
    assert_eq!(s.raw_html(a).expect("raw"), None);
    let t = s.totals().expect("totals");
    assert_eq!(
        (t.articles, t.clusters, t.clusters_with_reprints),
        (2, 1, 1)
    );
}

#[test]
fn not_modified_keeps_validators_and_errors_are_logged() {
    let mut s = store();
    let run = s.begin_run().expect("run");
    let mut r = fetch(run, "tass", "https://tass.com/rss");
    r.kind = UrlKind::Feed;
    s.record_fetch(&r).expect("first fetch");
    r.status = Some(304);
    r.etag = None;
    s.record_fetch(&r).expect("304");
    let st = s
        .url_state("https://tass.com/rss")
        .expect("state")
        .expect("known");
    assert_eq!((st.status, st.etag.as_deref()), (Some(304), Some("\"v1\"")));
    r.status = None;
    r.error = Some("connection refused");
    r.stage = Some("fetch");
    s.record_fetch(&r).expect("error");
    let st = s
        .url_state("https://tass.com/rss")
        .expect("state")
        .expect("known");
    assert_eq!(
        (st.error.as_deref(), st.etag.as_deref()),
        (Some("connection refused"), Some("\"v1\""))
    );
    let logged: i64 = s
        .connection()
        .query_row(
            "SELECT COUNT(*) FROM fetch_errors WHERE run_id = ?1",
            [run],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(logged, 1);
    s.finish_run(
        run,
        &RunCounts {
            errors: 1,
            ..RunCounts::default()
        },
        "partial",
    )
    .expect("finish");
    let status: String = s
        .connection()
        .query_row("SELECT status FROM runs", [], |r| r.get(0))
        .expect("run");
    assert_eq!(status, "partial");
}

// See: issue 12, item 1. Before schema version 2, a reprint's canonical URL
// on another site was stored as its address, which made the agency's own
// page look stored already. The migration moves such URLs to
// `claimed_canonical` and leaves own-site canonicals where they are.
#[test]
fn r12_migration_2_moves_cross_site_canonicals_to_claims() {
    let dir = std::env::temp_dir().join(format!("wirecopy-mig2-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join("v1.db");
    {
        let conn = rusqlite::Connection::open(&path).expect("v1 database");
        conn.execute_batch(super::schema::MIGRATIONS[0])
            .expect("schema 1");
        conn.pragma_update(None, "user_version", 1)
            .expect("version");
        conn.execute_batch(
            "INSERT INTO outlets (id, name, homepage) VALUES (1, 'blog', 'https://blog.example/');
             INSERT INTO urls (id, url, outlet_id, kind) VALUES
                 (1, 'https://blog.example/a', 1, 'article'), (2, 'https://blog.example/b', 1, 'article');
             INSERT INTO articles (id, url_id, outlet_id, url, final_url, canonical_url, text, words,
                                   sha256, simhash, fp_version, fetched_at) VALUES
                 (1, 1, 1, 'https://blog.example/a', 'https://blog.example/a', 'https://agency.example/1',
                  'x', 1, '', 0, 1, '2024-01-01T00:00:00Z'),
                 (2, 2, 1, 'https://blog.example/b', 'https://blog.example/b', 'https://www.blog.example/b',
                  'y', 1, '', 0, 1, '2024-01-01T00:00:00Z');",
        )
        .expect("v1 rows");
    }
    let store = SqliteStore::open(&path).expect("migrate");
    assert_eq!(
        store.schema_version().expect("version"),
        super::schema::VERSION
    );
    let row = |id: i64| -> (Option<String>, Option<String>) {
        store
            .connection()
            .query_row(
                "SELECT canonical_url, claimed_canonical FROM articles WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .expect("row")
    };
    assert_eq!(row(1), (None, Some("https://agency.example/1".into())));
    assert_eq!(row(2), (Some("https://www.blog.example/b".into()), None));
    assert_eq!(
        store
            .article_at("https://agency.example/1")
            .expect("lookup"),
        None,
        "a claim is no address"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// `sources list`'s figures: articles, last good fetch, last failure.
#[test]
fn outlet_states_count_articles_and_keep_the_last_failure() {
    let mut s = store();
    let run = s.begin_run().expect("run");
    save_text(
        &mut s,
        run,
        ("tass", "https://tass.com/world/1"),
        "Talks resumed in Geneva on Friday after a pause of two years.",
        None,
        1.0,
        DocMeta::default(),
    );
    for error in ["HTTP 500", "HTTP 404"] {
        s.record_fetch(&FetchRecord {
            kind: UrlKind::Feed,
            status: None,
            etag: None,
            error: Some(error),
            stage: Some("fetch"),
            ..fetch(run, "blog", "https://blog.example/feed")
        })
        .expect("failure recorded");
    }
    let states = s.outlet_states().expect("states");
    let names: Vec<&str> = states.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(names, ["blog", "tass"]);
    let (blog, tass) = (&states[0], &states[1]);
    assert_eq!((tass.articles, tass.last_error.as_deref()), (1, None));
    assert!(tass.last_ok.is_some());
    assert_eq!((blog.articles, blog.last_ok.as_deref()), (0, None));
    assert_eq!(blog.last_error.as_deref(), Some("HTTP 404"));
    assert!(blog.last_error_at.is_some());
}
