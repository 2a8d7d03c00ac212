//! Migration 3 on an old SQLite file (the index tests both backends pass
//! are in `store/tests/index.rs`).

use super::*;
use crate::dedup::FINGERPRINT_VERSION;

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
