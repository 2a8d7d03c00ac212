//! The SQLite store's own tests (the file's schema version, migrations of
//! old files); the tests both backends pass are in `store/tests/`.

use super::*;

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
