//! PostgreSQL's own store tests: the schema version table and the upgrade
//! path, as the SQLite file's are tested in `store/sqlite/tests*.rs`.
//! (Concurrent writers and shared outlets are tested end to end in
//! `tests/pg.rs`.)

use super::{pg_server, TestStore};
use crate::store::{Error, PostgresStore, Store};

#[test]
fn migrates_reopens_and_refuses_a_newer_schema() {
    let Some(url) = pg_server::database() else {
        return;
    };
    let s = PostgresStore::open(&url).expect("create");
    assert_eq!(s.schema_version().expect("version"), 4);
    drop(s);
    let s = PostgresStore::open(&url).expect("reopen");
    assert_eq!(s.totals().expect("totals").runs, 0);
    s.exec("UPDATE wirecopy_schema SET version = 999");
    drop(s);
    let error = PostgresStore::open(&url).expect_err("newer schema refused");
    assert!(matches!(error, Error::TooNew { found: 999, .. }), "{error}");
    assert!(error.to_string().contains("upgrade wirecopy"), "{error}");
    assert!(!error.to_string().contains("password"), "{error}");
}

// The upgrade path of a database written at schema version 1: migration 2
// moves cross-site canonicals to claims, migration 3 leaves the index to
// `wirecopy reindex`, as on SQLite.
#[test]
fn a_version_1_database_upgrades_and_asks_for_reindex() {
    let Some(url) = pg_server::database() else {
        return;
    };
    let old = PostgresStore::open_at(&url, 1).expect("schema 1");
    assert_eq!(old.schema_version().expect("version"), 1);
    old.exec(
        "INSERT INTO outlets (id, name, homepage) VALUES (1, 'blog', 'https://blog.example/');
         INSERT INTO urls (id, url, outlet_id, kind) VALUES
             (1, 'https://blog.example/a', 1, 'article'), (2, 'https://blog.example/b', 1, 'article');
         INSERT INTO articles (id, url_id, outlet_id, url, final_url, canonical_url, text, words,
                               sha256, simhash, fp_version, fetched_at) VALUES
             (1, 1, 1, 'https://blog.example/a', 'https://blog.example/a', 'https://agency.example/1',
              'x', 1, '', 0, 1, '2024-01-01T00:00:00Z'),
             (2, 2, 1, 'https://blog.example/b', 'https://blog.example/b', 'https://www.blog.example/b',
              'y', 1, '', 0, 1, '2024-01-01T00:00:00Z');",
    );
    drop(old);
    let s = PostgresStore::open(&url).expect("migrate");
    assert_eq!(s.schema_version().expect("version"), 4);
    let claim = |id: i64| {
        s.text(
            "SELECT claimed_canonical FROM articles WHERE id = $1",
            &[id],
        )
    };
    let own = |id: i64| s.text("SELECT canonical_url FROM articles WHERE id = $1", &[id]);
    assert_eq!(
        (own(1), claim(1)),
        (None, Some("https://agency.example/1".into()))
    );
    assert_eq!(
        (own(2), claim(2)),
        (Some("https://www.blog.example/b".into()), None)
    );
    assert_eq!(
        s.article_at("https://agency.example/1").expect("lookup"),
        None
    );
    let state = crate::store::IndexStore::index_state(&s).expect("state");
    assert_eq!(
        state.version, 0,
        "articles from before the index: reindex first"
    );
    assert!(!state.is_current());
}
